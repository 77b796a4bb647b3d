/* YAML files to position-keeping trees, through libyaml's event API.
 *
 * libyaml leaves three dangers to its user: it accepts duplicate
 * keys, it nests without limit, and it hands aliases over unresolved. This
 * file closes all three: depth is capped, keys are checked per mapping,
 * and aliases share the anchored node (a DAG, never a copy) while a budget
 * on the nodes they add stops expansion bombs before anything walks them. */
#include "yaml/yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct frame {
  lr_node *node;
  lr_node **items; /* lr_xmalloc'ed while the collection is open */
  size_t count, cap;
  const char *anchor;
} frame;

typedef struct anchor {
  lr_node *node;
  bool open; /* an alias to an open anchor is a cycle */
} anchor;

typedef struct parse_state {
  lr_arena *arena; /* scalar text and messages: they outlive the tree */
  lr_arena *tree;  /* nodes, their item arrays and anchors */
  lr_diag_list *diags;
  lr_source *src;
  frame stack[LR_MAX_DEPTH + 1];
  size_t depth;
  lr_index anchors;
  size_t alias_nodes; /* nodes added by alias expansion so far */
  lr_node *root;
  int documents;
} parse_state;

static lr_diag *error_at(parse_state *st, int line, int column,
                         const char *message) {
  lr_diag *d = lr_diag_add(st->diags, LR_ERROR,
                           (lr_loc){st->src->path, line, column}, "%s",
                           message);
  d->source_line = lr_source_line(st->arena, st->src, line);
  return d;
}

static void push_item(frame *f, lr_node *node) {
  if (f->count == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 8;
    f->items = lr_xrealloc(f->items, f->cap * sizeof *f->items);
  }
  f->items[f->count++] = node;
}

static size_t add_weight(size_t a, size_t b) {
  return a > SIZE_MAX / 2 - b ? SIZE_MAX / 2 : a + b;
}

/* Attaches a finished node to the open collection, or makes it the root. */
static void attach(parse_state *st, lr_node *node) {
  if (st->depth == 0) {
    st->root = node;
    return;
  }
  push_item(&st->stack[st->depth - 1], node);
}

static int compare_keys(const void *pa, const void *pb) {
  const lr_node *a = *(lr_node *const *)pa, *b = *(lr_node *const *)pb;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->text, b->text, n);
  if (c) return c;
  if (a->len != b->len) return a->len < b->len ? -1 : 1;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  return a->column < b->column ? -1 : a->column > b->column;
}

/* Sorting finds duplicates in n log n: a hostile file with a million keys
 * in one mapping must not make the check quadratic. */
static void check_keys(parse_state *st, lr_node *map) {
  size_t pairs = map->count / 2;
  if (pairs < 2) {
    if (pairs == 1 && map->items[0]->kind != LR_NODE_SCALAR)
      error_at(st, map->items[0]->line, map->items[0]->column,
               "en nyckel måste vara text, inte en lista eller mappning");
    return;
  }
  lr_node **keys = lr_xmalloc(pairs * sizeof *keys);
  size_t n = 0;
  for (size_t i = 0; i < pairs; i++) {
    lr_node *k = map->items[2 * i];
    if (k->kind != LR_NODE_SCALAR)
      error_at(st, k->line, k->column,
               "en nyckel måste vara text, inte en lista eller mappning");
    else
      keys[n++] = k;
  }
  qsort(keys, n, sizeof *keys, compare_keys);
  for (size_t i = 1; i < n; i++) {
    lr_node *a = keys[i - 1], *b = keys[i];
    if (a->len == b->len && memcmp(a->text, b->text, a->len) == 0) {
      /* Point at the later one, name the first: the first is what a
       * reader of the file sees as "the" value. */
      lr_node *first = a;
      for (size_t j = i - 1; j > 0 && keys[j - 1]->len == b->len &&
                             memcmp(keys[j - 1]->text, b->text, b->len) == 0;
           j--)
        first = keys[j - 1];
      lr_diag *d = error_at(st, b->line, b->column, "");
      d->message = lr_arena_printf(st->arena,
                                   "nyckeln \"%s\" förekommer två gånger",
                                   b->text);
      lr_diag_hint(st->diags, d,
                   "första gången på rad %d; ta bort eller slå ihop den ena",
                   first->line);
    }
  }
  free(keys);
}

static bool open_collection(parse_state *st, lr_node_kind kind,
                            const yaml_event_t *ev, const char *anchor_name) {
  if (st->depth == LR_MAX_DEPTH) {
    lr_diag *d = error_at(st, (int)ev->start_mark.line + 1,
                          (int)ev->start_mark.column + 1,
                          "strukturen är nästlad djupare än 64 nivåer");
    lr_diag_hint(st->diags, d,
                 "filen är troligen trasig; ett yttrande behöver bara "
                 "några få nivåer");
    return false;
  }
  lr_node *node = lr_arena_alloc(st->tree, sizeof *node);
  node->kind = kind;
  node->line = (int)ev->start_mark.line + 1;
  node->column = (int)ev->start_mark.column + 1;
  frame *f = &st->stack[st->depth++];
  memset(f, 0, sizeof *f);
  f->node = node;
  if (anchor_name) {
    anchor *a = lr_arena_alloc(st->tree, sizeof *a);
    a->node = node;
    a->open = true;
    f->anchor = lr_arena_strdup(st->tree, anchor_name);
    anchor *old = lr_index_put(&st->anchors, f->anchor, a);
    if (old != a) { /* YAML lets a later anchor of the same name win */
      old->node = node;
      old->open = true;
    }
  }
  return true;
}

static void close_collection(parse_state *st) {
  frame *f = &st->stack[--st->depth];
  lr_node *node = f->node;
  node->count = f->count;
  node->items = lr_arena_array(st->tree, f->count ? f->count : 1,
                               sizeof *node->items);
  if (f->count) memcpy(node->items, f->items, f->count * sizeof *f->items);
  free(f->items);
  f->items = NULL;
  size_t w = 1;
  for (size_t i = 0; i < node->count; i++)
    w = add_weight(w, node->items[i]->weight);
  node->weight = w;
  if (f->anchor) {
    anchor *a = lr_index_get(&st->anchors, f->anchor);
    if (a && a->node == node) a->open = false;
  }
  if (node->kind == LR_NODE_MAPPING) check_keys(st, node);
  attach(st, node);
}

static bool tag_is(const yaml_char_t *tag, const char *name) {
  return tag && strcmp((const char *)tag, name) == 0;
}

static bool scalar_event(parse_state *st, const yaml_event_t *ev) {
  lr_node *node = lr_arena_alloc(st->tree, sizeof *node);
  node->kind = LR_NODE_SCALAR;
  node->line = (int)ev->start_mark.line + 1;
  node->column = (int)ev->start_mark.column + 1;
  yaml_scalar_style_t style = ev->data.scalar.style;
  if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
      style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
    node->column++; /* point at the text, not at its quote */
  node->len = ev->data.scalar.length;
  node->text = lr_arena_strndup(st->arena, (const char *)ev->data.scalar.value,
                                node->len);
  node->weight = 1;
  const yaml_char_t *tag = ev->data.scalar.tag;
  node->plain = ev->data.scalar.plain_implicit && style == YAML_PLAIN_SCALAR_STYLE;
  node->escaped = style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  if (tag) {
    if (tag_is(tag, YAML_STR_TAG)) {
      node->plain = false;
    } else if (tag_is(tag, YAML_INT_TAG) || tag_is(tag, YAML_BOOL_TAG) ||
               tag_is(tag, YAML_NULL_TAG) || tag_is(tag, YAML_FLOAT_TAG) ||
               tag_is(tag, YAML_TIMESTAMP_TAG)) {
      node->plain = true;
    } else {
      lr_diag *d = error_at(st, node->line, node->column, "");
      d->message = lr_arena_printf(st->arena, "taggen \"%s\" stöds inte",
                                   (const char *)tag);
      lr_diag_hint(st->diags, d, "ta bort taggen (det som börjar med !)");
    }
  }
  if (node->plain) {
    const char *t = node->text;
    node->is_null = node->len == 0 || strcmp(t, "~") == 0 ||
                    strcmp(t, "null") == 0 || strcmp(t, "Null") == 0 ||
                    strcmp(t, "NULL") == 0;
  }
  if (ev->data.scalar.anchor) {
    anchor *a = lr_arena_alloc(st->tree, sizeof *a);
    a->node = node;
    const char *name = lr_arena_strdup(st->tree, (const char *)ev->data.scalar.anchor);
    anchor *old = lr_index_put(&st->anchors, name, a);
    if (old != a) {
      old->node = node;
      old->open = false;
    }
  }
  attach(st, node);
  return true;
}

static bool alias_event(parse_state *st, const yaml_event_t *ev) {
  int line = (int)ev->start_mark.line + 1, column = (int)ev->start_mark.column + 1;
  const char *name = (const char *)ev->data.alias.anchor;
  anchor *a = lr_index_get(&st->anchors, name);
  if (!a) {
    lr_diag *d = error_at(st, line, column, "");
    d->message = lr_arena_printf(st->arena, "okänt ankare \"*%s\"", name);
    lr_diag_hint(st->diags, d, "ett alias *namn måste komma efter sitt ankare &namn");
    return false;
  }
  if (a->open) {
    lr_diag *d = error_at(st, line, column, "");
    d->message = lr_arena_printf(
        st->arena, "aliaset \"*%s\" pekar in i sig självt (en oändlig cykel)",
        name);
    lr_diag_hint(st->diags, d, "ett alias får bara peka på något som redan är färdigt");
    return false;
  }
  st->alias_nodes = add_weight(st->alias_nodes, a->node->weight);
  if (st->alias_nodes > LR_ALIAS_BUDGET) {
    lr_diag *d = error_at(st, line, column,
                          "alias expanderar till för många noder");
    lr_diag_hint(st->diags, d,
                 "filen ser ut som en \"billion laughs\"-attack; skriv ut "
                 "värdena i stället för att upprepa alias");
    return false;
  }
  attach(st, a->node);
  return true;
}

static void syntax_error(parse_state *st, const yaml_parser_t *p, const char *text, size_t size) {
  lr_yaml_error e = {p->problem ? p->problem : "", p->context, 0, 0, 0, 0};
  if (p->error == YAML_READER_ERROR) {
    /* Reader errors carry a byte offset, not a mark. */
    e.line = 1, e.column = 1;
    for (size_t i = 0; i < p->problem_offset && i < size; i++) {
      unsigned char c = (unsigned char)text[i];
      if (c == '\n') e.line++, e.column = 1;
      else if ((c & 0xC0) != 0x80) e.column++;
    }
  } else {
    e.line = (int)p->problem_mark.line + 1;
    e.column = (int)p->problem_mark.column + 1;
  }
  if (p->context) {
    e.context_line = (int)p->context_mark.line + 1;
    e.context_column = (int)p->context_mark.column + 1;
  }
  lr_yaml_explain(st->arena, st->diags, st->src, text, size, &e);
}

/* Tabs and no-break spaces in indentation, found before parsing: libyaml
 * notices them late or not at all. A no-break space looks like a space, so
 * the file is parsed as it looks (with spaces) and checked on; a tab's
 * width is anyone's guess, so it is reported only if the file does not
 * parse (elsewhere, as in a block of text, a tab is content). Returns the
 * text to parse: the source's, or a repaired copy in *copy. */
static const char *indent_faults(parse_state *st, lr_buf *copy, lr_indent_fault **tabs,
                                 size_t *tab_count) {
  const char *text = st->src->data;
  size_t size = st->src->size;
  *tab_count = 0;
  size_t n = lr_indent_faults(text, size, NULL, 0);
  if (!n) return text;
  lr_indent_fault *faults = lr_arena_array(st->tree, n, sizeof *faults);
  lr_indent_faults(text, size, faults, n);
  *tabs = faults;
  bool spaces = false;
  for (size_t i = 0; i < n; i++) {
    if (faults[i].character == '\t') faults[(*tab_count)++] = faults[i];
    else spaces = true;
  }
  for (size_t i = 0; i < n; i++)
    if (faults[i].character != '\t') lr_indent_fault_report(st->arena, st->diags, st->src, &faults[i]);
  if (!spaces) return text;
  lr_indent_repair(text, size, 0, copy);
  return lr_buf_cstr(copy);
}

static void parse(lr_arena *arena, lr_diag_list *diags, lr_document *doc, bool transient);

static lr_document *load(lr_arena *arena, lr_diag_list *diags, const char *path,
                         const char *root, int folder_fd, bool transient) {
  lr_document *doc = lr_arena_alloc(arena, sizeof *doc);
  doc->source = lr_source_read_for_parser(arena, diags, path, root, folder_fd, transient);
  if (doc->source) parse(arena, diags, doc, transient);
  return doc;
}

lr_document *lr_document_parse(lr_arena *arena, lr_diag_list *diags, const char *path,
                               const char *text, size_t size) {
  lr_document *doc = lr_arena_alloc(arena, sizeof *doc);
  lr_source *src = lr_arena_alloc(arena, sizeof *src);
  src->path = lr_arena_strdup(arena, path);
  src->data = lr_arena_strndup(arena, text, size);
  src->size = size;
  doc->source = src;
  parse(arena, diags, doc, false);
  return doc;
}

static void parse(lr_arena *arena, lr_diag_list *diags, lr_document *doc, bool transient) {
  /* A transient tree's arena is freed after each file, so the next file
   * reuses memory that is already mapped and in cache. */
  if (transient) doc->tree = lr_arena_new();

  parse_state st;
  memset(&st, 0, sizeof st);
  st.arena = arena;
  st.tree = transient ? doc->tree : arena;
  st.diags = diags;
  st.src = doc->source;
  lr_index_init(&st.anchors, st.tree, 16);
  size_t said = diags->count;

  lr_buf copy = {0};
  lr_indent_fault *tabs = NULL;
  size_t tab_count;
  const char *text = indent_faults(&st, &copy, &tabs, &tab_count);
  size_t size = text == st.src->data ? st.src->size : copy.len;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) lr_die_oom();
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, size);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  bool ok = true, done = false;
  while (ok && !done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      if (parser.error == YAML_MEMORY_ERROR) lr_die_oom();
      if (tab_count)
        for (size_t i = 0; i < tab_count; i++)
          lr_indent_fault_report(arena, diags, st.src, &tabs[i]);
      else
        syntax_error(&st, &parser, text, size);
      ok = false;
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_END_EVENT: done = true; break;
    case YAML_DOCUMENT_START_EVENT:
      if (++st.documents > 1) {
        lr_diag *d = error_at(&st, (int)ev.start_mark.line + 1,
                              (int)ev.start_mark.column + 1,
                              "filen innehåller mer än ett YAML-dokument");
        lr_diag_hint(diags, d, "ta bort raden \"---\" eller dela upp filen");
        ok = false;
      }
      break;
    case YAML_SCALAR_EVENT: ok = scalar_event(&st, &ev); break;
    case YAML_ALIAS_EVENT: ok = alias_event(&st, &ev); break;
    case YAML_SEQUENCE_START_EVENT:
      ok = open_collection(&st, LR_NODE_SEQUENCE, &ev,
                           (const char *)ev.data.sequence_start.anchor);
      break;
    case YAML_MAPPING_START_EVENT:
      ok = open_collection(&st, LR_NODE_MAPPING, &ev,
                           (const char *)ev.data.mapping_start.anchor);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: close_collection(&st); break;
    default: break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  lr_buf_free(&copy);
  while (st.depth) free(st.stack[--st.depth].items);
  /* libyaml decodes, and so checks, every byte before the stream's end.
   * A parse that stopped short may have stopped at a byte that is not
   * UTF-8, or before it: then that is the one thing to say of the file,
   * as when the text was checked before the parse. */
  if (!done && st.src->utf8_unchecked && !lr_utf8_valid(st.src->data, st.src->size, NULL)) {
    lr_diag_list_truncate(diags, said);
    lr_source_check_utf8(st.src, diags);
    lr_source_release(st.src);
    doc->source = NULL;
    return;
  }

  /* Duplicate keys and bad tags are reported but do not end the parse:
   * the rest of the file is still checked, so no error hides another. */
  if (!ok) return;
  if (!st.root || (st.root->kind == LR_NODE_SCALAR && st.root->is_null)) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){st.src->path, 1, 1},
                             "filen är tom");
    lr_diag_hint(diags, d, "en tom fil är inget giltigt YAML-dokument här; "
                           "fyll i den eller ta bort den");
    return;
  }
  doc->root = st.root;
}

lr_document *lr_document_load(lr_arena *arena, lr_diag_list *diags, const char *path) {
  return load(arena, diags, path, NULL, -1, false);
}

lr_document *lr_document_load_transient(lr_arena *arena, lr_diag_list *diags,
                                        const char *path) {
  return load(arena, diags, path, NULL, -1, true);
}

lr_document *lr_document_load_inside(lr_arena *arena, lr_diag_list *diags, const char *path,
                                     const char *root, int folder_fd, bool transient) {
  return load(arena, diags, path, root, folder_fd, transient);
}

void lr_document_release(lr_document *doc) {
  lr_source_release(doc->source);
  lr_arena_free(doc->tree);
  doc->tree = NULL;
  doc->root = NULL;
}
