/* Inline SVG charts for the HTML pages: no scripts, no external fonts,
 * integer geometry so that the bytes are the same on every machine. */
#include "render/render.h"
#include "render/chart.h"

#include <string.h>

static const char *const HEAT[] = {"#f1f4f8", "#cfe0f1", "#9ec2e3", "#5f97cc", "#2a64a6", "#123f73"};

static void text(lr_buf *out, const char *s) { lr_escape_html(s, strlen(s), out); }

const char *lr_chart_goal_bars(lr_arena *arena, const lr_report *r) {
  const lr_strategy *st = r->strategy;
  size_t max = 1;
  for (size_t g = 0; g < st->goal_count; g++)
    if (r->goals[g].activity_count > max) max = r->goals[g].activity_count;
  const int label_w = 90, bar_w = 460, row_h = 30, top = 10;
  int height = top * 2 + (int)st->goal_count * row_h;
  lr_buf b = {0};
  lr_buf_printf(&b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 %d\" width=\"100%%\" "
                "role=\"img\" aria-labelledby=\"diagram-mal-titel\" class=\"diagram\">"
                "<title id=\"diagram-mal-titel\">Antal aktiviteter per mål %d</title>",
                height, r->year->year);
  for (size_t g = 0; g < st->goal_count; g++) {
    int y = top + (int)g * row_h;
    size_t n = r->goals[g].activity_count;
    int w = (int)((double)bar_w * (double)n / (double)max + 0.5);
    lr_buf_printf(&b, "<text x=\"0\" y=\"%d\" font-size=\"14\" fill=\"#222\">Mål ", y + 19);
    text(&b, st->goals[g].id);
    lr_buf_puts(&b, "</text>");
    if (w > 0)
      lr_buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#2a64a6\"/>",
                    label_w, y + 4, w, row_h - 8);
    lr_buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#222\">%zu</text>",
                  label_w + w + 6, y + 19, n);
  }
  lr_buf_puts(&b, "</svg>");
  const char *svg = lr_arena_strdup(arena, b.data);
  lr_buf_free(&b);
  return svg;
}

const char *lr_chart_coverage(lr_arena *arena, const lr_report *r) {
  const lr_strategy *st = r->strategy;
  size_t max = 1;
  for (size_t a = 0; a < r->actor_count; a++)
    for (size_t g = 0; g < st->goal_count; g++)
      if (r->actors[a].per_goal[g] > max) max = r->actors[a].per_goal[g];
  const int label_w = 260, cell_w = 56, row_h = 24, head_h = 28;
  int width = label_w + (int)st->goal_count * cell_w;
  int height = head_h + (int)r->actor_count * row_h + 4;
  lr_buf b = {0};
  lr_buf_printf(&b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
                "role=\"img\" aria-labelledby=\"diagram-tackning-titel\" class=\"diagram\">"
                "<title id=\"diagram-tackning-titel\">Aktiviteter per aktör och mål %d</title>",
                width, height, r->year->year);
  for (size_t g = 0; g < st->goal_count; g++) {
    lr_buf_printf(&b, "<text x=\"%d\" y=\"18\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">Mål ",
                  label_w + (int)g * cell_w + cell_w / 2);
    text(&b, st->goals[g].id);
    lr_buf_puts(&b, "</text>");
  }
  for (size_t a = 0; a < r->actor_count; a++) {
    const lr_actor_summary *as = &r->actors[a];
    int y = head_h + (int)a * row_h;
    lr_buf_printf(&b, "<text x=\"0\" y=\"%d\" font-size=\"13\" fill=\"%s\">", y + 16,
                  as->statement ? "#222" : "#777");
    text(&b, as->actor->name);
    if (!as->statement) lr_buf_puts(&b, " (inget svar)");
    lr_buf_puts(&b, "</text>");
    for (size_t g = 0; g < st->goal_count; g++) {
      size_t n = as->per_goal[g];
      int x = label_w + (int)g * cell_w;
      size_t level = n == 0 ? 0 : 1 + (n * 4 + max - 1) / max;
      if (level > 5) level = 5;
      if (!as->statement) {
        lr_buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#ddd\"/>",
                      x + 2, y + 2, cell_w - 4, row_h - 4);
        continue;
      }
      lr_buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", x + 2, y + 2,
                    cell_w - 4, row_h - 4, HEAT[level]);
      lr_buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" fill=\"%s\">%zu</text>",
                    x + cell_w / 2, y + 16, level >= 3 ? "#fff" : "#222", n);
    }
  }
  lr_buf_puts(&b, "</svg>");
  const char *svg = lr_arena_strdup(arena, b.data);
  lr_buf_free(&b);
  return svg;
}
