/* Diagnostics as values: the library collects every problem with its place
 * and hands the whole list to the caller, which decides how to show it. */
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lr_diag_list_init(lr_diag_list *list, lr_arena *arena) {
  memset(list, 0, sizeof *list);
  list->arena = arena;
}

void lr_diag_list_release(lr_diag_list *list) {
  free(list->items);
  list->items = NULL;
  list->count = list->cap = 0;
}

lr_diag *lr_diag_add(lr_diag_list *list, lr_severity severity, lr_loc loc,
                     const char *fmt, ...) {
  if (list->count == list->cap) {
    list->cap = list->cap ? list->cap * 2 : 16;
    list->items = lr_xrealloc(list->items, list->cap * sizeof *list->items);
  }
  lr_diag *d = &list->items[list->count++];
  memset(d, 0, sizeof *d);
  d->severity = severity;
  d->loc = loc;
  d->order = list->count - 1;
  va_list ap;
  va_start(ap, fmt);
  d->message = lr_arena_vprintf(list->arena, fmt, ap);
  va_end(ap);
  if (severity == LR_ERROR)
    list->errors++;
  else
    list->warnings++;
  return d;
}

void lr_diag_list_truncate(lr_diag_list *list, size_t count) {
  while (list->count > count) {
    if (list->items[--list->count].severity == LR_ERROR)
      list->errors--;
    else
      list->warnings--;
  }
}

void lr_diag_hint(lr_diag_list *list, lr_diag *diag, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag->hint = lr_arena_vprintf(list->arena, fmt, ap);
  va_end(ap);
}

void lr_diag_list_move(lr_diag_list *into, lr_diag_list *from) {
  for (size_t i = 0; i < from->count; i++) {
    if (into->count == into->cap) {
      into->cap = into->cap ? into->cap * 2 : 16;
      into->items = lr_xrealloc(into->items, into->cap * sizeof *into->items);
    }
    lr_diag *d = &into->items[into->count++];
    *d = from->items[i];
    d->order = into->count - 1;
  }
  into->errors += from->errors;
  into->warnings += from->warnings;
  lr_diag_list_release(from);
  from->errors = from->warnings = 0;
}

static int compare_diag(const void *pa, const void *pb) {
  const lr_diag *a = pa, *b = pb;
  const char *fa = a->loc.file ? a->loc.file : "";
  const char *fb = b->loc.file ? b->loc.file : "";
  int c = strcmp(fa, fb);
  if (c) return c;
  if (a->loc.line != b->loc.line) return a->loc.line < b->loc.line ? -1 : 1;
  if (a->loc.column != b->loc.column)
    return a->loc.column < b->loc.column ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order; /* qsort is not stable */
}

void lr_diag_list_sort(lr_diag_list *list) {
  if (list->count > 1)
    qsort(list->items, list->count, sizeof *list->items, compare_diag);
}

/* Spaces up to the 1-based `column`, counted in characters as shown (an
 * escaped character is as wide as its escape), then a caret; tabs in the
 * line are repeated so the caret lines up under them. */
static void put_caret(const char *line, int column, lr_buf *out) {
  lr_buf_puts(out, "    ");
  size_t n = strlen(line);
  int chars = 0;
  for (size_t i = 0, len; i < n && chars < column - 1; i += len, chars++) {
    char esc[LR_CHAR_ESCAPE_MAX];
    size_t width = lr_char_escape(line + i, n - i, &len, esc);
    if (line[i] == '\t')
      lr_buf_putc(out, '\t');
    else
      for (size_t k = 0; k < (width ? width : 1); k++) lr_buf_putc(out, ' ');
  }
  lr_buf_putc(out, '^');
}

/* Everything that can come from the data (the file's name, the message,
 * the hint, the quoted line) goes through lr_buf_put_visible: an escape
 * sequence in a statement must reach the terminal as text, never as a
 * command, whether or not stderr is a terminal. */
void lr_diag_format(const lr_diag *d, unsigned flags, lr_buf *out) {
  bool color = flags & LR_FORMAT_COLOR;
  const char *kind = d->severity == LR_ERROR ? "fel" : "varning";
  const char *on = !color ? "" : d->severity == LR_ERROR ? "\033[1;31m" : "\033[1;33m";
  const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
  lr_buf_puts(out, bold);
  if (d->loc.file && d->loc.line > 0) {
    lr_buf_put_visible(out, d->loc.file);
    lr_buf_printf(out, ":%d:%d:", d->loc.line, d->loc.column > 0 ? d->loc.column : 1);
  } else if (d->loc.file) {
    lr_buf_put_visible(out, d->loc.file);
    lr_buf_putc(out, ':');
  } else {
    lr_buf_puts(out, "lagesrapport:");
  }
  lr_buf_printf(out, "%s %s%s:%s ", off, on, kind, off);
  lr_buf_put_visible(out, d->message);
  lr_buf_putc(out, '\n');
  if ((flags & LR_FORMAT_SOURCE) && d->source_line && d->loc.line > 0) {
    lr_buf_puts(out, "    ");
    lr_buf_put_visible(out, d->source_line);
    lr_buf_putc(out, '\n');
    if (color) lr_buf_puts(out, "\033[1;32m");
    put_caret(d->source_line, d->loc.column > 0 ? d->loc.column : 1, out);
    lr_buf_puts(out, color ? "\033[0m\n" : "\n");
  }
  if (d->hint) {
    lr_buf_puts(out, "  tips: ");
    lr_buf_put_visible(out, d->hint);
    lr_buf_putc(out, '\n');
  }
}

/* Control and invisible characters are escaped too, although JSON would
 * allow most of them raw: the output is valid JSON either way, and stays
 * harmless when it is read on a terminal. */
void lr_json_string(const char *s, lr_buf *out) {
  lr_buf_putc(out, '"');
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0, len; i < n; i += len) {
    uint32_t c = lr_char_decode(s + i, n - i, &len);
    switch (c) {
    case '"': lr_buf_puts(out, "\\\""); break;
    case '\\': lr_buf_puts(out, "\\\\"); break;
    case '\n': lr_buf_puts(out, "\\n"); break;
    case '\r': lr_buf_puts(out, "\\r"); break;
    case '\t': lr_buf_puts(out, "\\t"); break;
    default:
      if (c & LR_CHAR_INVALID)
        lr_buf_puts(out, "\\ufffd"); /* JSON is Unicode: a stray byte has no escape */
      else if (!lr_char_is_invisible(c))
        lr_buf_put(out, s + i, len);
      else if (c <= 0xFFFF)
        lr_buf_printf(out, "\\u%04x", (unsigned)c);
      else /* a surrogate pair */
        lr_buf_printf(out, "\\u%04x\\u%04x", (unsigned)(0xD800 + ((c - 0x10000) >> 10)),
                      (unsigned)(0xDC00 + ((c - 0x10000) & 0x3FF)));
    }
  }
  lr_buf_putc(out, '"');
}

void lr_diag_list_json(const lr_diag_list *list, lr_buf *out) {
  lr_buf_puts(out, "[");
  for (size_t i = 0; i < list->count; i++) {
    const lr_diag *d = &list->items[i];
    lr_buf_puts(out, i ? ",\n    {" : "\n    {");
    lr_buf_puts(out, "\"severity\": ");
    lr_json_string(d->severity == LR_ERROR ? "error" : "warning", out);
    lr_buf_puts(out, ", \"file\": ");
    if (d->loc.file)
      lr_json_string(d->loc.file, out);
    else
      lr_buf_puts(out, "null");
    lr_buf_printf(out, ", \"line\": %d, \"column\": %d, \"message\": ",
                  d->loc.line, d->loc.column);
    lr_json_string(d->message, out);
    lr_buf_puts(out, ", \"hint\": ");
    if (d->hint)
      lr_json_string(d->hint, out);
    else
      lr_buf_puts(out, "null");
    lr_buf_puts(out, "}");
  }
  lr_buf_puts(out, list->count ? "\n  ]" : "]");
}

void lr_diag_list_format(lr_diag_list *list, unsigned flags, lr_buf *out) {
  lr_diag_list_sort(list);
  for (size_t i = 0; i < list->count; i++) lr_diag_format(&list->items[i], flags, out);
}
