#   zw_curve_server_grammar.rl — the CURVE handshake of a server
#   (25/ZMTP-CURVE, 26/CurveZMQ) with its ZAP request (27/ZAP), as a state
#   chart over the events of zw_curve_handshake.h.  Included by
#   zw_curve_server.rl, which defines the actions.  The session machine
#   starts it once the greetings are exchanged and learns its end; the
#   handshake timer of the engine bounds the wait for the client and for
#   the ZAP handler (DECISIONS S5), and with it the life of the cookie key
#   (curve.server.cookie-key-expiry).

%%{
    machine zw_curve_server;

    main := (
        # The greetings are exchanged.  A client whose as-server says it is
        # a server too cannot follow: ERROR, then the close (DECISIONS S6).
        start: (
            ZW_CURVE_START -> waiting
          | ZW_CURVE_SAME_ROLE @refuse_role @send_error @fail -> final
        ),

        # HELLO, which the server validates whole (curve.server.check-hello):
        # the codec its layout, the mechanism its signature box.  Valid: a
        # fresh transient key pair and cookie go out in WELCOME
        # (curve.server.welcome-reply, curve.server.fresh-transient,
        # curve.server.fresh-cookie).  Not valid: rejected and disconnected
        # (curve.server.reject-bad-hello), with an ERROR that says why
        # (curve.server.reject-with-error), since a box that does not open
        # is most often a client given the wrong server key.  Anything else
        # is out of its place: ERROR, then the close (out_of_place does both).
        waiting: (
            ZW_CURVE_HELLO @send_welcome -> welcome_sent
          | ZW_CURVE_HELLO_BAD @send_error @fail -> final
          | ZW_CURVE_OTHER @out_of_place -> final
        ),

        # INITIATE, validated whole (curve.server.check-initiate): the
        # cookie, the nonce, the box, the vouch; then the engine judges the
        # client metadata.  Valid: the server asks its ZAP handler about
        # the client key (curve.server.authenticate, DECISIONS S3).  A
        # cookie, box or vouch that fails is rejected with a close alone
        # (curve.server.reject-bad-initiate); metadata refused gets ERROR
        # (zmtp31.socket-type.error-then-close).
        welcome_sent: (
            ZW_CURVE_INITIATE @ask_zap -> authenticating
          | ZW_CURVE_INITIATE_BAD @fail -> final
          | ZW_CURVE_INITIATE_REFUSED @send_error @fail -> final
          | ZW_CURVE_OTHER @out_of_place -> final
        ),

        # The answer of the handler (DECISIONS S4).  200, or no handler at
        # all (S5), accepts: the client key is the peer identity, and READY
        # goes out (curve.server.ready-on-success), after which every frame
        # is a MESSAGE (curve.message.server-after-ready).  400: ERROR, then
        # the close (curve.server.reject-with-error; the RFC also says a
        # failed client gets only a close, curve.server.auth-fail-close:
        # S4 follows the ERROR section).  300, 500, a broken reply: a close.
        authenticating: (
            ZW_CURVE_ZAP_OK @accept_key @send_ready @done -> final
          | ZW_CURVE_NO_HANDLER @accept_key @send_ready @done -> final
          | ZW_CURVE_ZAP_DENIED @refuse_key @send_error @fail -> final
          | ZW_CURVE_ZAP_UNAVAILABLE @give_up @fail -> final
          | ZW_CURVE_OTHER @out_of_place -> final
        )
    ) $!out_of_place;
}%%
