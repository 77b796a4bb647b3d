/* Template files: looked up in the project's own folder (mallar:) first,
 * then among the built-in ones, read once and kept for the build. */
#include "render/render.h"

#include <string.h>

enum { MAX_TEMPLATES = 64 };

struct lr_templates {
  lr_arena *arena;
  const char *dirs[2];
  const char *project_real; /* what the project's templates may resolve into */
  const char *names[MAX_TEMPLATES], *texts[MAX_TEMPLATES];
  /* As diagnostics name each: a project's template by its path, so that
   * the county finds the file to correct; a built-in one by its name. */
  const char *shown[MAX_TEMPLATES];
  size_t count;
  lr_diag_list *diags; /* for partials looked up during a render */
};

lr_templates *lr_templates_new(lr_arena *arena, const char *project_dir, const char *builtin_dir) {
  lr_templates *t = lr_arena_alloc(arena, sizeof *t);
  t->arena = arena;
  t->dirs[0] = project_dir;
  t->dirs[1] = builtin_dir;
  /* A template of the project's that links out of its folder is refused,
   * as the project's other files are; should the folder have no real
   * path, its name refuses every link, which is the safe side. */
  if (project_dir) {
    t->project_real = lr_path_real(arena, project_dir);
    if (!t->project_real) t->project_real = project_dir;
  }
  return t;
}

static const char *find(lr_templates *t, const char *name, lr_diag_list *diags, bool required,
                        const char **shown) {
  for (size_t i = 0; i < t->count; i++)
    if (strcmp(t->names[i], name) == 0) {
      if (shown) *shown = t->shown[i];
      return t->texts[i];
    }
  const char *file = lr_arena_printf(t->arena, "%s.mustache", name);
  for (int d = 0; d < 2; d++) {
    if (!t->dirs[d]) continue;
    const char *path = lr_path_join(t->arena, t->dirs[d], file);
    /* A project template that is there but unusable (a link out, a
     * folder) is an error, not a silent fall back to the built-in one. */
    if (d == 0 ? !lr_path_exists(path) : !lr_path_is_file(path)) continue;
    lr_source *src = d == 0 ? lr_source_read_inside(t->arena, diags, path, t->project_real, false)
                            : lr_source_read(t->arena, diags, path);
    if (!src) return NULL;
    const char *as = d == 0 ? path : file;
    if (t->count < MAX_TEMPLATES) {
      t->names[t->count] = lr_arena_strdup(t->arena, name);
      t->shown[t->count] = as;
      t->texts[t->count++] = src->data;
    }
    if (shown) *shown = as;
    return src->data;
  }
  if (required) {
    lr_diag *dg = lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "mallen %s finns inte", file);
    lr_diag_hint(diags, dg, "de inbyggda mallarna ska finnas i %s; installera om programmet",
                 t->dirs[1] ? t->dirs[1] : "report-templates/");
  }
  return NULL;
}

/* The spec renders a missing partial as nothing; in a report that would
 * silently drop a whole section, so here it is an error. */
static const char *partial(void *ctx, const char *name) {
  lr_templates *t = ctx;
  return find(t, name, t->diags, true, NULL);
}

bool lr_templates_render(lr_templates *t, const char *name, const lr_value *data, lr_escape_fn escape,
                         lr_buf *out, lr_diag_list *diags) {
  const char *file = NULL;
  const char *source = find(t, name, diags, true, &file);
  if (!source) return false;
  t->diags = diags;
  lr_template_options options = {file, partial, t, escape, true};
  return lr_template_render(source, data, &options, out, diags);
}
