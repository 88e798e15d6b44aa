#   zw_session_grammar.rl — the ZMTP connection lifecycle, as a state chart
#   over the events of zw_session.h.  Included by zw_session.rl, which
#   defines the actions.  Each state says which events it welcomes; any
#   other event is a protocol violation (the error state of the machine).

%%{
    machine zw_session;

    # What ends a connection in any state: the peer's ERROR command is
    # fatal (zmtp31.error.fatal), every other failure is a plain close
    # (zmtp31.error.close-other), timers cover handshakes that never end
    # and peers that fall silent (zmtp31.heartbeat.dead-conditions).
    ending = ZW_SEV_ERROR | ZW_SEV_TIMEOUT | ZW_SEV_BAD_INPUT | ZW_SEV_EOF | ZW_SEV_CLOSE;

    main := (
        # We have sent the signature and our major version, 11 octets
        # (zmtp31.version.partial-greeting); the peer's octet 10 decides the
        # rest (zmtp31.greeting.detect-legacy).  A 2.0 peer gets a 2.0
        # greeting (zmtp31.version.downgrade); a 1.0 peer is refused
        # (zmtp31.version.downgrade-or-close).
        start: (
            ZW_SEV_PEER_V3 @send_greeting_v3 -> greeting_v3
          | ZW_SEV_PEER_V2 @send_greeting_v2 -> greeting_v2
          | ZW_SEV_PEER_V1 @refuse @close -> final
          | ending @close -> final
        ),

        # Our whole greeting is out (zmtp31.greeting.full-after-read); once
        # the peer's is in, the mechanism's handshake starts: its commands,
        # its order, its own machine (zw_mechanism.h; NULL's is
        # zw_null_handshake_grammar.rl), every command after the greeting
        # until its end (zmtp31.handshake.commands-first).
        greeting_v3: (
            ZW_SEV_GREETING @start_handshake -> handshake
          | ending @close -> final
        ),

        # 2.0 has no handshake: the greeting carried the socket type and
        # the identity (zmtp20.greeting.socket-type, zmtp20.greeting.identity).
        greeting_v2: (
            ZW_SEV_GREETING @attach -> active
          | ending @close -> final
        ),

        # The mechanism's handshake runs.  No message may come before its
        # end (zmtp31.handshake.commands-first, zmtp30.null.ready-before-receive).
        # Over, with the peer's metadata accepted, the connection is up
        # (zmtp31.null.traffic-after-ready).  Failed, it closes: the
        # mechanism has sent ERROR where its rules say so
        # (zmtp31.socket-type.error-then-close for NULL).
        handshake: (
            ZW_SEV_HANDSHAKE_DONE @attach -> active
          | ZW_SEV_HANDSHAKE_FAILED @close -> final
          | ending @close -> final
        ),

        # Up: messages both ways (zmtp31.null.traffic-after-ready), PING
        # answered by PONG (zmtp31.heartbeat.pong-reply), subscriptions
        # from SUBSCRIBE / CANCEL (zmtp31.pubsub.subscribe-command,
        # zmtp31.pubsub.cancel-command).  A command of the handshake
        # (READY) is out of its place now, and refused
        # (zmtp31.handshake.commands-first).
        active: (
            ZW_SEV_MESSAGE @deliver -> active
          | ZW_SEV_PING @send_pong -> active
          | ZW_SEV_PONG -> active
          | ZW_SEV_SUBSCRIBE @subscribe -> active
          | ZW_SEV_CANCEL @cancel -> active
          | ZW_SEV_OTHER_COMMAND -> active
          | ZW_SEV_HEARTBEAT_DUE @send_ping -> active
          | ending @close -> final
        )
    ) $!refuse_unexpected;
}%%
