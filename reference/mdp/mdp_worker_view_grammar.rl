#   mdp_worker_view_grammar.rl — the view a broker has of one worker, as a
#   state chart over the events of mdp_worker_view.h.  Included by
#   mdp_worker_view.rl, which defines the actions.  Clause IDs are those
#   of spec/mdp01.md, spec/mdp02.md and spec/mmi.md; the choices the RFCs
#   leave open are spec/DECISIONS.md rows M1..M20 and M2-1..M2-20.

%%{
    machine mdp_worker_view;

    # Well-formed commands a state does not allow (M6, M2-9).
    replies = MDP_WV_PARTIAL | MDP_WV_REPLY | MDP_WV_STRAY_REPLY;
    out_of_place = MDP_WV_READY | MDP_WV_READY_RESERVED | MDP_WV_STRAY_REPLY | MDP_WV_REQUEST;

    main := (
        # Connected: the first message from a worker.  READY registers it
        # (mdp01.worker.shared-service); a READY naming an mmi. service is
        # refused with DISCONNECT and nothing more (mmi.namespace.worker-disconnect,
        # M5); any other well-formed command before READY is valid but
        # unexpected: DISCONNECT, then silence (mdp01.broker.unexpected-disconnect,
        # mdp01.broker.silent-after-unexpected, and their mdp02 twins).
        # DISCONNECT before READY is allowed (mdp01.disconnect.worker-any-time)
        # and answered by nothing (mdp01.disconnect.broker-silent-after).  A
        # malformed message is dropped and, the peer being unregistered,
        # leaves no state (mdp01.broker.drop-invalid, M7).
        start: (
            MDP_WV_READY @register -> idle
          | (MDP_WV_READY_RESERVED | MDP_WV_HEARTBEAT | replies | MDP_WV_REQUEST)
                @log_unexpected @send_disconnect @remember -> gone
          | MDP_WV_DISCONNECT @remember -> gone
          | MDP_WV_INVALID @log_invalid @forget -> final
        ),

        # Registered and free.  Any command keeps it alive (the core
        # refreshes its liveness); a request makes it busy
        # (mdp01.broker.worker-selection: least recently used, M17).
        idle: (
            MDP_WV_HEARTBEAT -> idle
          | MDP_WV_DISPATCH @send_request -> busy
          | (out_of_place | MDP_WV_PARTIAL | MDP_WV_REPLY)
                @log_unexpected @send_disconnect @unregister @remember -> gone
          | MDP_WV_DISCONNECT @unregister @remember -> gone
          | MDP_WV_INVALID @log_invalid @send_disconnect @unregister @remember -> gone
          | MDP_WV_EXPIRED @log_expired @unregister @forget -> final
          | MDP_WV_SHUTDOWN @send_disconnect @unregister @forget -> final
        ),

        # Working on one request (M2, M2-3: heartbeats both ways still).
        # PARTIALs go on to the client (M2-7); the REPLY or FINAL ends the
        # request and frees the worker (mdp02.worker.partials-then-final).
        # A worker lost while busy gives its request back (M8, M2-8); one
        # refused for a stray reply too (M2-11: nothing from it reaches a
        # client that never asked it).
        busy: (
            MDP_WV_HEARTBEAT -> busy
          | MDP_WV_PARTIAL @forward_partial -> busy
          | MDP_WV_REPLY @deliver_reply @idle -> idle
          | out_of_place
                @log_unexpected @send_disconnect @requeue @unregister @remember -> gone
          | MDP_WV_DISCONNECT @requeue @unregister @remember -> gone
          | MDP_WV_INVALID @log_invalid @send_disconnect @requeue @unregister @remember -> gone
          | MDP_WV_EXPIRED @log_expired @requeue @unregister @forget -> final
          | MDP_WV_SHUTDOWN @send_disconnect @unregister @forget -> final
        ),

        # Told DISCONNECT, or sent it: the broker sends this identity
        # nothing more (mdp01.disconnect.broker-silent-after,
        # mdp01.broker.silent-after-unexpected) and drops what still comes
        # from it, until one expiry has passed (M2-17).  A READY opens a new
        # registration (M2-17).  Expiry itself sends nothing
        # (mdp01.heartbeat.broker-stop-sending, M16): the record goes at once.
        gone: (
            MDP_WV_READY @register -> idle
          | (MDP_WV_READY_RESERVED | MDP_WV_HEARTBEAT | replies | MDP_WV_REQUEST
             | MDP_WV_DISCONNECT | MDP_WV_INVALID) -> gone
          | (MDP_WV_EXPIRED | MDP_WV_SHUTDOWN) @forget -> final
        )
    );
}%%
