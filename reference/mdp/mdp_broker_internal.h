/*  mdp_broker_internal.h — the records of the broker core, shared by its
    files: mdp_broker.c (input, clients, MMI, time), mdp_broker_workers.c
    (the worker actions the machine names) and mdp_broker_services.c
    (queues and free lists).  Not an API.  */

#ifndef MDP_BROKER_INTERNAL_H
#define MDP_BROKER_INTERNAL_H

#include "mdp_broker.h"
#include "mdp_fault.h"
#include "role_frames.h"
#include "mdp_map.h"
#include "mdp_worker_view.h"

typedef struct mdp_request mdp_request;
typedef struct mdp_service mdp_service;
typedef struct mdp_worker_record mdp_worker_record;

/* A client's request, from arrival to its reply (or its loss). */
struct mdp_request {
    role_frames *client;         /* one frame: the client's ROUTER identity */
    zw_mdp_version client_version;
    role_frames *service;        /* one frame: the name, as the client sent it (M10) */
    role_frames *body;
    uint64_t arrived;
    int partials_forwarded;     /* a PARTIAL reached the client: no resend (M2-8) */
    mdp_request *next;
};

struct mdp_service {
    role_frames *name;           /* one frame; the map's key */
    mdp_request *head, *tail;   /* waiting, oldest first */
    size_t queued;
    mdp_worker_record *idle_head, *idle_tail;  /* free workers, least recently used first */
    size_t workers;             /* registered, idle or busy (M19) */
};

struct mdp_worker_record {
    mdp_worker_view view;
    role_frames *identity;       /* one frame; the map's key */
    zw_mdp_version version;
    mdp_service *service;       /* while registered */
    mdp_worker_record *idle_prev, *idle_next;
    int idle;                   /* on its service's free list */
    mdp_request *request;       /* the one it works on */
    uint64_t heard_at;          /* the last command from it */
    uint64_t sent_at;           /* the last command to it */
    uint64_t gone_until;        /* remembered after DISCONNECT until then (M2-17) */
};

/* What the step being run is about: the message that caused it, if any. */
typedef struct {
    uint64_t now;
    int event;
    const zw_mdp_message *message;
    const zw_mdp_frame *frames;
    const zw_error *error;      /* MDP_WV_INVALID */
    mdp_request *request;       /* MDP_WV_DISPATCH */
} mdp_step;

struct mdp_broker {
    mdp_broker_config config;
    mdp_broker_io io;
    mdp_map workers;            /* identity -> mdp_worker_record */
    mdp_map services;           /* name -> mdp_service */
    mdp_broker_stats stats;
    role_frames *last_client;    /* only for the fault MDP_FAULT_REPLY_TO_LAST_CLIENT */
};

/* mdp_broker.c */
void mdp_broker_log (mdp_broker *broker, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));
void mdp_broker_reply (mdp_broker *broker, mdp_request *request, zw_mdp_command command,
                       const zw_mdp_frame *body, size_t body_count);
void mdp_request_free (mdp_request *request);

/* mdp_broker_workers.c */
void mdp_worker_step (mdp_broker *broker, mdp_worker_record *worker, const mdp_step *step);
void mdp_worker_send (mdp_broker *broker, mdp_worker_record *worker, zw_mdp_command command,
                      const zw_mdp_frame *address, const zw_mdp_frame *body, size_t body_count,
                      uint64_t now);

/* mdp_broker_services.c */
mdp_service *mdp_service_get (mdp_broker *broker, const zw_mdp_frame *name, int create);
void mdp_service_release (mdp_broker *broker, mdp_service *service);
int mdp_service_enqueue (mdp_broker *broker, mdp_service *service, mdp_request *request);
void mdp_service_requeue (mdp_broker *broker, mdp_service *service, mdp_request *request);
void mdp_service_idle_add (mdp_service *service, mdp_worker_record *worker);
void mdp_service_idle_remove (mdp_service *service, mdp_worker_record *worker);
void mdp_service_dispatch (mdp_broker *broker, mdp_service *service, uint64_t now);
uint64_t mdp_service_expire (mdp_broker *broker, mdp_service *service, uint64_t now);

#endif
