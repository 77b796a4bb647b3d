/* Hash indexes for id lookups (actors, goals, anchors) and address-keyed
 * caches: linear probing over a power-of-two table, grown at half load. */
#include "util/util.h"

#include <string.h>

static size_t hash_string(const char *s) {
  /* FNV-1a: short keys, no adversarial need beyond the 10 MiB input cap. */
  size_t h = (size_t)14695981039346656037ULL;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    h ^= *p;
    h *= (size_t)1099511628211ULL;
  }
  return h;
}

static size_t hash_pointer(const void *p) {
  /* Arena addresses share their low bits; a multiply spreads them. */
  uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
  return (size_t)(h >> 17 ^ h);
}

static void init(lr_index *index, lr_arena *arena, size_t expected, bool by_address) {
  size_t cap = 16;
  while (cap < expected * 2) cap *= 2;
  index->arena = arena;
  index->cap = cap;
  index->count = 0;
  index->by_address = by_address;
  index->keys = lr_arena_array(arena, cap, sizeof *index->keys);
  index->values = lr_arena_array(arena, cap, sizeof *index->values);
}

static size_t slot_of(const lr_index *index, const void *key) {
  size_t mask = index->cap - 1;
  if (index->by_address) {
    size_t i = hash_pointer(key) & mask;
    while (index->keys[i] && index->keys[i] != key) i = (i + 1) & mask;
    return i;
  }
  size_t i = hash_string(key) & mask;
  while (index->keys[i] && strcmp(index->keys[i], key) != 0) i = (i + 1) & mask;
  return i;
}

static void *put(lr_index *index, const void *key, void *value) {
  if ((index->count + 1) * 2 > index->cap) {
    lr_index bigger;
    init(&bigger, index->arena, index->cap, index->by_address);
    for (size_t i = 0; i < index->cap; i++)
      if (index->keys[i]) put(&bigger, index->keys[i], index->values[i]);
    *index = bigger; /* the old table stays in the arena until it is freed */
  }
  size_t i = slot_of(index, key);
  if (index->keys[i]) return index->values[i];
  index->keys[i] = key;
  index->values[i] = value;
  index->count++;
  return value;
}

static void *get(const lr_index *index, const void *key) {
  if (!index->cap) return NULL;
  size_t i = slot_of(index, key);
  return index->keys[i] ? index->values[i] : NULL;
}

void lr_index_init(lr_index *index, lr_arena *arena, size_t expected) { init(index, arena, expected, false); }
void *lr_index_put(lr_index *index, const char *key, void *value) { return put(index, key, value); }
void *lr_index_get(const lr_index *index, const char *key) { return get(index, key); }

void lr_ptr_index_init(lr_ptr_index *index, lr_arena *arena, size_t expected) { init(index, arena, expected, true); }
void *lr_ptr_index_put(lr_ptr_index *index, const void *key, void *value) { return put(index, key, value); }
void *lr_ptr_index_get(const lr_ptr_index *index, const void *key) { return get(index, key); }
