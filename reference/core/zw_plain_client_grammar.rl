#   zw_plain_client_grammar.rl — the PLAIN handshake of a client
#   (24/ZMTP-PLAIN), as a state chart over the events of
#   zw_plain_handshake.h.  Included by zw_plain_client.rl, which defines
#   the actions.  The session machine (zw_session_grammar.rl) starts it
#   once the greetings are exchanged and learns its end; the engine takes
#   an ERROR from the server in any state (zmtp31.error.fatal): the
#   S:error of the grammar.

%%{
    machine zw_plain_client;

    main := (
        # The greetings are exchanged.  Our role is our configuration
        # (DECISIONS S1); the server's as-server must say the other one
        # (DECISIONS S6), else nothing can
        # follow: the client closes without ERROR, which the PLAIN grammar
        # gives the server only.  Otherwise the client speaks first
        # (plain.handshake.order): HELLO with its user name and password
        # (plain.hello.layout).
        start: (
            ZW_PLAIN_START @send_hello -> hello_sent
          | ZW_PLAIN_SAME_ROLE @refuse_role @fail -> final
        ),

        # The server accepted the credentials: WELCOME (plain.welcome.layout).
        # The client answers with INITIATE and its metadata
        # (plain.initiate.metadata).  Anything else is out of its place
        # (plain.handshake.order).
        hello_sent: (
            ZW_PLAIN_WELCOME @send_initiate -> initiate_sent
          | ZW_PLAIN_OTHER @out_of_place -> final
        ),

        # READY with the server's metadata (plain.ready.metadata), which the
        # engine judges (zmtp31.socket-type.check).  Accepted, the handshake
        # is over, and the client may send (plain.client.send-after-ready).
        # Refused, the client closes, without ERROR.
        initiate_sent: (
            ZW_PLAIN_READY @done -> final
          | ZW_PLAIN_READY_REFUSED @fail -> final
          | ZW_PLAIN_OTHER @out_of_place -> final
        )
    ) $!out_of_place;
}%%
