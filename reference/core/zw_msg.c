/*  zw_msg.c — messages as lists of owned frames (zwire.h).

    A message travels whole (zmtp31.socket.atomic): the engine builds one
    frame by frame and hands it over only when its last frame is in, and
    a socket queues and sends it as one unit.

    Storage.  Messages are made and freed for every one sent or received,
    so the common small one costs a single allocation: its first frame's
    slot and up to ZW_MSG_INLINE octets of frame data live inside the
    zw_msg itself; only more frames or larger ones allocate.  A frame's
    data is freed unless it points into that inline area.

    Recycling of large frame bodies.  A program that streams large
    messages frees one about as often as it makes the next, and glibc
    gives the top of its heap back to the kernel once that holds more
    than about twice the largest block freed so far (its dynamic trim
    threshold): the next body then faults every page in afresh, and a
    1 MiB stream falls to a fraction of its speed, more or less often
    depending on the order of frees.  So a freed body of RECYCLE_MIN
    octets or more is kept, on the thread that freed it, for the next
    frame of exactly its size made on that thread: at most RECYCLE_SLOTS
    bodies and RECYCLE_OCTETS octets, the oldest dropped first.  Exact
    sizes make it safe without bookkeeping: a kept block is at least as
    large as the frame it served, so at least as large as the next frame
    of that size (and as large exactly, but for a block the engine handed
    over and could not shrink: zw_msg_add_owned).  What a thread keeps is
    freed by zw_msg_release_kept (zw_ctx_destroy calls it) and when the
    thread exits (a thread-specific key's destructor).  */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "zwire.h"
#include "zw_auth.h"
#include "zw_msg_internal.h"

#define RECYCLE_MIN (64u << 10)
#define RECYCLE_SLOTS 8
#define RECYCLE_OCTETS (16u << 20)

/* The bodies this thread keeps, oldest first. */
static _Thread_local struct {
    struct { uint8_t *data; size_t size; } body[RECYCLE_SLOTS];
    size_t count, octets;
    int at_exit;                /* the thread's exit will free them */
} kept;

/* A key whose destructor frees what a thread keeps when it exits. */
static pthread_key_t kept_key;
static int kept_key_made;
static pthread_once_t kept_key_once = PTHREAD_ONCE_INIT;

static void
release_at_exit (void *unused)
{
    (void) unused;
    zw_msg_release_kept ();
}

static void
make_kept_key (void)
{
    kept_key_made = pthread_key_create (&kept_key, release_at_exit) == 0;
}

/* 1 once this thread's exit will free what it keeps (else nothing is kept). */
static int
freed_at_exit (void)
{
    if (!kept.at_exit && pthread_once (&kept_key_once, make_kept_key) == 0 && kept_key_made)
        kept.at_exit = pthread_setspecific (kept_key, &kept) == 0;
    return kept.at_exit;
}

/* Takes kept body i out of the list; returns it. */
static uint8_t *
unkeep (size_t i)
{
    uint8_t *data = kept.body[i].data;
    kept.octets -= kept.body[i].size;
    kept.count--;
    memmove (kept.body + i, kept.body + i + 1, (kept.count - i) * sizeof kept.body[0]);
    return data;
}

/* A kept body of exactly size octets, or NULL. */
static uint8_t *
take_kept (size_t size)
{
    for (size_t i = kept.count; i-- > 0;)
        if (kept.body[i].size == size)
            return unkeep (i);
    return NULL;
}

/* Keeps a freed body for reuse, or frees it. */
static void
keep_or_free (uint8_t *data, size_t size)
{
    if (size < RECYCLE_MIN || size > RECYCLE_OCTETS || !freed_at_exit ()) {
        free (data);
        return;
    }
    while (kept.count == RECYCLE_SLOTS || kept.octets + size > RECYCLE_OCTETS)
        free (unkeep (0));                      /* the oldest makes room */
    kept.body[kept.count].data = data;
    kept.body[kept.count++].size = size;
    kept.octets += size;
}

void
zw_msg_release_kept (void)
{
    while (kept.count)
        free (unkeep (0));
}

zw_msg *
zw_msg_new (void)
{
    zw_msg *msg = malloc (sizeof *msg);
    if (!msg) {
        errno = ENOMEM;
        return NULL;
    }
    /* Only the header: inline_data is written before it is read. */
    msg->frames = &msg->first;
    msg->count = 0;
    msg->capacity = 1;
    msg->total = 0;
    msg->next = NULL;
    msg->auth = NULL;
    msg->inline_used = 0;
    return msg;
}

static int
is_inline (const zw_msg *msg, const uint8_t *data)
{
    return data >= msg->inline_data && data < msg->inline_data + ZW_MSG_INLINE;
}

/* Room for count frame slots; the first slots move out of the message when it grows. */
static int
reserve (zw_msg *msg, size_t count)
{
    if (count <= msg->capacity)
        return 0;
    size_t capacity = msg->capacity < 4 ? 4 : msg->capacity * 2;
    while (capacity < count)
        capacity *= 2;
    zw_frame *frames = msg->frames == &msg->first
                     ? malloc (capacity * sizeof *frames)
                     : realloc (msg->frames, capacity * sizeof *frames);
    if (!frames) {
        errno = ENOMEM;
        return -1;
    }
    if (msg->frames == &msg->first)
        frames[0] = msg->first;
    msg->frames = frames;
    msg->capacity = capacity;
    return 0;
}

/* Storage for size octets of frame data: inline while there is room. */
static uint8_t *
frame_storage (zw_msg *msg, size_t size)
{
    if (size == 0)
        return NULL;
    if (size <= ZW_MSG_INLINE - msg->inline_used) {
        uint8_t *data = msg->inline_data + msg->inline_used;
        msg->inline_used += size;
        return data;
    }
    uint8_t *data = size >= RECYCLE_MIN ? take_kept (size) : NULL;
    if (!data && !(data = malloc (size)))
        errno = ENOMEM;
    return data;
}

static void
frame_free (zw_msg *msg, zw_frame *frame)
{
    if (frame->data && !is_inline (msg, frame->data))
        keep_or_free (frame->data, frame->size);
}

uint8_t *
zw_msg_add_space (zw_msg *msg, size_t size)
{
    if (reserve (msg, msg->count + 1))
        return NULL;
    uint8_t *data = frame_storage (msg, size);
    if (size && !data)
        return NULL;
    msg->frames[msg->count++] = (zw_frame) { data, size };
    msg->total += size;
    return data;
}

int
zw_msg_add_owned (zw_msg *msg, uint8_t *data, size_t size)
{
    if (reserve (msg, msg->count + 1))
        return -1;
    msg->frames[msg->count++] = (zw_frame) { size ? data : NULL, size };
    if (!size)
        free (data);
    msg->total += size;
    return 0;
}

int
zw_msg_add (zw_msg *msg, const void *data, size_t size)
{
    uint8_t *space = zw_msg_add_space (msg, size);
    if (size && !space)
        return -1;
    if (size)
        memcpy (space, data, size);
    return 0;
}

int
zw_msg_add_str (zw_msg *msg, const char *text)
{
    return zw_msg_add (msg, text, strlen (text));
}

int
zw_msg_prepend (zw_msg *msg, const void *data, size_t size)
{
    if (zw_msg_add (msg, data, size))
        return -1;
    zw_frame frame = msg->frames[msg->count - 1];
    memmove (msg->frames + 1, msg->frames, (msg->count - 1) * sizeof *msg->frames);
    msg->frames[0] = frame;
    return 0;
}

void
zw_msg_drop_first (zw_msg *msg)
{
    if (msg->count == 0)
        return;
    msg->total -= msg->frames[0].size;
    frame_free (msg, &msg->frames[0]);
    msg->count--;
    memmove (msg->frames, msg->frames + 1, msg->count * sizeof *msg->frames);
}

zw_msg *
zw_msg_dup (const zw_msg *msg)
{
    zw_msg *copy = zw_msg_new ();
    for (size_t i = 0; copy && i < msg->count; i++)
        if (zw_msg_add (copy, msg->frames[i].data, msg->frames[i].size)) {
            zw_msg_destroy (copy);
            return NULL;
        }
    if (copy)
        copy->auth = zw_auth_record_ref (msg->auth);
    return copy;
}

void
zw_msg_destroy (zw_msg *msg)
{
    if (!msg)
        return;
    for (size_t i = 0; i < msg->count; i++)
        frame_free (msg, &msg->frames[i]);
    if (msg->frames != &msg->first)
        free (msg->frames);
    zw_auth_record_release (msg->auth);
    free (msg);
}
