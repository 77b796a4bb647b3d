/* Prose fields through cmark: safe HTML fragments for the HTML pages,
 * cleaned CommonMark for the Markdown report (the source itself where it
 * is safe as written), plain text for the workbook.
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

/* Bytes a renderer would copy through but that no prose has reason to
 * hold: C0 controls other than line break and tab, DEL, and the C1
 * controls (two bytes in UTF-8). The loader refuses raw ones, so these
 * come from character references such as &#1;. Returns their length. */
static size_t control_length(const unsigned char *p) {
  if ((p[0] < 0x20 && p[0] != '\n' && p[0] != '\t') || p[0] == 0x7F) return 1;
  if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return 2;
  return 0;
}

/* s with every control replaced by U+FFFD, so that a reader sees that
 * something was there; in a link target, where a browser skips them (and
 * line breaks and tabs) to find the scheme, they are dropped instead.
 * Returns s itself when it is clean, else text in scratch. */
static const char *without_controls(const char *s, bool link_target, lr_buf *scratch) {
  if (!s) return NULL;
  const unsigned char *p = (const unsigned char *)s;
  bool clean = true;
  for (size_t i = 0; p[i] && clean; i++)
    clean = !control_length(p + i) && !(link_target && (p[i] == '\n' || p[i] == '\t'));
  if (clean) return s;
  lr_buf_clear(scratch);
  for (size_t i = 0; p[i];) {
    size_t n = control_length(p + i);
    if (!n && link_target && (p[i] == '\n' || p[i] == '\t')) n = 1;
    if (n) {
      if (!link_target) lr_buf_puts(scratch, "\xEF\xBF\xBD");
      i += n;
    } else {
      lr_buf_putc(scratch, (char)p[i++]);
    }
  }
  return lr_buf_cstr(scratch);
}

/* Schemes that run code or read local files when a link is followed.
 * The target has no controls left (without_controls), so skipping spaces
 * finds the scheme as a browser would. */
static bool unsafe_url(const char *url) {
  if (!url) return false;
  while (*url == ' ') url++;
  static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (strncasecmp(url, bad[i], strlen(bad[i])) == 0) return true;
  return false;
}

typedef struct link_node {
  cmark_node *node;
  bool nested; /* inside another link or image */
} link_node;

/* Replaces node by its children, keeping their place. */
static void unwrap(cmark_node *node) {
  cmark_node *child;
  while ((child = cmark_node_first_child(node))) cmark_node_insert_before(node, child);
  cmark_node_free(node);
}

/* An image as a link to the same target: an image would be fetched when
 * the page or mail is opened, a tracking pixel in the county's report. */
static void image_to_link(cmark_node *image) {
  cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
  if (!link) lr_die_oom();
  cmark_node_set_url(link, cmark_node_get_url(image));
  cmark_node_set_title(link, cmark_node_get_title(image));
  cmark_node *child;
  while ((child = cmark_node_first_child(image))) cmark_node_append_child(link, child);
  cmark_node_insert_before(image, link);
  cmark_node_free(image);
}

/* Sets a text field of node through setter when cleaning changed it. */
typedef int (*field_setter)(cmark_node *node, const char *value);

static bool clean_field(cmark_node *node, const char *value, bool link_target,
                        field_setter set, lr_buf *scratch) {
  const char *clean = without_controls(value, link_target, scratch);
  if (clean != value) set(node, clean);
  return clean != value;
}

/* The text fields of a node with their controls replaced (or dropped).
 * Whether it changed anything. */
static bool clean_fields(cmark_node *node, lr_buf *scratch) {
  bool changed = false;
  switch (cmark_node_get_type(node)) {
  case CMARK_NODE_TEXT:
  case CMARK_NODE_CODE:
    changed = clean_field(node, cmark_node_get_literal(node), false, cmark_node_set_literal, scratch);
    break;
  case CMARK_NODE_CODE_BLOCK:
    changed = clean_field(node, cmark_node_get_literal(node), false, cmark_node_set_literal, scratch);
    changed |= clean_field(node, cmark_node_get_fence_info(node), false, cmark_node_set_fence_info, scratch);
    break;
  case CMARK_NODE_LINK:
  case CMARK_NODE_IMAGE:
    changed = clean_field(node, cmark_node_get_url(node), true, cmark_node_set_url, scratch);
    if (unsafe_url(cmark_node_get_url(node))) {
      cmark_node_set_url(node, "");
      changed = true;
    }
    changed |= clean_field(node, cmark_node_get_title(node), false, cmark_node_set_title, scratch);
    break;
  default: break;
  }
  return changed;
}

/* Nodes whose source reads the same wherever a template puts it, also
 * after other text on the line ("**Aktör** (pågående): …") and before
 * the template's next line. A heading (a setext one would take the
 * template's text before it), a rule, a code block (an unclosed fence runs
 * to the end of the report), HTML and images are not. */
static bool passes_as_written(cmark_node_type type) {
  switch (type) {
  case CMARK_NODE_DOCUMENT:
  case CMARK_NODE_PARAGRAPH:
  case CMARK_NODE_TEXT:
  case CMARK_NODE_SOFTBREAK:
  case CMARK_NODE_LINEBREAK:
  case CMARK_NODE_EMPH:
  case CMARK_NODE_STRONG:
  case CMARK_NODE_CODE:
  case CMARK_NODE_LINK:
  case CMARK_NODE_LIST:
  case CMARK_NODE_ITEM:
  case CMARK_NODE_BLOCK_QUOTE: return true;
  default: return false;
  }
}

/* Parses a prose field and makes the tree safe for every output: raw HTML
 * removed (cmark's HTML renderer would only hide it, the CommonMark one
 * keeps it), images made links, controls replaced and unsafe link
 * targets emptied. A link or image inside another is reduced to its
 * text, since links cannot nest: a nested one does not read back as the
 * same tree, and that is how an image got back into the Markdown report.
 * The tree is changed only after the walk, since an iterator cannot step
 * on from a node that has been unlinked. */
static cmark_node *parse_safe(lr_arena *arena, const char *markdown, const char **source,
                              size_t *source_len, bool *untouched) {
  size_t len;
  const char *text = capped(arena, markdown, &len);
  if (source) *source = text, *source_len = len;
  /* A link reference definition is global to the page: passed through,
   * one statement's could give another's link its target. */
  bool same = strstr(text, "]:") == NULL;
  for (size_t i = 0; i < len && same; i++) same = !control_length((const unsigned char *)text + i);
  cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
  if (!doc) lr_die_oom();
  cmark_node **html = NULL;
  link_node *links = NULL;
  size_t html_n = 0, links_n = 0, html_cap = 0, links_cap = 0, link_depth = 0;
  lr_buf scratch = {0};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type type = cmark_node_get_type(node);
    bool link = type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE;
    if (ev == CMARK_EVENT_EXIT) {
      if (link) link_depth--;
      continue;
    }
    same = same && passes_as_written(type) && !(link && link_depth > 0);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      if (html_n == html_cap) html = lr_xrealloc(html, (html_cap = html_cap * 2 + 8) * sizeof *html);
      html[html_n++] = node;
      continue;
    }
    if (clean_fields(node, &scratch)) same = false;
    if (link) {
      if (links_n == links_cap) links = lr_xrealloc(links, (links_cap = links_cap * 2 + 8) * sizeof *links);
      links[links_n++] = (link_node){node, link_depth > 0};
      link_depth++;
    }
  }
  cmark_iter_free(it);
  lr_buf_free(&scratch);
  for (size_t i = 0; i < html_n; i++) cmark_node_free(html[i]); /* free unlinks too */
  /* In document order, so an image is made a link before what it holds. */
  for (size_t i = 0; i < links_n; i++) {
    if (links[i].nested)
      unwrap(links[i].node);
    else if (cmark_node_get_type(links[i].node) == CMARK_NODE_IMAGE)
      image_to_link(links[i].node);
  }
  free(html);
  free(links);
  if (untouched) *untouched = same;
  return doc;
}

static const char *keep(lr_arena *arena, char *rendered) {
  if (!rendered) lr_die_oom();
  const char *out = lr_arena_strdup(arena, rendered);
  free(rendered);
  return out;
}

/* The tree's text without markup: paragraphs separated by blank lines,
 * list items on lines of their own. */
static void plain_text(cmark_node *doc, lr_buf *out) {
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER) {
      switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE: lr_buf_puts(out, cmark_node_get_literal(node)); break;
      case CMARK_NODE_CODE_BLOCK: lr_buf_puts(out, cmark_node_get_literal(node)); break;
      case CMARK_NODE_SOFTBREAK: lr_buf_putc(out, ' '); break;
      case CMARK_NODE_LINEBREAK: lr_buf_putc(out, '\n'); break;
      case CMARK_NODE_ITEM: lr_buf_puts(out, "• "); break;
      default: break;
      }
    } else if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
               type == CMARK_NODE_CODE_BLOCK) {
      /* Inside a list item, a paragraph ends a line; elsewhere a block. */
      cmark_node *parent = cmark_node_parent(node);
      bool tight = parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM;
      lr_buf_puts(out, tight ? "\n" : "\n\n");
    }
  }
  cmark_iter_free(it);
  while (out->len && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
    out->data[--out->len] = '\0';
}

/* Whether Markdown, read back by any CommonMark renderer, shows only
 * text and safe links: no image, no raw HTML, no control character, as
 * a byte or through a character reference. */
static bool reads_back_safe(const char *md, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (control_length((const unsigned char *)md + i)) return false;
  cmark_node *doc = cmark_parse_document(md, n, CMARK_OPT_DEFAULT);
  if (!doc) lr_die_oom();
  bool safe = true;
  lr_buf scratch = {0};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while (safe && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) continue;
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_IMAGE:
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE: safe = false; break;
    case CMARK_NODE_LINK: {
      const char *url = cmark_node_get_url(node);
      safe = without_controls(url, true, &scratch) == url && !unsafe_url(url);
      break;
    }
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_CODE_BLOCK: {
      const char *text = cmark_node_get_literal(node);
      safe = without_controls(text, false, &scratch) == text;
      break;
    }
    default: break;
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  lr_buf_free(&scratch);
  return safe;
}

/* cmark's renderer separates a list from a list or code block right after
 * it with an HTML comment, "<!-- end list -->", lest they be read as one.
 * A link reference definition that nothing uses separates them as well
 * and is no HTML, so one is put there first (as a custom block, which
 * the renderer writes as it is). Call only when done with the HTML. */
static void separate_lists(cmark_node *doc) {
  cmark_node **lists = NULL;
  size_t n = 0, cap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_LIST) continue;
    cmark_node *next = cmark_node_next(node);
    cmark_node_type type = next ? cmark_node_get_type(next) : CMARK_NODE_NONE;
    if (type != CMARK_NODE_LIST && type != CMARK_NODE_CODE_BLOCK) continue;
    if (n == cap) lists = lr_xrealloc(lists, (cap = cap * 2 + 8) * sizeof *lists);
    lists[n++] = node;
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < n; i++) {
    cmark_node *separator = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    if (!separator) lr_die_oom();
    cmark_node_set_on_enter(separator, "[//]: #");
    cmark_node_insert_after(lists[i], separator);
  }
  free(lists);
}

/* cmark escapes every "!", and "Du avgör\!" is not how anyone writes.
 * Only "![" starts an image, so an escape is kept before "[" and dropped
 * elsewhere; escapes are read in pairs, so "\\" stays a backslash. The
 * result is read back for safety like everything else. */
static void unescape_exclamations(char *s) {
  char *out = s;
  for (const char *in = s; *in;) {
    if (in[0] == '\\' && in[1] == '!' && in[2] != '[') {
      *out++ = '!';
      in += 2;
    } else if (in[0] == '\\' && in[1]) {
      *out++ = *in++;
      *out++ = *in++;
    } else {
      *out++ = *in++;
    }
  }
  *out = '\0';
}

/* The prose as CommonMark. cmark's renderer does not promise that its
 * output parses back to the same tree, and where it does not, an image
 * has come back before; so the output is read back, and when it is not
 * safe the field is written as escaped plain text instead, each line on
 * its own. */
static const char *clean_markdown(lr_arena *arena, cmark_node *doc) {
  separate_lists(doc);
  char *rendered = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
  if (!rendered) lr_die_oom();
  unescape_exclamations(rendered);
  /* The renderer ends with a newline; templates place their own. */
  size_t n = strlen(rendered);
  while (n && rendered[n - 1] == '\n') n--;
  if (reads_back_safe(rendered, n)) {
    const char *out = lr_arena_strndup(arena, rendered, n);
    free(rendered);
    return out;
  }
  free(rendered);
  lr_buf text = {0}, out = {0};
  plain_text(doc, &text);
  for (size_t i = 0; i < text.len;) {
    size_t end = i;
    while (end < text.len && text.data[end] != '\n') end++;
    size_t start = i;
    while (start < end && (text.data[start] == ' ' || text.data[start] == '\t')) start++;
    lr_escape_markdown(text.data + start, end - start, &out);
    if (end < text.len) lr_buf_putc(&out, '\n');
    i = end + 1;
  }
  const char *kept = lr_arena_strndup(arena, out.data ? out.data : "", out.len);
  lr_buf_free(&text);
  lr_buf_free(&out);
  return kept;
}

/* Source that the safe pass left as it was, for the Markdown report: the
 * source itself reads back as the tree that was found safe, and costs
 * nothing, where cmark's CommonMark renderer was a fifth of a build's
 * work. Without the blank lines around it, as the renderer's; the
 * source's own pointer when there are none. */
static const char *as_written(lr_arena *arena, const char *text, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'); i++)
    if (text[i] == '\n') start = i + 1;
  size_t end = n;
  while (end > start && (text[end - 1] == '\n' || text[end - 1] == ' ' || text[end - 1] == '\t'))
    end--;
  return start == 0 && end == n && text[n] == '\0' ? text
                                                    : lr_arena_strndup(arena, text + start, end - start);
}

static const char *plain_of(lr_arena *arena, cmark_node *doc) {
  lr_buf b = {0};
  plain_text(doc, &b);
  const char *out = lr_arena_strndup(arena, b.data ? b.data : "", b.len);
  lr_buf_free(&b);
  return out;
}

void lr_markdown_render(lr_arena *arena, const char *markdown, const char **html,
                        const char **clean) {
  lr_markdown_render_with_text(arena, markdown, html, clean, NULL);
}

void lr_markdown_render_with_text(lr_arena *arena, const char *markdown, const char **html,
                                  const char **clean, const char **text) {
  const char *source;
  size_t source_len;
  bool untouched;
  cmark_node *doc = parse_safe(arena, markdown, &source, &source_len, &untouched);
  if (text) *text = plain_of(arena, doc);
  if (html) *html = keep(arena, cmark_render_html(doc, CMARK_OPT_DEFAULT));
  /* The renderer comes after the HTML: it changes the tree. */
  if (clean) *clean = untouched ? as_written(arena, source, source_len) : clean_markdown(arena, doc);
  cmark_node_free(doc);
}

const char *lr_markdown_text(lr_arena *arena, const char *markdown) {
  if (!markdown) return NULL;
  cmark_node *doc = parse_safe(arena, markdown, NULL, NULL, NULL);
  const char *out = plain_of(arena, doc);
  cmark_node_free(doc);
  return out;
}

/* Copies runs of plain text whole: a national report escapes every
 * heading, name and id, tens of megabytes a character at a time.
 * "!" is left alone: it only starts an image before "[", and every "["
 * here is escaped, so "Du avgör!" stays as it is written. */
void lr_escape_markdown(const char *s, size_t n, lr_buf *out) {
  size_t done = 0;
  for (size_t i = 0; i < n; i++) {
    switch (s[i]) {
    case '\n': case '\r':
      lr_buf_put(out, s + done, i - done);
      lr_buf_putc(out, ' ');
      done = i + 1;
      break;
    case '\\': case '`': case '*': case '_': case '[': case ']': case '<':
    case '>': case '|': case '#': case '&': case '~':
      lr_buf_put(out, s + done, i - done);
      lr_buf_putc(out, '\\');
      done = i; /* the character itself starts the next run */
      break;
    default: {
      /* The loader refuses C0 controls; should one come from elsewhere,
       * or a C1 control (which it lets through), it must not reach the
       * report as such. */
      unsigned char c = (unsigned char)s[i];
      size_t control = 0;
      if ((c < 0x20 && c != '\t') || c == 0x7F)
        control = 1;
      else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
               (unsigned char)s[i + 1] <= 0x9F)
        control = 2;
      if (control) {
        lr_buf_put(out, s + done, i - done);
        lr_buf_puts(out, "\xEF\xBF\xBD");
        done = i + control;
        i += control - 1;
      }
      break;
    }
    }
  }
  lr_buf_put(out, s + done, n - done);
}
