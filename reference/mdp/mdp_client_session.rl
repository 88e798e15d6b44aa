/*  mdp_client_session.rl — the Majordomo client session (mdp_client_session.h).

    An event machine: alphtype int, one event per step, the events imported
    from mdp_client_session.h.  Each action appends its code to the step
    list, so the core runs them in the order the grammar names them.  */

#include "mdp_client_session.h"

%%{
    machine mdp_client_session;
    alphtype int;
    access session->;
    import "mdp_client_session.h";

    action keep             { actions[n++] = MDP_CA_KEEP; }
    action send             { actions[n++] = MDP_CA_SEND; }
    action refuse           { actions[n++] = MDP_CA_REFUSE; }
    action restart_timer    { actions[n++] = MDP_CA_RESTART_TIMER; }
    action deliver_partial  { actions[n++] = MDP_CA_DELIVER_PARTIAL; }
    action deliver_final    { actions[n++] = MDP_CA_DELIVER_FINAL; }
    action deliver_timeout  { actions[n++] = MDP_CA_DELIVER_TIMEOUT; }
    action retry            { actions[n++] = MDP_CA_RETRY; }
    action reconnect        { actions[n++] = MDP_CA_RECONNECT; }
    action forget           { actions[n++] = MDP_CA_FORGET; }
    action log_gave_up      { actions[n++] = MDP_CA_LOG_GAVE_UP; }
    action log_stray        { actions[n++] = MDP_CA_LOG_STRAY; }
    action log_unexpected   { actions[n++] = MDP_CA_LOG_UNEXPECTED; }
    action log_invalid      { actions[n++] = MDP_CA_LOG_INVALID; }

    include "mdp_client_session_grammar.rl";
}%%

%% write data;

void
mdp_client_session_init (mdp_client_session *session)
{
    %% write init;
}

size_t
mdp_client_session_step (mdp_client_session *session, int event, mdp_client_action *actions)
{
    size_t n = 0;
    int before = session->cs;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    if (session->cs == mdp_client_session_error) {
        session->cs = before;       /* not an event of this state: nothing happens */
        return 0;
    }
    return n;
}

/* Two states: idle (the start) and waiting. */
int
mdp_client_session_waiting (const mdp_client_session *session)
{
    return session->cs != mdp_client_session_start && session->cs != mdp_client_session_error;
}
