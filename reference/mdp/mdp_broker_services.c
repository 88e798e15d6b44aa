/*  mdp_broker_services.c — services: a queue of waiting requests and a
    list of free workers, least recently used first.  One entry per name,
    whatever the version of the workers that registered it (DECISIONS
    M2-1); an entry lives while it has a worker or a waiting request (M1).  */

#include <stdlib.h>
#include "mdp_broker_internal.h"

mdp_service *
mdp_service_get (mdp_broker *broker, const zw_mdp_frame *name, int create)
{
    mdp_service *service = mdp_map_get (&broker->services, name->data, name->size);
    if (service || !create)
        return service;
    service = calloc (1, sizeof *service);
    if (!service || !(service->name = role_frames_copy (name, 1))) {
        free (service);
        return NULL;
    }
    const zw_mdp_frame *key = &service->name->frame[0];
    if (mdp_map_put (&broker->services, key->data, key->size, service) != 0) {
        free (service->name);
        free (service);
        return NULL;
    }
    return service;
}

/* The entry goes once nothing holds it: no worker, no waiting request (M1). */
void
mdp_service_release (mdp_broker *broker, mdp_service *service)
{
    if (service->workers > 0 || service->head)
        return;
    const zw_mdp_frame *key = &service->name->frame[0];
    mdp_map_remove (&broker->services, key->data, key->size);
    free (service->name);
    free (service);
}

/*  Appends a request, within the bounds of M15 (per service and in all).
    Returns 0, or -1 when a queue is full (the caller drops the request).  */
int
mdp_service_enqueue (mdp_broker *broker, mdp_service *service, mdp_request *request)
{
    if (service->queued >= broker->config.queue_limit
        || broker->stats.queued >= broker->config.total_limit)
        return -1;
    request->next = NULL;
    if (service->tail)
        service->tail->next = request;
    else
        service->head = request;
    service->tail = request;
    service->queued++;
    broker->stats.queued++;
    return 0;
}

/*  A request given back by a worker that was lost: first in line again
    (M8).  Not bounded: it was counted when it first came in.  */
void
mdp_service_requeue (mdp_broker *broker, mdp_service *service, mdp_request *request)
{
    request->next = service->head;
    service->head = request;
    if (!service->tail)
        service->tail = request;
    service->queued++;
    broker->stats.queued++;
}

static mdp_request *
dequeue (mdp_service *service)
{
    mdp_request *request = service->head;
    service->head = request->next;
    if (!service->head)
        service->tail = NULL;
    service->queued--;
    return request;
}

/* mdp01.broker.worker-selection (M17): a freed worker goes last. */
void
mdp_service_idle_add (mdp_service *service, mdp_worker_record *worker)
{
    if (mdp_fault_on (MDP_LENIENT_MOST_RECENTLY_USED) && service->idle_head) {
        worker->idle_prev = NULL;
        worker->idle_next = service->idle_head;
        service->idle_head->idle_prev = worker;
        service->idle_head = worker;
        worker->idle = 1;
        return;
    }
    worker->idle_next = NULL;
    worker->idle_prev = service->idle_tail;
    if (service->idle_tail)
        service->idle_tail->idle_next = worker;
    else
        service->idle_head = worker;
    service->idle_tail = worker;
    worker->idle = 1;
}

void
mdp_service_idle_remove (mdp_service *service, mdp_worker_record *worker)
{
    if (!worker->idle)
        return;
    if (worker->idle_prev)
        worker->idle_prev->idle_next = worker->idle_next;
    else
        service->idle_head = worker->idle_next;
    if (worker->idle_next)
        worker->idle_next->idle_prev = worker->idle_prev;
    else
        service->idle_tail = worker->idle_prev;
    worker->idle = 0;
    worker->idle_prev = worker->idle_next = NULL;
}

/* Every waiting request that a free worker can take now, oldest first. */
void
mdp_service_dispatch (mdp_broker *broker, mdp_service *service, uint64_t now)
{
    while (service->head && service->idle_head) {
        mdp_worker_record *worker = service->idle_head;
        mdp_service_idle_remove (service, worker);
        mdp_request *request = dequeue (service);
        broker->stats.queued--;
        mdp_step step = { .now = now, .event = MDP_WV_DISPATCH, .request = request };
        mdp_worker_step (broker, worker, &step);
    }
}

/*  Requests that have waited request_expiry_ms for a service that still
    has no worker are dropped (mdp01.broker.expire-unknown-service, M1).
    Returns the next time one will be due (UINT64_MAX: none).  */
uint64_t
mdp_service_expire (mdp_broker *broker, mdp_service *service, uint64_t now)
{
    uint64_t expiry = broker->config.request_expiry_ms;
    if (service->workers > 0)
        return UINT64_MAX;
    while (service->head && now - service->head->arrived >= expiry) {
        mdp_request *request = dequeue (service);
        char name[64];
        role_frame_print (&request->service->frame[0], name, sizeof name);
        mdp_broker_log (broker, "service %s: request dropped after %llu ms with no worker "
                        "[mdp01.broker.expire-unknown-service]", name, (unsigned long long) expiry);
        broker->stats.queued--;
        broker->stats.dropped++;
        mdp_request_free (request);
    }
    return service->head ? service->head->arrived + expiry : UINT64_MAX;
}
