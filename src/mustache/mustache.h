/* The Mustache engine and the data tree it reads (spec v1.x with
 * inheritance). It knows nothing of reports: views are built elsewhere. */
#ifndef LR_MUSTACHE_H
#define LR_MUSTACHE_H

#include "util/util.h"

/* ---- template data and Mustache -------------------------------------- */

typedef enum lr_value_kind {
  LR_VALUE_NULL,
  LR_VALUE_BOOL,
  LR_VALUE_NUMBER,
  LR_VALUE_STRING,
  LR_VALUE_LIST,
  LR_VALUE_MAP,
} lr_value_kind;

/* A JSON-like tree that templates read. Arena-owned. Map keys keep their
 * insertion order; lookup is by name. */
typedef struct lr_value lr_value;

lr_value *lr_value_null(lr_arena *arena);
lr_value *lr_value_bool(lr_arena *arena, bool b);
lr_value *lr_value_number(lr_arena *arena, double n);
lr_value *lr_value_string(lr_arena *arena, const char *s); /* copies */
lr_value *lr_value_list(lr_arena *arena);
lr_value *lr_value_map(lr_arena *arena);
void lr_value_push(lr_value *list, lr_value *item);
void lr_value_set(lr_value *map, const char *key, lr_value *value);
/* Shorthands for building views. */
void lr_value_set_string(lr_value *map, const char *key, const char *s);
void lr_value_set_int(lr_value *map, const char *key, long n);
void lr_value_set_bool(lr_value *map, const char *key, bool b);

lr_value_kind lr_value_kind_of(const lr_value *v);
const lr_value *lr_value_get(const lr_value *map, const char *key);
size_t lr_value_count(const lr_value *v); /* items of a list, entries of a map */
const lr_value *lr_value_at(const lr_value *list, size_t i);
const char *lr_value_key_at(const lr_value *map, size_t i);
const char *lr_value_as_string(const lr_value *v); /* NULL unless a string */
double lr_value_as_number(const lr_value *v);
bool lr_value_as_bool(const lr_value *v);
/* Appends the text {{x}} shows for v: strings as they are, integral numbers
 * without decimals ("85"), other numbers in shortest round-trip form
 * ("1.21"), booleans as true/false; null, lists and maps add nothing. */
void lr_value_format(const lr_value *v, lr_buf *out);

/* Returns the text of a partial by name, or NULL if there is none. */
typedef const char *(*lr_partial_fn)(void *ctx, const char *name);
/* Escapes an interpolated value ({{x}}); NULL means HTML escaping. */
typedef void (*lr_escape_fn)(const char *s, size_t n, lr_buf *out);

typedef struct lr_template_options {
  const char *name;       /* template file name, for diagnostics */
  lr_partial_fn partials; /* may be NULL: no partials */
  void *partials_ctx;
  lr_escape_fn escape; /* NULL: HTML escaping */
  /* A name nothing in scope has is an error, not the spec's empty text. */
  bool strict;
} lr_template_options;

/* Renders a Mustache template (spec v1.x: core modules and inheritance).
 * Appends to out. Returns false and adds error diagnostics (with line and
 * column in the template) when the template is malformed. */
bool lr_template_render(const char *source, const lr_value *data,
                        const lr_template_options *options, lr_buf *out,
                        lr_diag_list *diags);
void lr_escape_html(const char *s, size_t n, lr_buf *out);

/* ---- views ----------------------------------------------------------- */

/* A string value that points at s instead of copying it, for views built
 * from text that outlives them (the model, cached prose): a national
 * build would otherwise copy every description into every view. */
lr_value *lr_value_string_borrowed(lr_arena *arena, const char *s);
void lr_value_set_borrowed(lr_value *map, const char *key, const char *s);

#endif
