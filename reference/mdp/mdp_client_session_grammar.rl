#   mdp_client_session_grammar.rl — the session of a Majordomo client, as a
#   state chart over the events of mdp_client_session.h.  Included by
#   mdp_client_session.rl, which defines the actions.  Clause IDs are those
#   of spec/mdp01.md and spec/mdp02.md; the choices the RFCs leave open are
#   spec/DECISIONS.md rows M1..M20 and M2-1..M2-20.
#
#   The dialog is strictly synchronous, one request at a time (MDP/Client:
#   Repeat C: REQUEST, B: REPLY in 0.1; C: REQUEST, B: *PARTIAL, B: FINAL
#   in 0.2).  The client speaks one version, chosen by configuration, on a
#   DEALER socket: the 0.2 client must (mdp02.client.dealer); the 0.1 client
#   may (mdp01.client.dealer-socket), since it lives in callbacks and never
#   blocks, and then writes the empty frame 0 itself
#   (mdp01.client.dealer-empty-frame).  Recovery from a broker that does
#   not answer is the Lazy Pirate strategy the RFCs recommend
#   (mdp01.client.recovery, mdp02.client.recovery): a reply timeout, a
#   resend on a new socket, a bounded number of retries, then failure.

%%{
    machine mdp_client_session;

    replies_not_awaited = MDP_CS_STRAY;

    main := (
        # Idle (start): nothing outstanding.  A request becomes the
        # outstanding one and goes out, framed by mdp01.grammar.client-request
        # (an empty frame, MDPC01, the service, the body:
        # mdp01.client.dealer-empty-frame) or mdp02.grammar.client-request
        # (MDPC02, 0x01, the service, the body), and the reply timeout
        # starts.  A reply now is one the client does not wait for: after
        # the FINAL the broker sends nothing more for that request
        # (mdp02.broker.silent-after-final, M2-6), so it is discarded and
        # logged (M2-19), as is a REQUEST from the broker (M2-19) and a
        # malformed message (M2-19: MDP names no client action for either).
        start: (
            MDP_CS_REQUEST @keep @send -> waiting
          | replies_not_awaited @log_stray -> start
          | MDP_CS_UNEXPECTED @log_unexpected -> start
          | MDP_CS_INVALID @log_invalid -> start
        ),

        # Waiting for the answer.  Zero or more PARTIALs come first
        # (mdp02.client.handle-partials): each goes to the application at
        # once and restarts the reply timeout (M2-7).  The REPLY (0.1) or
        # FINAL (0.2) ends the request (M2-7, mdp02.worker.partials-then-final).
        # A second request is refused, not queued (mdp01.client.req-socket:
        # the synchronous pattern).  A reply naming another service, a
        # REQUEST from the broker and a malformed message are discarded and
        # logged, and the wait goes on (M2-19).  With no reply within the
        # timeout the client closes its socket, opens a new one and resends
        # (mdp01.client.recovery, mdp02.client.recovery); nothing late from
        # the old socket can then pass for the answer.  With no retry left
        # it gives up: the socket is replaced once more, for the same
        # reason, and the application is told (mdp01.client.recovery).
        waiting: (
            MDP_CS_REQUEST @refuse -> waiting
          | MDP_CS_PARTIAL @restart_timer @deliver_partial -> waiting
          | MDP_CS_FINAL @forget @deliver_final -> start
          | replies_not_awaited @log_stray -> waiting
          | MDP_CS_UNEXPECTED @log_unexpected -> waiting
          | MDP_CS_INVALID @log_invalid -> waiting
          | MDP_CS_TIMEOUT @retry @reconnect @send -> waiting
          | MDP_CS_GIVE_UP @log_gave_up @reconnect @forget @deliver_timeout -> start
        )
    );
}%%
