/* Fuzz target: the Mustache engine (lib/template.c) with partials, parents
 * and blocks, and the value tree it reads (lib/value.c). The input is
 * sections (fuzz.h): the unnamed one is the template, "=== data" holds
 * the data as JSON, and every other "=== NAME" is the partial NAME.
 * Without data the template gets the Markdown view of the fixture
 * project's report, the tree the real templates read, so the shipped
 * templates in the seed corpus render as in a build.
 *
 * Each template is rendered with the three escapes a build uses (HTML,
 * Markdown, YAML). A finding, besides a crash or a hang: a render that
 * fails without an error diagnostic, or succeeds with one. */
#include "render/view.h"
#include "fuzz.h"

/* ---- data: a small JSON reader --------------------------------------------- */

enum { MAX_DATA_DEPTH = 64 };

typedef struct json {
  const char *s, *end;
  lr_arena *arena;
} json;

static void json_space(json *j) {
  while (j->s < j->end && (*j->s == ' ' || *j->s == '\n' || *j->s == '\t' || *j->s == '\r')) j->s++;
}

static bool json_literal(json *j, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(j->end - j->s) < n || memcmp(j->s, word, n) != 0) return false;
  j->s += n;
  return true;
}

/* A string without escapes other than \" and \\: enough to reach every
 * byte but the quote, which the fuzzer gets with \". */
static char *json_string(json *j) {
  if (j->s >= j->end || *j->s != '"') return NULL;
  j->s++;
  lr_buf b = {0};
  while (j->s < j->end && *j->s != '"') {
    if (*j->s == '\\' && j->s + 1 < j->end) j->s++;
    lr_buf_putc(&b, *j->s++);
  }
  if (j->s < j->end) j->s++;
  char *out = lr_arena_strndup(j->arena, b.data ? b.data : "", b.len);
  lr_buf_free(&b);
  return out;
}

static lr_value *json_value(json *j, int depth) {
  json_space(j);
  if (j->s >= j->end || depth > MAX_DATA_DEPTH) return lr_value_null(j->arena);
  char c = *j->s;
  if (c == '{' || c == '[') {
    j->s++;
    lr_value *v = c == '{' ? lr_value_map(j->arena) : lr_value_list(j->arena);
    for (;;) {
      json_space(j);
      if (j->s >= j->end) return v;
      if (*j->s == '}' || *j->s == ']') {
        j->s++;
        return v;
      }
      if (*j->s == ',') {
        j->s++;
        continue;
      }
      if (c == '[') {
        const char *before = j->s;
        lr_value_push(v, json_value(j, depth + 1));
        if (j->s == before) j->s++; /* a byte that starts no value */
        continue;
      }
      char *key = json_string(j);
      if (!key) {
        j->s++;
        continue;
      }
      json_space(j);
      if (j->s < j->end && *j->s == ':') j->s++;
      lr_value_set(v, key, json_value(j, depth + 1));
    }
  }
  if (c == '"') return lr_value_string(j->arena, json_string(j));
  if (json_literal(j, "true")) return lr_value_bool(j->arena, true);
  if (json_literal(j, "false")) return lr_value_bool(j->arena, false);
  if (json_literal(j, "null")) return lr_value_null(j->arena);
  /* Numbers as strtod reads them, inf and nan included: the engine must
   * print whatever a view holds. */
  char buf[64];
  size_t n = 0;
  while (j->s + n < j->end && n + 1 < sizeof buf && strchr("+-.0123456789eEinfaINFA", j->s[n])) n++;
  memcpy(buf, j->s, n);
  buf[n] = '\0';
  char *stop;
  double d = strtod(buf, &stop);
  if (stop == buf) return lr_value_null(j->arena);
  j->s += stop - buf;
  return lr_value_number(j->arena, d);
}

/* ---- the fixture's report view, made once ---------------------------------- */

static const lr_value *fixture_view(void) {
  /* Kept for the process, and reachable, so no leak checker minds. */
  static lr_project *p;
  static const lr_value *view;
  if (view) return view;
  lr_load_options options = {.dir = LR_SOURCE_DIR "/tests/fixtures/minimal"};
  p = lr_project_load(&options);
  const lr_year *year = lr_project_year(p, 2022);
  if (!lr_project_ok(p) || !year) {
    fprintf(stderr, "the fixture project does not load\n");
    abort();
  }
  lr_arena *arena = lr_project_arena(p);
  const lr_report *report = lr_report_compute(p, year);
  lr_views *views = lr_views_new(arena, report, LR_OUTPUT_MD);
  lr_value *data = (lr_value *)lr_views_report(views, arena, LR_VIEW_MARKDOWN);
  /* Values of every kind under short names, for hand-written templates. */
  lr_value *list = lr_value_list(arena);
  for (int i = 0; i < 3; i++) {
    lr_value *item = lr_value_map(arena);
    lr_value_set_int(item, "n", i);
    lr_value_set_string(item, "s", i ? "<b>&\"'" : "");
    lr_value_push(list, item);
  }
  lr_value_set(data, "l", list);
  lr_value_set(data, "e", lr_value_list(arena));
  lr_value_set_string(data, "s", "a *b* [c](d) <e> & \"f\"\n- g");
  lr_value_set(data, "x", lr_value_number(arena, 1.5));
  lr_value_set(data, "z", lr_value_number(arena, -0.0));
  lr_value_set_bool(data, "t", true);
  lr_value_set_bool(data, "f", false);
  lr_value_set(data, "n", lr_value_null(arena));
  lr_value *map = lr_value_map(arena);
  lr_value_set(map, "l", list);
  lr_value_set_string(map, "name", "partial");
  lr_value_set(data, "m", map);
  view = data;
  return view;
}

/* ---- the target --------------------------------------------------------- */

static const char *partial(void *ctx, const char *name) {
  const fuzz_sections *sections = ctx;
  for (size_t i = 0; i < sections->count; i++)
    if (sections->items[i].name[0] && strcmp(sections->items[i].name, "data") != 0 &&
        strcmp(sections->items[i].name, name) == 0)
      return sections->items[i].text;
  return NULL;
}

static void render(const char *source, const lr_value *data, fuzz_sections *sections,
                   lr_escape_fn escape) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  /* Both modes, chosen by the input so that a crash replays: build's
   * strict one and the spec's. */
  lr_template_options options = {"fuzz.mustache", partial, sections, escape, strlen(source) % 2};
  lr_buf out = {0};
  bool ok = lr_template_render(source, data, &options, &out, &diags);
  FUZZ_ASSERT(ok == (diags.errors == 0), "render %s with %zu errors", ok ? "succeeded" : "failed",
              diags.errors);
  lr_buf shown = {0};
  for (size_t i = 0; i < diags.count; i++) {
    FUZZ_ASSERT(diags.items[i].message && diags.items[i].message[0], "a diagnostic without text");
    lr_diag_format(&diags.items[i], LR_FORMAT_SOURCE, &shown);
  }
  lr_diag_list_json(&diags, &shown);
  lr_buf_free(&shown);
  lr_buf_free(&out);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
  fuzz_sections sections = fuzz_split(bytes, size);
  const char *source = "";
  const fuzz_section *data_section = NULL;
  for (size_t i = 0; i < sections.count; i++) {
    if (!sections.items[i].name[0]) source = sections.items[i].text;
    if (strcmp(sections.items[i].name, "data") == 0) data_section = &sections.items[i];
  }
  lr_arena *arena = lr_arena_new();
  const lr_value *data = fixture_view();
  if (data_section) {
    json j = {data_section->text, data_section->text + data_section->size, arena};
    data = json_value(&j, 0);
  }
  static const lr_escape_fn escapes[] = {NULL, lr_escape_markdown, lr_escape_yaml};
  for (size_t i = 0; i < sizeof escapes / sizeof *escapes; i++)
    render(source, data, &sections, escapes[i]);
  lr_arena_free(arena);
  fuzz_sections_free(&sections);
  return 0;
}
