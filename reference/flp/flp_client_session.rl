/*  flp_client_session.rl — the Freelance client's request (flp_client_session.h).

    An event machine: alphtype int, one event per step, the events imported
    from flp_client_session.h.  Each action appends its code to the step
    list, so the core runs them in the order the grammar names them.  */

#include "flp_client_session.h"

%%{
    machine flp_client_session;
    alphtype int;
    access session->;
    import "flp_client_session.h";

    action keep             { actions[n++] = FLP_CA_KEEP; }
    action send             { actions[n++] = FLP_CA_SEND; }
    action search           { actions[n++] = FLP_CA_SEARCH; }
    action refuse           { actions[n++] = FLP_CA_REFUSE; }
    action retry            { actions[n++] = FLP_CA_RETRY; }
    action forget           { actions[n++] = FLP_CA_FORGET; }
    action deliver_answer   { actions[n++] = FLP_CA_DELIVER_ANSWER; }
    action deliver_timed_out { actions[n++] = FLP_CA_DELIVER_TIMED_OUT; }
    action deliver_no_server { actions[n++] = FLP_CA_DELIVER_NO_SERVER; }
    action log_gave_up      { actions[n++] = FLP_CA_LOG_GAVE_UP; }
    action log_no_server    { actions[n++] = FLP_CA_LOG_NO_SERVER; }
    action log_stale        { actions[n++] = FLP_CA_LOG_STALE; }
    action log_invalid      { actions[n++] = FLP_CA_LOG_INVALID; }

    include "flp_client_session_grammar.rl";
}%%

%% write data;

void
flp_client_session_init (flp_client_session *session)
{
    %% write init;
}

size_t
flp_client_session_step (flp_client_session *session, int event, flp_client_action *actions)
{
    size_t n = 0;
    int before = session->cs;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    if (session->cs == flp_client_session_error) {
        session->cs = before;       /* not an event of this state: nothing happens */
        return 0;
    }
    return n;
}

/* Three states: idle (the start), waiting and searching. */
int
flp_client_session_busy (const flp_client_session *session)
{
    return session->cs != flp_client_session_start && session->cs != flp_client_session_error;
}
