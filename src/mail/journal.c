/* The delivery journal: what became of each message sent from a mail
 * folder, kept beside the messages as plain text an officer can read and
 * git can diff. A message is journalled as "skickas" before its data goes
 * out and as "levererat" the moment the server accepts it, each line
 * appended and fsync'ed at once; so after a crash at any point a message
 * is either known to be delivered, known not to be, or listed as
 * uncertain, and never sent twice by accident. A damaged line stops the
 * run instead of being guessed at; only a last line cut off by a crash is
 * passed over, since the lines before it already say all that is safe. */
#include "mail/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { TIME_LENGTH = 20 }; /* 2023-04-12T09:30:00Z */

/* A line's last field; journals written before there were states have
 * three fields, one line per delivered message. */
static const char *const ENTRY_NAMES[] = {
    [LR_JOURNAL_SENDING] = "skickas",
    [LR_JOURNAL_DELIVERED] = "levererat",
    [LR_JOURNAL_FAILED] = "misslyckat",
};
enum { ENTRY_KINDS = sizeof ENTRY_NAMES / sizeof *ENTRY_NAMES };

typedef struct record {
  const char *message_id;
  lr_journal_entry entry;
} record;

struct lr_journal {
  lr_arena *arena; /* the path and the records' strings */
  const char *path;
  bool exists;        /* a new file's directory entry must be synced as well */
  size_t intact_size; /* bytes up to the end of the last whole line */
  size_t torn_size;   /* bytes after it, cut off by a crash; removed on append */
  record *records;    /* lr_xmalloc'ed, in file order */
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

static void add_record(lr_journal *j, const char *id, size_t id_len,
                       lr_journal_entry entry) {
  if (j->count == j->cap) {
    j->cap = j->cap ? j->cap * 2 : 32;
    j->records = lr_xrealloc(j->records, j->cap * sizeof *j->records);
  }
  j->records[j->count++] =
      (record){lr_arena_strndup(j->arena, id, id_len), entry};
}

static bool parse_entry(const char *s, size_t n, lr_journal_entry *entry) {
  for (int k = 0; k < ENTRY_KINDS; k++)
    if (strlen(ENTRY_NAMES[k]) == n && memcmp(ENTRY_NAMES[k], s, n) == 0) {
      *entry = (lr_journal_entry)k;
      return true;
    }
  return false;
}

/* Columns count characters, as everywhere in diagnostics. */
static int column_of(const char *line, size_t offset) {
  int column = 1;
  for (size_t i = 0; i < offset; i++)
    if (((unsigned char)line[i] & 0xC0) != 0x80) column++;
  return column;
}

static lr_diag *report_line(lr_diag_list *diags, lr_severity severity,
                            const char *file, int number, const char *line,
                            size_t len, size_t offset, const char *message) {
  lr_loc loc = {file, number, column_of(line, offset)};
  lr_diag *d = lr_diag_add(diags, severity, loc, "%s", message);
  d->source_line = lr_arena_strndup(diags->arena, line, len);
  return d;
}

static void report_bad_line(lr_diag_list *diags, const char *file, int number,
                            const char *line, size_t len, size_t offset,
                            const char *message) {
  lr_diag *d =
      report_line(diags, LR_ERROR, file, number, line, len, offset, message);
  lr_diag_hint(diags, d,
               "journalen skrivs av lagesrapport; rätta raden för hand efter "
               "att ha kontrollerat om meddelandet levererades");
}

enum { MAX_FIELDS = 4 };

/* Parses one line (without its newline). Returns false after reporting. */
static bool parse_line(lr_journal *j, lr_diag_list *diags, const char *file,
                       int number, const char *line, size_t len) {
  const char *field[MAX_FIELDS];
  size_t field_len[MAX_FIELDS], fields = 0;
  for (size_t start = 0, i = 0; i <= len; i++) {
    if (i < len && line[i] != '\t') continue;
    if (fields < MAX_FIELDS) {
      field[fields] = line + start;
      field_len[fields] = i - start;
    }
    fields++;
    start = i + 1;
  }
  if (fields != 3 && fields != 4) {
    char message[200];
    snprintf(message, sizeof message,
             "raden ska ha fyra fält åtskilda av tabbtecken (aktör, "
             "Message-ID, tid, läge) men har %zu",
             fields);
    report_bad_line(diags, file, number, line, len, 0, message);
    return false;
  }
  static const char *const problems[MAX_FIELDS] = {
      "ogiltig aktör i journalen", "ogiltigt Message-ID i journalen",
      "ogiltig tid i journalen (väntade till exempel 2023-04-12T09:30:00Z)",
      "okänt läge i journalen (väntade skickas, levererat eller misslyckat)"};
  lr_journal_entry entry = LR_JOURNAL_DELIVERED;
  for (size_t k = 0; k < fields; k++) {
    bool ok = k < 2    ? is_field(field[k], field_len[k])
              : k == 2 ? is_time(field[k], field_len[k])
                       : parse_entry(field[k], field_len[k], &entry);
    if (!ok) {
      report_bad_line(diags, file, number, line, len,
                      (size_t)(field[k] - line), problems[k]);
      return false;
    }
  }
  add_record(j, field[1], field_len[1], entry);
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
                "kan inte läsa leveransjournalen: %s", lr_errno_text(errno));
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
                "kan inte läsa leveransjournalen: %s", lr_errno_text(read_errno));
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
    if (!newline) {
      /* Every record ends with "\n": a line without one was cut off by a
       * crash while being written. The record it was to be is not needed:
       * "skickas" is synced before any data leaves, so a message whose
       * "levererat" was lost here is still seen as uncertain, and one
       * whose "skickas" was lost never left. */
      j->torn_size = len;
      lr_diag *d = report_line(
          diags, LR_WARNING, file, number, line, strnlen(line, len), 0,
          "sista raden är ofullständig och hoppas över; en tidigare körning "
          "avbröts troligen medan den skrevs");
      lr_diag_hint(diags, d,
                   "inget går förlorat: ett meddelande som kanske hann skickas "
                   "räknas som osäkert; raden tas bort när något förs in i "
                   "journalen nästa gång");
    } else if (memchr(line, '\0', len)) {
      report_bad_line(diags, file, number, line, strnlen(line, len), 0,
                      "raden innehåller ett NUL-tecken");
      ok = false;
    } else if (!parse_line(j, diags, file, number, line, len)) {
      ok = false;
    }
    pos += len + 1;
  }
  j->intact_size = text.len - j->torn_size;
  lr_buf_free(&text);
  if (!ok) {
    lr_journal_free(j);
    return NULL;
  }
  return j;
}

/* A journal has a few lines per actor and year, tens of them: a scan is
 * fine. Delivered once is delivered, whatever was tried after (--force);
 * otherwise the last attempt decides. */
lr_mail_state lr_journal_state(const lr_journal *j, const char *message_id) {
  lr_mail_state state = LR_MAIL_UNSENT;
  for (size_t i = 0; i < j->count; i++) {
    if (strcmp(j->records[i].message_id, message_id) != 0) continue;
    switch (j->records[i].entry) {
    case LR_JOURNAL_DELIVERED: return LR_MAIL_DELIVERED;
    case LR_JOURNAL_SENDING: state = LR_MAIL_UNCERTAIN; break;
    case LR_JOURNAL_FAILED: state = LR_MAIL_UNSENT; break;
    }
  }
  return state;
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

/* Cuts off a torn last line, so that the next record starts a line of its
 * own; unless the file is no longer the one that was read, which would
 * mean another writer and no lock: then nothing is cut and *changed says
 * so. */
static bool drop_torn_line(lr_journal *j, int fd, bool *changed) {
  struct stat st;
  if (fstat(fd, &st) != 0) return false;
  if ((size_t)st.st_size != j->intact_size + j->torn_size) {
    *changed = true;
    return false;
  }
  if (ftruncate(fd, (off_t)j->intact_size) != 0) return false;
  j->torn_size = 0;
  return true;
}

bool lr_journal_append(lr_journal *j, const char *actor_id,
                       const char *message_id, lr_journal_entry entry,
                       long long at, lr_diag_list *diags) {
  lr_loc loc = {lr_arena_strdup(diags->arena, j->path), 0, 0};
  if (!actor_id || !is_field(actor_id, strlen(actor_id)) || !message_id ||
      !is_field(message_id, strlen(message_id))) {
    lr_diag_add(diags, LR_ERROR, loc,
                "aktör och Message-ID i journalen får inte vara tomma eller "
                "innehålla blanksteg eller styrtecken");
    return false;
  }
  time_t t = (time_t)at;
  struct tm tm;
  if (at < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999) {
    lr_diag_add(diags, LR_ERROR, loc, "ogiltig tid %lld för journalen", at);
    return false;
  }
  if ((int)entry < 0 || (int)entry >= ENTRY_KINDS) {
    lr_diag_add(diags, LR_ERROR, loc, "okänt läge %d för journalen", (int)entry);
    return false;
  }
  lr_buf line = {0};
  lr_buf_printf(&line, "%s\t%s\t%04d-%02d-%02dT%02d:%02d:%02dZ\t%s\n", actor_id,
                message_id, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, ENTRY_NAMES[entry]);

  /* One write(2) with O_APPEND: the line lands whole at the end, or (on a
   * crash) cut short, which the next load passes over with a warning. */
  int fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  bool changed = false;
  bool ok = fd >= 0 && (!j->torn_size || drop_torn_line(j, fd, &changed)) &&
            lr_fd_write_all(fd, line.data, line.len) && fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && !j->exists) {
    ok = sync_directory(j->path);
    saved = errno;
  }
  size_t written = line.len;
  lr_buf_free(&line);
  if (changed) {
    lr_diag_add(diags, LR_ERROR, loc,
                "leveransjournalen har ändrats av någon annan under körningen");
    return false;
  }
  if (!ok) {
    lr_diag_add(diags, LR_ERROR, loc,
                "kunde inte skriva till leveransjournalen: %s",
                lr_errno_text(saved));
    return false;
  }
  j->exists = true;
  j->intact_size += written;
  add_record(j, message_id, strlen(message_id), entry);
  return true;
}

void lr_journal_free(lr_journal *j) {
  if (!j) return;
  free(j->records);
  lr_arena_free(j->arena);
  free(j);
}
