/* Characters a reader cannot see for what they are: control characters,
 * which a terminal obeys (move the cursor, retitle the window, clear the
 * screen), and invisible formatting ones (zero-width, direction controls,
 * BOM, soft hyphen). One definition serves both the ids, which must not
 * hold them, and the diagnostics, which show them as escapes, so whatever
 * an id is refused for is also what its error message makes visible. */
#include "util/util.h"

#include <stdio.h>
#include <string.h>

/* The character at s; an invalid or truncated sequence is one byte,
 * returned as LR_CHAR_INVALID | byte, so that nothing is ever skipped. */
uint32_t lr_char_decode(const char *s, size_t n, size_t *len) {
  const unsigned char *p = (const unsigned char *)s;
  *len = 1;
  if (n == 0) return LR_CHAR_INVALID;
  if (p[0] < 0x80) return p[0];
  size_t need;
  uint32_t c, min;
  if (p[0] >= 0xC2 && p[0] <= 0xDF) need = 2, c = p[0] & 0x1F, min = 0x80;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF) need = 3, c = p[0] & 0x0F, min = 0x800;
  else if (p[0] >= 0xF0 && p[0] <= 0xF4) need = 4, c = p[0] & 0x07, min = 0x10000;
  else return LR_CHAR_INVALID | p[0];
  if (n < need) return LR_CHAR_INVALID | p[0];
  for (size_t i = 1; i < need; i++) {
    if ((p[i] & 0xC0) != 0x80) return LR_CHAR_INVALID | p[0];
    c = c << 6 | (p[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return LR_CHAR_INVALID | p[0];
  *len = need;
  return c;
}

bool lr_char_is_invisible(uint32_t c) {
  if (c & LR_CHAR_INVALID) return true;
  if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return true; /* C0, DEL, C1 */
  if (c < 0xAD) return false; /* the common case: ASCII and Latin-1 letters */
  /* Unicode's format characters (Cf), and the fillers and selectors that
   * draw nothing although they are not Cf. */
  static const struct { uint32_t from, to; } ranges[] = {
      {0x00AD, 0x00AD},   {0x034F, 0x034F},   {0x0600, 0x0605},   {0x061C, 0x061C},
      {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},
      {0x115F, 0x1160},   {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x200B, 0x200F},
      {0x2028, 0x202E},   {0x2060, 0x206F},   {0x3164, 0x3164},   {0xFE00, 0xFE0F},
      {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
      {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
      {0xE0000, 0xE0FFF},
  };
  for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
    if (c >= ranges[i].from && c <= ranges[i].to) return true;
  return false;
}

bool lr_char_is_other_space(uint32_t c) {
  return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

const char *lr_char_describe(lr_arena *arena, uint32_t c) {
  if (c & LR_CHAR_INVALID) return lr_arena_printf(arena, "byten 0x%02X, ogiltig UTF-8", c & 0xFF);
  const char *name = NULL;
  if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) name = "kontrolltecken";
  else if (c == 0xAD) name = "mjukt bindestreck";
  else if (c == 0x200B) name = "nollbreddsmellanslag";
  else if (c == 0x200C) name = "nollbredds icke-sammanfogare";
  else if (c == 0x200D) name = "nollbreddssammanfogare";
  else if (c == 0x2060) name = "ordsammanfogare";
  else if (c == 0xFEFF) name = "BOM, nollbredds hårt mellanslag";
  else if (c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
    name = "styr textens riktning";
  else if (c == 0xA0 || c == 0x202F) name = "hårt mellanslag";
  else if (c == 0x3000) name = "ideografiskt mellanslag";
  else if (lr_char_is_other_space(c)) name = "typografiskt mellanslag";
  else name = "syns inte";
  return lr_arena_printf(arena, "U+%04X, %s", (unsigned)c, name);
}

const char *lr_id_find_hidden(const char *s, size_t n, uint32_t *hidden) {
  for (size_t i = 0, len; i < n; i += len) {
    uint32_t c = lr_char_decode(s + i, n - i, &len);
    if (lr_char_is_invisible(c) || lr_char_is_other_space(c)) {
      *hidden = c;
      return s + i;
    }
  }
  return NULL;
}

const char *lr_id_without_hidden(lr_arena *arena, const char *s, size_t n) {
  lr_buf b = {0};
  for (size_t i = 0, len; i < n; i += len) {
    uint32_t c = lr_char_decode(s + i, n - i, &len);
    if (lr_char_is_other_space(c)) lr_buf_putc(&b, ' ');
    else if (!lr_char_is_invisible(c)) lr_buf_put(&b, s + i, len);
  }
  const char *out = lr_arena_strndup(arena, b.data ? b.data : "", b.len);
  lr_buf_free(&b);
  return out;
}

/* The escapes are those of a YAML double-quoted string, so a reader can
 * search the file for what the message shows. */
size_t lr_char_escape(const char *s, size_t n, size_t *len, char out[LR_CHAR_ESCAPE_MAX]) {
  uint32_t c = lr_char_decode(s, n, len);
  if (c == '\t' || !lr_char_is_invisible(c)) return 0;
  int w;
  if (c & LR_CHAR_INVALID || c < 0x80) w = snprintf(out, LR_CHAR_ESCAPE_MAX, "\\x%02x", c & 0xFF);
  else if (c <= 0xFFFF) w = snprintf(out, LR_CHAR_ESCAPE_MAX, "\\u%04x", (unsigned)c);
  else w = snprintf(out, LR_CHAR_ESCAPE_MAX, "\\U%08x", (unsigned)c);
  return w > 0 ? (size_t)w : 0;
}

void lr_buf_put_visible(lr_buf *out, const char *s) {
  size_t n = strlen(s);
  for (size_t i = 0, len; i < n; i += len) {
    char esc[LR_CHAR_ESCAPE_MAX];
    size_t w = lr_char_escape(s + i, n - i, &len, esc);
    if (w) lr_buf_put(out, esc, w);
    else lr_buf_put(out, s + i, len);
  }
}
