/*  mdp_map.h — a map from byte strings (ROUTER identities, service names)
    to records, for the Majordomo roles.  The map borrows each key from its
    record (the record must keep the key's octets until it is removed), and
    grows as it fills, so lookups stay O(1) however many peers connect.  */

#ifndef MDP_MAP_H
#define MDP_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct mdp_map_entry {
    const uint8_t *key;
    size_t size;
    void *value;
    struct mdp_map_entry *next;
} mdp_map_entry;

typedef struct {
    mdp_map_entry **buckets;
    size_t bucket_count, count;
} mdp_map;

void mdp_map_init (mdp_map *map);

/* Frees the map's own memory (not the records). */
void mdp_map_clear (mdp_map *map);

void *mdp_map_get (const mdp_map *map, const void *key, size_t size);

/* Adds key (not present yet) -> value; returns 0, or -1 when out of memory. */
int mdp_map_put (mdp_map *map, const void *key, size_t size, void *value);

/* Removes key if present. */
void mdp_map_remove (mdp_map *map, const void *key, size_t size);

/* Calls fn (value, arg) for every record; fn may remove that record. */
void mdp_map_each (mdp_map *map, void (*fn) (void *value, void *arg), void *arg);

#endif
