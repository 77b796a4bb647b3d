/* The per-file loaders against entries they reject: a rejected goal,
 * sub-goal, area, actor, activity or signatory must leave nothing behind
 * for the entry after it. Each project is written to a temporary folder
 * from the minimal fixture, loaded, and its model inspected. Under the
 * ASan build the big cases are the heap overflows they once were. */
#define _XOPEN_SOURCE 700 /* nftw, to remove the test's folder */
#include "model/model.h"
#include "check.h"

#include <dirent.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/lr-test-loaders-XXXXXX";
static int project_number;

static void write_text(const char *path, const char *text, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(text, 1, size, f) != size || fclose(f) != 0) {
    perror(path);
    exit(2);
  }
}

static char *read_text(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  lr_buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lr_buf_put(&b, chunk, n);
  fclose(f);
  *size = b.len;
  char *text = lr_xmalloc(b.len + 1);
  if (b.len) memcpy(text, b.data, b.len);
  text[b.len] = '\0';
  lr_buf_free(&b);
  return text;
}

static void copy_file(const char *from, const char *to) {
  size_t size;
  char *text = read_text(from, &size);
  write_text(to, text, size);
  free(text);
}

/* A fresh copy of the minimal fixture's project files, without its
 * statements: each test writes the files it is about. */
static const char *new_project(lr_arena *arena) {
  const char *dir = lr_arena_printf(arena, "%s/p%d", root, ++project_number);
  const char *fixture = LR_SOURCE_DIR "/tests/fixtures/minimal";
  mkdir(dir, 0777);
  static const char *const files[] = {"lagesrapport.yaml", "strategi.yaml", "aktorer.yaml"};
  for (size_t i = 0; i < 3; i++)
    copy_file(lr_path_join(arena, fixture, files[i]), lr_path_join(arena, dir, files[i]));
  mkdir(lr_path_join(arena, dir, "2022"), 0777);
  mkdir(lr_path_join(arena, dir, "2022/yttranden"), 0777);
  return dir;
}

static void put(lr_arena *arena, const char *dir, const char *rel, const char *text) {
  write_text(lr_path_join(arena, dir, rel), text, strlen(text));
}

static lr_project *load(const char *dir) {
  lr_load_options options = {.dir = dir};
  return lr_project_load(&options);
}

/* "områden: [a, a, ... a]" with n items, for a flow list. */
static const char *repeated(lr_arena *arena, const char *item, size_t n) {
  lr_buf b = {0};
  lr_buf_putc(&b, '[');
  for (size_t i = 0; i < n; i++) lr_buf_printf(&b, "%s%s", i ? ", " : "", item);
  lr_buf_putc(&b, ']');
  const char *s = lr_arena_strdup(arena, lr_buf_cstr(&b));
  lr_buf_free(&b);
  return s;
}

static size_t count_errors_containing(const lr_diag_list *list, const char *text) {
  size_t n = 0;
  for (size_t i = 0; i < list->count; i++)
    if (list->items[i].severity == LR_ERROR && strstr(list->items[i].message, text)) n++;
  return n;
}

/* The statement is rejected as a whole (it has an error), so its second
 * activity is looked at by loading the file once more on its own. */
static lr_statement reload_statement(lr_project *p, const char *dir) {
  lr_statement s;
  memset(&s, 0, sizeof s);
  lr_statement_load(p, 2022, lr_path_join(p->arena, dir, "2022/yttranden/aneby.yaml"), "aneby", &s);
  return s;
}

static void test_areas_after_rejected_activity(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "2022/yttranden/aneby.yaml",
      lr_arena_printf(arena,
                      "aktör: aneby\når: 2022\naktiviteter:\n"
                      "  - rubrik: Avvisad\n    mål: [\"1:1\"]\n    status: okänd\n"
                      "    beskrivning: x\n    intern: true\n    målgrupp: Unga\n"
                      "    områden: %s\n"
                      "  - rubrik: Godkänd\n    mål: [\"1:2\"]\n    status: pågående\n"
                      "    beskrivning: y\n    områden: [hedersvald]\n",
                      repeated(arena, "vald-i-nara-relation", 1000)));
  lr_project *p = load(dir);
  CHECK_INT(p->diags.errors, 1);
  CHECK_INT(count_errors_containing(&p->diags, "okänd status \"okänd\""), 1);
  lr_statement s = reload_statement(p, dir);
  CHECK_INT(s.activity_count, 1);
  if (s.activity_count == 1) {
    const lr_activity *a = &s.activities[0];
    CHECK_STR(a->heading, "Godkänd");
    CHECK_INT(a->area_count, 1);
    if (a->area_count) CHECK_STR(a->areas[0]->id, "hedersvald");
    CHECK_INT(a->target_count, 1);
    CHECK(!a->internal);          /* not the rejected one's "intern: true" */
    CHECK(a->target_group == NULL); /* nor its "målgrupp" */
  }
  lr_project_free(p);
  lr_arena_free(arena);
}

static void test_partners_after_rejected_activity(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "2022/yttranden/aneby.yaml",
      lr_arena_printf(arena,
                      "aktör: aneby\når: 2022\naktiviteter:\n"
                      "  - rubrik: Avvisad\n    mål: [\"1:1\"]\n    status: okänd\n"
                      "    beskrivning: x\n    samverkan: %s\n"
                      "  - rubrik: Godkänd\n    mål: [\"1:1\"]\n    status: pågående\n"
                      "    beskrivning: y\n    samverkan: [polisen]\n",
                      repeated(arena, "lansstyrelsen", 1500)));
  lr_project *p = load(dir);
  CHECK_INT(p->diags.errors, 1);
  lr_statement s = reload_statement(p, dir);
  CHECK_INT(s.activity_count, 1);
  if (s.activity_count == 1) {
    CHECK_INT(s.activities[0].partner_count, 1);
    if (s.activities[0].partner_count) CHECK_STR(s.activities[0].partners[0]->id, "polisen");
  }
  lr_project_free(p);
  lr_arena_free(arena);
}

/* A rejected activity naming every goal and sub-goal, then one naming one. */
static void test_targets_after_rejected_activity(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "2022/yttranden/aneby.yaml",
      "aktör: aneby\når: 2022\naktiviteter:\n"
      "  - rubrik: Avvisad\n    mål: [\"1:1\", \"1:2\", \"2:1\", \"2:2\", \"2:3\", \"2:4\", \"2:5\", \"3\"]\n"
      "    status: okänd\n    beskrivning: x\n"
      "  - rubrik: Godkänd\n    mål: [\"3\"]\n    status: pågående\n    beskrivning: y\n");
  lr_project *p = load(dir);
  CHECK_INT(p->diags.errors, 1);
  lr_statement s = reload_statement(p, dir);
  CHECK_INT(s.activity_count, 1);
  if (s.activity_count == 1) {
    CHECK_INT(s.activities[0].target_count, 1);
    CHECK_STR(s.activities[0].targets[0].goal->id, "3");
  }
  lr_project_free(p);
  lr_arena_free(arena);
}

static void test_emails_after_rejected_actor(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "aktorer.yaml",
      lr_arena_printf(arena,
                      "aktörer:\n"
                      "  - {id: Ogiltig, namn: Avvisad, typ: kommun, epost: %s}\n"
                      "  - {id: aneby, typ: kommun, epost: [kvinnofrid@aneby.example]}\n",
                      repeated(arena, "a@b.example", 10000)));
  lr_project *p = load(dir);
  CHECK_INT(count_errors_containing(&p->diags, "ogiltigt aktörs-id \"Ogiltig\""), 1);
  size_t n;
  const lr_actor *actors = lr_project_actors(p, &n);
  CHECK_INT(n, 1);
  if (n == 1) {
    CHECK_STR(actors[0].id, "aneby");
    CHECK_STR(actors[0].name, "aneby"); /* its own id, not the rejected one's name */
    CHECK_INT(actors[0].email_count, 1);
    if (actors[0].email_count) CHECK_STR(actors[0].emails[0], "kvinnofrid@aneby.example");
    CHECK(lr_project_actor(p, "aneby") == &actors[0]);
  }
  lr_project_free(p);
  lr_arena_free(arena);
}

/* A duplicate id is rejected after the actor was copied into its slot:
 * the next actor takes that slot whole. */
static void test_actor_after_duplicate(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "aktorer.yaml",
      "aktörer:\n"
      "  - {id: aneby, namn: Aneby kommun, typ: kommun}\n"
      "  - {id: aneby, namn: Dubblett, typ: region, epost: [a@b.example, c@d.example]}\n"
      "  - {id: polisen, typ: myndighet}\n");
  lr_project *p = load(dir);
  size_t n;
  const lr_actor *actors = lr_project_actors(p, &n);
  CHECK_INT(count_errors_containing(&p->diags, "två aktörer har id \"aneby\""), 1);
  CHECK_INT(n, 2);
  if (n == 2) {
    CHECK_STR(actors[1].id, "polisen");
    CHECK_STR(actors[1].name, "polisen");
    CHECK_INT(actors[1].email_count, 0);
    CHECK_INT(actors[1].type, LR_ACTOR_MYNDIGHET);
    CHECK_INT(actors[1].index, 1);
    CHECK(lr_project_actor(p, "polisen") == &actors[1]);
    CHECK_STR(lr_project_actor(p, "aneby")->name, "Aneby kommun");
  }
  lr_project_free(p);
  lr_arena_free(arena);
}

static void test_strategy_after_rejected_entries(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "strategi.yaml",
      "id: prov\nnamn: Prov\n"
      "områden:\n"
      "  - {namn: Utan id}\n"
      "  - {id: skola, namn: Skolan}\n"
      "mål:\n"
      "  - {namn: Avvisat mål, beskrivning: Avvisad text}\n"
      "  - id: \"1\"\n"
      "    delmål:\n"
      "      - {text: Avvisat delmål, målgrupp: Unga}\n"
      "      - {id: \"1:1\"}\n");
  lr_project *p = load(dir);
  const lr_strategy *st = lr_project_strategy(p);
  CHECK_INT(st->area_count, 1);
  if (st->area_count) CHECK_STR(st->areas[0].id, "skola");
  CHECK_INT(st->goal_count, 1);
  if (st->goal_count) {
    const lr_goal *g = &st->goals[0];
    CHECK_STR(g->id, "1");
    CHECK_STR(g->name, "1"); /* its id, not the rejected goal's name */
    CHECK(g->description == NULL);
    CHECK_INT(g->subgoal_count, 1);
    if (g->subgoal_count) {
      CHECK_STR(g->subgoals[0].id, "1:1");
      CHECK_STR(g->subgoals[0].text, "1:1");
      CHECK(g->subgoals[0].target_group == NULL);
    }
  }
  lr_project_free(p);
  lr_arena_free(arena);
}

static void test_signatory_after_rejected(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "2022/yttranden/aneby.yaml", "aktör: aneby\når: 2022\naktiviteter: []\n");
  put(arena, dir, "2022/rapport.yaml",
      "undertecknare:\n"
      "  - {namn: \"Två\\nrader\", titel: Avvisad titel, organisation: Avvisad}\n"
      "  - {namn: Anna Andersson}\n");
  lr_project *p = load(dir);
  CHECK_INT(count_errors_containing(&p->diags, "\"namn\" får bara vara en rad"), 1);
  const lr_year *y = lr_project_year(p, 2022);
  CHECK(y && y->texts);
  if (y && y->texts) {
    CHECK_INT(y->texts->signatory_count, 1);
    if (y->texts->signatory_count) {
      CHECK_STR(y->texts->signatories[0].name, "Anna Andersson");
      CHECK(y->texts->signatories[0].title == NULL);
      CHECK(y->texts->signatories[0].organisation == NULL);
    }
  }
  lr_project_free(p);
  lr_arena_free(arena);
}

/* The fuzz regressions of the loader (tests/fuzz/regressions/load/): each
 * .yaml file is a registry (it starts with "aktörer:" after its comments) or
 * a statement of aneby for 2022, put into the minimal fixture. Every one
 * must load without a crash and with every error located and given a hint.
 * (The other files there are fuzz-load's inputs of several files, which
 * its replay test runs.) */
static void test_fuzz_regressions(void) {
  const char *folder = LR_SOURCE_DIR "/tests/fuzz/regressions/load";
  DIR *d = opendir(folder);
  CHECK(d != NULL);
  if (!d) return;
  struct dirent *e;
  size_t replayed = 0;
  while ((e = readdir(d))) {
    size_t name_len = strlen(e->d_name);
    if (e->d_name[0] == '.' || name_len < 5 || strcmp(e->d_name + name_len - 5, ".yaml") != 0) continue;
    lr_arena *arena = lr_arena_new();
    size_t size;
    char *text = read_text(lr_path_join(arena, folder, e->d_name), &size);
    const char *dir = new_project(arena);
    bool registry = false;
    for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
      if (*line == '#' || *line == '\n') continue;
      registry = strncmp(line, "aktörer:", strlen("aktörer:")) == 0;
      break;
    }
    write_text(lr_path_join(arena, dir, registry ? "aktorer.yaml" : "2022/yttranden/aneby.yaml"), text,
               size);
    free(text);
    lr_project *p = load(dir);
    printf("  %-45s %zu fel\n", e->d_name, p->diags.errors);
    CHECK(p->diags.errors > 0);
    for (size_t i = 0; i < p->diags.count; i++) {
      const lr_diag *g = &p->diags.items[i];
      if (g->severity != LR_ERROR) continue;
      CHECK(g->loc.file && g->loc.line > 0);
      CHECK(g->hint != NULL);
    }
    lr_project_free(p);
    lr_arena_free(arena);
    replayed++;
  }
  closedir(d);
  CHECK(replayed >= 3);
}

static bool any_diagnostic_contains(const lr_diag_list *list, const char *text) {
  for (size_t i = 0; i < list->count; i++) {
    const lr_diag *d = &list->items[i];
    if (strstr(d->message, text) || (d->hint && strstr(d->hint, text)) ||
        (d->source_line && strstr(d->source_line, text)))
      return true;
  }
  return false;
}

/* Files outside the project, reached by a link to the file or to the
 * year's folder, are refused unread: an outside statement full of errors
 * would otherwise be quoted. A named pipe is refused without hanging. */
static void test_files_outside_the_project(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  const char *outside = lr_arena_printf(arena, "%s/utanfor", root);
  mkdir(outside, 0777);
  mkdir(lr_path_join(arena, outside, "yttranden"), 0777);
  static const char secret[] = "aktör: aneby\nhemlig: HEMLIGT\n";
  put(arena, outside, "brev.yaml", secret);
  put(arena, outside, "yttranden/aneby.yaml", secret);
  CHECK(symlink(lr_path_join(arena, outside, "brev.yaml"),
                lr_path_join(arena, dir, "2022/yttranden/aneby.yaml")) == 0);
  CHECK(symlink(outside, lr_path_join(arena, dir, "2023")) == 0);
  CHECK(mkfifo(lr_path_join(arena, dir, "2022/yttranden/polisen.yaml"), 0666) == 0);
  lr_project *p = load(dir);
  CHECK(!any_diagnostic_contains(&p->diags, "HEMLIGT"));
  CHECK(!any_diagnostic_contains(&p->diags, "hemlig"));
  CHECK_INT(count_errors_containing(&p->diags, "filen leder ut ur projektmappen"), 2);
  CHECK_INT(count_errors_containing(&p->diags, "är en pipe eller en enhet, inte en vanlig fil"), 1);
  CHECK_INT(p->diags.errors, 3);
  for (size_t i = 0; i < p->diags.count; i++) CHECK(p->diags.items[i].hint != NULL);
  const lr_year *y = lr_project_year(p, 2022);
  CHECK(y && y->statement_count == 0);
  lr_project_free(p);
  lr_arena_free(arena);
}

/* Two revisions composed: where a target went is followed step by step
 * (merged, then kept; split, then half removed; renumbered), exact only
 * when every step is one to one, and backwards to what it came from. */
static void test_revisions_compose(void) {
  lr_arena *arena = lr_arena_new();
  const char *dir = new_project(arena);
  put(arena, dir, "strategi.yaml",
      "id: prov\nnamn: Prov\ngiltig: {från: 2020, till: 2030}\n"
      "mål:\n"
      "  - {id: \"1\", namn: Ett, delmål: [{id: a, text: A}, {id: b, text: B}, {id: c, text: C}]}\n"
      "  - {id: \"2\", namn: Två, delmål: [{id: d, text: D}]}\n"
      "revisioner:\n"
      "  - från: 2022\n"
      "    mål:\n"
      "      - {id: \"1\", namn: Ett, delmål: [{id: a, text: A}, {id: bc, text: BC}]}\n"
      "      - {id: \"2\", namn: Två, delmål: [{id: d1, text: D1}, {id: d2, text: D2}]}\n"
      "    ändringar: {b: bc, c: bc, d: [d1, d2]}\n"
      "  - från: 2024\n"
      "    namn: Tredje\n"
      "    mål:\n"
      "      - {id: \"1\", namn: Ett, delmål: [{id: x, text: A}, {id: bc, text: BC}]}\n"
      "      - {id: \"2\", namn: Två, delmål: [{id: d2, text: D2}]}\n"
      "    ändringar: {a: x, d1: []}\n");
  lr_project *p = load(dir);
  CHECK_INT(p->diags.errors, 0);
  CHECK_INT(p->version_count, 3);
  if (p->version_count != 3) {
    lr_project_free(p);
    lr_arena_free(arena);
    return;
  }
  const lr_strategy *v1 = &p->strategy, *v2 = p->versions[1].strategy, *v3 = p->versions[2].strategy;
  CHECK(lr_strategy_in_year(p, 2021) == v1);
  CHECK(lr_strategy_in_year(p, 2022) == v2 && lr_strategy_in_year(p, 2023) == v2);
  CHECK(lr_strategy_in_year(p, 2025) == v3);
  CHECK_STR(v3->version_name, "Tredje");
  CHECK_STR(v2->version_name, "Reviderad strategi 2022");
  CHECK(v1->next == v2 && v2->next == v3 && v3->previous == v2 && v3->area_count == v1->area_count);

  const lr_target *out;
  bool exact;
  size_t n = lr_target_follow(p, v1, *lr_target_find(p, v1, "b"), v3, &out, &exact);
  CHECK_INT(n, 1);
  if (n == 1) CHECK_STR(out[0].subgoal->id, "bc");
  CHECK(!exact);
  n = lr_target_follow(p, v1, *lr_target_find(p, v1, "a"), v3, &out, &exact);
  CHECK(n == 1 && exact && strcmp(out[0].subgoal->id, "x") == 0);
  n = lr_target_follow(p, v1, *lr_target_find(p, v1, "d"), v3, &out, &exact);
  CHECK(n == 1 && !exact && strcmp(out[0].subgoal->id, "d2") == 0);
  n = lr_target_follow(p, v1, *lr_target_find(p, v1, "1"), v3, &out, &exact);
  CHECK(n == 1 && exact && out[0].goal == &v3->goals[0] && !out[0].subgoal);
  n = lr_target_follow(p, v3, *lr_target_find(p, v3, "bc"), v1, &out, &exact);
  CHECK(n == 2 && !exact && strcmp(out[0].subgoal->id, "b") == 0 && strcmp(out[1].subgoal->id, "c") == 0);
  CHECK(lr_target_find(p, v3, "a") == NULL && lr_target_find(p, v1, "x") == NULL);

  const lr_revision_note **notes;
  n = lr_revision_notes(p, 2021, 2024, &notes, arena);
  static const char *const want[] = {
      "Delmål b och c slogs ihop till bc år 2022.", "Delmål d delades upp i d1 och d2 år 2022.",
      "Delmål a heter x från år 2024.", "Delmål d1 togs bort år 2024."};
  CHECK_INT(n, 4);
  for (size_t i = 0; i < n && i < 4; i++) CHECK_STR(lr_revision_note_text(arena, notes[i]), want[i]);
  CHECK_INT(lr_revision_notes(p, 2024, 2022, &notes, arena), 2); /* either order */
  CHECK_INT(lr_revision_notes(p, 2022, 2023, &notes, arena), 0);
  lr_project_free(p);
  lr_arena_free(arena);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

int main(void) {
  if (!mkdtemp(root)) {
    perror("mkdtemp");
    return 2;
  }
  test_areas_after_rejected_activity();
  test_partners_after_rejected_activity();
  test_targets_after_rejected_activity();
  test_emails_after_rejected_actor();
  test_actor_after_duplicate();
  test_strategy_after_rejected_entries();
  test_signatory_after_rejected();
  test_fuzz_regressions();
  test_files_outside_the_project();
  test_revisions_compose();
  nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return check_report();
}
