/*  zw_buffer.h — a growable run of octets, consumed from the front: what
    the engine gathers (a command's variable part, a property value, a
    large frame) and what a connection has to write (zw_output.h).  */

#ifndef ZW_BUFFER_H
#define ZW_BUFFER_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *data;
    size_t start, end, capacity;    /* the octets are data[start .. end) */
} zw_buffer;

/* Room for more octets after end (consumed space is reused first); -1: ENOMEM. */
int zw_buffer_reserve (zw_buffer *b, size_t more);

/* Appends a copy of len octets; -1: ENOMEM. */
int zw_buffer_append (zw_buffer *b, const void *data, size_t len);

size_t zw_buffer_length (const zw_buffer *b);

/* Empties it, keeping the memory. */
void zw_buffer_clear (zw_buffer *b);

/* Frees the memory; the buffer is empty and usable again. */
void zw_buffer_free (zw_buffer *b);

#endif
