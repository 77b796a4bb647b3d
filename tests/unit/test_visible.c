/* What a diagnostic shows of hostile data: control and invisible
 * characters as escapes in the file name, message, hint and quoted line,
 * on a terminal (colours, source line, caret) and off one, and in JSON;
 * and which characters an id may not hold. */
#include "yaml/yaml.h"
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

static const char *formatted(const lr_diag *d, unsigned flags, lr_buf *out) {
  lr_buf_clear(out);
  lr_diag_format(d, flags, out);
  return lr_buf_cstr(out);
}

/* No byte a terminal would obey: C0 but newline and tab, DEL, and C1 as
 * UTF-8 (C2 80–C2 9F). The printer's own colours are taken out first. */
static bool terminal_safe(const char *s) {
  static const char *const colours[] = {"\033[1;31m", "\033[1;33m", "\033[1;32m", "\033[1m", "\033[0m"};
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    bool colour = false;
    for (size_t i = 0; i < sizeof colours / sizeof *colours && !colour; i++) {
      size_t n = strlen(colours[i]);
      if (strncmp((const char *)p, colours[i], n) == 0) p += n, colour = true;
    }
    if (colour) continue;
    if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F) return false;
    if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return false;
    p++;
  }
  return true;
}

static void test_text_diagnostic(void) {
  lr_diag d = {0};
  d.severity = LR_ERROR;
  d.loc = (lr_loc){"a\033[2Jb.yaml", 3, 4};
  d.message = "okänd nyckel \"\033[2JKEY\a\"";
  d.hint = "se \033]0;PWNED\a";
  d.source_line = "\t\"\033[2JKEY\": 1";
  lr_buf out = {0};
  CHECK_STR(formatted(&d, 0, &out),
            "a\\x1b[2Jb.yaml:3:4: fel: okänd nyckel \"\\x1b[2JKEY\\x07\"\n"
            "  tips: se \\x1b]0;PWNED\\x07\n");
  /* On a terminal the line is quoted, and the caret stands under the "["
   * that follows ESC: past the tab, the quote and the four of "\x1b". */
  CHECK_STR(formatted(&d, LR_FORMAT_SOURCE, &out),
            "a\\x1b[2Jb.yaml:3:4: fel: okänd nyckel \"\\x1b[2JKEY\\x07\"\n"
            "    \t\"\\x1b[2JKEY\": 1\n"
            "    \t     ^\n"
            "  tips: se \\x1b]0;PWNED\\x07\n");
  CHECK(terminal_safe(formatted(&d, LR_FORMAT_SOURCE | LR_FORMAT_COLOR, &out)));
  CHECK_CONTAINS(lr_buf_cstr(&out), "\033[1;31mfel:\033[0m"); /* the colours are still there */
  lr_buf_free(&out);
}

static void test_invisible_and_invalid(void) {
  lr_diag d = {0};
  d.severity = LR_WARNING;
  d.loc = (lr_loc){"x.yaml", 1, 7};
  /* C1 CSI, right-to-left override, zero-width space, a tag character,
   * a stray byte; å, an en dash and an emoji are shown as they are. */
  d.message = "\xC2\x9B" "2J \xE2\x80\xAE" "1:1 1:1\xE2\x80\x8B \xF3\xA0\x81\x81 \xFF å – \xF0\x9F\x98\x80";
  d.source_line = "id: \"\xE2\x80\xAE" "1:1\"";
  lr_buf out = {0};
  const char *s = formatted(&d, LR_FORMAT_SOURCE, &out);
  CHECK_STR(s, "x.yaml:1:7: varning: \\u009b2J \\u202e1:1 1:1\\u200b \\U000e0041 \\xff å – \xF0\x9F\x98\x80\n"
               "    id: \"\\u202e1:1\"\n"
               "               ^\n"); /* under the 1, past the six of "\u202e" */
  CHECK(terminal_safe(s));
  lr_buf_free(&out);
}

static void test_json(void) {
  lr_buf out = {0};
  lr_json_string("a\033[2J\a \xC2\x9B \xE2\x80\xAE \xF3\xA0\x81\x81 \xFF \"\\\n\tå \xF0\x9F\x98\x80", &out);
  CHECK_STR(lr_buf_cstr(&out),
            "\"a\\u001b[2J\\u0007 \\u009b \\u202e \\udb40\\udc41 \\ufffd \\\"\\\\\\n\\tå \xF0\x9F\x98\x80\"");
  CHECK(terminal_safe(lr_buf_cstr(&out)));
  lr_buf_free(&out);
}

/* A raw ESC in a file is a YAML error whose quoted line holds it. */
static void test_quoted_line_from_a_file(void) {
  char path[] = "/tmp/lr-test-visible-XXXXXX";
  int fd = mkstemp(path);
  static const char yaml[] = "aktör: aneby\når: \"\033]0;PWNED\a\"\n";
  if (fd < 0 || write(fd, yaml, sizeof yaml - 1) != (ssize_t)(sizeof yaml - 1)) {
    perror(path);
    exit(2);
  }
  close(fd);
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_document_load(arena, &diags, path);
  CHECK_INT(diags.errors, 1);
  if (diags.count) {
    CHECK(diags.items[0].source_line && strchr(diags.items[0].source_line, '\033'));
    lr_buf out = {0};
    const char *s = formatted(&diags.items[0], LR_FORMAT_SOURCE | LR_FORMAT_COLOR, &out);
    CHECK(terminal_safe(s));
    CHECK_CONTAINS(s, "    år: \"\\x1b]0;PWNED\\x07\"\n");
    lr_buf_free(&out);
  }
  unlink(path);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

static void test_hidden_in_ids(void) {
  /* Every character the issue names, and the other controls and
   * formatting characters, each after "1:1". */
  static const uint32_t refused[] = {
      0x00, 0x01, 0x09, 0x0A, 0x1B, 0x7F, 0x80, 0x85, 0x9B, 0x9F, 0xA0, 0xAD, 0x034F, 0x061C,
      0x115F, 0x180E, 0x2000, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A,
      0x202B, 0x202C, 0x202D, 0x202E, 0x202F, 0x2060, 0x2063, 0x2066, 0x2067, 0x2068, 0x2069,
      0x3000, 0x3164, 0xFE0F, 0xFEFF, 0xFFF9, 0x1D173, 0xE0001, 0xE0041, 0xE0100};
  static const uint32_t allowed[] = {' ', '-', ':', '.', 'a', 0xC5, 0xE4, 0xF6, 0xE9, 0x2013,
                                     0x0627, 0x4E2D, 0x1F600};
  lr_arena *arena = lr_arena_new();
  for (int pass = 0; pass < 2; pass++) {
    const uint32_t *list = pass ? allowed : refused;
    size_t n = pass ? sizeof allowed / sizeof *allowed : sizeof refused / sizeof *refused;
    for (size_t i = 0; i < n; i++) {
      char id[16] = "1:1";
      uint32_t c = list[i];
      size_t len = 3;
      if (c < 0x80) id[len++] = (char)c;
      else if (c < 0x800) id[len++] = (char)(0xC0 | c >> 6), id[len++] = (char)(0x80 | (c & 0x3F));
      else if (c < 0x10000)
        id[len++] = (char)(0xE0 | c >> 12), id[len++] = (char)(0x80 | (c >> 6 & 0x3F)),
        id[len++] = (char)(0x80 | (c & 0x3F));
      else
        id[len++] = (char)(0xF0 | c >> 18), id[len++] = (char)(0x80 | (c >> 12 & 0x3F)),
        id[len++] = (char)(0x80 | (c >> 6 & 0x3F)), id[len++] = (char)(0x80 | (c & 0x3F));
      uint32_t found = 0;
      const char *at = lr_id_find_hidden(id, len, &found);
      if (pass == 0 && (at != id + 3 || found != c)) {
        check_failed++;
        fprintf(stderr, "U+%04X is accepted in an id\n", (unsigned)c);
      } else if (pass == 1 && at) {
        check_failed++;
        fprintf(stderr, "U+%04X is refused in an id\n", (unsigned)c);
      } else {
        check_passed++;
      }
    }
  }
  uint32_t c;
  CHECK(lr_id_find_hidden("1:1\xFF", 4, &c) && (c & LR_CHAR_INVALID));
  CHECK_STR(lr_id_without_hidden(arena, "\xE2\x80\xAE" "1:1\xE2\x80\x8B", 9), "1:1");
  CHECK_STR(lr_id_without_hidden(arena, "Mål\xC2\xA0" "1", 7), "Mål 1");
  CHECK_STR(lr_char_describe(arena, 0x200B), "U+200B, nollbreddsmellanslag");
  CHECK_STR(lr_char_describe(arena, 0x202E), "U+202E, styr textens riktning");
  lr_arena_free(arena);
}

int main(void) {
  test_text_diagnostic();
  test_invisible_and_invalid();
  test_json();
  test_quoted_line_from_a_file();
  test_hidden_in_ids();
  return check_report();
}
