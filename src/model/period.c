/* The report of a period ("build 2021-2022"): one report over several
 * years. Rather than teach every count of report.c about spans, the
 * period's years are merged into one year of their own, whose statement
 * from each actor holds what it reported over the whole period, and
 * lr_report_compute reads that year unchanged:
 *
 * - an activity with an id is there once, as the latest year reported it
 *   (its status then), with the years it was reported in noted;
 * - an activity without an id cannot be followed, so it is there once for
 *   every year it was written;
 * - an actor's other answers (plans, successes, needs) are its latest
 *   statement's: what it says now about its work;
 * - the targets of earlier years are followed into the last year's
 *   version of the strategy, each once.
 *
 * What a period has beyond that (answers and activities per year, and
 * plan versus outcome from its first year to its end) is in lr_period. */
#include "model/model.h"

#include <stdint.h>
#include <string.h>

/* One activity of the period: the record that wins (the latest year's)
 * and the years it was reported in, as bits from the first year. */
typedef struct merged {
  lr_activity_ref winner;
  size_t winner_year; /* offset from the first year */
  uint64_t years;
  lr_activity *activity; /* the copy the merged year holds */
} merged;

/* Spans longer than this are no strategy period; the bits above would
 * overflow. */
enum { MAX_PERIOD_YEARS = 64 };

/* "2021–2022", "2021 och 2023", "2021–2022 och 2024": runs of years. */
static const char *years_text(lr_arena *arena, int first, uint64_t years) {
  const char *parts[MAX_PERIOD_YEARS];
  size_t n = 0;
  for (int k = 0; k < MAX_PERIOD_YEARS; k++) {
    if (!(years >> k & 1)) continue;
    int end = k;
    while (end + 1 < MAX_PERIOD_YEARS && (years >> (end + 1) & 1)) end++;
    parts[n++] = end == k ? lr_arena_printf(arena, "%d", first + k)
                          : lr_arena_printf(arena, "%d–%d", first + k, first + end);
    k = end;
  }
  lr_buf b = {0};
  for (size_t i = 0; i < n; i++)
    lr_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " och " : ", ", parts[i]);
  const char *text = lr_arena_strdup(arena, lr_buf_cstr(&b));
  lr_buf_free(&b);
  return text;
}

/* The activity's targets in the last year's version of the strategy,
 * each once: two old sub-goals merged into one are one target now. */
static void follow_targets(lr_project *p, lr_activity *a, const lr_strategy *from, const lr_strategy *to) {
  size_t cap = 0;
  const lr_target **found = lr_arena_array(p->arena, a->target_count + 1, sizeof *found);
  size_t *counts = lr_arena_array(p->arena, a->target_count + 1, sizeof *counts);
  for (size_t t = 0; t < a->target_count; t++) {
    bool exact;
    counts[t] = lr_target_follow(p, from, a->targets[t], to, &found[t], &exact);
    cap += counts[t];
  }
  lr_target *targets = lr_arena_array(p->arena, cap + 1, sizeof *targets);
  size_t n = 0;
  for (size_t t = 0; t < a->target_count; t++)
    for (size_t k = 0; k < counts[t]; k++) {
      bool seen = false;
      for (size_t i = 0; i < n; i++)
        seen = seen || (targets[i].goal == found[t][k].goal && targets[i].subgoal == found[t][k].subgoal);
      if (!seen) targets[n++] = found[t][k];
    }
  a->targets = targets;
  a->target_count = n;
}

/* The years first..last merged into one year (numbered as the last),
 * and the years each activity was reported in; NULL when a year has no
 * statements. */
static lr_year *merge_years(lr_project *p, int first, int last, lr_ptr_index *reported) {
  lr_arena *arena = p->arena;
  size_t n = (size_t)(last - first + 1);
  const lr_year **years = lr_arena_array(arena, n, sizeof *years);
  lr_index *indexes = lr_arena_array(arena, n, sizeof *indexes);
  size_t total = 0;
  for (size_t k = 0; k < n; k++) {
    years[k] = lr_project_year(p, first + (int)k);
    if (!years[k]) return NULL;
    indexes[k] = lr_year_activity_index(p, years[k]);
    for (size_t i = 0; i < years[k]->statement_count; i++) total += years[k]->statements[i].activity_count;
  }

  /* Every activity of the period once, in the order it first appears:
   * an activity that went on is shown where it began. */
  merged *all = lr_arena_array(arena, total + 1, sizeof *all);
  size_t count = 0;
  lr_ptr_index by_winner;
  lr_ptr_index_init(&by_winner, arena, total + 1);
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < years[k]->statement_count; i++) {
      const lr_statement *s = &years[k]->statements[i];
      for (size_t j = 0; j < s->activity_count; j++) {
        const lr_activity *a = &s->activities[j];
        if (a->copy) continue;
        lr_activity_ref winner = {s, a};
        size_t winner_year = k;
        for (size_t later = n - 1; a->id && later > k; later--) {
          const lr_activity_ref *found = lr_activity_find(p, &indexes[later], a);
          if (found) {
            winner = *found;
            winner_year = later;
            break;
          }
        }
        merged *m = lr_ptr_index_get(&by_winner, winner.activity);
        if (!m) {
          m = &all[count++];
          *m = (merged){winner, winner_year, 0, NULL};
          lr_ptr_index_put(&by_winner, winner.activity, m);
        }
        m->years |= (uint64_t)1 << k;
      }
    }

  /* Each actor's latest statement of the period, with the activities it
   * wrote the winning record of. */
  const lr_strategy *to = lr_strategy_in_year(p, last);
  const lr_statement **latest = lr_arena_array(arena, p->actor_count + 1, sizeof *latest);
  size_t *owned = lr_arena_array(arena, p->actor_count + 1, sizeof *owned);
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < years[k]->statement_count; i++)
      latest[years[k]->statements[i].actor->index] = &years[k]->statements[i];
  for (size_t i = 0; i < count; i++) owned[all[i].winner.statement->actor->index]++;

  lr_year *y = lr_arena_alloc(arena, sizeof *y);
  y->year = last;
  y->found = true;
  y->dir = lr_span_paths_get(p, first, last).dir;
  y->awaiting_count = years[n - 1]->awaiting_count;
  y->statements = lr_arena_array(arena, p->actor_count + 1, sizeof *y->statements);
  lr_statement **of_actor = lr_arena_array(arena, p->actor_count + 1, sizeof *of_actor);
  for (size_t a = 0; a < p->actor_count; a++) {
    if (!latest[a]) continue;
    lr_statement *s = &y->statements[y->statement_count++];
    *s = *latest[a];
    s->year = last;
    s->activities = lr_arena_array(arena, owned[a] + 1, sizeof *s->activities);
    s->activity_count = 0;
    of_actor[a] = s;
  }
  for (size_t i = 0; i < count; i++) {
    merged *m = &all[i];
    lr_statement *s = of_actor[m->winner.statement->actor->index];
    lr_activity *a = &s->activities[s->activity_count++];
    *a = *m->winner.activity;
    a->copy = false;
    follow_targets(p, a, lr_strategy_in_year(p, first + (int)m->winner_year), to);
    if (reported) lr_ptr_index_put(reported, a, (void *)years_text(arena, first, m->years));
  }
  return y;
}

/* Published activities of a year, each once. */
static size_t published(const lr_year *y) {
  size_t n = 0;
  for (size_t i = 0; i < y->statement_count; i++)
    for (size_t j = 0; j < y->statements[i].activity_count; j++) {
      const lr_activity *a = &y->statements[i].activities[j];
      n += !a->copy && !a->internal;
    }
  return n;
}

static bool within_strategy(lr_project *p, int first, int last) {
  const lr_strategy *st = &p->strategy;
  bool after_start = !st->valid_from || first >= st->valid_from;
  bool before_end = !st->valid_to || last <= st->valid_to;
  if (after_start && before_end) return true;
  int from = st->valid_from && first < st->valid_from ? st->valid_from : first;
  int to = st->valid_to && last > st->valid_to ? st->valid_to : last;
  lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, st->valid_loc,
                           after_start ? "perioden %d-%d slutar efter strategins giltighetstid, som slutar %d"
                                       : "perioden %d-%d börjar före strategins giltighetstid, som börjar %d",
                           first, last, after_start ? st->valid_to : st->valid_from);
  if (from < to)
    lr_diag_hint(&p->diags, d, "ange en period inom giltig, t.ex. \"%d-%d\", eller rätta giltig i strategin",
                 from, to);
  else
    lr_diag_hint(&p->diags, d, "ange en period inom giltig, eller rätta giltig i strategin");
  return false;
}

void lr_period_load(lr_project *p, int first, int last) {
  if (last <= first || !within_strategy(p, first, last)) return;
  if (last - first + 1 > MAX_PERIOD_YEARS) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){p->config.root, 0, 0},
                             "perioden %d-%d är längre än %d år", first, last, MAX_PERIOD_YEARS);
    lr_diag_hint(&p->diags, d, "ange en kortare period, t.ex. strategins giltighetstid");
    return;
  }
  lr_period *period = lr_arena_alloc(p->arena, sizeof *period);
  lr_ptr_index_init(&period->reported, p->arena, 64);
  lr_year *y = merge_years(p, first, last, &period->reported);
  if (!y) return; /* the loader has said which year has no statements */
  period->first = first;
  period->last = last;
  period->name = lr_arena_printf(p->arena, "%d–%d", first, last);
  period->after_name = last - first == 1 ? lr_arena_printf(p->arena, "%d", last)
                                         : lr_arena_printf(p->arena, "%d–%d", first + 1, last);
  period->year_count = (size_t)(last - first + 1);
  period->years = lr_arena_array(p->arena, period->year_count, sizeof *period->years);
  bool *answered = lr_arena_array(p->arena, p->actor_count * period->year_count + 1, sizeof *answered);
  for (size_t k = 0; k < period->year_count; k++) {
    const lr_year *year = lr_project_year(p, first + (int)k);
    period->years[k] = (lr_period_year){year, year->statement_count, published(year)};
    for (size_t i = 0; i < year->statement_count; i++)
      answered[year->statements[i].actor->index * period->year_count + k] = true;
  }
  for (size_t a = 0; a < p->actor_count; a++) {
    bool any = false;
    for (size_t k = 0; k < period->year_count; k++) any = any || answered[a * period->year_count + k];
    period->actors_answered += any;
  }
  period->answered = answered;
  p->period_year = y;
  p->period = period;
  const char *texts = lr_span_paths_get(p, first, last).texts;
  if (lr_path_exists(texts)) y->texts = lr_report_texts_load(p, y, texts);
}

const lr_report *lr_period_report_compute(lr_project *p, int first, int last) {
  if (!p->period || p->period->first != first || p->period->last != last) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){p->config.root, 0, 0},
                             "perioden %d-%d är inte inläst", first, last);
    lr_diag_hint(&p->diags, d, "läs in projektet med perioden, som build gör");
    return NULL;
  }
  lr_report *r = (lr_report *)lr_report_compute(p, p->period_year);
  r->period = p->period;
  /* The comparison is between the period's ends: its first year beside
   * its last, and the first year's plans followed to the latest record
   * of each (one finished in the middle year is finished, not missing
   * from the last). */
  const lr_year *before = lr_project_year(p, first);
  lr_comparison *c = lr_arena_alloc(p->arena, sizeof *c);
  *c = *lr_comparison_compute(p, before, lr_project_year(p, last), false);
  if (last - first > 1) {
    const lr_year *after = merge_years(p, first + 1, last, NULL);
    const lr_comparison *f = lr_comparison_compute(p, before, after, false);
    c->followups = f->followups;
    c->followup_count = f->followup_count;
    memcpy(c->outcome_counts, f->outcome_counts, sizeof c->outcome_counts);
    c->actor_outcomes = f->actor_outcomes;
    c->goal_outcomes = f->goal_outcomes;
    c->new_activities = f->new_activities;
    c->new_count = f->new_count;
  }
  r->previous = before;
  r->comparison = c;
  return r;
}

const char *lr_report_span(lr_arena *arena, const lr_report *r) {
  return r->period ? r->period->name : lr_arena_printf(arena, "%d", r->year->year);
}

const char *lr_report_heading(lr_arena *arena, const lr_report *r) {
  const lr_report_texts *t = r->year->texts;
  if (!r->period || (t && t->title)) return lr_report_title(arena, t, r->year->year);
  return lr_arena_printf(arena, "Regional lägesrapport %s", r->period->name);
}
