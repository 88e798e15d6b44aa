#   zw_null_handshake_grammar.rl — the NULL handshake (23/ZMTP, 37/ZMTP),
#   as a state chart over the events of zw_null_handshake.h.  Included by
#   zw_null_handshake.rl, which defines the actions.  The session machine
#   (zw_session_grammar.rl) starts it once the greetings are exchanged and
#   learns its end; the session refuses a message before that end
#   (zmtp31.handshake.commands-first), the engine takes an ERROR from the
#   peer (zmtp31.error.fatal).

%%{
    machine zw_null_handshake;

    main := (
        # The greetings are exchanged.  NULL sends READY at once, never
        # waiting for the peer's (zmtp30.null.ready-both,
        # zmtp30.null.ready-before-receive): a 3.1 client sends first and a
        # server answers the client's (zmtp31.null.client-ready-first,
        # zmtp31.null.server-ready-reply), and sending straight away
        # satisfies both roles, so the roles change nothing on the wire
        # (zmtp31.null.roles).  READY carries our Socket-Type
        # (zmtp31.metadata.socket-type), our Identity where a ROUTER routes
        # by it (zmtp31.metadata.identity) and the application's properties
        # (zmtp31.metadata.other-properties).
        start: (
            ZW_NULL_START @send_ready -> ready_sent
        ),

        # Only the peer's READY may come now (zmtp31.handshake.commands-first).
        # The engine parses and judges its metadata (zmtp31.null.ready-parse,
        # zmtp31.null.ready-validate, zmtp31.socket-type.check).  Accepted,
        # ZAP may filter the peer by its address (27/ZAP "The NULL
        # Mechanism": no credentials), which a socket with a ZAP domain asks
        # (DECISIONS S3).  Refused, ERROR with the reason, then the close
        # (zmtp31.socket-type.error-then-close, zmtp31.null.close-on-invalid).
        # Any other command is out of its place
        # (zmtp31.handshake.commands-first).
        ready_sent: (
            ZW_NULL_READY @ask_zap -> authenticating
          | ZW_NULL_READY_REFUSED @send_error @fail -> final
          | ZW_NULL_OTHER @out_of_place -> final
        ),

        # No ZAP to ask, or its 200: the handshake is over, READY sent and
        # received, and traffic may flow (zmtp31.null.traffic-after-ready).
        # 400: ERROR, then the close; 300, 500 or a broken reply: the close
        # (DECISIONS S4, S5).
        authenticating: (
            ZW_NULL_NO_HANDLER @done -> final
          | ZW_NULL_ZAP_OK @accept_user @done -> final
          | ZW_NULL_ZAP_DENIED @refuse_address @send_error @fail -> final
          | ZW_NULL_ZAP_UNAVAILABLE @give_up @fail -> final
          | ZW_NULL_OTHER @out_of_place -> final
        )
    ) $!out_of_place;
}%%
