/* Template files: looked up in the project's own folder (mallar:) first,
 * then among the built-in ones, read once and kept for the build. And the
 * report's section titles (rubriker.yaml), which a project changes one by
 * one in a small file of its own instead of forking the templates. */
#include "render/render.h"
#include "yaml/yaml.h"

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

/* The text of a template file (name.mustache) or of a file it takes in
 * as it is (file): the project's copy first, then the built-in one.
 * *shown, when asked for, is the file as diagnostics name it. */
static const char *find_file(lr_templates *t, const char *name, const char *file,
                             lr_diag_list *diags, bool required, const char **shown) {
  for (size_t i = 0; i < t->count; i++)
    if (strcmp(t->names[i], name) == 0) {
      if (shown) *shown = t->shown[i];
      return t->texts[i];
    }
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

static const char *find(lr_templates *t, const char *name, lr_diag_list *diags, bool required,
                        const char **shown) {
  return find_file(t, name, lr_arena_printf(t->arena, "%s.mustache", name), diags, required, shown);
}

const char *lr_templates_file(lr_templates *t, const char *file, lr_diag_list *diags) {
  /* Cached under the file's own name, which no template's name ends in. */
  return find_file(t, file, file, diags, true, NULL);
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

/* The titles of one rubriker.yaml into map: every key one of `keys` (the
 * built-in file's, NULL-terminated; NULL for the built-in file itself),
 * every value one line of text. */
static bool read_titles(lr_templates *t, const char *path, bool project, const char *const *keys,
                        lr_value *map, lr_diag_list *diags) {
  lr_document *doc = project ? lr_document_load_inside(t->arena, diags, path, t->project_real, -1, false)
                             : lr_document_load(t->arena, diags, path);
  if (!doc->root) return false;
  lr_ctx ctx = {t->arena, diags, doc->source};
  if (doc->root->kind != LR_NODE_MAPPING) {
    lr_diag *d = lr_ctx_error(&ctx, doc->root, "rubrikerna ska vara nycklar med en text var");
    lr_diag_hint(diags, d, "skriv t.ex. inledning: Bakgrund");
    return false;
  }
  size_t count = doc->root->count / 2;
  const char **names = (const char **)keys;
  if (!names) {
    names = lr_arena_array(t->arena, count + 1, sizeof *names);
    for (size_t i = 0; i < count; i++) names[i] = doc->root->items[2 * i]->text;
  }
  size_t known = 0;
  while (names[known]) known++;
  const lr_node **slots = lr_arena_array(t->arena, known + 1, sizeof *slots);
  bool ok = lr_ctx_fields(&ctx, doc->root, names, slots, "rubrikfilen");
  for (size_t i = 0; i < known; i++) {
    const char *title = NULL;
    if (!slots[i]) continue;
    if (!lr_ctx_line(&ctx, slots[i], names[i], &title)) {
      ok = false;
      continue;
    }
    if (!title || !*title) {
      lr_diag *d = lr_ctx_error(&ctx, slots[i], "rubriken \"%s\" är tom", names[i]);
      lr_diag_hint(diags, d, "skriv en text, eller ta bort raden för att använda den inbyggda rubriken");
      ok = false;
      continue;
    }
    lr_value_set_string(map, names[i], title);
  }
  return ok;
}

lr_value *lr_templates_titles(lr_templates *t, lr_diag_list *diags) {
  const char *builtin = t->dirs[1] ? lr_path_join(t->arena, t->dirs[1], "rubriker.yaml") : NULL;
  if (!builtin || !lr_path_is_file(builtin)) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "mallen rubriker.yaml finns inte");
    lr_diag_hint(diags, d, "de inbyggda mallarna ska finnas i %s; installera om programmet",
                 t->dirs[1] ? t->dirs[1] : "report-templates/");
    return NULL;
  }
  lr_value *titles = lr_value_map(t->arena);
  if (!read_titles(t, builtin, false, NULL, titles, diags)) return NULL;
  const char *own = t->dirs[0] ? lr_path_join(t->arena, t->dirs[0], "rubriker.yaml") : NULL;
  if (!own || !lr_path_exists(own)) return titles;
  const char **keys = lr_arena_array(t->arena, lr_value_count(titles) + 1, sizeof *keys);
  for (size_t i = 0; i < lr_value_count(titles); i++) keys[i] = lr_value_key_at(titles, i);
  return read_titles(t, own, true, keys, titles, diags) ? titles : NULL;
}
