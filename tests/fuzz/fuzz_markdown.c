/* Fuzz target: a prose field (the whole input) through every Markdown
 * path of lib/markdown.c — safe HTML, the cleaned CommonMark of the .md
 * report, plain text for the workbook — and a name or heading through the
 * Markdown escape. Besides crashes, a finding is output a reader must not
 * get: an image, raw HTML, a script link or a control character, in the
 * Markdown read back by cmark or in the HTML. */
#include "render/render.h"
#include "fuzz.h"
#include "readback.h"

/* Bytes that are not UTF-8 replaced by "?". */
static void make_utf8(char *s, size_t n) {
  size_t bad;
  while (!lr_utf8_valid(s, n, &bad)) s[bad] = '?';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *prose = fuzz_copy(data, size);
  size_t n = strlen(prose);
  lr_arena *arena = lr_arena_new();
  /* The loader passes only valid UTF-8 (lib/source.c). Other bytes are
   * rendered too, for crashes, but the checks are of what a statement can
   * hold: pieces of invalid sequences in two texts can make a character
   * when the texts are joined. */
  size_t bad;
  if (!lr_utf8_valid(prose, n, &bad)) {
    const char *html = NULL, *clean = NULL;
    lr_markdown_render(arena, prose, &html, &clean);
    lr_markdown_text(arena, prose);
    make_utf8(prose, n);
  }

  const char *html = NULL, *clean = NULL;
  lr_markdown_render(arena, prose, &html, &clean);
  const char *unsafe = readback_markdown_unsafe(clean, strlen(clean));
  FUZZ_ASSERT(!unsafe, "the Markdown shows %s:\n%s", unsafe, clean);
  unsafe = readback_html_unsafe(html, strlen(html));
  FUZZ_ASSERT(!unsafe, "the HTML shows %s:\n%s", unsafe, html);

  /* One parse for both formats gives what a parse for each does. */
  const char *html_only = NULL, *clean_only = NULL;
  lr_markdown_render(arena, prose, &html_only, NULL);
  lr_markdown_render(arena, prose, NULL, &clean_only);
  FUZZ_ASSERT(strcmp(html_only, html) == 0, "the HTML differs");
  FUZZ_ASSERT(strcmp(clean_only, clean) == 0, "the Markdown differs");

  const char *text = lr_markdown_text(arena, prose);
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    FUZZ_ASSERT(!readback_is_control(p), "the plain text has a control character");

  /* A name or heading is escaped text: nothing in it may become a link,
   * an image or HTML, in a table cell or a heading. */
  lr_buf escaped = {0};
  lr_escape_markdown(prose, n, &escaped);
  lr_buf cell = {0};
  lr_buf_puts(&cell, "| a |\n|---|\n| ");
  lr_buf_put(&cell, escaped.data ? escaped.data : "", escaped.len);
  lr_buf_puts(&cell, " |\n\n#### ");
  lr_buf_put(&cell, escaped.data ? escaped.data : "", escaped.len);
  lr_buf_putc(&cell, '\n');
  FUZZ_ASSERT(!fuzz_find_control(escaped.data ? escaped.data : "", escaped.len),
              "the escaped text has a control byte");
  FUZZ_ASSERT(!memchr(escaped.data ? escaped.data : "", '\n', escaped.len),
              "the escaped text has a line break");
  unsafe = readback_markdown_unsafe(cell.data, cell.len);
  FUZZ_ASSERT(!unsafe, "the escaped text shows %s:\n%s", unsafe, cell.data);
  cmark_node *doc = cmark_parse_document(cell.data, cell.len, CMARK_OPT_DEFAULT);
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
    FUZZ_ASSERT(cmark_node_get_type(cmark_iter_get_node(it)) != CMARK_NODE_LINK,
                "the escaped text makes a link:\n%s", cell.data);
  cmark_iter_free(it);
  cmark_node_free(doc);

  lr_buf_free(&cell);
  lr_buf_free(&escaped);
  lr_arena_free(arena);
  free(prose);
  return 0;
}
