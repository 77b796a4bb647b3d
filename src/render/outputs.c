/* A set of output files that replaces the previous set in one step, and
 * never removes or overwrites a file it did not write.
 *
 * The set is written into a staging folder beside its folder, named
 * .<name>.lagesrapport-XXXXXX. At commit everything else in the folder is
 * carried into the staging folder as hard links, and the two folders are
 * swapped with renameat2(RENAME_EXCHANGE): the folder's path stays a plain
 * folder, and at every moment it holds either the whole old set or the
 * whole new one. The old folder, now under the staging name, is then
 * emptied of the old set and removed.
 *
 * What is ours is what the manifest, .lagesrapport-manifest in the folder,
 * lists. Nothing else is ever removed, and a file that is not listed is
 * never written over: it is an error instead.
 *
 * A file of ours that the new set would write with the bytes the folder
 * already has is not written at all: commit carries the folder's copy
 * into the staging folder as a hard link, like a file of someone else's,
 * so that it keeps its inode and mtime (make and rsync see no change, and
 * a rebuild neither writes nor frees the blocks of what did not change).
 * It is in the staging folder's record and final manifest like any file
 * of the set, so the rules below settle it like one, and the swap still
 * puts the whole new set in place at once.
 *
 * A run that dies leaves its staging folder, or the old folder, behind.
 * The next run settles it before it starts (settle below), by one rule
 * that holds whenever the run died: a listed file is removed; a file that
 * the folder holds too (the same inode: a carried link) is removed;
 * anything else is moved back into the folder if its name is free there,
 * and otherwise kept where it is with a warning. A staging folder records
 * every file before creating it, and gets its final, sorted manifest
 * before anything of anyone else's enters it, so the rule cannot take a
 * half-written report for someone else's file. A live run holds flock(2)
 * on its folders, so a leftover is told from a run still going. */
#ifdef __linux__
#define _GNU_SOURCE /* syncfs, flock, renameat2 */
#endif
#include "render/render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/file.h>
#include <sys/syscall.h>
#endif

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static const char MANIFEST[] = ".lagesrapport-manifest";
static const char MANIFEST_NEW[] = ".lagesrapport-manifest.new";
static const char LEFTOVER_TAG[] = ".lagesrapport-";
enum { SUFFIX_LENGTH = 6 };
/* The final manifest starts with these lines; a staging folder's record
 * of files, written as they are created, has none. */
static const char MANIFEST_HEADER[] =
    "# Filer som lagesrapport har skrivit i den här mappen. De byts ut eller tas bort\n"
    "# vid nästa körning; allt annat i mappen lämnas orört. Ändra inte listan.\n";

typedef struct output_file {
  const char *relpath;
  lr_buf content;
  bool external; /* written by someone else at the path add_file gave */
  /* The folder has these bytes under this name already: not written, but
   * carried at commit (see the top). */
  bool unchanged;
} output_file;

typedef enum carry_kind { CARRY_DIR, CARRY_FOREIGN, CARRY_OWN } carry_kind;

/* Something of the folder's that the new set takes along at commit. */
typedef struct carry {
  carry_kind kind;
  const char *relpath;
  mode_t mode; /* CARRY_DIR */
} carry;

struct lr_outputs {
  lr_arena *arena;
  lr_diag_list *diags; /* for what lr_outputs_free finds to say */
  unsigned flags;
  const char *dir;     /* as the caller named it, for messages */
  const char *parent;  /* of the folder actually replaced */
  const char *name;    /* its last component */
  const char *target;  /* parent/name: dir, or where a symlink dir points */
  const char *staging; /* parent/.name.lagesrapport-XXXXXX */
  int target_fd;       /* the folder, locked; -1 when it did not exist */
  int staging_fd;      /* the staging folder, locked */
  int record_fd;       /* the staging folder's manifest while files are added */
  bool adopting; /* an unrecorded folder taken over (LR_OUTPUTS_ADOPT) */
  mode_t target_mode;
  lr_index old_own; /* what the folder's manifest lists */
  lr_index own;     /* the relpaths of this set, each to its output_file */
  /* Each file in the arena, so the buffer lr_outputs_add hands out stays
   * where it is however many files come after it. */
  output_file **files;
  size_t count, cap;
  size_t flushed;       /* files[0, flushed) are written and their buffers freed */
  const char *made_dir; /* the last folder made: 800 pages share two */
  carry *carries;
  size_t carry_count, carry_cap;
  bool staging_settled; /* committed, or given up and cleared away */
};

/* ---- small helpers ----------------------------------------------------- */

static int rename_with(int from_dir, const char *from, int to_dir, const char *to, unsigned flags) {
#if defined(__linux__) && defined(SYS_renameat2)
  /* Through syscall(2): glibc before 2.28 has no renameat2 wrapper. */
  return (int)syscall(SYS_renameat2, from_dir, from, to_dir, to, flags);
#else
  (void)from_dir, (void)from, (void)to_dir, (void)to, (void)flags;
  errno = ENOSYS;
  return -1;
#endif
}

/* Moves an entry only where nothing is in the way. */
static bool move_if_free(int from_dir, const char *from, int to_dir, const char *to) {
  if (rename_with(from_dir, from, to_dir, to, RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  /* No RENAME_NOREPLACE here: a check first is as good as it gets. */
  struct stat st;
  if (fstatat(to_dir, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    errno = EEXIST;
    return false;
  }
  return renameat(from_dir, from, to_dir, to) == 0;
}

/* An exclusive lock that goes with the descriptor: a crashed run leaves
 * none behind. False only when another run holds it. */
static bool lock_fd(int fd) {
#ifdef __linux__
  if (flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
  /* A file system without locks (some network ones) cannot tell runs
   * apart; it does not stop the run. */
  return errno != EWOULDBLOCK;
#else
  (void)fd;
  return true;
#endif
}

static int open_dir_at(int dir_fd, const char *name) {
  return openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static bool sync_folder(int fd) {
#ifdef __linux__
  /* One call for the file system instead of a journal commit per file:
   * seconds saved on a national build's 800 pages. */
  return syncfs(fd) == 0;
#else
  (void)fd;
  sync();
  return true;
#endif
}

static const char *join(lr_arena *arena, const char *rel, const char *name) {
  return rel && *rel ? lr_arena_printf(arena, "%s/%s", rel, name) : name;
}

static bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ".lagesrapport-XXXXXX" at the end of name, after at least one more
 * character than the dot: a staging or old folder of some set. */
static bool ends_like_leftover(const char *name) {
  size_t n = strlen(name), tag = sizeof LEFTOVER_TAG - 1;
  if (name[0] != '.' || n < 2 + tag + SUFFIX_LENGTH) return false;
  const char *t = name + n - SUFFIX_LENGTH - tag;
  if (memcmp(t, LEFTOVER_TAG, tag) != 0) return false;
  for (size_t i = n - SUFFIX_LENGTH; i < n; i++)
    if (!alnum(name[i])) return false;
  return true;
}

/* A leftover of the set named `set`: .<set>.lagesrapport-XXXXXX. */
static bool is_leftover_of(const char *name, const char *set) {
  size_t n = strlen(set);
  return ends_like_leftover(name) && name[0] == '.' && strncmp(name + 1, set, n) == 0 &&
         strlen(name) == 1 + n + sizeof LEFTOVER_TAG - 1 + SUFFIX_LENGTH;
}

/* Names this module gives its own files at the top of a set's folder. */
static bool is_manifest_name(const char *name) {
  return strcmp(name, MANIFEST) == 0 || strcmp(name, MANIFEST_NEW) == 0;
}

/* A relpath the set may write: plain components only, none hidden (the
 * module's own names start with a dot), nothing that could leave the
 * folder or break the manifest's one path a line. */
static bool valid_relpath(const char *relpath) {
  const char *p = relpath;
  if (!*p) return false;
  while (*p) {
    size_t n = strcspn(p, "/");
    if (n == 0 || p[0] == '.' || p[0] == '#') return false;
    for (size_t i = 0; i < n; i++)
      if ((unsigned char)p[i] < 0x20 || p[i] == 0x7F) return false;
    p += n;
    if (*p == '/') p++;
    if (!*p && p[-1] == '/') return false;
  }
  return true;
}

/* ---- the manifest ---------------------------------------------------- */

typedef struct manifest {
  bool found;    /* the folder has one */
  bool complete; /* a final manifest, not a staging folder's record */
  lr_index paths;
} manifest;

static bool read_all(int fd, lr_buf *out) {
  char chunk[8192];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    lr_buf_put(out, chunk, (size_t)n);
  }
}

static bool manifest_read(lr_arena *arena, int dir_fd, manifest *m) {
  memset(m, 0, sizeof *m);
  lr_index_init(&m->paths, arena, 64);
  int fd = openat(dir_fd, MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  lr_buf text = {0};
  bool ok = read_all(fd, &text);
  close(fd);
  if (!ok) {
    lr_buf_free(&text);
    return false;
  }
  m->found = true;
  m->complete = text.len > 0 && text.data[0] == '#';
  const char *p = lr_buf_cstr(&text), *end = p + text.len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    /* A line a crash cut short is no path of ours: a half-written name
     * could otherwise match somebody else's file. */
    if (nl && n && p[0] != '#') {
      const char *path = lr_arena_strndup(arena, p, n);
      lr_index_put(&m->paths, path, (void *)path);
    }
    p += n + 1;
  }
  lr_buf_free(&text);
  return true;
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- settling a leftover -------------------------------------------- */

typedef struct settling {
  lr_arena *arena;
  lr_diag_list *diags; /* NULL: nothing to report to */
  const char *shown;   /* the folder being settled, for messages */
  const char *into;    /* the set's folder, for messages */
  const lr_index *own; /* paths of ours; NULL when none are known */
  bool all_own;        /* a staging folder cut short: its files are all ours */
  bool kept;           /* something could not be settled and was warned about */
} settling;

static void keep(settling *s, const char *rel, const char *why) {
  s->kept = true;
  if (!s->diags) return;
  const char *here = *rel ? lr_path_join(s->arena, s->shown, rel) : s->shown;
  const char *there = *rel ? lr_path_join(s->arena, s->into, rel) : s->into;
  lr_diag *d = lr_diag_add(s->diags, LR_WARNING, (lr_loc){here, 0, 0},
                           "blev kvar efter en avbruten körning: %s", why);
  lr_diag_hint(s->diags, d,
               "jämför med %s och ta bort det du inte behöver; lagesrapport tar aldrig "
               "bort filer som den inte själv har skrivit",
               there);
}

/* Whether removing a's name loses nothing: b is the same file, or a
 * regular file with the same bytes (a carried link that a copy of the
 * folders, say a backup restored, turned into a file of its own). */
static bool same_file(int a_dir, const char *a_name, const struct stat *a, int b_dir,
                      const struct stat *b) {
  if (a->st_dev == b->st_dev && a->st_ino == b->st_ino) return true;
  if (!S_ISREG(a->st_mode) || !S_ISREG(b->st_mode) || a->st_size != b->st_size) return false;
  int fa = openat(a_dir, a_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  int fb = openat(b_dir, a_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  lr_buf da = {0}, db = {0};
  bool same = fa >= 0 && fb >= 0 && read_all(fa, &da) && read_all(fb, &db) &&
              da.len == db.len && (da.len == 0 || memcmp(da.data, db.data, da.len) == 0);
  if (fa >= 0) close(fa);
  if (fb >= 0) close(fb);
  lr_buf_free(&da);
  lr_buf_free(&db);
  return same;
}

/* The names in a folder, read before any is moved or removed. */
static char **list_names(int dir_fd, size_t *count) {
  *count = 0;
  int fd = dup(dir_fd);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return NULL;
  }
  rewinddir(d);
  size_t cap = 16;
  char **names = lr_xmalloc(cap * sizeof *names);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (*count == cap) names = lr_xrealloc(names, (cap *= 2) * sizeof *names);
    size_t n = strlen(e->d_name) + 1;
    names[*count] = lr_xmalloc(n);
    memcpy(names[(*count)++], e->d_name, n);
  }
  closedir(d);
  qsort(names, *count, sizeof *names, compare_strings);
  return names;
}

static void free_names(char **names, size_t count) {
  for (size_t i = 0; i < count; i++) free(names[i]);
  free(names);
}

/* Settles the folder at left_fd (relpath rel inside the leftover) against
 * its counterpart in the set's folder, set_fd, or -1 when there is no
 * folder there: then whatever is left of it is moved as a whole by the
 * caller. */
static void settle_dir(settling *s, int left_fd, int set_fd, const char *rel) {
  size_t count;
  char **names = list_names(left_fd, &count);
  if (!names) {
    keep(s, rel ? rel : "", lr_errno_text(errno));
    return;
  }
  for (size_t i = 0; i < count; i++) {
    const char *name = names[i];
    const char *path = join(s->arena, rel, name);
    struct stat st, there;
    if (fstatat(left_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue; /* gone already */
    if (!rel && is_manifest_name(name)) continue;                        /* removed last */
    bool in_set = set_fd >= 0 && fstatat(set_fd, name, &there, AT_SYMLINK_NOFOLLOW) == 0;
    if (S_ISDIR(st.st_mode)) {
      int child = open_dir_at(left_fd, name);
      int set_child = in_set && S_ISDIR(there.st_mode) ? open_dir_at(set_fd, name) : -1;
      if (child >= 0) settle_dir(s, child, set_child, path);
      close_fd(&child);
      close_fd(&set_child);
      if (unlinkat(left_fd, name, AT_REMOVEDIR) == 0) continue;
      if (set_fd < 0) continue; /* goes along with its parent */
      if (!in_set && move_if_free(left_fd, name, set_fd, name)) continue;
      if (!in_set || !S_ISDIR(there.st_mode))
        keep(s, path, in_set ? "det finns redan något annat med samma namn" : lr_errno_text(errno));
      continue;
    }
    bool ours = s->all_own ? S_ISREG(st.st_mode) : s->own && lr_index_get(s->own, path);
    if (ours || (in_set && same_file(left_fd, name, &st, set_fd, &there))) {
      if (unlinkat(left_fd, name, 0) != 0 && errno != ENOENT) keep(s, path, lr_errno_text(errno));
    } else if (set_fd < 0) {
      /* goes along with its parent folder */
    } else if (in_set) {
      keep(s, path, "det finns redan en annan fil med samma namn");
    } else if (!move_if_free(left_fd, name, set_fd, name)) {
      keep(s, path, lr_errno_text(errno));
    }
  }
  /* The manifest goes last: a run killed while settling must leave one
   * that still says what the rest is. */
  if (!rel) {
    unlinkat(left_fd, MANIFEST, 0);
    unlinkat(left_fd, MANIFEST_NEW, 0);
  }
  free_names(names, count);
}

/* Settles the leftover `name` in parent_fd, whose set is set_name, and
 * removes it when nothing is left. shown and into name the two folders in
 * messages. The leftover's own manifest says what it is: a final one, an
 * old set or a staging folder that got as far; a record, a staging folder
 * cut short; none, a folder that was never a recorded set. */
static void settle_leftover(lr_arena *arena, lr_diag_list *diags, int parent_fd, const char *name,
                            const char *set_name, const char *shown, const char *into) {
  int fd = open_dir_at(parent_fd, name);
  if (fd < 0) return;
  if (!lock_fd(fd)) { /* a run still going */
    close(fd);
    return;
  }
  manifest m;
  settling s = {arena, diags, shown, into, NULL, false, false};
  if (!manifest_read(arena, fd, &m)) {
    keep(&s, "", lr_errno_text(errno));
    close(fd);
    return;
  }
  s.own = m.found && m.complete ? &m.paths : NULL;
  s.all_own = m.found && !m.complete;
  int set_fd = open_dir_at(parent_fd, set_name);
  bool set_exists = set_fd >= 0;
  settle_dir(&s, fd, set_fd, NULL);
  close_fd(&set_fd);
  if (unlinkat(parent_fd, name, AT_REMOVEDIR) != 0 && !s.kept)
    keep(&s, "", set_exists ? lr_errno_text(errno) : "mappen den hörde till finns inte längre");
  close(fd);
}

/* ---- opening a set -------------------------------------------------- */

static lr_diag *fail(lr_diag_list *diags, const char *where, const char *fmt, const char *what,
                     int error) {
  return lr_diag_add(diags, LR_ERROR, (lr_loc){where, 0, 0}, fmt, what, lr_errno_text(error));
}

/* mkdir -p */
static bool make_path(lr_arena *arena, const char *path, lr_diag_list *diags) {
  char *copy = lr_arena_strdup(arena, path);
  for (char *p = copy + 1;; p++) {
    if (*p && *p != '/') continue;
    char c = *p;
    *p = '\0';
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
      lr_diag *d = fail(diags, NULL, "kan inte skapa mappen %s: %s", copy, errno);
      lr_diag_hint(diags, d,
                   "kontrollera att du har skrivrättigheter, eller välj en annan mapp med --out");
      return false;
    }
    *p = c;
    if (!c) return true;
  }
}

/* Where the set really goes: a folder that is a symlink is replaced where
 * it points, so that the link, and whatever a user made it for, stays. */
static bool locate(lr_outputs *o, lr_diag_list *diags) {
  lr_arena *arena = o->arena;
  size_t n = strlen(o->dir);
  while (n > 1 && o->dir[n - 1] == '/') n--;
  const char *target = lr_arena_strndup(arena, o->dir, n);
  struct stat st;
  if (lstat(target, &st) == 0) {
    char *real = realpath(target, NULL);
    if (!real) {
      fail(diags, o->dir, "kan inte hitta mappen %s: %s", o->dir, errno);
      return false;
    }
    target = lr_arena_strdup(arena, real);
    free(real);
    if (stat(target, &st) != 0 || !S_ISDIR(st.st_mode)) {
      lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){o->dir, 0, 0}, "finns men är ingen mapp");
      lr_diag_hint(diags, d, "välj en annan mapp med --out eller \"utdata:\" i lagesrapport.yaml");
      return false;
    }
  } else if (errno != ENOENT) {
    fail(diags, o->dir, "kan inte läsa mappen %s: %s", o->dir, errno);
    return false;
  }
  const char *slash = strrchr(target, '/');
  o->parent =
      slash ? (slash == target ? "/" : lr_arena_strndup(arena, target, (size_t)(slash - target)))
            : ".";
  o->name = slash ? slash + 1 : target;
  if (!*o->name || strcmp(o->name, ".") == 0 || strcmp(o->name, "..") == 0) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){o->dir, 0, 0},
                             "kan inte skriva rapporten direkt i en rotmapp");
    lr_diag_hint(diags, d, "välj en mapp under den med --out");
    return false;
  }
  o->target = target;
  return lr_path_is_dir(o->parent) || make_path(arena, o->parent, diags);
}

/* The first file (in byte order, as a relpath) in an unrecorded folder
 * that is not this program's, or NULL. The program's are other sets with
 * manifests of their own (the mail folders) and leftovers; folders that
 * hold nothing else are nothing either. */
static const char *foreign_entry(lr_arena *arena, int dir_fd, const char *rel) {
  size_t count;
  char **names = list_names(dir_fd, &count);
  if (!names) return rel ? rel : ".";
  const char *found = NULL;
  for (size_t i = 0; i < count && !found; i++) {
    const char *name = names[i];
    if (ends_like_leftover(name) || (!rel && is_manifest_name(name))) continue;
    const char *path = join(arena, rel, lr_arena_strdup(arena, name));
    int fd = open_dir_at(dir_fd, name);
    if (fd < 0) {
      found = path;
      continue;
    }
    struct stat st;
    if (fstatat(fd, MANIFEST, &st, AT_SYMLINK_NOFOLLOW) != 0)
      found = foreign_entry(arena, fd, path);
    close(fd);
  }
  free_names(names, count);
  return found;
}

static bool open_target(lr_outputs *o, lr_diag_list *diags) {
  o->target_fd = open(o->target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (o->target_fd < 0) {
    if (errno == ENOENT) return true;
    fail(diags, o->dir, "kan inte öppna mappen %s: %s", o->dir, errno);
    return false;
  }
  if (!lock_fd(o->target_fd)) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){o->dir, 0, 0},
                             "en annan körning av lagesrapport skriver redan till mappen");
    lr_diag_hint(diags, d, "vänta tills den är klar och kör sedan igen");
    return false;
  }
  struct stat st;
  if (fstat(o->target_fd, &st) == 0) o->target_mode = st.st_mode & 07777;
  return true;
}

static void recover(lr_outputs *o, lr_diag_list *diags) {
  int parent_fd = open(o->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd < 0) return;
  size_t count;
  char **names = list_names(parent_fd, &count);
  for (size_t i = 0; names && i < count; i++)
    if (is_leftover_of(names[i], o->name))
      settle_leftover(o->arena, diags, parent_fd, names[i], o->name,
                      lr_path_join(o->arena, o->parent, names[i]), o->dir);
  if (names) free_names(names, count);
  close(parent_fd);
}

static bool read_target_manifest(lr_outputs *o, lr_diag_list *diags) {
  lr_index_init(&o->old_own, o->arena, 64);
  if (o->target_fd < 0) return true;
  manifest m;
  if (!manifest_read(o->arena, o->target_fd, &m)) {
    int error = errno;
    fail(diags, lr_path_join(o->arena, o->dir, MANIFEST), "kan inte läsa %s: %s", MANIFEST, error);
    return false;
  }
  o->old_own = m.paths;
  if (m.found) return true;
  const char *foreign = foreign_entry(o->arena, o->target_fd, NULL);
  if (!foreign) return true;
  if (o->flags & LR_OUTPUTS_ADOPT) {
    o->adopting = true;
    return true;
  }
  lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){o->dir, 0, 0},
                           "skriver inte i en mapp som redan innehåller annat: här finns "
                           "\"%s\" men ingen %s",
                           foreign, MANIFEST);
  lr_diag_hint(diags, d,
               "välj en ny eller tom mapp med --out eller \"utdata:\" i lagesrapport.yaml. "
               "lagesrapport skriver bara där förteckningen %s visar vilka filer som är "
               "dess egna; finns där bara rapporter från en äldre version kan du ta bort dem "
               "och köra igen",
               MANIFEST);
  return false;
}

/* A fresh name by hand rather than mkdtemp: mkdir(2) applies the umask,
 * which is what a new folder should get. */
static bool make_staging(lr_outputs *o, lr_diag_list *diags) {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t seed = (uint64_t)now.tv_nsec ^ ((uint64_t)now.tv_sec << 20) ^ ((uint64_t)getpid() << 40);
  for (int attempt = 0; attempt < 100; attempt++) {
    uint64_t x = (seed += 0x9E3779B97F4A7C15u);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    x ^= x >> 31;
    char suffix[SUFFIX_LENGTH + 1];
    for (int i = 0; i < SUFFIX_LENGTH; i++, x /= 62) suffix[i] = digits[x % 62];
    suffix[SUFFIX_LENGTH] = '\0';
    const char *path =
        lr_arena_printf(o->arena, "%s/.%s%s%s", o->parent, o->name, LEFTOVER_TAG, suffix);
    if (mkdir(path, 0777) != 0) {
      if (errno == EEXIST) continue;
      break;
    }
    o->staging = path;
    o->staging_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->staging_fd < 0 || !lock_fd(o->staging_fd)) break;
    o->record_fd =
        openat(o->staging_fd, MANIFEST, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    /* The record exists before any file does, or a leftover of this run
     * could not be told from an old set without a manifest. */
    if (o->record_fd < 0 || fsync(o->staging_fd) != 0) break;
    return true;
  }
  lr_diag *d = fail(diags, o->dir, "kan inte skapa en mapp bredvid %s: %s", o->dir, errno);
  lr_diag_hint(diags, d,
               "den nya rapporten skrivs i en mapp bredvid den gamla och byts sedan ut i ett "
               "steg; lagesrapport behöver skrivrättighet i %s",
               o->parent);
  return false;
}

static void release(lr_outputs *o) {
  close_fd(&o->record_fd);
  close_fd(&o->staging_fd);
  close_fd(&o->target_fd);
}

/* Clears the staging folder away: whatever is in it then is ours, or the
 * rule in settle brings it back where it belongs. */
static void drop_staging(lr_outputs *o, lr_diag_list *diags) {
  if (!o->staging || o->staging_settled) return;
  o->staging_settled = true;
  close_fd(&o->record_fd);
  int parent_fd = open(o->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd < 0) return;
  manifest m;
  settling s = {o->arena, diags, o->staging, o->dir, NULL, false, false};
  if (manifest_read(o->arena, o->staging_fd, &m)) {
    s.own = m.found && m.complete ? &m.paths : NULL;
    s.all_own = m.found && !m.complete;
    settle_dir(&s, o->staging_fd, o->target_fd, NULL);
  }
  if (unlinkat(parent_fd, strrchr(o->staging, '/') + 1, AT_REMOVEDIR) != 0 && !s.kept)
    keep(&s, "", lr_errno_text(errno));
  close(parent_fd);
}

lr_outputs *lr_outputs_new(lr_arena *arena, const char *dir, unsigned flags, lr_diag_list *diags) {
  lr_outputs *o = lr_arena_alloc(arena, sizeof *o);
  o->arena = arena;
  o->diags = diags;
  o->flags = flags;
  o->dir = dir;
  o->target_fd = o->staging_fd = o->record_fd = -1;
  o->target_mode = 0;
  lr_index_init(&o->own, arena, 64);
  if (!locate(o, diags) || !open_target(o, diags)) {
    release(o);
    return NULL;
  }
  recover(o, diags);
  if (!read_target_manifest(o, diags) || !make_staging(o, diags)) {
    drop_staging(o, diags);
    release(o);
    return NULL;
  }
  return o;
}

/* ---- adding and writing files --------------------------------------- */

static output_file *add(lr_outputs *o, const char *relpath) {
  if (o->count == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 16;
    o->files = lr_xrealloc(o->files, o->cap * sizeof *o->files);
  }
  output_file *f = lr_arena_alloc(o->arena, sizeof *f);
  memset(f, 0, sizeof *f);
  o->files[o->count++] = f;
  f->relpath = lr_arena_strdup(o->arena, relpath);
  return f;
}

lr_buf *lr_outputs_add(lr_outputs *o, const char *relpath) { return &add(o, relpath)->content; }

size_t lr_outputs_count(const lr_outputs *o) { return o->count; }

static bool make_parents(lr_outputs *o, const char *relpath, lr_diag_list *diags) {
  const char *slash = strrchr(relpath, '/');
  if (!slash) return true;
  size_t dir_len = (size_t)(slash - relpath);
  if (o->made_dir && strlen(o->made_dir) == dir_len && strncmp(o->made_dir, relpath, dir_len) == 0)
    return true;
  char *dir = lr_arena_strndup(o->arena, relpath, dir_len);
  for (char *p = dir;; p++) {
    if (*p && *p != '/') continue;
    char c = *p;
    *p = '\0';
    if (mkdirat(o->staging_fd, dir, 0777) != 0 && errno != EEXIST) {
      int error = errno;
      const char *shown = lr_path_join(o->arena, o->dir, dir);
      lr_diag *d = fail(diags, shown, "kan inte skapa mappen %s: %s", shown, error);
      lr_diag_hint(diags, d,
                   "kontrollera att du har skrivrättigheter, eller välj en annan mapp med --out");
      return false;
    }
    *p = c;
    if (!c) break;
  }
  o->made_dir = dir;
  return true;
}

/* Every file is in the staging folder's record before it exists there. */
static bool prepare(lr_outputs *o, output_file *f, lr_diag_list *diags) {
  const char *shown = lr_path_join(o->arena, o->dir, f->relpath);
  if (!valid_relpath(f->relpath)) {
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "ogiltigt filnamn för utdata: \"%s\"", f->relpath);
    return false;
  }
  if (lr_index_put(&o->own, f->relpath, f) != f) {
    lr_diag_add(diags, LR_ERROR, (lr_loc){shown, 0, 0}, "filen skrivs två gånger i samma körning");
    return false;
  }
  lr_buf line = {0};
  lr_buf_printf(&line, "%s\n", f->relpath);
  bool ok = lr_fd_write_all(o->record_fd, line.data, line.len);
  lr_buf_free(&line);
  if (!ok) {
    fail(diags, shown, "kunde inte skriva %s: %s", shown, errno);
    return false;
  }
  return make_parents(o, f->relpath, diags);
}

const char *lr_outputs_add_file(lr_outputs *o, const char *relpath, lr_diag_list *diags) {
  output_file *f = add(o, relpath);
  f->external = true;
  return prepare(o, f, diags) ? lr_path_join(o->arena, o->staging, relpath) : NULL;
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

/* Whether the folder's file of the previous set at relpath holds exactly
 * data: compared from the file's descriptor a block at a time, as most
 * pages of a rebuild are the same and reading is much cheaper than
 * writing (and, on a disk mounted with discard, than freeing). */
static bool folder_has(const lr_outputs *o, const char *relpath, const char *data, size_t size) {
  if (o->target_fd < 0 || !lr_index_get(&o->old_own, relpath)) return false;
  int fd = openat(o->target_fd, relpath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == size;
  char block[16384];
  for (size_t done = 0; same && done < size;) {
    ssize_t n = read(fd, block, size - done < sizeof block ? size - done : sizeof block);
    if (n < 0 && errno == EINTR) continue;
    same = n > 0 && memcmp(block, data + done, (size_t)n) == 0;
    if (same) done += (size_t)n;
  }
  close(fd);
  return same;
}

static bool write_file(lr_outputs *o, output_file *f, lr_diag_list *diags) {
  bool ok = prepare(o, f, diags);
  if (ok && folder_has(o, f->relpath, f->content.data ? f->content.data : "", f->content.len)) {
    f->unchanged = true;
  } else if (ok) {
    /* Reports are for reading, whatever the umask. Not synced here:
     * commit syncs the whole set at once. */
    int fd = openat(o->staging_fd, f->relpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    ok = fd >= 0 && lr_fd_write_all(fd, f->content.data, f->content.len) && fchmod(fd, 0644) == 0;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
      ok = false;
      saved = errno;
    }
    if (!ok) {
      const char *shown = lr_path_join(o->arena, o->dir, f->relpath);
      fail(diags, shown, "kunde inte skriva %s: %s", shown, saved);
    }
  }
  lr_buf_free(&f->content);
  return ok;
}

bool lr_outputs_flush(lr_outputs *o, lr_diag_list *diags) {
  for (; o->flushed < o->count; o->flushed++)
    if (!o->files[o->flushed]->external && !write_file(o, o->files[o->flushed], diags))
      return false;
  return true;
}

/* ---- commit ----------------------------------------------------------- */

/* A file another library wrote (the workbook) that came out as the folder
 * has it gives way to the folder's, as a page does in write_file. */
static void drop_if_unchanged(lr_outputs *o, output_file *f) {
  int fd = openat(o->staging_fd, f->relpath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  lr_buf data = {0};
  bool read = read_all(fd, &data);
  close(fd);
  if (read && folder_has(o, f->relpath, data.data ? data.data : "", data.len) &&
      unlinkat(o->staging_fd, f->relpath, 0) == 0)
    f->unchanged = true;
  lr_buf_free(&data);
}

static void plan(lr_outputs *o, carry_kind kind, const char *relpath, mode_t mode) {
  if (o->carry_count == o->carry_cap) {
    o->carry_cap = o->carry_cap ? o->carry_cap * 2 : 16;
    o->carries = lr_xrealloc(o->carries, o->carry_cap * sizeof *o->carries);
  }
  o->carries[o->carry_count++] = (carry){kind, relpath, mode};
}

static void conflict(lr_outputs *o, const char *relpath, lr_diag_list *diags) {
  lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){lr_path_join(o->arena, o->dir, relpath), 0, 0},
                           "skrevs inte av lagesrapport och skulle ersättas av en fil i rapporten");
  lr_diag_hint(diags, d,
               "flytta den eller byt namn på den och kör igen; lagesrapport skriver "
               "aldrig över något som den inte själv har skrivit");
}

/* Decides, without changing anything yet, what of the folder the new set
 * takes along: all folders, every file that is not ours, our files that
 * this run wrote again with the same bytes (unchanged), and (without
 * LR_OUTPUTS_REPLACE) our files that it did not write again. A name both
 * in the folder and in the new set is ours to replace, or an error. */
static bool plan_dir(lr_outputs *o, int dir_fd, const char *rel, lr_diag_list *diags) {
  size_t count;
  char **names = list_names(dir_fd, &count);
  if (!names) {
    int error = errno;
    const char *shown = rel ? lr_path_join(o->arena, o->dir, rel) : o->dir;
    fail(diags, shown, "kan inte läsa mappen %s: %s", shown, error);
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < count; i++) {
    const char *name = names[i];
    if (!rel && is_manifest_name(name)) continue;
    const char *path = join(o->arena, rel, lr_arena_strdup(o->arena, name));
    struct stat st, staged;
    if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    bool in_staging = fstatat(o->staging_fd, path, &staged, AT_SYMLINK_NOFOLLOW) == 0;
    if (S_ISDIR(st.st_mode)) {
      if (in_staging && !S_ISDIR(staged.st_mode)) {
        conflict(o, path, diags);
        ok = false;
        continue;
      }
      plan(o, CARRY_DIR, path, st.st_mode & 07777);
      int child = open_dir_at(dir_fd, name);
      if (child < 0 || !plan_dir(o, child, path, diags)) ok = false;
      if (child >= 0) close(child);
      continue;
    }
    bool recorded = lr_index_get(&o->old_own, path) != NULL;
    const output_file *written = lr_index_get(&o->own, path);
    if (recorded && S_ISREG(st.st_mode)) {
      if (!in_staging && (!(o->flags & LR_OUTPUTS_REPLACE) || (written && written->unchanged)))
        plan(o, CARRY_OWN, path, 0);
    } else if (in_staging && o->adopting && lr_index_get(&o->own, path)) {
      /* A file of a run before manifests existed: replaced, as then. */
      lr_index_put(&o->old_own, path, (void *)path);
    } else if (in_staging) {
      conflict(o, path, diags);
      ok = false;
    } else {
      plan(o, CARRY_FOREIGN, path, 0);
    }
  }
  free_names(names, count);
  return ok;
}

/* The set's files, sorted, so that the same build gives the same bytes. */
static bool write_manifest(lr_outputs *o, int dir_fd, const char *shown, lr_diag_list *diags) {
  size_t n = 0;
  const char **paths =
      lr_xmalloc((o->count + o->carry_count + o->old_own.count + 1) * sizeof *paths);
  if (dir_fd == o->staging_fd) {
    for (size_t i = 0; i < o->count; i++) paths[n++] = o->files[i]->relpath;
    for (size_t i = 0; i < o->carry_count; i++) /* an unchanged file is listed already */
      if (o->carries[i].kind == CARRY_OWN && !lr_index_get(&o->own, o->carries[i].relpath))
        paths[n++] = o->carries[i].relpath;
  } else { /* the folder taken over: what of it the set replaces */
    for (size_t i = 0; i < o->old_own.cap; i++)
      if (o->old_own.keys[i]) paths[n++] = o->old_own.keys[i];
  }
  qsort(paths, n, sizeof *paths, compare_strings);
  lr_buf text = {0};
  lr_buf_puts(&text, MANIFEST_HEADER);
  for (size_t i = 0; i < n; i++) lr_buf_printf(&text, "%s\n", paths[i]);
  free(paths);
  int fd =
      openat(dir_fd, MANIFEST_NEW, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && lr_fd_write_all(fd, text.data, text.len) && fchmod(fd, 0644) == 0;
  int saved = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  lr_buf_free(&text);
  if (ok && renameat(dir_fd, MANIFEST_NEW, dir_fd, MANIFEST) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) fail(diags, shown, "kunde inte skriva %s: %s", shown, saved);
  return ok;
}

static bool copy_file(int from_dir, const char *from, int to_dir, const char *to) {
  int in = openat(from_dir, from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0) return false;
  int out = openat(to_dir, to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  lr_buf data = {0};
  bool ok = out >= 0 && read_all(in, &data) && lr_fd_write_all(out, data.data, data.len);
  int saved = errno;
  close(in);
  if (out >= 0 && close(out) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  lr_buf_free(&data);
  errno = saved;
  return ok;
}

static bool link_unsupported(int error) {
  return error == EPERM || error == EMLINK || error == ENOTSUP || error == EOPNOTSUPP ||
         error == ENOSYS || error == EXDEV;
}

/* Hard links, so that nothing of the folder's is ever missing from it,
 * not even between here and the swap. Where a link cannot be made, ours
 * is copied and someone else's moved (a crash then leaves it in the
 * staging folder, and the next run moves it back). Folders get their
 * modes last: a read-only one must still take its files. */
static bool carry_all(lr_outputs *o, lr_diag_list *diags) {
  bool ok = true;
  size_t i = 0;
  for (; i < o->carry_count && ok; i++) {
    const carry *c = &o->carries[i];
    if (c->kind == CARRY_DIR) {
      ok = mkdirat(o->staging_fd, c->relpath, 0700) == 0 || errno == EEXIST;
    } else if (linkat(o->target_fd, c->relpath, o->staging_fd, c->relpath, 0) != 0) {
      if (errno == ENOENT) continue; /* removed meanwhile */
      ok = link_unsupported(errno) &&
           (c->kind == CARRY_OWN
                ? copy_file(o->target_fd, c->relpath, o->staging_fd, c->relpath)
                : move_if_free(o->target_fd, c->relpath, o->staging_fd, c->relpath));
    }
  }
  for (size_t k = o->carry_count; ok && k-- > 0;) {
    const carry *c = &o->carries[k];
    if (c->kind == CARRY_DIR && fchmodat(o->staging_fd, c->relpath, c->mode, 0) != 0) {
      ok = false;
      i = k + 1;
    }
  }
  if (!ok) {
    int error = errno;
    const char *shown = lr_path_join(o->arena, o->dir, o->carries[i - 1].relpath);
    lr_diag *d = fail(diags, shown, "kan inte ta med %s till den nya rapporten: %s", shown, error);
    lr_diag_hint(diags, d, "inget har ändrats; flytta den ur mappen om felet består");
  }
  return ok;
}

static bool swap(lr_outputs *o, lr_diag_list *diags) {
  if (o->target_fd < 0) {
    if (move_if_free(AT_FDCWD, o->staging, AT_FDCWD, o->target)) return true;
    lr_diag *d = fail(diags, o->dir, "kan inte flytta rapporten på plats i %s: %s", o->dir, errno);
    if (errno == EEXIST || errno == ENOTEMPTY)
      lr_diag_hint(diags, d, "mappen skapades av någon annan under tiden; kör igen");
    return false;
  }
  if (rename_with(AT_FDCWD, o->staging, AT_FDCWD, o->target, RENAME_EXCHANGE) == 0) return true;
  int error = errno;
  if (error == EINVAL || error == ENOSYS || error == ENOTSUP || error == EOPNOTSUPP) {
    lr_diag *d = fail(diags, o->dir,
                      "filsystemet där %s ligger kan inte byta ut en mapp i ett enda steg (%s), "
                      "så rapporten skrevs inte",
                      o->dir, error);
    lr_diag_hint(diags, d,
                 "rapporten byts bara ut hel, aldrig till hälften; lägg utdata på en lokal disk "
                 "(till exempel ext4, xfs, btrfs eller tmpfs) med --out eller \"utdata:\" i "
                 "lagesrapport.yaml");
  } else {
    fail(diags, o->dir, "kan inte byta ut mappen %s: %s", o->dir, error);
  }
  return false;
}

bool lr_outputs_commit(lr_outputs *o, lr_diag_list *diags) {
  if (!lr_outputs_flush(o, diags)) return false;
  for (size_t i = 0; i < o->count; i++)
    if (o->files[i]->external) {
      drop_if_unchanged(o, o->files[i]);
      if (!o->files[i]->unchanged) fchmodat(o->staging_fd, o->files[i]->relpath, 0644, 0);
    }
  const char *manifest_shown = lr_path_join(o->arena, o->dir, MANIFEST);
  bool ok = o->target_fd < 0 || plan_dir(o, o->target_fd, NULL, diags);
  /* The final manifest is on disk before anything of anyone else's is in
   * the staging folder: see settle. */
  ok = ok && write_manifest(o, o->staging_fd, manifest_shown, diags);
  if (ok && !sync_folder(o->staging_fd)) {
    fail(diags, o->dir, "kunde inte skriva %s till disken: %s", o->dir, errno);
    ok = false;
  }
  /* An unrecorded folder whose files are replaced gets a manifest first,
   * so that a crash after the swap leaves an old set that says so. */
  if (ok && o->adopting && o->old_own.count)
    ok = write_manifest(o, o->target_fd, manifest_shown, diags);
  ok = ok && carry_all(o, diags);
  if (ok && !sync_folder(o->staging_fd)) {
    fail(diags, o->dir, "kunde inte skriva %s till disken: %s", o->dir, errno);
    ok = false;
  }
  if (ok && o->target_fd >= 0 && fchmod(o->staging_fd, o->target_mode) != 0) {
    fail(diags, o->dir, "kan inte sätta rättigheterna på %s: %s", o->dir, errno);
    ok = false;
  }
  ok = ok && swap(o, diags);
  if (!ok) {
    drop_staging(o, diags);
    return false;
  }
  o->staging_settled = true;
  close_fd(&o->record_fd);
  /* From here the new set is in place: what goes wrong is a warning. */
  int parent_fd = open(o->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd >= 0 && fsync(parent_fd) != 0 && errno != EINVAL)
    lr_diag_add(diags, LR_WARNING, (lr_loc){o->dir, 0, 0},
                "rapporten är utbytt men kanske inte skriven till disken: %s", lr_errno_text(errno));
  /* The old folder, now under the staging name: the same rule as for any
   * leftover, with what it held known rather than read back. */
  if (o->target_fd >= 0 && parent_fd >= 0) {
    settling s = {o->arena, diags, o->staging, o->dir, &o->old_own, false, false};
    settle_dir(&s, o->target_fd, o->staging_fd, NULL);
    if (unlinkat(parent_fd, strrchr(o->staging, '/') + 1, AT_REMOVEDIR) != 0 && !s.kept)
      keep(&s, "", lr_errno_text(errno));
  }
  if (parent_fd >= 0) close(parent_fd);
  return true;
}

void lr_outputs_free(lr_outputs *o) {
  if (!o) return;
  drop_staging(o, o->diags);
  release(o);
  for (size_t i = 0; i < o->count; i++) lr_buf_free(&o->files[i]->content);
  free(o->files);
  free(o->carries);
  o->files = NULL;
  o->carries = NULL;
  o->count = o->cap = o->flushed = o->carry_count = o->carry_cap = 0;
}
