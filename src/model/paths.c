/* Where a year's files live in a project: the one place that knows the
 * layout <år>/yttranden/<aktör>.yaml, <år>/rapport.yaml and <utdata>/<år>
 * (<första>-<sista>/ for a period), so that the loader, `new`, `build` and
 * `mail` cannot drift apart. */
#include "model/model.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* "2023", or "2021-2022": a period's folders and files are named with a
 * hyphen, which every file system and shell takes as it is. */
static const char *span_name(lr_arena *arena, int first, int last) {
  return first == last ? lr_arena_printf(arena, "%d", first) : lr_arena_printf(arena, "%d-%d", first, last);
}

lr_year_paths lr_span_paths_get(lr_project *p, int first, int last) {
  lr_arena *arena = p->arena;
  const char *name = span_name(arena, first, last);
  lr_year_paths paths;
  paths.dir = lr_path_join(arena, p->config.root, name);
  paths.statements = first == last ? lr_path_join(arena, paths.dir, "yttranden") : NULL;
  paths.texts = lr_path_join(arena, paths.dir, "rapport.yaml");
  paths.output = lr_path_join(arena, p->config.output_dir, name);
  return paths;
}

lr_year_paths lr_year_paths_get(lr_project *p, int year) { return lr_span_paths_get(p, year, year); }

const char *lr_statement_path(lr_project *p, int year, const char *actor_id) {
  lr_year_paths paths = lr_year_paths_get(p, year);
  return lr_path_join(p->arena, paths.statements, lr_arena_printf(p->arena, "%s.yaml", actor_id));
}

/* Relative to the output folder, as build writes them and mail finds them. */
const char *lr_span_report_file(lr_arena *arena, int first, int last, const char *extension) {
  return lr_arena_printf(arena, "lagesrapport-%s.%s", span_name(arena, first, last), extension);
}

const char *lr_report_file(lr_arena *arena, int year, const char *extension) {
  return lr_span_report_file(arena, year, year, extension);
}

const char *lr_feedback_file(lr_arena *arena, const char *actor_id, const char *extension) {
  return lr_arena_printf(arena, "aterkoppling/%s.%s", actor_id, extension);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The YAML files in a folder, sorted so that a suggestion never depends
 * on the order the file system lists them in. */
static size_t yaml_files(lr_arena *arena, const char *dir, const char ***out) {
  size_t n = 0, cap = 16;
  const char **names = lr_xmalloc(cap * sizeof *names);
  DIR *d = opendir(dir && *dir ? dir : ".");
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    bool yaml = (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) ||
                (len > 4 && strcmp(e->d_name + len - 4, ".yml") == 0);
    if (!yaml || strcmp(e->d_name, "lagesrapport.yaml") == 0) continue;
    if (n == cap) names = lr_xrealloc(names, (cap *= 2) * sizeof *names);
    names[n++] = lr_arena_strdup(arena, e->d_name);
  }
  if (d) closedir(d);
  qsort(names, n, sizeof *names, compare_names);
  *out = lr_arena_array(arena, n ? n : 1, sizeof **out);
  if (n) memcpy(*out, names, n * sizeof *names);
  free(names);
  return n;
}

bool lr_named_file_exists(lr_project *p, const char *path, const lr_named_file *named,
                          const char *key, const char *what) {
  if (lr_path_exists(path)) return true;
  const char *slash = strrchr(path, '/');
  const char *dir = slash ? lr_arena_strndup(p->arena, path, (size_t)(slash - path)) : ".";
  const char *base = slash ? slash + 1 : path;
  const char **files;
  size_t count = yaml_files(p->arena, lr_path_is_dir(dir) ? dir : NULL, &files);
  const char *guess = lr_path_is_dir(dir) ? lr_suggest(base, files, count) : NULL;
  lr_diag *d;
  if (named->loc.line > 0) {
    d = lr_diag_add(&p->diags, LR_ERROR, named->loc, "%s \"%s\" finns inte", what, path);
    d->source_line = named->source_line;
  } else {
    d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){p->config.path, 0, 0},
                    "%s \"%s\" finns inte", what, path);
  }
  if (guess)
    lr_diag_hint(&p->diags, d, "menade du \"%s\"? skriv i så fall \"%s: %s\" i lagesrapport.yaml",
                 guess, key, guess);
  else if (named->loc.line > 0)
    lr_diag_hint(&p->diags, d, "rätta sökvägen efter \"%s:\"; den räknas från projektmappen", key);
  else
    lr_diag_hint(&p->diags, d, "lägg filen i projektmappen, eller ange den med \"%s: FIL\" i "
                               "lagesrapport.yaml", key);
  return false;
}
