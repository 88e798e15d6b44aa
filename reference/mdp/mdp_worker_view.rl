/*  mdp_worker_view.rl — the broker's view of one worker (mdp_worker_view.h).

    An event machine: alphtype int, one event per step, the events imported
    from mdp_worker_view.h.  Each action appends its code to the step's
    list, so the core runs them in the order the grammar names them.  */

#include "mdp_worker_view.h"

%%{
    machine mdp_worker_view;
    alphtype int;
    access view->;
    import "mdp_worker_view.h";

    action register         { actions[n++] = MDP_WA_REGISTER; }
    action unregister       { actions[n++] = MDP_WA_UNREGISTER; }
    action send_request     { actions[n++] = MDP_WA_SEND_REQUEST; }
    action forward_partial  { actions[n++] = MDP_WA_FORWARD_PARTIAL; }
    action deliver_reply    { actions[n++] = MDP_WA_DELIVER_REPLY; }
    action idle             { actions[n++] = MDP_WA_IDLE; }
    action requeue          { actions[n++] = MDP_WA_REQUEUE; }
    action send_disconnect  { actions[n++] = MDP_WA_SEND_DISCONNECT; }
    action log_unexpected   { actions[n++] = MDP_WA_LOG_UNEXPECTED; }
    action log_invalid      { actions[n++] = MDP_WA_LOG_INVALID; }
    action log_expired      { actions[n++] = MDP_WA_LOG_EXPIRED; }
    action remember         { actions[n++] = MDP_WA_REMEMBER; }
    action forget           { actions[n++] = MDP_WA_FORGET; }

    include "mdp_worker_view_grammar.rl";
}%%

%% write data;

void
mdp_worker_view_init (mdp_worker_view *view)
{
    %% write init;
}

size_t
mdp_worker_view_step (mdp_worker_view *view, int event, mdp_worker_action *actions)
{
    size_t n = 0;
    int before = view->cs;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    if (view->cs == mdp_worker_view_error) {
        view->cs = before;          /* not an event of this state: nothing happens */
        return 0;
    }
    return n;
}

int
mdp_worker_view_forgotten (const mdp_worker_view *view)
{
    return view->cs >= mdp_worker_view_first_final;
}
