/* Fuzz target: loading a project (strategy, registry, statements and the
 * report texts) and everything made from a loaded year without writing
 * files: the report, its Markdown and HTML pages and every feedback page,
 * and the comparison with the year before as text, Markdown and JSON.
 *
 * The loader reads files only, so the input's sections (fuzz.h) are
 * written into a fresh project folder under $TMPDIR, each "=== PATH" to
 * PATH. Accepted paths are strategi.yaml, aktorer.yaml, YYYY/rapport.yaml
 * and YYYY/yttranden/NAME.yaml (or .yml); others are skipped, so nothing
 * is written outside the folder. The configuration is fixed: it could
 * point the loader at any folder on the machine. An input without
 * sections is one file in the minimal fixture (is_registry below).
 *
 * A finding, besides a crash: a diagnostic without text, or with a line
 * but no file; a section that check --fix repairs into text that a second
 * repair would change; a loaded year's Markdown page that, read back, shows an
 * image, raw HTML or a control character; a control byte in an HTML
 * page. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "render/view.h"
#include "fuzz.h"
#include "readback.h"

#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

/* Below the 32 files from which lib/project.c loads on threads: a thread
 * per input would slow the fuzzer down for no new paths. */
enum { MAX_STATEMENTS = 31, MAX_NAME = 64 };

static const char CONFIG[] =
    "region: Provlän\n"
    "strategi: strategi.yaml\n"
    "aktörer: aktorer.yaml\n"
    "avsändare: \"Länsstyrelsen i Provlän <kvinnofrid@lansstyrelsen.example>\"\n";

/* ---- the project folder ---------------------------------------------------- */

static char base[4096];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  remove(path);
  return 0;
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void remove_base(void) { remove_tree(base); }

/* One folder for the process, removed at exit; each input gets a fresh
 * project folder inside it. */
static const char *base_dir(void) {
  if (base[0]) return base;
  const char *tmp = getenv("TMPDIR");
  snprintf(base, sizeof base, "%s/lr-fuzz-load-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(base)) {
    perror(base);
    abort();
  }
  atexit(remove_base);
  return base;
}

static bool is_year(const char *s) {
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return s[4] == '/';
}

/* A statement's file name: letters (å, ä, ö too), digits, "-", "_" and
 * ".", not starting with "."; and .yaml or .yml. */
static bool is_statement_name(const char *s) {
  size_t n = strlen(s);
  if (!n || n > MAX_NAME || s[0] == '.' || !lr_utf8_valid(s, n, NULL)) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return (n > 5 && strcmp(s + n - 5, ".yaml") == 0) || (n > 4 && strcmp(s + n - 4, ".yml") == 0);
}

/* 0: not a path we write; 1: a file of the project; 2: a statement. */
static int path_kind(const char *path) {
  if (strcmp(path, "strategi.yaml") == 0 || strcmp(path, "aktorer.yaml") == 0) return 1;
  if (strlen(path) < 5 || !is_year(path)) return 0;
  if (strcmp(path + 5, "rapport.yaml") == 0) return 1;
  if (strncmp(path + 5, "yttranden/", 10) == 0 && is_statement_name(path + 15)) return 2;
  return 0;
}

static void write_file(const char *dir, const char *rel, const char *data, size_t size) {
  char path[8192];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (mkdir(path, 0700) != 0 && errno != EEXIST) {
      perror(path);
      abort();
    }
    *slash = '/';
  }
  FILE *f = fopen(path, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    perror(path);
    abort();
  }
}

/* An input without sections is one file put into the minimal fixture, as
 * the loader's own regression inputs are (tests/unit/test_loaders.c): the
 * registry if it starts with "aktörer:" after its comments, else aneby's
 * statement for 2022. */
static bool is_registry(const char *text) {
  for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
    if (*line == '#' || *line == '\n') continue;
    return strncmp(line, "aktörer:", strlen("aktörer:")) == 0;
  }
  return false;
}

static const char *fixture_target;

static int copy_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)ftw;
  static const char fixture[] = LR_SOURCE_DIR "/tests/fixtures/minimal/";
  if (flag != FTW_F) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    abort();
  }
  lr_buf text = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lr_buf_put(&text, chunk, n);
  fclose(f);
  write_file(fixture_target, path + sizeof fixture - 1, text.data ? text.data : "", text.len);
  lr_buf_free(&text);
  return 0;
}

static void copy_fixture(const char *dir) {
  fixture_target = dir;
  if (nftw(LR_SOURCE_DIR "/tests/fixtures/minimal", copy_entry, 16, FTW_PHYS) != 0) {
    perror("tests/fixtures/minimal");
    abort();
  }
}

/* ---- what is made from a loaded project ------------------------------------- */

/* The built-in templates and their section titles, as build reads them:
 * read once and kept for the process. */
static lr_templates *builtin_templates(lr_value **titles) {
  static lr_arena *arena;
  static lr_templates *templates;
  static lr_value *read_titles;
  if (!templates) {
    arena = lr_arena_new();
    templates = lr_templates_new(arena, NULL, LR_SOURCE_DIR "/report-templates");
    lr_diag_list diags = {0};
    read_titles = lr_templates_titles(templates, &diags);
    FUZZ_ASSERT(read_titles, "the built-in rubriker.yaml failed");
    lr_diag_list_release(&diags);
  }
  if (titles) *titles = read_titles;
  return templates;
}

static void check_page(const char *what, lr_buf *page, lr_view_format format) {
  if (format == LR_VIEW_MARKDOWN) {
    const char *unsafe = readback_markdown_unsafe(page->data ? page->data : "", page->len);
    FUZZ_ASSERT(!unsafe, "%s shows %s:\n%s", what, unsafe, page->data);
  } else {
    const char *control = fuzz_find_control(page->data ? page->data : "", page->len);
    FUZZ_ASSERT(!control, "%s has a control byte 0x%02X", what, (unsigned)*control);
  }
}

/* What went wrong, for a failed assertion: the process aborts after it. */
static const char *diags_text(lr_diag_list *diags) {
  static lr_buf text;
  lr_buf_clear(&text);
  lr_diag_list_format(diags, 0, &text);
  return text.data ? text.data : "";
}

static void render_pages(lr_project *p, const lr_report *report) {
  lr_diag_list *diags = lr_project_diagnostics(p);
  lr_views *views = lr_views_new(lr_project_arena(p), report, LR_OUTPUT_MD | LR_OUTPUT_HTML);
  lr_value *titles = NULL;
  lr_templates *templates = builtin_templates(&titles);
  lr_views_set_titles(views, titles);
  static const struct {
    lr_view_format format;
    const char *report, *feedback;
    lr_escape_fn escape;
  } kinds[] = {{LR_VIEW_MARKDOWN, "lagesrapport.md", "aterkoppling.md", lr_escape_markdown},
               {LR_VIEW_HTML, "lagesrapport.html", "aterkoppling.html", NULL}};
  for (size_t k = 0; k < 2; k++) {
    lr_arena *scratch = lr_arena_new();
    lr_buf page = {0};
    const lr_value *view = lr_views_report(views, scratch, kinds[k].format);
    bool ok = lr_templates_render(templates, kinds[k].report, view, kinds[k].escape, &page, diags);
    FUZZ_ASSERT(ok, "the built-in template %s failed:\n%s", kinds[k].report, diags_text(diags));
    check_page(kinds[k].report, &page, kinds[k].format);
    for (size_t a = 0; a < report->actor_count; a++) {
      if (!report->actors[a].statement) continue;
      lr_buf_clear(&page);
      view = lr_views_feedback(views, scratch, &report->actors[a], kinds[k].format);
      ok = lr_templates_render(templates, kinds[k].feedback, view, kinds[k].escape, &page, diags);
      FUZZ_ASSERT(ok, "the built-in template %s failed:\n%s", kinds[k].feedback, diags_text(diags));
      check_page(kinds[k].feedback, &page, kinds[k].format);
    }
    lr_buf_free(&page);
    lr_arena_free(scratch);
  }
}

static void check_diagnostics(lr_project *p) {
  const lr_diag_list *diags = lr_project_diagnostics(p);
  lr_buf shown = {0};
  for (size_t i = 0; i < diags->count; i++) {
    const lr_diag *d = &diags->items[i];
    FUZZ_ASSERT(d->message && d->message[0], "a diagnostic without text");
    FUZZ_ASSERT(d->loc.line <= 0 || d->loc.file, "a line without a file: %s", d->message);
    lr_diag_format(d, LR_FORMAT_SOURCE | LR_FORMAT_COLOR, &shown);
  }
  lr_diag_list_json(diags, &shown);
  lr_buf_free(&shown);
}

/* check --fix on the text: a repair must parse, and a second repair of
 * what the first made must change nothing. */
static void check_repair(const char *text, size_t size) {
  lr_arena *arena = lr_arena_new();
  lr_repair *r = lr_xmalloc(sizeof *r);
  lr_buf once = {0}, twice = {0};
  if (lr_yaml_repair(arena, text, size, &once, r) && r->note_count) {
    FUZZ_ASSERT(lr_yaml_repair(arena, once.data ? once.data : "", once.len, &twice, r),
                "the repaired text is refused: %s", r->refusal);
    FUZZ_ASSERT(r->note_count == 0, "a second repair changes line %d: %s", r->notes[0].line,
                r->notes[0].change);
    FUZZ_ASSERT(twice.len == once.len && memcmp(twice.data, once.data, once.len) == 0,
                "a second repair changes the text");
  }
  lr_buf_free(&once);
  lr_buf_free(&twice);
  free(r);
  lr_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
  static unsigned long runs;
  char dir[8192];
  snprintf(dir, sizeof dir, "%s/%lu", base_dir(), runs++);
  if (mkdir(dir, 0700) != 0) {
    perror(dir);
    abort();
  }
  write_file(dir, "lagesrapport.yaml", CONFIG, sizeof CONFIG - 1);
  fuzz_sections sections = fuzz_split(bytes, size);
  if (sections.count == 1 && !sections.items[0].name[0]) {
    const fuzz_section *s = &sections.items[0];
    copy_fixture(dir);
    write_file(dir, is_registry(s->text) ? "aktorer.yaml" : "2022/yttranden/aneby.yaml", s->text, s->size);
  }
  size_t statements = 0;
  for (size_t i = 0; i < sections.count; i++) {
    const fuzz_section *s = &sections.items[i];
    check_repair(s->text, s->size);
    int kind = path_kind(s->name);
    if (!kind || (kind == 2 && statements++ >= MAX_STATEMENTS)) continue;
    write_file(dir, s->name, s->text, s->size);
  }
  fuzz_sections_free(&sections);

  lr_load_options options = {.dir = dir};
  lr_project *p = lr_project_load(&options);
  check_diagnostics(p);
  if (lr_project_ok(p)) {
    size_t year_count;
    const lr_year *years = lr_project_years(p, &year_count);
    const lr_year *before = NULL;
    for (size_t i = 0; i < year_count; i++) {
      if (!years[i].found) continue;
      const lr_report *report = lr_report_compute(p, &years[i]);
      render_pages(p, report);
      if (before) {
        const lr_comparison *c = lr_comparison_compute(p, before, &years[i], true);
        lr_buf out = {0};
        lr_diff_render(c, LR_DIFF_TEXT, true, &out);
        lr_diff_render(c, LR_DIFF_MARKDOWN, false, &out);
        lr_diff_render(c, LR_DIFF_JSON, false, &out);
        lr_buf_free(&out);
      }
      before = &years[i];
    }
  }
  lr_project_free(p);
  remove_tree(dir);
  return 0;
}
