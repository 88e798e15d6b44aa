/*  test_endpoint.c — unit tests of the transports (zw_endpoint.h): a table
    of endpoint texts that must parse (every form the header lists) or be
    refused with the right explanation; listening on tcp (IPv4, IPv6 when
    the machine has ::1, wildcards) and ipc, with the resolved text; a
    connect and accept round trip carrying data both ways, on sockets that
    must be non-blocking, close-on-exec and, for tcp, TCP_NODELAY; a refused
    connect reported by zw_endpoint_connect_result; and the ipc socket
    file rules: a stale file is replaced, a live listener or a regular file
    is not.  Uses loopback and a fresh temporary directory only.  Prints
    "N passed, N failed".  */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "zw_endpoint.h"

#include "test_check.h"

/* ---- parsing ---- */

struct parse_case {
    const char *text;
    int for_bind;
    int family;                 /* AF_INET, AF_INET6, AF_UNIX; 0: either IP family */
    int port;
    const char *why;            /* NULL: must parse; else a part of the explanation */
};

static const struct parse_case parse_cases[] = {
    /* The forms of zw_endpoint.h. */
    { "tcp://127.0.0.1:5555",        0, AF_INET,  5555, NULL },
    { "tcp://[::1]:5555",            0, AF_INET6, 5555, NULL },
    { "tcp://localhost:5555",        0, 0,        5555, NULL },
    { "tcp://*:5555",                1, AF_INET,  5555, NULL },
    { "tcp://[::]:5555",             1, AF_INET6, 5555, NULL },
    { "tcp://127.0.0.1:0",           1, AF_INET,  0,    NULL },
    { "tcp://127.0.0.1:*",           1, AF_INET,  0,    NULL },
    { "ipc:///tmp/zwire.sock",       0, AF_UNIX,  0,    NULL },
    { "ipc://zwire.sock",            1, AF_UNIX,  0,    NULL },
    /* Edges that are still fine. */
    { "tcp://*:*",                   1, AF_INET,  0,    NULL },
    { "tcp://127.0.0.1:65535",       0, AF_INET,  65535, NULL },
    { "tcp://127.0.0.1:1",           0, AF_INET,  1,    NULL },
    { "tcp://10.1.2.3:05555",        0, AF_INET,  5555, NULL },
    { "tcp://[::ffff:127.0.0.1]:80", 0, AF_INET6, 80,   NULL },
    { "tcp://localhost:5555",        1, 0,        5555, NULL },
    /* Transport and separator. */
    { "udp://127.0.0.1:5555",        0, 0, 0, "unknown transport 'udp' (tcp and ipc are supported)" },
    { "inproc://name",               0, 0, 0, "unknown transport 'inproc'" },
    { "foo://x",                     0, 0, 0, "unknown transport (tcp and ipc are supported)" },
    { "TCP://127.0.0.1:5555",        0, 0, 0, "unknown transport" },
    { "://127.0.0.1:5555",           0, 0, 0, "missing transport" },
    { "127.0.0.1:5555",              0, 0, 0, "missing '://'" },
    { "tcp:/127.0.0.1:5555",         0, 0, 0, "missing '://'" },
    { "",                            0, 0, 0, "missing '://'" },
    /* Ports. */
    { "tcp://127.0.0.1",             0, 0, 0, "missing port" },
    { "tcp://127.0.0.1:",            0, 0, 0, "missing port" },
    { "tcp://[::1]",                 0, 0, 0, "missing port" },
    { "tcp://127.0.0.1:55x",         0, 0, 0, "bad port" },
    { "tcp://127.0.0.1:-1",          0, 0, 0, "bad port" },
    { "tcp://127.0.0.1: 80",         0, 0, 0, "bad port" },
    { "tcp://127.0.0.1:**",          1, 0, 0, "bad port" },
    { "tcp://127.0.0.1:65536",       0, 0, 0, "port out of range" },
    { "tcp://127.0.0.1:99999999999999999999", 0, 0, 0, "port out of range" },
    { "tcp://127.0.0.1:0",           0, 0, 0, "can only be bound" },
    { "tcp://127.0.0.1:*",           0, 0, 0, "can only be bound" },
    /* Hosts. */
    { "tcp://:5555",                 0, 0, 0, "missing host" },
    { "tcp://*:5555",                0, 0, 0, "a wildcard host can only be bound" },
    { "tcp://[::]:5555",             0, 0, 0, "a wildcard host can only be bound" },
    { "tcp://0.0.0.0:5555",          0, 0, 0, "a wildcard host can only be bound" },
    { "tcp://256.1.1.1:5555",        0, 0, 0, "bad IPv4 address" },
    { "tcp://127.1:5555",            0, 0, 0, "bad IPv4 address" },
    { "tcp://::1:5555",              0, 0, 0, "must be in brackets" },
    { "tcp://[::1]5555",             0, 0, 0, "expected ':'" },
    { "tcp://[::1:5555",             0, 0, 0, "missing ']'" },
    { "tcp://[]:5555",               0, 0, 0, "empty IPv6 address" },
    { "tcp://[localhost]:5555",      0, 0, 0, "bad IPv6 address" },
    { "tcp://[1.2.3.4]:5555",        0, 0, 0, "bad IPv6 address" },
    { "tcp://bad host:5555",         0, 0, 0, "bad host name" },
    { "tcp://no-such-host.invalid:5555", 0, 0, 0, "unresolvable host" },
    /* ipc paths. */
    { "ipc://",                      0, 0, 0, "empty ipc path" },
};

static void
check_parse_case (const struct parse_case *c)
{
    zw_endpoint e;
    const char *why = NULL;
    int rc = zw_endpoint_parse (c->text, c->for_bind, &e, &why);
    if (c->why) {
        int ok = rc == -1 && why && strstr (why, c->why);
        CHECK (ok);
        if (!ok)
            fprintf (stderr, "  '%s' (bind %d): rc %d, why \"%s\", expected \"%s\"\n",
                     c->text, c->for_bind, rc, why ? why : "(none)", c->why);
        return;
    }
    int ok = rc == 0 && strcmp (e.text, c->text) == 0;
    if (ok && c->family == AF_UNIX)
        ok = e.transport == ZW_TRANSPORT_IPC && e.addr.ss_family == AF_UNIX
          && strcmp (((struct sockaddr_un *) &e.addr)->sun_path, c->text + 6) == 0;
    else if (ok) {
        int family = e.addr.ss_family;
        int port = family == AF_INET ? ntohs (((struct sockaddr_in *) &e.addr)->sin_port)
                 : family == AF_INET6 ? ntohs (((struct sockaddr_in6 *) &e.addr)->sin6_port) : -1;
        ok = e.transport == ZW_TRANSPORT_TCP && port == c->port
          && (c->family ? family == c->family : (family == AF_INET || family == AF_INET6))
          && e.addr_len == (family == AF_INET ? sizeof (struct sockaddr_in)
                                              : sizeof (struct sockaddr_in6));
    }
    CHECK (ok);
    if (!ok)
        fprintf (stderr, "  '%s' (bind %d): rc %d, why \"%s\"\n",
                 c->text, c->for_bind, rc, rc ? why : "");
}

static void
test_parse_table (void)
{
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++)
        check_parse_case (&parse_cases[i]);
}

static void
test_parse_lengths (void)
{
    zw_endpoint e;
    const char *why = NULL;
    char text[400];
    size_t max_path = sizeof ((struct sockaddr_un *) 0)->sun_path - 1;
    /* The longest ipc path a sockaddr_un holds, and one octet more. */
    memcpy (text, "ipc://", 6);
    memset (text + 6, 'p', max_path);
    text[6 + max_path] = '\0';
    CHECK (zw_endpoint_parse (text, 1, &e, &why) == 0);
    CHECK (e.addr_len == offsetof (struct sockaddr_un, sun_path) + max_path + 1);
    text[6 + max_path] = 'p';
    text[7 + max_path] = '\0';
    CHECK (zw_endpoint_parse (text, 1, &e, &why) == -1 && strstr (why, "ipc path too long"));
    /* The whole text must fit zw_endpoint.text. */
    memset (text + 6, 'p', sizeof text - 7);
    text[sizeof text - 1] = '\0';
    CHECK (zw_endpoint_parse (text, 1, &e, &why) == -1 && strstr (why, "endpoint text too long"));
    CHECK (zw_endpoint_parse (NULL, 1, &e, &why) == -1 && why != NULL);
    /* A failed parse leaves no half-filled endpoint behind. */
    CHECK (zw_endpoint_parse ("tcp://127.0.0.1:70000", 0, &e, &why) == -1);
    CHECK (e.transport == 0 && e.addr_len == 0 && e.text[0] == '\0');
}

/* ---- sockets ---- */

static int
wait_for (int fd, short events)
{
    struct pollfd p = { .fd = fd, .events = events };
    return poll (&p, 1, 2000) == 1 ? p.revents : 0;
}

static int
nonblocking_and_cloexec (int fd)
{
    return (fcntl (fd, F_GETFL) & O_NONBLOCK) && (fcntl (fd, F_GETFD) & FD_CLOEXEC);
}

static int
has_nodelay (int fd)
{
    int value = 0;
    socklen_t len = sizeof value;
    return getsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &value, &len) == 0 && value != 0;
}

static int
starts_with (const char *s, const char *prefix)
{
    return strncmp (s, prefix, strlen (prefix)) == 0;
}

/* Connects to text and returns the connected fd, or -1. */
static int
connect_to (const char *text)
{
    zw_endpoint e;
    const char *why;
    int in_progress = -1;
    if (zw_endpoint_parse (text, 0, &e, &why) < 0) {
        fprintf (stderr, "  cannot parse %s: %s\n", text, why);
        return -1;
    }
    int fd = zw_endpoint_connect (&e, &in_progress);
    CHECK (fd >= 0 && (in_progress == 0 || in_progress == 1));
    if (fd < 0)
        return -1;
    if (in_progress)
        CHECK (wait_for (fd, POLLOUT) & POLLOUT);
    CHECK (zw_endpoint_connect_result (fd) == 0);
    return fd;
}

/* Writes text on one socket and reads it back on the other. */
static int
carries (int from, int to, const char *text)
{
    char buf[64] = { 0 };
    size_t len = strlen (text);
    if (write (from, text, len) != (ssize_t) len || !(wait_for (to, POLLIN) & POLLIN))
        return 0;
    return read (to, buf, sizeof buf) == (ssize_t) len && memcmp (buf, text, len) == 0;
}

/*  Connects to a listener (through connect_text), accepts, and checks the
    peer text, the socket options and data in both directions.  */
static void
round_trip (int listener, const char *connect_text, const char *peer_prefix, int tcp)
{
    char peer[ZW_ENDPOINT_TEXT_MAX];
    int client = connect_to (connect_text);
    if (client < 0)
        return;
    CHECK (wait_for (listener, POLLIN) & POLLIN);
    int server = zw_endpoint_accept (listener, peer, sizeof peer);
    CHECK (server >= 0);
    if (server >= 0) {
        CHECK (starts_with (peer, peer_prefix));
        if (!starts_with (peer, peer_prefix))
            fprintf (stderr, "  peer '%s', expected '%s...'\n", peer, peer_prefix);
        CHECK (nonblocking_and_cloexec (client) && nonblocking_and_cloexec (server));
        if (tcp)
            CHECK (has_nodelay (client) && has_nodelay (server));
        CHECK (carries (client, server, "hello"));
        CHECK (carries (server, client, "world"));
        close (server);
    }
    close (client);
}

/* The port at the end of a resolved "tcp://host:port". */
static const char *
port_of (const char *resolved)
{
    const char *colon = strrchr (resolved, ':');
    return colon ? colon + 1 : "";
}

/*  Listens on bind_text, expects resolved text starting with
    resolved_prefix and a real port, then connects through connect_host.  */
static void
tcp_listen_and_connect (const char *bind_text, const char *resolved_prefix,
                        const char *connect_host, const char *peer_prefix)
{
    zw_endpoint e;
    const char *why;
    char resolved[ZW_ENDPOINT_TEXT_MAX], text[ZW_ENDPOINT_TEXT_MAX];
    CHECK (zw_endpoint_parse (bind_text, 1, &e, &why) == 0);
    int listener = zw_endpoint_listen (&e, 16, resolved, sizeof resolved);
    CHECK (listener >= 0);
    if (listener < 0) {
        fprintf (stderr, "  listen %s: %s\n", bind_text, strerror (errno));
        return;
    }
    CHECK (nonblocking_and_cloexec (listener));
    CHECK (starts_with (resolved, resolved_prefix) && atoi (port_of (resolved)) > 0);
    if (!starts_with (resolved, resolved_prefix))
        fprintf (stderr, "  resolved '%s', expected '%s...'\n", resolved, resolved_prefix);
    /* The resolved text is an endpoint one can connect to (wildcards aside). */
    snprintf (text, sizeof text, "tcp://%s:%s", connect_host, port_of (resolved));
    round_trip (listener, text, peer_prefix, 1);
    /* Nobody else is waiting. */
    char peer[ZW_ENDPOINT_TEXT_MAX];
    errno = 0;
    CHECK (zw_endpoint_accept (listener, peer, sizeof peer) == -1 && errno == EAGAIN);
    zw_endpoint_close_listener (&e, listener);
}

static int
has_ipv6_loopback (void)
{
    struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int fd = socket (AF_INET6, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    int ok = bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
    close (fd);
    return ok;
}

static void
test_tcp (void)
{
    tcp_listen_and_connect ("tcp://127.0.0.1:0", "tcp://127.0.0.1:", "127.0.0.1", "127.0.0.1:");
    tcp_listen_and_connect ("tcp://127.0.0.1:*", "tcp://127.0.0.1:", "127.0.0.1", "127.0.0.1:");
    tcp_listen_and_connect ("tcp://*:0", "tcp://0.0.0.0:", "127.0.0.1", "127.0.0.1:");
    if (!has_ipv6_loopback ()) {
        printf ("test-endpoint: no IPv6 loopback, IPv6 cases skipped\n");
        return;
    }
    tcp_listen_and_connect ("tcp://[::1]:0", "tcp://[::1]:", "[::1]", "[::1]:");
    /* [::] takes IPv4 connections too, seen as IPv4-mapped addresses. */
    tcp_listen_and_connect ("tcp://[::]:0", "tcp://[::]:", "[::1]", "[::1]:");
    tcp_listen_and_connect ("tcp://[::]:0", "tcp://[::]:", "127.0.0.1", "[::ffff:127.0.0.1]:");
}

static void
test_resolved_is_truncated_safely (void)
{
    zw_endpoint e;
    const char *why;
    char small[10];
    memset (small, 'x', sizeof small);
    CHECK (zw_endpoint_parse ("tcp://127.0.0.1:0", 1, &e, &why) == 0);
    int listener = zw_endpoint_listen (&e, 1, small, sizeof small);
    CHECK (listener >= 0 && strcmp (small, "tcp://127") == 0);
    zw_endpoint_close_listener (&e, listener);
}

static void
test_tcp_refused (void)
{
    /* A bound but not listening socket holds a port nobody accepts on. */
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    int holder = socket (AF_INET, SOCK_STREAM, 0);
    CHECK (holder >= 0 && bind (holder, (struct sockaddr *) &addr, sizeof addr) == 0);
    CHECK (getsockname (holder, (struct sockaddr *) &addr, &len) == 0);
    char text[64];
    snprintf (text, sizeof text, "tcp://127.0.0.1:%d", ntohs (addr.sin_port));
    zw_endpoint e;
    const char *why;
    int in_progress = -1;
    CHECK (zw_endpoint_parse (text, 0, &e, &why) == 0);
    errno = 0;
    int fd = zw_endpoint_connect (&e, &in_progress);
    if (fd < 0)
        CHECK (errno == ECONNREFUSED);      /* allowed to fail at once */
    else {
        CHECK (in_progress == 1);
        CHECK (wait_for (fd, POLLOUT) != 0);
        CHECK (zw_endpoint_connect_result (fd) == ECONNREFUSED);
        close (fd);
    }
    close (holder);
    /* A socket that never connected is not reported connected. */
    fd = socket (AF_INET, SOCK_STREAM, 0);
    CHECK (fd >= 0 && zw_endpoint_connect_result (fd) == ENOTCONN);
    close (fd);
}

/* ---- ipc ---- */

static char tmp_dir[] = "/tmp/zwire-test-endpoint-XXXXXX";

static void
ipc_text (char *text, size_t cap, const char *name)
{
    snprintf (text, cap, "ipc://%s/%s", tmp_dir, name);
}

static int
is_socket_file (const char *path)
{
    struct stat st;
    return lstat (path, &st) == 0 && S_ISSOCK (st.st_mode);
}

/* Listens on ipc text; returns the fd, or -1 with errno. */
static int
ipc_listen (const char *text, zw_endpoint *e, char *resolved, size_t cap)
{
    const char *why;
    CHECK (zw_endpoint_parse (text, 1, e, &why) == 0);
    return zw_endpoint_listen (e, 16, resolved, cap);
}

static void
test_ipc_round_trip (void)
{
    char text[ZW_ENDPOINT_TEXT_MAX], resolved[ZW_ENDPOINT_TEXT_MAX];
    zw_endpoint e;
    ipc_text (text, sizeof text, "live.sock");
    int listener = ipc_listen (text, &e, resolved, sizeof resolved);
    CHECK (listener >= 0 && strcmp (resolved, text) == 0);
    if (listener < 0)
        return;
    CHECK (nonblocking_and_cloexec (listener));
    CHECK (is_socket_file (text + 6));
    round_trip (listener, resolved, "ipc", 0);
    zw_endpoint_close_listener (&e, listener);
    CHECK (!is_socket_file (text + 6) && errno == ENOENT);
}

static void
test_ipc_stale_file_removed (void)
{
    char text[ZW_ENDPOINT_TEXT_MAX];
    zw_endpoint e;
    ipc_text (text, sizeof text, "stale.sock");
    /* A listener that died without removing its file. */
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    CHECK (strlen (text + 6) < sizeof addr.sun_path);
    memcpy (addr.sun_path, text + 6, strlen (text + 6) + 1);
    int dead = socket (AF_UNIX, SOCK_STREAM, 0);
    CHECK (dead >= 0 && bind (dead, (struct sockaddr *) &addr, sizeof addr) == 0);
    CHECK (listen (dead, 1) == 0);
    close (dead);
    CHECK (is_socket_file (text + 6));
    int listener = ipc_listen (text, &e, NULL, 0);
    CHECK (listener >= 0);
    if (listener < 0) {
        fprintf (stderr, "  listen %s: %s\n", text, strerror (errno));
        unlink (text + 6);
        return;
    }
    round_trip (listener, text, "ipc", 0);
    zw_endpoint_close_listener (&e, listener);
    CHECK (!is_socket_file (text + 6));
}

static void
test_ipc_in_use (void)
{
    char text[ZW_ENDPOINT_TEXT_MAX];
    zw_endpoint first, second;
    ipc_text (text, sizeof text, "busy.sock");
    int listener = ipc_listen (text, &first, NULL, 0);
    CHECK (listener >= 0);
    if (listener < 0)
        return;
    errno = 0;
    CHECK (ipc_listen (text, &second, NULL, 0) == -1 && errno == EADDRINUSE);
    /* The live listener kept its file; it saw the probe come and go. */
    CHECK (is_socket_file (text + 6));
    char peer[ZW_ENDPOINT_TEXT_MAX], c;
    CHECK (wait_for (listener, POLLIN) & POLLIN);
    int probe = zw_endpoint_accept (listener, peer, sizeof peer);
    CHECK (probe >= 0 && wait_for (probe, POLLIN) && read (probe, &c, 1) == 0);
    if (probe >= 0)
        close (probe);
    round_trip (listener, text, "ipc", 0);
    /* Closing a listener that was never opened must not remove its file. */
    zw_endpoint_close_listener (&second, -1);
    CHECK (is_socket_file (text + 6));
    zw_endpoint_close_listener (&first, listener);
    CHECK (!is_socket_file (text + 6));
}

static void
test_ipc_regular_file_kept (void)
{
    char text[ZW_ENDPOINT_TEXT_MAX];
    zw_endpoint e;
    struct stat st;
    ipc_text (text, sizeof text, "plain-file");
    FILE *f = fopen (text + 6, "w");
    CHECK (f != NULL);
    if (!f)
        return;
    fclose (f);
    errno = 0;
    CHECK (ipc_listen (text, &e, NULL, 0) == -1 && errno == EADDRINUSE);
    CHECK (lstat (text + 6, &st) == 0 && S_ISREG (st.st_mode));
    unlink (text + 6);
}

static void
test_ipc_refused (void)
{
    char text[ZW_ENDPOINT_TEXT_MAX];
    zw_endpoint e;
    const char *why;
    int in_progress;
    ipc_text (text, sizeof text, "nobody.sock");
    CHECK (zw_endpoint_parse (text, 0, &e, &why) == 0);
    errno = 0;
    CHECK (zw_endpoint_connect (&e, &in_progress) == -1 && errno == ENOENT);
}

static void
test_ipc (void)
{
    if (!mkdtemp (tmp_dir)) {
        failed++;
        fprintf (stderr, "mkdtemp: %s\n", strerror (errno));
        return;
    }
    test_ipc_round_trip ();
    test_ipc_stale_file_removed ();
    test_ipc_in_use ();
    test_ipc_regular_file_kept ();
    test_ipc_refused ();
    CHECK (rmdir (tmp_dir) == 0);       /* every test cleaned up after itself */
}

int
main (void)
{
    /* A failed check may write to a closed socket: report it, do not die. */
    signal (SIGPIPE, SIG_IGN);
    test_parse_table ();
    test_parse_lengths ();
    test_tcp ();
    test_resolved_is_truncated_safely ();
    test_tcp_refused ();
    test_ipc ();
    printf ("test-endpoint: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
