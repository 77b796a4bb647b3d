/* The Mustache engine behind the report templates. A template is compiled
 * once into a node tree, with standalone lines already trimmed, and then
 * rendered against an lr_value view in one pass. Covers the spec's core
 * modules, inheritance (blocks and parents) and dynamic names; lambdas are
 * left out because views hold no code.
 *
 * Project templates are user input, so every way a template could make the
 * renderer recurse, loop or grow without bound ends in a diagnostic. */
#include "mustache/mustache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAX_DELIMITER = 16,               /* bytes; keeps the tag search cheap */
  MAX_NESTING = 128,                /* open sections within one template */
  MAX_PARTIAL_DEPTH = LR_MAX_DEPTH, /* partials and parents inside each other */
  MAX_RENDER_DEPTH = 1024,          /* nested bodies on the C stack */
  MAX_OUTPUT_MIB = 256,
};
/* Node visits per render: far above any report, far below the 2^64 steps
 * of partials that include a partial twice at each of 64 levels. */
#define MAX_STEPS 50000000UL
#define NONE ((size_t)-1)

/* ---- compiled form --------------------------------------------------- */

typedef enum node_kind {
  N_TEXT,
  N_VAR,      /* {{x}}: escaped */
  N_RAW,      /* {{{x}}} and {{&x}} */
  N_SECTION,  /* {{#x}} */
  N_INVERTED, /* {{^x}} */
  N_PARTIAL,  /* {{>x}} */
  N_PARENT,   /* {{<x}}: kids are its block arguments, sorted by name */
  N_BLOCK,    /* {{$x}} */
} node_kind;

typedef struct node node;
struct node {
  node_kind kind;
  /* The node begins a template line, so indentation goes before it. */
  bool bol;
  /* The tag had its line to itself and the line was removed: partials and
   * parents indent by the removed whitespace, bodies start on a new line. */
  bool standalone;
  bool dynamic; /* the partial or parent name is looked up in the data */
  int line, column;
  const char *file;
  const char *text; /* N_TEXT: the text; otherwise the name */
  size_t len;
  const char **parts; /* dotted name; none for "." */
  size_t part_count;
  /* Partials and parents: the standalone indentation. Blocks: the
   * indentation their content is written at, removed when the content
   * moves to another place. */
  const char *indent;
  size_t indent_len;
  const node *kids;
  size_t kid_count;
};

typedef struct template {
  const node *nodes;
  size_t count;
}
template;

/* ---- scanning ---------------------------------------------------------- */

/* One text run or tag of the source, before the tree is built. */
typedef struct item {
  char type; /* 0 for text, 'v' for {{x}}, else the sigil after the delimiter */
  bool dynamic;
  bool space_before, space_after; /* only blanks to the line's edge */
  bool trim_before, trim_after;   /* the line's blanks and break go */
  size_t start, end;              /* source range; texts shrink when trimmed */
  size_t raw_start, raw_len;      /* the tag's content as written */
  size_t name_start, name_len;    /* without the '*' of a dynamic name */
  size_t blank_start;             /* where the blanks before the tag begin */
  size_t indent_start, indent_len;
  size_t partner; /* the matching open or close tag */
  size_t parent;  /* the innermost open tag around this one */
  int line, column;
} item;

typedef struct compiler {
  const char *src;
  size_t len;
  const char *file;
  lr_arena *arena;
  lr_diag_list *diags;
  item *items;
  size_t count, cap;
} compiler;

typedef struct cursor {
  size_t pos;
  int line, column;
} cursor;

static lr_loc loc_in(lr_diag_list *diags, const char *file, int line,
                     int column) {
  /* The file name must outlive this render's arena. */
  lr_loc loc = {file ? lr_arena_strdup(diags->arena, file) : NULL, line,
                column};
  return loc;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Columns count characters, so UTF-8 continuation bytes are skipped. */
static void cursor_move(cursor *cur, const char *src, size_t to) {
  for (; cur->pos < to; cur->pos++) {
    unsigned char ch = (unsigned char)src[cur->pos];
    if (ch == '\n') {
      cur->line++;
      cur->column = 1;
    } else if ((ch & 0xC0) != 0x80) {
      cur->column++;
    }
  }
}

static size_t find(const char *s, size_t len, size_t from, const char *needle,
                   size_t n) {
  while (from + n <= len) {
    const char *p = memchr(s + from, needle[0], len - from - n + 1);
    if (!p) return NONE;
    if (memcmp(p, needle, n) == 0) return (size_t)(p - s);
    from = (size_t)(p - s) + 1;
  }
  return NONE;
}

static item *item_add(compiler *c) {
  if (c->count == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 64;
    c->items = lr_xrealloc(c->items, c->cap * sizeof *c->items);
  }
  item *it = &c->items[c->count++];
  memset(it, 0, sizeof *it);
  it->partner = it->parent = NONE;
  return it;
}

static void trim_range(const char *src, size_t *start, size_t *len) {
  while (*len && is_space(src[*start])) (*start)++, (*len)--;
  while (*len && is_space(src[*start + *len - 1])) (*len)--;
}

static bool has_space(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (is_space(s[i])) return true;
  return false;
}

/* "a.b.c" or "."; empty parts such as in "a..b" are typos, not names. */
static bool dotted_ok(const char *s, size_t n) {
  if (n == 1 && s[0] == '.') return true;
  if (s[0] == '.' || s[n - 1] == '.') return false;
  for (size_t i = 1; i < n; i++)
    if (s[i] == '.' && s[i - 1] == '.') return false;
  return true;
}

/* How much of a tag to quote in a one-line message: up to its first line
 * break, at most 60 bytes, never half a UTF-8 character. */
static int excerpt(const compiler *c, const item *it) {
  size_t n = it->end - it->start;
  const char *s = c->src + it->start, *nl = memchr(s, '\n', n);
  if (nl) n = (size_t)(nl - s);
  if (n > 60) {
    n = 60;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  }
  return (int)n;
}

static bool tag_error(compiler *c, const item *it, const char *what) {
  lr_diag_add(c->diags, LR_ERROR,
              loc_in(c->diags, c->file, it->line, it->column), "%s \"%.*s\"",
              what, excerpt(c, it), c->src + it->start);
  return false;
}

/* Splits the content of a name tag; a leading '*' makes the name dynamic
 * where the spec allows it (partials and parents). */
static bool read_name(compiler *c, item *it) {
  it->name_start = it->raw_start;
  it->name_len = it->raw_len;
  const char *s = c->src + it->name_start;
  bool may_be_dynamic = it->type == '>' || it->type == '<' || it->type == '/';
  if (may_be_dynamic && it->name_len && s[0] == '*') {
    it->dynamic = true;
    it->name_start++;
    it->name_len--;
    trim_range(c->src, &it->name_start, &it->name_len);
    s = c->src + it->name_start;
  }
  if (!it->name_len) return tag_error(c, it, "taggen saknar namn:");
  if (has_space(s, it->name_len))
    return tag_error(c, it, "namnet får inte innehålla mellanslag:");
  bool dotted = it->dynamic || it->type == 'v' || it->type == '&' ||
                it->type == '{' || it->type == '#' || it->type == '^';
  if (dotted && !dotted_ok(s, it->name_len))
    return tag_error(c, it, "ogiltigt namn med punkter:");
  return true;
}

/* {{=<% %>=}}: two delimiters, separated by blanks, without blanks or '='
 * of their own. */
static bool read_delimiters(compiler *c, const item *it, char *open,
                            size_t *open_len, char *close, size_t *close_len) {
  const char *s = c->src + it->raw_start;
  size_t n = it->raw_len, a = 0;
  while (a < n && !is_space(s[a])) a++;
  size_t b = a;
  while (b < n && is_space(s[b])) b++;
  size_t second = n - b;
  bool ok = a > 0 && second > 0 && a <= MAX_DELIMITER &&
            second <= MAX_DELIMITER && !has_space(s + b, second) &&
            !memchr(s, '=', a) && !memchr(s + b, '=', second);
  if (!ok) {
    lr_diag *d = lr_diag_add(c->diags, LR_ERROR,
                             loc_in(c->diags, c->file, it->line, it->column),
                             "ogiltigt byte av avgränsare \"%.*s\"",
                             excerpt(c, it), c->src + it->start);
    lr_diag_hint(c->diags, d,
                 "ange två avgränsare (högst %d tecken, utan mellanslag och "
                 "likhetstecken), till exempel {{=<%% %%>=}}",
                 MAX_DELIMITER);
    return false;
  }
  memcpy(open, s, a);
  *open_len = a;
  memcpy(close, s + b, second);
  *close_len = second;
  return true;
}

static const char *section_word(char type) {
  switch (type) {
  case '$': return "blocket";
  case '<': return "föräldramallen";
  default: return "sektionen";
  }
}

static bool close_section(compiler *c, item *it, size_t *open, size_t *depth,
                          const char *otag, size_t olen, const char *ctag,
                          size_t clen) {
  lr_loc loc = loc_in(c->diags, c->file, it->line, it->column);
  if (!*depth) {
    lr_diag_add(c->diags, LR_ERROR, loc,
                "oväntad avslutning %.*s, ingen sektion är öppen",
                excerpt(c, it), c->src + it->start);
    return false;
  }
  item *o = &c->items[open[*depth - 1]];
  if (o->dynamic != it->dynamic || o->name_len != it->name_len ||
      memcmp(c->src + o->name_start, c->src + it->name_start, it->name_len)) {
    lr_diag *d = lr_diag_add(c->diags, LR_ERROR, loc,
                             "oväntad avslutning %.*s, väntade %.*s/%s%.*s%.*s",
                             excerpt(c, it), c->src + it->start, (int)olen,
                             otag, o->dynamic ? "*" : "", (int)o->name_len,
                             c->src + o->name_start, (int)clen, ctag);
    lr_diag_hint(c->diags, d, "%s \"%s%.*s\" öppnades på rad %d, kolumn %d",
                 section_word(o->type), o->dynamic ? "*" : "", (int)o->name_len,
                 c->src + o->name_start, o->line, o->column);
    return false;
  }
  (*depth)--;
  it->partner = open[*depth];
  o->partner = (size_t)(it - c->items);
  it->parent = o->parent;
  return true;
}

/* Splits the source into text runs and tags, following delimiter changes
 * and pairing section tags. Stops at the first error. */
static bool scan(compiler *c) {
  char otag[MAX_DELIMITER] = "{{", ctag[MAX_DELIMITER] = "}}";
  size_t olen = 2, clen = 2;
  size_t open[MAX_NESTING], depth = 0;
  cursor cur = {0, 1, 1};
  size_t pos = 0;
  while (pos < c->len) {
    size_t at = find(c->src, c->len, pos, otag, olen);
    if (at == NONE) at = c->len;
    if (at > pos) {
      item *text = item_add(c);
      text->start = pos;
      text->end = at;
      text->line = cur.line;
      text->column = cur.column;
    }
    if (at == c->len) break;
    cursor_move(&cur, c->src, at);
    size_t body = at + olen;
    char type = 'v';
    if (body < c->len && c->src[body] && strchr("{&#^/!=><$", c->src[body]))
      type = c->src[body++];
    char closer[MAX_DELIMITER + 1];
    size_t closer_len = 0;
    if (type == '{' || type == '=')
      closer[closer_len++] = type == '{' ? '}' : '=';
    memcpy(closer + closer_len, ctag, clen);
    closer_len += clen;
    size_t stop = find(c->src, c->len, body, closer, closer_len);
    if (stop == NONE) {
      lr_diag_add(
          c->diags, LR_ERROR, loc_in(c->diags, c->file, cur.line, cur.column),
          "taggen avslutas aldrig: \"%.*s\" saknas", (int)closer_len, closer);
      return false;
    }
    item *it = item_add(c);
    it->type = type;
    it->start = at;
    it->end = stop + closer_len;
    it->line = cur.line;
    it->column = cur.column;
    it->raw_start = body;
    it->raw_len = stop - body;
    it->parent = depth ? open[depth - 1] : NONE;
    trim_range(c->src, &it->raw_start, &it->raw_len);
    switch (type) {
    case '!': break;
    case '=':
      if (!read_delimiters(c, it, otag, &olen, ctag, &clen)) return false;
      break;
    case '/':
      if (!read_name(c, it) ||
          !close_section(c, it, open, &depth, otag, olen, ctag, clen))
        return false;
      break;
    case '#':
    case '^':
    case '$':
    case '<':
      if (!read_name(c, it)) return false;
      if (depth == MAX_NESTING) {
        lr_diag_add(
            c->diags, LR_ERROR, loc_in(c->diags, c->file, it->line, it->column),
            "sektionerna är nästlade djupare än %d nivåer", MAX_NESTING);
        return false;
      }
      open[depth++] = c->count - 1;
      break;
    default:
      if (!read_name(c, it)) return false;
    }
    cursor_move(&cur, c->src, it->end);
    pos = it->end;
  }
  if (depth) {
    /* The innermost one is where the closing tag was most likely lost. */
    const item *o = &c->items[open[depth - 1]];
    lr_diag *d = lr_diag_add(
        c->diags, LR_ERROR, loc_in(c->diags, c->file, o->line, o->column),
        "%s \"%s%.*s\" avslutas aldrig", section_word(o->type),
        o->dynamic ? "*" : "", (int)o->name_len, c->src + o->name_start);
    lr_diag_hint(c->diags, d, "lägg till %.*s/%s%.*s%.*s", (int)olen, otag,
                 o->dynamic ? "*" : "", (int)o->name_len,
                 c->src + o->name_start, (int)clen, ctag);
    return false;
  }
  return true;
}

/* ---- standalone lines -------------------------------------------------- */

static bool is_text(const compiler *c, size_t i) {
  return i < c->count && c->items[i].type == 0;
}

/* Only blanks between the start of the tag's line and the tag. */
static bool blank_before(const compiler *c, size_t i, size_t *from) {
  *from = c->items[i].start;
  if (i == 0) return true;
  if (!is_text(c, i - 1)) return false;
  const item *t = &c->items[i - 1];
  size_t p = t->end;
  while (p > t->start && is_blank(c->src[p - 1])) p--;
  if (p > t->start ? c->src[p - 1] != '\n' : i - 1 != 0) return false;
  *from = p;
  return true;
}

/* Where the line after position p begins, or NONE if it ends before `to`
 * with something other than blanks. */
static size_t next_line(const char *src, size_t p, size_t to) {
  while (p < to && is_blank(src[p])) p++;
  if (p < to && src[p] == '\r' && p + 1 < to && src[p + 1] == '\n') p++;
  if (p < to && src[p] == '\n') return p + 1;
  return p == to ? to : NONE;
}

/* Only blanks between the tag and its line break (or the end). */
static bool blank_after(const compiler *c, size_t i) {
  if (i + 1 == c->count) return true;
  if (!is_text(c, i + 1)) return false;
  const item *t = &c->items[i + 1];
  size_t next = next_line(c->src, t->start, t->end);
  if (next == NONE) return false;
  return next < t->end || c->src[next - 1] == '\n' || i + 2 == c->count;
}

/* The indentation of a block: with the opening tag on its own line, that
 * of the first line of content (which is how the content is written);
 * otherwise the blanks before the tag. */
static void block_indent(compiler *c, item *o, size_t i) {
  size_t stop = c->items[o->partner].start;
  size_t p =
      o->trim_after ? next_line(c->src, c->items[i + 1].start, stop) : NONE;
  if (p != NONE) {
    /* Blank lines say nothing about indentation; the closing tag's line
     * does when the content is only blank lines. */
    for (;;) {
      size_t next = p < stop ? next_line(c->src, p, stop) : NONE;
      if (next == NONE || (next == stop && c->src[next - 1] != '\n')) break;
      p = next;
    }
    size_t q = p;
    while (q < stop && is_blank(c->src[q])) q++;
    o->indent_start = p;
    o->indent_len = q - p;
    return;
  }
  if (o->space_before) {
    o->indent_start = o->blank_start;
    o->indent_len = o->start - o->blank_start;
  }
}

/* A tag alone on its line takes the line with it (spec: standalone tags).
 * Inheritance adds that the tags of a parent and of the blocks it passes
 * are judged together: "{{<page}}{{$body}}" may share a line, and a parent
 * opened at the start of a line and closed at the end of one is standalone
 * as a whole. */
static void mark_standalone(compiler *c) {
  for (size_t i = 0; i < c->count; i++) {
    item *it = &c->items[i];
    if (!it->type) continue;
    it->space_before = blank_before(c, i, &it->blank_start);
    it->space_after = blank_after(c, i);
    if (strchr("#^/!=><$", it->type) && it->space_before && it->space_after)
      it->trim_before = it->trim_after = true;
  }
  for (size_t i = 0; i < c->count; i++) {
    item *it = &c->items[i];
    if (it->type == '<' && it->space_before &&
        c->items[it->partner].space_after) {
      it->trim_before = true;
      c->items[it->partner].trim_after = true;
    }
    bool argument = it->type == '$' && it->parent != NONE &&
                    c->items[it->parent].type == '<';
    if (argument) {
      if (it->space_after) it->trim_after = true;
      if (c->items[it->partner].space_before)
        c->items[it->partner].trim_before = true;
    }
  }
  for (size_t i = 0; i < c->count; i++) {
    item *it = &c->items[i];
    if (it->type == '$') block_indent(c, it, i);
    if ((it->type == '>' || it->type == '<') && it->trim_before) {
      it->indent_start = it->blank_start;
      it->indent_len = it->start - it->blank_start;
    }
  }
  for (size_t i = 0; i < c->count; i++) {
    const item *it = &c->items[i];
    if (it->trim_before && i > 0 && is_text(c, i - 1))
      c->items[i - 1].end = it->blank_start;
    if (it->trim_after && is_text(c, i + 1)) {
      item *t = &c->items[i + 1];
      size_t next = next_line(c->src, t->start, t->end);
      t->start = next == NONE ? t->start : next;
    }
  }
}

/* ---- tree -------------------------------------------------------------- */

typedef struct node_vec {
  node *items;
  size_t count, cap;
} node_vec;

static node *node_push(node_vec *v) {
  if (v->count == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 64;
    v->items = lr_xrealloc(v->items, v->cap * sizeof *v->items);
  }
  node *n = &v->items[v->count++];
  memset(n, 0, sizeof *n);
  return n;
}

static int compare_blocks(const void *pa, const void *pb) {
  const node *a = pa, *b = pb;
  int order = strcmp(a->text, b->text);
  if (order) return order;
  /* The first of two same-named arguments wins, as if written once. */
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  return (a->column > b->column) - (a->column < b->column);
}

static void node_name(compiler *c, node *n, const item *it) {
  n->text = lr_arena_strndup(c->arena, c->src + it->name_start, it->name_len);
  n->len = it->name_len;
  n->dynamic = it->dynamic;
  bool dotted = n->dynamic || n->kind == N_VAR || n->kind == N_RAW ||
                n->kind == N_SECTION || n->kind == N_INVERTED;
  if (!dotted || (n->len == 1 && n->text[0] == '.')) return;
  size_t parts = 1;
  for (size_t i = 0; i < n->len; i++) parts += n->text[i] == '.';
  n->parts = lr_arena_array(c->arena, parts, sizeof *n->parts);
  const char *s = n->text;
  for (size_t i = 0; i < parts; i++) {
    const char *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    n->parts[i] = lr_arena_strndup(c->arena, s, len);
    s += len + 1;
  }
  n->part_count = parts;
}

/* A marker that keeps a line's indentation in place when the tag that
 * starts the line produces no node of its own. */
static void push_line_start(node_vec *v, const compiler *c, const item *it) {
  node *n = node_push(v);
  n->kind = N_TEXT;
  n->bol = true;
  n->text = c->src + it->start;
  n->file = c->file;
  n->line = it->line;
  n->column = it->column;
}

static template *build(compiler *c) {
  node_vec v = {0};
  size_t open[MAX_NESTING], mark[MAX_NESTING], depth = 0;
  for (size_t i = 0; i < c->count; i++) {
    const item *it = &c->items[i];
    bool bol = it->start == 0 || c->src[it->start - 1] == '\n';
    if (it->type == 0) {
      if (it->start == it->end) continue;
      node *n = node_push(&v);
      n->kind = N_TEXT;
      n->bol = bol;
      n->text = c->src + it->start;
      n->len = it->end - it->start;
      n->file = c->file;
      n->line = it->line;
      n->column = it->column;
      continue;
    }
    bol = bol && !it->trim_before;
    switch (it->type) {
    case '!':
    case '=':
      if (bol) push_line_start(&v, c, it);
      continue;
    case '#':
    case '^':
    case '$':
    case '<':
      open[depth] = i;
      mark[depth++] = v.count;
      continue;
    case '/':
      if (bol) push_line_start(&v, c, it);
      break;
    default: break;
    }
    const item *tag = it;
    node body = {0};
    if (it->type == '/') {
      tag = &c->items[open[--depth]];
      body.kid_count = v.count - mark[depth];
      if (tag->type == '<') {
        /* Only the blocks of a parent matter; text around them is a
         * comment by the spec. */
        size_t kept = 0;
        for (size_t k = mark[depth]; k < v.count; k++)
          if (v.items[k].kind == N_BLOCK)
            v.items[mark[depth] + kept++] = v.items[k];
        body.kid_count = kept;
      }
      node *kids = lr_arena_array(c->arena, body.kid_count, sizeof *kids);
      if (body.kid_count)
        memcpy(kids, v.items + mark[depth], body.kid_count * sizeof *kids);
      if (tag->type == '<')
        qsort(kids, body.kid_count, sizeof *kids, compare_blocks);
      body.kids = kids;
      v.count = mark[depth];
      bol = (tag->start == 0 || c->src[tag->start - 1] == '\n') &&
            !tag->trim_before;
    }
    node *n = node_push(&v);
    switch (tag->type) {
    case 'v': n->kind = N_VAR; break;
    case '&':
    case '{': n->kind = N_RAW; break;
    case '#': n->kind = N_SECTION; break;
    case '^': n->kind = N_INVERTED; break;
    case '>': n->kind = N_PARTIAL; break;
    case '<': n->kind = N_PARENT; break;
    default: n->kind = N_BLOCK; break;
    }
    n->bol = bol;
    n->standalone = tag->trim_before;
    n->file = c->file;
    n->line = tag->line;
    n->column = tag->column;
    n->indent = c->src + tag->indent_start;
    n->indent_len = tag->indent_len;
    n->kids = body.kids;
    n->kid_count = body.kid_count;
    node_name(c, n, tag);
  }
  template *t = lr_arena_alloc(c->arena, sizeof *t);
  node *nodes = lr_arena_array(c->arena, v.count, sizeof *nodes);
  if (v.count) memcpy(nodes, v.items, v.count * sizeof *nodes);
  t->nodes = nodes;
  t->count = v.count;
  free(v.items);
  return t;
}

/* The node tree points into `src`, which must live as long as the tree. */
static const template *compile(lr_arena *arena, lr_diag_list *diags,
                               const char *src, const char *file) {
  compiler c = {src, strlen(src), file, arena, diags, NULL, 0, 0};
  const template *t = NULL;
  if (scan(&c)) {
    mark_standalone(&c);
    t = build(&c);
  }
  free(c.items);
  return t;
}

/* ---- rendering --------------------------------------------------------- */

/* Indentation is a chain of pieces, one per standalone partial or moved
 * block, so entering a partial costs nothing however deep the chain. */
typedef struct indent {
  const char *text;
  size_t len;
  const struct indent *up;
} indent;

typedef enum first_line {
  FIRST_AS_WRITTEN, /* the first node starts a line if it does in its source */
  FIRST_MIDLINE,    /* the output line has begun: no indentation */
  FIRST_NEW_LINE,   /* the output is at the start of a line: indent */
} first_line;

/* How template lines are placed while rendering one piece of template:
 * `strip` is the indentation the lines were written with (moved block
 * content), `indent` what the output puts in its place. */
typedef struct frame {
  const indent *indent;
  const char *strip;
  size_t strip_len;
  first_line first;
} frame;

typedef struct scope {
  const lr_value *value;
  const struct scope *up;
} scope;

/* The parents being rendered, innermost first; an outer parent's block
 * arguments win over an inner one's. */
typedef struct overrides {
  const node *parent;
  const struct overrides *up;
} overrides;

typedef struct renderer {
  lr_arena *arena; /* compiled partials; freed after the render */
  lr_diag_list *diags;
  lr_buf *out;
  size_t out_start;
  lr_escape_fn escape;
  lr_partial_fn partials;
  void *partials_ctx;
  lr_index compiled; /* partial name -> template */
  template missing;  /* what an unknown partial renders as */
  lr_buf scratch;
  int depth, partial_depth;
  unsigned long steps;
  bool strict;
  lr_ptr_index unknown; /* names reported, each once however often rendered */
  bool unknown_named;
} renderer;

static bool render_nodes(renderer *r, const node *nodes, size_t count,
                         const scope *sc, frame *f, const overrides *ov);

static bool render_error(renderer *r, const node *n, const char *message,
                         const char *hint) {
  lr_diag *d =
      lr_diag_add(r->diags, LR_ERROR,
                  loc_in(r->diags, n->file, n->line, n->column), "%s", message);
  if (hint) lr_diag_hint(r->diags, d, "%s", hint);
  return false;
}

static const lr_value *lookup(const scope *sc, const node *n) {
  if (!n->part_count) return sc ? sc->value : NULL;
  const lr_value *v = NULL;
  for (; sc && !v; sc = sc->up) v = lr_value_get(sc->value, n->parts[0]);
  for (size_t i = 1; v && i < n->part_count; i++)
    v = lr_value_get(v, n->parts[i]);
  return v;
}

/* In strict mode a value tag naming what nothing in scope has is an
 * error: the spec renders it as nothing, and a misspelt {{svarsmening}}
 * would silently drop a sentence from a county's report. Sections are
 * not held to it: {{#inkom}}…{{/inkom}} is how a template asks whether
 * there is a date, and views leave out what is not there. Reported once
 * per tag, with the names that are there; the render goes on so that
 * every one is. */
static void check_known(renderer *r, const node *n, const scope *sc, const lr_value *v) {
  if (!r->strict || v || !n->part_count || lr_ptr_index_get(&r->unknown, n)) return;
  lr_ptr_index_put(&r->unknown, n, (void *)n);
  r->unknown_named = true;
  const lr_value *where = NULL;
  const scope *inner = sc;
  for (const scope *s = sc; s && !where; s = s->up)
    if (lr_value_get(s->value, n->parts[0])) where = s->value;
  size_t depth = 1;
  if (where) /* a dotted name: the part that is missing is after the first */
    for (; depth < n->part_count && lr_value_get(where, n->parts[depth - 1]); depth++)
      where = lr_value_get(where, n->parts[depth - 1]);
  else
    where = inner ? inner->value : NULL;
  const char *name = n->parts[depth - 1];
  size_t count = lr_value_kind_of(where) == LR_VALUE_MAP ? lr_value_count(where) : 0;
  const char **names = lr_arena_array(r->arena, count ? count : 1, sizeof *names);
  for (size_t i = 0; i < count; i++) names[i] = lr_value_key_at(where, i);
  const char *guess = lr_suggest(name, names, count);
  if (guess && depth > 1) { /* "aktor.namn" for "aktor.nman" */
    size_t prefix = 0;
    for (size_t i = 0; i + 1 < depth; i++) prefix += strlen(n->parts[i]) + 1;
    guess = lr_arena_printf(r->arena, "%.*s%s", (int)prefix, n->text, guess);
  }
  lr_diag *d = guess ? lr_diag_add(r->diags, LR_ERROR, loc_in(r->diags, n->file, n->line, n->column),
                                   "mallen nämner \"%s\", som inte finns här — menade du \"%s\"?",
                                   n->text, guess)
                     : lr_diag_add(r->diags, LR_ERROR, loc_in(r->diags, n->file, n->line, n->column),
                                   "mallen nämner \"%s\", som inte finns här", n->text);
  lr_diag_hint_ids(r->diags, d, name, names, count, "namn här", NULL);
}

/* The spec's falsy values, plus the empty string: report templates use
 * {{#text}}...{{/text}} to leave out prose that was never written. */
static bool truthy(const lr_value *v) {
  switch (lr_value_kind_of(v)) {
  case LR_VALUE_NULL: return false;
  case LR_VALUE_BOOL: return lr_value_as_bool(v);
  case LR_VALUE_STRING: return lr_value_as_string(v)[0] != '\0';
  case LR_VALUE_LIST: return lr_value_count(v) > 0;
  case LR_VALUE_NUMBER:
  case LR_VALUE_MAP: return true;
  }
  return false;
}

static void put_indent(renderer *r, const indent *in) {
  if (!in) return;
  put_indent(r, in->up);
  lr_buf_put(r->out, in->text, in->len);
}

/* Settles whether the next output starts a line, using up the frame's
 * first-line state. */
static bool starts_line(frame *f, bool bol) {
  bool starts = f->first == FIRST_AS_WRITTEN ? bol : f->first == FIRST_NEW_LINE;
  f->first = FIRST_AS_WRITTEN;
  return starts;
}

/* Indentation a standalone tag adds: its blanks, less what the frame
 * strips from every line. Returns the chain to use for the new frame. */
static const indent *indent_add(indent *piece, const frame *f, const node *n) {
  size_t k = 0;
  while (k < f->strip_len && k < n->indent_len && n->indent[k] == f->strip[k])
    k++;
  if (k == n->indent_len) return f->indent;
  piece->text = n->indent + k;
  piece->len = n->indent_len - k;
  piece->up = f->indent;
  return piece;
}

static bool check_output(renderer *r, const node *n) {
  if (r->out->len - r->out_start <= (size_t)MAX_OUTPUT_MIB << 20) return true;
  char message[96];
  snprintf(message, sizeof message, "resultatet blir större än %d MiB",
           MAX_OUTPUT_MIB);
  return render_error(r, n, message,
                      "kontrollera delmallar som inkluderar varandra");
}

static bool render_text(renderer *r, const node *n, frame *f) {
  bool bol = starts_line(f, n->bol), strip = n->bol;
  if (!f->indent && !f->strip_len) {
    lr_buf_put(r->out, n->text, n->len);
    return check_output(r, n);
  }
  const char *p = n->text, *end = n->text + n->len;
  do {
    for (size_t k = 0;
         strip && k < f->strip_len && p < end && *p == f->strip[k]; k++)
      p++;
    if (bol) put_indent(r, f->indent);
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *line_end = nl ? nl + 1 : end;
    lr_buf_put(r->out, p, (size_t)(line_end - p));
    p = line_end;
    bol = strip = true;
  } while (p < end);
  return check_output(r, n);
}

static bool render_value(renderer *r, const node *n, const scope *sc) {
  const lr_value *v = lookup(sc, n);
  check_known(r, n, sc, v);
  const char *s = lr_value_as_string(v);
  size_t len;
  if (s) {
    len = strlen(s);
  } else {
    lr_buf_clear(&r->scratch);
    lr_value_format(v, &r->scratch);
    s = r->scratch.data;
    len = r->scratch.len;
  }
  if (!len) return true;
  if (n->kind == N_RAW)
    lr_buf_put(r->out, s, len);
  else
    r->escape(s, len, r->out);
  return check_output(r, n);
}

/* Renders a nested body; the depth limit keeps hostile templates and data
 * from exhausting the C stack. */
static bool render_body(renderer *r, const node *at, const node *nodes,
                        size_t count, const scope *sc, frame *f,
                        const overrides *ov) {
  if (r->depth >= MAX_RENDER_DEPTH) {
    char message[96];
    snprintf(message, sizeof message,
             "mallen är nästlad djupare än %d nivåer när den renderas",
             MAX_RENDER_DEPTH);
    return render_error(r, at, message,
                        "ett block eller en delmall som innehåller sig själv "
                        "tar aldrig slut");
  }
  r->depth++;
  bool ok = render_nodes(r, nodes, count, sc, f, ov);
  r->depth--;
  return ok;
}

static bool render_section(renderer *r, const node *n, const scope *sc,
                           frame *f, const overrides *ov) {
  const lr_value *v = lookup(sc, n);
  if (n->kind == N_INVERTED)
    return truthy(v) ? true
                     : render_body(r, n, n->kids, n->kid_count, sc, f, ov);
  if (!truthy(v)) return true;
  if (lr_value_kind_of(v) != LR_VALUE_LIST) {
    scope inner = {v, sc};
    return render_body(r, n, n->kids, n->kid_count, &inner, f, ov);
  }
  for (size_t i = 0, count = lr_value_count(v); i < count; i++) {
    scope inner = {lr_value_at(v, i), sc};
    if (!render_body(r, n, n->kids, n->kid_count, &inner, f, ov)) return false;
  }
  return true;
}

/* The compiled partial called `name`; &r->missing if there is none (the
 * spec renders nothing then), NULL if its source is malformed. */
static const template *partial_get(renderer *r, const node *at,
                                   const char *name) {
  const template *t = lr_index_get(&r->compiled, name);
  if (t) return t;
  const char *text = r->partials ? r->partials(r->partials_ctx, name) : NULL;
  char *key = lr_arena_strdup(r->arena, name);
  if (!text) {
    lr_index_put(&r->compiled, key, &r->missing);
    return &r->missing;
  }
  /* Copied because the callback's string need not outlive the call. */
  t = compile(r->arena, r->diags, lr_arena_strdup(r->arena, text), key);
  if (!t) {
    lr_diag *d = &r->diags->items[r->diags->count - 1];
    lr_diag_hint(r->diags, d, "delmallen \"%s\" används i %s, rad %d", name,
                 at->file ? at->file : "mallen", at->line);
    return NULL;
  }
  lr_index_put(&r->compiled, key, (void *)t);
  return t;
}

static bool render_partial(renderer *r, const node *n, const scope *sc,
                           frame *f, const overrides *ov) {
  const char *name = n->text;
  if (n->dynamic) {
    lr_buf_clear(&r->scratch);
    lr_value_format(lookup(sc, n), &r->scratch);
    if (!r->scratch.len) return true;
    name = r->scratch.data;
  }
  if (r->partial_depth >= MAX_PARTIAL_DEPTH) {
    char message[160];
    snprintf(message, sizeof message,
             "delmallarna är nästlade djupare än %d nivåer vid \"%.60s\"",
             MAX_PARTIAL_DEPTH, name);
    return render_error(r, n, message,
                        "en delmall som inkluderar sig själv utan villkor tar "
                        "aldrig slut");
  }
  const template *t = partial_get(r, n, name);
  if (!t) return false;
  indent piece;
  frame inner = {NULL, NULL, 0, FIRST_AS_WRITTEN};
  if (n->standalone) {
    inner.indent = indent_add(&piece, f, n);
    inner.first = f->first;
    f->first = FIRST_AS_WRITTEN;
  } else if (starts_line(f, n->bol)) {
    put_indent(r, f->indent);
  }
  overrides args = {n, ov};
  r->partial_depth++;
  bool ok = render_body(r, n, t->nodes, t->count, sc, &inner,
                        n->kind == N_PARENT ? &args : ov);
  r->partial_depth--;
  return ok;
}

/* The argument for block `name` from the outermost parent that passes one. */
static const node *override_find(const overrides *ov, const char *name) {
  const node *found = NULL;
  for (; ov; ov = ov->up) {
    const node *kids = ov->parent->kids;
    size_t lo = 0, hi = ov->parent->kid_count;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (strcmp(kids[mid].text, name) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < ov->parent->kid_count && strcmp(kids[lo].text, name) == 0)
      found = &kids[lo];
  }
  return found;
}

static bool render_block(renderer *r, const node *n, const scope *sc, frame *f,
                         const overrides *ov) {
  const node *arg = override_find(ov, n->text);
  if (!arg) {
    if (!n->standalone && starts_line(f, n->bol)) put_indent(r, f->indent);
    return render_body(r, n, n->kids, n->kid_count, sc, f, ov);
  }
  /* The argument's lines lose the indentation they were written with and
   * get this block's instead. */
  indent piece;
  frame inner = {indent_add(&piece, f, n), arg->indent, arg->indent_len,
                 FIRST_MIDLINE};
  if (n->standalone) {
    inner.first = f->first != FIRST_AS_WRITTEN ? f->first : FIRST_NEW_LINE;
    f->first = FIRST_AS_WRITTEN;
  } else if (starts_line(f, n->bol)) {
    put_indent(r, f->indent);
  }
  return render_body(r, n, arg->kids, arg->kid_count, sc, &inner, ov);
}

static bool render_nodes(renderer *r, const node *nodes, size_t count,
                         const scope *sc, frame *f, const overrides *ov) {
  for (size_t i = 0; i < count; i++) {
    const node *n = &nodes[i];
    if (++r->steps > MAX_STEPS)
      return render_error(r, n, "mallen kräver för mycket arbete att rendera",
                          "kontrollera delmallar som inkluderar varandra");
    bool ok = true;
    switch (n->kind) {
    case N_TEXT: ok = render_text(r, n, f); break;
    case N_VAR:
    case N_RAW:
      if (starts_line(f, n->bol)) put_indent(r, f->indent);
      ok = render_value(r, n, sc);
      break;
    case N_SECTION:
    case N_INVERTED:
      if (!n->standalone && starts_line(f, n->bol)) put_indent(r, f->indent);
      ok = render_section(r, n, sc, f, ov);
      break;
    case N_PARTIAL:
    case N_PARENT: ok = render_partial(r, n, sc, f, ov); break;
    case N_BLOCK: ok = render_block(r, n, sc, f, ov); break;
    }
    if (!ok) return false;
  }
  return true;
}

void lr_escape_html(const char *s, size_t n, lr_buf *out) {
  size_t done = 0;
  for (size_t i = 0; i < n; i++) {
    const char *entity;
    switch (s[i]) {
    case '&': entity = "&amp;"; break;
    case '<': entity = "&lt;"; break;
    case '>': entity = "&gt;"; break;
    case '"': entity = "&quot;"; break;
    case '\'': entity = "&#39;"; break;
    default: continue;
    }
    lr_buf_put(out, s + done, i - done);
    lr_buf_puts(out, entity);
    done = i + 1;
  }
  lr_buf_put(out, s + done, n - done);
}

bool lr_template_render(const char *source, const lr_value *data,
                        const lr_template_options *options, lr_buf *out,
                        lr_diag_list *diags) {
  lr_template_options none = {0};
  if (!options) options = &none;
  renderer r = {0};
  r.arena = lr_arena_new();
  r.diags = diags;
  r.out = out;
  r.out_start = out->len;
  r.escape = options->escape ? options->escape : lr_escape_html;
  r.partials = options->partials;
  r.partials_ctx = options->partials_ctx;
  r.strict = options->strict;
  lr_index_init(&r.compiled, r.arena, 16);
  lr_ptr_index_init(&r.unknown, r.arena, 16);
  const template *t = compile(r.arena, diags, source, options->name);
  bool ok = t != NULL;
  if (ok) {
    scope top = {data, NULL};
    frame f = {NULL, NULL, 0, FIRST_AS_WRITTEN};
    ok = render_nodes(&r, t->nodes, t->count, data ? &top : NULL, &f, NULL);
  }
  lr_buf_free(&r.scratch);
  lr_arena_free(r.arena);
  return ok && !r.unknown_named;
}
