/* Output files replaced all together or not at all: temporaries in the
 * final directories, fsync'ed, then renamed, so a crash or an error never
 * leaves a half-written or mixed report behind. */
#include "internal.h"

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
static bool make_parents(const char *path, lr_diag_list *diags) {
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
  return ok;
}

static bool make_temp(output_file *f, lr_diag_list *diags) {
  if (!make_parents(f->path, diags)) return false;
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
  close(fd);
  return true;
}

const char *lr_outputs_add_file(lr_outputs *o, const char *relpath, lr_diag_list *diags) {
  output_file *f = add(o, relpath);
  f->external = true;
  return make_temp(f, diags) ? f->temp : NULL;
}

static bool write_all(output_file *f, lr_diag_list *diags) {
  if (!f->temp && !make_temp(f, diags)) return false;
  int fd = open(f->temp, O_WRONLY | O_TRUNC);
  bool ok = fd >= 0;
  size_t done = 0;
  while (ok && done < f->content.len) {
    ssize_t w = write(fd, f->content.data + done, f->content.len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) ok = false;
    else done += (size_t)w;
  }
  /* fsync before rename: otherwise a crash can leave the new name on an
   * empty file, which is exactly the half-written report to avoid. */
  if (ok && fsync(fd) != 0) ok = false;
  if (fd >= 0 && close(fd) != 0) ok = false;
  if (!ok)
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kunde inte skriva %s: %s", f->path, strerror(errno));
  return ok;
}

static bool written_here(const lr_outputs *o, const char *path) {
  for (size_t i = 0; i < o->count; i++)
    if (strcmp(o->files[i].path, path) == 0) return true;
  return false;
}

static void prune(lr_outputs *o, const char *subdir) {
  const char *dir = lr_path_join(o->arena, o->dir, subdir);
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    bool ours = (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0) ||
                (n > 5 && strcmp(e->d_name + n - 5, ".html") == 0);
    const char *path = lr_path_join(o->arena, dir, e->d_name);
    if (ours && !written_here(o, path)) unlink(path);
  }
  closedir(d);
}

bool lr_outputs_commit(lr_outputs *o, lr_diag_list *diags) {
  for (size_t i = 0; i < o->count; i++)
    if (!o->files[i].external && !write_all(&o->files[i], diags)) return false;
  for (size_t i = 0; i < o->count; i++) {
    output_file *f = &o->files[i];
    if (!f->temp) return false;
    chmod(f->temp, 0644); /* mkstemp makes 0600; reports are for reading */
  }
  for (size_t i = 0; i < o->count; i++) {
    output_file *f = &o->files[i];
    if (rename(f->temp, f->path) != 0) {
      lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kunde inte byta ut %s: %s", f->path, strerror(errno));
      return false;
    }
    free(f->temp);
    f->temp = NULL;
  }
  for (size_t i = 0; i < o->owned_count; i++) prune(o, o->owned_dirs[i]);
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
  o->count = o->cap = 0;
}
