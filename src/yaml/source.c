/* Source files: read whole (they are small and capped), checked for size
 * and UTF-8 before any parser sees them, and indexed by line so that a
 * diagnostic can quote the line it points at. */
#define _XOPEN_SOURCE 700 /* realpath(3): POSIX, but glibc hides it from plain POSIX builds */
#include "yaml/yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

bool lr_path_is_inside(const char *real, const char *root) {
  size_t n = strlen(root);
  if (n == 1 && root[0] == '/') return real[0] == '/';
  return strncmp(real, root, n) == 0 && real[n] == '/';
}

/* The text of a symbolic link, for a message about where it points. */
static const char *link_text(lr_arena *arena, const char *path) {
  char buf[4096];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  return n > 0 ? lr_arena_strndup(arena, buf, (size_t)n) : NULL;
}

/* The reasons a user can act on get a message of their own; the rest
 * take their words from lr_errno_text. */
static void report_unreadable(lr_diag_list *diags, lr_loc whole, int error, const char *link) {
  lr_diag *d;
  if (link && error == ENOENT) {
    d = lr_diag_add(diags, LR_ERROR, whole, "länken pekar på %s, som inte finns", link);
    lr_diag_hint(diags, d, "ta bort länken eller lägg filen den pekar på på plats");
    return;
  }
  switch (error) {
  case ENOENT:
  case ENOTDIR:
    d = lr_diag_add(diags, LR_ERROR, whole, "filen finns inte");
    lr_diag_hint(diags, d, "kontrollera namnet och sökvägen");
    break;
  case EACCES:
  case EPERM:
    d = lr_diag_add(diags, LR_ERROR, whole, "du saknar behörighet att läsa filen");
    lr_diag_hint(diags, d, "be den som äger filen om läsrätt");
    break;
  case ELOOP:
    d = lr_diag_add(diags, LR_ERROR, whole, "filen är en länk i en slinga av länkar");
    lr_diag_hint(diags, d, "låt länken peka direkt på en fil, eller ersätt den med filen");
    break;
  default:
    d = lr_diag_add(diags, LR_ERROR, whole, "kan inte läsa filen: %s", lr_errno_text(error));
    lr_diag_hint(diags, d, "kontrollera att filen går att öppna och läsa");
  }
}

/* Opens path as a regular file, or reports why it will not be read and
 * returns -1. With `root` (a real path) the file's real path, every link
 * resolved, must be inside it: a statement that links to /etc/passwd or
 * /dev/zero is refused before a byte of it is read. What is opened is the
 * resolved path, not followed again, and fstat of the open file decides
 * whether it is a regular one, so no second lookup can change the answer. */
static int open_regular(lr_arena *arena, lr_diag_list *diags, const char *path, const char *root,
                        int folder_fd, struct stat *st) {
  /* In a folder already found inside root, a plain file is inside too:
   * opened there by name, and not followed if it is a link, it needs no
   * lookup of every component of its path (a dozen system calls, for
   * each of 400 statements). Anything but a plain file takes the long way
   * below, which says what it is. */
  if (root && folder_fd >= 0) {
    const char *slash = strrchr(path, '/');
    int fd = openat(folder_fd, slash ? slash + 1 : path,
                    O_RDONLY | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, st) == 0 && S_ISREG(st->st_mode)) return fd;
    if (fd >= 0) close(fd);
  }
  lr_loc whole = {path, 0, 0};
  const char *target = path;
  const char *link = link_text(arena, path);
  if (root) {
    char *real = realpath(path, NULL);
    if (!real) {
      report_unreadable(diags, whole, errno, link);
      return -1;
    }
    bool inside = lr_path_is_inside(real, root);
    target = lr_arena_strdup(arena, real);
    free(real);
    if (!inside) {
      lr_diag *d = lr_diag_add(diags, LR_ERROR, whole, "filen leder ut ur projektmappen, till %s",
                               target);
      lr_diag_hint(diags, d, "lägg en kopia av filen i projektmappen i stället för en länk; "
                             "filer utanför projektmappen läses inte");
      return -1;
    }
  }
  /* O_NONBLOCK: a named pipe must not hang the check before fstat. */
  int fd = open(target, O_RDONLY | O_NOCTTY | O_NONBLOCK | (root ? O_NOFOLLOW : 0));
  if (fd < 0) {
    report_unreadable(diags, whole, errno, link);
    return -1;
  }
  if (fstat(fd, st) != 0) {
    report_unreadable(diags, whole, errno, NULL);
    close(fd);
    return -1;
  }
  if (!S_ISREG(st->st_mode)) {
    const char *what = S_ISDIR(st->st_mode) ? "en mapp, inte en fil"
                                            : "en pipe eller en enhet, inte en vanlig fil";
    lr_diag *d;
    if (link)
      d = lr_diag_add(diags, LR_ERROR, whole, "länken pekar på %s, som är %s", link, what);
    else
      d = lr_diag_add(diags, LR_ERROR, whole, "är %s", what);
    lr_diag_hint(diags, d, "här läses bara vanliga textfiler; ta bort den eller flytta den härifrån");
    close(fd);
    return -1;
  }
  return fd;
}

bool lr_source_check_utf8(lr_source *src, lr_diag_list *diags) {
  size_t bad;
  if (lr_utf8_valid(src->data, src->size, &bad)) return true;
  int line, column;
  offset_position(src->data, bad, &line, &column);
  lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){src->path, line, column},
                           "ogiltig UTF-8 (byte 0x%02X)", (unsigned char)src->data[bad]);
  lr_diag_hint(diags, d,
               "spara filen som UTF-8; texten är troligen sparad som Latin-1 "
               "eller Windows-1252, och \"lagesrapport check --fix\" gör om den");
  d->source_line = NULL; /* the line itself is not valid text */
  return false;
}

/* transient: the text is lr_xmalloc'ed, for lr_source_release.
 * check_utf8 false: see lr_source_read_for_parser. */
static lr_source *read_source(lr_arena *arena, lr_diag_list *diags, const char *path,
                              const char *root, int folder_fd, bool transient, bool check_utf8) {
  lr_loc whole = {path, 0, 0};
  struct stat st;
  int fd = open_regular(arena, diags, path, root, folder_fd, &st);
  if (fd < 0) return NULL;
  if (st.st_size > LR_MAX_FILE_SIZE) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, whole,
                             "filen är %.1f MiB, gränsen är %d MiB",
                             (double)st.st_size / (1024.0 * 1024.0),
                             LR_MAX_FILE_SIZE / (1024 * 1024));
    lr_diag_hint(diags, d, "dela upp innehållet eller korta ner texterna");
    close(fd);
    return NULL;
  }
  size_t size = (size_t)st.st_size;
  char *data = transient ? lr_xmalloc(size + 1) : lr_arena_alloc(arena, size + 1);
  /* A file that grows while read is cut at its stat size; one that shrinks
   * is read as it is. Either way the bytes parsed are the bytes checked. */
  size_t got = 0;
  bool failed = false;
  while (got < size) {
    ssize_t n = read(fd, data + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed = n < 0;
      break;
    }
    got += (size_t)n;
  }
  close(fd);
  lr_source *src = lr_arena_alloc(arena, sizeof *src);
  src->path = lr_arena_strdup(arena, path);
  src->data = data;
  src->size = got;
  if (transient) src->owned = data;
  if (failed) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, whole, "kunde inte läsa filen till slut");
    lr_diag_hint(diags, d, "försök igen; kontrollera disken eller nätverksmappen om felet kvarstår");
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
  if (got >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){src->path, 1, 1},
                             "filen börjar med ett osynligt BOM-tecken");
    lr_diag_hint(diags, d, "spara filen som UTF-8 utan BOM, eller kör \"lagesrapport check --fix\"");
    lr_source_release(src);
    return NULL;
  }
  /* A NUL is valid UTF-8; invalid UTF-8 is reported first, as ever. */
  const char *nul = memchr(data, '\0', got);
  src->utf8_unchecked = !check_utf8 && !nul;
  if (!src->utf8_unchecked && !lr_source_check_utf8(src, diags)) {
    lr_source_release(src);
    return NULL;
  }
  if (nul) {
    size_t at = (size_t)(nul - data);
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
  return read_source(arena, diags, path, NULL, -1, false, true);
}

lr_source *lr_source_read_transient(lr_arena *arena, lr_diag_list *diags, const char *path) {
  return read_source(arena, diags, path, NULL, -1, true, true);
}

lr_source *lr_source_read_inside(lr_arena *arena, lr_diag_list *diags, const char *path,
                                 const char *root, bool transient) {
  return read_source(arena, diags, path, root, -1, transient, true);
}

lr_source *lr_source_read_for_parser(lr_arena *arena, lr_diag_list *diags, const char *path,
                                     const char *root, int folder_fd, bool transient) {
  return read_source(arena, diags, path, root, folder_fd, transient, false);
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

bool lr_path_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

const char *lr_path_real(lr_arena *arena, const char *path) {
  char *real = realpath(path, NULL);
  if (!real) return NULL;
  const char *out = lr_arena_strdup(arena, real);
  free(real);
  return out;
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
