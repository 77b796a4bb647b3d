/* Trends over the strategy period: for the report's year and every year of
 * the project before it, activities and actors per goal and sub-goal,
 * responses, sub-goals nobody has worked on for years and actors who have
 * stopped answering, all counted in the report year's strategy version.
 *
 * A build loads only its year and the one before. Older years are read as
 * digests: per year who answered and, per published activity, its id,
 * owners, targets and status. A digest is kept in
 * <projekt>/.lagesrapport/cache/trender-<år>.txt, keyed by the names,
 * sizes, times and inodes of the files it was made from, so that a
 * ten-year project builds about as fast as a one-year one. A cache file
 * that does not match, or is damaged in any way, is made again from the
 * statements: the cache can make a build faster, never different. Its
 * last line is a CRC-32 of the rest, which finds damage; the key, a
 * SHA-256, is what says whose digest it is. */
#include "model/model.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Written first in every cache file; a new layout gets a new number. */
#define DIGEST_MAGIC "lagesrapport-trender 3"

typedef struct digest_activity {
  const char *id; /* NULL: none */
  lr_status status;
  const lr_actor **owners;
  size_t owner_count;
  lr_target *targets; /* in the version of its own year */
  size_t target_count;
} digest_activity;

/* A shared indicator's value in one statement. */
typedef struct digest_value {
  const lr_indicator *indicator;
  double value;
} digest_value;

typedef struct digest {
  int year;
  const lr_actor **responders;
  size_t responder_count;
  digest_activity *activities;
  size_t activity_count;
  digest_value *values;
  size_t value_count;
} digest;

static size_t value_total(const lr_statement *statements, size_t count) {
  size_t n = 0;
  for (size_t i = 0; i < count; i++) n += statements[i].indicator_value_count;
  return n;
}

static void add_values(digest *d, const lr_statement *s) {
  for (size_t k = 0; k < s->indicator_value_count; k++)
    d->values[d->value_count++] = (digest_value){s->indicator_values[k].indicator, s->indicator_values[k].value};
}

/* ---- making a digest ----------------------------------------------------- */

static digest_activity digest_of(lr_arena *arena, const lr_activity *a) {
  digest_activity d = {.status = a->status, .owner_count = a->owner_count, .target_count = a->target_count};
  d.id = a->id ? lr_arena_strdup(arena, a->id) : NULL;
  d.owners = lr_arena_array(arena, a->owner_count + 1, sizeof *d.owners);
  memcpy(d.owners, a->owners, a->owner_count * sizeof *d.owners);
  d.targets = lr_arena_array(arena, a->target_count + 1, sizeof *d.targets);
  memcpy(d.targets, a->targets, a->target_count * sizeof *d.targets);
  return d;
}

/* A loaded year: its statements are merged, so each joint activity is
 * there once, as the report counts it. */
static digest *digest_of_year(lr_arena *arena, const lr_year *y) {
  digest *d = lr_arena_alloc(arena, sizeof *d);
  d->year = y->year;
  size_t total = 0;
  for (size_t i = 0; i < y->statement_count; i++) total += y->statements[i].activity_count;
  d->responders = lr_arena_array(arena, y->statement_count + 1, sizeof *d->responders);
  d->activities = lr_arena_array(arena, total + 1, sizeof *d->activities);
  d->values = lr_arena_array(arena, value_total(y->statements, y->statement_count) + 1, sizeof *d->values);
  for (size_t i = 0; i < y->statement_count; i++) {
    const lr_statement *s = &y->statements[i];
    d->responders[d->responder_count++] = s->actor;
    add_values(d, s);
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (!a->copy && !a->internal) d->activities[d->activity_count++] = digest_of(arena, a);
    }
  }
  return d;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n > m && strcmp(s + n - m, suffix) == 0;
}

static int compare_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The statement files of a year's folder, sorted by name as the loader
 * reads them; NULL when the folder cannot be read. */
static const char **statement_files(lr_arena *arena, const char *folder, size_t *count) {
  *count = 0;
  DIR *dir = opendir(folder);
  if (!dir) return NULL;
  size_t cap = 16;
  const char **names = lr_xmalloc(cap * sizeof *names);
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.' || !ends_with(e->d_name, ".yaml")) continue;
    if (*count == cap) names = lr_xrealloc(names, (cap *= 2) * sizeof *names);
    names[(*count)++] = lr_arena_strdup(arena, e->d_name);
  }
  closedir(dir);
  qsort(names, *count, sizeof *names, compare_str);
  const char **out = lr_arena_array(arena, *count + 1, sizeof *out);
  memcpy(out, names, *count * sizeof *out);
  free(names);
  return out;
}

static int compare_actor(const void *a, const void *b) {
  const lr_actor *x = *(const lr_actor *const *)a, *y = *(const lr_actor *const *)b;
  return (x->index > y->index) - (x->index < y->index);
}

/* A year that is not loaded, from its statement files. Each is parsed in
 * a scratch arena that is freed at once: only the digest stays. A joint
 * activity is kept in the first owner's copy, as the loader's merge keeps
 * it. *complete is false when some file could not be read as a statement;
 * `check` reports why. */
static digest *digest_of_files(lr_project *p, int year, const char *folder, const char *const *names,
                               size_t count, bool *complete) {
  lr_arena *arena = p->arena;
  digest *d = lr_arena_alloc(arena, sizeof *d);
  d->year = year;
  d->responders = lr_arena_array(arena, count + 1, sizeof *d->responders);
  size_t cap = 64;
  d->activities = lr_xmalloc(cap * sizeof *d->activities);
  lr_index joint;
  lr_index_init(&joint, arena, 16);
  *complete = true;
  for (size_t i = 0; i < count; i++) {
    lr_arena *scratch = lr_arena_new();
    lr_diag_list diags;
    lr_diag_list_init(&diags, scratch);
    lr_statement s = {0};
    const char *stem = lr_arena_strndup(scratch, names[i], strlen(names[i]) - 5);
    bool ok = lr_statement_load_in(p, scratch, &diags, year, lr_path_join(scratch, folder, names[i]), -1, stem, &s);
    *complete = *complete && ok && diags.errors == 0;
    if (ok && !s.awaiting) {
      d->responders[d->responder_count++] = s.actor;
      if (s.indicator_value_count) {
        digest_value *more = lr_arena_array(arena, d->value_count + s.indicator_value_count, sizeof *more);
        if (d->value_count) memcpy(more, d->values, d->value_count * sizeof *more);
        d->values = more;
        add_values(d, &s);
      }
      for (size_t j = 0; j < s.activity_count; j++) {
        const lr_activity *a = &s.activities[j];
        if (a->internal) continue;
        if (a->id && a->owner_count > 1) {
          const char *key = lr_arena_printf(arena, "%s/%s", a->owners[0]->id, a->id);
          if (lr_index_put(&joint, key, (void *)key) != key) continue;
        }
        if (d->activity_count == cap) d->activities = lr_xrealloc(d->activities, (cap *= 2) * sizeof *d->activities);
        d->activities[d->activity_count++] = digest_of(arena, a);
      }
    }
    lr_diag_list_release(&diags);
    lr_arena_free(scratch);
  }
  digest_activity *kept = lr_arena_array(arena, d->activity_count + 1, sizeof *kept);
  memcpy(kept, d->activities, d->activity_count * sizeof *kept);
  free(d->activities);
  d->activities = kept;
  if (d->responder_count > 1) qsort(d->responders, d->responder_count, sizeof *d->responders, compare_actor);
  return d;
}

/* ---- the cache ------------------------------------------------------------ */

static void put_stat(lr_buf *key, const char *label, const char *path) {
  struct stat st;
  if (!path || stat(path, &st) != 0) {
    lr_buf_printf(key, "%s\t-\n", label);
    return;
  }
  lr_buf_printf(key, "%s\t%lld\t%lld.%09ld\t%llu\n", label, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                (long)st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
}

/* CRC-32 of a digest's text: a tenth of the time of a SHA-256 over the
 * eight digests a ten-year build reads, and it finds any damage that
 * matters here (a cut, a flipped bit, a changed line). */
static unsigned long damage_check(const char *text, size_t size) {
  return crc32_z(crc32_z(0, Z_NULL, 0), (const unsigned char *)text, size);
}

static void hex(const unsigned char digest[32], char out[65]) {
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* What a year's digest is made from: its statement files, the strategy
 * and the registry that give their ids meaning, and the configuration. */
static void cache_key(lr_project *p, const char *folder, const char *const *names, size_t count,
                      char out[65]) {
  lr_buf key = {0};
  lr_buf_puts(&key, DIGEST_MAGIC "\n");
  put_stat(&key, "inställningar", p->config.path);
  put_stat(&key, "strategi", p->config.strategy_path);
  put_stat(&key, "aktörer", p->config.actors_path);
  for (size_t i = 0; i < count; i++) {
    lr_arena *arena = p->arena;
    put_stat(&key, names[i], lr_path_join(arena, folder, names[i]));
  }
  unsigned char digest[32];
  lr_sha256(key.data, key.len, digest);
  hex(digest, out);
  lr_buf_free(&key);
}

static const char *cache_path(lr_project *p, int year) {
  return lr_path_join(p->arena, p->config.root,
                      lr_arena_printf(p->arena, ".lagesrapport/cache/trender-%d.txt", year));
}

/* Goals and sub-goals of one version by "<mål>\t<delmål>" ("<mål>\t" for
 * the goal itself), to read targets back. */
static lr_index target_keys(lr_arena *arena, const lr_strategy *v) {
  lr_index index;
  lr_index_init(&index, arena, v->goal_count + v->subgoal_count + 1);
  for (size_t g = 0; g < v->goal_count; g++) {
    const lr_goal *goal = &v->goals[g];
    lr_target *t = lr_arena_alloc(arena, sizeof *t);
    t->goal = goal;
    lr_index_put(&index, lr_arena_printf(arena, "%s\t", goal->id), t);
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      t = lr_arena_alloc(arena, sizeof *t);
      t->goal = goal;
      t->subgoal = &goal->subgoals[k];
      lr_index_put(&index, lr_arena_printf(arena, "%s\t%s", goal->id, goal->subgoals[k].id), t);
    }
  }
  return index;
}

static void cache_write(lr_project *p, const digest *d, const char *key) {
  lr_buf b = {0};
  lr_buf_printf(&b, DIGEST_MAGIC "\nnyckel\t%s\n", key);
  for (size_t i = 0; i < d->responder_count; i++) lr_buf_printf(&b, "svar\t%s\n", d->responders[i]->id);
  /* %.17g reads back as the same double. */
  for (size_t i = 0; i < d->value_count; i++)
    lr_buf_printf(&b, "indikator\t%s\t%.17g\n", d->values[i].indicator->id, d->values[i].value);
  for (size_t i = 0; i < d->activity_count; i++) {
    const digest_activity *a = &d->activities[i];
    lr_buf_printf(&b, "aktivitet\t%s\t%s\n", lr_status_name(a->status), a->id ? a->id : "");
    for (size_t k = 0; k < a->owner_count; k++) lr_buf_printf(&b, "ägare\t%s\n", a->owners[k]->id);
    for (size_t k = 0; k < a->target_count; k++)
      lr_buf_printf(&b, "mål\t%s\t%s\n", a->targets[k].goal->id,
                    a->targets[k].subgoal ? a->targets[k].subgoal->id : "");
  }
  lr_buf_printf(&b, "slut\t%08lx\n", damage_check(b.data, b.len));

  /* A cache that cannot be written costs time, not correctness: the
   * next build makes the digest again, so failures here stay silent. */
  const char *path = cache_path(p, d->year);
  const char *dir = lr_path_join(p->arena, p->config.root, ".lagesrapport");
  mkdir(dir, 0777);
  mkdir(lr_path_join(p->arena, dir, "cache"), 0777);
  const char *tmp = lr_arena_printf(p->arena, "%s.%ld.tmp", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd >= 0) {
    bool ok = lr_fd_write_all(fd, b.data, b.len);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) unlink(tmp);
  }
  lr_buf_free(&b);
}

/* The next line of text, cut at its newline; NULL at the end. */
static char *next_line(char **cursor) {
  char *line = *cursor;
  if (!*line) return NULL;
  char *nl = strchr(line, '\n');
  if (!nl) return NULL; /* a last line without newline: cut short */
  *nl = '\0';
  *cursor = nl + 1;
  return line;
}

/* Splits a line at tabs into at most `max` fields. */
static size_t fields(char *line, char **out, size_t max) {
  size_t n = 0;
  for (char *f = line;; ) {
    if (n == max) return max + 1;
    out[n++] = f;
    char *tab = strchr(f, '\t');
    if (!tab) return n;
    *tab = '\0';
    f = tab + 1;
  }
}

static bool status_of(const char *token, lr_status *out) {
  for (int s = 0; s < LR_STATUS_COUNT; s++)
    if (strcmp(lr_status_tokens[s], token) == 0) {
      *out = (lr_status)s;
      return true;
    }
  return false;
}

/* The digest in the cache, or NULL when there is none that matches the
 * key and reads back whole: its sum, every line and every id checked. */
static digest *cache_read(lr_project *p, int year, const char *key, const lr_strategy *version) {
  FILE *f = fopen(cache_path(p, year), "rb");
  if (!f) return NULL;
  lr_buf text = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lr_buf_put(&text, chunk, n);
  bool read_error = ferror(f);
  fclose(f);
  digest *d = NULL;
  /* The last line is "slut", the check of every byte before it. */
  const size_t last_line = 5 + 8 + 1;
  const char *end = text.len >= last_line ? text.data + text.len - last_line : NULL;
  if (read_error || !end || (end != text.data && end[-1] != '\n') || strncmp(end, "slut\t", 5) != 0 ||
      text.data[text.len - 1] != '\n' || strlen(text.data) != text.len)
    goto done;
  char check[9];
  snprintf(check, sizeof check, "%08lx", damage_check(text.data, (size_t)(end - text.data)));
  if (strncmp(end + 5, check, 8) != 0) goto done;
  text.data[end - text.data] = '\0';

  lr_arena *arena = p->arena;
  lr_index targets = target_keys(arena, version);
  char *cursor = text.data, *line, *f_[4];
  if (!(line = next_line(&cursor)) || strcmp(line, DIGEST_MAGIC) != 0) goto done;
  if (!(line = next_line(&cursor)) || fields(line, f_, 3) != 2 || strcmp(f_[0], "nyckel") != 0 ||
      strcmp(f_[1], key) != 0)
    goto done;
  /* Every array sized by the lines of its kind, counted first: sized by
   * all lines, the eight digests of a national decade would hold tens
   * of megabytes that are never used. */
  size_t responders = 0, activities = 0, values = 0, owners = 0, target_lines = 0;
  for (const char *c = cursor; *c;) {
    responders += strncmp(c, "svar\t", 5) == 0;
    activities += strncmp(c, "aktivitet\t", 10) == 0;
    values += strncmp(c, "indikator\t", 10) == 0;
    owners += strncmp(c, "ägare\t", strlen("ägare\t")) == 0;
    target_lines += strncmp(c, "mål\t", strlen("mål\t")) == 0;
    const char *nl = strchr(c, '\n');
    c = nl ? nl + 1 : c + strlen(c);
  }
  digest *out = lr_arena_alloc(arena, sizeof *out);
  out->year = year;
  out->responders = lr_arena_array(arena, responders + 1, sizeof *out->responders);
  out->activities = lr_arena_array(arena, activities + 1, sizeof *out->activities);
  out->values = lr_arena_array(arena, values + 1, sizeof *out->values);
  /* Each activity's owners and targets are the lines that follow it, so
   * they are consecutive slices of two pools. */
  const lr_actor **owner_pool = lr_arena_array(arena, owners + 1, sizeof *owner_pool);
  lr_target *target_pool = lr_arena_array(arena, target_lines + 1, sizeof *target_pool);
  size_t owners_used = 0, targets_used = 0;
  digest_activity *a = NULL;
  while ((line = next_line(&cursor))) {
    size_t count = fields(line, f_, 3);
    if (count == 2 && strcmp(f_[0], "svar") == 0) {
      const lr_actor *actor = lr_project_actor(p, f_[1]);
      if (!actor) goto done;
      out->responders[out->responder_count++] = actor;
    } else if (count == 3 && strcmp(f_[0], "indikator") == 0 && !a) {
      const lr_indicator *ind = lr_indicator_find(&p->strategy, f_[1]);
      char *end;
      double v = strtod(f_[2], &end);
      if (!ind || end == f_[2] || *end) goto done;
      out->values[out->value_count++] = (digest_value){ind, v};
    } else if (count == 3 && strcmp(f_[0], "aktivitet") == 0) {
      if (a && !a->owner_count) goto done;
      a = &out->activities[out->activity_count++];
      if (!status_of(f_[1], &a->status)) goto done;
      a->id = *f_[2] ? lr_arena_strdup(arena, f_[2]) : NULL;
      a->owners = owner_pool + owners_used;
      a->targets = target_pool + targets_used;
    } else if (count == 2 && strcmp(f_[0], "ägare") == 0 && a) {
      const lr_actor *actor = lr_project_actor(p, f_[1]);
      if (!actor) goto done;
      a->owners[a->owner_count++] = actor;
      owners_used++;
    } else if (count == 3 && strcmp(f_[0], "mål") == 0 && a) {
      /* The key is the line's last two fields as written: put back the
       * tab that fields() took out between them. */
      f_[2][-1] = '\t';
      const lr_target *t = lr_index_get(&targets, f_[1]);
      if (!t) goto done;
      a->targets[a->target_count++] = *t;
      targets_used++;
    } else {
      goto done;
    }
  }
  if (*cursor || (a && !a->owner_count)) goto done;
  d = out;
done:
  lr_buf_free(&text);
  return d;
}

/* ---- the years ------------------------------------------------------------ */

static int year_of_name(const char *name) {
  if (strlen(name) != 4) return 0;
  for (int i = 0; i < 4; i++)
    if (name[i] < '0' || name[i] > '9') return 0;
  return atoi(name);
}

static int compare_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The years of the project up to `last` that have a statements folder. */
static int *project_years(lr_project *p, int last, size_t *count) {
  *count = 0;
  size_t cap = 8;
  int *years = lr_xmalloc(cap * sizeof *years);
  DIR *dir = opendir(p->config.root);
  struct dirent *e;
  while (dir && (e = readdir(dir))) {
    int y = year_of_name(e->d_name);
    if (y < 1900 || y > last || !lr_path_is_dir(lr_year_paths_get(p, y).statements)) continue;
    if (*count == cap) years = lr_xrealloc(years, (cap *= 2) * sizeof *years);
    years[(*count)++] = y;
  }
  if (dir) closedir(dir);
  qsort(years, *count, sizeof *years, compare_int);
  return years;
}

/* A year's digest: from the model when the year is loaded, else from the
 * cache, else from its files (and then into the cache). */
static const digest *year_digest(lr_project *p, int year) {
  /* A loaded year (the report's and the one before) is counted from the
   * model and not cached: a project of two years never gets a cache, and
   * a longer one parses each older year once, when it first is older. */
  const lr_year *loaded = lr_project_year(p, year);
  if (loaded) return digest_of_year(p->arena, loaded);
  const char *folder = lr_year_paths_get(p, year).statements;
  size_t count = 0;
  const char **names = statement_files(p->arena, folder, &count);
  char key[65];
  cache_key(p, folder, names, count, key);
  digest *d = cache_read(p, year, key, lr_strategy_in_year(p, year));
  if (d) return d;
  bool complete = false;
  d = digest_of_files(p, year, folder, names, count, &complete);
  if (complete) {
    cache_write(p, d, key);
  } else {
    lr_diag *w = lr_diag_add(&p->diags, LR_WARNING, (lr_loc){folder, 0, 0},
                             "yttrandena för %d har fel; utvecklingen över åren räknar bara det som gick att läsa",
                             year);
    lr_diag_hint(&p->diags, w, "se felen med \"lagesrapport check %d\"", year);
  }
  return d;
}

/* ---- counting -------------------------------------------------------------- */

/* Where each target of an activity is in the report's version, each
 * target once however many of the activity's old targets land on it. */
static size_t mapped_targets(lr_project *p, const lr_strategy *from, const lr_strategy *to,
                             const digest_activity *a, lr_target *out, bool *inexact, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < a->target_count; i++) {
    const lr_target *went = NULL;
    bool exact = true;
    size_t m = from == to ? 1 : lr_target_follow(p, from, a->targets[i], to, &went, &exact);
    if (from == to) went = &a->targets[i];
    for (size_t k = 0; k < m; k++) {
      bool seen = false;
      for (size_t j = 0; j < n; j++)
        seen = seen || (out[j].goal == went[k].goal && out[j].subgoal == went[k].subgoal);
      if (seen || n == cap) continue;
      inexact[n] = !exact;
      out[n++] = went[k];
    }
  }
  return n;
}

static void count_year(lr_project *p, const digest *d, const lr_strategy *to, lr_trend_year *ty,
                       bool *any_inexact) {
  lr_arena *arena = p->arena;
  const lr_strategy *from = lr_strategy_in_year(p, d->year);
  size_t goals = to->goal_count, subgoals = to->subgoal_count, actors = p->actor_count;
  ty->year = d->year;
  ty->responses = d->responder_count;
  ty->registered = actors;
  ty->activities = d->activity_count;
  ty->per_goal = lr_arena_array(arena, goals + 1, sizeof *ty->per_goal);
  ty->per_subgoal = lr_arena_array(arena, subgoals + 1, sizeof *ty->per_subgoal);
  const lr_strategy *st = &p->strategy;
  ty->indicators = lr_arena_array(arena, st->indicator_count + 1, sizeof *ty->indicators);
  double *values = lr_arena_array(arena, d->value_count + 1, sizeof *values);
  for (size_t i = 0; i < st->indicator_count; i++) {
    size_t n = 0;
    for (size_t k = 0; k < d->value_count; k++)
      if (d->values[k].indicator == &st->indicators[i]) values[n++] = d->values[k].value;
    ty->indicators[i] = lr_indicator_total_of_values(&st->indicators[i], values, n);
  }
  /* Who owns something under each goal and sub-goal, and which activity
   * last counted there, so that each is counted once. */
  bool *goal_actor = lr_xmalloc((goals + 1) * (actors + 1) * sizeof *goal_actor);
  bool *subgoal_actor = lr_xmalloc((subgoals + 1) * (actors + 1) * sizeof *subgoal_actor);
  memset(goal_actor, 0, (goals + 1) * (actors + 1) * sizeof *goal_actor);
  memset(subgoal_actor, 0, (subgoals + 1) * (actors + 1) * sizeof *subgoal_actor);
  size_t *goal_stamp = lr_xmalloc((goals + 1) * sizeof *goal_stamp);
  size_t *subgoal_stamp = lr_xmalloc((subgoals + 1) * sizeof *subgoal_stamp);
  for (size_t g = 0; g <= goals; g++) goal_stamp[g] = (size_t)-1;
  for (size_t s = 0; s <= subgoals; s++) subgoal_stamp[s] = (size_t)-1;
  enum { MAX_TARGETS = 64 };
  lr_target targets[MAX_TARGETS];
  bool inexact[MAX_TARGETS];
  for (size_t i = 0; i < d->activity_count; i++) {
    const digest_activity *a = &d->activities[i];
    size_t n = mapped_targets(p, from, to, a, targets, inexact, MAX_TARGETS);
    for (size_t k = 0; k < n; k++) {
      size_t g = targets[k].goal->index;
      lr_trend_count *c = &ty->per_goal[g];
      bool *seen = &goal_actor[g * (actors + 1)];
      c->inexact = c->inexact || inexact[k];
      if (goal_stamp[g] != i) {
        goal_stamp[g] = i;
        c->activities++;
        for (size_t o = 0; o < a->owner_count; o++)
          if (!seen[a->owners[o]->index]) seen[a->owners[o]->index] = true, c->actors++;
      }
      if (!targets[k].subgoal) continue;
      size_t s = targets[k].subgoal->index;
      c = &ty->per_subgoal[s];
      c->inexact = c->inexact || inexact[k];
      seen = &subgoal_actor[s * (actors + 1)];
      if (subgoal_stamp[s] == i) continue;
      subgoal_stamp[s] = i;
      c->activities++;
      for (size_t o = 0; o < a->owner_count; o++)
        if (!seen[a->owners[o]->index]) seen[a->owners[o]->index] = true, c->actors++;
    }
  }
  for (size_t g = 0; g < goals; g++) *any_inexact = *any_inexact || ty->per_goal[g].inexact;
  for (size_t s = 0; s < subgoals; s++) *any_inexact = *any_inexact || ty->per_subgoal[s].inexact;
  free(goal_actor);
  free(subgoal_actor);
  free(goal_stamp);
  free(subgoal_stamp);
}

/* A sub-goal (or a goal without sub-goals) is stale when the latest years,
 * up to the report's, have LR_TREND_STALE_YEARS or more without activity
 * in a row. */
static void find_stale(lr_arena *arena, lr_trends *t) {
  const lr_strategy *st = t->strategy;
  t->stale = lr_arena_array(arena, st->subgoal_count + st->goal_count + 1, sizeof *t->stale);
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    size_t rows = goal->subgoal_count ? goal->subgoal_count : 1;
    for (size_t k = 0; k < rows; k++) {
      const lr_subgoal *sg = goal->subgoal_count ? &goal->subgoals[k] : NULL;
      size_t idle = 0;
      int last = 0;
      for (size_t y = t->year_count; y-- > 0;) {
        const lr_trend_year *ty = &t->years[y];
        size_t n = sg ? ty->per_subgoal[sg->index].activities : ty->per_goal[g].activities;
        if (n) {
          last = ty->year;
          break;
        }
        idle++;
      }
      if (idle < LR_TREND_STALE_YEARS) continue;
      t->stale[t->stale_count++] = (lr_stale_target){{goal, sg}, last, idle};
    }
  }
}

/* Actors who answered some year before the report's but not in it. */
static void find_stopped(lr_project *p, lr_trends *t, const digest *const *digests) {
  size_t actors = p->actor_count;
  int *last = lr_xmalloc((actors + 1) * sizeof *last);
  memset(last, 0, (actors + 1) * sizeof *last);
  bool *now = lr_arena_array(p->arena, actors + 1, sizeof *now);
  for (size_t y = 0; y < t->year_count; y++) {
    const digest *d = digests[y];
    for (size_t i = 0; i < d->responder_count; i++) {
      size_t a = d->responders[i]->index;
      if (y + 1 == t->year_count) now[a] = true;
      else last[a] = d->year;
    }
  }
  t->stopped = lr_arena_array(p->arena, actors + 1, sizeof *t->stopped);
  for (size_t a = 0; a < actors; a++)
    if (last[a] && !now[a]) t->stopped[t->stopped_count++] = (lr_stopped_actor){&p->actors[a], last[a]};
  free(last);
}

const lr_trends *lr_trends_compute(lr_project *p, const lr_year *year) {
  lr_arena *arena = p->arena;
  lr_trends *t = lr_arena_alloc(arena, sizeof *t);
  t->strategy = lr_strategy_in_year(p, year->year);
  size_t count = 0;
  int *years = project_years(p, year->year, &count);
  const digest **digests = lr_arena_array(arena, count + 1, sizeof *digests);
  t->years = lr_arena_array(arena, count + 1, sizeof *t->years);
  for (size_t i = 0; i < count; i++) {
    digests[t->year_count] = year_digest(p, years[i]);
    count_year(p, digests[t->year_count], t->strategy, &t->years[t->year_count], &t->inexact);
    t->year_count++;
  }
  free(years);
  find_stale(arena, t);
  find_stopped(p, t, digests);
  return t;
}
