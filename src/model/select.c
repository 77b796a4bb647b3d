/* Actors chosen by id on the command line (`new --actor`, `mail --only`):
 * a typo must stop the run with a suggestion, never quietly leave an actor
 * without its form or its mail. */
#include "model/model.h"

bool lr_actors_select(lr_project *p, const char *const *ids, size_t count,
                      const lr_actor ***selected, size_t *selected_count) {
  bool *chosen = lr_arena_array(p->arena, p->actor_count + 1, sizeof *chosen);
  const char **known = lr_arena_array(p->arena, p->actor_count + 1, sizeof *known);
  for (size_t i = 0; i < p->actor_count; i++) known[i] = p->actors[i].id;
  bool ok = true;
  for (size_t i = 0; i < count; i++) {
    const lr_actor *a = lr_index_get(&p->actor_ids, ids[i]);
    if (a) {
      chosen[a->index] = true;
      continue;
    }
    const char *guess = lr_suggest(ids[i], known, p->actor_count);
    lr_diag *d = guess ? lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0},
                                     "okänd aktör \"%s\" — menade du \"%s\"?", ids[i], guess)
                       : lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "okänd aktör \"%s\"",
                                     ids[i]);
    lr_diag_hint_ids(&p->diags, d, ids[i], known, p->actor_count, "aktörer", p->config.actors_path);
    ok = false;
  }
  const lr_actor **out = lr_arena_array(p->arena, p->actor_count + 1, sizeof *out);
  size_t n = 0;
  for (size_t i = 0; i < p->actor_count; i++)
    if (chosen[i]) out[n++] = &p->actors[i];
  *selected = out;
  *selected_count = n;
  return ok;
}
