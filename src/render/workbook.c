/* The Excel workbook of a year (lagesrapport-<år>.xlsx), written with
 * libxlsxwriter from the computed report: Översikt, Aktiviteter, Täckning,
 * Aktörer, Jämförelse, Uppföljning, Trender and, when the strategy
 * declares any, Indikatorer. Every number comes from lr_report; this
 * file only lays them out. Activities marked intern never appear.
 *
 * libxlsxwriter reports failures as return codes (and prints some
 * warnings itself), so every call goes through a helper that keeps the
 * first failure; after one, the remaining calls are skipped and the file
 * is not written. Text is only ever written with worksheet_write_string,
 * which never makes a formula of "=…", "+…", "-…" or "@…".
 *
 * Every sheet is written strictly row by row, top to bottom: the
 * workbook is made in libxlsxwriter's constant-memory mode, which writes
 * a row out as soon as the next one begins and refuses anything for a
 * row above. That mode writes each text where it stands instead of in a
 * shared-string table, which was a tenth of a national build's time, and
 * holds one row in memory instead of every cell (bench/README.md). */
#ifdef __linux__
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include "render/render.h"
#include "render/sentences.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xlsxwriter.h>

#define SHEET_OVERVIEW "Översikt"
#define SHEET_ACTIVITIES "Aktiviteter"
#define SHEET_COVERAGE "Täckning"
#define SHEET_ACTORS "Aktörer"
#define SHEET_COMPARISON "Jämförelse"
#define SHEET_FOLLOWUP "Uppföljning"
#define SHEET_INDICATORS "Indikatorer"
#define SHEET_TRENDS "Trender"

/* Excel's limit for one cell; libxlsxwriter refuses longer strings. */
enum { CELL_TEXT_MAX = 32767 };

typedef struct formats {
  lxw_format *title, *subtitle, *note, *label;
  lxw_format *header, *header_number, *header_group;
  lxw_format *text, *wrap, *right, *center, *number, *percent, *date, *change;
  lxw_format *goal_id, *goal_text, *goal_number;
  lxw_format *subgoal_text;
  lxw_format *total_text, *total_number, *row_total;
  lxw_format *count, *muted, *muted_blank;
} formats;

typedef struct book {
  lxw_workbook *wb;
  const lr_report *r;
  bool internal;      /* the Länsstyrelse's own copy, with the contact persons */
  lr_prose_text_fn text; /* plain text already made, or NULL */
  const void *text_context;
  lr_arena *scratch; /* freed after the workbook, so it holds the row buffers */
  lxw_error error;    /* the first failure; LXW_NO_ERROR until then */
  const char *failed; /* the libxlsxwriter call that failed */
  formats f;
} book;

/* Keeps the first failure. Returns whether all is still well. */
static bool check(book *b, lxw_error e, const char *what) {
  if (e != LXW_NO_ERROR && b->error == LXW_NO_ERROR) {
    b->error = e;
    b->failed = what;
  }
  return b->error == LXW_NO_ERROR;
}

/* libxlsxwriter's constructors return NULL on failure, which is always an
 * allocation failure for the fixed names and options used here. */
static bool check_ptr(book *b, const void *p, const char *what) {
  return check(b, p ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED, what);
}

/* ---- compression ------------------------------------------------------- */

#if defined(__linux__) && defined(RTLD_NEXT)
/* libxlsxwriter (1.1.4 and later alike) deflates every part of the
 * workbook at zlib's default level 6 and has no option for another: it
 * calls minizip with Z_DEFAULT_COMPRESSION. That was the largest single
 * cost of a national build, and on its critical path (bench/README.md).
 * This program is the only caller of minizip in the process, so it
 * defines minizip's function itself, ahead of the library in symbol
 * lookup, and passes level 1 on: deflate's fast mode, a third of the
 * instructions for a workbook a fifth larger, the same bytes on every
 * run. Should minizip's own function not be found, the call fails and
 * the workbook is reported as not written; it is never written wrong. */
typedef int (*zip_open_fn)(void *, const char *, const void *, const void *, unsigned,
                           const void *, unsigned, const char *, int, int, int, int, int, int,
                           const char *, unsigned long, unsigned long, unsigned long, int);

int zipOpenNewFileInZip4_64(void *file, const char *name, const void *info,
                            const void *extra_local, unsigned extra_local_size,
                            const void *extra_global, unsigned extra_global_size,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password,
                            unsigned long crc, unsigned long version, unsigned long flags,
                            int zip64) {
  (void)level;
  zip_open_fn minizip;
  /* The object pointer dlsym returns, as a function pointer: POSIX
   * requires the two to convert. */
  void *found = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
  if (!found) return -104; /* ZIP_INTERNALERROR */
  memcpy(&minizip, &found, sizeof minizip);
  return minizip(file, name, info, extra_local, extra_local_size, extra_global,
                 extra_global_size, comment, method, 1, raw, window_bits, mem_level, strategy,
                 password, crc, version, flags, zip64);
}
#endif

/* ---- text ---------------------------------------------------------------- */

/* s cut to what one cell holds, on a character boundary. */
static const char *cell_text(book *b, const char *s) {
  size_t n = strlen(s);
  if (n <= CELL_TEXT_MAX) return s;
  n = CELL_TEXT_MAX;
  while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return lr_arena_strndup(b->scratch, s, n);
}

/* Characters on the longest line, what a column must show, counted up
 * to `enough`: a column is no wider than its bound, and the first long
 * line of a description settles it. */
static size_t text_width_upto(const char *s, size_t enough) {
  size_t longest = 0, line = 0;
  for (; s && *s && longest < enough; s++) {
    if (*s == '\n') {
      line = 0;
      continue;
    }
    if (((unsigned char)*s & 0xC0) != 0x80 && ++line > longest) longest = line;
  }
  return longest;
}

static size_t text_width(const char *s) { return text_width_upto(s, SIZE_MAX); }

/* Lines a wrapping cell of `width` (Excel's unit: the width of a "0")
 * needs for s, by greedy word wrap. Calibri text averages about 1.25
 * characters per unit (measured in LibreOffice with its metric twin
 * Carlito); the factors stay a little below so a row is never short. */
static size_t wrapped_lines(const char *s, double width, bool bold) {
  if (!s || !*s) return 1;
  double usable = (bold ? 1.05 : 1.2) * width - 1;
  size_t cap = usable > 1 ? (size_t)usable : 1;
  size_t lines = 1, col = 0;
  while (*s) {
    if (*s == '\n') {
      lines++;
      col = 0;
      s++;
      continue;
    }
    if (*s == ' ') {
      if (col) col++;
      s++;
      continue;
    }
    size_t len = 0;
    const char *end = s;
    for (; *end && *end != ' ' && *end != '\n'; end++)
      if (((unsigned char)*end & 0xC0) != 0x80) len++;
    if (!len) { /* only continuation bytes: nothing to place */
      s = end;
      continue;
    }
    if (col && col + len > cap) {
      lines++;
      col = 0;
    }
    lines += (len - 1) / cap; /* a word longer than the line is broken */
    col += len - (len - 1) / cap * cap;
    s = end;
  }
  return lines;
}

/* ---- cells ---------------------------------------------------------------- */

/* Every string goes through here. An empty one becomes a formatted blank:
 * libxlsxwriter silently drops an empty string. */
static void put_text(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                     lxw_format *format) {
  if (b->error) return;
  if (!s || !*s) {
    check(b, worksheet_write_blank(ws, row, col, format), "worksheet_write_blank");
    return;
  }
  check(b, worksheet_write_string(ws, row, col, cell_text(b, s), format), "worksheet_write_string");
}

static void put_number(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double n,
                       lxw_format *format) {
  if (b->error) return;
  check(b, worksheet_write_number(ws, row, col, n, format), "worksheet_write_number");
}

static void put_count(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, size_t n,
                      lxw_format *format) {
  put_number(b, ws, row, col, (double)n, format);
}

static void put_blank(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      lxw_format *format) {
  if (b->error) return;
  check(b, worksheet_write_blank(ws, row, col, format), "worksheet_write_blank");
}

static void put_date(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, lr_date d,
                     lxw_format *format) {
  if (b->error) return;
  if (!d.year) {
    put_blank(b, ws, row, col, format);
    return;
  }
  lxw_datetime dt = {.year = d.year, .month = d.month, .day = d.day};
  check(b, worksheet_write_datetime(ws, row, col, &dt, format), "worksheet_write_datetime");
}

/* LibreOffice does not grow a row to fit wrapped text when it opens a
 * generated file, so rows that wrap get a height from the estimate above
 * (which Excel then keeps too). */
static void fit_row(book *b, lxw_worksheet *ws, lxw_row_t row, size_t lines) {
  if (b->error || lines <= 1) return;
  double height = 15.0 * (double)lines;
  if (height > 409) height = 409; /* Excel's largest row */
  check(b, worksheet_set_row(ws, row, height, NULL), "worksheet_set_row");
}

static void set_width(book *b, lxw_worksheet *ws, lxw_col_t first, lxw_col_t last, double width,
                      lxw_format *format) {
  if (b->error) return;
  check(b, worksheet_set_column(ws, first, last, width, format), "worksheet_set_column");
}

/* A header row of labels from column 0. */
static void put_header(book *b, lxw_worksheet *ws, lxw_row_t row, const char *const *labels,
                       size_t n) {
  for (size_t i = 0; i < n; i++) put_text(b, ws, row, (lxw_col_t)i, labels[i], b->f.header);
}

/* ---- sheets and page setup ----------------------------------------------- */

static lxw_worksheet *add_sheet(book *b, const char *name) {
  if (b->error) return NULL;
  lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
  check_ptr(b, ws, "workbook_add_worksheet");
  /* In constant-memory mode each row goes to a temporary file through
   * stdio, 4 KiB a write: 5,000 writes, and as many reads to copy it
   * back, for a national activity sheet. A larger buffer, set before the
   * first row as setvbuf requires (and given, as glibc takes the size
   * only with a buffer), moves the same bytes in 256 KiB at a time. */
  enum { ROW_BUFFER = 256 * 1024 };
  if (ws && ws->optimize_tmpfile)
    (void)setvbuf(ws->optimize_tmpfile, lr_arena_alloc(b->scratch, ROW_BUFFER), _IOFBF, ROW_BUFFER);
  return ws;
}

static const char *region_name(const book *b) {
  const char *region = b->r->strategy->region;
  if (!region || !*region) region = lr_project_config(b->r->project)->region;
  return region ? region : "";
}

/* The region for a page footer: "&" is a code there and doubles, and the
 * whole footer must stay within Excel's 255 characters. */
static const char *footer_region(book *b) {
  lr_buf out = {0};
  size_t chars = 0;
  for (const char *s = region_name(b); *s; s++) {
    bool starts_char = ((unsigned char)*s & 0xC0) != 0x80;
    if (starts_char && ++chars > 100) break;
    if (*s == '&') lr_buf_putc(&out, '&');
    lr_buf_putc(&out, *s);
  }
  const char *text = lr_arena_strdup(b->scratch, out.data ? out.data : "");
  lr_buf_free(&out);
  return text;
}

/* A4 landscape, one page wide, the header rows on every page: officers
 * print these sheets for meetings. */
static void page_setup(book *b, lxw_worksheet *ws, lxw_row_t repeat_first, lxw_row_t repeat_last,
                       bool repeat) {
  if (b->error) return;
  worksheet_set_paper(ws, 9);
  worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
  if (repeat)
    check(b, worksheet_repeat_rows(ws, repeat_first, repeat_last), "worksheet_repeat_rows");
  const char *footer = lr_arena_printf(b->scratch, "&L%s – lägesrapport %s – &A&RSida &P av &N",
                                       footer_region(b), lr_report_span(b->scratch, b->r));
  check(b, worksheet_set_footer(ws, footer), "worksheet_set_footer");
}

static lxw_format *new_format(book *b) {
  if (b->error) return NULL;
  lxw_format *f = workbook_add_format(b->wb);
  check_ptr(b, f, "workbook_add_format");
  return f;
}

static void make_formats(book *b) {
  static const lxw_color_t header_fill = 0xDCE6F1, goal_fill = 0xF2F2F2, muted = 0x808080;
  formats *f = &b->f;
  lxw_format **all[] = {
      &f->title,         &f->subtitle,     &f->note,        &f->label,        &f->header,
      &f->header_number, &f->header_group, &f->text,        &f->wrap,         &f->right,
      &f->center,        &f->number,       &f->percent,     &f->date,         &f->change,
      &f->goal_id,       &f->goal_text,    &f->goal_number, &f->subgoal_text, &f->total_text,
      &f->total_number,  &f->row_total,    &f->count,       &f->muted,        &f->muted_blank,
  };
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
    *all[i] = new_format(b);
    if (!*all[i]) return;
    format_set_align(*all[i], LXW_ALIGN_VERTICAL_TOP);
  }
  format_set_bold(f->title);
  format_set_font_size(f->title, 14);
  format_set_font_size(f->subtitle, 12);
  format_set_italic(f->note);
  format_set_font_color(f->note, muted);
  format_set_bold(f->label);

  lxw_format *headers[] = {f->header, f->header_number, f->header_group};
  for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
    format_set_bold(headers[i]);
    format_set_bg_color(headers[i], header_fill);
    format_set_bottom(headers[i], LXW_BORDER_THIN);
    format_set_text_wrap(headers[i]);
  }
  format_set_align(f->header_number, LXW_ALIGN_RIGHT);
  format_set_align(f->header_group, LXW_ALIGN_CENTER);

  format_set_text_wrap(f->wrap);
  format_set_align(f->right, LXW_ALIGN_RIGHT);
  format_set_align(f->center, LXW_ALIGN_CENTER);
  format_set_num_format(f->number, "0");
  format_set_num_format(f->percent, "0%");
  format_set_num_format(f->date, "yyyy-mm-dd");
  format_set_align(f->date, LXW_ALIGN_LEFT);
  format_set_num_format(f->change, "+0;-0;0");
  format_set_align(f->change, LXW_ALIGN_CENTER);

  lxw_format *goal[] = {f->goal_id, f->goal_text, f->goal_number};
  for (size_t i = 0; i < sizeof goal / sizeof *goal; i++) {
    format_set_bold(goal[i]);
    format_set_bg_color(goal[i], goal_fill);
  }
  format_set_text_wrap(f->goal_text);
  format_set_num_format(f->goal_number, "0");
  format_set_text_wrap(f->subgoal_text);
  format_set_indent(f->subgoal_text, 2);

  format_set_bold(f->total_text);
  format_set_top(f->total_text, LXW_BORDER_THIN);
  format_set_bold(f->total_number);
  format_set_top(f->total_number, LXW_BORDER_THIN);
  format_set_num_format(f->total_number, "0");
  format_set_bold(f->row_total);
  format_set_num_format(f->row_total, "0");

  /* Zero shows as a dash so the coverage grid's gaps stand out; the cell
   * still holds the number 0 for sums and filters. */
  format_set_num_format(f->count, "0;-0;\"–\"");
  format_set_align(f->count, LXW_ALIGN_CENTER);
  format_set_italic(f->muted);
  format_set_font_color(f->muted, muted);
  format_set_bg_color(f->muted_blank, goal_fill);
}

/* ---- Översikt ------------------------------------------------------------ */

enum {
  OV_ID,
  OV_NAME,
  OV_ACTIVITIES,
  OV_ACTORS,
  OV_STATUS, /* one column per lr_status */
  OV_COVERED = OV_STATUS + LR_STATUS_COUNT,
  OV_SUBGOALS,
  OV_COLUMNS
};
enum { OV_NAME_WIDTH = 70, OV_NUMBER_WIDTH = 12, SUBGOAL_INDENT_WIDTH = 4 };

static void overview_counts(book *b, lxw_worksheet *ws, lxw_row_t row, size_t activities,
                            size_t actors, const size_t *status, lxw_format *format) {
  put_count(b, ws, row, OV_ACTIVITIES, activities, format);
  put_count(b, ws, row, OV_ACTORS, actors, format);
  for (int s = 0; s < LR_STATUS_COUNT; s++) put_count(b, ws, row, OV_STATUS + s, status[s], format);
}

static const char *goal_column_label(const lr_report *r) {
  return r->strategy->subgoal_count ? "Mål / delmål" : "Mål";
}

/* The last column of the goal table: the sub-goal columns are left out
 * for a strategy without sub-goals. */
static int overview_last_column(const lr_report *r) {
  return r->strategy->subgoal_count ? OV_SUBGOALS : OV_COVERED - 1;
}

/* Goals and their sub-goals in strategy order; returns the next free row. */
static lxw_row_t overview_table(book *b, lxw_worksheet *ws, lxw_row_t row) {
  const lr_report *r = b->r;
  const formats *f = &b->f;
  const int last_col = overview_last_column(r);
  const char *labels[OV_COLUMNS] = {"Id", goal_column_label(r), "Aktiviteter", "Aktörer"};
  for (int s = 0; s < LR_STATUS_COUNT; s++) labels[OV_STATUS + s] = lr_status_label(s);
  labels[OV_COVERED] = "Delmål med aktivitet";
  labels[OV_SUBGOALS] = "Delmål totalt";
  put_text(b, ws, row, OV_ID, labels[OV_ID], f->header);
  put_text(b, ws, row, OV_NAME, labels[OV_NAME], f->header);
  size_t lines = 1;
  for (int c = OV_ACTIVITIES; c <= last_col; c++) {
    put_text(b, ws, row, (lxw_col_t)c, labels[c], f->header_number);
    size_t n = wrapped_lines(labels[c], OV_NUMBER_WIDTH, true);
    if (n > lines) lines = n;
  }
  fit_row(b, ws, row++, lines);

  for (size_t g = 0; g < r->strategy->goal_count; g++) {
    const lr_goal_summary *gs = &r->goals[g];
    const lr_goal *goal = gs->goal;
    put_text(b, ws, row, OV_ID, goal->id, f->goal_id);
    put_text(b, ws, row, OV_NAME, goal->name, f->goal_text);
    overview_counts(b, ws, row, gs->activity_count, gs->actor_count, gs->status_counts,
                    f->goal_number);
    if (goal->subgoal_count) {
      put_count(b, ws, row, OV_COVERED, gs->subgoals_covered, f->goal_number);
      put_count(b, ws, row, OV_SUBGOALS, goal->subgoal_count, f->goal_number);
    } else if (last_col == OV_SUBGOALS) {
      put_blank(b, ws, row, OV_COVERED, f->goal_number);
      put_blank(b, ws, row, OV_SUBGOALS, f->goal_number);
    }
    fit_row(b, ws, row++, wrapped_lines(goal->name, OV_NAME_WIDTH, true));
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      const lr_subgoal_summary *ss = &gs->subgoals[k];
      put_text(b, ws, row, OV_ID, ss->subgoal->id, f->text);
      put_text(b, ws, row, OV_NAME, ss->subgoal->text, f->subgoal_text);
      overview_counts(b, ws, row, ss->activity_count, ss->actor_count, ss->status_counts,
                      f->number);
      fit_row(b, ws, row++,
              wrapped_lines(ss->subgoal->text, OV_NAME_WIDTH - SUBGOAL_INDENT_WIDTH, false));
    }
  }

  put_blank(b, ws, row, OV_ID, f->total_text);
  put_text(b, ws, row, OV_NAME, "Totalt", f->total_text);
  put_count(b, ws, row, OV_ACTIVITIES, r->activity_count, f->total_number);
  put_count(b, ws, row, OV_ACTORS, r->active_actor_count, f->total_number);
  for (int s = 0; s < LR_STATUS_COUNT; s++)
    put_count(b, ws, row, OV_STATUS + s, r->status_counts[s], f->total_number);
  if (last_col == OV_SUBGOALS) {
    put_count(b, ws, row, OV_COVERED, r->subgoals_covered, f->total_number);
    put_count(b, ws, row, OV_SUBGOALS, r->strategy->subgoal_count, f->total_number);
  }
  return row + 1;
}

/* The chart reads a compact block of its own (goal rows are not adjacent
 * in the table above), placed beside the chart so it explains the labels. */
static void overview_chart(book *b, lxw_worksheet *ws, lxw_row_t row) {
  const lr_report *r = b->r;
  size_t n = r->strategy->goal_count;
  if (!n || b->error) return; /* libxlsxwriter refuses a chart without data */
  put_text(b, ws, row, OV_ID, "Mål", b->f.header);
  put_text(b, ws, row, OV_NAME, "Namn", b->f.header);
  put_text(b, ws, row, OV_ACTIVITIES, "Aktiviteter", b->f.header_number);
  lxw_row_t first = row + 1;
  for (size_t g = 0; g < n; g++) {
    const lr_goal *goal = r->goals[g].goal;
    put_text(b, ws, first + (lxw_row_t)g, OV_ID, lr_arena_printf(b->scratch, "Mål %s", goal->id),
             b->f.text);
    put_text(b, ws, first + (lxw_row_t)g, OV_NAME, goal->name, b->f.wrap);
    put_count(b, ws, first + (lxw_row_t)g, OV_ACTIVITIES, r->goals[g].activity_count, b->f.number);
    fit_row(b, ws, first + (lxw_row_t)g, wrapped_lines(goal->name, OV_NAME_WIDTH, false));
  }
  lxw_row_t last = first + (lxw_row_t)n - 1;
  if (b->error) return;

  lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_BAR);
  if (!check_ptr(b, chart, "workbook_add_chart")) return;
  lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
  if (!check_ptr(b, series, "chart_add_series")) return;
  chart_series_set_categories(series, SHEET_OVERVIEW, first, OV_ID, last, OV_ID);
  chart_series_set_values(series, SHEET_OVERVIEW, first, OV_ACTIVITIES, last, OV_ACTIVITIES);
  chart_series_set_name(series, "Aktiviteter");
  chart_series_set_labels(series);
  lxw_chart_fill fill = {.color = 0x4F81BD};
  chart_series_set_fill(series, &fill);
  chart_title_set_name(chart, "Aktiviteter per mål");
  chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
  /* A bar chart's categories run bottom-up; reversed, goal 1 is on top
   * as in the table. */
  chart_axis_set_reverse(chart->y_axis);
  chart_axis_set_crossing_max(chart->y_axis); /* keeps the value axis below */
  chart_axis_set_min(chart->x_axis, 0);
  chart_axis_set_num_format(chart->x_axis, "0");
  lxw_chart_options options = {.x_offset = 10,
                               .y_offset = 4,
                               .x_scale = 1.2,
                               .y_scale = n > 6 ? 1.0 + 0.12 * (double)(n - 6) : 1.0};
  check(b, worksheet_insert_chart_opt(ws, row, OV_ACTORS, chart, &options),
        "worksheet_insert_chart_opt");
}

/* Where plans are followed to: the year, or a period's later years. */
static const char *followed_to(book *b) {
  const lr_report *r = b->r;
  return r->period ? r->period->after_name : lr_arena_printf(b->scratch, "%d", r->comparison->year_after);
}

static const char *report_title(book *b) {
  return lr_report_heading(b->scratch, b->r);
}

static void write_overview(book *b) {
  const lr_report *r = b->r;
  const formats *f = &b->f;
  lxw_worksheet *ws = add_sheet(b, SHEET_OVERVIEW);
  if (!ws) return;
  put_text(b, ws, 0, OV_ID, report_title(b), f->title);
  put_text(b, ws, 1, OV_ID, r->strategy->name, f->subtitle);

  lxw_row_t row = 3;
  put_text(b, ws, row, OV_NAME, "Svarande aktörer", f->label);
  put_count(b, ws, row++, OV_ACTIVITIES, r->response_count, f->number);
  put_text(b, ws, row, OV_NAME, "Registrerade aktörer", f->label);
  put_count(b, ws, row++, OV_ACTIVITIES, r->actor_count, f->number);
  put_text(b, ws, row, OV_NAME, "Svarsfrekvens", f->label);
  if (r->actor_count)
    put_number(b, ws, row, OV_ACTIVITIES, (double)r->response_count / (double)r->actor_count,
               f->percent);
  else
    put_blank(b, ws, row, OV_ACTIVITIES, f->percent);
  row++;
  put_text(b, ws, row, OV_NAME, "Publicerade aktiviteter", f->label);
  put_count(b, ws, row++, OV_ACTIVITIES, r->activity_count, f->number);
  if (r->strategy->subgoal_count) {
    put_text(b, ws, row, OV_NAME, "Delmål med minst en aktivitet", f->label);
    put_text(
        b, ws, row++, OV_ACTIVITIES,
        lr_arena_printf(b->scratch, "%zu av %zu", r->subgoals_covered, r->strategy->subgoal_count),
        f->right);
  }

  row++;
  lxw_row_t header = row;
  row = overview_table(b, ws, row);
  put_text(b, ws, row++, OV_ID,
           r->strategy->subgoal_count
               ? "Varje aktivitet räknas en gång per mål även när den avser flera av målets "
                 "delmål, så delmålens antal kan tillsammans bli fler än målets. Aktörer: antal "
                 "aktörer med minst en aktivitet."
               : "Aktörer: antal aktörer med minst en aktivitet under målet.",
           f->note);
  row++;
  overview_chart(b, ws, row);

  set_width(b, ws, OV_ID, OV_ID, 9, NULL);
  set_width(b, ws, OV_NAME, OV_NAME, OV_NAME_WIDTH, NULL);
  set_width(b, ws, OV_ACTIVITIES, (lxw_col_t)overview_last_column(r), OV_NUMBER_WIDTH, NULL);
  page_setup(b, ws, header, header, true);
}

/* ---- Aktiviteter --------------------------------------------------------- */

enum {
  AC_ACTOR,
  AC_TYPE,
  AC_GOALS,
  AC_SUBGOALS,
  AC_HEADING,
  AC_STATUS,
  AC_DESCRIPTION,
  AC_AREAS,
  AC_PARTNERS,
  AC_TARGET_GROUP,
  AC_ID,
  AC_COLUMNS
};

/* Ids of the goals and of the sub-goals an activity serves, each in
 * strategy order. */
static void activity_targets(book *b, const lr_activity *a, const char **goals,
                             const char **subgoals) {
  const char **g_ids, **s_ids;
  size_t gn, sn;
  lr_activity_target_ids(b->scratch, b->r->strategy, a, &g_ids, &gn, &s_ids, &sn);
  *goals = lr_text_join(b->scratch, g_ids, gn, ", ");
  *subgoals = lr_text_join(b->scratch, s_ids, sn, ", ");
}

/* "Aneby kommun; Polisen", and their types each once: "Kommun; Myndighet". */
static const char *owner_cells(book *b, const lr_activity *a, const char **types) {
  const char **names = lr_arena_array(b->scratch, a->owner_count + 1, sizeof *names);
  const char **kinds = lr_arena_array(b->scratch, a->owner_count + 1, sizeof *kinds);
  size_t nk = 0;
  for (size_t i = 0; i < a->owner_count; i++) {
    names[i] = a->owners[i]->name;
    const char *kind = lr_actor_type_label(a->owners[i]->type);
    bool seen = false;
    for (size_t k = 0; k < nk; k++) seen = seen || kinds[k] == kind;
    if (!seen) kinds[nk++] = kind;
  }
  *types = lr_text_join(b->scratch, kinds, nk, "; ");
  return lr_text_join(b->scratch, names, a->owner_count, "; ");
}

/* The cells of one published activity, as the sheet shows them: a joint
 * activity is one row that names all its owners. */
static void activity_cells(book *b, const lr_activity *a, const char **cells) {
  cells[AC_ACTOR] = owner_cells(b, a, &cells[AC_TYPE]);
  cells[AC_ID] = a->id;
  activity_targets(b, a, &cells[AC_GOALS], &cells[AC_SUBGOALS]);
  cells[AC_HEADING] = a->heading;
  cells[AC_STATUS] = lr_status_label(a->status);
  const char *text = b->text && a->description ? b->text(b->text_context, a->description) : NULL;
  cells[AC_DESCRIPTION] = text ? text : lr_markdown_text(b->scratch, a->description);
  const char **names =
      lr_arena_array(b->scratch, a->area_count + a->partner_count + 1, sizeof *names);
  for (size_t k = 0; k < a->area_count; k++) names[k] = a->areas[k]->name;
  cells[AC_AREAS] = lr_text_join(b->scratch, names, a->area_count, "; ");
  for (size_t k = 0; k < a->partner_count; k++) names[k] = a->partners[k]->name;
  cells[AC_PARTNERS] = lr_text_join(b->scratch, names, a->partner_count, "; ");
  cells[AC_TARGET_GROUP] = a->target_group;
}

static void write_activities(book *b) {
  const lr_report *r = b->r;
  lxw_worksheet *ws = add_sheet(b, SHEET_ACTIVITIES);
  if (!ws) return;
  static const char *const labels[AC_COLUMNS] = {
      [AC_ACTOR] = "Aktör",
      [AC_TYPE] = "Aktörstyp",
      [AC_GOALS] = "Mål",
      [AC_SUBGOALS] = "Delmål",
      [AC_HEADING] = "Rubrik",
      [AC_STATUS] = "Status",
      [AC_DESCRIPTION] = "Beskrivning",
      [AC_AREAS] = "Områden",
      [AC_PARTNERS] = "Samverkan",
      [AC_TARGET_GROUP] = "Målgrupp",
      [AC_ID] = "Id",
  };
  /* Columns fit their content within bounds; longer text wraps. */
  static const double min_width[AC_COLUMNS] = {
      [AC_ACTOR] = 12,    [AC_TYPE] = 12,         [AC_GOALS] = 7,        [AC_SUBGOALS] = 9,
      [AC_HEADING] = 20,  [AC_STATUS] = 11,       [AC_DESCRIPTION] = 30, [AC_AREAS] = 12,
      [AC_PARTNERS] = 12, [AC_TARGET_GROUP] = 12,    [AC_ID] = 8,
  };
  static const double max_width[AC_COLUMNS] = {
      [AC_ACTOR] = 28,    [AC_TYPE] = 15,         [AC_GOALS] = 10,       [AC_SUBGOALS] = 14,
      [AC_HEADING] = 40,  [AC_STATUS] = 12,       [AC_DESCRIPTION] = 70, [AC_AREAS] = 30,
      [AC_PARTNERS] = 30, [AC_TARGET_GROUP] = 25,    [AC_ID] = 30,
  };
  double width[AC_COLUMNS];
  for (int c = 0; c < AC_COLUMNS; c++)
    width[c] = (double)text_width(labels[c]) + 4; /* room for the filter button */

  /* First the cells, so that every width is known before any row's
   * height is estimated. */
  size_t n = 0;
  const char **cells =
      lr_arena_array(b->scratch, (r->activity_count + 1) * AC_COLUMNS, sizeof *cells);
  for (size_t i = 0; i < r->year->statement_count; i++) {
    const lr_statement *s = &r->year->statements[i];
    for (size_t j = 0; j < s->activity_count && n < r->activity_count; j++) {
      if (s->activities[j].internal || s->activities[j].copy) continue;
      const char **row = &cells[n++ * AC_COLUMNS];
      activity_cells(b, &s->activities[j], row);
      for (int c = 0; c < AC_COLUMNS; c++) {
        double w = (double)text_width_upto(row[c], (size_t)max_width[c]) + 2;
        if (w > width[c]) width[c] = w;
      }
    }
  }
  for (int c = 0; c < AC_COLUMNS; c++) {
    if (width[c] < min_width[c]) width[c] = min_width[c];
    if (width[c] > max_width[c]) width[c] = max_width[c];
    set_width(b, ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
  }

  put_header(b, ws, 0, labels, AC_COLUMNS);
  for (size_t i = 0; i < n && !b->error; i++) {
    const char **row = &cells[i * AC_COLUMNS];
    size_t lines = 1;
    for (int c = 0; c < AC_COLUMNS; c++) {
      put_text(b, ws, (lxw_row_t)(i + 1), (lxw_col_t)c, row[c], b->f.wrap);
      size_t l = wrapped_lines(row[c], width[c], false);
      if (l > lines) lines = l;
    }
    fit_row(b, ws, (lxw_row_t)(i + 1), lines);
  }
  if (b->error) return;
  worksheet_freeze_panes(ws, 1, 0);
  check(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, AC_COLUMNS - 1), "worksheet_autofilter");
  page_setup(b, ws, 0, 0, true);
}

/* ---- Täckning ------------------------------------------------------------ */

/* One coverage column: a sub-goal, or a goal that has none. */
typedef struct coverage_column {
  const lr_goal_summary *goal;
  const lr_subgoal_summary *subgoal; /* NULL: the goal itself */
} coverage_column;

static void write_coverage(book *b) {
  const lr_report *r = b->r;
  const lr_strategy *st = r->strategy;
  const formats *f = &b->f;
  lxw_worksheet *ws = add_sheet(b, SHEET_COVERAGE);
  if (!ws) return;

  coverage_column *cols =
      lr_arena_array(b->scratch, st->subgoal_count + st->goal_count + 1, sizeof *cols);
  size_t ncols = 0;
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal_summary *gs = &r->goals[g];
    if (!gs->goal->subgoal_count) cols[ncols++] = (coverage_column){gs, NULL};
    for (size_t k = 0; k < gs->goal->subgoal_count; k++)
      cols[ncols++] = (coverage_column){gs, &gs->subgoals[k]};
  }
  bool by_subgoal = st->subgoal_count > 0;

  put_text(b, ws, 0, 0,
           by_subgoal ? "Aktiviteter per aktör och delmål" : "Aktiviteter per aktör och mål",
           f->title);
  put_text(b, ws, 1, 0,
           by_subgoal ? "Antal publicerade aktiviteter. En aktivitet kan avse flera delmål; "
                        "kolumnen Totalt räknar varje aktivitet en gång. Grå rader: aktören har "
                        "inte svarat."
                      : "Antal publicerade aktiviteter. En aktivitet kan avse flera mål; kolumnen "
                        "Totalt räknar varje aktivitet en gång. Grå rader: aktören har inte "
                        "svarat.",
           f->note);

  /* With sub-goals, two header rows: a goal over its sub-goals, then each
   * column's own label; a goal without sub-goals is its own column, named
   * in the lower row. Without sub-goals the lower row is enough. */
  const lxw_row_t group_row = 3, header_row = by_subgoal ? 4 : 3, first = header_row + 1;
  const lxw_col_t first_col = 2, total_col = (lxw_col_t)(first_col + ncols);
  if (by_subgoal) {
    put_blank(b, ws, group_row, 0, f->header_group);
    put_blank(b, ws, group_row, 1, f->header_group);
    put_blank(b, ws, group_row, total_col, f->header_group);
  }
  /* Row by row: the workbook is written in constant memory, where a row
   * is final once the next one begins (lr_workbook_write_with). */
  for (size_t c = 0; by_subgoal && c < ncols;) {
    const lr_goal_summary *gs = cols[c].goal;
    size_t span = gs->goal->subgoal_count ? gs->goal->subgoal_count : 1;
    lxw_col_t from = (lxw_col_t)(first_col + c), to = (lxw_col_t)(first_col + c + span - 1);
    const char *label = lr_arena_printf(b->scratch, "Mål %s", gs->goal->id);
    if (!cols[c].subgoal)
      put_blank(b, ws, group_row, from, f->header_group);
    else if (span > 1 && !b->error) /* libxlsxwriter refuses a one-cell merge */
      check(b, worksheet_merge_range(ws, group_row, from, group_row, to, label, f->header_group),
            "worksheet_merge_range");
    else
      put_text(b, ws, group_row, from, label, f->header_group);
    c += span;
  }
  put_text(b, ws, header_row, 0, "Aktör", f->header);
  put_text(b, ws, header_row, 1, "Svar", f->header);
  for (size_t c = 0; c < ncols; c++) {
    const char *label = cols[c].subgoal ? cols[c].subgoal->subgoal->id
                                        : lr_arena_printf(b->scratch, "Mål %s", cols[c].goal->goal->id);
    put_text(b, ws, header_row, (lxw_col_t)(first_col + c), label, f->header_group);
  }
  put_text(b, ws, header_row, total_col, "Totalt", f->header_group);

  lxw_row_t row = first;
  size_t name_width = 10;
  for (size_t i = 0; i < r->actor_count; i++) {
    const lr_actor_summary *as = &r->actors[i];
    bool answered = as->statement != NULL;
    put_text(b, ws, row, 0, as->actor->name, answered ? f->text : f->muted);
    put_text(b, ws, row, 1, answered ? "Svarat" : "Inget svar", answered ? f->text : f->muted);
    for (size_t c = 0; c < ncols; c++) {
      lxw_col_t col = (lxw_col_t)(first_col + c);
      if (!answered)
        put_blank(b, ws, row, col, f->muted_blank);
      else if (cols[c].subgoal)
        put_count(b, ws, row, col, as->per_subgoal[cols[c].subgoal->subgoal->index], f->count);
      else
        put_count(b, ws, row, col, as->per_goal[cols[c].goal->goal->index], f->count);
    }
    if (answered)
      put_count(b, ws, row, total_col, as->activity_count, f->row_total);
    else
      put_blank(b, ws, row, total_col, f->muted_blank);
    size_t w = text_width(as->actor->name) + 2;
    if (w > name_width) name_width = w;
    row++;
  }
  lxw_row_t last_actor = row - 1;

  put_text(b, ws, row, 0, "Totalt", f->total_text);
  put_blank(b, ws, row, 1, f->total_text);
  for (size_t c = 0; c < ncols; c++) {
    size_t n = cols[c].subgoal ? cols[c].subgoal->activity_count : cols[c].goal->activity_count;
    put_count(b, ws, row, (lxw_col_t)(first_col + c), n, f->total_number);
  }
  put_count(b, ws, row, total_col, r->activity_count, f->total_number);

  if (r->actor_count && ncols && !b->error) {
    lxw_conditional_format scale = {
        .type = LXW_CONDITIONAL_2_COLOR_SCALE,
        .min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
        .min_value = 0,
        .min_color = 0xFFFFFF,
        .max_rule_type = LXW_CONDITIONAL_RULE_TYPE_MAXIMUM,
        .max_color = 0x63BE7B,
    };
    check(b,
          worksheet_conditional_format_range(ws, first, first_col, last_actor,
                                             (lxw_col_t)(total_col - 1), &scale),
          "worksheet_conditional_format_range");
  }

  set_width(b, ws, 0, 0, name_width > 40 ? 40 : (double)name_width, NULL);
  set_width(b, ws, 1, 1, 11, NULL);
  if (ncols) set_width(b, ws, first_col, (lxw_col_t)(total_col - 1), 7, NULL);
  set_width(b, ws, total_col, total_col, 8, NULL);
  if (b->error) return;
  worksheet_freeze_panes(ws, first, first_col);
  page_setup(b, ws, group_row, header_row, true);
}

/* ---- Aktörer ------------------------------------------------------------- */

enum {
  AK_NAME,
  AK_TYPE,
  AK_ANSWERED,
  AK_RECEIVED,
  AK_PLAN,
  AK_ACTIVITIES,
  AK_CONTACT,
  AK_EMAIL,
  AK_COLUMNS
};

/* Published outputs name organisations, never people: the contact
 * persons and addresses are in the internal workbook only. */
static void write_actors(book *b) {
  const lr_report *r = b->r;
  const formats *f = &b->f;
  lxw_worksheet *ws = add_sheet(b, SHEET_ACTORS);
  if (!ws) return;
  int columns = b->internal ? AK_COLUMNS : AK_CONTACT;
  static const char *const labels[AK_COLUMNS] = {
      [AK_NAME] = "Aktör",
      [AK_TYPE] = "Typ",
      [AK_ANSWERED] = "Svarat",
      [AK_RECEIVED] = "Inkom",
      [AK_PLAN] = "Styrdokument",
      [AK_ACTIVITIES] = "Aktiviteter",
      [AK_CONTACT] = "Kontaktperson",
      [AK_EMAIL] = "E-post",
  };
  for (int c = 0; c < columns; c++)
    put_text(b, ws, 0, (lxw_col_t)c, labels[c], c == AK_ACTIVITIES ? f->header_group : f->header);

  size_t name_width = 10, contact_width = 16, email_width = 12;
  for (size_t i = 0; i < r->actor_count; i++) {
    const lr_actor_summary *as = &r->actors[i];
    const lr_actor *actor = as->actor;
    const lr_statement *s = as->statement;
    lxw_row_t row = (lxw_row_t)(i + 1);
    put_text(b, ws, row, AK_NAME, actor->name, f->text);
    put_text(b, ws, row, AK_TYPE, lr_actor_type_label(actor->type), f->text);
    put_text(b, ws, row, AK_ANSWERED, s ? "Ja" : "Nej", f->text);
    put_date(b, ws, row, AK_RECEIVED, s ? s->received : (lr_date){0}, f->date);
    put_text(b, ws, row, AK_PLAN, s ? lr_plan_status_label(s->plan_status) : NULL, f->text);
    if (s)
      put_count(b, ws, row, AK_ACTIVITIES, as->activity_count, f->center);
    else
      put_blank(b, ws, row, AK_ACTIVITIES, f->center);
    size_t w = text_width(actor->name) + 2;
    if (w > name_width) name_width = w;
    if (!b->internal) continue;
    const char *email =
        s && s->contact_email ? s->contact_email : lr_text_join(b->scratch, actor->emails, actor->email_count, ", ");
    put_text(b, ws, row, AK_CONTACT, s ? s->contact_name : NULL, f->text);
    put_text(b, ws, row, AK_EMAIL, email, f->text);
    w = text_width(s ? s->contact_name : NULL) + 2;
    if (w > contact_width) contact_width = w;
    w = text_width(email) + 2;
    if (w > email_width) email_width = w;
  }

  set_width(b, ws, AK_NAME, AK_NAME, name_width > 45 ? 45 : (double)name_width, NULL);
  set_width(b, ws, AK_TYPE, AK_TYPE, 15, NULL);
  set_width(b, ws, AK_ANSWERED, AK_ANSWERED, 10, NULL);
  set_width(b, ws, AK_RECEIVED, AK_RECEIVED, 12, NULL);
  set_width(b, ws, AK_PLAN, AK_PLAN, 16, NULL);
  set_width(b, ws, AK_ACTIVITIES, AK_ACTIVITIES, 13, NULL);
  if (b->internal) {
    set_width(b, ws, AK_CONTACT, AK_CONTACT, contact_width > 35 ? 35 : (double)contact_width, NULL);
    set_width(b, ws, AK_EMAIL, AK_EMAIL, email_width > 50 ? 50 : (double)email_width, NULL);
  }
  if (b->error) return;
  worksheet_freeze_panes(ws, 1, 0);
  check(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->actor_count, (lxw_col_t)(columns - 1)),
        "worksheet_autofilter");
  page_setup(b, ws, 0, 0, true);
}

/* ---- Jämförelse ---------------------------------------------------------- */

enum { CMP_ID, CMP_NAME, CMP_BEFORE, CMP_AFTER, CMP_CHANGE, CMP_NOTE, CMP_COLUMNS };

static void comparison_row(book *b, lxw_worksheet *ws, lxw_row_t row, lr_count_change c,
                           lxw_format *number) {
  put_count(b, ws, row, CMP_BEFORE, c.before, number);
  put_count(b, ws, row, CMP_AFTER, c.after, number);
  put_number(b, ws, row, CMP_CHANGE, (double)c.after - (double)c.before, b->f.change);
}

/* What happened to the coverage of a sub-goal, or of a goal without
 * sub-goals, as the comparison found it. */
static const char *coverage_note(bool gained, bool lost) {
  if (gained) return "Ny täckning";
  if (lost) return "Saknar nu aktivitet";
  return NULL;
}

static bool has_goal(const lr_goal *const *goals, size_t n, const lr_goal *goal) {
  for (size_t i = 0; i < n; i++)
    if (goals[i] == goal) return true;
  return false;
}

static bool has_subgoal(const lr_subgoal *const *subgoals, size_t n, const lr_subgoal *sg) {
  for (size_t i = 0; i < n; i++)
    if (subgoals[i] == sg) return true;
  return false;
}

static lxw_row_t actor_list(book *b, lxw_worksheet *ws, lxw_row_t row, const char *label,
                            const lr_actor *const *actors, size_t n) {
  if (!n) return row;
  const char **names = lr_arena_array(b->scratch, n, sizeof *names);
  for (size_t i = 0; i < n; i++) names[i] = actors[i]->name;
  const char *list = lr_text_join(b->scratch, names, n, ", ");
  put_text(b, ws, row, CMP_ID, label, b->f.label);
  put_text(b, ws, row + 1, CMP_NAME, list, b->f.wrap);
  fit_row(b, ws, row + 1, wrapped_lines(list, OV_NAME_WIDTH, false));
  return row + 3;
}

static void write_comparison(book *b) {
  const lr_report *r = b->r;
  const lr_comparison *c = r->comparison;
  const formats *f = &b->f;
  lxw_worksheet *ws = add_sheet(b, SHEET_COMPARISON);
  if (!ws) return;
  set_width(b, ws, CMP_ID, CMP_ID, 9, NULL);
  set_width(b, ws, CMP_NAME, CMP_NAME, OV_NAME_WIDTH, NULL);
  set_width(b, ws, CMP_BEFORE, CMP_CHANGE, OV_NUMBER_WIDTH, NULL);
  set_width(b, ws, CMP_NOTE, CMP_NOTE, 22, NULL);
  int year = r->year->year;
  if (!c) {
    put_text(b, ws, 0, CMP_ID, lr_arena_printf(b->scratch, "Jämförelse med %d", year - 1),
             f->title);
    put_text(b, ws, 2, CMP_ID,
             lr_sentence_no_previous_year(b->scratch, year),
             f->text);
    page_setup(b, ws, 0, 0, false);
    return;
  }

  const char *before = lr_arena_printf(b->scratch, "%d", c->year_before);
  const char *after = lr_arena_printf(b->scratch, "%d", c->year_after);
  put_text(b, ws, 0, CMP_ID,
           lr_arena_printf(b->scratch, "Jämförelse %d och %d", c->year_before, c->year_after),
           f->title);
  put_text(b, ws, 1, CMP_ID,
           "Publicerade aktiviteter; aktiviteter markerade som interna ingår inte.", f->note);

  const char *labels[CMP_COLUMNS] = {
      [CMP_ID] = "Id",     [CMP_NAME] = goal_column_label(r), [CMP_BEFORE] = before,
      [CMP_AFTER] = after, [CMP_CHANGE] = "Förändring",       [CMP_NOTE] = "Täckning",
  };
  lxw_row_t row = 3;
  put_blank(b, ws, row, CMP_ID, f->header);
  put_blank(b, ws, row, CMP_NAME, f->header);
  for (int k = CMP_BEFORE; k <= CMP_CHANGE; k++)
    put_text(b, ws, row, (lxw_col_t)k, labels[k],
             k == CMP_CHANGE ? f->header_group : f->header_number);
  row++;
  put_text(b, ws, row, CMP_NAME, "Svarande aktörer", f->text);
  comparison_row(b, ws, row++, c->statements, f->number);
  put_text(b, ws, row, CMP_NAME, "Publicerade aktiviteter", f->text);
  comparison_row(b, ws, row++, c->activities, f->number);

  row++;
  put_text(b, ws, row, CMP_ID, labels[CMP_ID], f->header);
  put_text(b, ws, row, CMP_NAME, labels[CMP_NAME], f->header);
  for (int k = CMP_BEFORE; k <= CMP_CHANGE; k++)
    put_text(b, ws, row, (lxw_col_t)k, labels[k],
             k == CMP_CHANGE ? f->header_group : f->header_number);
  put_text(b, ws, row, CMP_NOTE, labels[CMP_NOTE], f->header);
  row++;
  for (size_t g = 0; g < r->strategy->goal_count; g++) {
    const lr_goal *goal = r->goals[g].goal;
    put_text(b, ws, row, CMP_ID, goal->id, f->goal_id);
    put_text(b, ws, row, CMP_NAME, goal->name, f->goal_text);
    comparison_row(b, ws, row, c->per_goal[g], f->goal_number);
    const char *note = NULL;
    if (!goal->subgoal_count)
      note = coverage_note(has_goal(c->goals_gained, c->goals_gained_count, goal),
                           has_goal(c->goals_lost, c->goals_lost_count, goal));
    put_text(b, ws, row, CMP_NOTE, note, f->goal_text);
    fit_row(b, ws, row++, wrapped_lines(goal->name, OV_NAME_WIDTH, true));
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      const lr_subgoal *sg = &goal->subgoals[k];
      put_text(b, ws, row, CMP_ID, sg->id, f->text);
      put_text(b, ws, row, CMP_NAME, sg->text, f->subgoal_text);
      comparison_row(b, ws, row, c->per_subgoal[sg->index], f->number);
      put_text(b, ws, row, CMP_NOTE,
               coverage_note(has_subgoal(c->gained, c->gained_count, sg),
                             has_subgoal(c->lost, c->lost_count, sg)),
               f->text);
      fit_row(b, ws, row++, wrapped_lines(sg->text, OV_NAME_WIDTH - SUBGOAL_INDENT_WIDTH, false));
    }
  }
  put_text(b, ws, row++, CMP_ID,
           r->strategy->subgoal_count
               ? "Varje aktivitet räknas en gång per mål även när den avser flera av målets "
                 "delmål."
               : "Varje aktivitet räknas en gång per mål.",
           f->note);
  /* A revision between the years: the rows are this year's version. */
  if (c->revision_note_count)
    put_text(b, ws, row++, CMP_ID,
             lr_arena_printf(b->scratch, "Strategin reviderades mellan åren; aktiviteterna %d är räknade under "
                             "de mål och delmål de blev i versionen för %d.", c->year_before, c->year_after),
             f->note);
  for (size_t i = 0; i < c->revision_note_count; i++)
    put_text(b, ws, row++, CMP_ID, lr_revision_note_text(b->scratch, c->revision_notes[i]), f->note);

  row++;
  row = actor_list(
      b, ws, row,
      lr_arena_printf(b->scratch, "Svarade %d men inte %d", c->year_before, c->year_after),
      c->answered_only_before, c->only_before_count);
  row = actor_list(
      b, ws, row,
      lr_arena_printf(b->scratch, "Svarade %d men inte %d", c->year_after, c->year_before),
      c->answered_only_after, c->only_after_count);
  if (c->plan_change_count) {
    put_text(b, ws, row++, CMP_ID, "Ändrad status för styrdokument", f->label);
    put_blank(b, ws, row, CMP_ID, f->header);
    put_text(b, ws, row, CMP_NAME, "Aktör", f->header);
    put_text(b, ws, row, CMP_BEFORE, before, f->header);
    put_text(b, ws, row, CMP_AFTER, after, f->header);
    row++;
    for (size_t i = 0; i < c->plan_change_count; i++, row++) {
      const lr_plan_change *pc = &c->plan_changes[i];
      put_text(b, ws, row, CMP_NAME, pc->actor->name, f->text);
      put_text(b, ws, row, CMP_BEFORE, lr_plan_status_label(pc->before), f->wrap);
      put_text(b, ws, row, CMP_AFTER, lr_plan_status_label(pc->after), f->wrap);
    }
  }
  /* No repeated header: on a later page it would head the lists too. */
  page_setup(b, ws, 0, 0, false);
}

/* ---- Uppföljning ---------------------------------------------------------- */

enum { FU_OWNERS, FU_ID, FU_HEADING, FU_GOALS, FU_BEFORE, FU_AFTER, FU_COLUMNS };

/* Plan versus outcome: one row per activity that was planned or ongoing
 * the year before, with what became of it. */
static void write_followup(book *b) {
  const lr_report *r = b->r;
  const lr_comparison *c = r->comparison;
  const formats *f = &b->f;
  lxw_worksheet *ws = add_sheet(b, SHEET_FOLLOWUP);
  if (!ws) return;
  int year = r->year->year;
  put_text(b, ws, 0, 0, lr_arena_printf(b->scratch, "Från plan till utfall %s", lr_report_span(b->scratch, r)),
           f->title);
  if (!c) {
    put_text(b, ws, 2, 0, lr_sentence_no_previous_year(b->scratch, year), f->text);
    page_setup(b, ws, 0, 0, false);
    return;
  }
  put_text(b, ws, 1, 0,
           lr_sentence_followup_until(b->scratch, c->outcome_counts, c->year_before, followed_to(b), false),
           f->note);
  const char *labels[FU_COLUMNS] = {
      [FU_OWNERS] = "Ansvariga",
      [FU_ID] = "Id",
      [FU_HEADING] = "Rubrik",
      [FU_GOALS] = "Mål",
      [FU_BEFORE] = lr_arena_printf(b->scratch, "Status %d", c->year_before),
      [FU_AFTER] = lr_arena_printf(b->scratch, "Utfall %s", followed_to(b)),
  };
  static const double widths[FU_COLUMNS] = {
      [FU_OWNERS] = 30, [FU_ID] = 22, [FU_HEADING] = 40, [FU_GOALS] = 10, [FU_BEFORE] = 14, [FU_AFTER] = 20,
  };
  for (int k = 0; k < FU_COLUMNS; k++) set_width(b, ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
  lxw_row_t header = 3;
  put_header(b, ws, header, labels, FU_COLUMNS);
  lxw_row_t row = header + 1;
  for (size_t i = 0; i < c->followup_count && !b->error; i++, row++) {
    const lr_followup *fu = &c->followups[i];
    const lr_activity *a = fu->before.activity;
    const char *types, *goals, *subgoals;
    const char *owners = owner_cells(b, a, &types);
    activity_targets(b, a, &goals, &subgoals);
    put_text(b, ws, row, FU_OWNERS, owners, f->wrap);
    put_text(b, ws, row, FU_ID, a->id, f->wrap);
    put_text(b, ws, row, FU_HEADING, a->heading, f->wrap);
    put_text(b, ws, row, FU_GOALS, goals, f->wrap);
    put_text(b, ws, row, FU_BEFORE, lr_status_label(a->status), f->wrap);
    put_text(b, ws, row, FU_AFTER, lr_outcome_label(fu->outcome), f->wrap);
    size_t lines = wrapped_lines(owners, widths[FU_OWNERS], false);
    size_t l = wrapped_lines(a->heading, widths[FU_HEADING], false);
    fit_row(b, ws, row, l > lines ? l : lines);
  }
  if (b->error) return;
  if (c->followup_count) {
    worksheet_freeze_panes(ws, header + 1, 0);
    check(b, worksheet_autofilter(ws, header, 0, row - 1, FU_COLUMNS - 1), "worksheet_autofilter");
  }
  size_t without_id = 0;
  for (size_t i = 0; i < c->new_count; i++) without_id += !c->new_activities[i].activity->id;
  put_text(b, ws, row + 1, 0,
           lr_sentence_new_activities(b->scratch, c->new_count - without_id, without_id, followed_to(b),
                                      c->year_before),
           f->note);
  page_setup(b, ws, header, header, true);
}

/* ---- Indikatorer ---------------------------------------------------------- */

enum { IN_NAME, IN_UNIT, IN_ACTOR, IN_TYPE, IN_NOW, IN_BEFORE, IN_CHANGE, IN_JUDGEMENT, IN_COMMENT,
       IN_COLUMNS };

static const char *judgement_label(int j) { return j > 0 ? "Bättre" : j < 0 ? "Sämre" : "Oförändrad"; }

/* A value, or a blank where there is none: a zero would be a figure. */
static void put_value(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, bool has, double v,
                      lxw_format *format) {
  if (has) put_number(b, ws, row, col, v, format);
  else put_blank(b, ws, row, col, format);
}

/* One row per actor and indicator with this year's value, last year's
 * and the change, then the county's figure (a sum, or for a share the
 * median) for the indicator. Values are numbers, so that the county can
 * sum and filter them itself. */
static void write_indicators(book *b) {
  const lr_report *r = b->r;
  const lr_strategy *st = &r->project->strategy;
  if (!st->indicator_count) return;
  const formats *f = &b->f;
  lxw_worksheet *ws = add_sheet(b, SHEET_INDICATORS);
  lxw_format *value = new_format(b), *change = new_format(b), *total = new_format(b),
             *total_change = new_format(b);
  if (!ws || !value || !change || !total || !total_change) return;
  format_set_num_format(change, "+General;-General;0");
  format_set_bold(total);
  format_set_top(total, LXW_BORDER_THIN);
  format_set_bold(total_change);
  format_set_top(total_change, LXW_BORDER_THIN);
  format_set_num_format(total_change, "+General;-General;0");
  int year = r->year->year, before = r->previous ? r->previous->year : year - 1;
  put_text(b, ws, 0, 0, lr_arena_printf(b->scratch, "Länsgemensamma indikatorer %d", year), f->title);
  put_text(b, ws, 1, 0,
           "Länets siffra är summan av aktörernas värden; för en andel i procent är den medianen. "
           "Förändringen bedöms bara när samma aktörer har rapporterat båda åren.",
           f->note);
  const char *labels[IN_COLUMNS] = {
      [IN_NAME] = "Indikator", [IN_UNIT] = "Enhet", [IN_ACTOR] = "Aktör", [IN_TYPE] = "Typ",
      [IN_NOW] = lr_arena_printf(b->scratch, "%d", year),
      [IN_BEFORE] = lr_arena_printf(b->scratch, "%d", before),
      [IN_CHANGE] = "Förändring", [IN_JUDGEMENT] = "Bedömning", [IN_COMMENT] = "Kommentar",
  };
  static const double widths[IN_COLUMNS] = {
      [IN_NAME] = 40, [IN_UNIT] = 10, [IN_ACTOR] = 34, [IN_TYPE] = 14, [IN_NOW] = 10,
      [IN_BEFORE] = 10, [IN_CHANGE] = 12, [IN_JUDGEMENT] = 13, [IN_COMMENT] = 40,
  };
  for (int k = 0; k < IN_COLUMNS; k++) set_width(b, ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
  lxw_row_t header = 3, row = header + 1;
  put_header(b, ws, header, labels, IN_COLUMNS);
  lr_indicator_summary *sums = lr_indicators_summarise(b->scratch, r->project, r->year, r->previous);
  for (size_t i = 0; i < st->indicator_count && !b->error; i++) {
    const lr_indicator_summary *s = &sums[i];
    const lr_indicator *ind = s->indicator;
    bool same_actors = lr_indicator_comparable(s);
    for (size_t k = 0; k < s->entry_count; k++, row++) {
      const lr_indicator_entry *e = &s->entries[k];
      put_text(b, ws, row, IN_NAME, ind->name, f->wrap);
      put_text(b, ws, row, IN_UNIT, ind->unit, f->text);
      put_text(b, ws, row, IN_ACTOR, e->actor->name, f->wrap);
      put_text(b, ws, row, IN_TYPE, lr_actor_type_label(e->actor->type), f->text);
      put_value(b, ws, row, IN_NOW, e->value, e->value ? e->value->value : 0, value);
      put_value(b, ws, row, IN_BEFORE, e->previous, e->previous ? e->previous->value : 0, value);
      bool both = e->value && e->previous;
      put_value(b, ws, row, IN_CHANGE, both, both ? e->value->value - e->previous->value : 0, change);
      put_text(b, ws, row, IN_JUDGEMENT,
               both ? judgement_label(lr_indicator_judgement(ind, e->previous->value, e->value->value)) : NULL,
               f->text);
      put_text(b, ws, row, IN_COMMENT, e->value ? e->value->comment : NULL, f->wrap);
      size_t lines = wrapped_lines(ind->name, widths[IN_NAME], false);
      size_t l = wrapped_lines(e->value ? e->value->comment : NULL, widths[IN_COMMENT], false);
      fit_row(b, ws, row, l > lines ? l : lines);
    }
    bool share = lr_indicator_is_share(ind);
    put_text(b, ws, row, IN_NAME, ind->name, f->total_text);
    put_text(b, ws, row, IN_UNIT, ind->unit, f->total_text);
    put_text(b, ws, row, IN_ACTOR,
             lr_arena_printf(b->scratch, "Länet, %s av %zu %s", share ? "median" : "summa", s->now.count,
                             s->now.count == 1 ? "aktör" : "aktörer"),
             f->total_text);
    put_text(b, ws, row, IN_TYPE, NULL, f->total_text);
    put_value(b, ws, row, IN_NOW, s->now.count, s->now.total, total);
    put_value(b, ws, row, IN_BEFORE, s->before.count, s->before.total, total);
    put_value(b, ws, row, IN_CHANGE, same_actors, s->now.total - s->before.total, total_change);
    put_text(b, ws, row, IN_JUDGEMENT,
             same_actors ? judgement_label(lr_indicator_judgement(ind, s->before.total, s->now.total))
             : s->now.count && s->before.count ? "Ej jämförbar" : NULL,
             f->total_text);
    put_text(b, ws, row, IN_COMMENT, NULL, f->total_text);
    fit_row(b, ws, row, wrapped_lines(ind->name, widths[IN_NAME], true));
    row++;
  }
  if (b->error) return;
  worksheet_freeze_panes(ws, header + 1, 0);
  check(b, worksheet_autofilter(ws, header, 0, row - 1, IN_COLUMNS - 1), "worksheet_autofilter");
  page_setup(b, ws, header, header, true);
}

/* ---- Trender ---------------------------------------------------------------- */

enum { TR_ID, TR_NAME, TR_YEARS }; /* then two columns a year: activities, actors */

static lxw_col_t trend_note_column(const lr_trends *t) { return (lxw_col_t)(TR_YEARS + 2 * t->year_count); }

static void trend_row(book *b, lxw_worksheet *ws, lxw_row_t row, const lr_trends *t, const lr_goal *goal,
                      const lr_subgoal *sg) {
  const formats *f = &b->f;
  bool inexact = false;
  put_text(b, ws, row, TR_ID, sg ? sg->id : goal->id, sg ? f->text : f->goal_id);
  put_text(b, ws, row, TR_NAME, sg ? sg->text : goal->name, sg ? f->subgoal_text : f->goal_text);
  for (size_t y = 0; y < t->year_count; y++) {
    const lr_trend_count *c = sg ? &t->years[y].per_subgoal[sg->index] : &t->years[y].per_goal[goal->index];
    put_count(b, ws, row, (lxw_col_t)(TR_YEARS + 2 * y), c->activities, sg ? f->number : f->goal_number);
    put_count(b, ws, row, (lxw_col_t)(TR_YEARS + 2 * y + 1), c->actors, sg ? f->number : f->goal_number);
    inexact = inexact || c->inexact;
  }
  put_text(b, ws, row, trend_note_column(t), inexact ? "Jämförbarheten påverkas av revisionen" : NULL,
           sg ? f->text : f->goal_text);
  fit_row(b, ws, row, wrapped_lines(sg ? sg->text : goal->name, OV_NAME_WIDTH - (sg ? SUBGOAL_INDENT_WIDTH : 0), !sg));
}

/* Activities per goal and year in a compact block, years down and goals
 * across, which the line chart reads: one line per goal. */
static lxw_row_t trend_chart(book *b, lxw_worksheet *ws, lxw_row_t row, const lr_trends *t) {
  const formats *f = &b->f;
  const lr_strategy *st = t->strategy;
  put_text(b, ws, row++, TR_ID, "Aktiviteter per mål och år", f->label);
  put_text(b, ws, row, TR_ID, "År", f->header);
  put_blank(b, ws, row, TR_NAME, f->header);
  for (size_t g = 0; g < st->goal_count; g++)
    put_text(b, ws, row, (lxw_col_t)(TR_YEARS + g), lr_arena_printf(b->scratch, "Mål %s", st->goals[g].id),
             f->header_number);
  lxw_row_t first = row + 1;
  for (size_t y = 0; y < t->year_count; y++) {
    put_number(b, ws, first + (lxw_row_t)y, TR_ID, t->years[y].year, f->number);
    for (size_t g = 0; g < st->goal_count; g++)
      put_count(b, ws, first + (lxw_row_t)y, (lxw_col_t)(TR_YEARS + g), t->years[y].per_goal[g].activities,
                f->number);
  }
  lxw_row_t last = first + (lxw_row_t)t->year_count - 1;
  if (b->error || !st->goal_count || t->year_count < 2) return last + 2;
  lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_LINE);
  if (!check_ptr(b, chart, "workbook_add_chart")) return last + 2;
  for (size_t g = 0; g < st->goal_count; g++) {
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (!check_ptr(b, series, "chart_add_series")) return last + 2;
    chart_series_set_categories(series, SHEET_TRENDS, first, TR_ID, last, TR_ID);
    chart_series_set_values(series, SHEET_TRENDS, first, (lxw_col_t)(TR_YEARS + g), last, (lxw_col_t)(TR_YEARS + g));
    chart_series_set_name_range(series, SHEET_TRENDS, first - 1, (lxw_col_t)(TR_YEARS + g));
    chart_series_set_marker_type(series, LXW_CHART_MARKER_AUTOMATIC);
  }
  chart_title_set_name(chart, "Aktiviteter per mål och år");
  chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
  chart_axis_set_min(chart->y_axis, 0);
  chart_axis_set_num_format(chart->y_axis, "0");
  lxw_chart_options options = {.x_offset = 10, .y_offset = 4, .x_scale = 1.3, .y_scale = 1.1};
  check(b, worksheet_insert_chart_opt(ws, last + 2, TR_NAME, chart, &options), "worksheet_insert_chart_opt");
  return last + 20;
}

/* Every year of the project up to the report's: per goal and sub-goal the
 * activities and their actors, the responses, and the sentences on idle
 * sub-goals and actors who stopped answering. */
static void write_trends(book *b) {
  const lr_trends *t = b->r->trends;
  const formats *f = &b->f;
  if (!t || !t->year_count) return;
  lxw_worksheet *ws = add_sheet(b, SHEET_TRENDS);
  if (!ws) return;
  const lr_strategy *st = t->strategy;
  int first_year = t->years[0].year, year = t->years[t->year_count - 1].year;
  set_width(b, ws, TR_ID, TR_ID, 9, NULL);
  set_width(b, ws, TR_NAME, TR_NAME, OV_NAME_WIDTH, NULL);
  set_width(b, ws, TR_YEARS, (lxw_col_t)(trend_note_column(t) - 1), 11, NULL);
  set_width(b, ws, trend_note_column(t), trend_note_column(t), 22, NULL);
  put_text(b, ws, 0, TR_ID,
           t->year_count > 1 ? lr_arena_printf(b->scratch, "Utveckling över åren %d–%d", first_year, year)
                             : lr_arena_printf(b->scratch, "Utveckling över åren: bara %d", year),
           f->title);
  put_text(b, ws, 1, TR_ID,
           lr_arena_printf(b->scratch,
                           "Publicerade aktiviteter, var och en en gång per mål och delmål, i målstrukturen "
                           "som gäller %d; aktörer är de ansvariga för dem.",
                           year),
           f->note);
  lxw_row_t row = 3;
  put_blank(b, ws, row, TR_ID, f->header);
  put_blank(b, ws, row, TR_NAME, f->header);
  for (size_t y = 0; y < t->year_count && !b->error; y++) {
    lxw_col_t col = (lxw_col_t)(TR_YEARS + 2 * y);
    check(b, worksheet_merge_range(ws, row, col, row, col + 1, lr_arena_printf(b->scratch, "%d", t->years[y].year),
                                   f->header_group),
          "worksheet_merge_range");
  }
  put_blank(b, ws, row, trend_note_column(t), f->header);
  put_blank(b, ws, row + 1, TR_ID, f->header);
  put_text(b, ws, row + 1, TR_NAME, goal_column_label(b->r), f->header);
  for (size_t y = 0; y < t->year_count; y++) {
    lxw_col_t col = (lxw_col_t)(TR_YEARS + 2 * y);
    put_text(b, ws, row + 1, col, "Aktiviteter", f->header_number);
    put_text(b, ws, row + 1, col + 1, "Aktörer", f->header_number);
  }
  put_text(b, ws, row + 1, trend_note_column(t), "Anmärkning", f->header);
  row += 2;
  lxw_row_t header_last = row - 1;
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    trend_row(b, ws, row++, t, goal, NULL);
    for (size_t k = 0; k < goal->subgoal_count; k++) trend_row(b, ws, row++, t, goal, &goal->subgoals[k]);
  }

  row++;
  put_text(b, ws, row++, TR_ID, "Svar per år", f->label);
  static const char *const rate_labels[] = {"År", "", "Svar", "Registrerade", "Svarsfrekvens", "Aktiviteter"};
  for (size_t k = 0; k < sizeof rate_labels / sizeof *rate_labels; k++)
    put_text(b, ws, row, (lxw_col_t)k, rate_labels[k], k < 2 ? f->header : f->header_number);
  row++;
  for (size_t y = 0; y < t->year_count; y++, row++) {
    const lr_trend_year *ty = &t->years[y];
    put_number(b, ws, row, 0, ty->year, f->number);
    put_count(b, ws, row, 2, ty->responses, f->number);
    put_count(b, ws, row, 3, ty->registered, f->number);
    put_number(b, ws, row, 4, ty->registered ? (double)ty->responses / (double)ty->registered : 0, f->percent);
    put_count(b, ws, row, 5, ty->activities, f->number);
  }
  row++;
  /* The county's figure of each shared indicator, under the year columns
   * of the table above; a blank where nobody reported it. */
  const lr_strategy *shared = &b->r->project->strategy;
  if (shared->indicator_count) {
    put_text(b, ws, row++, TR_ID, "Länsgemensamma indikatorer per år (summa, för en andel medianen)", f->label);
    put_text(b, ws, row, TR_ID, "Id", f->header);
    put_text(b, ws, row, TR_NAME, "Indikator", f->header);
    for (size_t y = 0; y < t->year_count; y++)
      put_text(b, ws, row, (lxw_col_t)(TR_YEARS + 2 * y), lr_arena_printf(b->scratch, "%d", t->years[y].year),
               f->header_number);
    row++;
    for (size_t i = 0; i < shared->indicator_count; i++, row++) {
      const lr_indicator *ind = &shared->indicators[i];
      put_text(b, ws, row, TR_ID, ind->id, f->text);
      put_text(b, ws, row, TR_NAME,
               lr_arena_printf(b->scratch, "%s (%s, %s)", ind->name, ind->unit,
                               lr_indicator_is_share(ind) ? "median" : "summa"),
               f->wrap);
      for (size_t y = 0; y < t->year_count; y++) {
        const lr_indicator_total *total = &t->years[y].indicators[i];
        put_value(b, ws, row, (lxw_col_t)(TR_YEARS + 2 * y), total->count, total->total, f->number);
      }
    }
    row++;
  }
  for (size_t i = 0; i < t->stale_count; i++) {
    const lr_stale_target *s = &t->stale[i];
    if (i == 0) put_text(b, ws, row++, TR_ID, "Delmål utan aktivitet", f->label);
    put_text(b, ws, row, TR_ID, s->target.subgoal ? s->target.subgoal->id : s->target.goal->id, f->text);
    put_text(b, ws, row, TR_NAME, s->target.subgoal ? s->target.subgoal->text : s->target.goal->name, f->wrap);
    put_text(b, ws, row++, TR_YEARS,
             s->last_year ? lr_arena_printf(b->scratch, "inget sedan %d", s->last_year) : "inget under perioden",
             f->text);
    if (i + 1 == t->stale_count) row++;
  }
  for (size_t i = 0; i < t->stopped_count; i++) {
    if (i == 0) put_text(b, ws, row++, TR_ID, "Aktörer som har slutat svara", f->label);
    put_text(b, ws, row, TR_NAME, t->stopped[i].actor->name, f->text);
    put_text(b, ws, row++, TR_YEARS, lr_arena_printf(b->scratch, "svarade senast %d", t->stopped[i].last_year),
             f->text);
    if (i + 1 == t->stopped_count) row++;
  }
  trend_chart(b, ws, row, t);
  if (b->error) return;
  worksheet_freeze_panes(ws, header_last + 1, TR_YEARS);
  page_setup(b, ws, 3, header_last, true);
}

/* ---- document properties -------------------------------------------------- */

/* Midnight UTC of the last "inkom" date: a creation time that depends on
 * the data alone, so rebuilding the same data gives the same bytes. */
static time_t created_time(const lr_report *r) {
  return (time_t)(lr_date_days(lr_year_last_received(r->year)) * 86400);
}

/* Document properties hold at most 255 characters in some readers. */
static char *property(book *b, const char *s) {
  size_t n = strlen(s);
  if (n <= 255) return lr_arena_strdup(b->scratch, s);
  n = 255;
  while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return lr_arena_strndup(b->scratch, s, n);
}

static void set_properties(book *b) {
  const lr_report *r = b->r;
  const lr_config *config = lr_project_config(r->project);
  const char *region = region_name(b);
  const char *author = config->sender_name && *config->sender_name ? config->sender_name : region;
  /* The company is the Länsstyrelse as the registry names it, when it is there. */
  const char *company = author;
  for (size_t i = 0; i < r->actor_count; i++)
    if (r->actors[i].actor->type == LR_ACTOR_LANSSTYRELSE) {
      company = r->actors[i].actor->name;
      break;
    }
  lxw_doc_properties props = {
      .title = property(b, lr_arena_printf(b->scratch, "%s – %s", report_title(b), region)),
      .subject = property(b, r->strategy->name ? r->strategy->name : ""),
      .author = property(b, author),
      .company = property(b, company),
      .keywords =
          property(b, lr_arena_printf(b->scratch, "lägesrapport, mäns våld mot kvinnor, %s, %s",
                                      region, lr_report_span(b->scratch, r))),
      .comments = property(b, lr_sentence_workbook_comment(b->scratch, lr_report_span(b->scratch, r))),
      .created = created_time(r),
  };
  if (b->error) return;
  check(b, workbook_set_properties(b->wb, &props), "workbook_set_properties");
}

/* ---- the workbook ---------------------------------------------------------- */

bool lr_workbook_write(const lr_report *report, const char *path, bool internal,
                       lr_diag_list *diags) {
  return lr_workbook_write_with(report, path, internal, NULL, NULL, diags);
}

bool lr_workbook_write_with(const lr_report *report, const char *path, bool internal,
                            lr_prose_text_fn text, const void *context, lr_diag_list *diags) {
  lr_loc loc = {lr_arena_strdup(diags->arena, path), 0, 0};
  /* libxlsxwriter opens the file only when closing, and then prints its
   * own error; trying first gives a clear message, and nothing printed. */
  struct stat st;
  bool existed = stat(path, &st) == 0;
  /* On failure only a regular file is removed, and only one this call
   * created or began to overwrite: never a device such as /dev/full. */
  bool removable = !existed || S_ISREG(st.st_mode);
  FILE *probe = fopen(path, existed ? "r+b" : "wb");
  if (!probe) {
    lr_diag_add(diags, LR_ERROR, loc, "kunde inte skriva arbetsboken: %s", lr_errno_text(errno));
    return false;
  }
  fclose(probe);

  book b = {.r = report, .internal = internal, .text = text, .text_context = context,
            .scratch = lr_arena_new_large()};
  /* libxlsxwriter's scratch files beside the workbook rather than in
   * $TMPDIR: a build killed meanwhile leaves them in its staging folder,
   * which the next build clears (lr_outputs). */
  const char *slash = strrchr(path, '/');
  char *tmpdir = lr_arena_strndup(b.scratch, slash ? path : ".",
                                  slash ? (size_t)(slash - path + (slash == path)) : 1);
  b.wb = workbook_new_opt(path, &(lxw_workbook_options){.constant_memory = LXW_TRUE,
                                                        .tmpdir = tmpdir});
  if (check_ptr(&b, b.wb, "workbook_new")) {
    make_formats(&b);
    set_properties(&b);
    write_overview(&b);
    write_activities(&b);
    write_coverage(&b);
    write_actors(&b);
    write_comparison(&b);
    write_followup(&b);
    write_trends(&b);
    write_indicators(&b);
  }

  bool written = false;
  if (b.wb && b.error == LXW_NO_ERROR) {
    written = true; /* from here on the file may hold part of a workbook */
    check(&b, workbook_close(b.wb), "workbook_close");
  } else if (b.wb) {
    lxw_workbook_free(b.wb); /* frees without writing anything */
  }

  bool ok = b.error == LXW_NO_ERROR;
  if (!ok) {
    lr_diag_add(diags, LR_ERROR, loc, "kunde inte skriva arbetsboken: %s (%s)",
                lxw_strerror(b.error), b.failed);
    if (removable && (written || !existed)) remove(path);
  }
  lr_arena_free(b.scratch);
  return ok;
}
