/* Source files: read whole (they are small and capped), checked for size
 * and UTF-8 before any parser sees them, and indexed by line so that a
 * diagnostic can quote the line it points at. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool lr_utf8_valid(const char *s, size_t n, size_t *bad_offset) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    size_t len;
    unsigned min;
    if (c < 0x80) {
      /* Statements are mostly ASCII: skip it eight bytes at a time. */
      uint64_t word;
      while (n - i >= 8 && (memcpy(&word, p + i, 8), (word & 0x8080808080808080ULL) == 0)) i += 8;
      while (i < n && p[i] < 0x80) i++;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF && n - i >= 2 && (p[i + 1] & 0xC0) == 0x80) {
      i += 2; /* å, ä, ö and the rest of Latin: never overlong from 0xC2 */
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000;
    } else {
      goto bad;
    }
    if (n - i < len) goto bad;
    unsigned cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) goto bad;
      cp = cp << 6 | (p[i + k] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are invalid. */
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) goto bad;
    i += len;
  }
  return true;
bad:
  if (bad_offset) *bad_offset = i;
  return false;
}

/* Line and column (1-based, in characters) of a byte offset, counting line
 * breaks as libyaml does so that both kinds of position agree. */
static void offset_position(const char *data, size_t offset, int *line,
                            int *column) {
  int l = 1, c = 1;
  for (size_t i = 0; i < offset; i++) {
    unsigned char ch = (unsigned char)data[i];
    if (ch == '\n' || (ch == '\r' && data[i + 1] != '\n')) {
      l++;
      c = 1;
    } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
      c++;
    }
  }
  *line = l;
  *column = c;
}

/* transient: the text is lr_xmalloc'ed, for lr_source_release. */
static lr_source *read_source(lr_arena *arena, lr_diag_list *diags, const char *path,
                              bool transient) {
  lr_loc whole = {path, 0, 0};
  struct stat st;
  if (stat(path, &st) != 0) {
    lr_diag_add(diags, LR_ERROR, whole, "kan inte läsa filen: %s",
                strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    lr_diag_add(diags, LR_ERROR, whole, "är inte en vanlig fil");
    return NULL;
  }
  if (st.st_size > LR_MAX_FILE_SIZE) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, whole,
                             "filen är %.1f MiB, gränsen är %d MiB",
                             (double)st.st_size / (1024.0 * 1024.0),
                             LR_MAX_FILE_SIZE / (1024 * 1024));
    lr_diag_hint(diags, d, "dela upp innehållet eller korta ner texterna");
    return NULL;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    lr_diag_add(diags, LR_ERROR, whole, "kan inte öppna filen: %s",
                strerror(errno));
    return NULL;
  }
  size_t size = (size_t)st.st_size;
  char *data = transient ? lr_xmalloc(size + 1) : lr_arena_alloc(arena, size + 1);
  size_t got = fread(data, 1, size, f);
  /* A file that grows while read is cut at its stat size; one that shrinks
   * is read as it is. Either way the bytes parsed are the bytes checked. */
  bool failed = ferror(f);
  fclose(f);
  lr_source *src = lr_arena_alloc(arena, sizeof *src);
  src->path = lr_arena_strdup(arena, path);
  src->data = data;
  src->size = got;
  if (transient) src->owned = data;
  if (failed) {
    lr_diag_add(diags, LR_ERROR, whole, "kunde inte läsa filen");
    lr_source_release(src);
    return NULL;
  }
  data[got] = '\0';

  if (got >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                   ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){src->path, 1, 1},
                             "filen är sparad som UTF-16");
    lr_diag_hint(diags, d, "spara filen som UTF-8");
    lr_source_release(src);
    return NULL;
  }
  size_t bad;
  if (!lr_utf8_valid(data, got, &bad)) {
    int line, column;
    offset_position(data, bad, &line, &column);
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){src->path, line, column},
                             "ogiltig UTF-8 (byte 0x%02X)",
                             (unsigned char)data[bad]);
    lr_diag_hint(diags, d,
                 "spara filen som UTF-8; texten är troligen sparad som Latin-1 "
                 "eller Windows-1252");
    d->source_line = NULL; /* the line itself is not valid text */
    lr_source_release(src);
    return NULL;
  }
  if (memchr(data, '\0', got)) {
    size_t at = (size_t)((const char *)memchr(data, '\0', got) - data);
    int line, column;
    offset_position(data, at, &line, &column);
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){src->path, line, column},
                             "filen innehåller ett NUL-tecken");
    lr_diag_hint(diags, d, "filen ser ut att vara binär, inte YAML-text");
    lr_source_release(src);
    return NULL;
  }
  return src;
}

lr_source *lr_source_read(lr_arena *arena, lr_diag_list *diags, const char *path) {
  return read_source(arena, diags, path, false);
}

lr_source *lr_source_read_transient(lr_arena *arena, lr_diag_list *diags, const char *path) {
  return read_source(arena, diags, path, true);
}

void lr_source_release(lr_source *src) {
  if (!src || !src->owned) return;
  free(src->owned);
  src->owned = NULL;
  src->data = NULL;
  src->size = 0;
}

static void index_lines(lr_arena *arena, lr_source *src) {
  size_t count = 1;
  for (size_t i = 0; i < src->size; i++)
    if (src->data[i] == '\n' ||
        (src->data[i] == '\r' && src->data[i + 1] != '\n'))
      count++;
  src->line_starts = lr_arena_array(arena, count, sizeof *src->line_starts);
  size_t n = 0;
  src->line_starts[n++] = 0;
  for (size_t i = 0; i < src->size; i++)
    if (src->data[i] == '\n' ||
        (src->data[i] == '\r' && src->data[i + 1] != '\n'))
      src->line_starts[n++] = i + 1;
  src->line_count = count;
}

const char *lr_source_line(lr_arena *arena, lr_source *src, int line) {
  if (!src || !src->data || line < 1) return NULL;
  if (!src->line_starts) index_lines(arena, src);
  if ((size_t)line > src->line_count) return NULL;
  size_t start = src->line_starts[line - 1];
  size_t end = start;
  while (end < src->size && src->data[end] != '\n' && src->data[end] != '\r')
    end++;
  /* Very long lines (minified data) are not worth quoting in full. */
  if (end - start > 400) return NULL;
  return lr_arena_strndup(arena, src->data + start, end - start);
}

bool lr_path_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool lr_path_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *lr_path_join(lr_arena *arena, const char *dir, const char *rel) {
  if (!dir || !*dir || strcmp(dir, ".") == 0 || rel[0] == '/')
    return lr_arena_strdup(arena, rel);
  size_t n = strlen(dir);
  return lr_arena_printf(arena, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/",
                         rel);
}
