/*  zw_subscriptions.h — a counted set of subscription topics.

    Publishers filter by prefix (zmtp31.pubsub.publisher-filters,
    zmtp31.pubsub.prefix-match): a message matches when its first frame
    begins with one of the topics, and the empty topic matches everything
    (zmtp31.pubsub.empty-matches-all).  Subscriptions add up
    (zmtp31.pubsub.additive) and are counted: each subscription needs its
    own cancellation (zmtp31.pubsub.counted).  A plain list: topic sets
    are small, and this is a reference, not a router.  */

#ifndef ZW_SUBSCRIPTIONS_H
#define ZW_SUBSCRIPTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef struct zw_topic {
    struct zw_topic *next;
    size_t count;
    size_t size;
    uint8_t data[];
} zw_topic;

typedef struct {
    zw_topic *topics;
} zw_subscriptions;

/* Adds one subscription; returns the topic's count after it (0 when out of memory). */
size_t zw_subscriptions_add (zw_subscriptions *set, const uint8_t *topic, size_t size);

/*  Cancels one subscription; returns the topic's count after it, or
    SIZE_MAX when the topic was not subscribed (nothing changes).  */
size_t zw_subscriptions_remove (zw_subscriptions *set, const uint8_t *topic, size_t size);

/* 1 if data (size octets: a message's first frame) matches a topic. */
int zw_subscriptions_match (const zw_subscriptions *set, const uint8_t *data, size_t size);

void zw_subscriptions_clear (zw_subscriptions *set);

#endif
