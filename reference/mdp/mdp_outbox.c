/*  mdp_outbox.c — messages waiting for their socket (mdp_outbox.h). */

#include "mdp_outbox.h"

void
mdp_outbox_init (mdp_outbox *box, size_t limit)
{
    *box = (mdp_outbox) { .limit = limit };
}

int
mdp_outbox_push (mdp_outbox *box, zw_msg *msg)
{
    if (box->count >= box->limit)
        return -1;
    msg->next = NULL;
    if (box->tail)
        box->tail->next = msg;
    else
        box->head = msg;
    box->tail = msg;
    box->count++;
    return 0;
}

static zw_msg *
pop (mdp_outbox *box)
{
    zw_msg *msg = box->head;
    box->head = msg->next;
    if (!box->head)
        box->tail = NULL;
    box->count--;
    msg->next = NULL;
    return msg;
}

static void
push_front (mdp_outbox *box, zw_msg *msg)
{
    msg->next = box->head;
    box->head = msg;
    if (!box->tail)
        box->tail = msg;
    box->count++;
}

int
mdp_outbox_flush (mdp_outbox *box, zw_socket *socket, int timeout_ms)
{
    if (box->flushing)
        return 0;
    box->flushing = 1;
    while (box->head) {
        zw_msg *msg = pop (box);
        if (zw_send (socket, msg, timeout_ms) != 0) {
            push_front (box, msg);      /* refused: it stays ours, and first */
            break;
        }
    }
    box->flushing = 0;
    return box->head == NULL;
}

void
mdp_outbox_clear (mdp_outbox *box)
{
    while (box->head)
        zw_msg_destroy (pop (box));
}
