/* Runs the official Mustache specification (the YAML files in
 * ../shared/mustache-spec) against lr_template_render. Test data gets YAML
 * 1.1 typing of plain scalars, as the spec's reference runners do; names,
 * templates, partials and expected output stay text. Lambdas are skipped:
 * views hold no code. */
#include "check.h"
#include "mustache/mustache.h"

#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static bool one_of(const char *s, const char *const *words) {
  for (; *words; words++)
    if (strcmp(s, *words) == 0) return true;
  return false;
}

static bool all_digits(const char *s, const char *digits) {
  return *s && strspn(s, digits) == strlen(s);
}

/* YAML 1.1 ints (decimal, 0x hex, 0 octal) and floats, underscores
 * allowed; anything else is not a number. */
static bool parse_number(const char *text, double *out) {
  char buf[64];
  size_t n = 0;
  for (const char *p = text; *p; p++) {
    if (*p == '_') continue;
    if (n + 1 >= sizeof buf) return false;
    buf[n++] = *p;
  }
  buf[n] = '\0';
  const char *s = buf;
  double sign = 1;
  if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
  static const char *const infinities[] = {".inf", ".Inf", ".INF", NULL};
  static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
  if (one_of(s, infinities)) {
    *out = sign * INFINITY;
    return true;
  }
  if (s == buf && one_of(s, nans)) {
    *out = NAN;
    return true;
  }
  if (s[0] == '0' && s[1] == 'x' &&
      all_digits(s + 2, "0123456789abcdefABCDEF")) {
    *out = sign * (double)strtoull(s + 2, NULL, 16);
    return true;
  }
  if (s[0] == '0' && all_digits(s + 1, "01234567")) {
    *out = sign * (double)strtoull(s + 1, NULL, 8);
    return true;
  }
  size_t i = strspn(s, "0123456789");
  bool digits = i > 0;
  if (s[i] == '.') {
    size_t fraction = strspn(s + i + 1, "0123456789");
    digits = digits || fraction > 0;
    i += 1 + fraction;
  }
  if (!digits) return false;
  if (s[i] == 'e' || s[i] == 'E') {
    i++;
    if (s[i] == '+' || s[i] == '-') i++;
    size_t exponent = strspn(s + i, "0123456789");
    if (!exponent) return false;
    i += exponent;
  }
  if (s[i]) return false;
  *out = strtod(buf, NULL);
  return true;
}

static lr_value *plain_scalar(lr_arena *arena, const char *s) {
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
  static const char *const trues[] = {"true", "True", "TRUE", "yes", "Yes",
                                      "YES",  "on",   "On",   "ON",  NULL};
  static const char *const falses[] = {"false", "False", "FALSE", "no",  "No",
                                       "NO",    "off",   "Off",   "OFF", NULL};
  double n;
  if (one_of(s, nulls)) return lr_value_null(arena);
  if (one_of(s, trues)) return lr_value_bool(arena, true);
  if (one_of(s, falses)) return lr_value_bool(arena, false);
  if (parse_number(s, &n)) return lr_value_number(arena, n);
  return lr_value_string(arena, s);
}

/* Everything under a `data` key is typed; the rest of a spec file is text. */
static lr_value *convert(lr_arena *arena, yaml_document_t *doc,
                         yaml_node_t *node, bool typed) {
  switch (node->type) {
  case YAML_SCALAR_NODE: {
    const char *text = lr_arena_strndup(
        arena, (const char *)node->data.scalar.value, node->data.scalar.length);
    if (typed && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
      return plain_scalar(arena, text);
    return lr_value_string(arena, text);
  }
  case YAML_SEQUENCE_NODE: {
    lr_value *list = lr_value_list(arena);
    for (yaml_node_item_t *item = node->data.sequence.items.start;
         item < node->data.sequence.items.top; item++)
      lr_value_push(
          list, convert(arena, doc, yaml_document_get_node(doc, *item), typed));
    return list;
  }
  case YAML_MAPPING_NODE: {
    lr_value *map = lr_value_map(arena);
    for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
         pair < node->data.mapping.pairs.top; pair++) {
      yaml_node_t *key = yaml_document_get_node(doc, pair->key);
      if (key->type != YAML_SCALAR_NODE) continue;
      const char *name = lr_arena_strndup(
          arena, (const char *)key->data.scalar.value, key->data.scalar.length);
      bool data = typed || strcmp(name, "data") == 0;
      lr_value_set(
          map, name,
          convert(arena, doc, yaml_document_get_node(doc, pair->value), data));
    }
    return map;
  }
  case YAML_NO_NODE: break;
  }
  return lr_value_null(arena);
}

static lr_value *load_spec(lr_arena *arena, const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "%s: cannot open\n", path);
    return NULL;
  }
  yaml_parser_t parser;
  yaml_document_t doc;
  lr_value *spec = NULL;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, file);
  if (yaml_parser_load(&parser, &doc)) {
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root) spec = convert(arena, &doc, root, false);
    yaml_document_delete(&doc);
  } else {
    fprintf(stderr, "%s:%zu: %s\n", path, parser.problem_mark.line + 1,
            parser.problem ? parser.problem : "YAML error");
  }
  yaml_parser_delete(&parser);
  fclose(file);
  return spec;
}

static const char *spec_partial(void *ctx, const char *name) {
  return lr_value_as_string(lr_value_get(ctx, name));
}

static const char *field(const lr_value *test, const char *key) {
  const char *s = lr_value_as_string(lr_value_get(test, key));
  return s ? s : "";
}

static void show(const char *label, const char *s) {
  lr_buf b = {0};
  lr_json_string(s, &b);
  fprintf(stderr, "  %-9s %s\n", label, lr_buf_cstr(&b));
  lr_buf_free(&b);
}

static bool run_test(lr_arena *arena, const char *file, const lr_value *test) {
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  /* The spec's own mode: a missing name renders as nothing. */
  lr_template_options options = {file, spec_partial,
                                 (void *)lr_value_get(test, "partials"), NULL, false};
  lr_buf out = {0};
  const char *template = field(test, "template");
  const char *expected = field(test, "expected");
  bool rendered = lr_template_render(template, lr_value_get(test, "data"),
                                     &options, &out, &diags);
  bool passed = rendered && strcmp(lr_buf_cstr(&out), expected) == 0;
  if (!passed) {
    fprintf(stderr, "FAIL %s: %s\n", file, field(test, "name"));
    show("template:", template);
    show("expected:", expected);
    show("got:", rendered ? lr_buf_cstr(&out) : "(error)");
    for (size_t i = 0; i < diags.count; i++) {
      lr_buf b = {0};
      lr_diag_format(&diags.items[i], false, &b);
      fprintf(stderr, "  %s", lr_buf_cstr(&b));
      lr_buf_free(&b);
    }
  }
  lr_buf_free(&out);
  lr_diag_list_release(&diags);
  return passed;
}

static void run_file(const char *path) {
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  if (strcmp(base, "~lambdas.yml") == 0) {
    printf("%s: skipped (lambdas need code in the data)\n", base);
    return;
  }
  lr_arena *arena = lr_arena_new();
  const lr_value *tests = lr_value_get(load_spec(arena, path), "tests");
  size_t total = lr_value_count(tests), passed = 0;
  for (size_t i = 0; i < total; i++) {
    if (run_test(arena, base, lr_value_at(tests, i))) {
      passed++;
      check_passed++;
    } else {
      check_failed++;
    }
  }
  if (!total) {
    fprintf(stderr, "%s: no tests found\n", base);
    check_failed++;
  }
  printf("%s: %zu/%zu\n", base, passed, total);
  lr_arena_free(arena);
}

int main(void) {
  glob_t files;
  if (glob(LR_SHARED_DIR "/mustache-spec/*.yml", 0, NULL, &files) != 0) {
    fprintf(stderr, "no spec files in %s/mustache-spec\n", LR_SHARED_DIR);
    return 1;
  }
  for (size_t i = 0; i < files.gl_pathc; i++) run_file(files.gl_pathv[i]);
  globfree(&files);
  return check_report();
}
