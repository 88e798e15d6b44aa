/*  fuzz_flp.c — fuzz harness (libFuzzer, AFL++) of the Freelance message
    codec, codec/flp_message.rl.  The input is a frame list
    (fuzz_frame_list.h), decoded in both directions.  Beyond sanitizers,
    the oracles:

      1. shape: a decoded message has a command of its direction (PING or
         REQUEST to a server, PONG or REPLY to a client); a request or
         reply's CCF is the first frame and its body all the others, one
         frame at least; an error is flp-missing-frame at the frame count,
         citing the layout the message fell short of;
      2. frame count first (DECISIONS F3): two frames or more are a request
         to a server and a reply to a client, the same CCF and body either
         way, whatever the frames hold; one frame is taken only as the
         four octets of PING (to a server) or PONG (to a client);
      3. round trip: the head the encoder writes for a decoded message is
         the input's frames before the body, frame for frame.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_frame_list.h"
#include "flp_message.h"

#define FRAMES_MAX 64

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
fail (const char *what)
{
    fprintf (stderr, "zwire fuzz oracle FAILED: flp: %s\n", what);
    abort ();
}

static int
same_frame (const zw_flp_frame *a, const zw_flp_frame *b)
{
    return a->size == b->size && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

static int
frame_is (const zw_flp_frame *frame, const char *word)
{
    zw_flp_frame w = { (const uint8_t *) word, strlen (word) };
    return same_frame (frame, &w);
}

static void
check_error (size_t count, zw_flp_direction direction, const zw_error *e)
{
    const char *layout = direction == ZW_FLP_TO_SERVER ? "flp.grammar.request" : "flp.grammar.reply";
    if (e->code != ZW_ERR_FLP_MISSING_FRAME)
        fail ("an error class other than flp-missing-frame");
    if (!e->clause || strcmp (e->clause, layout) != 0)
        fail ("an error that does not cite the layout of its direction");
    if (e->offset != count)
        fail ("an error offset other than the frame count");
    if (count >= 2)
        fail ("two frames or more refused (DECISIONS F3)");
}

static void
check_message (const zw_flp_frame *frames, size_t count, zw_flp_direction direction,
               const zw_flp_message *m)
{
    int to_server = direction == ZW_FLP_TO_SERVER;
    zw_flp_command one = to_server ? ZW_FLP_PING : ZW_FLP_PONG;
    zw_flp_command many = to_server ? ZW_FLP_REQUEST : ZW_FLP_REPLY;
    if (m->command == one) {
        if (count != 1 || !frame_is (&frames[0], to_server ? "PING" : "PONG") || m->body_count)
            fail ("a ping or pong that is not exactly its one frame");
    } else if (m->command == many) {
        if (count < 2 || m->body_count != count - 1 || !same_frame (&m->ccf, &frames[0]))
            fail ("a request or reply whose CCF and body are not the frames");
    } else
        fail ("a command of the other direction, or none");
    zw_flp_frame head;
    if (!zw_flp_encode_head (m, &head) || !same_frame (&head, &frames[0]))
        fail ("the encoder's head differs from the input's first frame");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    zw_flp_frame frames[FRAMES_MAX];
    size_t count = zw_fuzz_frame_list (data, size, frames, FRAMES_MAX, NULL);
    zw_flp_message to_server, to_client;
    zw_error es = { 0 }, ec = { 0 };
    int ok_server = zw_flp_decode (frames, count, ZW_FLP_TO_SERVER, &to_server, &es);
    int ok_client = zw_flp_decode (frames, count, ZW_FLP_TO_CLIENT, &to_client, &ec);
    if (ok_server)
        check_message (frames, count, ZW_FLP_TO_SERVER, &to_server);
    else
        check_error (count, ZW_FLP_TO_SERVER, &es);
    if (ok_client)
        check_message (frames, count, ZW_FLP_TO_CLIENT, &to_client);
    else
        check_error (count, ZW_FLP_TO_CLIENT, &ec);
    if (count >= 2 && !(to_server.command == ZW_FLP_REQUEST && to_client.command == ZW_FLP_REPLY
                        && same_frame (&to_server.ccf, &to_client.ccf)
                        && to_server.body_count == to_client.body_count))
        fail ("a request and a reply of the same frames read differently");
    if (count == 1 && (ok_server != frame_is (&frames[0], "PING") || ok_client != frame_is (&frames[0], "PONG")))
        fail ("a one-frame PING or PONG refused");
    return 0;
}
