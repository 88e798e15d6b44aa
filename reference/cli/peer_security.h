/*  peer_security.h — `zwire peer`'s security options: the mechanism and
    role of its socket (PLAIN, CURVE; 24/ZMTP-PLAIN, 25/ZMTP-CURVE) and
    its ZAP policy (27/ZAP): allow and deny lists of addresses, a PLAIN
    password file, the CURVE client keys it accepts.  The policy is an
    in-process ZAP handler (DECISIONS S2) that answers 200 or 400 and logs
    why; a PLAIN or CURVE server never starts without one unless told
    --zap-none (S5).  */

#ifndef PEER_SECURITY_H
#define PEER_SECURITY_H

#include <stdio.h>
#include "zwire.h"

#define PEER_LIST_MAX 64

typedef struct {
    int plain_server, curve_server, zap_none, curve_allow_any, print_auth;
    const char *plain_user, *plain_password, *plain_users_file;
    const char *curve_secret, *curve_public, *curve_serverkey;
    const char *zap_domain;
    const char *allow[PEER_LIST_MAX], *deny[PEER_LIST_MAX], *curve_allow[PEER_LIST_MAX];
    int allow_count, deny_count, curve_allow_count;
    /* the PLAIN password file, loaded: "user:password" lines */
    char *users;
} peer_security;

/* Their part of --help. */
void peer_security_usage (FILE *out);

/* One option at argv[*i]: 1 taken, 0 not a security option, -1 bad value (said on stderr). */
int peer_security_option (int argc, char **argv, int *i, peer_security *s);

/*  Sets the socket's mechanism and keys and installs the ZAP policy on
    ctx; 0, or -1 with the reason on stderr (a bad key, a server without a
    policy, an unreadable password file).  */
int peer_security_apply (zw_ctx *ctx, zw_socket *socket, peer_security *s);

/*  The policy as a ZAP handler (zw_zap_handler_fn, arg the peer_security):
    a 400 for a denied or unlisted address, wrong PLAIN credentials or an
    unknown CURVE key, else a 200 whose user id is the PLAIN user name or
    the CURVE key in Z85.  Used by peer_security_apply, and by `zwire
    adapter` for the contract's "zap" option (conformance/ADAPTER.md).  */
void peer_security_zap (void *arg, zw_zap_call *call, const zw_msg *request);

/* What --print-auth puts before a message: "MECHANISM USER-ID KEY | ". */
void peer_security_print_auth (FILE *out, const zw_msg *msg);

void peer_security_free (peer_security *s);

#endif
