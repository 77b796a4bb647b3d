/* The library's toolkit, below every other layer: the arena's and the
 * diagnostics' private half, indexes, characters a reader cannot see, and
 * paths. Nothing here knows what a strategy or a statement is. */
#ifndef LR_UTIL_H
#define LR_UTIL_H

#include "lagesrapport.h"

#include <stdint.h>

/* ---- calendar dates (proleptic Gregorian) --------------------------------- */

bool lr_date_is_valid(int year, int month, int day);
int lr_date_compare(lr_date a, lr_date b); /* <0, 0, >0 like strcmp */
long long lr_date_days(lr_date date);      /* days since 1970-01-01 */
/* "2023-02-14", or NULL for no date. */
const char *lr_date_text(lr_arena *arena, lr_date date);
/* "14 februari 2023", as a letter writes it; NULL for no date. */
const char *lr_date_words(lr_arena *arena, lr_date date);
/* The UTC date of a moment (seconds since the epoch, not negative). */
lr_date lr_date_of(long long seconds);

/* ---- diagnostics one by one ---------------------------------------------- */

/* Stable order for printing: by file, line, column, then discovery. */
void lr_diag_list_sort(lr_diag_list *list);
/* One diagnostic as lr_diag_list_format writes each. */
void lr_diag_format(const lr_diag *diag, unsigned flags, lr_buf *out);

/* ---- the bounds on hostile input ------------------------------------------ */

enum {
  LR_MAX_FILE_SIZE = 10 * 1024 * 1024,
  LR_MAX_DEPTH = 64,
  /* Nodes that aliases may add beyond the file's own: a real file never
   * comes near, a "billion laughs" file passes it within a few levels. */
  LR_ALIAS_BUDGET = 100000,
  /* Prose fields are Markdown written by many hands. Each is capped at
   * this many bytes before rendering (cmark has slow inputs) and cut with
   * a visible note. */
  LR_PROSE_MAX = 16 * 1024,
};

/* ---- memory and diagnostics ---------------------------------------------- */

void *lr_arena_alloc(lr_arena *arena, size_t size); /* zeroed */
size_t lr_arena_size(const lr_arena *arena);
void *lr_xmalloc(size_t size);
void *lr_xrealloc(void *p, size_t size);
/* As lr_xmalloc, for a block of megabytes that is filled at once: huge
 * pages where the system has them (src/util/arena.c). free() frees it. */
void *lr_xmalloc_large(size_t size);
/* An arena for what will grow to megabytes (a project, a loader's share of
 * it, a workbook's scratch): its chunks are huge pages from the first.
 * lr_arena_new's first chunks are small, for the many arenas of one page;
 * growing a large arena through them costs a page fault per 4 KiB of its
 * first 2 MiB, a fifth of all of a national build's faults. */
lr_arena *lr_arena_new_large(void);
void lr_die_oom(void) __attribute__((noreturn));
void lr_buf_reserve(lr_buf *b, size_t extra);
/* items with sep between them, in the arena ("" for none). */
const char *lr_text_join(lr_arena *arena, const char *const *items, size_t n, const char *sep);
/* RFC 4648 base64 with padding, on one line. */
void lr_buf_put_base64(lr_buf *out, const void *data, size_t n);
void lr_diag_list_init(lr_diag_list *list, lr_arena *arena);
void lr_diag_list_release(lr_diag_list *list); /* frees items, not the arena */
/* Drops the diagnostics found after the first `count`, when what they say
 * is moot: a file that turns out not to be text at all. */
void lr_diag_list_truncate(lr_diag_list *list, size_t count);
lr_diag *lr_diag_add(lr_diag_list *list, lr_severity severity, lr_loc loc,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void lr_diag_hint(lr_diag_list *list, lr_diag *diag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- suggestions ----------------------------------------------------------- */

enum { LR_SUGGEST_MAX = 8 };
/* The `max` (at most LR_SUGGEST_MAX) candidates nearest to word by edit
 * distance, nearest first, into out; returns how many. lr_suggest (the
 * public header) is the one close enough to be a slip. */
size_t lr_suggest_nearest(const char *word, const char *const *candidates, size_t count,
                          const char **out, size_t max);

/* The hint for an unknown id: every valid one when there are at most
 * LR_SUGGEST_FEW, otherwise the three nearest and `where` (a file, or
 * NULL) they all are. `what` is plural: "aktörer", "mål och delmål". */
enum { LR_SUGGEST_FEW = 10 };
void lr_diag_hint_ids(lr_diag_list *diags, lr_diag *d, const char *word, const char *const *ids,
                      size_t count, const char *what, const char *where);

/* ---- threads ------------------------------------------------------------ */

/* A worker thread allocates in an arena of its own and reports into a list
 * of its own; when it is done, both are handed to the project's:
 * lr_arena_adopt moves every block of `from` into `into` and frees `from`;
 * lr_diag_list_move appends from's diagnostics to into, in order, leaving
 * their text where it is (so from's arena must live as long as into's). */
void lr_arena_adopt(lr_arena *into, lr_arena *from);
void lr_diag_list_move(lr_diag_list *into, lr_diag_list *from);

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

/* ---- files and paths --------------------------------------------------------- */

/* What errno says, in Swedish (src/util/oserror.c). */
const char *lr_errno_text(int error);
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

/* ---- command lines ---------------------------------------------------------- */

/* Splits a one-line command into the words of an argv (NULL-terminated,
 * in arena) as a shell would for 'single' and "double" quotes and
 * backslashes, and nothing more: no variables, globs or operators. False
 * with a Swedish *problem for an unclosed quote, a line break or nothing. */
bool lr_command_split(lr_arena *arena, const char *text, const char ***words, size_t *count,
                      const char **problem);

/* ---- hashes ------------------------------------------------------------ */

/* SHA-256 of n bytes (src/util/sha256.c). */
void lr_sha256(const void *data, size_t n, unsigned char digest[32]);

#endif
