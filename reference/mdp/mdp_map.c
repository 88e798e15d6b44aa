/*  mdp_map.c — chained hash map from byte strings to records (mdp_map.h). */

#include <stdlib.h>
#include <string.h>
#include "mdp_map.h"

static uint64_t
hash (const uint8_t *key, size_t size)
{
    uint64_t h = 0xcbf29ce484222325u;     /* FNV-1a */
    for (size_t i = 0; i < size; i++)
        h = (h ^ key[i]) * 0x100000001b3u;
    return h;
}

void
mdp_map_init (mdp_map *map)
{
    memset (map, 0, sizeof *map);
}

void
mdp_map_clear (mdp_map *map)
{
    for (size_t b = 0; b < map->bucket_count; b++)
        for (mdp_map_entry *e = map->buckets[b], *next; e; e = next) {
            next = e->next;
            free (e);
        }
    free (map->buckets);
    mdp_map_init (map);
}

static mdp_map_entry **
slot (const mdp_map *map, const void *key, size_t size)
{
    if (map->bucket_count == 0)
        return NULL;
    mdp_map_entry **at = &map->buckets[hash (key, size) & (map->bucket_count - 1)];
    while (*at && ((*at)->size != size || memcmp ((*at)->key, key, size) != 0))
        at = &(*at)->next;
    return at;
}

void *
mdp_map_get (const mdp_map *map, const void *key, size_t size)
{
    mdp_map_entry **at = slot (map, key, size);
    return at && *at ? (*at)->value : NULL;
}

/* Doubles the buckets (a power of two) once the map holds as many records. */
static int
grow (mdp_map *map)
{
    size_t count = map->bucket_count ? map->bucket_count * 2 : 16;
    mdp_map_entry **buckets = calloc (count, sizeof *buckets);
    if (!buckets)
        return -1;
    for (size_t b = 0; b < map->bucket_count; b++)
        for (mdp_map_entry *e = map->buckets[b], *next; e; e = next) {
            next = e->next;
            mdp_map_entry **head = &buckets[hash (e->key, e->size) & (count - 1)];
            e->next = *head;
            *head = e;
        }
    free (map->buckets);
    map->buckets = buckets;
    map->bucket_count = count;
    return 0;
}

int
mdp_map_put (mdp_map *map, const void *key, size_t size, void *value)
{
    if (map->count >= map->bucket_count && grow (map) != 0)
        return -1;
    mdp_map_entry *e = malloc (sizeof *e);
    if (!e)
        return -1;
    mdp_map_entry **head = &map->buckets[hash (key, size) & (map->bucket_count - 1)];
    *e = (mdp_map_entry) { key, size, value, *head };
    *head = e;
    map->count++;
    return 0;
}

void
mdp_map_remove (mdp_map *map, const void *key, size_t size)
{
    mdp_map_entry **at = slot (map, key, size);
    if (!at || !*at)
        return;
    mdp_map_entry *gone = *at;
    *at = gone->next;
    free (gone);
    map->count--;
}

void
mdp_map_each (mdp_map *map, void (*fn) (void *value, void *arg), void *arg)
{
    for (size_t b = 0; b < map->bucket_count; b++)
        for (mdp_map_entry *e = map->buckets[b], *next; e; e = next) {
            next = e->next;             /* fn may remove e */
            fn (e->value, arg);
        }
}
