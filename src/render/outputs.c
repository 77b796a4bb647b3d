/* Output files replaced all together or not at all: temporaries in the
 * final directories, synced to disk, then renamed, so a crash or an error
 * never leaves a half-written or mixed report behind. */
#ifdef __linux__
#define _GNU_SOURCE /* syncfs */
#endif
#include "render/render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct output_file {
  const char *relpath, *path;
  lr_buf content;
  bool external; /* written by someone else into `temp` */
  char *temp;    /* lr_xmalloc'ed; NULL until created */
} output_file;

struct lr_outputs {
  lr_arena *arena;
  const char *dir;
  output_file *files;
  size_t count, cap;
  size_t flushed; /* files[0, flushed) are written and their buffers freed */
  const char *made_dir; /* the last folder made: 800 pages share two */
  const char **owned_dirs;
  size_t owned_count;
};

lr_outputs *lr_outputs_new(lr_arena *arena, const char *dir) {
  lr_outputs *o = lr_arena_alloc(arena, sizeof *o);
  o->arena = arena;
  o->dir = dir;
  o->owned_dirs = lr_arena_array(arena, 8, sizeof *o->owned_dirs);
  return o;
}

static output_file *add(lr_outputs *o, const char *relpath) {
  if (o->count == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 16;
    o->files = lr_xrealloc(o->files, o->cap * sizeof *o->files);
  }
  output_file *f = &o->files[o->count++];
  memset(f, 0, sizeof *f);
  f->relpath = lr_arena_strdup(o->arena, relpath);
  f->path = lr_path_join(o->arena, o->dir, relpath);
  return f;
}

lr_buf *lr_outputs_add(lr_outputs *o, const char *relpath) { return &add(o, relpath)->content; }

void lr_outputs_own_dir(lr_outputs *o, const char *subdir) {
  if (o->owned_count < 8) o->owned_dirs[o->owned_count++] = lr_arena_strdup(o->arena, subdir);
}

/* mkdir -p for the directory part of path. */
static bool make_parents(lr_outputs *o, const char *path, lr_diag_list *diags) {
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path) : 0;
  if (o->made_dir && strlen(o->made_dir) == dir_len && strncmp(o->made_dir, path, dir_len) == 0)
    return true;
  char *copy = lr_xmalloc(strlen(path) + 1);
  strcpy(copy, path);
  bool ok = true;
  for (char *p = copy + 1; *p && ok; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
      lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kan inte skapa mappen %s: %s", copy,
                               strerror(errno));
      lr_diag_hint(diags, d, "kontrollera att du har skrivrättigheter, eller välj en annan mapp med --out");
      ok = false;
    }
    *p = '/';
  }
  free(copy);
  if (ok) o->made_dir = lr_arena_strndup(o->arena, path, dir_len);
  return ok;
}

/* Creates f's temporary file; its descriptor goes to *fd when fd is not
 * NULL, so that the page is written without opening the file again. */
static bool make_temp(lr_outputs *o, output_file *f, int *fd_out, lr_diag_list *diags) {
  if (!make_parents(o, f->path, diags)) return false;
  size_t n = strlen(f->path);
  f->temp = lr_xmalloc(n + 32);
  const char *slash = strrchr(f->path, '/');
  size_t dir_len = slash ? (size_t)(slash - f->path + 1) : 0;
  snprintf(f->temp, n + 32, "%.*s.lagesrapport-XXXXXX", (int)dir_len, f->path);
  int fd = mkstemp(f->temp);
  if (fd < 0) {
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kan inte skapa en fil i mappen för %s: %s",
                f->path, strerror(errno));
    free(f->temp);
    f->temp = NULL;
    return false;
  }
  if (fd_out) *fd_out = fd;
  else close(fd);
  return true;
}

const char *lr_outputs_add_file(lr_outputs *o, const char *relpath, lr_diag_list *diags) {
  output_file *f = add(o, relpath);
  f->external = true;
  return make_temp(o, f, NULL, diags) ? f->temp : NULL;
}

bool lr_fd_write_all(int fd, const char *data, size_t size) {
  while (size) {
    ssize_t w = write(fd, data, size);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    size -= (size_t)w;
  }
  return true;
}

static bool write_all(lr_outputs *o, output_file *f, lr_diag_list *diags) {
  int fd = -1;
  if (!make_temp(o, f, &fd, diags)) return false;
  bool ok = lr_fd_write_all(fd, f->content.data, f->content.len);
  /* mkstemp makes 0600; reports are for reading. Not synced here:
   * sync_all does every file at commit, before the renames. */
  if (ok && fchmod(fd, 0644) != 0) ok = false;
  if (close(fd) != 0) ok = false;
  if (!ok)
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kunde inte skriva %s: %s", f->path, strerror(errno));
  lr_buf_free(&f->content);
  return ok;
}

bool lr_outputs_flush(lr_outputs *o, lr_diag_list *diags) {
  for (; o->flushed < o->count; o->flushed++)
    if (!o->files[o->flushed].external && !write_all(o, &o->files[o->flushed], diags)) return false;
  return true;
}

static bool sync_failed(const char *path, lr_diag_list *diags) {
  lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kunde inte skriva %s till disken: %s", path,
              strerror(errno));
  return false;
}

/* Every temporary on disk before any rename: otherwise a crash can leave
 * a new name on an empty file, exactly the half-written report to avoid.
 * Linux syncs a whole file system in one call, where a sync per file
 * costs a journal commit each: seconds for a national build's 800 pages. */
static bool sync_all(const lr_outputs *o, lr_diag_list *diags) {
#ifdef __linux__
  const char *synced[8];
  size_t synced_count = 0;
#endif
  for (size_t i = 0; i < o->count; i++) {
    const output_file *f = &o->files[i];
#ifdef __linux__
    /* Temporaries sit in their final directories, a handful of them. */
    const char *slash = strrchr(f->temp, '/');
    size_t dir_len = slash ? (size_t)(slash - f->temp) : 0;
    bool done = false;
    for (size_t k = 0; k < synced_count && !done; k++)
      done = strlen(synced[k]) == dir_len && strncmp(synced[k], f->temp, dir_len) == 0;
    if (done) continue;
    const char *dir = lr_arena_strndup(o->arena, f->temp, dir_len);
    int fd = open(dir_len ? dir : ".", O_RDONLY | O_DIRECTORY);
    bool ok = fd >= 0 && syncfs(fd) == 0;
    if (fd >= 0) close(fd);
    if (!ok) return sync_failed(dir, diags);
    if (synced_count < sizeof synced / sizeof *synced) synced[synced_count++] = dir;
#else
    int fd = open(f->temp, O_WRONLY);
    bool ok = fd >= 0 && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0) ok = false;
    if (!ok) return sync_failed(f->path, diags);
#endif
  }
  return true;
}

/* By hash: a national folder has a file per actor and format, and a scan
 * of the build's files per folder entry would make pruning quadratic. */
static void prune(lr_outputs *o, const lr_index *written, const char *subdir) {
  const char *dir = lr_path_join(o->arena, o->dir, subdir);
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    bool ours = (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0) ||
                (n > 5 && strcmp(e->d_name + n - 5, ".html") == 0);
    const char *path = lr_path_join(o->arena, dir, e->d_name);
    if (ours && !lr_index_get(written, path)) unlink(path);
  }
  closedir(d);
}

bool lr_outputs_commit(lr_outputs *o, lr_diag_list *diags) {
  if (!lr_outputs_flush(o, diags)) return false;
  for (size_t i = 0; i < o->count; i++) {
    output_file *f = &o->files[i];
    if (!f->temp) return false;
    if (f->external) chmod(f->temp, 0644); /* pages had theirs when written */
  }
  if (!sync_all(o, diags)) return false;
  for (size_t i = 0; i < o->count; i++) {
    output_file *f = &o->files[i];
    if (rename(f->temp, f->path) != 0) {
      lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kunde inte byta ut %s: %s", f->path, strerror(errno));
      return false;
    }
    free(f->temp);
    f->temp = NULL;
  }
  if (o->owned_count) {
    lr_index written;
    lr_index_init(&written, o->arena, o->count);
    for (size_t i = 0; i < o->count; i++) lr_index_put(&written, o->files[i].path, &o->files[i]);
    for (size_t i = 0; i < o->owned_count; i++) prune(o, &written, o->owned_dirs[i]);
  }
  return true;
}

void lr_outputs_free(lr_outputs *o) {
  if (!o) return;
  for (size_t i = 0; i < o->count; i++) {
    if (o->files[i].temp) {
      unlink(o->files[i].temp);
      free(o->files[i].temp);
    }
    lr_buf_free(&o->files[i].content);
  }
  free(o->files);
  o->files = NULL;
  o->count = o->cap = o->flushed = 0;
}
