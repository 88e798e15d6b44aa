#   zw_curve_client_grammar.rl — the CURVE handshake of a client
#   (25/ZMTP-CURVE, 26/CurveZMQ), as a state chart over the events of
#   zw_curve_handshake.h.  Included by zw_curve_client.rl, which defines
#   the actions.  The session machine starts it once the greetings are
#   exchanged and learns its end; the engine takes an ERROR from the server
#   in any state (zmtp31.error.fatal).  A client never sends ERROR
#   (curve.client.no-error): each failure here is a close.

%%{
    machine zw_curve_client;

    main := (
        # The greetings are exchanged.  A server whose as-server says it is
        # a client too cannot follow (DECISIONS S6).  Otherwise the client
        # speaks first (curve.handshake.order, curve.hello.first-command):
        # HELLO, with a transient key made for this connection
        # (curve.client.transient-per-connection) and the signature box
        # (curve.hello.signature-box, curve.hello.nonce-prefix).
        start: (
            ZW_CURVE_START @send_hello -> hello_sent
          | ZW_CURVE_SAME_ROLE @refuse_role @fail -> final
        ),

        # WELCOME: its box opens with the server key we were given, and
        # holds the server transient key and the cookie
        # (curve.client.check-welcome).  The client answers with INITIATE:
        # the cookie, the vouch and our metadata (curve.client.initiate-reply,
        # curve.initiate.nonce-prefix, curve.vouch.nonce-prefix).  A WELCOME
        # that does not open is refused (curve.client.reject-bad-welcome):
        # the log says the server key may be wrong.
        hello_sent: (
            ZW_CURVE_WELCOME @send_initiate -> initiate_sent
          | ZW_CURVE_WELCOME_BAD @fail -> final
          | ZW_CURVE_OTHER @out_of_place -> final
        ),

        # READY: its box opens and holds the server metadata, which the
        # engine judges (zmtp31.socket-type.check).  Accepted, the handshake
        # is over and every frame from now on is a MESSAGE
        # (curve.message.client-after-ready).
        initiate_sent: (
            ZW_CURVE_READY @done -> final
          | ZW_CURVE_READY_BAD @fail -> final
          | ZW_CURVE_READY_REFUSED @fail -> final
          | ZW_CURVE_OTHER @out_of_place -> final
        )
    ) $!out_of_place;
}%%
