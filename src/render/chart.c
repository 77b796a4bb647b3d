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
  /* Narrow, so that at phone width its 14-unit text stays above 11 px. */
  const int label_w = 70, bar_w = 310, row_h = 30, top = 10;
  int height = top * 2 + (int)st->goal_count * row_h;
  lr_buf b = {0};
  lr_buf_printf(&b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 420 %d\" width=\"100%%\" "
                "role=\"img\" aria-labelledby=\"diagram-mal-titel\" class=\"diagram staplar\">"
                "<title id=\"diagram-mal-titel\">Antal aktiviteter per mål %s</title>",
                height, lr_report_span(arena, r));
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

/* Actor names in the heat map: long ones wrap at spaces onto a second
 * line, and what does not fit on two is shortened with "…", the whole name
 * then in a <title>. A line holds LABEL_CHARS characters of 13-unit DejaVu
 * Sans, which is narrower than the label column however wide the letters. */
enum { LABEL_CHARS = 32, LABEL_LINES = 2 };

static size_t chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* The byte length of the first `count` characters of s. */
static size_t prefix_bytes(const char *s, size_t count) {
  size_t i = 0;
  for (size_t c = 0; s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == count) break;
  return i;
}

/* Splits label into at most LABEL_LINES lines; true when it was shortened. */
static bool wrap_label(lr_arena *arena, const char *label, const char *lines[LABEL_LINES],
                       size_t *line_count) {
  const char *p = label;
  *line_count = 0;
  while (*p && *line_count < LABEL_LINES) {
    size_t n = strlen(p);
    if (chars(p, n) <= LABEL_CHARS) {
      lines[(*line_count)++] = lr_arena_strdup(arena, p);
      return false;
    }
    size_t fit = prefix_bytes(p, LABEL_CHARS), cut = fit;
    while (cut > 0 && p[cut] != ' ') cut--;
    if (cut == 0) cut = fit; /* one word longer than a line: cut inside it */
    if (*line_count == LABEL_LINES - 1) break;
    lines[(*line_count)++] = lr_arena_strndup(arena, p, cut);
    p += cut;
    while (*p == ' ') p++;
  }
  size_t keep = prefix_bytes(p, LABEL_CHARS - 1);
  while (keep > 0 && p[keep - 1] == ' ') keep--;
  lines[(*line_count)++] = lr_arena_printf(arena, "%.*s…", (int)keep, p);
  return true;
}

const char *lr_chart_coverage(lr_arena *arena, const lr_report *r) {
  const lr_strategy *st = r->strategy;
  size_t max = 1;
  for (size_t a = 0; a < r->actor_count; a++)
    for (size_t g = 0; g < st->goal_count; g++)
      if (r->actors[a].per_goal[g] > max) max = r->actors[a].per_goal[g];
  const int label_w = 260, cell_w = 56, row_h = 24, line_h = 15, head_h = 28;
  /* Rows are as high as their label: lay them out before the header. */
  const char *(*labels)[LABEL_LINES] = lr_arena_array(arena, r->actor_count + 1, sizeof *labels);
  size_t *line_counts = lr_arena_array(arena, r->actor_count + 1, sizeof *line_counts);
  bool *shortened = lr_arena_array(arena, r->actor_count + 1, sizeof *shortened);
  int height = head_h + 4;
  for (size_t a = 0; a < r->actor_count; a++) {
    const lr_actor_summary *as = &r->actors[a];
    const char *label = as->statement ? as->actor->name
                                      : lr_arena_printf(arena, "%s (inget svar)", as->actor->name);
    shortened[a] = wrap_label(arena, label, labels[a], &line_counts[a]);
    height += row_h + (int)(line_counts[a] - 1) * line_h;
  }
  int width = label_w + (int)st->goal_count * cell_w;
  lr_buf b = {0};
  lr_buf_printf(&b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
                "role=\"img\" aria-labelledby=\"diagram-tackning-titel\" class=\"diagram karta\">"
                "<title id=\"diagram-tackning-titel\">Aktiviteter per aktör och mål %s</title>",
                width, height, lr_report_span(arena, r));
  for (size_t g = 0; g < st->goal_count; g++) {
    lr_buf_printf(&b, "<text x=\"%d\" y=\"18\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">Mål ",
                  label_w + (int)g * cell_w + cell_w / 2);
    text(&b, st->goals[g].id);
    lr_buf_puts(&b, "</text>");
  }
  int y = head_h;
  for (size_t a = 0; a < r->actor_count; a++) {
    const lr_actor_summary *as = &r->actors[a];
    int h = row_h + (int)(line_counts[a] - 1) * line_h;
    lr_buf_puts(&b, "<g>");
    if (shortened[a]) {
      lr_buf_puts(&b, "<title>");
      text(&b, as->actor->name);
      if (!as->statement) lr_buf_puts(&b, " (inget svar)");
      lr_buf_puts(&b, "</title>");
    }
    lr_buf_printf(&b, "<text x=\"0\" y=\"%d\" font-size=\"13\" fill=\"%s\">", y + 16,
                  as->statement ? "#222" : "#666");
    for (size_t l = 0; l < line_counts[a]; l++) {
      if (l) lr_buf_printf(&b, "<tspan x=\"0\" dy=\"%d\">", line_h);
      else lr_buf_puts(&b, "<tspan>");
      text(&b, labels[a][l]);
      lr_buf_puts(&b, "</tspan>");
    }
    lr_buf_puts(&b, "</text>");
    for (size_t g = 0; g < st->goal_count; g++) {
      size_t n = as->per_goal[g];
      int x = label_w + (int)g * cell_w;
      size_t level = n == 0 ? 0 : 1 + (n * 4 + max - 1) / max;
      if (level > 5) level = 5;
      if (!as->statement) {
        lr_buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#ddd\"/>",
                      x + 2, y + 2, cell_w - 4, h - 4);
        continue;
      }
      lr_buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", x + 2, y + 2,
                    cell_w - 4, h - 4, HEAT[level]);
      lr_buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" fill=\"%s\">%zu</text>",
                    x + cell_w / 2, y + h / 2 + 5, level >= 3 ? "#fff" : "#222", n);
    }
    lr_buf_puts(&b, "</g>");
    y += h;
  }
  lr_buf_puts(&b, "</svg>");
  const char *svg = lr_arena_strdup(arena, b.data);
  lr_buf_free(&b);
  return svg;
}
