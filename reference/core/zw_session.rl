/*  zw_session.rl — the ZMTP connection lifecycle (see zw_session.h).

    An event machine: alphtype int, one event per step, the event codes
    imported from zw_session.h.  Each action sets one ZW_DO_* bit; the
    engine does the work.  The grammar, with the clause of every rule, is
    zw_session_grammar.rl.  Between steps the whole state is session->cs.  */

#include <stddef.h>
#include "zw_session.h"

%%{
    machine zw_session;
    alphtype int;
    access session->;
    import "zw_session.h";

    action send_greeting_v3  { actions |= ZW_DO_SEND_GREETING_V3; }
    action send_greeting_v2  { actions |= ZW_DO_SEND_GREETING_V2; }
    action start_handshake   { actions |= ZW_DO_START_HANDSHAKE; }
    action attach            { actions |= ZW_DO_ATTACH; }
    action deliver           { actions |= ZW_DO_DELIVER; }
    action send_pong         { actions |= ZW_DO_SEND_PONG; }
    action send_ping         { actions |= ZW_DO_SEND_PING; }
    action subscribe         { actions |= ZW_DO_SUBSCRIBE; }
    action cancel            { actions |= ZW_DO_CANCEL; }
    action refuse            { actions |= ZW_DO_REFUSE; }
    action close             { actions |= ZW_DO_CLOSE; }
    action refuse_unexpected { actions |= ZW_DO_REFUSE | ZW_DO_CLOSE; }

    include "zw_session_grammar.rl";
}%%

%% write data;

void
zw_session_init (zw_session *session)
{
    %% write init;
    session->phase = ZW_PHASE_GREETING;
}

/*  The phase, for logs and for the engine's timers, follows from the
    actions: the mechanism's handshake starts on entering the handshake,
    ATTACH enters the active state, CLOSE leaves for good.  */
static void
track_phase (zw_session *session, unsigned actions)
{
    if (actions & ZW_DO_CLOSE)
        session->phase = ZW_PHASE_CLOSED;
    else if (actions & ZW_DO_ATTACH)
        session->phase = ZW_PHASE_ACTIVE;
    else if (actions & ZW_DO_START_HANDSHAKE)
        session->phase = ZW_PHASE_HANDSHAKE;
}

unsigned
zw_session_step (zw_session *session, int event)
{
    unsigned actions = 0;
    if (session->phase == ZW_PHASE_CLOSED)
        return 0;                   /* nothing happens to a closed connection */
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    track_phase (session, actions);
    return actions;
}

int
zw_session_closed (const zw_session *session)
{
    return session->phase == ZW_PHASE_CLOSED;
}

int
zw_session_active (const zw_session *session)
{
    return session->phase == ZW_PHASE_ACTIVE;
}

const char *
zw_session_state_name (const zw_session *session)
{
    static const char *const names[] = { "greeting", "handshake", "active", "closed" };
    return names[session->phase];
}
