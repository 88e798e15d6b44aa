#   zw_plain_server_grammar.rl — the PLAIN handshake of a server
#   (24/ZMTP-PLAIN) with its ZAP request (27/ZAP), as a state chart over
#   the events of zw_plain_handshake.h.  Included by zw_plain_server.rl,
#   which defines the actions.  The session machine (zw_session_grammar.rl)
#   starts it once the greetings are exchanged and learns its end; the
#   handshake timer of the engine bounds the wait for the client and for the
#   ZAP handler (DECISIONS S5).

%%{
    machine zw_plain_server;

    main := (
        # The greetings are exchanged.  A client whose as-server says it is
        # a server too cannot follow: ERROR, then the close (DECISIONS S6).
        # Otherwise the server waits for the client, which speaks first
        # (plain.handshake.order).
        start: (
            ZW_PLAIN_START -> waiting
          | ZW_PLAIN_SAME_ROLE @refuse_role @send_error @fail -> final
        ),

        # HELLO: the client's credentials (plain.hello.layout), which the
        # server "accepts or rejects" before WELCOME: it asks the context's
        # ZAP handler (DECISIONS S3).  Any other command is out of its place
        # (plain.handshake.order): the server says so with ERROR, then
        # closes (out_of_place does both, wherever a command comes out of
        # its place).
        waiting: (
            ZW_PLAIN_HELLO @ask_zap -> authenticating
          | ZW_PLAIN_OTHER @out_of_place -> final
        ),

        # The handler's answer (DECISIONS S4).  200, or no handler at all
        # (S5: unchecked, and logged), accepts: WELCOME
        # (plain.welcome.layout).  400 refuses the credentials: ERROR
        # (plain.error.layout, the grammar's S:error), then the close.  300,
        # 500 or a broken reply: the close without ERROR, so that the client
        # may try again.  The client must wait meanwhile.
        authenticating: (
            ZW_PLAIN_ZAP_OK @accept_user @send_welcome -> welcome_sent
          | ZW_PLAIN_NO_HANDLER @accept_user @send_welcome -> welcome_sent
          | ZW_PLAIN_ZAP_DENIED @refuse_credentials @send_error @fail -> final
          | ZW_PLAIN_ZAP_UNAVAILABLE @give_up @fail -> final
          | ZW_PLAIN_OTHER @out_of_place -> final
        ),

        # INITIATE with the client's metadata (plain.initiate.metadata),
        # which the engine judges (zmtp31.socket-type.check).  Accepted:
        # READY with ours (plain.ready.metadata), and the handshake is over;
        # the server may send at once (plain.server.send-after-ready).
        # Refused: ERROR with the reason, then the close
        # (zmtp31.socket-type.error-then-close).
        welcome_sent: (
            ZW_PLAIN_INITIATE @send_ready @done -> final
          | ZW_PLAIN_INITIATE_REFUSED @send_error @fail -> final
          | ZW_PLAIN_OTHER @out_of_place -> final
        )
    ) $!out_of_place;
}%%
