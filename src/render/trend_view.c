/* The report's section "Utveckling över åren": the trends of lr_trends
 * (src/model/trends.c) as the data tree the trender.* partials read, and a
 * small line chart per goal for HTML. Keys are documented in
 * docs/mallar.md. */
#include "render/render.h"
#include "render/sentences.h"
#include "render/view.h"

#include <string.h>

/* A mark after a count that compares less well across a revision. */
#define INEXACT_MARK "*"

static void text(lr_buf *out, const char *s) { lr_escape_html(s, strlen(s), out); }

/* Activities (solid) and actors (dashed) per year of one goal, with the
 * year under each point and the count beside it. The table above it is
 * the text alternative; the description repeats the figures for a reader
 * who meets the chart alone. */
static const char *goal_chart(lr_arena *arena, const lr_trends *t, const lr_goal *goal) {
  size_t max = 1;
  for (size_t y = 0; y < t->year_count; y++) {
    const lr_trend_count *c = &t->years[y].per_goal[goal->index];
    if (c->activities > max) max = c->activities;
    if (c->actors > max) max = c->actors;
  }
  const int left = 30, right = 30, top = 44, plot_h = 90, bottom = 44;
  const int step = t->year_count > 1 ? (t->year_count > 6 ? 50 : t->year_count > 3 ? 80 : 130) : 0;
  const int width = left + right + step * (int)(t->year_count ? t->year_count - 1 : 0);
  const int height = top + plot_h + bottom;
  const char *id = lr_arena_printf(arena, "diagram-trend-%zu", goal->index + 1);
  lr_buf b = {0};
  lr_buf_printf(&b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
                "role=\"img\" aria-labelledby=\"%s-titel %s-beskrivning\" class=\"diagram trend\">"
                "<title id=\"%s-titel\">Mål ",
                width < 320 ? 320 : width, height, id, id, id);
  text(&b, goal->id);
  lr_buf_printf(&b, ": aktiviteter och aktörer per år</title><desc id=\"%s-beskrivning\">", id);
  for (size_t y = 0; y < t->year_count; y++) {
    const lr_trend_count *c = &t->years[y].per_goal[goal->index];
    lr_buf_printf(&b, "%s%d: %zu aktiviteter, %zu aktörer", y ? "; " : "", t->years[y].year, c->activities,
                  c->actors);
  }
  lr_buf_puts(&b, ".</desc><text x=\"0\" y=\"16\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">Mål ");
  text(&b, goal->id);
  lr_buf_puts(&b, "</text>");
  lr_buf_printf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left - 10, top + plot_h,
                width - right + 10, top + plot_h);
  static const struct {
    const char *colour, *dash;
    bool actors;
  } lines[] = {{"#2a64a6", "", false}, {"#b35c00", " stroke-dasharray=\"6 4\"", true}};
  for (size_t l = 0; l < 2; l++) {
    lr_buf_printf(&b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"3\"%s points=\"", lines[l].colour,
                  lines[l].dash);
    for (size_t y = 0; y < t->year_count; y++) {
      const lr_trend_count *c = &t->years[y].per_goal[goal->index];
      size_t n = lines[l].actors ? c->actors : c->activities;
      lr_buf_printf(&b, "%s%d,%d", y ? " " : "", left + step * (int)y,
                    top + plot_h - (int)((double)plot_h * (double)n / (double)max + 0.5));
    }
    lr_buf_puts(&b, "\"/>");
    for (size_t y = 0; y < t->year_count; y++) {
      const lr_trend_count *c = &t->years[y].per_goal[goal->index];
      size_t n = lines[l].actors ? c->actors : c->activities;
      int x = left + step * (int)y, py = top + plot_h - (int)((double)plot_h * (double)n / (double)max + 0.5);
      lr_buf_printf(&b, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>", x, py, lines[l].colour);
      /* Where the two meet, one figure says both. */
      if (lines[l].actors && c->actors == c->activities) continue;
      lr_buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" fill=\"%s\">%zu</text>", x,
                    lines[l].actors ? py + 18 : py - 8, lines[l].colour, n);
    }
  }
  for (size_t y = 0; y < t->year_count; y++)
    lr_buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">%d</text>",
                  left + step * (int)y, top + plot_h + 20, t->years[y].year);
  lr_buf_printf(&b,
                "<line x1=\"0\" y1=\"%d\" x2=\"18\" y2=\"%d\" stroke=\"#2a64a6\" stroke-width=\"3\"/>"
                "<text x=\"22\" y=\"%d\" font-size=\"13\" fill=\"#222\">aktiviteter</text>"
                "<line x1=\"110\" y1=\"%d\" x2=\"128\" y2=\"%d\" stroke=\"#b35c00\" stroke-width=\"3\" "
                "stroke-dasharray=\"6 4\"/><text x=\"132\" y=\"%d\" font-size=\"13\" fill=\"#222\">aktörer</text>",
                height - 8, height - 8, height - 4, height - 8, height - 8, height - 4);
  lr_buf_puts(&b, "</svg>");
  const char *svg = lr_arena_strdup(arena, b.data);
  lr_buf_free(&b);
  return svg;
}

static lr_value *row_value(lr_arena *arena, const lr_trends *t, const char *id, const char *label, bool is_goal,
                           size_t goal_index, const lr_subgoal *sg) {
  lr_value *row = lr_value_map(arena);
  lr_value_set_borrowed(row, "id", id);
  lr_value_set_borrowed(row, "text", label);
  lr_value_set_bool(row, "ar_mal", is_goal);
  lr_value *cells = lr_value_list(arena);
  for (size_t y = 0; y < t->year_count; y++) {
    const lr_trend_count *c = sg ? &t->years[y].per_subgoal[sg->index] : &t->years[y].per_goal[goal_index];
    lr_value *cell = lr_value_map(arena);
    lr_value_set_int(cell, "aktiviteter", (long)c->activities);
    lr_value_set_int(cell, "aktorer", (long)c->actors);
    lr_value_set_borrowed(cell, "markering", c->inexact ? INEXACT_MARK : "");
    lr_value_set_bool(cell, "ej_jamforbar", c->inexact);
    lr_value_push(cells, cell);
  }
  lr_value_set(row, "celler", cells);
  return row;
}

static lr_value *stale_value(lr_arena *arena, const lr_trends *t) {
  lr_value *sentences = lr_value_list(arena);
  const char **subgoals = lr_arena_array(arena, t->stale_count + 1, sizeof *subgoals);
  const char **goals = lr_arena_array(arena, t->stale_count + 1, sizeof *goals);
  bool *done = lr_arena_array(arena, t->stale_count + 1, sizeof *done);
  int first = t->years[0].year, last = t->years[t->year_count - 1].year;
  /* One sentence per year they were last worked on, in strategy order. */
  for (size_t i = 0; i < t->stale_count; i++) {
    if (done[i]) continue;
    size_t ns = 0, ng = 0;
    for (size_t k = i; k < t->stale_count; k++) {
      const lr_stale_target *s = &t->stale[k];
      if (done[k] || s->last_year != t->stale[i].last_year) continue;
      done[k] = true;
      if (s->target.subgoal) subgoals[ns++] = s->target.subgoal->id;
      else goals[ng++] = s->target.goal->id;
    }
    lr_value *m = lr_value_map(arena);
    lr_value_set_borrowed(m, "mening", lr_sentence_stale(arena, subgoals, ns, goals, ng, t->stale[i].last_year,
                                                         first, last));
    lr_value_push(sentences, m);
  }
  return sentences;
}

static lr_value *stale_list(lr_arena *arena, const lr_trends *t) {
  lr_value *list = lr_value_list(arena);
  for (size_t i = 0; i < t->stale_count; i++) {
    const lr_stale_target *s = &t->stale[i];
    lr_value *m = lr_value_map(arena);
    lr_value_set_borrowed(m, "id", s->target.subgoal ? s->target.subgoal->id : s->target.goal->id);
    lr_value_set_borrowed(m, "text", s->target.subgoal ? s->target.subgoal->text : s->target.goal->name);
    lr_value_set_bool(m, "ar_mal", !s->target.subgoal);
    lr_value_set_borrowed(m, "sedan", s->last_year ? lr_arena_printf(arena, "inget sedan %d", s->last_year)
                                                   : "inget under perioden");
    lr_value_push(list, m);
  }
  return list;
}

static lr_value *stopped_value(lr_arena *arena, const lr_trends *t) {
  lr_value *sentences = lr_value_list(arena);
  const char **names = lr_arena_array(arena, t->stopped_count + 1, sizeof *names);
  bool *done = lr_arena_array(arena, t->stopped_count + 1, sizeof *done);
  /* Those who stopped earliest first. */
  for (int year = t->years[0].year; year <= t->years[t->year_count - 1].year; year++) {
    size_t n = 0;
    for (size_t i = 0; i < t->stopped_count; i++)
      if (!done[i] && t->stopped[i].last_year == year) done[i] = true, names[n++] = t->stopped[i].actor->name;
    if (!n) continue;
    lr_value *m = lr_value_map(arena);
    lr_value_set_borrowed(m, "mening", lr_sentence_stopped(arena, names, n, year));
    lr_value_push(sentences, m);
  }
  return sentences;
}

/* The county's figure of each shared indicator per year: a sum, or for a
 * share the median, and "–" for a year in which nobody reported it. */
static lr_value *indicators_value(lr_arena *arena, const lr_report *r, const lr_trends *t) {
  const lr_strategy *st = &r->project->strategy;
  lr_value *list = lr_value_list(arena);
  for (size_t i = 0; i < st->indicator_count; i++) {
    const lr_indicator *ind = &st->indicators[i];
    lr_value *iv = lr_value_map(arena);
    lr_value_set_borrowed(iv, "namn", ind->name);
    lr_value_set_borrowed(iv, "enhet", ind->unit);
    lr_value_set_borrowed(iv, "summa_namn", lr_indicator_is_share(ind) ? "median" : "summa");
    lr_value *cells = lr_value_list(arena);
    for (size_t y = 0; y < t->year_count; y++) {
      const lr_indicator_total *total = &t->years[y].indicators[i];
      lr_value *cell = lr_value_map(arena);
      lr_value_set_borrowed(cell, "varde", total->count ? lr_indicator_number(arena, total->total) : "–");
      lr_value_set_int(cell, "antal", (long)total->count);
      lr_value_push(cells, cell);
    }
    lr_value_set(iv, "celler", cells);
    lr_value_push(list, iv);
  }
  return list;
}

lr_value *lr_trend_view(lr_arena *arena, const lr_report *r, lr_view_format format) {
  const lr_trends *t = r->trends;
  /* One year has no development to show; the comparison and the rest of
   * the report say all there is. */
  if (!t || t->year_count < 2) return lr_value_null(arena);
  const lr_strategy *st = t->strategy;
  const lr_trend_year *first = &t->years[0], *last = &t->years[t->year_count - 1];
  lr_value *m = lr_value_map(arena);
  lr_value_set_int(m, "forsta_ar", first->year);
  lr_value_set_int(m, "sista_ar", last->year);
  lr_value_set_int(m, "antal_ar", (long)t->year_count);
  lr_value *years = lr_value_list(arena), *rates = lr_value_list(arena);
  for (size_t y = 0; y < t->year_count; y++) {
    const lr_trend_year *ty = &t->years[y];
    lr_value *yv = lr_value_map(arena);
    lr_value_set_int(yv, "ar", ty->year);
    lr_value_push(years, yv);
    lr_value *rv = lr_value_map(arena);
    lr_value_set_int(rv, "ar", ty->year);
    lr_value_set_int(rv, "svar", (long)ty->responses);
    lr_value_set_int(rv, "registrerade", (long)ty->registered);
    lr_value_set_int(rv, "aktiviteter", (long)ty->activities);
    lr_value_set_borrowed(rv, "andel", lr_sentence_percent(arena, ty->responses, ty->registered));
    lr_value_push(rates, rv);
  }
  lr_value_set(m, "ar", years);
  lr_value_set(m, "svarsfrekvens", rates);
  lr_value_set_borrowed(m, "svarsmening",
                        lr_sentence_response_trend(arena, first->year, first->responses, first->registered,
                                                   last->year, last->responses, last->registered));
  lr_value *goals = lr_value_list(arena);
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    lr_value *gv = lr_value_map(arena);
    lr_value_set_borrowed(gv, "id", goal->id);
    lr_value_set_borrowed(gv, "namn", goal->name);
    lr_value *rows = lr_value_list(arena);
    lr_value_push(rows, row_value(arena, t, goal->id, goal->name, true, g, NULL));
    for (size_t k = 0; k < goal->subgoal_count; k++)
      lr_value_push(rows, row_value(arena, t, goal->subgoals[k].id, goal->subgoals[k].text, false, g,
                                    &goal->subgoals[k]));
    lr_value_set(gv, "rader", rows);
    if (format == LR_VIEW_HTML) lr_value_set_borrowed(gv, "diagram", goal_chart(arena, t, goal));
    lr_value_push(goals, gv);
  }
  lr_value_set(m, "mal", goals);
  lr_view_set_list(m, "inaktuella_meningar", stale_value(arena, t));
  lr_view_set_list(m, "inaktuella", stale_list(arena, t));
  bool goal_stale = false;
  for (size_t i = 0; i < t->stale_count; i++) goal_stale = goal_stale || !t->stale[i].target.subgoal;
  lr_value_set_borrowed(m, "inaktuella_rubrik", goal_stale ? "Mål och delmål utan aktivitet" : "Delmål utan aktivitet");
  lr_view_set_list(m, "slutat", stopped_value(arena, t));
  lr_view_set_list(m, "indikatorer", indicators_value(arena, r, t));
  lr_value_set_borrowed(m, "jamforbarhet",
                        t->inexact ? INEXACT_MARK " Jämförbarheten påverkas av revisionen: målet eller delmålet "
                                                  "har slagits ihop med ett annat, delats eller tagits bort."
                                   : NULL);
  return m;
}
