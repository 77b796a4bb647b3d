/* Views: the computed report turned into the data tree the templates read.
 * Every number and sentence comes from lr_report; this file only names
 * and arranges them. Prose is rendered here for the target format (safe
 * HTML or cleaned CommonMark), so templates insert it with {{{…}}}; all
 * other text is escaped by the engine. Keys are documented in
 * docs/mallar.md, which template authors read.
 *
 * A build shows every activity in the report, once per goal it serves,
 * and again in its actor's feedback. So the views of one report share an
 * lr_views: each prose field and each activity is rendered once per
 * format into its long-lived arena, and every view points at that one
 * copy. A view itself lives in an arena of its own that the caller can
 * free as soon as the page is rendered; its strings are borrowed from the
 * model, the shared arena or its own arena, all of which outlive it. */
#include "render/render.h"
#include "render/chart.h"
#include "render/sentences.h"
#include "render/view.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lr_views {
  lr_arena *arena; /* outlives every view made from it */
  const lr_report *report;
  bool both; /* views in both formats will be made: parse prose once for both */
  unsigned formats;
  lr_ptr_index prose[LR_VIEW_FORMATS];      /* Markdown source -> rendered text */
  /* Description -> plain text, for the workbook: filled by
   * lr_views_prepare_prose before the workbook's thread starts, and
   * never changed after, so that thread reads it unlocked. */
  lr_ptr_index text;
  const char *logo_uri;       /* the logo as a data: URI, made on first use */
  lr_value *titles;           /* rubriker, shared by every view */
};

typedef struct view {
  lr_arena *arena; /* this view's own, freed with it */
  lr_views *shared;
  const lr_report *report;
  lr_view_format format;
} view;

lr_views *lr_views_new(lr_arena *arena, const lr_report *r, unsigned formats) {
  lr_views *views = lr_arena_alloc(arena, sizeof *views);
  views->arena = arena;
  views->report = r;
  views->both = (formats & LR_OUTPUT_MD) && (formats & LR_OUTPUT_HTML);
  views->formats = formats;
  size_t texts = r->activity_count + r->internal_activity_count + 5 * r->response_count +
                 2 * r->strategy->goal_count + 8;
  for (int f = 0; f < LR_VIEW_FORMATS; f++) {
    lr_ptr_index_init(&views->prose[f], arena, texts);
  }
  lr_ptr_index_init(&views->text, arena, r->activity_count + r->internal_activity_count);
  return views;
}

void lr_views_set_titles(lr_views *views, lr_value *titles) { views->titles = titles; }

/* rapport.yaml cites its sources as [^id]; the reader sees the source's
 * number, linked to the list of sources: "[2]". The loader has checked
 * that every id is a source. */
static const char *with_citations(lr_arena *arena, const lr_report_texts *t, const char *markdown) {
  if (!t || !t->source_count || !strstr(markdown, "[^")) return markdown;
  lr_buf out = {0};
  const char *p = markdown;
  for (const char *m = strstr(p, "[^"); m; m = strstr(p, "[^")) {
    const char *end = strchr(m, ']');
    if (!end) break;
    size_t number = 0;
    for (size_t i = 0; !number && i < t->source_count; i++)
      if (strlen(t->sources[i].id) == (size_t)(end - m - 2) && !strncmp(t->sources[i].id, m + 2, (size_t)(end - m - 2)))
        number = i + 1;
    lr_buf_put(&out, p, (size_t)(m - p));
    if (number) lr_buf_printf(&out, "[[%zu]](#kalla-%zu)", number, number);
    else lr_buf_put(&out, m, (size_t)(end + 1 - m));
    p = end + 1;
  }
  lr_buf_puts(&out, p);
  const char *result = lr_arena_strdup(arena, lr_buf_cstr(&out));
  lr_buf_free(&out);
  return result;
}

static void set_prose(const view *v, lr_value *map, const char *key, const char *markdown) {
  if (!markdown) {
    lr_value_set(map, key, NULL);
    return;
  }
  lr_views *shared = v->shared;
  const char *text = lr_ptr_index_get(&shared->prose[v->format], markdown);
  const char *source = text ? markdown : with_citations(shared->arena, v->report->year->texts, markdown);
  if (!text && v->format == LR_VIEW_DOCX) {
    /* From the plain text made with the pages' prose, where there is
     * one, rather than from a parse of its own. */
    const char *plain = source == markdown ? lr_ptr_index_get(&shared->text, markdown) : NULL;
    text = plain ? lr_docx_paragraphs(shared->arena, plain) : lr_docx_prose(shared->arena, source);
    lr_ptr_index_put(&shared->prose[LR_VIEW_DOCX], markdown, (void *)text);
  } else if (!text) {
    bool html = shared->both || v->format == LR_VIEW_HTML;
    bool clean = shared->both || v->format == LR_VIEW_MARKDOWN;
    const char *out[2] = {NULL, NULL};
    lr_markdown_render(shared->arena, source, html ? &out[LR_VIEW_HTML] : NULL,
                       clean ? &out[LR_VIEW_MARKDOWN] : NULL);
    for (int f = 0; f < 2; f++)
      if (out[f]) lr_ptr_index_put(&shared->prose[f], markdown, (void *)out[f]);
    text = out[v->format];
  }
  lr_value_set_borrowed(map, key, text);
}

/* ---- every description at once, on two cores ------------------------- */

/* A share of the descriptions, rendered into an arena of its own. */
typedef struct prose_share {
  const lr_views *views;
  const char *const *sources;
  size_t from, to;
  const char **html, **clean, **text; /* by index into sources */
  lr_arena *arena;
} prose_share;

static void *render_share(void *arg) {
  prose_share *share = arg;
  const lr_views *views = share->views;
  bool html = views->formats & LR_OUTPUT_HTML, clean = views->formats & LR_OUTPUT_MD;
  for (size_t i = share->from; i < share->to; i++) {
    const char *markdown = share->sources[i];
    const char *source = with_citations(share->arena, views->report->year->texts, markdown);
    /* The workbook shows the description as written, citations too. */
    lr_markdown_render_with_text(share->arena, source, html ? &share->html[i] : NULL,
                                 clean ? &share->clean[i] : NULL,
                                 source == markdown ? &share->text[i] : NULL);
  }
  return NULL;
}

void lr_views_prepare_prose(lr_views *views) {
  const lr_year *year = views->report->year;
  lr_arena *scratch = lr_arena_new();
  size_t cap = 0, n = 0;
  for (size_t i = 0; i < year->statement_count; i++) cap += year->statements[i].activity_count;
  const char **sources = lr_arena_array(scratch, cap + 1, sizeof *sources);
  const char **out = lr_arena_array(scratch, 3 * (cap + 1), sizeof *out);
  memset(out, 0, 3 * (cap + 1) * sizeof *out);
  lr_ptr_index seen;
  lr_ptr_index_init(&seen, scratch, cap);
  for (size_t i = 0; i < year->statement_count; i++)
    for (size_t j = 0; j < year->statements[i].activity_count; j++) {
      const char *d = year->statements[i].activities[j].description;
      if (!d || lr_ptr_index_get(&seen, d) || lr_ptr_index_get(&views->prose[LR_VIEW_HTML], d) ||
          lr_ptr_index_get(&views->prose[LR_VIEW_MARKDOWN], d))
        continue;
      lr_ptr_index_put(&seen, d, (void *)d);
      sources[n++] = d;
    }
  /* Half on a thread of its own; a few only are not worth one. */
  prose_share halves[2] = {
      {views, sources, 0, n / 2, out, out + cap + 1, out + 2 * (cap + 1), lr_arena_new_large()},
      {views, sources, n / 2, n, out, out + cap + 1, out + 2 * (cap + 1), views->arena},
  };
  pthread_t thread;
  bool threaded = n >= 64 && pthread_create(&thread, NULL, render_share, &halves[0]) == 0;
  if (!threaded) halves[1].from = 0;
  render_share(&halves[1]);
  if (threaded) pthread_join(thread, NULL);
  lr_arena_adopt(views->arena, halves[0].arena);
  const prose_share *done = &halves[0]; /* both halves wrote into the same arrays */
  for (size_t i = 0; i < n; i++) {
    if (done->html[i])
      lr_ptr_index_put(&views->prose[LR_VIEW_HTML], sources[i], (void *)done->html[i]);
    if (done->clean[i])
      lr_ptr_index_put(&views->prose[LR_VIEW_MARKDOWN], sources[i], (void *)done->clean[i]);
    if (done->text[i]) lr_ptr_index_put(&views->text, sources[i], (void *)done->text[i]);
  }
  lr_arena_free(scratch);
}

const char *lr_views_text(const void *views, const char *markdown) {
  return lr_ptr_index_get(&((const lr_views *)views)->text, markdown);
}

void lr_view_set_list(lr_value *map, const char *key, lr_value *list) {
  lr_value_set(map, key, list);
  char flag[64];
  snprintf(flag, sizeof flag, "har_%s", key);
  lr_value_set_bool(map, flag, lr_value_count(list) > 0);
}

/* {id, text} and {namn}: the items of the comparison's lists. */
static void push_labelled(lr_arena *arena, lr_value *list, const char *id, const char *text) {
  lr_value *item = lr_value_map(arena);
  lr_value_set_borrowed(item, "id", id);
  lr_value_set_borrowed(item, "text", text);
  lr_value_push(list, item);
}

static void push_name(lr_arena *arena, lr_value *list, const char *name) {
  lr_value *item = lr_value_map(arena);
  lr_value_set_borrowed(item, "namn", name);
  lr_value_push(list, item);
}

/* A goal before its sub-goals, and all in the strategy's order. */
static int compare_target(const void *x, const void *y) {
  const lr_target *a = x, *b = y;
  if (a->goal != b->goal) return (a->goal->index > b->goal->index) - (a->goal->index < b->goal->index);
  size_t ka = a->subgoal ? a->subgoal->index + 1 : 0, kb = b->subgoal ? b->subgoal->index + 1 : 0;
  return (ka > kb) - (ka < kb);
}

/* "delmål 1:1 och 1:3", or "mål 1" in a framework without sub-goals (a
 * bare number in a meta line says nothing to a reader), in the strategy's
 * order whatever order the statement lists them in: only the first listed
 * one means something (the main goal). */
static const char *target_ids(lr_arena *arena, const lr_activity *a) {
  lr_target *sorted = lr_arena_array(arena, a->target_count + 1, sizeof *sorted);
  memcpy(sorted, a->targets, a->target_count * sizeof *sorted);
  qsort(sorted, a->target_count, sizeof *sorted, compare_target);
  const char **goals = lr_arena_array(arena, a->target_count + 1, sizeof *goals);
  const char **subgoals = lr_arena_array(arena, a->target_count + 1, sizeof *subgoals);
  size_t goal_count = 0, subgoal_count = 0;
  for (size_t i = 0; i < a->target_count; i++) {
    if (sorted[i].subgoal)
      subgoals[subgoal_count++] = sorted[i].subgoal->id;
    else
      goals[goal_count++] = sorted[i].goal->id;
  }
  const char *goal_text =
      goal_count ? lr_arena_printf(arena, "mål %s", lr_sentence_join(arena, goals, goal_count)) : NULL;
  const char *subgoal_text =
      subgoal_count ? lr_arena_printf(arena, "delmål %s", lr_sentence_join(arena, subgoals, subgoal_count))
                    : NULL;
  if (goal_text && subgoal_text) return lr_arena_printf(arena, "%s, %s", goal_text, subgoal_text);
  return goal_text ? goal_text : subgoal_text ? subgoal_text : "";
}

static const char *partner_names(lr_arena *arena, const lr_activity *a) {
  if (!a->partner_count) return NULL;
  const char **names = lr_arena_array(arena, a->partner_count, sizeof *names);
  for (size_t i = 0; i < a->partner_count; i++) names[i] = a->partners[i]->name;
  return lr_sentence_join(arena, names, a->partner_count);
}

/* "Aneby kommun, Länsstyrelsen i Provlän och Polisen" */
static const char *owner_names(lr_arena *arena, const lr_activity *a) {
  const char **names = lr_arena_array(arena, a->owner_count + 1, sizeof *names);
  for (size_t i = 0; i < a->owner_count; i++) names[i] = a->owners[i]->name;
  return lr_sentence_join(arena, names, a->owner_count);
}

static const char *area_names(lr_arena *arena, const lr_activity *a) {
  if (!a->area_count) return NULL;
  const char **names = lr_arena_array(arena, a->area_count, sizeof *names);
  for (size_t i = 0; i < a->area_count; i++) names[i] = a->areas[i]->name;
  return lr_sentence_join(arena, names, a->area_count);
}

/* In the view's own arena, gone with its page: a feedback page lists an
 * activity once and the report only a few as examples, so keeping them
 * for other pages would hold every activity in memory per format for
 * nothing. */
static lr_value *activity_value(const view *v, const lr_activity_ref *ref) {
  const lr_activity *a = ref->activity;
  lr_arena *arena = v->arena;
  lr_value *m = lr_value_map(arena);
  lr_value_set_borrowed(m, "id", a->id);
  lr_value_set_borrowed(m, "rubrik", a->heading);
  lr_value_set_borrowed(m, "aktor", owner_names(arena, a));
  lr_value_set_borrowed(m, "aktor_id", ref->statement->actor->id);
  lr_value_set_bool(m, "gemensam", a->owner_count > 1);
  lr_value_set_borrowed(m, "status", lr_status_name(a->status));
  lr_value_set_borrowed(m, "mal", target_ids(arena, a));
  lr_value_set_borrowed(m, "samverkan", partner_names(arena, a));
  lr_value_set_borrowed(m, "omraden", area_names(arena, a));
  lr_value_set_borrowed(m, "malgrupp", a->target_group);
  lr_value_set_bool(m, "intern", a->internal);
  lr_value_set_borrowed(m, "rapporterad", lr_period_reported(v->report, a));
  set_prose(v, m, "beskrivning", a->description);
  return m;
}

static bool shown_under(const lr_goal_summary *gs, const lr_activity *a) {
  for (size_t i = 0; i < gs->example_count; i++)
    if (gs->examples[i].activity == a) return true;
  return false;
}

static size_t count_main(const lr_goal_summary *gs) {
  size_t n = 0;
  for (size_t i = 0; i < gs->activity_count; i++) n += gs->is_main[i];
  return n;
}

/* An activity shown in full under one goal, named under another:
 * "Se även mål 1: Projekt Heder", with the anchor of that goal. */
static lr_value *see_also_value(const view *v, const lr_activity *a, const lr_goal *main) {
  lr_value *m = lr_value_map(v->arena);
  lr_value_set_borrowed(m, "rubrik", a->heading);
  lr_value_set_borrowed(m, "mal_id", main->id);
  lr_value_set_borrowed(m, "ankare", lr_arena_printf(v->arena, "mal-%zu", main->index + 1));
  lr_value_set_borrowed(m, "text", lr_arena_printf(v->arena, "Se även mål %s: %s", main->id, a->heading));
  return m;
}

/* "1 aktivitet", "3 aktiviteter": templates cannot inflect. */
static lr_value *subgoal_value(const view *v, const lr_subgoal_summary *ss) {
  lr_value *m = lr_value_map(v->arena);
  lr_value_set_borrowed(m, "aktiviteter_text", lr_sentence_count(v->arena, ss->activity_count, "aktivitet", "aktiviteter"));
  lr_value_set_borrowed(m, "id", ss->subgoal->id);
  lr_value_set_borrowed(m, "text", ss->subgoal->text);
  lr_value_set_borrowed(m, "malgrupp", ss->subgoal->target_group);
  lr_value_set_int(m, "aktiviteter", (long)ss->activity_count);
  lr_value_set_int(m, "aktorer", (long)ss->actor_count);
  lr_value_set_bool(m, "har_aktiviteter", ss->activity_count > 0);
  return m;
}

static lr_value *goal_value(const view *v, const lr_goal_summary *gs) {
  lr_arena *arena = v->arena;
  const lr_report *r = v->report;
  const lr_goal *g = gs->goal;
  lr_value *m = lr_value_map(arena);
  lr_value_set_borrowed(m, "id", g->id);
  lr_value_set_borrowed(m, "namn", g->name);
  /* Anchors by position: ids may hold characters an HTML id cannot. */
  lr_value_set_borrowed(m, "ankare", lr_arena_printf(arena, "mal-%zu", g->index + 1));
  lr_value_set_int(m, "plats", (long)g->index); /* from 0: a Word chart's point index */
  set_prose(v, m, "beskrivning", g->description);
  lr_value_set_int(m, "aktiviteter", (long)gs->activity_count);
  lr_value_set_int(m, "aktorer", (long)gs->actor_count);
  lr_value_set_bool(m, "har_delmal", g->subgoal_count > 0);
  lr_value_set_int(m, "delmal_tackta", (long)gs->subgoals_covered);
  lr_value_set_int(m, "delmal_totalt", (long)g->subgoal_count);
  lr_value_set_borrowed(m, "summering",
                      lr_sentence_goal_activities(arena, g->id, gs->activity_count, gs->actor_count));
  size_t *counts = lr_arena_array(arena, g->subgoal_count + 1, sizeof *counts);
  lr_value *subs = lr_value_list(arena), *uncovered = lr_value_list(arena);
  for (size_t k = 0; k < g->subgoal_count; k++) {
    counts[k] = gs->subgoals[k].activity_count;
    lr_value *sv = subgoal_value(v, &gs->subgoals[k]);
    lr_value_push(subs, sv);
    if (!counts[k]) lr_value_push(uncovered, sv);
  }
  lr_value_set(m, "delmal", subs);
  lr_value_set(m, "utan_aktivitet", uncovered);
  lr_value_set_borrowed(m, "tackning", lr_sentence_coverage(arena, g, counts, lr_report_span(arena, r)));
  lr_value *examples = lr_value_list(arena), *see_also = lr_value_list(arena);
  for (size_t i = 0; i < gs->example_count; i++) {
    /* The activity's own map is shared with other views; what leads into
     * it here is the goal's. */
    lr_value *e = lr_value_map(arena);
    set_prose(v, e, "fore", gs->example_lead_ins[i]);
    lr_value_set(e, "aktivitet", activity_value(v, &gs->examples[i]));
    lr_value_push(examples, e);
  }
  /* Pointed to where it is shown in full; one shown nowhere is in the
   * appendix only. */
  for (size_t i = 0; i < gs->activity_count; i++) {
    const lr_activity *a = gs->activities[i].activity;
    if (shown_under(gs, a)) continue;
    const lr_goal *where = NULL;
    for (size_t k = 0; !where && k < r->strategy->goal_count; k++)
      if (shown_under(&r->goals[k], a)) where = r->goals[k].goal;
    if (where) lr_value_push(see_also, see_also_value(v, a, where));
  }
  lr_value_set(m, "exempel", examples);
  lr_value_set_bool(m, "har_exempel", lr_value_count(examples) > 0);
  lr_value_set_bool(m, "urval", gs->example_count < count_main(gs));
  lr_view_set_list(m, "se_aven", see_also);
  set_prose(v, m, "exempel_inledning", gs->lead_in);
  set_prose(v, m, "exempel_avslutning", gs->closing);
  set_prose(v, m, "analys", gs->analysis);
  return m;
}

static lr_value *coverage_value(const view *v) {
  lr_arena *arena = v->arena;
  const lr_report *r = v->report;
  const lr_strategy *st = r->strategy;
  lr_value *m = lr_value_map(arena);
  lr_value *heads = lr_value_list(arena);
  for (size_t g = 0; g < st->goal_count; g++) {
    lr_value *h = lr_value_map(arena);
    lr_value_set_borrowed(h, "id", st->goals[g].id);
    lr_value_set_int(h, "totalt", (long)r->goals[g].activity_count);
    lr_value_push(heads, h);
  }
  lr_value_set(m, "mal", heads);
  lr_value *rows = lr_value_list(arena), *silent = lr_value_list(arena);
  bool dated = false;
  for (size_t a = 0; a < r->actor_count; a++) {
    const lr_actor_summary *as = &r->actors[a];
    dated = dated || (as->statement && as->statement->received.year);
    lr_value *row = lr_value_map(arena);
    lr_value_set_borrowed(row, "aktor", as->actor->name);
    lr_value_set_borrowed(row, "typ", lr_actor_type_name(as->actor->type));
    lr_value_set_borrowed(row, "inkom", as->statement ? lr_date_text(arena, as->statement->received) : NULL);
    lr_value_set_bool(row, "svarat", as->statement != NULL);
    lr_value_set_int(row, "totalt", (long)as->activity_count);
    /* An owner of a joint activity is credited with it even if it sent
     * no statement itself. */
    lr_value_set_bool(row, "har_tal", as->statement != NULL || as->activity_count > 0);
    lr_value *cells = lr_value_list(arena);
    for (size_t g = 0; g < st->goal_count; g++) {
      lr_value *c = lr_value_map(arena);
      lr_value_set_int(c, "antal", (long)as->per_goal[g]);
      lr_value_push(cells, c);
    }
    lr_value_set(row, "celler", cells);
    lr_value_push(rows, row);
    if (!as->statement) {
      lr_value *s = lr_value_map(arena);
      lr_value_set_borrowed(s, "namn", as->actor->name);
      lr_value_push(silent, s);
    }
  }
  lr_value_set(m, "rader", rows);
  /* A column of nothing but blanks when no statement gives its date. */
  lr_value_set_bool(m, "har_inkom", dated);
  lr_value_set(m, "saknar_svar", silent);
  lr_value_set_bool(m, "alla_svarade", lr_value_count(silent) == 0);
  lr_value_set_int(m, "totalt", (long)r->activity_count);
  return m;
}

/* Quotes of one prose field from every statement that has it. */
static lr_value *quotes(const view *v, size_t offset) {
  const lr_year *y = v->report->year;
  lr_value *list = lr_value_list(v->arena);
  for (size_t i = 0; i < y->statement_count; i++) {
    const lr_statement *s = &y->statements[i];
    const char *text = *(const char *const *)((const char *)s + offset);
    if (!text) continue;
    lr_value *q = lr_value_map(v->arena);
    lr_value_set_borrowed(q, "aktor", s->actor->name);
    set_prose(v, q, "text", text);
    lr_value_push(list, q);
  }
  return list;
}

static lr_value *plans_value(const view *v) {
  lr_arena *arena = v->arena;
  const lr_report *r = v->report;
  lr_value *m = lr_value_map(arena);
  lr_value_set_borrowed(m, "mening", lr_sentence_plans(arena, r->plan_counts, r->response_count));
  lr_value_set_int(m, "antagen", (long)r->plan_counts[LR_PLAN_ANTAGEN]);
  lr_value_set_int(m, "under_arbete", (long)r->plan_counts[LR_PLAN_UNDER_ARBETE]);
  lr_value_set_int(m, "saknas", (long)r->plan_counts[LR_PLAN_SAKNAS]);
  lr_value_set_int(m, "ej_angivet", (long)r->plan_counts[LR_PLAN_UNKNOWN]);
  lr_value *list = lr_value_list(arena);
  for (size_t i = 0; i < r->year->statement_count; i++) {
    const lr_statement *s = &r->year->statements[i];
    lr_value *p = lr_value_map(arena);
    lr_value_set_borrowed(p, "aktor", s->actor->name);
    lr_value_set_borrowed(p, "status", lr_plan_status_name(s->plan_status));
    set_prose(v, p, "beskrivning", s->plan_description);
    lr_value_push(list, p);
  }
  lr_value_set(m, "aktorer", list);
  return m;
}

/* One of last year's plans and what became of it. */
static lr_value *followup_value(const view *v, const lr_followup *f) {
  lr_arena *arena = v->arena;
  const lr_activity *a = f->before.activity;
  lr_value *m = lr_value_map(arena);
  lr_value_set_borrowed(m, "id", a->id);
  lr_value_set_borrowed(m, "rubrik", f->after.activity ? f->after.activity->heading : a->heading);
  lr_value_set_borrowed(m, "aktor", owner_names(arena, a));
  lr_value_set_borrowed(m, "fore", lr_status_name(a->status));
  lr_value_set_borrowed(m, "efter", lr_outcome_name(f->outcome));
  return m;
}

/* Plan versus outcome for the report (actor NULL) or one actor's
 * feedback: the sentence, the plans grouped by outcome, and the
 * activities new this year. */
static lr_value *followups_value(const view *v, const lr_comparison *c, const lr_actor *actor) {
  lr_arena *arena = v->arena;
  lr_value *m = lr_value_map(arena);
  const size_t *counts = actor ? c->actor_outcomes[actor->index] : c->outcome_counts;
  size_t total = 0;
  for (int o = 0; o < LR_OUTCOME_COUNT; o++) total += counts[o];
  /* A period follows its first year's plans through all its later years. */
  const lr_period *period = v->report->period;
  const char *after = period ? period->after_name : lr_arena_printf(arena, "%d", c->year_after);
  lr_value_set_borrowed(m, "mening", lr_sentence_followup_until(arena, counts, c->year_before, after, actor != NULL));
  if (period) lr_value_set_borrowed(m, "efter_ar", after);
  lr_value_set_int(m, "antal", (long)total);
  lr_value *groups = lr_value_list(arena), *all = lr_value_list(arena), *unreported = lr_value_list(arena);
  /* An activity without an id is only counted: the sentence says how many. */
  for (int o = 0; o < LR_OUTCOME_UNTRACKED; o++) {
    if (!counts[o]) continue;
    lr_value *g = lr_value_map(arena), *items = lr_value_list(arena);
    lr_value_set_borrowed(g, "utfall", lr_outcome_label((lr_outcome)o));
    lr_value_set_int(g, "antal", (long)counts[o]);
    for (size_t i = 0; i < c->followup_count; i++) {
      const lr_followup *f = &c->followups[i];
      if (f->outcome != (lr_outcome)o) continue;
      if (actor && !lr_activity_owned_by(f->before.activity, actor)) continue;
      lr_value *fv = followup_value(v, f);
      lr_value_push(items, fv);
      lr_value_push(all, fv);
      if (o == LR_OUTCOME_UNREPORTED) lr_value_push(unreported, fv);
    }
    lr_value_set(g, "aktiviteter", items);
    lr_value_push(groups, g);
  }
  lr_view_set_list(m, "grupper", groups);
  lr_view_set_list(m, "aktiviteter", all);
  lr_view_set_list(m, "ej_rapporterade", unreported);
  if (!actor) {
    const lr_strategy *st = v->report->strategy;
    lr_value *heads = lr_value_list(arena), *rows = lr_value_list(arena);
    for (int o = 0; o < LR_OUTCOME_COUNT; o++) push_name(arena, heads, lr_outcome_label((lr_outcome)o));
    for (size_t g = 0; g < st->goal_count; g++) {
      lr_value *row = lr_value_map(arena), *cells = lr_value_list(arena);
      lr_value_set_borrowed(row, "id", st->goals[g].id);
      lr_value_set_borrowed(row, "namn", st->goals[g].name);
      for (int o = 0; o < LR_OUTCOME_COUNT; o++) {
        lr_value *cell = lr_value_map(arena);
        lr_value_set_int(cell, "antal", (long)c->goal_outcomes[g][o]);
        lr_value_push(cells, cell);
      }
      lr_value_set(row, "celler", cells);
      lr_value_push(rows, row);
    }
    lr_value_set(m, "kolumner", heads);
    lr_value_set(m, "per_mal", rows);
    lr_value *fresh = lr_value_list(arena);
    size_t without_id = 0;
    for (size_t i = 0; i < c->new_count; i++) {
      const lr_activity *a = c->new_activities[i].activity;
      if (!a->id) {
        without_id++;
        continue;
      }
      lr_value *n = lr_value_map(arena);
      lr_value_set_borrowed(n, "id", a->id);
      lr_value_set_borrowed(n, "rubrik", a->heading);
      lr_value_set_borrowed(n, "aktor", owner_names(arena, a));
      lr_value_set_borrowed(n, "status", lr_status_name(a->status));
      lr_value_push(fresh, n);
    }
    lr_view_set_list(m, "nya", fresh);
    lr_value_set_borrowed(m, "nya_mening", lr_sentence_new_activities(arena, c->new_count - without_id, without_id,
                                                                      after, c->year_before));
  }
  return m;
}

static lr_value *comparison_value(const view *v) {
  lr_arena *arena = v->arena;
  const lr_report *r = v->report;
  const lr_comparison *c = r->comparison;
  if (!c) return lr_value_null(arena);
  const lr_strategy *st = r->strategy;
  lr_value *m = lr_value_map(arena);
  lr_value_set_int(m, "fore_ar", c->year_before);
  lr_value_set_int(m, "efter_ar", c->year_after);
  lr_value_set_int(m, "fore_svar", (long)c->statements.before);
  lr_value_set_int(m, "efter_svar", (long)c->statements.after);
  lr_value_set_int(m, "fore_aktiviteter", (long)c->activities.before);
  lr_value_set_int(m, "efter_aktiviteter", (long)c->activities.after);
  lr_value *rows = lr_value_list(arena);
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    lr_value *row = lr_value_map(arena);
    lr_value_set_borrowed(row, "id", goal->id);
    lr_value_set_borrowed(row, "text", goal->name);
    lr_value_set_bool(row, "ar_mal", true);
    lr_value_set_int(row, "fore", (long)c->per_goal[g].before);
    lr_value_set_int(row, "efter", (long)c->per_goal[g].after);
    lr_value_set_borrowed(row, "forandring", lr_sentence_change(arena, c->per_goal[g].before, c->per_goal[g].after));
    lr_value_push(rows, row);
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      const lr_subgoal *sg = &goal->subgoals[k];
      lr_count_change cc = c->per_subgoal[sg->index];
      lr_value *sr = lr_value_map(arena);
      lr_value_set_borrowed(sr, "id", sg->id);
      lr_value_set_borrowed(sr, "text", sg->text);
      lr_value_set_bool(sr, "ar_mal", false);
      lr_value_set_int(sr, "fore", (long)cc.before);
      lr_value_set_int(sr, "efter", (long)cc.after);
      lr_value_set_borrowed(sr, "forandring", lr_sentence_change(arena, cc.before, cc.after));
      lr_value_push(rows, sr);
    }
  }
  lr_value_set(m, "rader", rows);
  lr_value *gained = lr_value_list(arena), *lost = lr_value_list(arena);
  for (size_t i = 0; i < c->gained_count; i++) push_labelled(arena, gained, c->gained[i]->id, c->gained[i]->text);
  for (size_t i = 0; i < c->goals_gained_count; i++)
    push_labelled(arena, gained, c->goals_gained[i]->id, c->goals_gained[i]->name);
  for (size_t i = 0; i < c->lost_count; i++) push_labelled(arena, lost, c->lost[i]->id, c->lost[i]->text);
  for (size_t i = 0; i < c->goals_lost_count; i++)
    push_labelled(arena, lost, c->goals_lost[i]->id, c->goals_lost[i]->name);
  lr_view_set_list(m, "nya", gained);
  lr_view_set_list(m, "forlorade", lost);
  lr_value *only_before = lr_value_list(arena), *only_after = lr_value_list(arena);
  for (size_t i = 0; i < c->only_before_count; i++) push_name(arena, only_before, c->answered_only_before[i]->name);
  for (size_t i = 0; i < c->only_after_count; i++) push_name(arena, only_after, c->answered_only_after[i]->name);
  lr_view_set_list(m, "endast_fore", only_before);
  lr_view_set_list(m, "endast_efter", only_after);
  const char **names = lr_arena_array(arena, c->only_before_count + c->only_after_count + 1, sizeof *names);
  for (size_t i = 0; i < c->only_before_count; i++) names[i] = c->answered_only_before[i]->name;
  lr_value_set_borrowed(m, "endast_fore_text", lr_sentence_join(arena, names, c->only_before_count));
  for (size_t i = 0; i < c->only_after_count; i++) names[i] = c->answered_only_after[i]->name;
  lr_value_set_borrowed(m, "endast_efter_text", lr_sentence_join(arena, names, c->only_after_count));
  lr_value_set(m, "uppfoljning", followups_value(v, c, NULL));
  /* A revision between the years: the rows follow this year's version. */
  lr_value *notes = lr_value_list(arena);
  for (size_t i = 0; i < c->revision_note_count; i++) {
    lr_value *note = lr_value_map(arena);
    lr_value_set_borrowed(note, "text", lr_revision_note_text(arena, c->revision_notes[i]));
    lr_value_push(notes, note);
  }
  lr_view_set_list(m, "revision", notes);
  return m;
}

/* A text as the body of a CSS string: quotes and backslashes escaped, and
 * "<" too, so that nothing in it can close the <style> element. */
static const char *css_string(lr_arena *arena, const char *s) {
  lr_buf b = {0};
  for (; *s; s++) {
    if (*s == '"' || *s == '\\' || *s == '<' || *s == '\n' || *s == '\r')
      lr_buf_printf(&b, "\\%X ", (unsigned)(unsigned char)*s);
    else
      lr_buf_put(&b, s, 1);
  }
  const char *out = lr_arena_strdup(arena, b.data ? b.data : "");
  lr_buf_free(&b);
  return out;
}

static const char *logo_uri(lr_views *views, const lr_config *cfg) {
  if (!cfg->logo) return NULL;
  if (!views->logo_uri) {
    lr_buf b = {0};
    lr_buf_printf(&b, "data:%s;base64,", cfg->logo_type);
    lr_buf_put_base64(&b, cfg->logo, cfg->logo_size);
    views->logo_uri = lr_arena_strdup(views->arena, b.data);
    lr_buf_free(&b);
  }
  return views->logo_uri;
}

static void common(const view *v, lr_value *m) {
  lr_arena *arena = v->arena;
  const lr_report *r = v->report;
  const lr_project *p = r->project;
  const lr_config *cfg = lr_project_config(p);
  const lr_report_texts *t = r->year->texts;
  int year = r->year->year;
  const char *region = cfg->region && *cfg->region ? cfg->region : r->strategy->region;
  lr_value_set_borrowed(m, "region", region);
  lr_value *st = lr_value_map(arena);
  lr_value_set_borrowed(st, "id", r->strategy->id);
  lr_value_set_borrowed(st, "namn", r->strategy->name);
  lr_value_set_borrowed(st, "vision", r->strategy->vision);
  /* After a revision the report follows that version: the title says so. */
  lr_value_set_borrowed(st, "version", r->strategy->version_name);
  if (r->strategy->valid_from) {
    /* Many strategies carry their years in the name already, and then
     * "… 2021–2026 2021–2026" would follow. */
    const char *period = lr_arena_printf(arena, "%d–%d", r->strategy->valid_from, r->strategy->valid_to);
    const char *hyphen = lr_arena_printf(arena, "%d-%d", r->strategy->valid_from, r->strategy->valid_to);
    const char *name = r->strategy->name ? r->strategy->name : "";
    if (!strstr(name, period) && !strstr(name, hyphen)) lr_value_set_borrowed(st, "period", period);
  }
  lr_value_set(m, "strategi", st);
  /* A period's "2021–2022" reads in every sentence a year's number does. */
  if (r->period) lr_value_set_borrowed(m, "ar", r->period->name);
  else lr_value_set_int(m, "ar", year);
  lr_value_set_borrowed(m, "titel", lr_report_heading(arena, r));
  lr_value_set_borrowed(m, "datum", t ? t->date : NULL);
  lr_value_set_borrowed(m, "lansstyrelse", cfg->sender_name);
  lr_value_set(m, "rubriker", v->shared->titles);
  /* Branding from lagesrapport.yaml: the footer of every printed page
   * (the region and the title without one) and the logo. */
  const char *footer = cfg->footer ? cfg->footer
                                   : lr_arena_printf(arena, "%s · %s", region ? region : "", lr_report_heading(arena, r));
  lr_value_set_borrowed(m, "sidfot", footer);
  if (v->format == LR_VIEW_HTML) {
    lr_value_set_borrowed(m, "sidfot_css", css_string(arena, footer));
    lr_value_set_borrowed(m, "logotyp", logo_uri(v->shared, cfg));
  } else if (v->format == LR_VIEW_DOCX && cfg->logo && strcmp(cfg->logo_type, "image/png") == 0 &&
             cfg->logo_size >= 24) {
    /* 1.5 cm high, as wide as the PNG's own proportions (its IHDR). */
    const unsigned char *h = cfg->logo + 16;
    unsigned long w_px = (unsigned long)h[0] << 24 | (unsigned long)h[1] << 16 | h[2] << 8 | h[3];
    unsigned long h_px = (unsigned long)h[4] << 24 | (unsigned long)h[5] << 16 | h[6] << 8 | h[7];
    const long emu_high = 540000;
    if (w_px && h_px && w_px / h_px < 20) {
      lr_value_set_bool(m, "docx_logotyp", true);
      lr_value_set_int(m, "logotyp_hojd", emu_high);
      lr_value_set_int(m, "logotyp_bredd", (long)((double)emu_high * (double)w_px / (double)h_px));
    }
  }
}

/* "Bilaga: samtliga aktiviteter": every published activity once, under
 * its main goal in strategy order, as the goal lists them. */
static lr_value *appendix_value(const view *v) {
  const lr_report *r = v->report;
  lr_value *goals = lr_value_list(v->arena);
  for (size_t g = 0; g < r->strategy->goal_count; g++) {
    const lr_goal_summary *gs = &r->goals[g];
    lr_value *rows = lr_value_list(v->arena);
    for (size_t i = 0; i < gs->activity_count; i++) {
      if (!gs->is_main[i]) continue;
      const lr_activity *a = gs->activities[i].activity;
      lr_value *row = lr_value_map(v->arena);
      lr_value_set_borrowed(row, "rubrik", a->heading);
      lr_value_set_borrowed(row, "ansvariga", owner_names(v->arena, a));
      lr_value_set_borrowed(row, "mal", target_ids(v->arena, a));
      lr_value_set_borrowed(row, "status", lr_status_name(a->status));
      lr_value_set_borrowed(row, "rapporterad", lr_period_reported(r, a));
      lr_value_push(rows, row);
    }
    if (!lr_value_count(rows)) continue;
    lr_value *gv = lr_value_map(v->arena);
    lr_value_set_borrowed(gv, "id", gs->goal->id);
    lr_value_set_borrowed(gv, "namn", gs->goal->name);
    lr_value_set(gv, "rader", rows);
    lr_value_push(goals, gv);
  }
  lr_value *m = lr_value_map(v->arena);
  lr_view_set_list(m, "mal", goals);
  lr_value_set_int(m, "antal", (long)r->activity_count);
  return m;
}

const lr_value *lr_views_report(lr_views *views, lr_arena *arena, lr_view_format format) {
  const lr_report *r = views->report;
  view v = {arena, views, r, format};
  const lr_report_texts *t = r->year->texts;
  lr_value *m = lr_value_map(arena);
  common(&v, m);
  set_prose(&v, m, "inledning", t ? t->introduction : NULL);
  set_prose(&v, m, "resurser", t ? t->resources : NULL);
  set_prose(&v, m, "avslutning", t ? t->closing : NULL);
  const lr_comparison *c = r->comparison;
  lr_value_set_borrowed(m, "svarsmening",
                        r->period ? lr_period_sentence(arena, r->period)
                                  : lr_sentence_responses(arena, r->year->year, r->response_count,
                                                          c ? c->year_before : 0, c ? c->statements.before : 0,
                                                          c != NULL));
  lr_value_set_int(m, "svar", (long)r->response_count);
  lr_value_set_int(m, "aktorer_totalt", (long)r->actor_count);
  lr_value_set_int(m, "aktiviteter", (long)r->activity_count);
  lr_value_set_int(m, "aktorer_med_aktiviteter", (long)r->active_actor_count);
  lr_value_set_borrowed(m, "mal_antal", lr_sentence_number(arena, r->strategy->goal_count, true));
  lr_value_set_int(m, "interna_aktiviteter", (long)r->internal_activity_count);
  lr_value_set_int(m, "delmal_tackta", (long)r->subgoals_covered);
  lr_value_set_int(m, "delmal_totalt", (long)r->strategy->subgoal_count);
  lr_value_set_bool(m, "har_delmal", r->strategy->subgoal_count > 0);
  size_t per_goal_sum = 0;
  for (size_t g = 0; g < r->strategy->goal_count; g++) per_goal_sum += r->goals[g].activity_count;
  lr_value_set_borrowed(m, "flera_mal_mening", lr_sentence_goal_overlap(arena, r->activity_count, per_goal_sum));
  lr_value *statuses = lr_value_list(arena);
  for (int s = 0; s < LR_STATUS_COUNT; s++) {
    lr_value *sv = lr_value_map(arena);
    lr_value_set_borrowed(sv, "status", lr_status_name((lr_status)s));
    lr_value_set_int(sv, "antal", (long)r->status_counts[s]);
    lr_value_push(statuses, sv);
  }
  lr_value_set(m, "statusar", statuses);

  lr_value *goals = lr_value_list(arena);
  for (size_t g = 0; g < r->strategy->goal_count; g++) lr_value_push(goals, goal_value(&v, &r->goals[g]));
  lr_value_set(m, "mal", goals);

  lr_value_set(m, "bilaga", appendix_value(&v));
  lr_value *sources = lr_value_list(arena), *terms = lr_value_list(arena);
  for (size_t i = 0; t && i < t->source_count; i++) {
    lr_value *sv = lr_value_map(arena);
    lr_value_set_int(sv, "nummer", (long)i + 1);
    lr_value_set_borrowed(sv, "ankare", lr_arena_printf(arena, "kalla-%zu", i + 1));
    set_prose(&v, sv, "text", t->sources[i].text);
    lr_value_push(sources, sv);
  }
  for (size_t i = 0; t && i < t->term_count; i++) {
    lr_value *tv = lr_value_map(arena);
    lr_value_set_borrowed(tv, "term", t->terms[i].term);
    set_prose(&v, tv, "forklaring", t->terms[i].definition);
    lr_value_push(terms, tv);
  }
  lr_view_set_list(m, "kallor", sources);
  lr_view_set_list(m, "begrepp", terms);

  lr_value *answered = lr_value_list(arena);
  for (size_t i = 0; i < r->year->statement_count; i++) {
    const lr_statement *s = &r->year->statements[i];
    lr_value *a = lr_value_map(arena);
    lr_value_set_borrowed(a, "namn", s->actor->name);
    lr_value_set_borrowed(a, "inkom", lr_date_text(arena, s->received));
    lr_value_push(answered, a);
  }
  lr_value_set(m, "svarade", answered);
  lr_value_set(m, "tackning", coverage_value(&v));
  lr_value_set(m, "styrdokument", plans_value(&v));
  lr_view_set_list(m, "framgangsfaktorer", quotes(&v, offsetof(lr_statement, success_factors)));
  lr_view_set_list(m, "utmaningar", quotes(&v, offsetof(lr_statement, challenges)));
  lr_view_set_list(m, "behov", quotes(&v, offsetof(lr_statement, needs)));
  lr_value_set(m, "jamforelse", comparison_value(&v));
  lr_view_set_list(m, "indikatorer", lr_indicators_view(arena, r));
  lr_value_set(m, "trender", lr_trend_view(arena, r, format));
  lr_value_set(m, "period", lr_period_value(arena, r));
  lr_value *signers = lr_value_list(arena);
  for (size_t i = 0; t && i < t->signatory_count; i++) {
    lr_value *s = lr_value_map(arena);
    lr_value_set_borrowed(s, "namn", t->signatories[i].name);
    lr_value_set_borrowed(s, "titel", t->signatories[i].title);
    lr_value_set_borrowed(s, "organisation", t->signatories[i].organisation);
    lr_value_push(signers, s);
  }
  lr_view_set_list(m, "undertecknare", signers);
  if (format == LR_VIEW_HTML) {
    lr_value_set_borrowed(m, "diagram_mal", lr_chart_goal_bars(arena, r));
    lr_value_set_borrowed(m, "diagram_tackning", lr_chart_coverage(arena, r));
  }
  return m;
}

const lr_value *lr_views_feedback(lr_views *views, lr_arena *arena, const lr_actor_summary *as,
                                  lr_view_format format) {
  const lr_report *r = views->report;
  view v = {arena, views, r, format};
  const lr_statement *s = as->statement;
  const lr_strategy *st = r->strategy;
  lr_value *m = lr_value_map(arena);
  common(&v, m);
  lr_value *actor = lr_value_map(arena);
  lr_value_set_borrowed(actor, "namn", as->actor->name);
  lr_value_set_borrowed(actor, "id", as->actor->id);
  lr_value_set_borrowed(actor, "typ", lr_actor_type_name(as->actor->type));
  lr_value_set(m, "aktor", actor);
  lr_value_set_borrowed(m, "inkom", s ? lr_date_text(arena, s->received) : NULL);
  lr_value_set_int(m, "aktiviteter", (long)as->activity_count);
  size_t internal = 0, goals_with = 0;
  for (size_t j = 0; j < as->owned_count; j++) internal += as->owned[j].activity->internal;
  lr_value_set_int(m, "interna", (long)internal);
  lr_value_set_int(m, "svar", (long)r->response_count);
  lr_value_set_int(m, "regionens_aktiviteter", (long)r->activity_count);

  /* Per goal: the actor's own activities (intern ones too, marked), the
   * region's count beside them, and the sub-goals nobody covered. */
  lr_value *goals = lr_value_list(arena);
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    lr_value *gv = lr_value_map(arena);
    lr_value_set_borrowed(gv, "id", goal->id);
    lr_value_set_borrowed(gv, "namn", goal->name);
    lr_value_set_int(gv, "egna", (long)as->per_goal[g]);
    lr_value_set_int(gv, "regionen", (long)r->goals[g].activity_count);
    lr_value *own = lr_value_list(arena), *see_also = lr_value_list(arena);
    for (size_t j = 0; j < as->owned_count; j++) {
      const lr_activity *a = as->owned[j].activity;
      bool here = false;
      for (size_t t = 0; t < a->target_count; t++) here = here || a->targets[t].goal == goal;
      if (!here) continue;
      if (a->targets[0].goal == goal) lr_value_push(own, activity_value(&v, &as->owned[j]));
      else lr_value_push(see_also, see_also_value(&v, a, a->targets[0].goal));
    }
    if (lr_value_count(own) || lr_value_count(see_also)) goals_with++;
    lr_value_set(gv, "egna_aktiviteter", own);
    lr_view_set_list(gv, "se_aven", see_also);
    lr_value_set_bool(gv, "har_egna", lr_value_count(own) || lr_value_count(see_also));
    lr_value *uncovered = lr_value_list(arena);
    for (size_t k = 0; k < goal->subgoal_count; k++)
      if (!r->goals[g].subgoals[k].activity_count) lr_value_push(uncovered, subgoal_value(&v, &r->goals[g].subgoals[k]));
    lr_view_set_list(gv, "utan_aktivitet", uncovered);
    lr_value_set_borrowed(gv, "ankare", lr_arena_printf(arena, "mal-%zu", g + 1));
    lr_value_push(goals, gv);
  }
  lr_value_set(m, "mal", goals);
  lr_value_set_int(m, "mal_med_aktiviteter", (long)goals_with);
  size_t own_total = as->owned_count;
  lr_value_set_borrowed(m, "sammanfattning",
                        lr_sentence_feedback_summary(arena, own_total, goals_with, st->goal_count,
                                                     internal));
  lr_value_set_borrowed(m, "regionen_text", lr_sentence_region_total(arena, r->response_count,
                                                                     r->activity_count, lr_report_span(arena, r)));
  lr_value_set_int(m, "mal_totalt", (long)st->goal_count);
  lr_value_set_borrowed(m, "styrdokument", s ? lr_plan_status_name(s->plan_status) : NULL);
  set_prose(&v, m, "styrdokument_beskrivning", s ? s->plan_description : NULL);
  set_prose(&v, m, "framgangsfaktorer", s ? s->success_factors : NULL);
  set_prose(&v, m, "utmaningar", s ? s->challenges : NULL);
  set_prose(&v, m, "behov", s ? s->needs : NULL);
  lr_view_set_list(m, "indikatorer", lr_indicators_feedback_view(arena, r, as->actor));
  const lr_comparison *c = r->comparison;
  /* A period's comparison is between its own ends, which the feedback
   * covers already. */
  if (c && c->statements.before && !r->period) {
    lr_value *prev = lr_value_map(arena);
    lr_value_set_int(prev, "ar", c->year_before);
    size_t before = c->per_actor[as->actor->index].before;
    lr_value_set_int(prev, "aktiviteter", (long)before);
    bool only_now = false;
    for (size_t i = 0; i < c->only_after_count; i++) only_now = only_now || c->answered_only_after[i] == as->actor;
    lr_value_set_borrowed(prev, "mening",
                          lr_sentence_feedback_previous(arena, c->year_before, !only_now, before));
    lr_value_set(m, "foregaende", prev);
  }
  /* Only for an actor that had plans last year that can be followed: the
   * section is about them, and without ids there is nothing to say. */
  size_t plans = 0;
  for (int o = 0; c && o < LR_OUTCOME_UNTRACKED; o++) plans += c->actor_outcomes[as->actor->index][o];
  if (plans) {
    lr_value *f = followups_value(&v, c, as->actor);
    lr_value_set_int(f, "fore_ar", c->year_before);
    if (!r->period) lr_value_set_int(f, "efter_ar", c->year_after);
    lr_value_set(m, "uppfoljning", f);
  }
  return m;
}

