/*  mdp_worker_session.rl — a Majordomo worker, its own session
    (mdp_worker_session.h).

    An event machine: alphtype int, one event per step, the events imported
    from mdp_worker_session.h.  Each action appends its code to the step
    list, so the core runs them in the order the grammar names them.  */

#include "mdp_worker_session.h"

%%{
    machine mdp_worker_session;
    alphtype int;
    access session->;
    import "mdp_worker_session.h";

    action connect          { actions[n++] = MDP_WSA_CONNECT; }
    action send_ready       { actions[n++] = MDP_WSA_SEND_READY; }
    action take_request     { actions[n++] = MDP_WSA_TAKE_REQUEST; }
    action send_partial     { actions[n++] = MDP_WSA_SEND_PARTIAL; }
    action send_reply       { actions[n++] = MDP_WSA_SEND_REPLY; }
    action send_heartbeat   { actions[n++] = MDP_WSA_SEND_HEARTBEAT; }
    action send_disconnect  { actions[n++] = MDP_WSA_SEND_DISCONNECT; }
    action drop_request     { actions[n++] = MDP_WSA_DROP_REQUEST; }
    action close            { actions[n++] = MDP_WSA_CLOSE; }
    action wait             { actions[n++] = MDP_WSA_WAIT; }
    action log_disconnect   { actions[n++] = MDP_WSA_LOG_DISCONNECT; }
    action log_expired      { actions[n++] = MDP_WSA_LOG_EXPIRED; }
    action log_busy         { actions[n++] = MDP_WSA_LOG_BUSY; }
    action log_unexpected   { actions[n++] = MDP_WSA_LOG_UNEXPECTED; }
    action log_invalid      { actions[n++] = MDP_WSA_LOG_INVALID; }
    action log_stale        { actions[n++] = MDP_WSA_LOG_STALE; }

    include "mdp_worker_session_grammar.rl";
}%%

%% write data;

void
mdp_worker_session_init (mdp_worker_session *session)
{
    %% write init;
}

size_t
mdp_worker_session_step (mdp_worker_session *session, int event,
                         mdp_worker_session_action *actions)
{
    size_t n = 0;
    int before = session->cs;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    if (session->cs == mdp_worker_session_error) {
        session->cs = before;       /* not an event of this state: nothing happens */
        return 0;
    }
    return n;
}

int
mdp_worker_session_stopped (const mdp_worker_session *session)
{
    return session->cs >= mdp_worker_session_first_final;
}
