/* What `check --fix` repairs in a YAML file: only what has one right
 * answer. A Windows-1252 (or Latin-1) file becomes UTF-8, a BOM goes,
 * CRLF becomes LF, and tabs and no-break spaces in indentation become
 * spaces. Nothing else in the text changes, and a repair that leaves the
 * file unreadable, or that could be read more than one way, is refused. */
#include "yaml/yaml.h"

#include <string.h>

/* Windows-1252's 0x80–0x9F; 0 where the code page has no character. */
static const uint16_t CP1252_HIGH[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static void put_utf8(lr_buf *out, uint32_t c) {
  if (c < 0x80) {
    lr_buf_putc(out, (char)c);
  } else if (c < 0x800) {
    lr_buf_putc(out, (char)(0xC0 | c >> 6));
    lr_buf_putc(out, (char)(0x80 | (c & 0x3F)));
  } else {
    lr_buf_putc(out, (char)(0xE0 | c >> 12));
    lr_buf_putc(out, (char)(0x80 | ((c >> 6) & 0x3F)));
    lr_buf_putc(out, (char)(0x80 | (c & 0x3F)));
  }
}

static void note(lr_arena *arena, lr_repair *r, int line, const char *fmt, const char *arg) {
  if (r->note_count == LR_REPAIR_NOTES) return;
  r->notes[r->note_count].line = line;
  r->notes[r->note_count++].change = lr_arena_printf(arena, fmt, arg);
}

/* A byte sequence that is valid UTF-8 above ASCII: in a file that is not
 * UTF-8 as a whole, a sign that two encodings are mixed. */
static bool has_utf8_sequence(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || c < 0xC2 || n - i < len) continue;
    if (lr_utf8_valid(s + i, len, NULL)) return true;
  }
  return false;
}

static bool from_cp1252(lr_arena *arena, lr_repair *r, const char *s, size_t n, lr_buf *out) {
  if (has_utf8_sequence(s, n)) {
    r->refusal = "filen blandar UTF-8 med en annan teckenkodning, så det går inte att avgöra "
                 "vilka tecken som menas";
    return false;
  }
  int line = 1, first = 0, lines = 0, last = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') line++;
    if (c < 0x80) {
      lr_buf_putc(out, (char)c);
      continue;
    }
    uint32_t u = c >= 0xA0 ? c : CP1252_HIGH[c - 0x80];
    if (!u) {
      r->refusal = "filen är varken UTF-8 eller Windows-1252";
      return false;
    }
    put_utf8(out, u);
    if (!first) first = line;
    if (line != last) lines++, last = line;
  }
  note(arena, r, first,
       lines == 1 ? "ändrat teckenkodningen från Windows-1252 till UTF-8%s"
                  : "ändrat teckenkodningen från Windows-1252 till UTF-8 (%s rader, den första här)",
       lines == 1 ? "" : lr_arena_printf(arena, "%d", lines));
  return true;
}

/* Drops the CR of every CRLF; returns how many. */
static int crlf_to_lf(lr_buf *text) {
  size_t w = 0;
  int count = 0;
  for (size_t i = 0; i < text->len; i++) {
    if (text->data[i] == '\r' && i + 1 < text->len && text->data[i + 1] == '\n') {
      count++;
      continue;
    }
    text->data[w++] = text->data[i];
  }
  text->len = w;
  if (text->data) text->data[w] = '\0';
  return count;
}

static bool parses(const char *text, size_t size) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_document *doc = lr_document_parse(arena, &diags, "", text, size);
  bool ok = doc->root && diags.errors == 0;
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
  return ok;
}

static void tree_text(const lr_node *n, lr_buf *out) {
  lr_buf_printf(out, "%d%zu:", (int)n->kind, n->kind == LR_NODE_SCALAR ? n->len : n->count);
  if (n->kind == LR_NODE_SCALAR) {
    lr_buf_put(out, n->text, n->len);
    lr_buf_putc(out, n->plain ? 'p' : 'q');
  }
  for (size_t i = 0; i < n->count; i++) tree_text(n->items[i], out);
}

/* The tree a text parses to, as text to compare; false if it does not. */
static bool tree_of(const char *text, size_t size, lr_buf *out) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_document *doc = lr_document_parse(arena, &diags, "", text, size);
  bool ok = doc->root && diags.errors == 0;
  if (ok) tree_text(doc->root, out);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
  return ok;
}

/* A tab's width is not in the file. Each common width is tried; the tabs
 * are replaced only if every width that gives a readable file gives the
 * same content, so the choice cannot change what the file says. */
static int tab_width(const lr_buf *text, lr_repair *r) {
  static const int widths[] = {4, 2, 8};
  int chosen = 0;
  lr_buf first = {0}, other = {0};
  for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
    lr_buf repaired = {0};
    lr_indent_repair(text->data, text->len, widths[i], &repaired);
    lr_buf *tree = chosen ? &other : &first;
    lr_buf_clear(tree);
    bool ok = tree_of(repaired.data ? repaired.data : "", repaired.len, tree);
    lr_buf_free(&repaired);
    if (!ok) continue;
    if (!chosen) {
      chosen = widths[i];
    } else if (tree->len != first.len || memcmp(tree->data, first.data, first.len) != 0) {
      r->refusal = "tabbarna i indraget kan läsas på mer än ett sätt, beroende på hur bred en "
                   "tabb är";
      chosen = -1;
      break;
    }
  }
  if (!chosen)
    r->refusal = "filen går inte att läsa som YAML ens med tabbarna i indraget utbytta mot "
                 "mellanslag";
  lr_buf_free(&first);
  lr_buf_free(&other);
  return chosen;
}

bool lr_yaml_repair(lr_arena *arena, const char *data, size_t size, lr_buf *out, lr_repair *r) {
  memset(r, 0, sizeof *r);
  lr_buf text = {0};
  if (size >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                    ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
    r->refusal = "filen är sparad som UTF-16; spara den som UTF-8";
    return false;
  }
  if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3, size -= 3;
    note(arena, r, 1, "ändrat: tog bort BOM-tecknet i början av filen%s", "");
  }
  if (memchr(data, '\0', size)) {
    r->refusal = "filen innehåller NUL-tecken och ser ut att vara binär";
    return false;
  }
  if (lr_utf8_valid(data, size, NULL)) {
    lr_buf_put(&text, data, size);
  } else if (!from_cp1252(arena, r, data, size, &text)) {
    lr_buf_free(&text);
    return false;
  }
  int crlf = crlf_to_lf(&text);
  if (crlf)
    note(arena, r, 1, crlf == 1 ? "ändrat radslutet CRLF till LF%s" : "ändrat radsluten CRLF till LF (%s rader)",
         crlf == 1 ? "" : lr_arena_printf(arena, "%d", crlf));

  size_t faults = lr_indent_faults(text.data ? text.data : "", text.len, NULL, 0);
  if (faults) {
    lr_indent_fault *f = lr_arena_array(arena, faults, sizeof *f);
    lr_indent_faults(text.data, text.len, f, faults);
    bool tabs = false;
    for (size_t i = 0; i < faults; i++) tabs = tabs || f[i].character == '\t';
    /* Tabs in a file that reads as it is are text (in a block), not
     * indentation: they stay. */
    lr_buf spaced = {0};
    lr_indent_repair(text.data, text.len, 0, &spaced);
    int width = tabs && !parses(spaced.data ? spaced.data : "", spaced.len) ? tab_width(&spaced, r) : 0;
    lr_buf_free(&spaced);
    if (width < 0 || (tabs && width == 0 && r->refusal)) {
      lr_buf_free(&text);
      return false;
    }
    lr_buf repaired = {0};
    lr_indent_repair(text.data, text.len, width, &repaired);
    for (size_t i = 0; i < faults; i++) {
      /* A line may hold both; each kind is said once per line. */
      bool tab_here = false, space_here = false;
      size_t end = f[i].offset;
      while (end < text.len && text.data[end] != '\n') end++;
      for (size_t k = f[i].offset; k < end && (text.data[k] == ' ' || text.data[k] == '\t' ||
                                               (unsigned char)text.data[k] >= 0x80); k++) {
        if (text.data[k] == '\t') tab_here = true;
        else if ((unsigned char)text.data[k] == 0xC2 && k + 1 < end &&
                 (unsigned char)text.data[k + 1] == 0xA0) space_here = true, k++;
        else if (text.data[k] != ' ') break;
      }
      if (tab_here && width)
        note(arena, r, f[i].line, "ändrat tabb i indraget till mellanslag (en tabb = %s)",
             lr_arena_printf(arena, "%d", width));
      if (space_here)
        note(arena, r, f[i].line, "ändrat hårt mellanslag (U+00A0) i indraget till vanligt mellanslag%s", "");
    }
    lr_buf_free(&text);
    text = repaired;
  }
  if (r->note_count && !parses(text.data ? text.data : "", text.len)) {
    r->refusal = "filen går inte att läsa som YAML ens efter rättningen";
    lr_buf_free(&text);
    return false;
  }
  lr_buf_put(out, text.data ? text.data : "", text.len);
  lr_buf_free(&text);
  return true;
}
