/*  zw_subscriptions.c — a counted set of subscription topics (see the header).  */

#include <stdlib.h>
#include <string.h>
#include "zw_subscriptions.h"

static zw_topic **
find (zw_subscriptions *set, const uint8_t *topic, size_t size)
{
    zw_topic **at = &set->topics;
    while (*at && ((*at)->size != size || (size && memcmp ((*at)->data, topic, size) != 0)))
        at = &(*at)->next;
    return at;
}

size_t
zw_subscriptions_add (zw_subscriptions *set, const uint8_t *topic, size_t size)
{
    zw_topic **at = find (set, topic, size);
    if (*at)
        return ++(*at)->count;
    zw_topic *fresh = malloc (sizeof *fresh + size);
    if (!fresh)
        return 0;
    fresh->next = NULL;
    fresh->count = 1;
    fresh->size = size;
    if (size)
        memcpy (fresh->data, topic, size);
    *at = fresh;
    return 1;
}

size_t
zw_subscriptions_remove (zw_subscriptions *set, const uint8_t *topic, size_t size)
{
    zw_topic **at = find (set, topic, size);
    zw_topic *found = *at;
    if (!found)
        return SIZE_MAX;
    if (--found->count > 0)
        return found->count;
    *at = found->next;
    free (found);
    return 0;
}

int
zw_subscriptions_match (const zw_subscriptions *set, const uint8_t *data, size_t size)
{
    for (const zw_topic *t = set->topics; t; t = t->next)
        if (t->size <= size && (t->size == 0 || memcmp (t->data, data, t->size) == 0))
            return 1;
    return 0;
}

void
zw_subscriptions_clear (zw_subscriptions *set)
{
    while (set->topics) {
        zw_topic *next = set->topics->next;
        free (set->topics);
        set->topics = next;
    }
}
