/*  fuzz_mdp.c — fuzz harness (libFuzzer, AFL++) of the Majordomo message
    codec, codec/mdp_message.rl.  The input is a frame list
    (fuzz_frame_list.h).  Beyond sanitizers, the oracles:

      1. shape: a decoded message has a known version, sub-protocol and
         command, and its body is the tail of the input; an error has an
         mdp class, a clause of the MDP registries and a frame index at
         most the frame count;
      2. params: a message taken by a decoder restricted to one version
         and one sub-protocol is taken, the same, by the decoder of both
         (ZW_MDP_ACCEPT_ALL); one the latter takes is taken by exactly one
         restricted decoder, its own;
      3. round trip: the head the encoder writes for a decoded message is
         the input's frames before the body, frame for frame.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_frame_list.h"
#include "mdp_message.h"

#define FRAMES_MAX 64

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
fail (const char *what)
{
    fprintf (stderr, "zwire fuzz oracle FAILED: mdp: %s\n", what);
    abort ();
}

static int
same_frame (const zw_mdp_frame *a, const zw_mdp_frame *b)
{
    return a->size == b->size && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

static int
same_message (const zw_mdp_message *a, const zw_mdp_message *b)
{
    return a->version == b->version && a->subprotocol == b->subprotocol
        && a->command == b->command && a->body == b->body && a->body_count == b->body_count
        && same_frame (&a->service, &b->service) && same_frame (&a->address, &b->address);
}

static void
check_shape (const zw_mdp_frame *frames, size_t count, int ok, const zw_mdp_message *m,
             const zw_error *e)
{
    if (!ok) {
        if (e->code < ZW_ERR_MDP_INVALID_HEADER || e->code > ZW_ERR_MDP_EXTRA_FRAME)
            fail ("an error class outside the mdp classes");
        if (!e->clause || (strncmp (e->clause, "mdp01.", 6) != 0 && strncmp (e->clause, "mdp02.", 6) != 0))
            fail ("an error without an MDP clause");
        if (e->offset > count || (e->code != ZW_ERR_MDP_MISSING_FRAME && e->offset == count))
            fail ("an error offset past the frames");
        return;
    }
    int client01 = m->version == ZW_MDP_V01 && m->subprotocol == ZW_MDP_CLIENT;
    if ((m->version != ZW_MDP_V01 && m->version != ZW_MDP_V02)
        || (m->command == ZW_MDP_NONE) != client01
        || (!client01 && zw_mdp_command_name (m->command) == NULL))
        fail ("a message of unknown version or command");
    if (zw_mdp_has_body (m) ? (m->body_count == 0 || m->body + m->body_count != count) : m->body_count != 0)
        fail ("a body that is not the tail of the frames");
    zw_mdp_frame head[ZW_MDP_HEAD_MAX];
    size_t n = zw_mdp_encode_head (m, head);
    if (n == 0 || n + m->body_count != count)
        fail ("the encoder's head does not fill the frames before the body");
    for (size_t i = 0; i < n; i++)
        if (!same_frame (&head[i], &frames[i]))
            fail ("the encoder's head differs from the input");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static const unsigned restricted[] = {
        ZW_MDP_ACCEPT_V01 | ZW_MDP_ACCEPT_CLIENT, ZW_MDP_ACCEPT_V01 | ZW_MDP_ACCEPT_WORKER,
        ZW_MDP_ACCEPT_V02 | ZW_MDP_ACCEPT_CLIENT, ZW_MDP_ACCEPT_V02 | ZW_MDP_ACCEPT_WORKER,
    };
    zw_mdp_frame frames[FRAMES_MAX];
    size_t count = zw_fuzz_frame_list (data, size, frames, FRAMES_MAX, NULL);
    zw_mdp_message all, one;
    zw_error e = { 0 };
    int ok_all = zw_mdp_decode (frames, count, ZW_MDP_ACCEPT_ALL, &all, &e);
    check_shape (frames, count, ok_all, &all, &e);
    int taken = 0;
    for (size_t i = 0; i < sizeof restricted / sizeof restricted[0]; i++) {
        zw_error er = { 0 };
        int ok = zw_mdp_decode (frames, count, restricted[i], &one, &er);
        check_shape (frames, count, ok, &one, &er);
        if (ok && (!ok_all || !same_message (&one, &all)))
            fail ("a restricted decoder takes what the decoder of both versions does not");
        taken += ok;
    }
    if (taken != ok_all)
        fail ("a message of both versions' decoder is not taken by exactly its own decoder");
    return 0;
}
