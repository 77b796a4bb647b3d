/* What a reader of the reports would get: the Markdown read back by
 * CommonMark (libcmark, as GitHub's and GitLab's renderers build on it)
 * and the HTML as the tags it holds. Each check returns what it found
 * that must not be there, or NULL. Shared by the fuzz targets and the
 * unit test of the Markdown report; everything is static. */
#ifndef LR_READBACK_H
#define LR_READBACK_H

#include <cmark.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

static inline bool readback_is_control(const unsigned char *p) {
  return (p[0] < 0x20 && p[0] != '\n' && p[0] != '\t') || p[0] == 0x7F ||
         (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F);
}

static inline bool readback_script_url(const char *url) {
  while (*url == ' ') url++;
  static const char *const schemes[] = {"javascript:", "vbscript:", "data:", "file:"};
  for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
    if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0) return true;
  return false;
}

/* An image, raw HTML, a control character (as a byte, or in the text or
 * a link target after character references are read) or a script link. */
static inline const char *readback_markdown_unsafe(const char *md, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)md[i];
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return "a control byte";
  }
  cmark_node *doc = cmark_parse_document(md, n, CMARK_OPT_DEFAULT);
  const char *found = NULL;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) continue;
    const char *text = NULL;
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_IMAGE: found = "an image"; break;
    case CMARK_NODE_HTML_BLOCK: found = "an HTML block"; break;
    case CMARK_NODE_HTML_INLINE: found = "inline HTML"; break;
    case CMARK_NODE_LINK:
      text = cmark_node_get_url(node);
      for (const unsigned char *p = (const unsigned char *)text; !found && *p; p++)
        if (*p < 0x20 || *p == 0x7F) found = "a control character in a link target";
      if (!found && readback_script_url(text)) found = "a script link";
      text = NULL;
      break;
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_CODE_BLOCK: text = cmark_node_get_literal(node); break;
    default: break;
    }
    for (const unsigned char *p = (const unsigned char *)text; !found && p && *p; p++)
      if (readback_is_control(p)) found = "a control character in the text";
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  return found;
}

/* A tag that cmark's renderer does not write for Markdown (so raw HTML
 * got through), a script link, or a control byte. Text is escaped, so
 * every "<" starts a tag the renderer wrote. */
static inline const char *readback_html_unsafe(const char *html, size_t n) {
  static const char *const TAGS[] = {"p", "em", "strong", "a", "code", "pre", "blockquote",
                                     "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                                     "hr", "br"};
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)html[i];
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return "a control byte";
    if (c != '<') continue;
    size_t k = i + 1;
    if (k < n && html[k] == '/') k++;
    size_t name = k;
    while (k < n && ((html[k] >= 'a' && html[k] <= 'z') || (html[k] >= '0' && html[k] <= '9'))) k++;
    bool known = false;
    for (size_t t = 0; t < sizeof TAGS / sizeof *TAGS && !known; t++)
      known = strlen(TAGS[t]) == k - name && memcmp(TAGS[t], html + name, k - name) == 0;
    if (!known || k >= n || (html[k] != '>' && html[k] != ' ' && html[k] != '/'))
      return "a tag that Markdown does not make";
    static const char HREF[] = " href=\"";
    size_t end = k;
    while (end < n && html[end] != '>') end++;
    for (size_t a = k; a + sizeof HREF - 1 < end; a++)
      if (memcmp(html + a, HREF, sizeof HREF - 1) == 0) {
        /* Browsers skip leading blanks and controls to find the scheme. */
        size_t u = a + sizeof HREF - 1;
        while (u < end && ((unsigned char)html[u] <= 0x20)) u++;
        char url[16] = {0};
        for (size_t j = 0; j + 1 < sizeof url && u + j < end; j++) url[j] = html[u + j];
        if (readback_script_url(url)) return "a script link";
      }
  }
  return NULL;
}

#endif
