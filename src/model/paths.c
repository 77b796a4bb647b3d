/* Where a year's files live in a project: the one place that knows the
 * layout <år>/yttranden/<aktör>.yaml, <år>/rapport.yaml and <utdata>/<år>,
 * so that the loader, `new`, `build` and `mail` cannot drift apart. */
#include "model/model.h"

lr_year_paths lr_year_paths_get(lr_project *p, int year) {
  lr_arena *arena = p->arena;
  const char *number = lr_arena_printf(arena, "%d", year);
  lr_year_paths paths;
  paths.dir = lr_path_join(arena, p->config.root, number);
  paths.statements = lr_path_join(arena, paths.dir, "yttranden");
  paths.texts = lr_path_join(arena, paths.dir, "rapport.yaml");
  paths.output = lr_path_join(arena, p->config.output_dir, number);
  return paths;
}

const char *lr_statement_path(lr_project *p, int year, const char *actor_id) {
  lr_year_paths paths = lr_year_paths_get(p, year);
  return lr_path_join(p->arena, paths.statements, lr_arena_printf(p->arena, "%s.yaml", actor_id));
}

/* Relative to the output folder, as build writes them and mail finds them. */
const char *lr_report_file(lr_arena *arena, int year, const char *extension) {
  return lr_arena_printf(arena, "lagesrapport-%d.%s", year, extension);
}

const char *lr_feedback_file(lr_arena *arena, const char *actor_id, const char *extension) {
  return lr_arena_printf(arena, "aterkoppling/%s.%s", actor_id, extension);
}
