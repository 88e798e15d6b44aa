/*  flp_server_view.rl — a Freelance client's view of one server (flp_server_view.h).

    An event machine: alphtype int, one event per step, the events imported
    from flp_server_view.h.  Each action appends its code to the step
    list, so the core runs them in the order the grammar names them.  */

#include "flp_server_view.h"

%%{
    machine flp_server_view;
    alphtype int;
    access view->;
    import "flp_server_view.h";

    action hear             { actions[n++] = FLP_SA_HEAR; }
    action up               { actions[n++] = FLP_SA_UP; }
    action down             { actions[n++] = FLP_SA_DOWN; }
    action ping             { actions[n++] = FLP_SA_PING; }
    action offer            { actions[n++] = FLP_SA_OFFER; }
    action log_live         { actions[n++] = FLP_SA_LOG_LIVE; }
    action log_gone         { actions[n++] = FLP_SA_LOG_GONE; }
    action log_lost         { actions[n++] = FLP_SA_LOG_LOST; }

    include "flp_server_view_grammar.rl";
}%%

%% write data;

void
flp_server_view_init (flp_server_view *view)
{
    %% write init;
}

size_t
flp_server_view_step (flp_server_view *view, int event, flp_server_action *actions)
{
    size_t n = 0;
    int before = view->cs;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    if (view->cs == flp_server_view_error) {
        view->cs = before;          /* not an event of this state: nothing happens */
        return 0;
    }
    return n;
}
