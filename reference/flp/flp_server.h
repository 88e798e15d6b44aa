/*  flp_server.h — the Freelance server's I/O-free core (10/FLP).

    Messages go in as a ROUTER socket receives them: the routing frame it
    put first, then the FLP frames.  Out come, through the callbacks of
    flp_server_io, messages to send (each to a routing frame), requests for
    the application, and log lines.  The core owns no socket, so the unit
    tests drive it with a fake io, and the shell (flp_server_shell.h) is a
    ROUTER socket around it.

    What it does (spec/flp.md, spec/DECISIONS.md F1..F12):
    - a ping (one frame, PING) is answered at once with a pong (one frame,
      PONG) to the client that sent it (flp.server.pong, flp.grammar.pong,
      F2), whatever else that client has in flight;
    - a request (a CCF, then one body frame or more) goes to the
      application with a token, which the application hands back, now or
      later, with the reply body; the reply is the CCF octet for octet,
      then that body, to the client that sent the request
      (flp.server.reply-ccf, flp.grammar.reply), once (F7);
    - any other message (no frame, or one frame that is not PING: F3) is
      dropped, logged with the clause it breaks and its frame count,
      counted, and answered with nothing (F5).

    No session machine.  The codec's grammar (codec/flp_message_grammar.rl,
    the frame count first: F3) classifies each message on its own, and
    what the server does depends on that message alone: 10/FLP gives a
    server no handshake, no heartbeat of its own, no expiry (clients ping;
    a server only answers) and no order between one client's messages (it
    pings while its request is being answered, retries a request
    elsewhere, sends the next one).  So there is no per-client state, no
    lifecycle for an event machine to check, and no time: no clock goes in
    and no deadline comes out.  The one thing kept between calls is a
    request the application has not answered yet, and the application
    holds it (its token).  */

#ifndef FLP_SERVER_H
#define FLP_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include "flp_message.h"

/*  A request being answered: a copy of its routing frame and its CCF,
    owned by the application from the request callback until it hands the
    token back, exactly once, to flp_server_reply or flp_server_drop.  */
typedef struct flp_server_token flp_server_token;

/*  What the core does to the world.
    send: one message to the client whose routing frame is routing, its
      frames head then body (a pong: head PONG, no body; a reply: head the
      CCF, then the body).
    request: a request for the application.  body is valid during the call
      only; token is the application's from now on (see above).  It may
      answer inside the call.
    log: one line, naming, for a violation, the clause (may be NULL: silent).  */
typedef struct {
    void (*send) (void *arg, const zw_flp_frame *routing, const zw_flp_frame *head,
                  size_t head_count, const zw_flp_frame *body, size_t body_count);
    void (*request) (void *arg, flp_server_token *token, const zw_flp_frame *body,
                     size_t body_count);
    void (*log) (void *arg, const char *line);
    void *arg;
} flp_server_io;

typedef struct flp_server flp_server;

/* A new server; NULL with errno EINVAL (no send or request function) or ENOMEM. */
flp_server *flp_server_new (const flp_server_io *io);

/*  Frees the server.  Every token it gave out must have been handed back
    first (flp_server_reply, flp_server_drop).  NULL is allowed.  */
void flp_server_destroy (flp_server *server);

/*  One message from a client: routing is the frame the ROUTER socket put
    first (an empty frame when there is none), frames the rest.  Nothing
    of it is kept but a request's routing frame and CCF, in its token.  */
void flp_server_input (flp_server *server, const zw_flp_frame *routing, const zw_flp_frame *frames,
                       size_t count);

/*  The reply to token's request: its CCF unchanged, then the body_count
    frames of body (flp.server.reply-ccf), sent through io.send; the token
    is freed.  Returns 0; or -1 with errno EINVAL when token is NULL or
    body_count is 0 (a reply needs one body frame or more:
    flp.grammar.reply), and then the token stays the caller's.  */
int flp_server_reply (flp_server *server, flp_server_token *token, const zw_flp_frame *body,
                      size_t body_count);

/*  Frees token with no reply (the application cannot answer: its queue is
    full, it is stopping), logging why (a static text) and counting it.
    The client is left to retry, elsewhere if it will.  NULL is allowed.  */
void flp_server_drop (flp_server *server, flp_server_token *token, const char *why);

typedef struct {
    uint64_t pings;             /* PINGs received */
    uint64_t pongs;             /* PONGs sent */
    uint64_t requests;          /* requests handed to the application */
    uint64_t replies;           /* replies sent (a request answered: one, F7) */
    uint64_t invalid;           /* malformed messages dropped (F5) */
    uint64_t dropped;           /* requests dropped unanswered (flp_server_drop, out of memory) */
} flp_server_stats;

void flp_server_get_stats (const flp_server *server, flp_server_stats *stats);

/*  Why endpoint cannot be a server's identity as it stands (DECISIONS F1:
    the identity is the string clients connect to, and ZW_OPT_IDENTITY
    takes 1..255 octets): "a wildcard host" (*, 0.0.0.0, [::]),
    "port 0" (the system picks one), "longer than 255 octets", "empty";
    NULL when it can be.  Such a server needs its identity given.  */
const char *flp_server_endpoint_problem (const char *endpoint);

/* Why identity cannot be a socket's identity (empty, over 255 octets); NULL when it can. */
const char *flp_server_identity_problem (const char *identity);

#endif
