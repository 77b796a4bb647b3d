/* `export`: one table of a year's computed report as CSV, for analysts who
 * want the data in another tool. Rows are read from lr_report_compute, so
 * every count agrees with the report and the workbook.
 *
 * Two dialects: RFC 4180 (comma, CRLF, fields quoted only when they must
 * be) and the one Swedish Excel opens on a double-click (semicolon, a
 * UTF-8 byte order mark, decimal comma). CSV has no cell types, so text
 * that a spreadsheet would take for a formula gets an apostrophe in
 * front, as OWASP advises (docs/export.md says why). */
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct csv {
  lr_buf *out;
  char separator;
  bool excel;
  bool first; /* no field yet on this row */
} csv;

/* A spreadsheet starts a formula at these, and a tab or carriage return
 * in front hides one from a reader. */
static bool formula_like(const char *s) {
  return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
}

static void field_start(csv *c) {
  if (!c->first) lr_buf_putc(c->out, c->separator);
  c->first = false;
}

/* A text field: quoted when it holds the separator, a quote or a line
 * break, its quotes doubled. NULL is an empty field. */
static void put_text(csv *c, const char *s) {
  field_start(c);
  if (!s || !*s) return;
  const char *prefix = formula_like(s) ? "'" : "";
  bool quote = strchr(s, c->separator) || strpbrk(s, "\"\r\n");
  if (!quote) {
    lr_buf_puts(c->out, prefix);
    lr_buf_puts(c->out, s);
    return;
  }
  lr_buf_putc(c->out, '"');
  lr_buf_puts(c->out, prefix);
  for (const char *p = s; *p;) {
    size_t n = strcspn(p, "\"");
    lr_buf_put(c->out, p, n);
    p += n;
    if (*p) {
      lr_buf_puts(c->out, "\"\"");
      p++;
    }
  }
  lr_buf_putc(c->out, '"');
}

static void put_count(csv *c, size_t n) {
  field_start(c);
  lr_buf_printf(c->out, "%zu", n);
}

/* The shortest decimal that reads back as the same double, never in
 * exponent form for the figures indicators have; a decimal comma for
 * Excel. The C library's own conversion: src/ never sets a locale. */
static void put_number(csv *c, double v) {
  field_start(c);
  char text[64];
  if (v == floor(v) && fabs(v) < 1e15) {
    snprintf(text, sizeof text, "%.0f", v);
  } else {
    int digits = 1;
    do snprintf(text, sizeof text, "%.*f", digits, v);
    while (strtod(text, NULL) != v && ++digits < 17);
  }
  if (c->excel) {
    char *point = strchr(text, '.');
    if (point) *point = ',';
  }
  lr_buf_puts(c->out, text);
}

static void row_end(csv *c) {
  lr_buf_puts(c->out, "\r\n");
  c->first = true;
}

static void header(csv *c, const char *const *labels, size_t n) {
  for (size_t i = 0; i < n; i++) put_text(c, labels[i]);
  row_end(c);
}

static void put_actor(csv *c, const lr_actor *a) {
  put_text(c, a->id);
  put_text(c, a->name);
  put_text(c, lr_actor_type_label(a->type));
}

/* ---- aktiviteter ----------------------------------------------------------- */

/* The goals and the sub-goals an activity serves, in strategy order. */
static void activity_targets(lr_arena *arena, const lr_strategy *st, const lr_activity *a,
                             const char **goals, const char **subgoals) {
  const char **g_ids, **s_ids;
  size_t gn, sn;
  lr_activity_target_ids(arena, st, a, &g_ids, &gn, &s_ids, &sn);
  *goals = lr_text_join(arena, g_ids, gn, "; ");
  *subgoals = lr_text_join(arena, s_ids, sn, "; ");
}

static void activity_row(csv *c, lr_arena *arena, const lr_strategy *st, const lr_activity *a,
                         bool internal) {
  size_t most = a->owner_count + a->area_count + a->partner_count + 1;
  const char **names = lr_arena_array(arena, most, sizeof *names);
  const char **ids = lr_arena_array(arena, most, sizeof *ids);
  const char **types = lr_arena_array(arena, most, sizeof *types);
  size_t type_count = 0;
  for (size_t i = 0; i < a->owner_count; i++) {
    names[i] = a->owners[i]->name;
    ids[i] = a->owners[i]->id;
    const char *type = lr_actor_type_label(a->owners[i]->type);
    bool seen = false;
    for (size_t k = 0; k < type_count; k++) seen = seen || types[k] == type;
    if (!seen) types[type_count++] = type;
  }
  const char *goals, *subgoals;
  activity_targets(arena, st, a, &goals, &subgoals);
  put_text(c, a->id);
  put_text(c, a->heading);
  put_text(c, lr_text_join(arena, names, a->owner_count, "; "));
  put_text(c, lr_text_join(arena, ids, a->owner_count, "; "));
  put_text(c, lr_text_join(arena, types, type_count, "; "));
  put_text(c, goals);
  put_text(c, subgoals);
  put_text(c, lr_status_label(a->status));
  for (size_t i = 0; i < a->area_count; i++) names[i] = a->areas[i]->name;
  put_text(c, lr_text_join(arena, names, a->area_count, "; "));
  for (size_t i = 0; i < a->partner_count; i++) names[i] = a->partners[i]->name;
  put_text(c, lr_text_join(arena, names, a->partner_count, "; "));
  put_text(c, a->target_group);
  put_text(c, lr_markdown_text(arena, a->description));
  if (internal) put_text(c, a->internal ? "Ja" : "Nej");
  row_end(c);
}

/* In the order of the report's appendix and the workbook: registry order
 * of the statement that writes an activity, then as written; a joint
 * activity once, where it is first written, with all its owners. */
static void write_activities(csv *c, lr_arena *arena, const lr_report *r, bool internal) {
  /* "Id", never "ID": Excel takes a file that starts with "ID" for SYLK. */
  static const char *const labels[] = {
      "Id",     "Rubrik",    "Ansvariga", "Ansvariga (id)",    "Aktörstyp", "Mål",
      "Delmål", "Status",    "Områden",   "Samverkanspartner", "Målgrupp",  "Beskrivning",
      "Intern",
  };
  size_t columns = sizeof labels / sizeof *labels;
  header(c, labels, internal ? columns : columns - 1);
  for (size_t i = 0; i < r->year->statement_count; i++) {
    const lr_statement *s = &r->year->statements[i];
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (a->copy || (a->internal && !internal)) continue;
      activity_row(c, arena, r->strategy, a, internal);
    }
  }
}

/* ---- svar -------------------------------------------------------------------- */

/* The intern activities an actor owns: added to the report's published
 * counts only with --intern, since the report leaves them out. */
static size_t internal_owned(const lr_actor_summary *as, const lr_goal *goal,
                             const lr_subgoal *subgoal) {
  size_t n = 0;
  for (size_t i = 0; i < as->owned_count; i++) {
    const lr_activity *a = as->owned[i].activity;
    if (!a->internal) continue;
    bool hit = !goal;
    for (size_t t = 0; t < a->target_count && !hit; t++)
      hit = subgoal ? a->targets[t].subgoal == subgoal : a->targets[t].goal == goal;
    n += hit;
  }
  return n;
}

static void write_responses(csv *c, lr_arena *arena, const lr_report *r, bool internal) {
  static const char *const labels[] = {"Aktör (id)", "Aktör",        "Aktörstyp",  "Svarat",
                                       "Inkom",      "Styrdokument", "Aktiviteter"};
  header(c, labels, sizeof labels / sizeof *labels);
  for (size_t i = 0; i < r->actor_count; i++) {
    const lr_actor_summary *as = &r->actors[i];
    const lr_statement *s = as->statement;
    put_actor(c, as->actor);
    put_text(c, s ? "Ja" : "Nej");
    put_text(c, s ? lr_date_text(arena, s->received) : NULL);
    put_text(c, s ? lr_plan_status_label(s->plan_status) : NULL);
    put_count(c, as->activity_count + (internal ? internal_owned(as, NULL, NULL) : 0));
    row_end(c);
  }
}

/* ---- indikatorer ---------------------------------------------------------- */

static void write_indicators(csv *c, const lr_report *r) {
  static const char *const labels[] = {"Aktör (id)", "Aktör", "Aktörstyp", "Indikator (id)",
                                       "Indikator",  "Värde", "Enhet",     "Kommentar"};
  header(c, labels, sizeof labels / sizeof *labels);
  for (size_t i = 0; i < r->year->statement_count; i++) {
    const lr_statement *s = &r->year->statements[i];
    for (size_t k = 0; k < s->indicator_value_count; k++) {
      const lr_indicator_value *v = &s->indicator_values[k];
      put_actor(c, s->actor);
      put_text(c, v->indicator->id);
      put_text(c, v->indicator->name);
      put_number(c, v->value);
      put_text(c, v->indicator->unit);
      put_text(c, v->comment);
      row_end(c);
    }
  }
}

/* ---- täckning ----------------------------------------------------------------- */

/* Where activities are meant to land: each sub-goal, and a goal that has
 * none. Counts as the workbook's Täckning sheet has them, a joint activity
 * once for each of its owners. */
static void write_coverage(csv *c, const lr_report *r, bool internal) {
  static const char *const labels[] = {"Aktör (id)", "Aktör",   "Aktörstyp", "Svarat",
                                       "Mål",        "Delmål",  "Lydelse",   "Aktiviteter"};
  header(c, labels, sizeof labels / sizeof *labels);
  const lr_strategy *st = r->strategy;
  for (size_t i = 0; i < r->actor_count; i++) {
    const lr_actor_summary *as = &r->actors[i];
    for (size_t g = 0; g < st->goal_count; g++) {
      const lr_goal *goal = &st->goals[g];
      size_t rows = goal->subgoal_count ? goal->subgoal_count : 1;
      for (size_t k = 0; k < rows; k++) {
        const lr_subgoal *sg = goal->subgoal_count ? &goal->subgoals[k] : NULL;
        size_t n = sg ? as->per_subgoal[sg->index] : as->per_goal[goal->index];
        if (internal) n += internal_owned(as, goal, sg);
        put_actor(c, as->actor);
        put_text(c, as->statement ? "Ja" : "Nej");
        put_text(c, goal->id);
        put_text(c, sg ? sg->id : NULL);
        put_text(c, sg ? sg->text : goal->name);
        put_count(c, n);
        row_end(c);
      }
    }
  }
}

/* ---- the file ------------------------------------------------------------------- */

static bool write_failed(lr_diag_list *diags, const char *path, int error) {
  lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){path, 0, 0}, "kunde inte skriva exporten: %s",
                           lr_errno_text(error));
  lr_diag_hint(diags, d, "välj en annan fil med -o, eller skriv till standard ut med \"-o -\"");
  return false;
}

/* Something that is not a file (a terminal, a pipe, /dev/null) cannot be
 * replaced and must not be: it is written to as it is. */
static bool write_in_place(lr_diag_list *diags, const char *path, const lr_buf *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return write_failed(diags, path, errno);
  bool ok = lr_fd_write_all(fd, text->data, text->len);
  int error = errno;
  if (close(fd) != 0 && ok) ok = false, error = errno;
  return ok || write_failed(diags, path, error);
}

/* A file is replaced in one step, so that a reader never sees half of it
 * and a failure leaves the old one: written beside it, flushed to disk,
 * then renamed over it. A link is followed, so the link stays. */
static bool write_file(lr_arena *arena, lr_diag_list *diags, const char *path, const lr_buf *text) {
  struct stat st;
  const char *target = path;
  mode_t mode = 0644;
  if (stat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode)) return write_in_place(diags, path, text);
    target = lr_path_real(arena, path);
    if (!target) return write_failed(diags, path, errno);
    mode = st.st_mode & 07777;
  }
  char *temp = lr_arena_printf(arena, "%s.XXXXXX", target);
  int fd = mkstemp(temp);
  if (fd < 0) return write_failed(diags, path, errno);
  bool ok = fchmod(fd, mode) == 0 && lr_fd_write_all(fd, text->data, text->len) && fsync(fd) == 0;
  int error = errno;
  if (close(fd) != 0 && ok) ok = false, error = errno;
  if (ok && rename(temp, target) != 0) ok = false, error = errno;
  if (!ok) unlink(temp);
  return ok || write_failed(diags, path, error);
}

bool lr_export_csv(lr_project *p, int year_number, const lr_export_options *o, lr_buf *out) {
  if (!lr_project_ok(p)) return false;
  const lr_year *year = lr_project_year(p, year_number);
  if (!year || !year->found) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){p->config.root, 0, 0},
                             "det finns inga yttranden för %d", year_number);
    lr_diag_hint(&p->diags, d, "skapa formulären med \"lagesrapport new %d\"", year_number);
    return false;
  }
  const lr_report *r = lr_report_compute(p, year);
  lr_buf file = {0};
  lr_buf *text = o->path ? &file : out;
  csv c = {text, o->excel ? ';' : ',', o->excel, true};
  /* Excel reads a file without the mark as the system's code page. */
  if (o->excel) lr_buf_puts(text, "\xEF\xBB\xBF");
  lr_arena *scratch = lr_arena_new();
  switch (o->table) {
  case LR_EXPORT_ACTIVITIES: write_activities(&c, scratch, r, o->internal); break;
  case LR_EXPORT_RESPONSES: write_responses(&c, scratch, r, o->internal); break;
  case LR_EXPORT_INDICATORS: write_indicators(&c, r); break;
  case LR_EXPORT_COVERAGE: write_coverage(&c, r, o->internal); break;
  }
  lr_arena_free(scratch);
  bool ok = !o->path || write_file(p->arena, &p->diags, o->path, &file);
  lr_buf_free(&file);
  return ok;
}
