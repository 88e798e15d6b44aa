/*  zw_endpoint.h — the tcp and ipc transports of the reference peer:
    endpoint text, listening, accepting and non-blocking connecting.

    Endpoints are written as in ZeroMQ (the list below is in line comments,
    as a wildcard endpoint would end a block comment):  */
//    tcp://127.0.0.1:5555      IPv4 address and port
//    tcp://[::1]:5555          IPv6 address in brackets
//    tcp://localhost:5555      a host name (resolved at parse time)
//    tcp://*:5555              bind only: every IPv4 interface
//    tcp://[::]:5555           bind only: every interface, IPv6 and IPv4
//    tcp://127.0.0.1:0         bind only: the system picks the port
//    tcp://127.0.0.1:*         the same (ZeroMQ's spelling)
//    ipc:///tmp/zwire.sock     a Unix-domain stream socket (absolute or relative path)
/*  Every socket returned is non-blocking and close-on-exec; tcp sockets
    have TCP_NODELAY.  Nothing here allocates memory (getaddrinfo does, and
    frees it before returning).  */

#ifndef ZW_ENDPOINT_H
#define ZW_ENDPOINT_H

#include <stddef.h>
#include <sys/socket.h>

#define ZW_ENDPOINT_TEXT_MAX 256

typedef enum {
    ZW_TRANSPORT_TCP = 1,
    ZW_TRANSPORT_IPC = 2
} zw_transport;

typedef struct {
    zw_transport transport;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    char text[ZW_ENDPOINT_TEXT_MAX];    /* the text as given */
} zw_endpoint;

/*  Parses endpoint text.  for_bind allows the '*' host and the port 0 or
    '*'.  Returns 0, or -1 with a static explanation in *why (e.g. "unknown
    transport 'udp' (tcp and ipc are supported)", "port out of range",
    "a wildcard host can only be bound").  */
int zw_endpoint_parse (const char *text, int for_bind, zw_endpoint *endpoint,
                       const char **why);

/*  Creates a listening socket bound to the endpoint (SO_REUSEADDR for tcp;
    for ipc, a stale socket file left by a dead process is removed first).
    Writes the endpoint actually bound into resolved (cap octets, always
    NUL-terminated): the real port when 0 or '*' was asked for, e.g.
    "tcp://127.0.0.1:43117" or "tcp://0.0.0.0:43117".  Returns the fd, or
    -1 with errno.  */
int zw_endpoint_listen (const zw_endpoint *endpoint, int backlog, char *resolved, size_t cap);

/*  Accepts one connection.  Writes the remote address as text into peer
    ("127.0.0.1:50312", "[::1]:50312", or "ipc" for ipc).  Returns the fd,
    or -1 with errno (EAGAIN when none is waiting).  */
int zw_endpoint_accept (int listen_fd, char *peer, size_t cap);

/*  Starts a non-blocking connect.  Returns the fd, or -1 with errno for an
    immediate failure.  *in_progress is 1 when the result comes later: wait
    for the fd to be writable, then call zw_endpoint_connect_result.  */
int zw_endpoint_connect (const zw_endpoint *endpoint, int *in_progress);

/* 0 once a started connect has succeeded, or the errno it failed with. */
int zw_endpoint_connect_result (int fd);

/*  Closes a listening socket; for ipc also removes the socket file it
    created (endpoint is the one it was bound with).  */
void zw_endpoint_close_listener (const zw_endpoint *endpoint, int fd);

#endif
