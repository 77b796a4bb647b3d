/* Reading YAML as the project's files need it: the source text with its
 * lines, a tree that keeps every node's line and column, and the strict
 * schema helpers the per-file loaders share, each reporting at the node. */
#ifndef LR_YAML_H
#define LR_YAML_H

#include "util/util.h"


/* ---- source files ---------------------------------------------------- */

typedef struct lr_source {
  const char *path; /* as shown in diagnostics */
  const char *data; /* NUL-terminated, arena-owned unless transient */
  size_t size;
  size_t *line_starts; /* built on first use */
  size_t line_count;
  char *owned; /* a transient source's text, until lr_source_release */
  /* Read for the parser, which checks the UTF-8 itself as it decodes:
   * lr_source_check_utf8 is left for a parse that does not finish. */
  bool utf8_unchecked;
} lr_source;

/* Reads a file into the arena, refusing oversized files and invalid UTF-8
 * with a diagnostic. Returns NULL when the file cannot be used. */
lr_source *lr_source_read(lr_arena *arena, lr_diag_list *diags,
                          const char *path);
/* The same with the text on the heap, for the many files whose text is
 * only needed while they are checked: a national year is 400 statements,
 * and keeping their text would hold the whole input in memory twice. */
lr_source *lr_source_read_transient(lr_arena *arena, lr_diag_list *diags,
                                    const char *path);
/* Either of the above for a file of the project: refused, with a
 * diagnostic and unread, unless its real path (links resolved) is inside
 * `root`, itself a real path (lr_path_real). */
lr_source *lr_source_read_inside(lr_arena *arena, lr_diag_list *diags, const char *path,
                                 const char *root, bool transient);
/* lr_source_read_inside without the UTF-8 check, for the YAML parser
 * (see utf8_unchecked): the check was a tenth of loading a statement.
 * folder_fd, when not -1, is path's folder, open and found inside root:
 * a plain file there is read without resolving its whole path again. */
lr_source *lr_source_read_for_parser(lr_arena *arena, lr_diag_list *diags, const char *path,
                                     const char *root, int folder_fd, bool transient);
/* Whether src is valid UTF-8; if not, says where with a diagnostic. */
bool lr_source_check_utf8(lr_source *src, lr_diag_list *diags);
/* Frees a transient source's text; its lines can no longer be quoted. */
void lr_source_release(lr_source *src);
/* The text of a 1-based line (without its line break), arena-allocated. */
const char *lr_source_line(lr_arena *arena, lr_source *src, int line);

/* ---- syntax errors where the user made them (mistakes.c) -------------- */

/* A syntax error as libyaml reports it: where it noticed, 1-based, and
 * where the construct it was reading began (context_line 0: none). */
typedef struct lr_yaml_error {
  const char *problem, *context; /* libyaml's English, never shown */
  int line, column;
  int context_line, context_column;
} lr_yaml_error;

/* Reports the error at the place to fix, in Swedish, reading `text` (what
 * was parsed) around libyaml's mark to find it. */
void lr_yaml_explain(lr_arena *arena, lr_diag_list *diags, lr_source *src, const char *text,
                     size_t size, const lr_yaml_error *error);

/* A tab or a no-break space (U+00A0) before the first character of a line
 * that has content: YAML indents with spaces only. */
typedef struct lr_indent_fault {
  int line, column;
  size_t offset;      /* of the character in the text */
  uint32_t character; /* '\t' or 0xA0 */
} lr_indent_fault;

/* Counts the lines with such a character, storing at most `max` of them. */
size_t lr_indent_faults(const char *text, size_t size, lr_indent_fault *out, size_t max);
void lr_indent_fault_report(lr_arena *arena, lr_diag_list *diags, lr_source *src,
                            const lr_indent_fault *fault);
/* Appends the text to out with every no-break space in indentation made a
 * space, and every tab there spaces to the next multiple of tab_width
 * (tab_width 0 leaves tabs as they are). Other bytes are copied as is. */
void lr_indent_repair(const char *text, size_t size, int tab_width, lr_buf *out);

/* ---- check --fix (repair.c) ----------------------------------------- */

enum { LR_REPAIR_NOTES = 1000 }; /* changes told per file; the rest are made, untold */

typedef struct lr_repair {
  struct {
    int line; /* 1-based, the same in the file before and after */
    const char *change; /* "ändrat …", arena-allocated */
  } notes[LR_REPAIR_NOTES];
  size_t note_count;
  const char *refusal; /* why nothing was changed, when false is returned */
} lr_repair;

/* Repairs a file's bytes into out: encoding (Windows-1252 or Latin-1 to
 * UTF-8), BOM, CRLF, tabs and no-break spaces in indentation, and nothing
 * else. Returns false, with out untouched and r->refusal set, when the
 * repair is not certain or the result would not parse; true otherwise,
 * with r->note_count 0 when there was nothing to repair. */
bool lr_yaml_repair(lr_arena *arena, const char *data, size_t size, lr_buf *out, lr_repair *r);

/* ---- YAML documents -------------------------------------------------- */

typedef enum lr_node_kind {
  LR_NODE_SCALAR,
  LR_NODE_SEQUENCE,
  LR_NODE_MAPPING
} lr_node_kind;

typedef struct lr_node lr_node;
struct lr_node {
  lr_node_kind kind;
  int line, column; /* 1-based, at the value's first character */
  /* scalars */
  const char *text;
  size_t len;
  bool plain;   /* unquoted, untagged: subject to YAML 1.1 typing */
  /* Double-quoted: only there can an escape (\x01) put a control
   * character in the text; libyaml refuses raw ones everywhere. */
  bool escaped;
  bool is_null; /* plain empty, ~, null */
  /* collections; a mapping holds key, value, key, value, ... */
  lr_node **items;
  size_t count;
  size_t weight; /* nodes below, aliases expanded: bounds any walk */
};

typedef struct lr_document {
  lr_source *source;
  lr_node *root;   /* NULL when the file could not be parsed */
  lr_arena *tree;  /* a transient document's nodes, or NULL */
} lr_document;

/* Parses one YAML file. Syntax errors, duplicate keys, nesting deeper than
 * LR_MAX_DEPTH, alias cycles and alias bombs are diagnostics. */
lr_document *lr_document_load(lr_arena *arena, lr_diag_list *diags,
                              const char *path);
/* The same for a file needed only while it is checked (a statement): the
 * text of its scalars goes into arena, but the file's text and its tree
 * are the document's own until lr_document_release. A national year is
 * 400 files; keeping every tree would hold the input in memory twice. */
lr_document *lr_document_load_transient(lr_arena *arena, lr_diag_list *diags,
                                        const char *path);
/* Either of the above for a file of the project: see lr_source_read_inside,
 * and lr_source_read_for_parser for folder_fd (-1: none). */
lr_document *lr_document_load_inside(lr_arena *arena, lr_diag_list *diags, const char *path,
                                     const char *root, int folder_fd, bool transient);
void lr_document_release(lr_document *doc);
/* Parses text in memory (a file as `check --fix` would write it), named
 * `path` in diagnostics. */
lr_document *lr_document_parse(lr_arena *arena, lr_diag_list *diags, const char *path,
                               const char *text, size_t size);

/* ---- strict schema --------------------------------------------------- */

/* Everything a per-file loader needs to report against its file. */
typedef struct lr_ctx {
  lr_arena *arena;
  lr_diag_list *diags;
  lr_source *source;
} lr_ctx;

lr_loc lr_ctx_loc(const lr_ctx *ctx, const lr_node *node);
lr_diag *lr_ctx_error(const lr_ctx *ctx, const lr_node *node,
                      const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
lr_diag *lr_ctx_warning(const lr_ctx *ctx, const lr_node *node,
                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Splits a mapping into the slots of `keys` (NULL-terminated), reporting
 * every unknown key with a suggestion. `what` names the mapping in
 * messages ("yttrandet"). Returns false if node is not a mapping. */
bool lr_ctx_fields(const lr_ctx *ctx, const lr_node *node,
                   const char *const *keys, const lr_node **slots,
                   const char *what);
/* Reports a missing required key at the mapping. Returns false if absent. */
bool lr_ctx_require(const lr_ctx *ctx, const lr_node *map, const lr_node *value,
                    const char *key);

/* Typed readers. Each returns false (with a diagnostic) on a wrong type;
 * a NULL or null node leaves the output untouched and returns true. */
bool lr_ctx_line(const lr_ctx *ctx, const lr_node *node, const char *key,
                 const char **out);
bool lr_ctx_text(const lr_ctx *ctx, const lr_node *node, const char *key,
                 const char **out);
bool lr_ctx_int(const lr_ctx *ctx, const lr_node *node, const char *key,
                long *out);
bool lr_ctx_bool(const lr_ctx *ctx, const lr_node *node, const char *key,
                 bool *out);
bool lr_ctx_date(const lr_ctx *ctx, const lr_node *node, const char *key,
                 lr_date *out);
/* A sequence of scalars, or one scalar as a one-item list. */
bool lr_ctx_scalars(const lr_ctx *ctx, const lr_node *node, const char *key,
                    const lr_node ***out, size_t *count);
/* Ids and references to them: a single-line text whose every character
 * can be seen as written (lr_id_find_hidden), so that "1:1" followed by a
 * zero-width space is never a second "1:1". lr_ctx_visible_id reports one
 * that is not, at the hidden character when the file shows it. */
bool lr_ctx_visible_id(const lr_ctx *ctx, const lr_node *node, const char *key);
bool lr_ctx_id(const lr_ctx *ctx, const lr_node *node, const char *key, const char **out);
/* Like lr_ctx_scalars, for a list of ids: every usable id is in *out even
 * when others were reported, so that each is still checked. */
bool lr_ctx_ids(const lr_ctx *ctx, const lr_node *node, const char *key, const lr_node ***out,
                size_t *count);
/* A sequence (null counts as empty). */
bool lr_ctx_sequence(const lr_ctx *ctx, const lr_node *node, const char *key);
/* Reports a plain value with "#" right after text ("pågående#obs"): in
 * YAML only " #" starts a comment. For a value already found unknown, so
 * that "C#" in a text is never questioned. True when reported. */
bool lr_ctx_glued_comment(const lr_ctx *ctx, const lr_node *node);
/* One of `names` (NULL-terminated); returns its index or -1 with an error. */
int lr_ctx_enum(const lr_ctx *ctx, const lr_node *node, const char *key,
                const char *const *names, const char *what);

const char *lr_node_kind_name(const lr_node *node);

#endif
