/*  zw_buffer.c — growable octet runs (zw_buffer.h).  Capacity doubles, so
    appending n octets one piece at a time costs O(n) copying in all.  */

#include <stdlib.h>
#include <string.h>
#include "zw_buffer.h"

int
zw_buffer_reserve (zw_buffer *b, size_t more)
{
    if (b->start > 0 && b->end + more > b->capacity) {
        memmove (b->data, b->data + b->start, b->end - b->start);
        b->end -= b->start;
        b->start = 0;
    }
    if (b->end + more <= b->capacity)
        return 0;
    size_t capacity = b->capacity ? b->capacity : 256;
    while (capacity < b->end + more)
        capacity *= 2;
    uint8_t *data = realloc (b->data, capacity);
    if (!data)
        return -1;
    b->data = data;
    b->capacity = capacity;
    return 0;
}

int
zw_buffer_append (zw_buffer *b, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    if (zw_buffer_reserve (b, len))
        return -1;
    memcpy (b->data + b->end, data, len);
    b->end += len;
    return 0;
}

size_t
zw_buffer_length (const zw_buffer *b)
{
    return b->end - b->start;
}

void
zw_buffer_clear (zw_buffer *b)
{
    b->start = b->end = 0;
}

void
zw_buffer_free (zw_buffer *b)
{
    free (b->data);
    memset (b, 0, sizeof *b);
}
