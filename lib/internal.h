/* Library-internal interfaces: source files, the position-keeping YAML
 * tree, and the strict-schema helpers the per-file loaders share. Not
 * installed; the CLI sees only lagesrapport.h. */
#ifndef LR_INTERNAL_H
#define LR_INTERNAL_H

#include "lagesrapport.h"

#include <stdint.h>

enum {
  LR_MAX_FILE_SIZE = 10 * 1024 * 1024,
  LR_MAX_DEPTH = 64,
  /* Nodes that aliases may add beyond the file's own: a real file never
   * comes near, a "billion laughs" file passes it within a few levels. */
  LR_ALIAS_BUDGET = 100000,
};

/* ---- threads ------------------------------------------------------------ */

/* A worker thread allocates in an arena of its own and reports into a list
 * of its own; when it is done, both are handed to the project's:
 * lr_arena_adopt moves every block of `from` into `into` and frees `from`;
 * lr_diag_list_move appends from's diagnostics to into, in order, leaving
 * their text where it is (so from's arena must live as long as into's). */
void lr_arena_adopt(lr_arena *into, lr_arena *from);
void lr_diag_list_move(lr_diag_list *into, lr_diag_list *from);

/* ---- source files ---------------------------------------------------- */

typedef struct lr_source {
  const char *path; /* as shown in diagnostics */
  const char *data; /* NUL-terminated, arena-owned unless transient */
  size_t size;
  size_t *line_starts; /* built on first use */
  size_t line_count;
  char *owned; /* a transient source's text, until lr_source_release */
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
/* Frees a transient source's text; its lines can no longer be quoted. */
void lr_source_release(lr_source *src);
/* The text of a 1-based line (without its line break), arena-allocated. */
const char *lr_source_line(lr_arena *arena, lr_source *src, int line);

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
/* Either of the above for a file of the project: see lr_source_read_inside. */
lr_document *lr_document_load_inside(lr_arena *arena, lr_diag_list *diags, const char *path,
                                     const char *root, bool transient);
void lr_document_release(lr_document *doc);

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
/* One of `names` (NULL-terminated); returns its index or -1 with an error. */
int lr_ctx_enum(const lr_ctx *ctx, const lr_node *node, const char *key,
                const char *const *names, const char *what);

const char *lr_node_kind_name(const lr_node *node);

/* ---- indexes ---------------------------------------------------------- */

/* An open-addressing hash map to pointers, arena-owned, so that lookups
 * stay constant-time at national scale. Keys are strings (ids), or, for
 * caches of things the model already holds, addresses: a prose field is
 * rendered once however often it is shown. */
typedef struct lr_index {
  lr_arena *arena;
  const void **keys;
  void **values;
  size_t cap, count;
  bool by_address;
} lr_index;

void lr_index_init(lr_index *index, lr_arena *arena, size_t expected);
/* Returns the existing value if the key is present (and keeps it). */
void *lr_index_put(lr_index *index, const char *key, void *value);
void *lr_index_get(const lr_index *index, const char *key);

typedef lr_index lr_ptr_index;
void lr_ptr_index_init(lr_ptr_index *index, lr_arena *arena, size_t expected);
void *lr_ptr_index_put(lr_ptr_index *index, const void *key, void *value);
void *lr_ptr_index_get(const lr_ptr_index *index, const void *key);

/* ---- views ----------------------------------------------------------- */

/* A string value that points at s instead of copying it, for views built
 * from text that outlives them (the model, cached prose): a national
 * build would otherwise copy every description into every view. */
lr_value *lr_value_string_borrowed(lr_arena *arena, const char *s);
void lr_value_set_borrowed(lr_value *map, const char *key, const char *s);

/* lr_markdown_html and lr_markdown_clean of one field from one parse, for
 * a build that writes both; a NULL output is not rendered. */
void lr_markdown_render(lr_arena *arena, const char *markdown, const char **html,
                        const char **clean);

/* ---- characters a reader cannot see ------------------------------------ */

/* An invalid UTF-8 byte as lr_char_decode returns it: the flag and the byte. */
#define LR_CHAR_INVALID 0x80000000u
enum { LR_CHAR_ESCAPE_MAX = 12 }; /* "\U000e0001" and its NUL */

/* The character at s (n bytes left), its length in bytes in *len; never
 * less than one byte, so a loop over any bytes always ends. */
uint32_t lr_char_decode(const char *s, size_t n, size_t *len);
/* Control characters (C0, DEL, C1), invisible formatting characters
 * (zero-width, direction controls, BOM, soft hyphen, other Cf) and
 * invalid bytes: what a terminal obeys or a reader cannot see. */
bool lr_char_is_invisible(uint32_t c);
/* Spaces other than U+0020 (no-break, em, ideographic …): they look
 * like a space but are not one. */
bool lr_char_is_other_space(uint32_t c);
/* "U+200B, nollbreddsmellanslag", for messages. */
const char *lr_char_describe(lr_arena *arena, uint32_t c);
/* The escape ("\x1b", "\u200b") that shows the character at s, written to
 * out with its length returned; 0 when it can be shown as it is. */
size_t lr_char_escape(const char *s, size_t n, size_t *len, char out[LR_CHAR_ESCAPE_MAX]);
/* lr_buf_put_visible (lagesrapport.h) escapes what lr_char_escape does. */
/* The first character of an id that a reader could not see as written
 * (invisible, or a space other than U+0020), with the character in
 * *hidden; NULL when every one is visible. */
const char *lr_id_find_hidden(const char *s, size_t n, uint32_t *hidden);
/* The id as it looks: hidden characters dropped, odd spaces made spaces. */
const char *lr_id_without_hidden(lr_arena *arena, const char *s, size_t n);

/* ---- loaders --------------------------------------------------------- */

bool lr_utf8_valid(const char *s, size_t n, size_t *bad_offset);
/* write(2) until every byte is out, retrying on EINTR. */
bool lr_fd_write_all(int fd, const char *data, size_t size);
bool lr_path_is_file(const char *path);
bool lr_path_is_dir(const char *path);
/* Whether anything is there, a dangling link too. */
bool lr_path_exists(const char *path);
/* The path with every link, "." and ".." resolved, or NULL. */
const char *lr_path_real(lr_arena *arena, const char *path);
/* Whether a real path lies below the real path of a folder. */
bool lr_path_is_inside(const char *real, const char *root);
const char *lr_path_join(lr_arena *arena, const char *dir, const char *rel);

/* ---- the project being loaded ----------------------------------------- */

struct lr_project {
  lr_arena *arena;
  lr_diag_list diags;
  lr_config config;
  lr_strategy strategy;
  lr_actor *actors;
  size_t actor_count;
  lr_year *years;
  size_t year_count;
  lr_index actor_ids;  /* id -> lr_actor */
  lr_index target_ids; /* goal or sub-goal id -> lr_target */
  lr_index area_ids;   /* id -> lr_area */
  /* The project folder's real path: what its files may resolve into. */
  const char *real_root;
};

/* Each returns false when its file could not be used at all. */
bool lr_config_load(lr_project *p, const char *dir);
bool lr_strategy_load(lr_project *p);
bool lr_actors_load(lr_project *p);
bool lr_statement_load(lr_project *p, int year, const char *path,
                       const char *stem, lr_statement *out);
/* The same into an arena and a list of the caller's, for a loader thread:
 * p is only read. */
bool lr_statement_load_in(lr_project *p, lr_arena *arena, lr_diag_list *diags, int year,
                          const char *path, const char *stem, lr_statement *out);
const lr_report_texts *lr_report_texts_load(lr_project *p, const char *path);

/* Shared checks of ids and addresses used by several loaders. */
const lr_actor *lr_ctx_actor_ref(const lr_ctx *ctx, lr_project *p,
                                 const lr_node *node);
bool lr_ctx_email(const lr_ctx *ctx, const lr_node *node, const char *key,
                  const char **out);
bool lr_mailbox_is_valid(const char *address);

#endif
