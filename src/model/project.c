/* A project: its configuration, strategy, registry and years, loaded in
 * one arena (what loader threads allocate joins it) with every diagnostic
 * of every file collected on the way. */
#include "model/model.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int year_of_name(const char *name) {
  if (strlen(name) != 4) return 0;
  for (int i = 0; i < 4; i++)
    if (name[i] < '0' || name[i] > '9') return 0;
  int y = atoi(name);
  return y >= 1900 && y <= 2999 ? y : 0;
}

static int compare_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int compare_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int compare_statement(const void *a, const void *b) {
  const lr_statement *x = a, *y = b;
  return (x->actor->index > y->actor->index) - (x->actor->index < y->actor->index);
}

/* Years that have a statements folder, ascending. */
static int *find_years(lr_project *p, size_t *count) {
  *count = 0;
  DIR *dir = opendir(p->config.root);
  if (!dir) return NULL;
  size_t cap = 8;
  int *years = lr_xmalloc(cap * sizeof *years);
  struct dirent *e;
  while ((e = readdir(dir))) {
    int y = year_of_name(e->d_name);
    if (!y) continue;
    if (!lr_path_is_dir(lr_year_paths_get(p, y).statements)) continue;
    if (*count == cap) years = lr_xrealloc(years, (cap *= 2) * sizeof *years);
    years[(*count)++] = y;
  }
  closedir(dir);
  qsort(years, *count, sizeof *years, compare_int);
  return years;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n > m && strcmp(s + n - m, suffix) == 0;
}

/* One warning for the newest year, naming who has not answered: older
 * years are history, and one line per actor would drown real problems.
 * An actor whose file is there but broken has answered: its errors are
 * reported on their own. */
static void warn_missing(lr_project *p, const lr_year *y, const bool *has_file) {
  lr_buf names = {0};
  size_t missing = 0;
  for (size_t i = 0; i < p->actor_count; i++) {
    if (has_file[i]) continue;
    lr_buf_printf(&names, "%s%s", missing ? ", " : "", p->actors[i].name);
    missing++;
  }
  if (missing) {
    const char *folder = lr_year_paths_get(p, y->year).statements;
    lr_diag *d = lr_diag_add(&p->diags, LR_WARNING, (lr_loc){folder, 0, 0},
                             missing == 1 ? "%zu aktör har inte lämnat yttrande för %d: %s"
                                          : "%zu aktörer har inte lämnat yttrande för %d: %s",
                             missing, y->year, lr_buf_cstr(&names));
    if (y->awaiting_count)
      lr_diag_hint(&p->diags, d,
                   "%zu av dem har ett formulär som väntar på svar; fyll i inkom när det kommer tillbaka",
                   y->awaiting_count);
    else
      lr_diag_hint(&p->diags, d, "skapa formulär åt dem med \"lagesrapport new %d\"", y->year);
  }
  lr_buf_free(&names);
}

/* Statements are independent files and parsing them is nearly all of a
 * national check, so they are read on as many threads as there are cores.
 * Each thread allocates and reports on its own; afterwards its arena and
 * diagnostics join the project's, and the statements are kept in file
 * order, so the result is the same whichever thread read which file. */
enum { MAX_LOADERS = 8, FILES_PER_LOADER = 16 };

typedef struct statement_job {
  lr_project *p;
  int year;
  const char **paths, **stems;
  int folder_fd; /* the statements' folder, found inside the project; or -1 */
  lr_statement *out; /* parallel to paths */
  bool *ok;
  size_t count;
  atomic_size_t next;
} statement_job;

typedef struct loader {
  statement_job *job;
  lr_arena *arena;
  lr_diag_list *diags;
  lr_diag_list own; /* a thread's own list */
  pthread_t thread;
} loader;

static void *load_statements(void *arg) {
  loader *l = arg;
  statement_job *job = l->job;
  for (size_t i; (i = atomic_fetch_add(&job->next, 1)) < job->count;)
    job->ok[i] = lr_statement_load_in(job->p, l->arena, l->diags, job->year, job->paths[i],
                                      job->folder_fd, job->stems[i], &job->out[i]);
  return NULL;
}

static void load_in_parallel(lr_project *p, statement_job *job) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t wanted = cores > 1 ? (size_t)cores : 1;
  if (wanted > MAX_LOADERS) wanted = MAX_LOADERS;
  if (wanted > job->count / FILES_PER_LOADER) wanted = job->count / FILES_PER_LOADER;
  loader loaders[MAX_LOADERS];
  size_t n = 0;
  for (; n + 1 < wanted; n++) {
    loader *l = &loaders[n];
    l->job = job;
    l->arena = lr_arena_new_large();
    lr_diag_list_init(&l->own, l->arena);
    l->diags = &l->own;
    if (pthread_create(&l->thread, NULL, load_statements, l) != 0) {
      lr_arena_free(l->arena); /* fewer threads, the same result */
      break;
    }
  }
  loader self = {.job = job, .arena = p->arena, .diags = &p->diags};
  load_statements(&self);
  for (size_t i = 0; i < n; i++) {
    pthread_join(loaders[i].thread, NULL);
    lr_arena_adopt(p->arena, loaders[i].arena);
    lr_diag_list_move(&p->diags, &loaders[i].own);
  }
}

/* folder, opened, when its real path is inside the project's; else -1,
 * and each file is then looked up, and refused, on its own. */
static int open_inside(lr_project *p, const char *folder) {
  const char *real = lr_path_real(p->arena, folder);
  if (!real || !lr_path_is_inside(real, p->real_root)) return -1;
  return open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static void load_year(lr_project *p, lr_year *y, bool newest) {
  lr_arena *arena = p->arena;
  lr_year_paths paths = lr_year_paths_get(p, y->year);
  y->dir = paths.dir;
  const char *folder = paths.statements;
  DIR *dir = opendir(folder);
  if (!dir) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){folder, 0, 0},
                             "det finns inga yttranden för %d", y->year);
    lr_diag_hint(&p->diags, d, "skapa formulären med \"lagesrapport new %d\"", y->year);
    return;
  }
  y->found = true;
  size_t cap = 16, n = 0;
  char **names = lr_xmalloc(cap * sizeof *names);
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) names = lr_xrealloc(names, (cap *= 2) * sizeof *names);
    names[n++] = lr_arena_strdup(arena, e->d_name);
  }
  closedir(dir);
  /* readdir order differs between file systems; reports must not. */
  qsort(names, n, sizeof *names, compare_str);
  statement_job job = {.p = p, .year = y->year};
  job.paths = lr_arena_array(arena, n ? n : 1, sizeof *job.paths);
  job.stems = lr_arena_array(arena, n ? n : 1, sizeof *job.stems);
  for (size_t i = 0; i < n; i++) {
    const char *path = lr_path_join(arena, folder, names[i]);
    if (ends_with(names[i], ".yml")) {
      lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0},
                               "yttranden ska ha filändelsen .yaml");
      lr_diag_hint(&p->diags, d, "döp om filen till %.*s.yaml", (int)(strlen(names[i]) - 4), names[i]);
      continue;
    }
    /* Whatever is named *.yaml is read as a statement, so that a link
     * out of the project, a folder or a device is refused aloud. */
    if (!ends_with(names[i], ".yaml")) continue;
    job.paths[job.count] = path;
    job.stems[job.count++] = lr_arena_strndup(arena, names[i], strlen(names[i]) - 5);
  }
  y->statements = lr_arena_array(arena, job.count ? job.count : 1, sizeof *y->statements);
  job.out = y->statements;
  job.ok = lr_arena_array(arena, job.count ? job.count : 1, sizeof *job.ok);
  atomic_init(&job.next, 0);
  job.folder_fd = open_inside(p, folder);
  load_in_parallel(p, &job);
  if (job.folder_fd >= 0) close(job.folder_fd);
  /* Keep the usable ones, in file order. */
  bool *awaiting = lr_arena_array(arena, p->actor_count + 1, sizeof *awaiting);
  for (size_t i = 0; i < job.count; i++) {
    if (!job.ok[i]) continue;
    if (y->statements[i].awaiting) {
      y->awaiting_count++;
      awaiting[y->statements[i].actor->index] = true;
    } else {
      y->statements[y->statement_count++] = y->statements[i];
    }
  }
  if (newest) {
    bool *has_file = lr_arena_array(arena, p->actor_count + 1, sizeof *has_file);
    for (size_t i = 0; i < n; i++) {
      if (!ends_with(names[i], ".yaml")) continue;
      const char *stem = lr_arena_strndup(arena, names[i], strlen(names[i]) - 5);
      const lr_actor *a = lr_index_get(&p->actor_ids, stem);
      if (a) has_file[a->index] = true;
    }
    /* A form still waiting to be returned is no answer. */
    for (size_t i = 0; i < p->actor_count; i++) has_file[i] = has_file[i] && !awaiting[i];
    warn_missing(p, y, has_file);
  }
  free(names);
  if (y->statement_count > 1)
    qsort(y->statements, y->statement_count, sizeof *y->statements, compare_statement);
  if (newest) lr_year_check_indicators(p, y);
  lr_year_merge_activities(p, y);

  if (lr_path_exists(paths.texts)) y->texts = lr_report_texts_load(p, y, paths.texts);
}

lr_project *lr_project_load(const lr_load_options *options) {
  lr_project *p = lr_xmalloc(sizeof *p);
  memset(p, 0, sizeof *p);
  p->arena = lr_arena_new_large();
  lr_diag_list_init(&p->diags, p->arena);
  lr_index_init(&p->actor_ids, p->arena, 8);
  lr_index_init(&p->area_ids, p->arena, 8);
  p->fixing = options && options->fix;
  if (!lr_config_load(p, options ? options->dir : NULL)) return p;
  if (p->fixing) lr_project_fix_files(p);

  /* The strategy and the registry are loaded even when one fails, so
   * that all their errors come in one run; statements need both. */
  bool strategy = lr_strategy_load(p);
  bool actors = lr_actors_load(p);
  if (strategy && actors) lr_indicators_check_reporters(p);
  if (!strategy || !actors) return p;
  if (!p->config.region) p->config.region = p->strategy.region ? p->strategy.region : "";

  size_t found_count = 0;
  int *found = find_years(p, &found_count);
  const int *years = found;
  size_t year_count = found_count;
  int *wanted = NULL;
  if (options && options->years) {
    /* The year before each requested one comes along for comparisons,
     * but only when it exists: its absence is no error. */
    wanted = lr_xmalloc((options->year_count * 2 + 1) * sizeof *wanted);
    year_count = 0;
    for (size_t i = 0; i < options->year_count; i++) {
      int y = options->years[i];
      bool previous = false;
      for (size_t k = 0; options->with_previous && k < found_count; k++) previous = previous || found[k] == y - 1;
      if (previous) wanted[year_count++] = y - 1;
      wanted[year_count++] = y;
    }
    years = wanted;
  }
  p->years = lr_arena_array(p->arena, year_count ? year_count : 1, sizeof *p->years);
  int newest = 0;
  const int *asked = options && options->years ? options->years : years;
  size_t asked_count = options && options->years ? options->year_count : year_count;
  for (size_t i = 0; i < asked_count; i++)
    if (asked[i] > newest) newest = asked[i];
  for (size_t i = 0; i < year_count; i++) {
    bool dup = false;
    for (size_t k = 0; k < p->year_count; k++) dup = dup || p->years[k].year == years[i];
    if (dup) continue;
    lr_year *y = &p->years[p->year_count++];
    y->year = years[i];
    load_year(p, y, y->year == newest);
  }
  free(found);
  free(wanted);
  lr_years_check_carried(p);
  if (options && options->period && options->year_count > 1)
    lr_period_load(p, options->years[0], options->years[options->year_count - 1]);
  lr_diag_list_sort(&p->diags);
  return p;
}

void lr_project_free(lr_project *p) {
  if (!p) return;
  lr_diag_list_release(&p->diags);
  lr_arena_free(p->arena);
  free(p);
}

lr_diag_list *lr_project_diagnostics(lr_project *p) { return &p->diags; }
bool lr_project_ok(const lr_project *p) { return p->diags.errors == 0; }
lr_arena *lr_project_arena(lr_project *p) { return p->arena; }
const lr_config *lr_project_config(const lr_project *p) { return &p->config; }
const lr_strategy *lr_project_strategy(const lr_project *p) { return &p->strategy; }

const lr_actor *lr_project_actors(const lr_project *p, size_t *count) {
  *count = p->actor_count;
  return p->actors;
}

const lr_year *lr_project_years(const lr_project *p, size_t *count) {
  *count = p->year_count;
  return p->years;
}

const lr_year *lr_project_year(const lr_project *p, int year) {
  for (size_t i = 0; i < p->year_count; i++)
    if (p->years[i].year == year && p->years[i].found)
      return &p->years[i];
  return NULL;
}

const lr_actor *lr_project_actor(const lr_project *p, const char *id) {
  return lr_index_get(&p->actor_ids, id);
}

