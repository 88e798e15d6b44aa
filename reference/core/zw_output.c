/*  zw_output.c — a connection's output (zw_output.h).

    Positions.  The copied octets are one stream, counted from the first
    ever appended: copied_out of them are written, copied_in appended.  A
    borrowed body records how many copied octets come before it (at), so
    the output in order is: copied octets up to the first body's at, that
    body, copied octets up to the next one's at, ..., the copied rest.
    The buffer may move its octets (zw_buffer_reserve); the counts do not
    move with them.  A held message is freed when total_out reaches the
    total_in it was held at (its written_at).  */

#include <stdlib.h>
#include "zw_output.h"

struct zw_output_body {
    zw_output_body *next;
    uint64_t at;                    /* copied octets that come before it */
    const uint8_t *data;
    size_t size, written;
};

int
zw_output_copy (zw_output *out, const void *data, size_t len)
{
    if (zw_buffer_append (&out->copied, data, len))
        return -1;
    out->copied_in += len;
    out->total_in += len;
    return 0;
}

int
zw_output_borrow (zw_output *out, const uint8_t *data, size_t len)
{
    zw_output_body *body = malloc (sizeof *body);
    if (!body)
        return -1;
    *body = (zw_output_body) { NULL, out->copied_in, data, len, 0 };
    if (out->tail)
        out->tail->next = body;
    else
        out->head = body;
    out->tail = body;
    out->total_in += len;
    return 0;
}

void
zw_output_hold (zw_output *out, zw_msg *msg)
{
    msg->written_at = out->total_in;
    msg->next = NULL;
    if (out->held_tail)
        out->held_tail->next = msg;
    else
        out->held_head = msg;
    out->held_tail = msg;
}

size_t
zw_output_pending (const zw_output *out)
{
    return (size_t) (out->total_in - out->total_out);
}

int
zw_output_iov (const zw_output *out, struct iovec *iov, int max)
{
    const uint8_t *copied = out->copied.data + out->copied.start;
    uint64_t position = out->copied_out;
    int n = 0;
    for (const zw_output_body *body = out->head; body && n < max; body = body->next) {
        if (body->at > position) {
            size_t before = (size_t) (body->at - position);
            iov[n++] = (struct iovec) { (void *) copied, before };
            copied += before;
            position = body->at;
            if (n == max)
                return n;
        }
        iov[n++] = (struct iovec) { (void *) (body->data + body->written),
                                    body->size - body->written };
    }
    if (n < max && out->copied_in > position)
        iov[n++] = (struct iovec) { (void *) copied, (size_t) (out->copied_in - position) };
    return n;
}

static void
body_written (zw_output *out)
{
    zw_output_body *body = out->head;
    out->head = body->next;
    if (!out->head)
        out->tail = NULL;
    free (body);
}

static void
release_held (zw_output *out, int all)
{
    while (out->held_head && (all || out->held_head->written_at <= out->total_out)) {
        zw_msg *msg = out->held_head;
        out->held_head = msg->next;
        if (!out->held_head)
            out->held_tail = NULL;
        zw_msg_destroy (msg);
    }
}

void
zw_output_done (zw_output *out, size_t n)
{
    out->total_out += n;
    while (n) {
        zw_output_body *body = out->head;
        uint64_t copied_before = body ? body->at : out->copied_in;
        size_t take;
        if (copied_before > out->copied_out) {
            take = (size_t) (copied_before - out->copied_out);
            take = take < n ? take : n;
            out->copied.start += take;
            out->copied_out += take;
        }
        else {
            take = body->size - body->written;
            take = take < n ? take : n;
            body->written += take;
            if (body->written == body->size)
                body_written (out);
        }
        n -= take;
    }
    release_held (out, 0);
    if (zw_buffer_length (&out->copied) == 0)
        zw_buffer_clear (&out->copied);
}

void
zw_output_free (zw_output *out)
{
    while (out->head)
        body_written (out);
    release_held (out, 1);
    zw_buffer_free (&out->copied);
    *out = (zw_output) { 0 };
}
