/* `diff`: a comparison of two years (lr_comparison, model/report.c) rendered
 * as aligned text for a terminal, Markdown for a pull-request comment and
 * JSON for scripts. The comparison decides what changed; this file only
 * decides how it reads. Rows follow the strategy file and the registry, so
 * the same data always gives the same bytes. */
#include "render/render.h"
#include "render/sentences.h"

#include <string.h>

#define BOLD "\033[1m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define RESET "\033[0m"


/* Goal and sub-goal texts are long; a terminal row keeps this much of them. */
enum { TEXT_NOTE_MAX = 60 };

typedef struct render {
  const lr_comparison *c;
  lr_arena *arena; /* scratch for this rendering only */
  bool color;
  lr_buf *out;
} render;

/* Where coverage is judged: a sub-goal, or a goal that has none. */
typedef struct coverage_item {
  const lr_goal *goal;
  const lr_subgoal *subgoal; /* NULL for a goal without sub-goals */
} coverage_item;

/* One row of a count table, before it is given a format. */
typedef struct row {
  const char *label; /* a goal or sub-goal id, or an actor's name */
  bool is_goal;      /* sub-goal rows follow their goal's row */
  const char *text;  /* the goal's name or the sub-goal's text, or NULL */
  lr_count_change count;
  bool missing_before, missing_after; /* the actor did not answer that year */
} row;

/* ---- shared --------------------------------------------------------- */

/* Terminal columns of UTF-8 text: every character counts one, which holds
 * for the Latin letters of names and texts. */
static size_t display_width(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

static long long signed_change(lr_count_change cc) {
  return (long long)cc.after - (long long)cc.before;
}

static bool changed(lr_count_change cc) { return cc.before != cc.after; }

/* The comparison keeps sub-goals and goals in two lists, each in strategy
 * order; merged by goal they read in the order of the strategy file. */
static size_t coverage_items(const render *r, bool gained, coverage_item **out) {
  const lr_comparison *c = r->c;
  const lr_subgoal **subs = gained ? c->gained : c->lost;
  size_t ns = gained ? c->gained_count : c->lost_count;
  const lr_goal **goals = gained ? c->goals_gained : c->goals_lost;
  size_t ng = gained ? c->goals_gained_count : c->goals_lost_count;
  coverage_item *items = lr_arena_array(r->arena, ns + ng + 1, sizeof *items);
  size_t i = 0, k = 0, n = 0;
  while (i < ns || k < ng) {
    if (k == ng || (i < ns && subs[i]->goal->index < goals[k]->index)) {
      items[n++] = (coverage_item){subs[i]->goal, subs[i]};
      i++;
    } else {
      items[n++] = (coverage_item){goals[k], NULL};
      k++;
    }
  }
  *out = items;
  return n;
}

static bool coverage_changed(const lr_comparison *c) {
  return c->gained_count || c->lost_count || c->goals_gained_count || c->goals_lost_count;
}

static bool any_goal_item(const coverage_item *items, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!items[i].subgoal) return true;
  return false;
}

/* "Delmål med aktivitet 2021 men inte 2022" */
static const char *coverage_title(const render *r, const coverage_item *items, size_t n,
                                  bool gained) {
  int with = gained ? r->c->year_after : r->c->year_before;
  int without = gained ? r->c->year_before : r->c->year_after;
  return lr_arena_printf(r->arena, "%s med aktivitet %d men inte %d",
                         any_goal_item(items, n) ? "Mål och delmål" : "Delmål", with, without);
}

static const char *item_label(const render *r, const coverage_item *item) {
  return item->subgoal ? item->subgoal->id : lr_arena_printf(r->arena, "Mål %s", item->goal->id);
}

static const char *item_text(const coverage_item *item) {
  return item->subgoal ? item->subgoal->text : item->goal->name;
}

static bool listed(const lr_actor *const *list, size_t n, const lr_actor *actor) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == actor) return true;
  return false;
}

/* Goal and sub-goal rows whose count changed. A goal's row also stands
 * above any changed sub-goal, unchanged or not, so that ids that carry no
 * goal in them (A, B, …) still read in context. */
static size_t goal_rows(const render *r, row **out) {
  const lr_comparison *c = r->c;
  const lr_strategy *st = c->strategy;
  row *rows = lr_arena_array(r->arena, st->goal_count + st->subgoal_count + 1, sizeof *rows);
  size_t n = 0;
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    bool any = changed(c->per_goal[g]);
    for (size_t k = 0; k < goal->subgoal_count; k++)
      any = any || changed(c->per_subgoal[goal->subgoals[k].index]);
    if (!any) continue;
    rows[n++] = (row){.label = lr_arena_printf(r->arena, "Mål %s", goal->id),
                      .is_goal = true,
                      .text = goal->name,
                      .count = c->per_goal[g]};
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      const lr_subgoal *sg = &goal->subgoals[k];
      if (changed(c->per_subgoal[sg->index]))
        rows[n++] = (row){.label = sg->id, .text = sg->text, .count = c->per_subgoal[sg->index]};
    }
  }
  *out = rows;
  return n;
}

/* Actors whose activity count changed; an actor that answered only one
 * year shows a dash for the other, unless it owns a joint activity that
 * year: then its count is shown, as the change is counted from it. */
static size_t actor_rows(const render *r, row **out) {
  const lr_comparison *c = r->c;
  row *rows = lr_arena_array(r->arena, c->actor_count + 1, sizeof *rows);
  size_t n = 0;
  for (size_t i = 0; i < c->actor_count; i++) {
    const lr_actor *a = &c->actors[i];
    if (!changed(c->per_actor[i])) continue;
    rows[n++] = (row){.label = a->name,
                      .count = c->per_actor[i],
                      .missing_before = c->per_actor[i].before == 0 &&
                                        listed(c->answered_only_after, c->only_after_count, a),
                      .missing_after = c->per_actor[i].after == 0 &&
                                       listed(c->answered_only_before, c->only_before_count, a)};
  }
  *out = rows;
  return n;
}

/* The two rows every rendering shows, changed or not. */
static void total_rows(const lr_comparison *c, row rows[2]) {
  rows[0] = (row){.label = "Yttranden", .count = c->statements};
  rows[1] = (row){.label = "Aktiviteter", .count = c->activities};
}

static const char *count_cell(const render *r, size_t n, bool missing) {
  return missing ? "–" : lr_arena_printf(r->arena, "%zu", n);
}

/* "Aneby kommun, Polisen": the owners of an activity. */
static const char *owner_list(const render *r, const lr_activity *a) {
  lr_buf b = {0};
  for (size_t i = 0; i < a->owner_count; i++) lr_buf_printf(&b, "%s%s", i ? ", " : "", a->owners[i]->name);
  const char *out = lr_arena_strdup(r->arena, b.data ? b.data : "");
  lr_buf_free(&b);
  return out;
}

/* "planerad → genomförd", "planerad → inte rapporterad" */
static const char *transition(const render *r, const lr_followup *f) {
  return lr_arena_printf(r->arena, "%s → %s", lr_status_name(f->before.activity->status),
                         lr_outcome_name(f->outcome));
}

static const char *without_id_sentence(const render *r, size_t n) {
  return lr_arena_printf(r->arena, "%zu av dem saknar id och namnges inte.", n);
}

static const char *followup_title(const render *r) {
  return lr_arena_printf(r->arena, "Från plan till utfall: aktiviteter som var planerade eller pågående %d (%zu)",
                         r->c->year_before, r->c->followup_count);
}

static const char *new_title(const render *r) {
  return lr_arena_printf(r->arena, "Nya aktiviteter %d (%zu)", r->c->year_after, r->c->new_count);
}

/* ---- indicators ------------------------------------------------------ */

/* One row of an indicator's table: the county's figure first, then each
 * actor whose value changed. */
typedef struct indicator_row {
  const char *label;
  const char *cells[4]; /* before, after, change, judgement */
} indicator_row;

static const char *value_cell(const render *r, const lr_indicator_value *v) {
  return v ? lr_indicator_number(r->arena, v->value) : "–";
}

static const char *judgement_text(int j) { return j > 0 ? "bättre" : j < 0 ? "sämre" : "oförändrad"; }

static size_t indicator_rows(const render *r, const lr_indicator_summary *s, indicator_row **out) {
  const lr_indicator *ind = s->indicator;
  indicator_row *rows = lr_arena_array(r->arena, s->entry_count + 1, sizeof *rows);
  bool share = lr_indicator_is_share(ind), comparable = lr_indicator_comparable(s);
  rows[0].label = share ? "Länet (median)" : "Länet (summa)";
  rows[0].cells[0] = s->before.count ? lr_indicator_number(r->arena, s->before.total) : "–";
  rows[0].cells[1] = s->now.count ? lr_indicator_number(r->arena, s->now.total) : "–";
  rows[0].cells[2] = comparable ? lr_indicator_change(r->arena, s->before.total, s->now.total) : "";
  rows[0].cells[3] = comparable ? judgement_text(lr_indicator_judgement(ind, s->before.total, s->now.total))
                     : s->now.count && s->before.count ? "ej jämförbar" : "";
  size_t n = 1;
  for (size_t k = 0; k < s->entry_count; k++) {
    const lr_indicator_entry *e = &s->entries[k];
    if (!lr_indicator_entry_changed(e)) continue;
    bool both = e->value && e->previous;
    rows[n++] = (indicator_row){
        e->actor->name,
        {value_cell(r, e->previous), value_cell(r, e->value),
         both ? lr_indicator_change(r->arena, e->previous->value, e->value->value) : "",
         both ? judgement_text(lr_indicator_judgement(ind, e->previous->value, e->value->value)) : ""}};
  }
  *out = rows;
  return n;
}

static bool indicator_changed(const lr_indicator_summary *s) { return lr_indicators_changed(s, 1); }

static const char *indicator_title(const render *r, const lr_indicator *ind) {
  return lr_arena_printf(r->arena, "%s (%s, %s)", ind->name, ind->unit,
                         ind->higher_is_better ? "högre är bättre" : "lägre är bättre");
}

/* ---- text ----------------------------------------------------------- */

/* Text from the project's files goes to a terminal: control characters
 * (an escape sequence in a YAML string, a line break) become spaces. max 0 keeps
 * all; otherwise the text is cut to max characters with an ellipsis. */
static void put_clean(lr_buf *out, const char *s, size_t max) {
  size_t chars = 0, total = display_width(s);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    bool starts_char = (*p & 0xC0) != 0x80;
    if (max && starts_char && total > max && chars == max - 1) {
      lr_buf_puts(out, "…");
      return;
    }
    if (starts_char) chars++;
    lr_buf_putc(out, *p < 0x20 || *p == 0x7F ? ' ' : (char)*p);
  }
}

static void put_spaces(lr_buf *out, size_t n) {
  for (size_t i = 0; i < n; i++) lr_buf_putc(out, ' ');
}

/* A table's header line: the label column left blank, then the three
 * column heads right-aligned over their widths. */
static void text_table_head(const render *r, size_t label_width, const char *const head[3],
                            const size_t width[3]) {
  put_spaces(r->out, label_width);
  for (int k = 0; k < 3; k++) {
    put_spaces(r->out, 2 + width[k] - display_width(head[k]));
    lr_buf_puts(r->out, head[k]);
  }
  lr_buf_putc(r->out, '\n');
}

static void put_colored(const render *r, const char *color, const char *s) {
  if (r->color && color) lr_buf_puts(r->out, color);
  put_clean(r->out, s, 0);
  if (r->color && color) lr_buf_puts(r->out, RESET);
}

static const char *tone(long long change) { return change > 0 ? GREEN : change < 0 ? RED : NULL; }

static void text_heading(const render *r, const char *title) {
  lr_buf_putc(r->out, '\n');
  put_colored(r, BOLD, title);
  lr_buf_putc(r->out, '\n');
}

static void text_coverage(const render *r, bool gained) {
  coverage_item *items;
  size_t n = coverage_items(r, gained, &items);
  if (!n) return;
  text_heading(r, coverage_title(r, items, n, gained));
  size_t width = 0;
  for (size_t i = 0; i < n; i++) {
    size_t w = display_width(item_label(r, &items[i]));
    if (w > width) width = w;
  }
  for (size_t i = 0; i < n; i++) {
    const char *label = item_label(r, &items[i]);
    lr_buf_puts(r->out, "  ");
    put_colored(r, gained ? GREEN : RED, gained ? "+" : "−");
    lr_buf_putc(r->out, ' ');
    put_clean(r->out, label, 0);
    put_spaces(r->out, width - display_width(label) + 2);
    put_clean(r->out, item_text(&items[i]), 0);
    lr_buf_putc(r->out, '\n');
  }
}

/* Rows under a header of the two years and the change, the counts right
 * aligned; sub-goal rows are indented under their goal. */
static void text_table(const render *r, const row *rows, size_t n) {
  const char *head[3] = {lr_arena_printf(r->arena, "%d", r->c->year_before),
                         lr_arena_printf(r->arena, "%d", r->c->year_after), "Ändring"};
  const char **cells = lr_arena_array(r->arena, 3 * n + 1, sizeof *cells);
  size_t label_width = 0, width[3];
  for (int k = 0; k < 3; k++) width[k] = display_width(head[k]);
  bool nested = false;
  for (size_t i = 0; i < n; i++) nested = nested || rows[i].is_goal;
  for (size_t i = 0; i < n; i++) {
    cells[3 * i] = count_cell(r, rows[i].count.before, rows[i].missing_before);
    cells[3 * i + 1] = count_cell(r, rows[i].count.after, rows[i].missing_after);
    cells[3 * i + 2] = lr_sentence_change(r->arena, rows[i].count.before, rows[i].count.after);
    size_t w = display_width(rows[i].label) + (nested && !rows[i].is_goal ? 2 : 0);
    if (w > label_width) label_width = w;
    for (int k = 0; k < 3; k++) {
      w = display_width(cells[3 * i + k]);
      if (w > width[k]) width[k] = w;
    }
  }
  text_table_head(r, 2 + label_width, head, width);
  for (size_t i = 0; i < n; i++) {
    size_t indent = nested && !rows[i].is_goal ? 2 : 0;
    put_spaces(r->out, 2 + indent);
    put_clean(r->out, rows[i].label, 0);
    put_spaces(r->out, label_width - indent - display_width(rows[i].label));
    for (int k = 0; k < 3; k++) {
      const char *cell = cells[3 * i + k];
      put_spaces(r->out, 2 + width[k] - display_width(cell));
      put_colored(r, k == 2 ? tone(signed_change(rows[i].count)) : NULL, cell);
    }
    if (rows[i].text) {
      lr_buf_puts(r->out, "  ");
      put_clean(r->out, rows[i].text, TEXT_NOTE_MAX);
    }
    lr_buf_putc(r->out, '\n');
  }
}

static void text_only_one_year(const render *r, bool before) {
  const lr_comparison *c = r->c;
  const lr_actor **list = before ? c->answered_only_before : c->answered_only_after;
  size_t n = before ? c->only_before_count : c->only_after_count;
  if (!n) return;
  int in = before ? c->year_before : c->year_after, out = before ? c->year_after : c->year_before;
  text_heading(r, lr_arena_printf(r->arena, "Svarade %d men inte %d (%zu)", in, out, n));
  for (size_t i = 0; i < n; i++) {
    lr_buf_puts(r->out, "  ");
    put_colored(r, before ? RED : GREEN, before ? "−" : "+");
    lr_buf_putc(r->out, ' ');
    put_clean(r->out, list[i]->name, 0);
    lr_buf_putc(r->out, '\n');
  }
}

static void text_plans(const render *r) {
  const lr_comparison *c = r->c;
  if (!c->plan_change_count) return;
  text_heading(r, lr_arena_printf(r->arena, "Styrdokument som bytt status (%d → %d)",
                                  c->year_before, c->year_after));
  size_t width = 0;
  for (size_t i = 0; i < c->plan_change_count; i++) {
    size_t w = display_width(c->plan_changes[i].actor->name);
    if (w > width) width = w;
  }
  for (size_t i = 0; i < c->plan_change_count; i++) {
    const lr_plan_change *pc = &c->plan_changes[i];
    lr_buf_puts(r->out, "  ");
    put_clean(r->out, pc->actor->name, 0);
    put_spaces(r->out, width - display_width(pc->actor->name) + 2);
    lr_buf_printf(r->out, "%s → %s\n", lr_plan_status_name(pc->before),
                  lr_plan_status_name(pc->after));
  }
}

/* Only activities with an id are named: an activity without one cannot
 * be followed, and is only counted. */
static size_t new_with_id(const lr_comparison *c) {
  size_t n = 0;
  for (size_t i = 0; i < c->new_count; i++) n += c->new_activities[i].activity->id != NULL;
  return n;
}

/* One line per activity: the transition, the heading and its owners. */
static void text_followups(const render *r) {
  const lr_comparison *c = r->c;
  if (c->followup_count) {
    text_heading(r, followup_title(r));
    lr_buf_puts(r->out, "  ");
    put_clean(r->out, lr_sentence_followup(r->arena, c->outcome_counts, c->year_before, c->year_after, false), 0);
    lr_buf_putc(r->out, '\n');
    size_t width = 0;
    for (size_t i = 0; i < c->followup_count; i++) {
      size_t w = display_width(transition(r, &c->followups[i]));
      if (w > width) width = w;
    }
    for (size_t i = 0; i < c->followup_count; i++) {
      const lr_followup *f = &c->followups[i];
      if (f->outcome == LR_OUTCOME_UNTRACKED) continue;
      const char *t = transition(r, f);
      lr_buf_puts(r->out, "  ");
      put_colored(r, f->outcome == LR_OUTCOME_GENOMFORD ? GREEN
                     : f->outcome == LR_OUTCOME_AVBRUTEN || f->outcome == LR_OUTCOME_UNREPORTED ? RED
                                                                                              : NULL, t);
      put_spaces(r->out, width - display_width(t) + 2);
      put_clean(r->out, f->before.activity->heading, TEXT_NOTE_MAX);
      lr_buf_puts(r->out, " (");
      put_clean(r->out, owner_list(r, f->before.activity), 0);
      lr_buf_puts(r->out, ")\n");
    }
  }
  if (c->new_count) {
    text_heading(r, new_title(r));
    size_t width = 0, named = new_with_id(c);
    for (size_t i = 0; i < c->new_count; i++) {
      size_t w = display_width(lr_status_name(c->new_activities[i].activity->status));
      if (w > width) width = w;
    }
    for (size_t i = 0; i < c->new_count; i++) {
      const lr_activity *a = c->new_activities[i].activity;
      if (!a->id) continue;
      const char *status = lr_status_name(a->status);
      lr_buf_puts(r->out, "  ");
      put_colored(r, GREEN, "+");
      lr_buf_printf(r->out, " %s", status);
      put_spaces(r->out, width - display_width(status) + 2);
      put_clean(r->out, a->heading, TEXT_NOTE_MAX);
      lr_buf_puts(r->out, " (");
      put_clean(r->out, owner_list(r, a), 0);
      lr_buf_puts(r->out, ")\n");
    }
    if (named < c->new_count)
      lr_buf_printf(r->out, "  %s\n", without_id_sentence(r, c->new_count - named));
  }
}

/* Where the rows of an earlier year were counted across a revision. */
static const char *revision_sentence(const render *r) {
  const lr_comparison *c = r->c;
  return lr_arena_printf(r->arena, "Raderna följer strategin som gäller %d; aktiviteterna %d är räknade under "
                         "de mål och delmål de hör till i den.", c->year_after, c->year_before);
}

static void text_revisions(const render *r) {
  const lr_comparison *c = r->c;
  if (!c->revision_note_count) return;
  text_heading(r, "Strategin reviderades");
  for (size_t i = 0; i < c->revision_note_count; i++)
    lr_buf_printf(r->out, "  %s\n", lr_revision_note_text(r->arena, c->revision_notes[i]));
  lr_buf_printf(r->out, "  %s\n", revision_sentence(r));
}

static void text_indicators(const render *r) {
  const lr_comparison *c = r->c;
  if (!lr_indicators_changed(c->indicators, c->indicator_count)) return;
  text_heading(r, "Indikatorer (länet och aktörer vars värde ändrats)");
  const char *head[4] = {lr_arena_printf(r->arena, "%d", c->year_before),
                         lr_arena_printf(r->arena, "%d", c->year_after), "Ändring", ""};
  for (size_t i = 0; i < c->indicator_count; i++) {
    const lr_indicator_summary *s = &c->indicators[i];
    if (!indicator_changed(s)) continue;
    lr_buf_puts(r->out, "  ");
    put_clean(r->out, indicator_title(r, s->indicator), 0);
    lr_buf_putc(r->out, '\n');
    indicator_row *rows;
    size_t n = indicator_rows(r, s, &rows);
    size_t label_width = 0, width[3];
    for (int k = 0; k < 3; k++) width[k] = display_width(head[k]);
    for (size_t j = 0; j < n; j++) {
      if (display_width(rows[j].label) > label_width) label_width = display_width(rows[j].label);
      for (int k = 0; k < 3; k++)
        if (display_width(rows[j].cells[k]) > width[k]) width[k] = display_width(rows[j].cells[k]);
    }
    text_table_head(r, 4 + label_width, head, width);
    for (size_t j = 0; j < n; j++) {
      put_spaces(r->out, 4);
      put_clean(r->out, rows[j].label, 0);
      put_spaces(r->out, label_width - display_width(rows[j].label));
      for (int k = 0; k < 3; k++) {
        put_spaces(r->out, 2 + width[k] - display_width(rows[j].cells[k]));
        lr_buf_puts(r->out, rows[j].cells[k]);
      }
      const char *judged = rows[j].cells[3];
      if (*judged) {
        lr_buf_puts(r->out, "  ");
        put_colored(r, strcmp(judged, "bättre") == 0 ? GREEN : strcmp(judged, "sämre") == 0 ? RED : NULL, judged);
      }
      while (r->out->len && r->out->data[r->out->len - 1] == ' ') r->out->len--; /* an empty change cell */
      lr_buf_putc(r->out, '\n');
    }
  }
}

static void render_text(const render *r) {
  const lr_comparison *c = r->c;
  if (lr_comparison_is_empty(c)) {
    lr_buf_printf(r->out, "%s\n", lr_sentence_no_differences(r->arena, c->year_before, c->year_after));
    return;
  }
  const char *region = c->strategy->region;
  put_colored(r, BOLD,
              region && *region ? lr_arena_printf(r->arena, "Skillnader mellan %d och %d – %s",
                                                  c->year_before, c->year_after, region)
                                : lr_arena_printf(r->arena, "Skillnader mellan %d och %d",
                                                  c->year_before, c->year_after));
  lr_buf_putc(r->out, '\n');

  if (!coverage_changed(c)) lr_buf_printf(r->out, "\n%s\n", lr_sentence_same_coverage());
  text_coverage(r, false);
  text_coverage(r, true);

  text_heading(r, "Yttranden och aktiviteter");
  row totals[2];
  total_rows(c, totals);
  text_table(r, totals, 2);
  text_only_one_year(r, true);
  text_only_one_year(r, false);

  text_revisions(r);
  row *rows;
  size_t n = goal_rows(r, &rows);
  if (n) {
    text_heading(r, "Aktiviteter per mål och delmål (rader som ändrats)");
    text_table(r, rows, n);
  }
  n = actor_rows(r, &rows);
  if (n) {
    text_heading(r, "Aktiviteter per aktör (rader som ändrats)");
    text_table(r, rows, n);
  }
  text_indicators(r);
  text_plans(r);
  text_followups(r);
  if (c->include_internal)
    lr_buf_puts(r->out, "\nAntalen omfattar även aktiviteter markerade intern.\n");
}

/* ---- Markdown -------------------------------------------------------- */

static void md_text(const render *r, const char *s) { lr_escape_markdown(s, strlen(s), r->out); }

static void md_revisions(const render *r) {
  const lr_comparison *c = r->c;
  if (!c->revision_note_count) return;
  lr_buf_printf(r->out, "\n### Strategin reviderades\n\n%s\n\n", revision_sentence(r));
  for (size_t i = 0; i < c->revision_note_count; i++) {
    lr_buf_puts(r->out, "- ");
    md_text(r, lr_revision_note_text(r->arena, c->revision_notes[i]));
    lr_buf_putc(r->out, '\n');
  }
}

static void md_coverage(const render *r, bool gained) {
  coverage_item *items;
  size_t n = coverage_items(r, gained, &items);
  if (!n) return;
  lr_buf_printf(r->out, "\n**%s**\n\n", coverage_title(r, items, n, gained));
  for (size_t i = 0; i < n; i++) {
    lr_buf_puts(r->out, "- **");
    md_text(r, item_label(r, &items[i]));
    lr_buf_puts(r->out, "** ");
    md_text(r, item_text(&items[i]));
    lr_buf_putc(r->out, '\n');
  }
}

/* A pipe table; with_text adds the goal's or sub-goal's text after the id. */
static void md_table(const render *r, const char *first, bool with_text, const row *rows,
                     size_t n) {
  lr_buf_printf(r->out, "\n| %s |%s %d | %d | Ändring |\n| --- |%s ---: | ---: | ---: |\n", first,
                with_text ? " Text |" : "", r->c->year_before, r->c->year_after,
                with_text ? " --- |" : "");
  for (size_t i = 0; i < n; i++) {
    lr_buf_puts(r->out, "| ");
    if (rows[i].is_goal) lr_buf_puts(r->out, "**");
    md_text(r, rows[i].label);
    if (rows[i].is_goal) lr_buf_puts(r->out, "**");
    lr_buf_puts(r->out, " | ");
    if (with_text) {
      md_text(r, rows[i].text ? rows[i].text : "");
      lr_buf_puts(r->out, " | ");
    }
    lr_buf_printf(r->out, "%s | %s | %s |\n",
                  count_cell(r, rows[i].count.before, rows[i].missing_before),
                  count_cell(r, rows[i].count.after, rows[i].missing_after),
                  lr_sentence_change(r->arena, rows[i].count.before, rows[i].count.after));
  }
}

static void md_only_one_year(const render *r, bool before) {
  const lr_comparison *c = r->c;
  const lr_actor **list = before ? c->answered_only_before : c->answered_only_after;
  size_t n = before ? c->only_before_count : c->only_after_count;
  if (!n) return;
  lr_buf_printf(r->out, "\n**Svarade %d men inte %d (%zu):** ",
                before ? c->year_before : c->year_after, before ? c->year_after : c->year_before,
                n);
  for (size_t i = 0; i < n; i++) {
    if (i) lr_buf_puts(r->out, ", ");
    md_text(r, list[i]->name);
  }
  lr_buf_putc(r->out, '\n');
}

static void md_indicators(const render *r) {
  const lr_comparison *c = r->c;
  if (!lr_indicators_changed(c->indicators, c->indicator_count)) return;
  lr_buf_puts(r->out, "\n### Indikatorer\n\nLänet och de aktörer vars värde ändrats; – betyder inget värde det året.\n");
  for (size_t i = 0; i < c->indicator_count; i++) {
    const lr_indicator_summary *s = &c->indicators[i];
    if (!indicator_changed(s)) continue;
    lr_buf_puts(r->out, "\n#### ");
    md_text(r, indicator_title(r, s->indicator));
    lr_buf_printf(r->out, "\n\n| Aktör | %d | %d | Ändring | Bedömning |\n| --- | ---: | ---: | ---: | --- |\n",
                  c->year_before, c->year_after);
    indicator_row *rows;
    size_t n = indicator_rows(r, s, &rows);
    for (size_t j = 0; j < n; j++) {
      lr_buf_puts(r->out, "| ");
      md_text(r, rows[j].label);
      lr_buf_printf(r->out, " | %s | %s | %s | %s |\n", rows[j].cells[0], rows[j].cells[1], rows[j].cells[2],
                    rows[j].cells[3]);
    }
  }
}

static void render_markdown(const render *r) {
  const lr_comparison *c = r->c;
  const char *region = c->strategy->region;
  lr_buf_printf(r->out, "## Skillnader mellan %d och %d", c->year_before, c->year_after);
  if (region && *region) {
    lr_buf_puts(r->out, " – ");
    md_text(r, region);
  }
  lr_buf_puts(r->out, "\n");
  if (lr_comparison_is_empty(c)) {
    lr_buf_printf(r->out, "\n%s\n", lr_sentence_no_differences(r->arena, c->year_before, c->year_after));
    return;
  }
  if (!coverage_changed(c)) lr_buf_printf(r->out, "\n%s\n", lr_sentence_same_coverage());
  md_coverage(r, false);
  md_coverage(r, true);

  lr_buf_puts(r->out, "\n### Yttranden och aktiviteter\n");
  row totals[2];
  total_rows(c, totals);
  md_table(r, "Antal", false, totals, 2);
  md_only_one_year(r, true);
  md_only_one_year(r, false);

  md_revisions(r);
  row *rows;
  size_t n = goal_rows(r, &rows);
  if (n) {
    lr_buf_puts(r->out, "\n### Aktiviteter per mål och delmål\n\nRader som ändrats.\n");
    md_table(r, "Mål/delmål", true, rows, n);
  }
  n = actor_rows(r, &rows);
  if (n) {
    lr_buf_puts(r->out, "\n### Aktiviteter per aktör\n\nRader som ändrats; – betyder inget "
                        "yttrande det året.\n");
    md_table(r, "Aktör", false, rows, n);
  }
  md_indicators(r);
  if (c->plan_change_count) {
    lr_buf_printf(r->out,
                  "\n### Styrdokument som bytt status\n\n| Aktör | %d | %d |\n"
                  "| --- | --- | --- |\n",
                  c->year_before, c->year_after);
    for (size_t i = 0; i < c->plan_change_count; i++) {
      const lr_plan_change *pc = &c->plan_changes[i];
      lr_buf_puts(r->out, "| ");
      md_text(r, pc->actor->name);
      lr_buf_printf(r->out, " | %s | %s |\n", lr_plan_status_name(pc->before),
                    lr_plan_status_name(pc->after));
    }
  }
  size_t tracked = c->followup_count - c->outcome_counts[LR_OUTCOME_UNTRACKED];
  if (c->followup_count) {
    lr_buf_printf(r->out, "\n### %s\n\n", followup_title(r));
    md_text(r, lr_sentence_followup(r->arena, c->outcome_counts, c->year_before, c->year_after, false));
    lr_buf_putc(r->out, '\n');
  }
  if (tracked) {
    lr_buf_printf(r->out, "\n| Aktivitet | Ansvariga | %d | %d |\n| --- | --- | --- | --- |\n",
                  c->year_before, c->year_after);
    for (size_t i = 0; i < c->followup_count; i++) {
      const lr_followup *f = &c->followups[i];
      if (f->outcome == LR_OUTCOME_UNTRACKED) continue;
      lr_buf_puts(r->out, "| ");
      md_text(r, f->before.activity->heading);
      lr_buf_puts(r->out, " | ");
      md_text(r, owner_list(r, f->before.activity));
      lr_buf_printf(r->out, " | %s | %s |\n", lr_status_name(f->before.activity->status),
                    lr_outcome_name(f->outcome));
    }
  }
  if (c->new_count) {
    lr_buf_printf(r->out, "\n### %s\n\n", new_title(r));
    size_t named = new_with_id(c);
    if (named < c->new_count)
      lr_buf_printf(r->out, "%s\n%s", without_id_sentence(r, c->new_count - named), named ? "\n" : "");
    for (size_t i = 0; i < c->new_count; i++) {
      const lr_activity *a = c->new_activities[i].activity;
      if (!a->id) continue;
      lr_buf_puts(r->out, "- ");
      md_text(r, a->heading);
      lr_buf_puts(r->out, " (");
      md_text(r, owner_list(r, a));
      lr_buf_printf(r->out, ", %s)\n", lr_status_name(a->status));
    }
  }
  if (c->include_internal)
    lr_buf_puts(r->out, "\n_Antalen omfattar även aktiviteter markerade intern._\n");
}

/* ---- JSON ------------------------------------------------------------ */

/* The three numbers of a count, as members of the object being written. */
static void json_count(lr_buf *out, lr_count_change cc) {
  lr_buf_printf(out, "\"before\": %zu, \"after\": %zu, \"change\": %lld", cc.before, cc.after,
                signed_change(cc));
}

static void json_coverage(const render *r, bool gained) {
  coverage_item *items;
  size_t n = coverage_items(r, gained, &items);
  lr_buf_printf(r->out, "  \"%s\": [", gained ? "gained" : "lost");
  for (size_t i = 0; i < n; i++) {
    lr_buf_puts(r->out, i ? ",\n    {" : "\n    {");
    lr_buf_printf(r->out, "\"type\": \"%s\", \"id\": ", items[i].subgoal ? "subgoal" : "goal");
    lr_json_string(items[i].subgoal ? items[i].subgoal->id : items[i].goal->id, r->out);
    lr_buf_puts(r->out, ", \"goal\": ");
    lr_json_string(items[i].goal->id, r->out);
    lr_buf_puts(r->out, ", \"text\": ");
    lr_json_string(item_text(&items[i]), r->out);
    lr_buf_puts(r->out, "}");
  }
  lr_buf_puts(r->out, n ? "\n  ],\n" : "],\n");
}

static void json_actor_list(const render *r, const char *key, const lr_actor *const *list,
                            size_t n) {
  lr_buf_printf(r->out, "  \"%s\": [", key);
  for (size_t i = 0; i < n; i++) {
    lr_buf_puts(r->out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    lr_json_string(list[i]->id, r->out);
    lr_buf_puts(r->out, ", \"name\": ");
    lr_json_string(list[i]->name, r->out);
    lr_buf_puts(r->out, "}");
  }
  lr_buf_puts(r->out, n ? "\n  ],\n" : "],\n");
}

static const char *const REVISION_TOKENS[] = {"merged", "split", "removed", "renumbered"};

static void json_ids(lr_buf *out, const lr_target *const *targets, size_t n) {
  lr_buf_putc(out, '[');
  for (size_t i = 0; i < n; i++) {
    if (i) lr_buf_puts(out, ", ");
    lr_json_string(targets[i]->subgoal ? targets[i]->subgoal->id : targets[i]->goal->id, out);
  }
  lr_buf_putc(out, ']');
}

static void json_revisions(const render *r) {
  const lr_comparison *c = r->c;
  lr_buf_puts(r->out, "  \"revisions\": [");
  for (size_t i = 0; i < c->revision_note_count; i++) {
    const lr_revision_note *note = c->revision_notes[i];
    lr_buf_printf(r->out, "%s{\"kind\": \"%s\", \"year\": %d, \"before\": ", i ? ",\n    " : "\n    ",
                  REVISION_TOKENS[note->kind], note->year);
    json_ids(r->out, note->before, note->before_count);
    lr_buf_puts(r->out, ", \"after\": ");
    json_ids(r->out, note->after, note->after_count);
    lr_buf_puts(r->out, ", \"text\": ");
    lr_json_string(lr_revision_note_text(r->arena, note), r->out);
    lr_buf_putc(r->out, '}');
  }
  lr_buf_puts(r->out, c->revision_note_count ? "\n  ],\n" : "],\n");
}

static void json_goals(const render *r) {
  const lr_comparison *c = r->c;
  const lr_strategy *st = c->strategy;
  lr_buf_puts(r->out, "  \"goals\": [");
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    lr_buf_puts(r->out, g ? ",\n    {\"id\": " : "\n    {\"id\": ");
    lr_json_string(goal->id, r->out);
    lr_buf_puts(r->out, ", \"name\": ");
    lr_json_string(goal->name, r->out);
    lr_buf_puts(r->out, ", ");
    json_count(r->out, c->per_goal[g]);
    lr_buf_puts(r->out, ", \"subgoals\": [");
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      const lr_subgoal *sg = &goal->subgoals[k];
      lr_buf_puts(r->out, k ? ",\n      {\"id\": " : "\n      {\"id\": ");
      lr_json_string(sg->id, r->out);
      lr_buf_puts(r->out, ", \"text\": ");
      lr_json_string(sg->text, r->out);
      lr_buf_puts(r->out, ", ");
      json_count(r->out, c->per_subgoal[sg->index]);
      lr_buf_puts(r->out, "}");
    }
    lr_buf_puts(r->out, goal->subgoal_count ? "\n    ]}" : "]}");
  }
  lr_buf_puts(r->out, st->goal_count ? "\n  ],\n" : "],\n");
}

static void json_actors(const render *r) {
  const lr_comparison *c = r->c;
  lr_buf_puts(r->out, "  \"actors\": [");
  for (size_t i = 0; i < c->actor_count; i++) {
    const lr_actor *a = &c->actors[i];
    lr_buf_puts(r->out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    lr_json_string(a->id, r->out);
    lr_buf_puts(r->out, ", \"name\": ");
    lr_json_string(a->name, r->out);
    lr_buf_puts(r->out, ", \"type\": ");
    lr_json_string(lr_actor_type_name(a->type), r->out);
    lr_buf_puts(r->out, ", ");
    json_count(r->out, c->per_actor[i]);
    lr_buf_puts(r->out, "}");
  }
  lr_buf_puts(r->out, c->actor_count ? "\n  ],\n" : "],\n");
}

static void json_value(lr_buf *out, bool has, double v) {
  if (has) lr_buf_printf(out, "%.10g", v);
  else lr_buf_puts(out, "null");
}

static void json_judgement(lr_buf *out, bool has, int j) {
  if (!has) lr_buf_puts(out, "null");
  else lr_buf_puts(out, j > 0 ? "\"better\"" : j < 0 ? "\"worse\"" : "\"unchanged\"");
}

/* Every indicator of the strategy, changed or not, with its county figure
 * both years and every actor that reported it either year. */
static void json_indicators(const render *r) {
  const lr_comparison *c = r->c;
  lr_buf_puts(r->out, "  \"indicators\": [");
  for (size_t i = 0; i < c->indicator_count; i++) {
    const lr_indicator_summary *s = &c->indicators[i];
    const lr_indicator *ind = s->indicator;
    bool comparable = lr_indicator_comparable(s);
    lr_buf_puts(r->out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    lr_json_string(ind->id, r->out);
    lr_buf_puts(r->out, ", \"name\": ");
    lr_json_string(ind->name, r->out);
    lr_buf_puts(r->out, ", \"unit\": ");
    lr_json_string(ind->unit, r->out);
    lr_buf_printf(r->out, ", \"higher_is_better\": %s, \"total\": \"%s\",\n     \"county\": {\"before\": ",
                  ind->higher_is_better ? "true" : "false", lr_indicator_is_share(ind) ? "median" : "sum");
    json_value(r->out, s->before.count, s->before.total);
    lr_buf_puts(r->out, ", \"after\": ");
    json_value(r->out, s->now.count, s->now.total);
    lr_buf_printf(r->out, ", \"reported_before\": %zu, \"reported_after\": %zu, \"comparable\": %s, \"change\": ",
                  s->before.count, s->now.count, comparable ? "true" : "false");
    json_value(r->out, comparable, s->now.total - s->before.total);
    lr_buf_puts(r->out, ", \"judgement\": ");
    json_judgement(r->out, comparable, lr_indicator_judgement(ind, s->before.total, s->now.total));
    lr_buf_puts(r->out, "},\n     \"actors\": [");
    for (size_t k = 0; k < s->entry_count; k++) {
      const lr_indicator_entry *e = &s->entries[k];
      bool both = e->value && e->previous;
      lr_buf_puts(r->out, k ? ",\n       {\"id\": " : "\n       {\"id\": ");
      lr_json_string(e->actor->id, r->out);
      lr_buf_puts(r->out, ", \"before\": ");
      json_value(r->out, e->previous, e->previous ? e->previous->value : 0);
      lr_buf_puts(r->out, ", \"after\": ");
      json_value(r->out, e->value, e->value ? e->value->value : 0);
      lr_buf_puts(r->out, ", \"change\": ");
      json_value(r->out, both, both ? e->value->value - e->previous->value : 0);
      lr_buf_puts(r->out, ", \"judgement\": ");
      json_judgement(r->out, both, both ? lr_indicator_judgement(ind, e->previous->value, e->value->value) : 0);
      lr_buf_puts(r->out, "}");
    }
    lr_buf_puts(r->out, s->entry_count ? "\n     ]}" : "]}");
  }
  lr_buf_puts(r->out, c->indicator_count ? "\n  ],\n" : "],\n");
}

static void json_plan_status(lr_buf *out, lr_plan_status s) {
  if (s == LR_PLAN_UNKNOWN)
    lr_buf_puts(out, "null");
  else
    lr_json_string(lr_plan_status_name(s), out);
}

static void json_plans(const render *r) {
  const lr_comparison *c = r->c;
  lr_buf_puts(r->out, "  \"plans\": [");
  for (size_t i = 0; i < c->plan_change_count; i++) {
    const lr_plan_change *pc = &c->plan_changes[i];
    lr_buf_puts(r->out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    lr_json_string(pc->actor->id, r->out);
    lr_buf_puts(r->out, ", \"name\": ");
    lr_json_string(pc->actor->name, r->out);
    lr_buf_puts(r->out, ", \"before\": ");
    json_plan_status(r->out, pc->before);
    lr_buf_puts(r->out, ", \"after\": ");
    json_plan_status(r->out, pc->after);
    lr_buf_puts(r->out, "}");
  }
  lr_buf_puts(r->out, c->plan_change_count ? "\n  ],\n" : "],\n");
}

/* Tokens without spaces, for scripts: "inte-rapporterad", "utan-id". */
static const char *const OUTCOME_TOKENS[LR_OUTCOME_COUNT] = {
    [LR_OUTCOME_GENOMFORD] = "genomförd",         [LR_OUTCOME_PAGAENDE] = "pågående",
    [LR_OUTCOME_PLANERAD] = "planerad",           [LR_OUTCOME_AVBRUTEN] = "avbruten",
    [LR_OUTCOME_UNREPORTED] = "inte-rapporterad", [LR_OUTCOME_UNTRACKED] = "utan-id",
};

static void json_activity(const render *r, const lr_activity *a) {
  lr_buf_puts(r->out, "\"id\": ");
  lr_json_string(a->id, r->out);
  lr_buf_puts(r->out, ", \"heading\": ");
  lr_json_string(a->heading, r->out);
  lr_buf_puts(r->out, ", \"owners\": [");
  for (size_t i = 0; i < a->owner_count; i++) {
    if (i) lr_buf_puts(r->out, ", ");
    lr_json_string(a->owners[i]->id, r->out);
  }
  lr_buf_puts(r->out, "]");
}

static void json_followups(const render *r) {
  const lr_comparison *c = r->c;
  lr_buf_puts(r->out, "  \"outcomes\": {");
  for (int o = 0; o < LR_OUTCOME_COUNT; o++)
    lr_buf_printf(r->out, "%s\"%s\": %zu", o ? ", " : "", OUTCOME_TOKENS[o], c->outcome_counts[o]);
  lr_buf_puts(r->out, "},\n  \"followups\": [");
  size_t listed = 0;
  for (size_t i = 0; i < c->followup_count; i++) {
    const lr_followup *f = &c->followups[i];
    if (f->outcome == LR_OUTCOME_UNTRACKED) continue;
    lr_buf_puts(r->out, listed++ ? ",\n    {" : "\n    {");
    json_activity(r, f->before.activity);
    lr_buf_puts(r->out, ", \"before\": ");
    lr_json_string(lr_status_name(f->before.activity->status), r->out);
    lr_buf_puts(r->out, ", \"after\": ");
    if (f->after.activity) lr_json_string(lr_status_name(f->after.activity->status), r->out);
    else lr_buf_puts(r->out, "null");
    lr_buf_puts(r->out, ", \"outcome\": ");
    lr_json_string(OUTCOME_TOKENS[f->outcome], r->out);
    lr_buf_puts(r->out, "}");
  }
  lr_buf_puts(r->out, listed ? "\n  ],\n" : "],\n");
  size_t named = new_with_id(c);
  lr_buf_printf(r->out, "  \"new_without_id\": %zu,\n  \"new\": [", c->new_count - named);
  listed = 0;
  for (size_t i = 0; i < c->new_count; i++) {
    const lr_activity *a = c->new_activities[i].activity;
    if (!a->id) continue;
    lr_buf_puts(r->out, listed++ ? ",\n    {" : "\n    {");
    json_activity(r, a);
    lr_buf_puts(r->out, ", \"status\": ");
    lr_json_string(lr_status_name(a->status), r->out);
    lr_buf_puts(r->out, "}");
  }
  lr_buf_puts(r->out, named ? "\n  ]\n" : "]\n");
}

static void render_json(const render *r) {
  const lr_comparison *c = r->c;
  lr_buf_puts(r->out, "{\n  \"version\": 1,\n  \"strategy\": ");
  lr_json_string(c->strategy->id, r->out);
  lr_buf_printf(r->out,
                ",\n  \"before\": %d,\n  \"after\": %d,\n  \"identical\": %s,\n"
                "  \"include_internal\": %s,\n",
                c->year_before, c->year_after, lr_comparison_is_empty(c) ? "true" : "false",
                c->include_internal ? "true" : "false");
  json_coverage(r, false);
  json_coverage(r, true);
  lr_buf_puts(r->out, "  \"statements\": {");
  json_count(r->out, c->statements);
  lr_buf_puts(r->out, "},\n  \"activities\": {");
  json_count(r->out, c->activities);
  lr_buf_puts(r->out, "},\n");
  json_actor_list(r, "answered_only_before", c->answered_only_before, c->only_before_count);
  json_actor_list(r, "answered_only_after", c->answered_only_after, c->only_after_count);
  json_revisions(r);
  json_goals(r);
  json_actors(r);
  json_indicators(r);
  json_plans(r);
  json_followups(r);
  lr_buf_puts(r->out, "}\n");
}

void lr_diff_render(const lr_comparison *c, lr_diff_format format, bool color, lr_buf *out) {
  render r = {c, lr_arena_new(), color && format == LR_DIFF_TEXT, out};
  switch (format) {
  case LR_DIFF_TEXT: render_text(&r); break;
  case LR_DIFF_MARKDOWN: render_markdown(&r); break;
  case LR_DIFF_JSON: render_json(&r); break;
  }
  lr_arena_free(r.arena);
}
