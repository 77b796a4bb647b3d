/* check --fix over a project's files: each YAML file the project reads is
 * repaired (lr_yaml_repair) and written back in one step, through a file
 * beside it renamed over it, so that a file is never half-written. */
#include "model/model.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void record(lr_project *p, const char *path, int line, const char *change) {
  if (p->fix_count == p->fix_cap) {
    size_t cap = p->fix_cap ? p->fix_cap * 2 : 16;
    lr_fix *grown = lr_arena_array(p->arena, cap, sizeof *grown);
    if (p->fix_count) memcpy(grown, p->fixes, p->fix_count * sizeof *grown);
    p->fixes = grown;
    p->fix_cap = cap;
  }
  p->fixes[p->fix_count++] = (lr_fix){path, line, change};
}

static lr_diag *fail(lr_project *p, const char *path, const char *what, int error) {
  lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0}, "--fix kunde inte %s: %s",
                           what, lr_errno_text(error));
  lr_diag_hint(&p->diags, d, "filen är oförändrad; kontrollera att mappen är skrivbar");
  return d;
}

/* The whole file, or NULL when it cannot be read: the check that follows
 * the repair reports why. */
static char *read_all(const char *path, struct stat *st, size_t *size) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return NULL;
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size > LR_MAX_FILE_SIZE) {
    close(fd);
    return NULL;
  }
  char *data = lr_xmalloc((size_t)st->st_size + 1);
  size_t got = 0;
  while (got < (size_t)st->st_size) {
    ssize_t n = read(fd, data + got, (size_t)st->st_size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  *size = got;
  return data;
}

static bool write_over(lr_project *p, const char *path, const struct stat *st, const lr_buf *text) {
  const char *slash = strrchr(path, '/');
  const char *temp = slash ? lr_arena_printf(p->arena, "%.*s/.%s.fix-XXXXXX", (int)(slash - path), path, slash + 1)
                           : lr_arena_printf(p->arena, ".%s.fix-XXXXXX", path);
  char *name = lr_arena_strdup(p->arena, temp);
  int fd = mkstemp(name);
  if (fd < 0) {
    fail(p, path, "skriva en fil bredvid den", errno);
    return false;
  }
  bool ok = lr_fd_write_all(fd, text->data ? text->data : "", text->len) &&
            fchmod(fd, st->st_mode & 07777) == 0 && fsync(fd) == 0;
  int error = errno;
  if (close(fd) != 0 && ok) ok = false, error = errno;
  if (ok && rename(name, path) != 0) ok = false, error = errno;
  if (!ok) {
    unlink(name);
    fail(p, path, "skriva filen", error);
  }
  return ok;
}

static int compare_notes(const void *a, const void *b) {
  int la = *(const int *)a, lb = *(const int *)b;
  return (la > lb) - (la < lb);
}

void lr_project_fix_file(lr_project *p, const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) return; /* links are left to what they point at */
  size_t size = 0;
  char *data = read_all(path, &st, &size);
  if (!data) return;
  lr_repair *r = lr_xmalloc(sizeof *r);
  lr_buf out = {0};
  bool ok = lr_yaml_repair(p->arena, data, size, &out, r);
  free(data);
  if (!ok) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0}, "--fix ändrade inte filen: %s",
                             r->refusal);
    lr_diag_hint(&p->diags, d, "rätta felen som visas för filen för hand och kör sedan --fix igen");
  } else if (r->note_count && write_over(p, path, &st, &out)) {
    /* Told in line order; the sort is stable on the order made, since
     * each note's index breaks ties. */
    size_t n = r->note_count;
    int *order = lr_xmalloc(n * 2 * sizeof *order);
    for (size_t i = 0; i < n; i++) order[2 * i] = r->notes[i].line, order[2 * i + 1] = (int)i;
    qsort(order, n, 2 * sizeof *order, compare_notes);
    for (size_t i = 0; i < n; i++) {
      size_t k = (size_t)order[2 * i + 1];
      record(p, path, r->notes[k].line, r->notes[k].change);
    }
    free(order);
  }
  lr_buf_free(&out);
  free(r);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_yaml_name(const char *name) {
  size_t n = strlen(name);
  return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
                            (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

static bool is_year_name(const char *name) {
  if (strlen(name) != 4) return false;
  for (int i = 0; i < 4; i++)
    if (name[i] < '0' || name[i] > '9') return false;
  return true;
}

/* The names in a folder that `wanted` accepts, in name order, so that the
 * changes are told the same way on every file system. */
static size_t names_in(lr_project *p, const char *dir, bool (*wanted)(const char *),
                       const char ***out) {
  size_t n = 0, cap = 16;
  const char **names = lr_arena_array(p->arena, cap, sizeof *names);
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));) {
    if (!wanted(e->d_name)) continue;
    if (n == cap) {
      const char **grown = lr_arena_array(p->arena, cap *= 2, sizeof *grown);
      memcpy(grown, names, n * sizeof *names);
      names = grown;
    }
    names[n++] = lr_arena_strdup(p->arena, e->d_name);
  }
  if (d) closedir(d);
  qsort(names, n, sizeof *names, compare_names);
  *out = names;
  return n;
}

void lr_project_fix_files(lr_project *p) {
  lr_project_fix_file(p, p->config.strategy_path);
  lr_project_fix_file(p, p->config.actors_path);
  const char **years, **files;
  size_t year_count = names_in(p, p->config.root, is_year_name, &years);
  for (size_t i = 0; i < year_count; i++) {
    const char *dir = lr_path_join(p->arena, p->config.root, years[i]);
    lr_project_fix_file(p, lr_path_join(p->arena, dir, "rapport.yaml"));
    const char *statements = lr_path_join(p->arena, dir, "yttranden");
    size_t file_count = names_in(p, statements, is_yaml_name, &files);
    for (size_t k = 0; k < file_count; k++)
      lr_project_fix_file(p, lr_path_join(p->arena, statements, files[k]));
  }
}

const lr_fix *lr_project_fixes(const lr_project *p, size_t *count) {
  *count = p->fix_count;
  return p->fixes;
}
