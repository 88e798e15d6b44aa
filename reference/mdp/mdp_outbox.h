/*  mdp_outbox.h — the messages a shell has made and its socket has not
    taken yet, oldest first.  A DEALER takes nothing while no connection
    is up (zw_send with timeout 0 says EAGAIN), and a shell never waits, so
    what its core sends goes through here: pushed at once, written when
    the socket can take it (its writable callback), in order, and dropped
    with the connection it was meant for.  Bounded.  */

#ifndef MDP_OUTBOX_H
#define MDP_OUTBOX_H

#include <stddef.h>
#include "zwire.h"

typedef struct {
    zw_msg *head, *tail;
    size_t count, limit;
    int flushing;               /* a flush is running: one further down the stack returns */
} mdp_outbox;

void mdp_outbox_init (mdp_outbox *box, size_t limit);

/* Queues msg; 0, or -1 (the box holds limit messages: msg stays the caller's). */
int mdp_outbox_push (mdp_outbox *box, zw_msg *msg);

/*  Hands socket what is queued, oldest first, each with zw_send (...,
    timeout_ms), until it refuses one.  Returns 1 when the box is empty
    afterwards, else 0.  Safe to call again from a callback that a send
    outside callbacks runs (that call returns 0 and leaves the work to the
    one below it).  */
int mdp_outbox_flush (mdp_outbox *box, zw_socket *socket, int timeout_ms);

/* Destroys what is queued. */
void mdp_outbox_clear (mdp_outbox *box);

#endif
