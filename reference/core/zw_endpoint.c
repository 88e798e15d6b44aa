/*  zw_endpoint.c — the tcp and ipc transports of zw_endpoint.h: parsing
    endpoint text into a socket address (host names are resolved here, once,
    with the first address getaddrinfo gives), binding and listening,
    accepting, and starting and finishing non-blocking connects.  Every
    socket is made non-blocking and close-on-exec when it is created (no
    window for a fork to inherit it); tcp connections get TCP_NODELAY,
    since ZMTP frames are small and latency matters more than packing.
    Parse errors are explained by static strings, one per mistake.  */

/* accept4: a Linux call; the build may define this already. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "zw_endpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- parsing ---- */

/*  Transports ZeroMQ knows but zwire does not, so that the usual mistakes
    get a message that names them (why strings must be static).  */
static const char *
unknown_transport_why (const char *name, size_t len)
{
    static const struct {
        const char *name;
        const char *why;
    } known[] = {
        { "inproc", "unknown transport 'inproc' (tcp and ipc are supported)" },
        { "udp",    "unknown transport 'udp' (tcp and ipc are supported)" },
        { "pgm",    "unknown transport 'pgm' (tcp and ipc are supported)" },
        { "epgm",   "unknown transport 'epgm' (tcp and ipc are supported)" },
        { "tipc",   "unknown transport 'tipc' (tcp and ipc are supported)" },
        { "vmci",   "unknown transport 'vmci' (tcp and ipc are supported)" },
        { "norm",   "unknown transport 'norm' (tcp and ipc are supported)" },
        { "ws",     "unknown transport 'ws' (tcp and ipc are supported)" },
        { "wss",    "unknown transport 'wss' (tcp and ipc are supported)" },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen (known[i].name) == len && memcmp (known[i].name, name, len) == 0)
            return known[i].why;
    return "unknown transport (tcp and ipc are supported)";
}

/*  Reads a decimal port, "*" meaning 0.  Returns 0, or -1 with *why.  The
    bind-only rules are checked by the caller.  */
static int
parse_port (const char *text, unsigned *port, const char **why)
{
    if (*text == '\0') {
        *why = "missing port after ':' (e.g. tcp://127.0.0.1:5555)";
        return -1;
    }
    if (strcmp (text, "*") == 0) {
        *port = 0;
        return 0;
    }
    unsigned long value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9') {
            *why = "bad port: expected a decimal number (or '*' to bind any port)";
            return -1;
        }
        value = value * 10 + (unsigned long) (*p - '0');
        if (value > 65535) {
            *why = "port out of range (0 to 65535)";
            return -1;
        }
    }
    *port = (unsigned) value;
    return 0;
}

static int
looks_like_ipv4 (const char *host)
{
    return strspn (host, "0123456789.") == strlen (host);
}

/*  Letters, digits, '-', '_' and '.': anything else cannot be a host name,
    and is refused without asking a name server.  */
static int
looks_like_host_name (const char *host)
{
    return strspn (host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789-_.") == strlen (host);
}

static void
set_ipv4 (zw_endpoint *endpoint, struct in_addr address)
{
    struct sockaddr_in *sin = (struct sockaddr_in *) &endpoint->addr;
    sin->sin_family = AF_INET;
    sin->sin_addr = address;
    endpoint->addr_len = sizeof *sin;
}

/*  Resolves host (only a numeric address when numeric is set) to the first
    stream address getaddrinfo gives.  Returns 0, or -1.  */
static int
resolve (const char *host, int family, int numeric, zw_endpoint *endpoint)
{
    struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM };
    hints.ai_flags = numeric ? AI_NUMERICHOST : 0;
    struct addrinfo *result = NULL;
    if (getaddrinfo (host, NULL, &hints, &result) != 0 || !result)
        return -1;
    int fits = result->ai_addrlen <= sizeof endpoint->addr;
    if (fits) {
        memcpy (&endpoint->addr, result->ai_addr, result->ai_addrlen);
        endpoint->addr_len = result->ai_addrlen;
    }
    freeaddrinfo (result);
    return fits ? 0 : -1;
}

static int
is_wildcard_address (const zw_endpoint *endpoint)
{
    if (endpoint->addr.ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) &endpoint->addr;
        return sin->sin_addr.s_addr == htonl (INADDR_ANY);
    }
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) &endpoint->addr;
    return IN6_IS_ADDR_UNSPECIFIED (&sin6->sin6_addr);
}

static void
set_port (zw_endpoint *endpoint, unsigned port)
{
    if (endpoint->addr.ss_family == AF_INET)
        ((struct sockaddr_in *) &endpoint->addr)->sin_port = htons ((uint16_t) port);
    else
        ((struct sockaddr_in6 *) &endpoint->addr)->sin6_port = htons ((uint16_t) port);
}

/*  Fills in the address for host: "*", "[IPv6]", dotted IPv4 or a name.
    host is a copy the caller owns (brackets still on).  */
static int
parse_host (char *host, int for_bind, zw_endpoint *endpoint, const char **why)
{
    if (*host == '\0') {
        *why = "missing host before the port (e.g. tcp://127.0.0.1:5555)";
        return -1;
    }
    if (strcmp (host, "*") == 0)
        set_ipv4 (endpoint, (struct in_addr) { htonl (INADDR_ANY) });
    else if (*host == '[') {
        size_t len = strlen (host);
        host[len - 1] = '\0';       /* the caller found the ']' there */
        if (host[1] == '\0') {
            *why = "empty IPv6 address in brackets";
            return -1;
        }
        if (resolve (host + 1, AF_INET6, 1, endpoint) < 0) {
            *why = "bad IPv6 address in brackets (a host name cannot be bracketed)";
            return -1;
        }
    }
    else if (strchr (host, ':')) {
        *why = "an IPv6 address must be in brackets (e.g. tcp://[::1]:5555)";
        return -1;
    }
    else if (looks_like_ipv4 (host)) {
        /* inet_pton, unlike getaddrinfo, refuses the old forms like 127.1. */
        struct in_addr address;
        if (inet_pton (AF_INET, host, &address) != 1) {
            *why = "bad IPv4 address (expected four decimal numbers 0-255, e.g. 127.0.0.1)";
            return -1;
        }
        set_ipv4 (endpoint, address);
    }
    else if (!looks_like_host_name (host)) {
        *why = "bad host name (letters, digits, '-' and '.' only)";
        return -1;
    }
    else if (resolve (host, AF_UNSPEC, 0, endpoint) < 0) {
        *why = "unresolvable host name";
        return -1;
    }
    if (!for_bind && is_wildcard_address (endpoint)) {
        *why = "a wildcard host can only be bound (connect to a real address)";
        return -1;
    }
    return 0;
}

/* "host:port" or "[v6]:port" after "tcp://". */
static int
parse_tcp (const char *rest, int for_bind, zw_endpoint *endpoint, const char **why)
{
    char host[ZW_ENDPOINT_TEXT_MAX];
    const char *colon;
    if (*rest == '[') {
        const char *close = strchr (rest, ']');
        if (!close) {
            *why = "missing ']' after the IPv6 address";
            return -1;
        }
        if (close[1] != ':') {
            *why = close[1] ? "expected ':' and a port after ']'"
                            : "missing port (e.g. tcp://[::1]:5555)";
            return -1;
        }
        colon = close + 1;
    }
    else {
        colon = strrchr (rest, ':');
        if (!colon) {
            *why = "missing port (e.g. tcp://127.0.0.1:5555)";
            return -1;
        }
    }
    unsigned port;
    if (parse_port (colon + 1, &port, why) < 0)
        return -1;
    if (port == 0 && !for_bind) {
        *why = "port 0 or '*' can only be bound (connect to a real port)";
        return -1;
    }
    memcpy (host, rest, (size_t) (colon - rest));
    host[colon - rest] = '\0';
    if (parse_host (host, for_bind, endpoint, why) < 0)
        return -1;
    set_port (endpoint, port);
    return 0;
}

static int
parse_ipc (const char *path, zw_endpoint *endpoint, const char **why)
{
    struct sockaddr_un *un = (struct sockaddr_un *) &endpoint->addr;
    size_t len = strlen (path);
    if (len == 0) {
        *why = "empty ipc path (e.g. ipc:///tmp/zwire.sock)";
        return -1;
    }
    if (len >= sizeof un->sun_path) {
        *why = "ipc path too long (a Unix socket path holds at most 107 octets)";
        return -1;
    }
    un->sun_family = AF_UNIX;
    memcpy (un->sun_path, path, len + 1);
    endpoint->addr_len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + len + 1);
    return 0;
}

int
zw_endpoint_parse (const char *text, int for_bind, zw_endpoint *endpoint,
                   const char **why)
{
    const char *ignored;
    if (!why)
        why = &ignored;
    memset (endpoint, 0, sizeof *endpoint);
    if (!text || strlen (text) >= ZW_ENDPOINT_TEXT_MAX) {
        *why = text ? "endpoint text too long (at most 255 octets)" : "no endpoint given";
        return -1;
    }
    const char *sep = strstr (text, "://");
    if (!sep) {
        *why = "missing '://' after the transport (e.g. tcp://127.0.0.1:5555)";
        return -1;
    }
    size_t name_len = (size_t) (sep - text);
    int rc;
    if (name_len == 3 && memcmp (text, "tcp", 3) == 0) {
        endpoint->transport = ZW_TRANSPORT_TCP;
        rc = parse_tcp (sep + 3, for_bind, endpoint, why);
    }
    else if (name_len == 3 && memcmp (text, "ipc", 3) == 0) {
        endpoint->transport = ZW_TRANSPORT_IPC;
        rc = parse_ipc (sep + 3, endpoint, why);
    }
    else {
        *why = name_len ? unknown_transport_why (text, name_len)
                        : "missing transport before '://' (tcp or ipc)";
        rc = -1;
    }
    if (rc < 0) {
        memset (endpoint, 0, sizeof *endpoint);
        return -1;
    }
    strcpy (endpoint->text, text);
    return 0;
}

/* ---- addresses as text ---- */

/*  "127.0.0.1:50312" or "[::1]:50312"; "ipc" for a Unix-domain peer
    (whose address, if any, says nothing useful).  */
static void
format_address (const struct sockaddr *addr, socklen_t len, char *out, size_t cap)
{
    char host[NI_MAXHOST], port[NI_MAXSERV];
    if (!out || cap == 0)
        return;
    if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6) {
        snprintf (out, cap, "ipc");
        return;
    }
    if (getnameinfo (addr, len, host, sizeof host, port, sizeof port,
                     NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf (out, cap, "?");
        return;
    }
    snprintf (out, cap, addr->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
}

static void
format_bound (const zw_endpoint *endpoint, int fd, char *out, size_t cap)
{
    if (!out || cap == 0)
        return;
    if (endpoint->transport == ZW_TRANSPORT_IPC) {
        snprintf (out, cap, "ipc://%s", ((const struct sockaddr_un *) &endpoint->addr)->sun_path);
        return;
    }
    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    char text[ZW_ENDPOINT_TEXT_MAX];
    if (getsockname (fd, (struct sockaddr *) &bound, &len) < 0) {
        snprintf (out, cap, "%s", endpoint->text);     /* cannot happen once bound */
        return;
    }
    format_address ((const struct sockaddr *) &bound, len, text, sizeof text);
    snprintf (out, cap, "tcp://%s", text);
}

/* ---- sockets ---- */

static void
close_keeping_errno (int fd)
{
    int saved = errno;
    close (fd);
    errno = saved;
}

static int
set_int_option (int fd, int level, int name, int value)
{
    return setsockopt (fd, level, name, &value, sizeof value);
}

static int
new_socket (const zw_endpoint *endpoint)
{
    return socket (endpoint->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

/*  Makes way for binding an ipc path.  A socket file with nobody
    listening (connect is refused) was left by a dead process: remove it.
    If someone answers, fail with EADDRINUSE (that listener then accepts
    the probe as a connection closed at once, which any peer must survive);
    anything else, a regular file included, is left for bind to refuse.
    Another process could bind between the probe and the unlink; ipc gives
    no way to close that window.  */
static int
clear_stale_ipc (const zw_endpoint *endpoint)
{
    const char *path = ((const struct sockaddr_un *) &endpoint->addr)->sun_path;
    struct stat st;
    if (lstat (path, &st) < 0 || !S_ISSOCK (st.st_mode))
        return 0;
    int probe = new_socket (endpoint);
    if (probe < 0)
        return -1;
    int rc = connect (probe, (const struct sockaddr *) &endpoint->addr, endpoint->addr_len);
    int err = rc == 0 ? 0 : errno;
    close (probe);
    if (err == ECONNREFUSED) {
        if (unlink (path) < 0 && errno != ENOENT)
            return -1;
        return 0;
    }
    /* Connected, or queued (EAGAIN: a full backlog): someone listens. */
    if (err == 0 || err == EAGAIN || err == EINPROGRESS) {
        errno = EADDRINUSE;
        return -1;
    }
    return 0;
}

static int
prepare_listener (const zw_endpoint *endpoint, int fd)
{
    if (endpoint->transport == ZW_TRANSPORT_IPC)
        return clear_stale_ipc (endpoint);
    if (set_int_option (fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0)
        return -1;
    /* [::] means every interface, IPv4 ones too, whatever the system default. */
    if (endpoint->addr.ss_family == AF_INET6 && is_wildcard_address (endpoint))
        return set_int_option (fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
    return 0;
}

int
zw_endpoint_listen (const zw_endpoint *endpoint, int backlog, char *resolved, size_t cap)
{
    if (resolved && cap > 0)
        resolved[0] = '\0';
    int fd = new_socket (endpoint);
    if (fd < 0)
        return -1;
    if (prepare_listener (endpoint, fd) < 0
        || bind (fd, (const struct sockaddr *) &endpoint->addr, endpoint->addr_len) < 0) {
        close_keeping_errno (fd);
        return -1;
    }
    if (listen (fd, backlog) < 0) {
        int saved = errno;
        zw_endpoint_close_listener (endpoint, fd);
        errno = saved;
        return -1;
    }
    format_bound (endpoint, fd, resolved, cap);
    return fd;
}

static int
is_tcp_address (const struct sockaddr_storage *addr)
{
    return addr->ss_family == AF_INET || addr->ss_family == AF_INET6;
}

int
zw_endpoint_accept (int listen_fd, char *peer, size_t cap)
{
    struct sockaddr_storage addr;
    socklen_t len;
    int fd;
    do {
        memset (&addr, 0, sizeof addr);
        len = sizeof addr;
        fd = accept4 (listen_fd, (struct sockaddr *) &addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return -1;
    if (is_tcp_address (&addr) && set_int_option (fd, IPPROTO_TCP, TCP_NODELAY, 1) < 0) {
        close_keeping_errno (fd);
        return -1;
    }
    format_address ((const struct sockaddr *) &addr, len, peer, cap);
    return fd;
}

int
zw_endpoint_connect (const zw_endpoint *endpoint, int *in_progress)
{
    int later = 0;
    int fd = new_socket (endpoint);
    if (fd < 0)
        return -1;
    if (endpoint->transport == ZW_TRANSPORT_TCP
        && set_int_option (fd, IPPROTO_TCP, TCP_NODELAY, 1) < 0) {
        close_keeping_errno (fd);
        return -1;
    }
    if (connect (fd, (const struct sockaddr *) &endpoint->addr, endpoint->addr_len) < 0) {
        /* After EINTR the connect goes on in the background, as after EINPROGRESS. */
        if (errno != EINPROGRESS && errno != EINTR) {
            close_keeping_errno (fd);
            return -1;
        }
        later = 1;
    }
    if (in_progress)
        *in_progress = later;
    return fd;
}

int
zw_endpoint_connect_result (int fd)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        return errno;
    if (err)
        return err;
    /*  SO_ERROR is also 0 while the connect is still under way (the fd was
        not writable yet) and after its error was read once: do not call
        that success.  */
    struct sockaddr_storage peer;
    socklen_t peer_len = sizeof peer;
    if (getpeername (fd, (struct sockaddr *) &peer, &peer_len) < 0)
        return errno;
    return 0;
}

/*  Whether fd is bound to the endpoint's ipc path, so that removing the
    file cannot pull it from under another process's listener.  */
static int
bound_to_path (int fd, const zw_endpoint *endpoint)
{
    struct sockaddr_un bound;
    socklen_t len = sizeof bound;
    const char *path = ((const struct sockaddr_un *) &endpoint->addr)->sun_path;
    if (getsockname (fd, (struct sockaddr *) &bound, &len) < 0 || bound.sun_family != AF_UNIX)
        return 0;
    size_t room = len > offsetof (struct sockaddr_un, sun_path)
                ? len - offsetof (struct sockaddr_un, sun_path) : 0;
    return strnlen (bound.sun_path, room) == strlen (path)
        && memcmp (bound.sun_path, path, strlen (path)) == 0;
}

void
zw_endpoint_close_listener (const zw_endpoint *endpoint, int fd)
{
    if (fd < 0)
        return;
    if (endpoint->transport == ZW_TRANSPORT_IPC && bound_to_path (fd, endpoint))
        unlink (((const struct sockaddr_un *) &endpoint->addr)->sun_path);
    close (fd);
}
