/* Prose fields through cmark: safe HTML fragments for the HTML pages,
 * cleaned CommonMark for the Markdown report, plain text for the workbook.
 * cmark (0.30) is safe by default; the clean and plain renderers walk the
 * tree themselves so that raw HTML never survives in any output. */
#include "render/render.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The field cut at LR_PROSE_MAX on a character (and, if near, a line)
 * boundary, with a note saying so. */
static const char *capped(lr_arena *arena, const char *s, size_t *len) {
  size_t n = strlen(s);
  if (n <= LR_PROSE_MAX) {
    *len = n;
    return s;
  }
  size_t cut = LR_PROSE_MAX;
  while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
  for (size_t back = cut; back > LR_PROSE_MAX - 2048; back--)
    if (s[back] == '\n') {
      cut = back;
      break;
    }
  char *out = lr_arena_printf(arena, "%.*s\n\n*(Texten är avkortad: den är %zu kB, rapporten visar de första %d kB.)*\n",
                              (int)cut, s, n / 1024, LR_PROSE_MAX / 1024);
  *len = strlen(out);
  return out;
}

static bool unsafe_url(const char *url) {
  if (!url) return false;
  while (*url == ' ') url++;
  static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (strncasecmp(url, bad[i], strlen(bad[i])) == 0) return true;
  return false;
}

/* Removes raw HTML, empties unsafe link targets and turns images into
 * links, as cmark's HTML renderer would not: an image would be fetched
 * when the mail is opened, a tracking pixel in the county's own report.
 * The tree is changed only after the walk, since an iterator cannot step
 * on from a node that has been unlinked. */
static cmark_node *parse_safe(lr_arena *arena, const char *markdown) {
  size_t len;
  const char *text = capped(arena, markdown, &len);
  cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
  if (!doc) lr_die_oom();
  cmark_node **html = NULL, **images = NULL;
  size_t html_n = 0, images_n = 0, html_cap = 0, images_cap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      if (html_n == html_cap) html = lr_xrealloc(html, (html_cap = html_cap * 2 + 8) * sizeof *html);
      html[html_n++] = node;
    } else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      if (unsafe_url(cmark_node_get_url(node))) cmark_node_set_url(node, "");
      if (type == CMARK_NODE_IMAGE) {
        if (images_n == images_cap) images = lr_xrealloc(images, (images_cap = images_cap * 2 + 8) * sizeof *images);
        images[images_n++] = node;
      }
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < html_n; i++) cmark_node_free(html[i]); /* free unlinks too */
  for (size_t i = 0; i < images_n; i++) {
    cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
    if (!link) lr_die_oom();
    cmark_node_set_url(link, cmark_node_get_url(images[i]));
    cmark_node *child;
    while ((child = cmark_node_first_child(images[i]))) cmark_node_append_child(link, child);
    cmark_node_insert_before(images[i], link);
    cmark_node_free(images[i]);
  }
  free(html);
  free(images);
  return doc;
}

static const char *keep(lr_arena *arena, char *rendered) {
  const char *out = lr_arena_strdup(arena, rendered);
  free(rendered);
  return out;
}

void lr_markdown_render(lr_arena *arena, const char *markdown, const char **html,
                        const char **clean) {
  cmark_node *doc = parse_safe(arena, markdown);
  if (html) *html = keep(arena, cmark_render_html(doc, CMARK_OPT_DEFAULT));
  if (clean) {
    char *out = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
    if (!out) lr_die_oom();
    /* The renderer ends with a newline; templates place their own. */
    size_t n = strlen(out);
    while (n && out[n - 1] == '\n') n--;
    *clean = lr_arena_strndup(arena, out, n);
    free(out);
  }
  cmark_node_free(doc);
}

const char *lr_markdown_text(lr_arena *arena, const char *markdown) {
  if (!markdown) return NULL;
  cmark_node *doc = parse_safe(arena, markdown);
  lr_buf b = {0};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER) {
      switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE: lr_buf_puts(&b, cmark_node_get_literal(node)); break;
      case CMARK_NODE_CODE_BLOCK: lr_buf_puts(&b, cmark_node_get_literal(node)); break;
      case CMARK_NODE_SOFTBREAK: lr_buf_putc(&b, ' '); break;
      case CMARK_NODE_LINEBREAK: lr_buf_putc(&b, '\n'); break;
      case CMARK_NODE_ITEM: lr_buf_puts(&b, "• "); break;
      default: break;
      }
    } else if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
               type == CMARK_NODE_CODE_BLOCK) {
      /* Inside a list item, a paragraph ends a line; elsewhere a block. */
      cmark_node *parent = cmark_node_parent(node);
      bool tight = parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM;
      lr_buf_puts(&b, tight ? "\n" : "\n\n");
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  size_t n = b.len;
  while (n && (b.data[n - 1] == '\n' || b.data[n - 1] == ' ')) n--;
  const char *out = lr_arena_strndup(arena, b.data ? b.data : "", n);
  lr_buf_free(&b);
  return out;
}

/* Copies runs of plain text whole: a national report escapes every
 * heading, name and id, tens of megabytes a character at a time. */
void lr_escape_markdown(const char *s, size_t n, lr_buf *out) {
  size_t done = 0;
  for (size_t i = 0; i < n; i++) {
    switch (s[i]) {
    case '\n':
      lr_buf_put(out, s + done, i - done);
      lr_buf_putc(out, ' ');
      done = i + 1;
      break;
    case '\\': case '`': case '*': case '_': case '[': case ']': case '<':
    case '>': case '|': case '#': case '&': case '!': case '~':
      lr_buf_put(out, s + done, i - done);
      lr_buf_putc(out, '\\');
      done = i; /* the character itself starts the next run */
      break;
    default: break;
    }
  }
  lr_buf_put(out, s + done, n - done);
}
