#   mdp_worker_session_grammar.rl — a worker session with its broker, as a
#   state chart over the events of mdp_worker_session.h.  Included by
#   mdp_worker_session.rl, which defines the actions.  Clause IDs are those
#   of spec/mdp01.md (the mdp02 twins of spec/mdp02.md hold alike); the
#   choices the RFCs leave open are spec/DECISIONS.md rows M1..M20 and
#   M2-1..M2-20.

%%{
    machine mdp_worker_session;

    # What a broker sends, all of it dropped on a closed socket (M13, M2-18).
    from_broker = MDP_WS_REQUEST | MDP_WS_HEARTBEAT | MDP_WS_DISCONNECT
                | MDP_WS_UNEXPECTED | MDP_WS_INVALID;

    main := (
        # Not started: no socket yet.  The worker opens the connection by
        # creating a new socket, connecting it and sending READY
        # (mdp01.worker.one-dealer: one DEALER to one broker;
        # mdp01.grammar.ready).  STOP before START sends nothing.
        start: (
            MDP_WS_START @connect @send_ready -> idle           # mdp01.worker.one-dealer
          | MDP_WS_STOP -> final                                # mdp01.disconnect.worker-any-time
        ),

        # Registered, as far as it knows: no answer to READY comes, so it
        # takes itself as registered until DISCONNECT or silence
        # (mdp01.worker.assume-registered) and never sends READY again on
        # this connection (mdp01.worker.single-ready).  Any command from
        # the broker but DISCONNECT keeps it alive (the core counts it);
        # a HEARTBEAT goes when an interval has passed with no command sent
        # (mdp01.heartbeat.worker-sends, mdp01.heartbeat.not-alongside, M4).
        # Invalid or unexpected traffic is logged with its clause and
        # survived (M2-19).  DISCONNECT: nothing more is sent (M13), the
        # socket closes at once (mdp01.disconnect.worker-close), and after
        # the reconnect delay a new one says READY
        # (mdp01.disconnect.worker-reconnect, M14).  Silence for liveness x
        # interval: the broker is gone (mdp01.heartbeat.worker-expires-broker,
        # M3), and the worker starts over the same way
        # (mdp01.heartbeat.worker-restart, M14).  STOP: DISCONNECT, which a
        # worker may send at any time (mdp01.disconnect.worker-any-time).
        idle: (
            MDP_WS_REQUEST @take_request -> busy                # mdp01.worker.assume-registered
          | MDP_WS_HEARTBEAT -> idle                            # mdp01.heartbeat.worker-expires-broker
          | MDP_WS_PULSE @send_heartbeat -> idle                # mdp01.heartbeat.worker-sends, M4
          | MDP_WS_STALE @log_stale -> idle                     # M8, M2-8
          | MDP_WS_UNEXPECTED @log_unexpected -> idle           # M2-19
          | MDP_WS_INVALID @log_invalid -> idle                 # M2-19
          | MDP_WS_DISCONNECT @log_disconnect @close @wait -> waiting   # mdp01.disconnect.worker-close
          | MDP_WS_EXPIRED @log_expired @close @wait -> waiting # mdp01.heartbeat.worker-expires-broker
          | MDP_WS_STOP @send_disconnect @close -> final        # mdp01.disconnect.worker-any-time
        ),

        # One request at a time (Overall Topology: workers handle at most
        # one request a time).  Heartbeats both ways go on while the
        # application works (M2, M2-3).  PARTIALs (0.2), then exactly one
        # REPLY or FINAL, which ends the request
        # (mdp02.worker.partials-then-final, M2-16), each naming the client
        # address of the REQUEST byte for byte (mdp01.request.one-address,
        # M2-11).  A second REQUEST is logged and ignored (M2-19).  A lost
        # connection loses the request; the broker gives it to another
        # worker (M8, M2-8), and the late answer is dropped as stale.
        busy: (
            MDP_WS_REQUEST @log_busy -> busy                    # M2-19
          | MDP_WS_HEARTBEAT -> busy                            # M2, M2-3
          | MDP_WS_PULSE @send_heartbeat -> busy                # mdp02.heartbeat.worker-sends, M2-3
          | MDP_WS_PARTIAL @send_partial -> busy                # mdp02.grammar.worker-partial
          | MDP_WS_REPLY @send_reply -> idle                    # mdp02.worker.partials-then-final
          | MDP_WS_STALE @log_stale -> busy                     # M2-11, M2-16
          | MDP_WS_UNEXPECTED @log_unexpected -> busy           # M2-19
          | MDP_WS_INVALID @log_invalid -> busy                 # M2-19
          | MDP_WS_DISCONNECT @log_disconnect @drop_request @close @wait -> waiting   # M8, M13
          | MDP_WS_EXPIRED @log_expired @drop_request @close @wait -> waiting   # M8, M14
          | MDP_WS_STOP @send_disconnect @drop_request @close -> final   # mdp01.disconnect.worker-any-time
        ),

        # Socket closed, the reconnect delay running (M14): nothing is sent
        # (M13, M2-18).  When it is over, a new socket and READY again
        # (mdp01.disconnect.worker-reconnect, mdp01.heartbeat.worker-restart).
        waiting: (
            MDP_WS_START @connect @send_ready -> idle           # mdp01.disconnect.worker-reconnect
          | MDP_WS_STALE @log_stale -> waiting                  # M8, M2-8
          | from_broker -> waiting                              # M13, M2-18
          | MDP_WS_STOP -> final                                # M13: nothing to send
        )
    );
}%%
