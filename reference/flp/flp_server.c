/*  flp_server.c — the Freelance server's I/O-free core (flp_server.h):
    each message classified by the codec (F3), pings answered, requests
    handed over and their replies sent, malformed messages dropped (F5).
    The variants of flp_fault.h each sit at the one place they change.  */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flp_fault.h"
#include "flp_server.h"
#include "role_frames.h"

#define IDENTITY_MAX 255        /* ZW_OPT_IDENTITY: 1..255 octets */

struct flp_server {
    flp_server_io io;
    flp_server_stats stats;
};

struct flp_server_token {
    zw_flp_frame routing;
    zw_flp_frame ccf;
    uint8_t data[];             /* the routing frame's octets, then the CCF's */
};

flp_server *
flp_server_new (const flp_server_io *io)
{
    if (!io || !io->send || !io->request) {
        errno = EINVAL;
        return NULL;
    }
    flp_server *server = calloc (1, sizeof *server);
    if (!server)
        return NULL;
    server->io = *io;
    return server;
}

void
flp_server_destroy (flp_server *server)
{
    free (server);
}

void
flp_server_get_stats (const flp_server *server, flp_server_stats *stats)
{
    *stats = server->stats;
}

/* --- what comes in ---------------------------------------------------------------- */

static void
server_log (flp_server *server, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
server_log (flp_server *server, const char *format, ...)
{
    if (!server->io.log)
        return;
    char line[512];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    server->io.log (server->io.arg, line);
}

/* A client named in a log line by its routing frame. */
static void
client_name (const zw_flp_frame *routing, char *text, size_t size)
{
    if (routing->size)
        role_frame_print (routing, text, size);
    else
        snprintf (text, size, "(no routing frame)");
}

static void
pong (flp_server *server, const zw_flp_frame *routing)
{
    zw_flp_message message = { .command = ZW_FLP_PONG };
    zw_flp_frame head[2] = { { NULL, 0 }, { NULL, 0 } };
    zw_flp_encode_head (&message, &head[0]);
    /* fault: a second, empty frame breaks the one-frame layout (flp.grammar.pong, F2) */
    size_t count = flp_fault_on (FLP_FAULT_SERVER_PONG_EXTRA_FRAME) ? 2 : 1;
    server->io.send (server->io.arg, routing, head, count, NULL, 0);
    server->stats.pongs++;
}

/* flp.server.pong: every ping, to the client that sent it, at once. */
static void
ping (flp_server *server, const zw_flp_frame *routing)
{
    server->stats.pings++;
    if (flp_fault_on (FLP_FAULT_SERVER_NO_PONG))
        return;                 /* fault: the ping goes unanswered (flp.server.pong) */
    pong (server, routing);
}

/*  F3, F5: no frame, or one frame that is not PING, is neither a ping nor a
    request; the error names the layout it breaks.  Nothing goes back: an
    answer could be taken by its client for a reply.  */
static void
malformed (flp_server *server, const zw_flp_frame *routing, size_t count, const zw_error *error)
{
    char client[64];
    client_name (routing, client, sizeof client);
    server->stats.invalid++;
    server_log (server, "a message of %zu frame%s from %s is neither a ping nor a request: "
                "dropped, nothing sent [%s] (DECISIONS F3, F5)", count, count == 1 ? "" : "s",
                client, error->clause ? error->clause : "flp.grammar.request");
    /* lenient: what a server does with a malformed message is its own (F5) */
    if (flp_fault_on (FLP_LENIENT_SERVER_PONG_ANY_ONE_FRAME) && count == 1)
        pong (server, routing);
}

static flp_server_token *
token_new (const zw_flp_frame *routing, const zw_flp_frame *ccf)
{
    flp_server_token *token = malloc (sizeof *token + routing->size + ccf->size);
    if (!token)
        return NULL;
    uint8_t *at = token->data;
    if (routing->size)
        memcpy (at, routing->data, routing->size);
    token->routing = (zw_flp_frame) { at, routing->size };
    at += routing->size;
    if (ccf->size)
        memcpy (at, ccf->data, ccf->size);
    token->ccf = (zw_flp_frame) { at, ccf->size };
    return token;
}

/* The application answers through the token: the routing frame and the CCF are all it takes. */
static void
request (flp_server *server, const zw_flp_frame *routing, const zw_flp_frame *ccf,
         const zw_flp_frame *body, size_t body_count)
{
    flp_server_token *token = token_new (routing, ccf);
    if (!token) {
        char client[64];
        client_name (routing, client, sizeof client);
        server->stats.dropped++;
        server_log (server, "out of memory: a request from %s dropped unanswered", client);
        return;
    }
    server->stats.requests++;
    server->io.request (server->io.arg, token, body, body_count);
}

void
flp_server_input (flp_server *server, const zw_flp_frame *routing, const zw_flp_frame *frames,
                  size_t count)
{
    zw_flp_message message;
    zw_error error = { 0 };
    if (!zw_flp_decode (frames, count, ZW_FLP_TO_SERVER, &message, &error))
        malformed (server, routing, count, &error);
    else if (message.command == ZW_FLP_PING)
        ping (server, routing);
    else
        request (server, routing, &message.ccf, frames + 1, message.body_count);
}

/* --- what the application answers ------------------------------------------------- */

/* fault: the CCF comes back changed, its last octet flipped, an empty one as "x" (flp.server.reply-ccf) */
static zw_flp_frame
changed_ccf (flp_server_token *token)
{
    static const uint8_t x = 'x';
    if (token->ccf.size == 0)
        return (zw_flp_frame) { &x, 1 };
    ((uint8_t *) token->ccf.data)[token->ccf.size - 1] ^= 0x01;
    return token->ccf;
}

int
flp_server_reply (flp_server *server, flp_server_token *token, const zw_flp_frame *body,
                  size_t body_count)
{
    if (!token || body_count == 0) {
        errno = EINVAL;         /* flp.grammar.reply: one body frame or more */
        return -1;
    }
    zw_flp_frame ccf = token->ccf;   /* flp.server.reply-ccf: unchanged */
    if (flp_fault_on (FLP_FAULT_SERVER_CCF_CHANGED))
        ccf = changed_ccf (token);
    if (flp_fault_on (FLP_FAULT_SERVER_REPLY_NO_BODY))
        body_count = 0;         /* fault: the CCF alone (flp.grammar.reply) */
    server->io.send (server->io.arg, &token->routing, &ccf, 1, body, body_count);
    /* lenient: a second reply breaks no keyword; the client takes the first (F7) */
    if (flp_fault_on (FLP_LENIENT_SERVER_REPLY_TWICE))
        server->io.send (server->io.arg, &token->routing, &ccf, 1, body, body_count);
    server->stats.replies++;
    free (token);
    return 0;
}

void
flp_server_drop (flp_server *server, flp_server_token *token, const char *why)
{
    if (!token)
        return;
    char client[64];
    client_name (&token->routing, client, sizeof client);
    server->stats.dropped++;
    server_log (server, "a request from %s dropped unanswered: %s", client, why);
    free (token);
}

/* --- identities (DECISIONS F1) ---------------------------------------------------- */

const char *
flp_server_identity_problem (const char *identity)
{
    size_t size = strlen (identity);
    if (size == 0)
        return "empty";
    return size > IDENTITY_MAX ? "longer than 255 octets" : NULL;
}

/* tcp://HOST:PORT: a host every interface answers to, or a port the system picks, is no address to connect to. */
static const char *
tcp_problem (const char *address)
{
    const char *colon = strrchr (address, ':');
    if (!colon)
        return NULL;            /* not an endpoint: the bind will say so */
    size_t host = (size_t) (colon - address);
    static const char *const wildcards[] = { "*", "0.0.0.0", "[::]", "::", "[*]" };
    for (size_t i = 0; i < sizeof wildcards / sizeof wildcards[0]; i++)
        if (strlen (wildcards[i]) == host && memcmp (address, wildcards[i], host) == 0)
            return "a wildcard host";
    return strcmp (colon + 1, "0") == 0 ? "port 0" : NULL;
}

const char *
flp_server_endpoint_problem (const char *endpoint)
{
    if (strncmp (endpoint, "tcp://", 6) == 0 && tcp_problem (endpoint + 6))
        return tcp_problem (endpoint + 6);
    return flp_server_identity_problem (endpoint);
}
