/* The shared indicators as the report and the feedback pages show them:
 * per indicator the county's figure, how many reported it, and each
 * actor's value beside last year's. Numbers come from the model
 * (lr_indicators_summarise); this file words and arranges them. */
#include "render/render.h"
#include "render/sentences.h"
#include "render/view.h"

#include <string.h>

/* Registry actors of the types that should report the indicator. */
static size_t expected_count(const lr_project *p, const lr_indicator *ind) {
  size_t count = 0, n = 0;
  const lr_actor *actors = lr_project_actors(p, &n);
  for (size_t i = 0; i < n; i++) count += lr_indicator_reported_by(ind, &actors[i]);
  return count;
}

static const char *judgement_word(int judgement) {
  return judgement > 0 ? "bättre" : judgement < 0 ? "sämre" : "oförändrad";
}

/* "30–62", or the one value when all agree. */
static const char *range_text(lr_arena *arena, lr_indicator_total t) {
  if (!t.count) return NULL;
  const char *lo = lr_indicator_number(arena, t.min), *hi = lr_indicator_number(arena, t.max);
  return strcmp(lo, hi) == 0 ? lo : lr_arena_printf(arena, "%s–%s", lo, hi);
}

/* "45 procent", "120 timmar"; a plain count is just the number. */
static const char *figure_with_unit(lr_arena *arena, const lr_indicator *ind, double value) {
  if (strcmp(ind->unit, "antal") == 0 || !*ind->unit) return lr_indicator_number(arena, value);
  return lr_arena_printf(arena, "%s %s", lr_indicator_number(arena, value), ind->unit);
}

/* "Länets summa för 2017 är 412 antal, från åtta av tio aktörer som ska
 * rapportera indikatorn. För 2016 var summan 380 (+32, sämre)." A share
 * has a median and a range instead, and says why. */
static const char *total_sentence(lr_arena *arena, const lr_indicator_summary *s, int year,
                                  int year_before, size_t expected) {
  const lr_indicator *ind = s->indicator;
  bool share = lr_indicator_is_share(ind);
  lr_buf b = {0};
  if (!s->now.count) {
    lr_buf_printf(&b, "Ingen aktör har rapporterat indikatorn för %d.", year);
  } else {
    const char *who =
        s->now.count != expected ? lr_arena_printf(arena, "%s av %s", lr_sentence_number(arena, s->now.count, false),
                                                   lr_sentence_count(arena, expected, "aktör som ska rapportera den",
                                                                     "aktörer som ska rapportera den"))
        : expected == 1 ? "den enda aktör som ska rapportera den"
        : expected == 2 ? "båda aktörerna som ska rapportera den"
                        : lr_arena_printf(arena, "alla %s aktörer som ska rapportera den",
                                          lr_sentence_number(arena, expected, false));
    if (share)
      lr_buf_printf(&b, "Medianen för %d är %s (spann %s), från %s. Andelar summeras inte; medianen är det mittersta värdet.",
                    year, figure_with_unit(arena, ind, s->now.total), range_text(arena, s->now), who);
    else
      lr_buf_printf(&b, "Länets summa för %d är %s, från %s.", year, figure_with_unit(arena, ind, s->now.total), who);
  }
  if (s->has_previous && s->before.count) {
    lr_buf_printf(&b, " För %d var %s %s", year_before, share ? "medianen" : "summan",
                  figure_with_unit(arena, ind, s->before.total));
    if (lr_indicator_comparable(s))
      lr_buf_printf(&b, " (%s, %s).", lr_indicator_change(arena, s->before.total, s->now.total),
                    judgement_word(lr_indicator_judgement(ind, s->before.total, s->now.total)));
    else
      lr_buf_printf(&b, ", från %s; inte samma aktörer som rapporterade %d, så förändringen bedöms inte.",
                    lr_sentence_count(arena, s->before.count, "aktör", "aktörer"), year);
  }
  const char *out = lr_arena_strdup(arena, b.data ? b.data : "");
  lr_buf_free(&b);
  return out;
}

/* One actor's row: its value, last year's and the change judged. */
static lr_value *entry_value(lr_arena *arena, const lr_indicator *ind, const lr_indicator_entry *e) {
  lr_value *row = lr_value_map(arena);
  lr_value_set_borrowed(row, "aktor", e->actor->name);
  lr_value_set_borrowed(row, "varde", e->value ? lr_indicator_number(arena, e->value->value) : "–");
  lr_value_set_borrowed(row, "fore", e->previous ? lr_indicator_number(arena, e->previous->value) : "–");
  if (e->value && e->previous) {
    lr_value_set_borrowed(row, "forandring", lr_indicator_change(arena, e->previous->value, e->value->value));
    lr_value_set_borrowed(row, "bedomning",
                          judgement_word(lr_indicator_judgement(ind, e->previous->value, e->value->value)));
  } else {
    lr_value_set_borrowed(row, "forandring", "–");
    lr_value_set_borrowed(row, "bedomning", "–");
  }
  lr_value_set_borrowed(row, "kommentar", e->value ? e->value->comment : NULL);
  return row;
}

static void set_common(lr_arena *arena, lr_value *m, const lr_indicator *ind) {
  lr_value_set_borrowed(m, "id", ind->id);
  lr_value_set_borrowed(m, "namn", ind->name);
  lr_value_set_borrowed(m, "enhet", ind->unit);
  lr_value_set_borrowed(m, "beskrivning", ind->description ? lr_markdown_text(arena, ind->description) : NULL);
  lr_value_set_bool(m, "andel", lr_indicator_is_share(ind));
  lr_value_set_borrowed(m, "summa_namn", lr_indicator_is_share(ind) ? "Median" : "Summa");
  lr_value_set_borrowed(m, "riktning", ind->higher_is_better ? "högre är bättre" : "lägre är bättre");
}

lr_value *lr_indicators_view(lr_arena *arena, const lr_report *r) {
  lr_value *list = lr_value_list(arena);
  const lr_year *previous = r->previous;
  lr_indicator_summary *sums = lr_indicators_summarise(arena, r->project, r->year, previous);
  int year = r->year->year, before = previous ? previous->year : year - 1;
  for (size_t i = 0; i < r->project->strategy.indicator_count; i++) {
    const lr_indicator_summary *s = &sums[i];
    const lr_indicator *ind = s->indicator;
    size_t expected = expected_count(r->project, ind);
    lr_value *m = lr_value_map(arena);
    set_common(arena, m, ind);
    lr_value_set_int(m, "ar", year);
    lr_value_set_bool(m, "har_fore", s->has_previous);
    lr_value_set_int(m, "fore_ar", before);
    lr_value_set_int(m, "rapporterade", (long)s->now.count);
    lr_value_set_int(m, "forvantade", (long)expected);
    lr_value_set_borrowed(m, "mening", total_sentence(arena, s, year, before, expected));
    lr_value_set_borrowed(m, "summa", s->now.count ? lr_indicator_number(arena, s->now.total) : "–");
    lr_value_set_borrowed(m, "summa_fore", s->before.count ? lr_indicator_number(arena, s->before.total) : "–");
    bool both = lr_indicator_comparable(s);
    lr_value_set_borrowed(m, "summa_forandring", both ? lr_indicator_change(arena, s->before.total, s->now.total) : "–");
    lr_value_set_borrowed(m, "summa_bedomning",
                          both ? judgement_word(lr_indicator_judgement(ind, s->before.total, s->now.total))
                               : s->now.count && s->before.count ? "ej jämförbar" : "–");
    lr_value_set_borrowed(m, "spann", range_text(arena, s->now));
    lr_value *rows = lr_value_list(arena);
    for (size_t k = 0; k < s->entry_count; k++) lr_value_push(rows, entry_value(arena, ind, &s->entries[k]));
    lr_value_set(m, "rader", rows);
    lr_value_set_bool(m, "har_rader", lr_value_count(rows) > 0);
    lr_value_push(list, m);
  }
  return list;
}

lr_value *lr_indicators_feedback_view(lr_arena *arena, const lr_report *r, const lr_actor *actor) {
  lr_value *list = lr_value_list(arena);
  lr_indicator_summary *sums = lr_indicators_summarise(arena, r->project, r->year, r->previous);
  for (size_t i = 0; i < r->project->strategy.indicator_count; i++) {
    const lr_indicator_summary *s = &sums[i];
    const lr_indicator_entry *own = NULL;
    for (size_t k = 0; k < s->entry_count && !own; k++)
      if (s->entries[k].actor == actor) own = &s->entries[k];
    /* An actor that should report an indicator sees it even without a
     * value: the empty row is the reminder. */
    if (!own && !lr_indicator_reported_by(s->indicator, actor)) continue;
    lr_indicator_entry none = {.actor = actor};
    lr_value *m = entry_value(arena, s->indicator, own ? own : &none);
    set_common(arena, m, s->indicator);
    lr_value_set_borrowed(m, "lanet", s->now.count ? lr_indicator_number(arena, s->now.total) : "–");
    lr_value_push(list, m);
  }
  return list;
}
