/*  mdp_loadgen.c — the load generator of `zwire bench mdp`: N clients and M
    echo workers on libzmq, through one broker, for a fixed time.

      mdp-loadgen --endpoint EP --protocol mdp|plain --clients N --workers M
                  [--size 1024] [--seconds 2] [--warmup 0.5] [--service echo]
                  [--timeout 120]

    Both ends of every round trip are here, the broker is the other
    process at EP: the reference broker (`zwire mdp broker`, --protocol
    mdp) or the baseline (`mdp-lru`, --protocol plain).  Only the framing
    differs between the two protocols; the threads, the sockets, the
    copies and the clock are the same, so only the broker differs.

    Threads.  One libzmq context for the workers and one for the clients
    (one I/O thread each); a thread per worker and per client, each with
    its own DEALER connected to EP.  The workers connect first.

    A worker announces itself (MDP: READY ["", "MDPW01", 0x01, service];
    plain: ["R"]), then echoes every request: MDP REQUEST ["", "MDPW01",
    0x02, client, "", body] is answered with REPLY ["", "MDPW01", 0x03,
    client, "", body]; plain ["Q", client, body] with ["P", client, body].
    The frames received are sent back as they are (zmq_msg_send: no copy),
    only the command frame is new.  An MDP HEARTBEAT is answered with one
    (the benchmark runs the broker with heartbeats far apart, so none
    comes); DISCONNECT ends the worker.

    A client makes synchronous round trips: it copies the body (size
    octets) into a new request (zmq_send, as an application does), sends
    it (MDP: ["", "MDPC01", service, body]; plain: ["Q", body]), waits for
    the whole reply (MDP: ["", "MDPC01", service, body]; plain: ["P",
    body]), checks the body's size, and sends the next.  A round trip is
    timed from just before the send to the return of the last frame.

    Timing.  The window opens `warmup` seconds after the clients start and
    lasts `seconds`; a round trip counts (and its time is a sample) if it
    ends inside the window; a client sends no request after the window.
    round_trips_per_s = round trips counted / seconds; p50 and p99 by
    nearest rank over every client's samples.  all_round_trips counts the
    round trips of the whole run, warm-up included (to divide the broker's
    CPU time by).  A client whose reply does not come within 10 s stops
    and is counted in lost; the process kills itself after --timeout
    seconds (SIGALRM).

    Output: one JSON line on stdout,
      {"bench":"mdp-loadgen","protocol":P,"clients":N,"workers":M,"size":S,
       "seconds":s,"round_trips":n,"round_trips_per_s":x,"p50_us":a,
       "p99_us":b,"mean_us":c,"max_us":d,"all_round_trips":t,"lost":l,
       "bad_replies":e}
    Exit 0, or 1 if a client lost a reply or got a bad one, or nothing was
    measured.  */

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define FRAMES_MAX 16
#define REPLY_TIMEOUT_MS 10000

typedef enum { PROTOCOL_MDP, PROTOCOL_PLAIN } protocol;

typedef struct {
    const char *endpoint;
    protocol proto;
    unsigned clients, workers;
    size_t size;
    double seconds, warmup;
    const char *service;
    unsigned timeout_s;
} options;

typedef struct {
    const options *opts;
    void *ctx;
    uint64_t window_start, window_end;      /* ns, CLOCK_MONOTONIC */
    uint64_t *samples;                      /* round-trip times in the window, ns */
    size_t count, capacity;
    uint64_t all;                           /* round trips of the whole run */
    int lost, bad;
    int failed;                             /* socket trouble */
} client_state;

typedef struct {
    const options *opts;
    void *ctx;
    int failed;
} worker_state;

static uint64_t
now_ns (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static void *
open_dealer (void *ctx, const char *endpoint, int rcvtimeo)
{
    void *socket = zmq_socket (ctx, ZMQ_DEALER);
    int linger = 0;
    if (!socket)
        return NULL;
    if (zmq_setsockopt (socket, ZMQ_LINGER, &linger, sizeof linger)
    ||  (rcvtimeo >= 0 && zmq_setsockopt (socket, ZMQ_RCVTIMEO, &rcvtimeo, sizeof rcvtimeo))
    ||  zmq_connect (socket, endpoint)) {
        zmq_close (socket);
        return NULL;
    }
    return socket;
}

/* Sends size octets at data as one frame; more: another frame follows. */
static int
send_frame (void *socket, const void *data, size_t size, int more)
{
    return zmq_send (socket, data, size, more ? ZMQ_SNDMORE : 0) < 0 ? -1 : 0;
}

/*  Receives one whole message into frames (initialised here); returns the
    number of frames, or -1 (errno; nothing left to close).  Frames past
    FRAMES_MAX are received and dropped, and the count is FRAMES_MAX + 1.  */
static int
recv_message (void *socket, zmq_msg_t *frames)
{
    int count = 0, more = 1;
    while (more) {
        zmq_msg_t *frame = &frames[count < FRAMES_MAX ? count : FRAMES_MAX];
        zmq_msg_init (frame);
        if (zmq_msg_recv (frame, socket, 0) < 0) {
            int saved = errno;
            zmq_msg_close (frame);
            for (int i = 0; i < count && i < FRAMES_MAX; i++)
                zmq_msg_close (&frames[i]);
            errno = saved;
            return -1;
        }
        more = zmq_msg_more (frame);
        if (count >= FRAMES_MAX)
            zmq_msg_close (frame);      /* the spare slot */
        count += count <= FRAMES_MAX;
    }
    return count;
}

static void
close_frames (zmq_msg_t *frames, int count)
{
    for (int i = 0; i < count && i < FRAMES_MAX; i++)
        zmq_msg_close (&frames[i]);
}

/* Sends frames[from..count) as the rest of a message (zero copy), closing every frame. */
static int
send_rest (void *socket, zmq_msg_t *frames, int from, int count)
{
    int rc = 0;
    for (int i = from; i < count; i++)
        if (rc == 0 && zmq_msg_send (&frames[i], socket, i + 1 < count ? ZMQ_SNDMORE : 0) < 0)
            rc = -1;
    close_frames (frames, count);      /* a sent frame is empty now: closing it is harmless */
    return rc;
}

/* --- the workers ------------------------------------------------------------------------ */

static int
announce (void *socket, const options *o)
{
    if (o->proto == PROTOCOL_PLAIN)
        return send_frame (socket, "R", 1, 0);
    static const uint8_t ready = 0x01;
    return send_frame (socket, "", 0, 1) || send_frame (socket, "MDPW01", 6, 1)
        || send_frame (socket, &ready, 1, 1)
        || send_frame (socket, o->service, strlen (o->service), 0);
}

/*  One message to a worker: echoes a request; 1 to go on, 0 to stop
    (DISCONNECT), -1 on a socket error.  Anything else is dropped.  */
static int
serve (void *socket, const options *o, zmq_msg_t *frames, int count)
{
    if (count > FRAMES_MAX) {
        close_frames (frames, count);
        return 1;
    }
    if (o->proto == PROTOCOL_PLAIN) {
        /* ["Q", client, body...] -> ["P", client, body...] */
        if (count >= 3 && zmq_msg_size (&frames[0]) == 1
        &&  *(const char *) zmq_msg_data (&frames[0]) == 'Q') {
            close_frames (frames, 1);
            if (send_frame (socket, "P", 1, 1))
                return close_frames (frames + 1, count - 1), -1;
            return send_rest (socket, frames, 1, count) ? -1 : 1;
        }
        close_frames (frames, count);
        return 1;
    }
    /* ["", "MDPW01", command, ...] */
    uint8_t command = count >= 3 && zmq_msg_size (&frames[2]) == 1
                    ? *(const uint8_t *) zmq_msg_data (&frames[2]) : 0;
    if (command == 0x02 && count >= 6) {        /* REQUEST [.., client, "", body...] */
        static const uint8_t reply = 0x03;
        close_frames (frames, 3);
        if (send_frame (socket, "", 0, 1) || send_frame (socket, "MDPW01", 6, 1)
        ||  send_frame (socket, &reply, 1, 1))
            return close_frames (frames + 3, count - 3), -1;
        return send_rest (socket, frames, 3, count) ? -1 : 1;
    }
    close_frames (frames, count);
    if (command == 0x04) {                      /* HEARTBEAT: answered */
        static const uint8_t heartbeat = 0x04;
        return send_frame (socket, "", 0, 1) || send_frame (socket, "MDPW01", 6, 1)
            || send_frame (socket, &heartbeat, 1, 0) ? -1 : 1;
    }
    return command == 0x05 ? 0 : 1;             /* DISCONNECT: stop */
}

static void *
worker_main (void *arg)
{
    worker_state *w = arg;
    void *socket = open_dealer (w->ctx, w->opts->endpoint, -1);
    if (!socket || announce (socket, w->opts)) {
        w->failed = 1;
        if (socket)
            zmq_close (socket);
        return NULL;
    }
    zmq_msg_t frames[FRAMES_MAX + 1];
    for (;;) {
        int count = recv_message (socket, frames);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            break;                              /* ETERM: the run is over */
        }
        int r = serve (socket, w->opts, frames, count);
        if (r <= 0) {
            if (r < 0 && errno != ETERM)
                w->failed = 1;
            break;
        }
    }
    zmq_close (socket);
    return NULL;
}

/* --- the clients -------------------------------------------------------------------------- */

static int
send_request (void *socket, const options *o, const uint8_t *body)
{
    if (o->proto == PROTOCOL_PLAIN)
        return send_frame (socket, "Q", 1, 1) || send_frame (socket, body, o->size, 0);
    return send_frame (socket, "", 0, 1) || send_frame (socket, "MDPC01", 6, 1)
        || send_frame (socket, o->service, strlen (o->service), 1)
        || send_frame (socket, body, o->size, 0);
}

/* 1 if frames (count of them) are the reply to a request of o. */
static int
good_reply (const options *o, zmq_msg_t *frames, int count)
{
    int want = o->proto == PROTOCOL_PLAIN ? 2 : 4;
    return count == want && zmq_msg_size (&frames[count - 1]) == o->size;
}

static int
keep_sample (client_state *c, uint64_t ns)
{
    if (c->count == c->capacity) {
        size_t capacity = c->capacity ? c->capacity * 2 : 4096;
        uint64_t *grown = realloc (c->samples, capacity * sizeof *grown);
        if (!grown)
            return -1;
        c->samples = grown;
        c->capacity = capacity;
    }
    c->samples[c->count++] = ns;
    return 0;
}

static void *
client_main (void *arg)
{
    client_state *c = arg;
    const options *o = c->opts;
    uint8_t *body = malloc (o->size ? o->size : 1);
    void *socket = open_dealer (c->ctx, o->endpoint, REPLY_TIMEOUT_MS);
    if (!socket || !body) {
        c->failed = 1;
        free (body);
        if (socket)
            zmq_close (socket);
        return NULL;
    }
    for (size_t i = 0; i < o->size; i++)
        body[i] = (uint8_t) i;
    zmq_msg_t frames[FRAMES_MAX + 1];
    for (;;) {
        uint64_t start = now_ns ();
        if (start >= c->window_end)
            break;
        if (send_request (socket, o, body)) {
            c->failed = 1;
            break;
        }
        int count = recv_message (socket, frames);
        uint64_t end = now_ns ();
        if (count < 0) {
            if (errno == EAGAIN)
                c->lost++;
            else
                c->failed = 1;
            break;
        }
        int good = good_reply (o, frames, count);
        close_frames (frames, count);
        if (!good) {
            c->bad++;
            break;
        }
        c->all++;
        if (end >= c->window_start && end <= c->window_end && keep_sample (c, end - start)) {
            c->failed = 1;
            break;
        }
    }
    zmq_close (socket);
    free (body);
    return NULL;
}

/* --- the run ------------------------------------------------------------------------------- */

static int
compare_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

static double
percentile_us (const uint64_t *sorted, size_t count, unsigned p)
{
    size_t rank = (p * count + 99) / 100;       /* nearest rank: ceil (p / 100 * count) */
    return count ? (double) sorted[(rank ? rank : 1) - 1] / 1e3 : 0;
}

static void
usage (FILE *out)
{
    fputs ("Usage: mdp-loadgen --endpoint EP --protocol mdp|plain --clients N --workers M\n"
           "                   [--size 1024] [--seconds 2] [--warmup 0.5] [--service echo]\n"
           "                   [--timeout 120]\n"
           "\n"
           "N clients making synchronous round trips of SIZE-octet bodies and M echo\n"
           "workers, all DEALER sockets on libzmq, through the broker at EP: MDP 0.1\n"
           "(the reference broker) or the plain framing of mdp-lru (the baseline).\n"
           "Prints one JSON line: round trips a second in the window, p50 and p99 (us).\n"
           "`zwire bench mdp` runs it; reference/bench/README.md says how it measures.\n",
           out);
}

static int
number (const char *text, double low, double high, double *out)
{
    char *end;
    errno = 0;
    double v = strtod (text, &end);
    if (errno || end == text || *end || !(v >= low && v <= high))
        return 0;
    *out = v;
    return 1;
}

static int
parse (int argc, char **argv, options *o)
{
    *o = (options) { NULL, PROTOCOL_MDP, 0, 0, 1024, 2.0, 0.5, "echo", 120 };
    int have_protocol = 0;
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        double v;
        if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0) {
            usage (stdout);
            exit (0);
        }
        if (i + 1 >= argc) {
            fprintf (stderr, "mdp-loadgen: %s: missing value (--help)\n", name);
            return -1;
        }
        const char *value = argv[++i];
        if (strcmp (name, "--endpoint") == 0)
            o->endpoint = value;
        else if (strcmp (name, "--service") == 0)
            o->service = value;
        else if (strcmp (name, "--protocol") == 0 && strcmp (value, "mdp") == 0)
            o->proto = PROTOCOL_MDP, have_protocol = 1;
        else if (strcmp (name, "--protocol") == 0 && strcmp (value, "plain") == 0)
            o->proto = PROTOCOL_PLAIN, have_protocol = 1;
        else if (strcmp (name, "--clients") == 0 && number (value, 1, 1000, &v))
            o->clients = (unsigned) v;
        else if (strcmp (name, "--workers") == 0 && number (value, 1, 1000, &v))
            o->workers = (unsigned) v;
        else if (strcmp (name, "--size") == 0 && number (value, 0, 64 << 20, &v))
            o->size = (size_t) v;
        else if (strcmp (name, "--seconds") == 0 && number (value, 0.01, 3600, &v))
            o->seconds = v;
        else if (strcmp (name, "--warmup") == 0 && number (value, 0, 3600, &v))
            o->warmup = v;
        else if (strcmp (name, "--timeout") == 0 && number (value, 1, 86400, &v))
            o->timeout_s = (unsigned) v;
        else {
            fprintf (stderr, "mdp-loadgen: bad option or value: %s %s (--help)\n", name, value);
            return -1;
        }
    }
    if (!o->endpoint || !have_protocol || !o->clients || !o->workers) {
        fprintf (stderr, "mdp-loadgen: --endpoint, --protocol, --clients and --workers are needed\n");
        return -1;
    }
    return 0;
}

int
main (int argc, char **argv)
{
    options o;
    if (parse (argc, argv, &o))
        return 3;
    alarm (o.timeout_s);                        /* the watchdog: SIGALRM ends the process */
    void *worker_ctx = zmq_ctx_new (), *client_ctx = zmq_ctx_new ();
    worker_state *workers = calloc (o.workers, sizeof *workers);
    client_state *clients = calloc (o.clients, sizeof *clients);
    pthread_t *worker_threads = calloc (o.workers, sizeof *worker_threads);
    pthread_t *client_threads = calloc (o.clients, sizeof *client_threads);
    if (!worker_ctx || !client_ctx || !workers || !clients || !worker_threads || !client_threads) {
        fprintf (stderr, "mdp-loadgen: out of memory\n");
        return 1;
    }
    int rc = 0;
    unsigned started_workers = 0, started_clients = 0;
    for (unsigned i = 0; i < o.workers; i++) {
        workers[i] = (worker_state) { &o, worker_ctx, 0 };
        if (pthread_create (&worker_threads[i], NULL, worker_main, &workers[i]) != 0)
            break;
        started_workers++;
    }
    nanosleep (&(struct timespec) { 0, 20000000 }, NULL);  /* the workers connect first */
    uint64_t start = now_ns ();
    uint64_t window_start = start + (uint64_t) (o.warmup * 1e9);
    uint64_t window_end = window_start + (uint64_t) (o.seconds * 1e9);
    for (unsigned i = 0; started_workers == o.workers && i < o.clients; i++) {
        clients[i] = (client_state) { .opts = &o, .ctx = client_ctx,
                                      .window_start = window_start, .window_end = window_end };
        if (pthread_create (&client_threads[i], NULL, client_main, &clients[i]) != 0)
            break;
        started_clients++;
    }
    if (started_workers < o.workers || started_clients < o.clients) {
        fprintf (stderr, "mdp-loadgen: cannot start %u workers and %u clients\n", o.workers, o.clients);
        rc = 1;
    }
    for (unsigned i = 0; i < started_clients; i++)
        pthread_join (client_threads[i], NULL);
    zmq_ctx_shutdown (worker_ctx);              /* the workers' zmq_msg_recv: ETERM */
    for (unsigned i = 0; i < started_workers; i++)
        pthread_join (worker_threads[i], NULL);
    zmq_ctx_term (worker_ctx);
    zmq_ctx_term (client_ctx);

    size_t total = 0;
    uint64_t all = 0;
    int lost = 0, bad = 0, failed = 0;
    for (unsigned i = 0; i < started_clients; i++) {
        total += clients[i].count;
        all += clients[i].all;
        lost += clients[i].lost;
        bad += clients[i].bad;
        failed |= clients[i].failed;
    }
    for (unsigned i = 0; i < started_workers; i++)
        failed |= workers[i].failed;
    uint64_t *samples = malloc ((total ? total : 1) * sizeof *samples);
    if (!samples) {
        fprintf (stderr, "mdp-loadgen: out of memory\n");
        return 1;
    }
    size_t at = 0;
    double sum = 0;
    for (unsigned i = 0; i < started_clients; i++) {
        memcpy (samples + at, clients[i].samples, clients[i].count * sizeof *samples);
        at += clients[i].count;
        free (clients[i].samples);
    }
    qsort (samples, total, sizeof *samples, compare_u64);
    for (size_t i = 0; i < total; i++)
        sum += (double) samples[i];
    printf ("{\"bench\":\"mdp-loadgen\",\"protocol\":\"%s\",\"clients\":%u,\"workers\":%u,"
            "\"size\":%zu,\"seconds\":%.3f,\"round_trips\":%zu,\"round_trips_per_s\":%.1f,"
            "\"p50_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f,\"max_us\":%.1f,"
            "\"all_round_trips\":%llu,\"lost\":%d,\"bad_replies\":%d}\n",
            o.proto == PROTOCOL_MDP ? "mdp" : "plain", o.clients, o.workers, o.size, o.seconds,
            total, (double) total / o.seconds, percentile_us (samples, total, 50),
            percentile_us (samples, total, 99), total ? sum / (double) total / 1e3 : 0,
            total ? (double) samples[total - 1] / 1e3 : 0, (unsigned long long) all, lost, bad);
    fflush (stdout);
    if (failed)
        fprintf (stderr, "mdp-loadgen: a socket failed (%s)\n", zmq_strerror (zmq_errno ()));
    if (lost || bad)
        fprintf (stderr, "mdp-loadgen: %d replies lost (none within %d ms), %d bad\n", lost,
                 REPLY_TIMEOUT_MS, bad);
    free (samples);
    free (workers);
    free (clients);
    free (worker_threads);
    free (client_threads);
    return rc || failed || lost || bad || total == 0 ? 1 : 0;
}
