/*  zw_output.h — what one connection has to write, in order: octets
    copied in (greetings, commands, frame headers, small bodies) and,
    between them, large message bodies borrowed where they lie, so that
    they reach the kernel without a copy of ours (one gathered write,
    sendmsg with an iovec).

    A borrowed body must stay put until it is written: its message is
    handed to the output (zw_output_hold), which frees it once every
    octet queued before the hold is written, or at zw_output_free.
    Holding cannot fail, so a message is never lost track of, even when
    memory runs out half-way through queueing it.  */

#ifndef ZW_OUTPUT_H
#define ZW_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include "zw_buffer.h"
#include "zwire.h"

typedef struct zw_output_body zw_output_body;

typedef struct {
    zw_buffer copied;               /* the copied octets not yet written */
    uint64_t copied_in, copied_out; /* copied octets ever appended, ever written */
    uint64_t total_in, total_out;   /* all octets ever appended, ever written */
    zw_output_body *head, *tail;    /* borrowed bodies not yet written, in order */
    zw_msg *held_head, *held_tail;  /* messages lending bodies, in order */
} zw_output;

/* Appends a copy of len octets; -1: ENOMEM. */
int zw_output_copy (zw_output *out, const void *data, size_t len);

/* Appends len octets at data, not copied (hold their message next); -1: ENOMEM. */
int zw_output_borrow (zw_output *out, const uint8_t *data, size_t len);

/* Takes msg, to free it once everything queued so far is written. */
void zw_output_hold (zw_output *out, zw_msg *msg);

/* Octets still to write. */
size_t zw_output_pending (const zw_output *out);

/* The next octets to write, in order, as up to max pieces; returns how many. */
int zw_output_iov (const zw_output *out, struct iovec *iov, int max);

/* n octets from the front were written. */
void zw_output_done (zw_output *out, size_t n);

/* Frees everything, held messages included. */
void zw_output_free (zw_output *out);

#endif
