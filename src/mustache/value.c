/* The data tree that templates read: views are built from the model as
 * lr_values and handed to the Mustache engine. Everything lives in the
 * caller's arena, so a view is thrown away by freeing that arena. */
#include "mustache/mustache.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  /* Below this many keys a linear scan beats hashing (most keys differ in
   * their first byte); above it a map gets an index so that building and
   * reading large views stays linear. An activity has ten keys, and a
   * national build makes 20,000 of them: an index each would double the
   * view's memory. */
  MAP_INDEX_AT = 16,
};

typedef struct map_entry {
  const char *key;
  lr_value *value;
} map_entry;

struct lr_value {
  lr_value_kind kind;
  union {
    bool b;
    double n;
    const char *s;
    struct {
      lr_arena *arena;
      lr_value **items;
      size_t count, cap;
    } list;
    struct {
      lr_arena *arena;
      map_entry **entries; /* insertion order; entries never move */
      size_t count, cap;
      lr_index *index; /* key -> map_entry, once count passes MAP_INDEX_AT */
    } map;
  } as;
};

static lr_value *value_new(lr_arena *arena, lr_value_kind kind) {
  lr_value *v = lr_arena_alloc(arena, sizeof *v);
  v->kind = kind;
  return v;
}

lr_value *lr_value_null(lr_arena *arena) {
  return value_new(arena, LR_VALUE_NULL);
}

lr_value *lr_value_bool(lr_arena *arena, bool b) {
  lr_value *v = value_new(arena, LR_VALUE_BOOL);
  v->as.b = b;
  return v;
}

lr_value *lr_value_number(lr_arena *arena, double n) {
  lr_value *v = value_new(arena, LR_VALUE_NUMBER);
  v->as.n = n;
  return v;
}

lr_value *lr_value_string(lr_arena *arena, const char *s) {
  lr_value *v = value_new(arena, LR_VALUE_STRING);
  v->as.s = lr_arena_strdup(arena, s ? s : "");
  return v;
}

lr_value *lr_value_string_borrowed(lr_arena *arena, const char *s) {
  lr_value *v = value_new(arena, LR_VALUE_STRING);
  v->as.s = s ? s : "";
  return v;
}

lr_value *lr_value_list(lr_arena *arena) {
  lr_value *v = value_new(arena, LR_VALUE_LIST);
  v->as.list.arena = arena;
  return v;
}

lr_value *lr_value_map(lr_arena *arena) {
  lr_value *v = value_new(arena, LR_VALUE_MAP);
  v->as.map.arena = arena;
  return v;
}

/* Doubles an arena array of pointers; the old block stays in the arena,
 * which costs at most as much again as the final array. */
static void *grow_pointers(lr_arena *arena, void *old, size_t count,
                           size_t *cap) {
  size_t fresh_cap = *cap ? *cap * 2 : 8;
  void **fresh = lr_arena_array(arena, fresh_cap, sizeof(void *));
  if (count) memcpy(fresh, old, count * sizeof(void *));
  *cap = fresh_cap;
  return fresh;
}

void lr_value_push(lr_value *list, lr_value *item) {
  if (!list || list->kind != LR_VALUE_LIST) return;
  if (!item) item = lr_value_null(list->as.list.arena);
  if (list->as.list.count == list->as.list.cap)
    list->as.list.items =
        grow_pointers(list->as.list.arena, list->as.list.items,
                      list->as.list.count, &list->as.list.cap);
  list->as.list.items[list->as.list.count++] = item;
}

static map_entry *map_find(const lr_value *map, const char *key) {
  if (map->as.map.index) return lr_index_get(map->as.map.index, key);
  /* The first byte first: most keys differ there, and a view's maps are
   * built and read a million times in a national build. */
  for (size_t i = 0; i < map->as.map.count; i++) {
    const char *k = map->as.map.entries[i]->key;
    if (k[0] == key[0] && strcmp(k, key) == 0) return map->as.map.entries[i];
  }
  return NULL;
}

void lr_value_set(lr_value *map, const char *key, lr_value *value) {
  if (!map || map->kind != LR_VALUE_MAP || !key) return;
  lr_arena *arena = map->as.map.arena;
  /* A stored NULL would read as "no such key"; a null value keeps the key
   * visible, which Mustache's context lookup depends on. */
  if (!value) value = lr_value_null(arena);
  map_entry *e = map_find(map, key);
  if (e) {
    e->value = value;
    return;
  }
  e = lr_arena_alloc(arena, sizeof *e);
  e->key = lr_arena_strdup(arena, key);
  e->value = value;
  if (map->as.map.count == map->as.map.cap)
    map->as.map.entries = grow_pointers(arena, map->as.map.entries,
                                        map->as.map.count, &map->as.map.cap);
  map->as.map.entries[map->as.map.count++] = e;
  if (map->as.map.index) {
    lr_index_put(map->as.map.index, e->key, e);
  } else if (map->as.map.count > MAP_INDEX_AT) {
    map->as.map.index = lr_arena_alloc(arena, sizeof *map->as.map.index);
    lr_index_init(map->as.map.index, arena, map->as.map.count * 2);
    for (size_t i = 0; i < map->as.map.count; i++)
      lr_index_put(map->as.map.index, map->as.map.entries[i]->key,
                   map->as.map.entries[i]);
  }
}

void lr_value_set_string(lr_value *map, const char *key, const char *s) {
  if (!map || map->kind != LR_VALUE_MAP) return;
  lr_value_set(map, key, lr_value_string(map->as.map.arena, s));
}

void lr_value_set_borrowed(lr_value *map, const char *key, const char *s) {
  if (!map || map->kind != LR_VALUE_MAP) return;
  lr_value_set(map, key, lr_value_string_borrowed(map->as.map.arena, s));
}

void lr_value_set_int(lr_value *map, const char *key, long n) {
  if (!map || map->kind != LR_VALUE_MAP) return;
  lr_value_set(map, key, lr_value_number(map->as.map.arena, (double)n));
}

void lr_value_set_bool(lr_value *map, const char *key, bool b) {
  if (!map || map->kind != LR_VALUE_MAP) return;
  lr_value_set(map, key, lr_value_bool(map->as.map.arena, b));
}

lr_value_kind lr_value_kind_of(const lr_value *v) {
  return v ? v->kind : LR_VALUE_NULL;
}

const lr_value *lr_value_get(const lr_value *map, const char *key) {
  if (!map || map->kind != LR_VALUE_MAP || !key) return NULL;
  const map_entry *e = map_find(map, key);
  return e ? e->value : NULL;
}

size_t lr_value_count(const lr_value *v) {
  if (!v) return 0;
  if (v->kind == LR_VALUE_LIST) return v->as.list.count;
  if (v->kind == LR_VALUE_MAP) return v->as.map.count;
  return 0;
}

const lr_value *lr_value_at(const lr_value *list, size_t i) {
  if (!list || list->kind != LR_VALUE_LIST || i >= list->as.list.count)
    return NULL;
  return list->as.list.items[i];
}

const char *lr_value_key_at(const lr_value *map, size_t i) {
  if (!map || map->kind != LR_VALUE_MAP || i >= map->as.map.count) return NULL;
  return map->as.map.entries[i]->key;
}

const char *lr_value_as_string(const lr_value *v) {
  return v && v->kind == LR_VALUE_STRING ? v->as.s : NULL;
}

double lr_value_as_number(const lr_value *v) {
  return v && v->kind == LR_VALUE_NUMBER ? v->as.n : 0.0;
}

bool lr_value_as_bool(const lr_value *v) {
  return v && v->kind == LR_VALUE_BOOL && v->as.b;
}

/* Integral values read as counts ("85"), others in the shortest form that
 * reads back to the same double ("1.21", not "1.2100000000000000"). */
static void format_number(double n, lr_buf *out) {
  char text[40];
  if (isfinite(n) && n == trunc(n) && fabs(n) < 1e15) {
    snprintf(text, sizeof text, "%lld", (long long)n);
  } else {
    for (int precision = 1; precision <= 17; precision++) {
      snprintf(text, sizeof text, "%.*g", precision, n);
      if (strtod(text, NULL) == n) break;
    }
    /* A report must not change with the user's LC_NUMERIC. */
    char *comma = strchr(text, ',');
    if (comma) *comma = '.';
  }
  lr_buf_puts(out, text);
}

void lr_value_format(const lr_value *v, lr_buf *out) {
  switch (lr_value_kind_of(v)) {
  case LR_VALUE_STRING: lr_buf_puts(out, v->as.s); break;
  case LR_VALUE_NUMBER: format_number(v->as.n, out); break;
  case LR_VALUE_BOOL: lr_buf_puts(out, v->as.b ? "true" : "false"); break;
  case LR_VALUE_NULL:
  case LR_VALUE_LIST:
  case LR_VALUE_MAP: break;
  }
}
