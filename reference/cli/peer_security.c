/*  peer_security.c — `zwire peer`'s security options and ZAP policy
    (peer_security.h).  */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "peer_security.h"
#include "z85.h"
#include "zwire_cli.h"

void
peer_security_usage (FILE *out)
{
    fputs ("Security (24/ZMTP-PLAIN, 25/ZMTP-CURVE; default NULL):\n"
           "  --plain-server           PLAIN, as server\n"
           "  --plain-user NAME        PLAIN, as client, with this user name ...\n"
           "  --plain-password TEXT    ... and password (VCHAR, up to 255 each)\n"
           "  --curve-server           CURVE, as server (needs --curve-secret)\n"
           "  --curve-secret Z85       our permanent secret key, 40 Z85 characters (its\n"
           "                           public key follows from it); a client without one\n"
           "                           makes a key pair for each connection\n"
           "  --curve-serverkey Z85    CURVE, as client, of the server with this public key\n"
           "  --print-auth             --print: put \"MECHANISM USER-ID KEY | \" before each\n"
           "                           message: who the handshake said sent it (- for none)\n"
           "ZAP policy of a server (27/ZAP; an in-process handler answering 200 or 400):\n"
           "  --zap-domain TEXT        the domain of its requests (default \"global\")\n"
           "  --allow ADDR             accept clients from these IP addresses only (repeatable)\n"
           "  --deny ADDR              refuse clients from these addresses (repeatable)\n"
           "  --plain-users FILE       PLAIN: the accepted \"user:password\" lines\n"
           "  --curve-allow Z85        CURVE: accept this client public key (repeatable)\n"
           "  --curve-allow-any        CURVE: accept any client that completes the handshake\n"
           "  --zap-none               no handler at all: every client is accepted unchecked\n"
           "                           (as a libzmq 4.3 CURVE server without a handler; its\n"
           "                           PLAIN server refuses everyone then); a PLAIN or CURVE\n"
           "                           server needs this or a policy above\n", out);
}

/* --- options ---------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    size_t offset;              /* of the const char * in peer_security */
} text_option;

#define TEXT(name, field) { name, offsetof (peer_security, field) }
static const text_option text_options[] = {
    TEXT ("--plain-user", plain_user), TEXT ("--plain-password", plain_password),
    TEXT ("--plain-users", plain_users_file), TEXT ("--curve-secret", curve_secret),
    TEXT ("--curve-serverkey", curve_serverkey), TEXT ("--zap-domain", zap_domain),
};

typedef struct {
    const char *name;
    size_t offset;              /* of the int in peer_security */
} flag_option;

#define FLAG(name, field) { name, offsetof (peer_security, field) }
static const flag_option flag_options[] = {
    FLAG ("--plain-server", plain_server), FLAG ("--curve-server", curve_server),
    FLAG ("--zap-none", zap_none), FLAG ("--curve-allow-any", curve_allow_any),
    FLAG ("--print-auth", print_auth),
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static int
push (const char **list, int *count, const char *value)
{
    if (*count >= PEER_LIST_MAX)
        return 0;
    list[(*count)++] = value;
    return 1;
}

int
peer_security_option (int argc, char **argv, int *i, peer_security *s)
{
    const char *v;
    int r;
    for (size_t k = 0; k < COUNT (flag_options); k++)
        if (strcmp (argv[*i], flag_options[k].name) == 0)
            return *(int *) ((char *) s + flag_options[k].offset) = 1, 1;
    for (size_t k = 0; k < COUNT (text_options); k++)
        if ((r = zw_args_value (argc, argv, i, text_options[k].name, &v)) != 0) {
            if (r < 0)
                return fprintf (stderr, "zwire peer: %s needs a value\n", text_options[k].name), -1;
            *(const char **) ((char *) s + text_options[k].offset) = v;
            return 1;
        }
    struct { const char *name; const char **list; int *count; } lists[] = {
        { "--allow", s->allow, &s->allow_count }, { "--deny", s->deny, &s->deny_count },
        { "--curve-allow", s->curve_allow, &s->curve_allow_count },
    };
    for (size_t k = 0; k < COUNT (lists); k++)
        if ((r = zw_args_value (argc, argv, i, lists[k].name, &v)) != 0) {
            if (r < 0 || !push (lists[k].list, lists[k].count, v))
                return fprintf (stderr, "zwire peer: %s needs a value (at most %d)\n",
                                lists[k].name, PEER_LIST_MAX), -1;
            return 1;
        }
    return 0;
}

/* --- the policy: a ZAP handler ----------------------------------------------------------- */

static int
frame_equals (const zw_frame *frame, const char *text)
{
    size_t n = strlen (text);
    return frame->size == n && memcmp (frame->data, text, n) == 0;
}

static int
listed (const zw_frame *frame, const char *const *list, int count)
{
    for (int k = 0; k < count; k++)
        if (frame_equals (frame, list[k]))
            return 1;
    return 0;
}

/* The password file holds "user:password" on a line of its own. */
static int
plain_accepted (const peer_security *s, const zw_frame *user, const zw_frame *password)
{
    size_t n = user->size + 1 + password->size;
    for (const char *line = s->users; line && *line; ) {
        const char *end = strchr (line, '\n');
        size_t len = end ? (size_t) (end - line) : strlen (line);
        if (len == n && memcmp (line, user->data, user->size) == 0 && line[user->size] == ':'
        &&  memcmp (line + user->size + 1, password->data, password->size) == 0)
            return 1;
        line = end ? end + 1 : line + len;
    }
    return 0;
}

/*  Why a request is refused, or NULL; *user_id is what a 200 names: the
    PLAIN user name, the CURVE key in Z85, or nothing.  */
static const char *
judge (const peer_security *s, const zw_msg *request, char *user_id, size_t cap)
{
    const zw_frame *f = request->frames;
    user_id[0] = 0;
    if (request->count < 6)
        return "malformed request";
    if (listed (&f[3], s->deny, s->deny_count))
        return "address denied";
    if (s->allow_count && !listed (&f[3], s->allow, s->allow_count))
        return "address not allowed";
    if (frame_equals (&f[5], "PLAIN") && request->count == 8) {
        if (!plain_accepted (s, &f[6], &f[7]))
            return "wrong user name or password";
        snprintf (user_id, cap, "%.*s", (int) f[6].size, (const char *) f[6].data);
    }
    else if (frame_equals (&f[5], "CURVE") && request->count == 7 && f[6].size == 32) {
        char z85[41] = "";
        if (zw_z85_encode (z85, sizeof z85, f[6].data, 32) == 40)    /* DECISIONS S9 */
            z85[40] = 0;
        int known = 0;
        for (int k = 0; k < s->curve_allow_count; k++)
            known |= strcmp (z85, s->curve_allow[k]) == 0;
        if (!known && !s->curve_allow_any)
            return "unknown client key";
        snprintf (user_id, cap, "%s", z85);
    }
    else if (!frame_equals (&f[5], "NULL"))
        return "mechanism not known to this policy";
    return NULL;
}

/* 27/ZAP: the reply echoes the version and the request id (zap.reply.request-id-echo). */
void
peer_security_zap (void *arg, zw_zap_call *call, const zw_msg *request)
{
    const peer_security *s = arg;
    char user_id[64];
    const char *refusal = judge (s, request, user_id, sizeof user_id);
    zw_msg *reply = zw_msg_new ();
    zw_msg_add_str (reply, "1.0");
    if (request->count > 1)
        zw_msg_add (reply, request->frames[1].data, request->frames[1].size);
    else
        zw_msg_add (reply, NULL, 0);
    zw_msg_add_str (reply, refusal ? "400" : "200");
    zw_msg_add_str (reply, refusal ? refusal : "OK");
    zw_msg_add_str (reply, refusal ? "" : user_id);     /* zap.reply.user-id-empty */
    zw_msg_add (reply, NULL, 0);
    if (refusal)
        fprintf (stderr, "zwire peer: ZAP: 400 for a %.*s client from %.*s: %s\n",
                 request->count > 5 ? (int) request->frames[5].size : 0,
                 request->count > 5 ? (const char *) request->frames[5].data : "",
                 request->count > 3 ? (int) request->frames[3].size : 0,
                 request->count > 3 ? (const char *) request->frames[3].data : "", refusal);
    zw_zap_call_reply (call, reply);
}

/* --- the socket --------------------------------------------------------------------------- */

static char *
read_file (const char *path)
{
    FILE *in = fopen (path, "r");
    if (!in)
        return NULL;
    size_t cap = 4096, len = 0;
    char *text = malloc (cap);
    size_t n;
    while (text && (n = fread (text + len, 1, cap - len - 1, in)) > 0)
        if ((len += n) + 1 == cap && !(text = realloc (text, cap *= 2)))
            break;
    fclose (in);
    if (text)
        text[len] = 0;
    return text;
}

static int
set_text (zw_socket *socket, zw_option option, const char *value, const char *what)
{
    if (!value || zw_socket_set_bytes (socket, option, value, strlen (value)) == 0)
        return 0;
    fprintf (stderr, "zwire peer: %s: %s\n", what, strerror (errno));
    return -1;
}

/* A server needs a policy, or to be told it has none (DECISIONS S5). */
static int
check_policy (const peer_security *s)
{
    if (s->zap_none)
        return 0;
    if (s->plain_server && !s->plain_users_file)
        return fprintf (stderr, "zwire peer: a PLAIN server needs --plain-users FILE "
                        "(or --zap-none to accept every client unchecked)\n"), -1;
    if (s->curve_server && !s->curve_allow_count && !s->curve_allow_any)
        return fprintf (stderr, "zwire peer: a CURVE server needs --curve-allow KEY or "
                        "--curve-allow-any (or --zap-none)\n"), -1;
    return 0;
}

int
peer_security_apply (zw_ctx *ctx, zw_socket *socket, peer_security *s)
{
    if (s->plain_server + s->curve_server + !!s->plain_user + !!s->curve_serverkey > 1)
        return fprintf (stderr, "zwire peer: choose one of --plain-server, --plain-user, "
                        "--curve-server, --curve-serverkey\n"), -1;
    if (check_policy (s))
        return -1;
    if (s->curve_server && !s->curve_secret)
        return fprintf (stderr, "zwire peer: --curve-server needs --curve-secret\n"), -1;
    if (s->plain_users_file && !(s->users = read_file (s->plain_users_file)))
        return fprintf (stderr, "zwire peer: cannot read %s: %s\n", s->plain_users_file,
                        strerror (errno)), -1;
    if (set_text (socket, ZW_OPT_CURVE_SECRETKEY, s->curve_secret,
                  "--curve-secret must be 40 Z85 characters")
    ||  set_text (socket, ZW_OPT_PLAIN_USERNAME, s->plain_user,
                  "--plain-user must be up to 255 VCHAR")
    ||  set_text (socket, ZW_OPT_PLAIN_PASSWORD, s->plain_password,
                  "--plain-password must be up to 255 VCHAR")
    ||  set_text (socket, ZW_OPT_CURVE_SERVERKEY, s->curve_serverkey,
                  "--curve-serverkey must be 40 Z85 characters")
    ||  set_text (socket, ZW_OPT_ZAP_DOMAIN, s->zap_domain,
                  "--zap-domain must be 1..255 ASCII"))
        return -1;
    if (s->plain_server)
        zw_socket_set_int (socket, ZW_OPT_PLAIN_SERVER, 1);
    if (s->curve_server)
        zw_socket_set_int (socket, ZW_OPT_CURVE_SERVER, 1);
    if (!s->zap_none)
        zw_ctx_set_zap_handler (ctx, peer_security_zap, s);
    return 0;
}

void
peer_security_print_auth (FILE *out, const zw_msg *msg)
{
    const zw_auth *auth = zw_msg_auth (msg);
    if (!auth)
        return;
    fprintf (out, "%s ", auth->mechanism);
    if (auth->user_id_size)
        fwrite (auth->user_id, 1, auth->user_id_size, out);
    else
        fputc ('-', out);
    fprintf (out, " %s | ", auth->has_public_key ? auth->public_key_z85 : "-");
}

void
peer_security_free (peer_security *s)
{
    free (s->users);
    s->users = NULL;
}
