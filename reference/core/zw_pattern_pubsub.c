/*  zw_pattern_pubsub.c — PUB, XPUB, SUB and XSUB (29/PUBSUB,
    zmtp31.pubsub.semantics).

    Publishers filter (zmtp31.pubsub.publisher-filters): each pipe keeps
    the counted set of topics its peer subscribed to, and a message goes to
    every pipe with a topic that prefixes its first frame.  A pipe at its
    high-water mark misses the message (PUB never blocks).  Subscriptions
    are accepted in both forms from any peer: SUBSCRIBE / CANCEL commands
    (zmtp31.pubsub.subscribe-command) and 0x01 / 0x00 messages
    (zmtp30.pubsub.subscribe-message).  XPUB also hands the application a
    0x01 / 0x00 message when a topic gains its first subscriber or loses
    its last (libzmq's default, non-verbose XPUB).

    Subscribers send their subscriptions to every peer, in the form the
    peer speaks (zw_engine_send_subscription), and again to each new peer.
    A topic is sent when it is first subscribed and cancelled when its
    last subscription is (duplicates are counted locally).  SUB also
    filters what arrives (a publisher may be lenient); XSUB passes
    everything, and sends what the application writes: 0x01 / 0x00
    messages become subscriptions, others go to every peer.  */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "zw_socket_internal.h"
#include "zw_fault.h"

/* --- publishers --------------------------------------------------------------------------- */

/* A copy of msg to one pipe; dropped when the pipe is at its high-water mark. */
static void
send_copy (zw_socket *socket, zw_conn *pipe, const zw_msg *msg)
{
    zw_msg *copy = zw_pipe_writable (pipe) ? zw_msg_dup (msg) : NULL;
    if (copy)
        zw_pipe_send (pipe, copy);
    else
        socket->stats.dropped++;
}

static int
pub_send (zw_socket *socket, zw_msg *msg)
{
    const zw_frame *first = &msg->frames[0];
    for (size_t i = 0; i < socket->pipe_count; i++)
        if (zw_fault_on (ZW_FAULT_PUB_NO_FILTER)
        ||  zw_subscriptions_match (&socket->pipes[i]->subscriptions, first->data, first->size))
            send_copy (socket, socket->pipes[i], msg);
    zw_msg_destroy (msg);
    return 0;
}

/* XPUB: a change of the whole set becomes a message for the application. */
static void
announce (zw_socket *socket, int subscribe, const uint8_t *topic, size_t size)
{
    if (socket->type != ZW_XPUB)
        return;
    size_t after = subscribe ? zw_subscriptions_add (&socket->subscriptions, topic, size)
                             : zw_subscriptions_remove (&socket->subscriptions, topic, size);
    if (after != (subscribe ? 1u : 0u))
        return;
    int64_t hwm = socket->options.rcvhwm;
    if (hwm > 0 && socket->pending.count >= (size_t) hwm) {
        socket->stats.dropped++;            /* the application is not reading them */
        return;
    }
    uint8_t *frame = malloc (size + 1);
    zw_msg *msg = frame ? zw_msg_new () : NULL;
    if (msg) {
        frame[0] = subscribe ? 0x01 : 0x00;
        if (size)
            memcpy (frame + 1, topic, size);
        if (zw_msg_add (msg, frame, size + 1) == 0)
            zw_msgq_push (&socket->pending, msg);
        else
            zw_msg_destroy (msg);
    }
    free (frame);
}

static void
pub_subscription (zw_socket *socket, zw_conn *pipe, int subscribe, const uint8_t *topic,
                  size_t size)
{
    if (subscribe) {
        zw_subscriptions_add (&pipe->subscriptions, topic, size);
        announce (socket, 1, topic, size);
    }
    else if (!zw_fault_on (ZW_FAULT_IGNORE_CANCEL)
         &&  zw_subscriptions_remove (&pipe->subscriptions, topic, size) != SIZE_MAX)
        announce (socket, 0, topic, size);
}

/* A 3.0 subscriber's 0x01 / 0x00 message (zmtp30.pubsub.single-frame); anything else is dropped. */
static void
pub_incoming (zw_socket *socket, zw_conn *pipe, zw_msg *msg)
{
    const zw_frame *frame = &msg->frames[0];
    if (msg->count == 1 && frame->size >= 1 && frame->data[0] <= 1)
        pub_subscription (socket, pipe, frame->data[0], frame->data + 1, frame->size - 1);
    else
        socket->stats.dropped++;
    zw_msg_destroy (msg);
}

static void
pub_detach (zw_socket *socket, zw_conn *pipe)
{
    for (zw_topic *t = pipe->subscriptions.topics; t; t = t->next)
        for (size_t n = 0; n < t->count; n++)
            announce (socket, 0, t->data, t->size);
}

static zw_msg *
xpub_recv (zw_socket *socket)
{
    zw_msg *msg = zw_msgq_pop (&socket->pending);
    if (!msg)
        errno = EAGAIN;
    return msg;
}

static int
can_always (zw_socket *socket)
{
    (void) socket;
    return 1;
}

static int
xpub_can_recv (zw_socket *socket)
{
    return socket->pending.count > 0;
}

const zw_pattern zw_pattern_pub = {
    pub_send, zw_pattern_recv_unsupported, zw_pattern_attach_any, pub_detach, pub_incoming,
    pub_subscription, can_always, zw_pattern_can_never
};

const zw_pattern zw_pattern_xpub = {
    pub_send, xpub_recv, zw_pattern_attach_any, pub_detach, pub_incoming,
    pub_subscription, can_always, xpub_can_recv
};

/* --- subscribers ---------------------------------------------------------------------------- */

static void
tell_every_pipe (zw_socket *socket, int subscribe, const uint8_t *topic, size_t size)
{
    for (size_t i = 0; i < socket->pipe_count; i++) {
        zw_conn *pipe = socket->pipes[i];
        zw_engine_send_subscription (&pipe->engine, subscribe, topic, size);
        zw_pipe_flush (pipe);
    }
}

/* ZW_OPT_SUBSCRIBE / ZW_OPT_UNSUBSCRIBE, and XSUB's 0x01 / 0x00 messages. */
void
zw_socket_subscribe (zw_socket *socket, int subscribe, const uint8_t *topic, size_t size)
{
    size_t after = subscribe ? zw_subscriptions_add (&socket->subscriptions, topic, size)
                             : zw_subscriptions_remove (&socket->subscriptions, topic, size);
    if (after == (subscribe ? 1u : 0u))
        tell_every_pipe (socket, subscribe, topic, size);
}

/* A new publisher learns every topic we hold. */
static int
sub_attach (zw_socket *socket, zw_conn *pipe)
{
    for (const zw_topic *t = socket->subscriptions.topics; t; t = t->next)
        zw_engine_send_subscription (&pipe->engine, 1, t->data, t->size);
    return 0;
}

static void
sub_incoming (zw_socket *socket, zw_conn *pipe, zw_msg *msg)
{
    const zw_frame *first = &msg->frames[0];
    if (socket->type == ZW_SUB
    &&  !zw_subscriptions_match (&socket->subscriptions, first->data, first->size))
        zw_socket_drop (socket, msg);
    else
        zw_pipe_queue_in (pipe, msg);
}

static int
xsub_send (zw_socket *socket, zw_msg *msg)
{
    const zw_frame *first = &msg->frames[0];
    if (msg->count == 1 && first->size >= 1 && first->data[0] <= 1)
        zw_socket_subscribe (socket, first->data[0], first->data + 1, first->size - 1);
    else
        for (size_t i = 0; i < socket->pipe_count; i++)
            send_copy (socket, socket->pipes[i], msg);
    zw_msg_destroy (msg);
    return 0;
}

const zw_pattern zw_pattern_sub = {
    zw_pattern_send_unsupported, zw_pattern_recv_fair, sub_attach, zw_pattern_detach_nothing,
    sub_incoming, NULL, zw_pattern_can_never, zw_pattern_can_recv_fair
};

const zw_pattern zw_pattern_xsub = {
    xsub_send, zw_pattern_recv_fair, sub_attach, zw_pattern_detach_nothing,
    sub_incoming, NULL, can_always, zw_pattern_can_recv_fair
};
