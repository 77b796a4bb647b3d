/* The delivery journal: which messages a server has already accepted, kept
 * in the mail folder as plain text an officer can read and git can diff.
 * Each record is appended and fsync'ed the moment the server accepts a
 * message, so neither a crash nor a failure later in the run can lead to a
 * message being sent twice; and a damaged journal stops the run instead of
 * being guessed at. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TIME_LENGTH = 20 }; /* 2023-04-12T09:30:00Z */

typedef struct record {
  const char *actor, *message_id;
} record;

struct lr_journal {
  lr_arena *arena; /* the path and the records' strings */
  const char *path;
  bool exists;     /* a new file's directory entry must be synced as well */
  record *records; /* lr_xmalloc'ed */
  size_t count, cap;
};

/* Actor ids and message ids never hold white space or control
 * characters, which is what keeps the tab-separated lines unambiguous. */
static bool is_field(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F) return false;
  return true;
}

static bool digits(const char *s, size_t n, int min, int max) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  return v >= min && v <= max;
}

/* Exactly what lr_journal_append writes: YYYY-MM-DDTHH:MM:SSZ. */
static bool is_time(const char *s, size_t n) {
  return n == TIME_LENGTH && digits(s, 4, 1970, 9999) && s[4] == '-' &&
         digits(s + 5, 2, 1, 12) && s[7] == '-' && digits(s + 8, 2, 1, 31) &&
         s[10] == 'T' && digits(s + 11, 2, 0, 23) && s[13] == ':' &&
         digits(s + 14, 2, 0, 59) && s[16] == ':' && digits(s + 17, 2, 0, 60) &&
         s[19] == 'Z';
}

static void add_record(lr_journal *j, const char *actor, size_t actor_len,
                       const char *id, size_t id_len) {
  if (j->count == j->cap) {
    j->cap = j->cap ? j->cap * 2 : 32;
    j->records = lr_xrealloc(j->records, j->cap * sizeof *j->records);
  }
  j->records[j->count++] =
      (record){lr_arena_strndup(j->arena, actor, actor_len),
               lr_arena_strndup(j->arena, id, id_len)};
}

/* Columns count characters, as everywhere in diagnostics. */
static int column_of(const char *line, size_t offset) {
  int column = 1;
  for (size_t i = 0; i < offset; i++)
    if (((unsigned char)line[i] & 0xC0) != 0x80) column++;
  return column;
}

static void report_line(lr_diag_list *diags, const char *file, int number,
                        const char *line, size_t len, size_t offset,
                        const char *message) {
  lr_loc loc = {file, number, column_of(line, offset)};
  lr_diag *d = lr_diag_add(diags, LR_ERROR, loc, "%s", message);
  d->source_line = lr_arena_strndup(diags->arena, line, len);
  lr_diag_hint(diags, d,
               "journalen skrivs av lagesrapport; rätta raden för hand efter "
               "att ha kontrollerat om meddelandet levererades");
}

/* Parses one line (without its newline). Returns false after reporting. */
static bool parse_line(lr_journal *j, lr_diag_list *diags, const char *file,
                       int number, const char *line, size_t len) {
  const char *field[3];
  size_t field_len[3], fields = 0;
  for (size_t start = 0, i = 0; i <= len; i++) {
    if (i < len && line[i] != '\t') continue;
    if (fields < 3) {
      field[fields] = line + start;
      field_len[fields] = i - start;
    }
    fields++;
    start = i + 1;
  }
  if (fields != 3) {
    char message[160];
    snprintf(message, sizeof message,
             "raden ska ha tre fält åtskilda av tabbtecken (aktör, "
             "Message-ID, tid) men har %zu",
             fields);
    report_line(diags, file, number, line, len, 0, message);
    return false;
  }
  static const char *const problems[3] = {
      "ogiltig aktör i journalen", "ogiltigt Message-ID i journalen",
      "ogiltig tid i journalen (väntade till exempel 2023-04-12T09:30:00Z)"};
  for (int k = 0; k < 3; k++) {
    bool ok = k < 2 ? is_field(field[k], field_len[k])
                    : is_time(field[k], field_len[k]);
    if (!ok) {
      report_line(diags, file, number, line, len, (size_t)(field[k] - line),
                  problems[k]);
      return false;
    }
  }
  add_record(j, field[0], field_len[0], field[1], field_len[1]);
  return true;
}

static bool read_all(FILE *fp, lr_buf *text) {
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    lr_buf_put(text, chunk, n);
  return !ferror(fp);
}

lr_journal *lr_journal_load(const char *path, lr_diag_list *diags) {
  lr_journal *j = lr_xmalloc(sizeof *j);
  memset(j, 0, sizeof *j);
  j->arena = lr_arena_new();
  j->path = lr_arena_strdup(j->arena, path);
  /* Diagnostics outlive a journal that failed to load. */
  const char *file = lr_arena_strdup(diags->arena, path);

  FILE *fp = fopen(path, "rb");
  if (!fp) {
    if (errno == ENOENT) return j;
    lr_diag_add(diags, LR_ERROR, (lr_loc){file, 0, 0},
                "kan inte läsa leveransjournalen: %s", strerror(errno));
    lr_journal_free(j);
    return NULL;
  }
  j->exists = true;
  lr_buf text = {0};
  bool read_ok = read_all(fp, &text);
  int read_errno = errno;
  fclose(fp);
  if (!read_ok) {
    lr_diag_add(diags, LR_ERROR, (lr_loc){file, 0, 0},
                "kan inte läsa leveransjournalen: %s", strerror(read_errno));
    lr_buf_free(&text);
    lr_journal_free(j);
    return NULL;
  }

  bool ok = true;
  int number = 0;
  for (size_t pos = 0; pos < text.len;) {
    number++;
    const char *line = text.data + pos;
    const char *newline = memchr(line, '\n', text.len - pos);
    size_t len = newline ? (size_t)(newline - line) : text.len - pos;
    if (memchr(line, '\0', len)) {
      report_line(diags, file, number, line, strnlen(line, len), 0,
                  "raden innehåller ett NUL-tecken");
      ok = false;
    } else if (!newline) {
      /* Every record ends with "\n": a line without one was cut off
       * while being written, and its message may or may not have left. */
      report_line(diags, file, number, line, len, len,
                  "sista raden är ofullständig (saknar radslut); en tidigare "
                  "körning avbröts troligen mitt i skrivningen");
      ok = false;
    } else if (!parse_line(j, diags, file, number, line, len)) {
      ok = false;
    }
    pos += len + 1;
  }
  lr_buf_free(&text);
  if (!ok) {
    lr_journal_free(j);
    return NULL;
  }
  return j;
}

/* A journal has a line per actor and year, tens of them: a scan is fine. */
bool lr_journal_contains(const lr_journal *j, const char *message_id) {
  for (size_t i = 0; i < j->count; i++)
    if (strcmp(j->records[i].message_id, message_id) == 0) return true;
  return false;
}

/* A file created by the append is durable only once its directory entry
 * is; some file systems cannot sync a directory (EINVAL), which is fine. */
static bool sync_directory(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? lr_xmalloc((size_t)(slash - path) + 2) : NULL;
  if (dir) {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(dir);
  if (fd < 0) return false;
  bool ok = fsync(fd) == 0 || errno == EINVAL;
  close(fd);
  return ok;
}

bool lr_journal_append(lr_journal *j, const char *actor_id,
                       const char *message_id, long long delivered_at,
                       lr_diag_list *diags) {
  lr_loc loc = {lr_arena_strdup(diags->arena, j->path), 0, 0};
  if (!actor_id || !is_field(actor_id, strlen(actor_id)) || !message_id ||
      !is_field(message_id, strlen(message_id))) {
    lr_diag_add(diags, LR_ERROR, loc,
                "aktör och Message-ID i journalen får inte vara tomma eller "
                "innehålla blanksteg eller styrtecken");
    return false;
  }
  time_t t = (time_t)delivered_at;
  struct tm tm;
  if (delivered_at < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999) {
    lr_diag_add(diags, LR_ERROR, loc, "ogiltig leveranstid %lld", delivered_at);
    return false;
  }
  lr_buf line = {0};
  lr_buf_printf(&line, "%s\t%s\t%04d-%02d-%02dT%02d:%02d:%02dZ\n", actor_id,
                message_id, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);

  /* One write(2) with O_APPEND: the line lands whole at the end, or (on a
   * crash) cut short, which the next load reports instead of ignoring. */
  int fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  bool ok = fd >= 0 && lr_fd_write_all(fd, line.data, line.len) && fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && !j->exists) {
    ok = sync_directory(j->path);
    saved = errno;
  }
  lr_buf_free(&line);
  if (!ok) {
    lr_diag_add(diags, LR_ERROR, loc,
                "kunde inte skriva till leveransjournalen: %s",
                strerror(saved));
    return false;
  }
  j->exists = true;
  add_record(j, actor_id, strlen(actor_id), message_id, strlen(message_id));
  return true;
}

void lr_journal_free(lr_journal *j) {
  if (!j) return;
  free(j->records);
  lr_arena_free(j->arena);
  free(j);
}
