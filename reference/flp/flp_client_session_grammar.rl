#   flp_client_session_grammar.rl — one request of a Freelance client at a
#   time, as a state chart over the events of flp_client_session.h.
#   Included by flp_client_session.rl, which defines the actions.  Clause
#   IDs are those of spec/flp.md; the choices the RFC leaves open are
#   spec/DECISIONS.md rows F1..F18.
#
#   The client talks to its servers directly, ROUTER to ROUTER
#   (flp.peer.router), with no identity of its own (flp.client.no-identity),
#   addressing each server by its endpoint (DECISIONS F1).  A request is
#   its CCF, then its body (flp.grammar.request): the CCF is the sequence
#   number of the request, the same on every attempt of it (F9, F16), and
#   only a reply carrying it answers the request, from a server the request
#   went to on the connection that server has now (F9, F14, F17, F18): the
#   core tells ANSWER from STALE.  Which server gets an attempt, and when
#   the client gives up, are DECISIONS F14 and F15; which servers are live,
#   the views of flp_server_view_grammar.rl.

%%{
    machine flp_client_session;

    requests = FLP_CS_REQUEST | FLP_CS_REQUEST_NO_SERVER;

    main := (
        # Idle (start): nothing outstanding.  A request takes the next CCF
        # (F16) and goes to the first live server in the order the servers
        # were given (F14), its timeout starting; with none live it waits
        # for one (F15).  A reply now answers nothing: discarded and logged
        # (F9, F7), as is a malformed message (F5's rule, the client's side:
        # the RFC names no action).  A server becoming live changes nothing.
        start: (
            FLP_CS_REQUEST @keep @send -> waiting
          | FLP_CS_REQUEST_NO_SERVER @keep @search -> searching
          | FLP_CS_STALE @log_stale -> start
          | FLP_CS_INVALID @log_invalid -> start
          | FLP_CS_SERVER_LIVE -> start
        ),

        # One attempt out.  The reply carrying the request's CCF answers it,
        # from the server asked or from one asked before that answers late
        # (F14, F9, F17); any other reply is discarded and logged (F9).  A
        # second request is refused, not queued.  A server becoming live
        # changes nothing: the attempt waits out its timeout (F14), or ends
        # when the asked server's connection is lost (F18: the core brings
        # the timeout forward, so it is the same TIMEOUT event), and never is
        # a request sent again before its attempt has ended.  At the end of
        # an attempt, the request goes to the next live server after the one
        # asked, wrapping round (F14); with none live it waits for one
        # (F15); with no attempt left it ends, timed out (F14).
        waiting: (
            requests @refuse -> waiting
          | FLP_CS_ANSWER @forget @deliver_answer -> start
          | FLP_CS_STALE @log_stale -> waiting
          | FLP_CS_INVALID @log_invalid -> waiting
          | FLP_CS_SERVER_LIVE -> waiting
          | FLP_CS_TIMEOUT @retry @send -> waiting
          | FLP_CS_TIMEOUT_NO_SERVER @retry @search -> searching
          | FLP_CS_GIVE_UP @log_gave_up @forget @deliver_timed_out -> start
        ),

        # No live server to send to (F15).  The first that becomes live gets
        # the attempt; a late reply to an earlier attempt still answers (F14,
        # F17: if its server's connection has not been lost since).
        # With none live within liveness x ping interval (the time in which a
        # server that is up answers a ping: flp.client.server-disconnected,
        # DECISIONS F6) the request ends: no server (F15).
        searching: (
            requests @refuse -> searching
          | FLP_CS_ANSWER @forget @deliver_answer -> start
          | FLP_CS_STALE @log_stale -> searching
          | FLP_CS_INVALID @log_invalid -> searching
          | FLP_CS_SERVER_LIVE @send -> waiting
          | FLP_CS_NO_SERVER @log_no_server @forget @deliver_no_server -> start
        )
    );
}%%
