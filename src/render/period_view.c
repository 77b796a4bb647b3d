/* The parts of a period's report view that a year's has not: the answers
 * and activities of each of its years, who answered which years, and the
 * years each activity was reported in. Kept apart from view.c so that a
 * year's view is untouched by periods but for a call or two. */
#include "render/render.h"
#include "render/sentences.h"
#include "render/view.h"

const char *lr_period_sentence(lr_arena *arena, const lr_period *period) {
  int *years = lr_arena_array(arena, period->year_count, sizeof *years);
  size_t *counts = lr_arena_array(arena, period->year_count, sizeof *counts);
  for (size_t k = 0; k < period->year_count; k++) {
    years[k] = period->years[k].year->year;
    counts[k] = period->years[k].response_count;
  }
  return lr_sentence_period_responses(arena, period->name, period->actors_answered, years, counts,
                                      period->year_count);
}

const char *lr_period_reported(const lr_report *r, const lr_activity *a) {
  return r->period ? lr_ptr_index_get(&r->period->reported, a) : NULL;
}

lr_value *lr_period_value(lr_arena *arena, const lr_report *r) {
  const lr_period *period = r->period;
  if (!period) return lr_value_null(arena);
  lr_value *m = lr_value_map(arena);
  lr_value_set_borrowed(m, "namn", period->name);
  lr_value_set_int(m, "forsta", period->first);
  lr_value_set_int(m, "sista", period->last);
  lr_value *years = lr_value_list(arena);
  for (size_t k = 0; k < period->year_count; k++) {
    lr_value *y = lr_value_map(arena);
    lr_value_set_int(y, "ar", period->years[k].year->year);
    lr_value_set_int(y, "svar", (long)period->years[k].response_count);
    lr_value_set_int(y, "aktiviteter", (long)period->years[k].activity_count);
    lr_value_push(years, y);
  }
  lr_value_set(m, "ar", years);
  lr_value_set_int(m, "aktorer_som_svarat", (long)period->actors_answered);
  lr_value *rows = lr_value_list(arena);
  for (size_t a = 0; a < r->actor_count; a++) {
    lr_value *row = lr_value_map(arena), *cells = lr_value_list(arena);
    lr_value_set_borrowed(row, "aktor", r->actors[a].actor->name);
    for (size_t k = 0; k < period->year_count; k++) {
      lr_value *cell = lr_value_map(arena);
      lr_value_set_bool(cell, "svarat", period->answered[a * period->year_count + k]);
      lr_value_push(cells, cell);
    }
    lr_value_set(row, "ar", cells);
    lr_value_push(rows, row);
  }
  lr_value_set(m, "aktorer", rows);
  return m;
}
