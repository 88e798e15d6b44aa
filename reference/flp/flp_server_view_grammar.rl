#   flp_server_view_grammar.rl — what a Freelance client knows of one
#   server, as a state chart over the events of flp_server_view.h.
#   Included by flp_server_view.rl, which defines the actions.  Clause IDs
#   are those of spec/flp.md; the choices the RFC leaves open are
#   spec/DECISIONS.md rows F1..F18.
#
#   Reliability, in the RFC, is the pings of the client: it may ping its
#   servers at a regular interval (flp.client.ping-interval), and should
#   take a server for disconnected when no pong has come from it for a multiple
#   of that interval (flp.client.server-disconnected; the multiple is the
#   liveness of the client, 3 by default: DECISIONS F6).  A reply shows the
#   server alive as well as a pong does (F17).  Whatever the state, the
#   server is pinged every interval: a gone server that comes back is
#   found by its next pong.

%%{
    machine flp_server_view;

    main := (
        # Unknown (start): not a word from it yet, so not live (F17): no
        # request goes to it.  Its first pong or reply makes it live, and a
        # request waiting for a live server may go (DECISIONS F15).  It is
        # pinged every interval (flp.client.ping-interval), and at once when
        # its connection comes up, since a ROUTER drops what it sends to a
        # peer whose connection is not up yet (DECISIONS F13).
        start: (
            FLP_SV_HEARD @hear @up @log_live @offer -> live
          | FLP_SV_PING_DUE @ping -> start
          | FLP_SV_CONNECTED @ping -> start
          | FLP_SV_LOST -> start
        ),

        # Live: each pong or reply restarts its silence (F17).  Pinged every
        # interval, and at once on a new connection (a reconnect, F13).
        # After liveness intervals without a word it is gone
        # (flp.client.server-disconnected, DECISIONS F6), and at once when
        # its connection is lost (DECISIONS F18).  No request goes to it
        # from then on; an attempt that went to it waits out its timeout
        # (F14), unless its connection was lost: what was sent on it will
        # not be answered on a new one, and the attempt ends then (F18).
        live: (
            FLP_SV_HEARD @hear -> live
          | FLP_SV_PING_DUE @ping -> live
          | FLP_SV_CONNECTED @ping -> live
          | FLP_SV_SILENT @down @log_gone -> gone
          | FLP_SV_LOST @down @log_lost -> gone
        ),

        # Gone: still pinged every interval and on a new connection
        # (flp.client.ping-interval, F13); its next pong or reply makes it
        # live again, as from unknown.
        gone: (
            FLP_SV_HEARD @hear @up @log_live @offer -> live
          | FLP_SV_PING_DUE @ping -> gone
          | FLP_SV_CONNECTED @ping -> gone
          | FLP_SV_LOST -> gone
        )
    );
}%%
