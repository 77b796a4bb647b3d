/* Versions of a revised strategy: "revisioner" in strategi.yaml, which
 * version applies in a year, and where a goal or sub-goal of one version
 * went in a later one.
 *
 * A revision maps the ids of the version just before it to its own, so
 * every mapping goes one step forward between two separate namespaces.
 * That is why no cycle can be written: "1.1": "1.2" with "1.2": "1.1" is
 * a swap of two numbers, not a loop, and following a target only ever
 * moves to a later version. */
#include "model/model.h"

#include <string.h>

static const char *const REVISION_KEYS[] = {"från", "namn", "mål", "ändringar", NULL};
enum { R_FRAN, R_NAMN, R_MAL, R_ANDRINGAR, R_COUNT };

static const char *target_id(const lr_target *t) { return t->subgoal ? t->subgoal->id : t->goal->id; }
static const char *target_noun(const lr_target *t) { return t->subgoal ? "delmål" : "mål"; }

static size_t version_index(const lr_project *p, const lr_strategy *version) {
  for (size_t i = 0; i < p->version_count; i++)
    if (p->versions[i].strategy == version) return i;
  return 0;
}

const lr_strategy *lr_strategy_in_year(const lr_project *p, int year) {
  const lr_strategy *v = &p->strategy;
  while (v->next && v->next->applies_from <= year) v = v->next;
  return v;
}

const lr_target *lr_target_find(const lr_project *p, const lr_strategy *version, const char *id) {
  if (!p->version_count) return NULL;
  return lr_index_get(&p->versions[version_index(p, version)].target_ids, id);
}

/* Every goal and sub-goal id of a version, in file order. */
static const char **version_ids(lr_arena *arena, const lr_strategy *st, size_t *count) {
  const char **ids = lr_arena_array(arena, st->goal_count + st->subgoal_count + 1, sizeof *ids);
  size_t k = 0;
  for (size_t i = 0; i < st->goal_count; i++) {
    ids[k++] = st->goals[i].id;
    for (size_t j = 0; j < st->goals[i].subgoal_count; j++) ids[k++] = st->goals[i].subgoals[j].id;
  }
  *count = k;
  return ids;
}

/* One step forward: the targets of versions[to] that `from`'s targets
 * became, each once, appended to out (room for every target of versions[to]). */
static size_t step(const lr_project *p, size_t to, const lr_target *const *from, size_t n,
                   const lr_target **out, bool *exact) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    const lr_target_change *c = lr_index_get(&p->versions[to].changes, target_id(from[i]));
    if (!c) { /* only after an error in the revision */
      *exact = false;
      continue;
    }
    *exact = *exact && c->exact;
    for (size_t k = 0; k < c->after_count; k++) {
      bool seen = false;
      for (size_t m = 0; m < count; m++) seen = seen || out[m] == c->after[k];
      if (!seen) out[count++] = c->after[k];
    }
  }
  return count;
}

/* One step backward: what in versions[to - 1] became `from`'s targets
 * (of versions[to]), each once, in the older version's order. */
static size_t step_back(const lr_project *p, size_t to, const lr_target *const *from, size_t n,
                        const lr_target **out, bool *exact) {
  const lr_version *v = &p->versions[to];
  size_t count = 0;
  for (size_t i = 0; i < v->change_count; i++) {
    const lr_target_change *c = v->change_list[i];
    bool hit = false;
    for (size_t k = 0; k < c->after_count; k++)
      for (size_t m = 0; m < n; m++) hit = hit || c->after[k] == from[m];
    if (!hit) continue;
    *exact = *exact && c->exact;
    out[count++] = c->before;
  }
  return count;
}

/* Follows a target from versions[from] to versions[to] in arena. */
static size_t follow(const lr_project *p, lr_arena *arena, size_t from, const lr_target *target,
                     size_t to, const lr_target ***out, bool *exact) {
  const lr_target **now = lr_arena_array(arena, 1, sizeof *now);
  now[0] = target;
  size_t n = 1;
  *exact = true;
  for (size_t v = from + 1; v <= to; v++) {
    const lr_strategy *st = p->versions[v].strategy;
    const lr_target **next = lr_arena_array(arena, st->goal_count + st->subgoal_count + 1, sizeof *next);
    n = step(p, v, now, n, next, exact);
    now = next;
  }
  for (size_t v = from; v > to; v--) {
    const lr_strategy *st = p->versions[v - 1].strategy;
    const lr_target **next = lr_arena_array(arena, st->goal_count + st->subgoal_count + 1, sizeof *next);
    n = step_back(p, v, now, n, next, exact);
    now = next;
  }
  *exact = *exact && n == 1;
  *out = now;
  return n;
}

size_t lr_target_follow(lr_project *p, const lr_strategy *from, lr_target target,
                        const lr_strategy *to, const lr_target **out, bool *exact) {
  size_t i = version_index(p, from), j = version_index(p, to);
  const lr_target *found = lr_target_find(p, from, target_id(&target));
  const lr_target **path;
  size_t n = j != i && found ? follow(p, p->arena, i, found, j, &path, exact) : 0;
  if (j == i || !found) { /* the same version, or nothing to follow */
    lr_target *t = lr_arena_alloc(p->arena, sizeof *t);
    *t = target;
    *out = t;
    *exact = true;
    return 1;
  }
  lr_target *targets = lr_arena_array(p->arena, n + 1, sizeof *targets);
  for (size_t k = 0; k < n; k++) targets[k] = *path[k];
  *out = targets;
  return n;
}

static const char *id_list(lr_arena *arena, const lr_target *const *targets, size_t n) {
  lr_buf b = {0};
  for (size_t i = 0; i < n; i++)
    lr_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " och " : ", ", target_id(targets[i]));
  const char *s = lr_arena_strdup(arena, lr_buf_cstr(&b));
  lr_buf_free(&b);
  return s;
}

static const char *version_label(lr_arena *arena, const lr_strategy *st) {
  return st->version_name ? lr_arena_printf(arena, "%s, från %d", st->version_name, st->applies_from)
                          : "strategin före revisionerna";
}

const char *lr_target_elsewhere(lr_arena *arena, const lr_project *p, const lr_strategy *version,
                                const char *id) {
  size_t here = version_index(p, version);
  /* An older id first: the likelier mistake is a form copied from last year. */
  for (size_t w = here; w-- > 0;) {
    const lr_target *old = lr_index_get(&p->versions[w].target_ids, id);
    if (!old) continue;
    const lr_target **now;
    bool exact;
    size_t n = follow(p, arena, w, old, here, &now, &exact);
    const char *noun = target_noun(old);
    int year = version->applies_from;
    if (n == 0) return lr_arena_printf(arena, "%s %s togs bort i revisionen från %d; ange ett av målen eller delmålen som gäller nu", noun, id, year);
    if (n > 1)
      return lr_arena_printf(arena, "%s %s delades i %s från %d; ange det eller de som aktiviteten avser", noun, id,
                             id_list(arena, now, n), year);
    if (exact)
      return lr_arena_printf(arena, "%s %s heter %s från %d (%s); skriv \"%s\"", noun, id, target_id(now[0]), year,
                             version->version_name ? version->version_name : "revisionen", target_id(now[0]));
    return lr_arena_printf(arena, "%s %s ingår i %s från %d; skriv \"%s\"", noun, id, target_id(now[0]), year,
                           target_id(now[0]));
  }
  for (size_t w = here + 1; w < p->version_count; w++) {
    const lr_target *later = lr_index_get(&p->versions[w].target_ids, id);
    if (!later) continue;
    /* What in this year's version leads to it, for the hint. */
    const lr_strategy *st = version;
    const lr_target **before = lr_arena_array(arena, st->goal_count + st->subgoal_count + 1, sizeof *before);
    size_t count = 0, n = 0;
    const char **ids = version_ids(arena, st, &n);
    for (size_t k = 0; k < n; k++) {
      const lr_target *t = lr_index_get(&p->versions[here].target_ids, ids[k]);
      const lr_target **now;
      bool exact;
      size_t m = follow(p, arena, here, t, w, &now, &exact);
      for (size_t i = 0; i < m; i++)
        if (now[i] == later) before[count++] = t;
    }
    const lr_strategy *in = p->versions[w].strategy;
    if (count == 0)
      return lr_arena_printf(arena, "%s %s finns först i revisionen från %d; det här året gäller %s", target_noun(later),
                             id, in->applies_from, version_label(arena, version));
    return lr_arena_printf(arena, "%s %s finns först i revisionen från %d; det här året gäller %s, där det motsvaras av %s",
                           target_noun(later), id, in->applies_from, version_label(arena, version),
                           id_list(arena, before, count));
  }
  return NULL;
}

/* The year a revision applies from, checked against the strategy's
 * period and the revisions before it. */
static int revision_year(const lr_ctx *ctx, const lr_project *p, const lr_node *item, const lr_node *node) {
  long year = 0;
  if (!lr_ctx_require(ctx, item, node, "från") || !lr_ctx_int(ctx, node, "från", &year)) return 0;
  const lr_strategy *first = &p->strategy, *last = p->versions[p->version_count - 1].strategy;
  if (last != first && year == last->applies_from) {
    lr_diag *d = lr_ctx_error(ctx, node, "två revisioner gäller från %ld", year);
    lr_diag_hint(ctx->diags, d, "varje revision börjar ett eget år; den förra står på rad %d: slå ihop dem eller ändra \"från\"",
                 last->loc.line);
  } else if (last != first && year < last->applies_from) {
    lr_diag *d = lr_ctx_error(ctx, node, "revisionen från %ld kommer före den förra (från %d)", year, last->applies_from);
    lr_diag_hint(ctx->diags, d, "lista revisionerna i tidsordning; varje revision ändrar versionen före den");
  } else if (first->valid_from && year <= first->valid_from) {
    lr_diag *d = lr_ctx_error(ctx, node, "revisionen gäller från %ld men strategin börjar %d", year, first->valid_from);
    lr_diag_hint(ctx->diags, d, "en revision gäller från ett år efter strategins första (giltig.från: %d); "
                 "ändra strategins mål direkt om de ska gälla från början", first->valid_from);
  } else if (first->valid_to && year > first->valid_to) {
    lr_diag *d = lr_ctx_error(ctx, node, "revisionen gäller från %ld, efter strategins sista år %d", year, first->valid_to);
    lr_diag_hint(ctx->diags, d, "ange ett år inom strategins period (%d–%d) eller förläng giltig.till",
                 first->valid_from, first->valid_to);
  } else {
    return (int)year;
  }
  return 0;
}

static void unknown_id(const lr_ctx *ctx, const lr_node *node, const lr_strategy *st, const char *fmt,
                       const char *where) {
  size_t n;
  const char **ids = version_ids(ctx->arena, st, &n);
  const char *guess = lr_suggest(node->text, ids, n);
  lr_diag *d = guess ? lr_ctx_error(ctx, node, "okänt mål eller delmål \"%s\" %s — menade du \"%s\"?", node->text, fmt, guess)
                     : lr_ctx_error(ctx, node, "okänt mål eller delmål \"%s\" %s", node->text, fmt);
  lr_diag_hint_ids(ctx->diags, d, node->text, ids, n, "mål och delmål", where);
}

/* One explicit entry of "ändringar": an id of the version before and the
 * id or ids it became. */
static void load_change(const lr_ctx *ctx, const lr_version *prev, lr_version *v, const lr_node *key,
                        const lr_node *value) {
  if (key->kind != LR_NODE_SCALAR || !lr_ctx_visible_id(ctx, key, "ändringar")) return;
  const lr_target *old = lr_index_get(&prev->target_ids, key->text);
  if (!old) {
    unknown_id(ctx, key, prev->strategy, "i ändringarna (vänster sida är id i versionen före)",
               version_label(ctx->arena, prev->strategy));
    return;
  }
  if (value->kind == LR_NODE_SCALAR && value->is_null) {
    lr_diag *d = lr_ctx_error(ctx, value, "%s %s saknar vad det blev", target_noun(old), key->text);
    lr_diag_hint(ctx->diags, d, "skriv det nya id:t, en lista av id, eller [] om det utgår");
    return;
  }
  const lr_node **items;
  size_t n;
  lr_ctx_ids(ctx, value, "ändringar", &items, &n);
  lr_target_change *c = lr_arena_alloc(ctx->arena, sizeof *c);
  c->before = old;
  c->after = lr_arena_array(ctx->arena, n + 1, sizeof *c->after);
  for (size_t i = 0; i < n; i++) {
    const lr_target *t = lr_index_get(&v->target_ids, items[i]->text);
    if (!t) {
      unknown_id(ctx, items[i], v->strategy, "i ändringarna (höger sida är id i revisionen)", NULL);
      continue;
    }
    bool seen = false;
    for (size_t k = 0; k < c->after_count; k++) seen = seen || c->after[k] == t;
    if (seen) {
      lr_diag *d = lr_ctx_error(ctx, items[i], "\"%s\" står två gånger för %s", items[i]->text, key->text);
      lr_diag_hint(ctx->diags, d, "skriv varje nytt id en gång");
      continue;
    }
    c->after[c->after_count++] = t;
  }
  /* A mapping with an error is still recorded, so the id is not also
   * reported as left without one. */
  lr_index_put(&v->changes, key->text, c);
}

static void add_note(lr_version *v, lr_revision_kind kind, const lr_target **before, size_t nb,
                     const lr_target **after, size_t na) {
  v->notes[v->note_count++] = (lr_revision_note){kind, v->strategy->applies_from, before, after, nb, na};
}

/* Implicit mappings, ids left without one, exactness and the notes. */
static void complete_changes(const lr_ctx *ctx, const lr_version *prev, lr_version *v, const lr_node *at) {
  const lr_strategy *old = prev->strategy;
  size_t n;
  const char **ids = version_ids(ctx->arena, old, &n);
  lr_target_change **changes = lr_arena_array(ctx->arena, n + 1, sizeof *changes);
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    lr_target_change *c = lr_index_get(&v->changes, ids[i]);
    if (!c) {
      const lr_target *same = lr_index_get(&v->target_ids, ids[i]);
      const lr_target *before = lr_index_get(&prev->target_ids, ids[i]);
      if (!same) {
        lr_diag *d = lr_ctx_error(ctx, at, "%s %s lämnas utan övergång i revisionen från %d", target_noun(before),
                                  ids[i], v->strategy->applies_from);
        size_t m;
        const char **now = version_ids(ctx->arena, v->strategy, &m);
        const char *guess = lr_suggest(ids[i], now, m);
        lr_diag_hint(ctx->diags, d,
                     "det finns inte i revisionen; skriv under \"ändringar\" vad det blev, t.ex. \"%s\": \"%s\", "
                     "eller \"%s\": [] om det utgår",
                     ids[i], guess ? guess : m ? now[0] : ids[i], ids[i]);
        continue;
      }
      c = lr_arena_alloc(ctx->arena, sizeof *c);
      c->before = before;
      c->after = lr_arena_array(ctx->arena, 1, sizeof *c->after);
      c->after[0] = same;
      c->after_count = 1;
      lr_index_put(&v->changes, ids[i], c);
    }
    changes[count++] = c;
  }
  v->change_list = changes;
  v->change_count = count;
  /* How many targets of the version before land on each new one. */
  lr_ptr_index landed;
  lr_ptr_index_init(&landed, ctx->arena, 64);
  for (size_t i = 0; i < count; i++)
    for (size_t k = 0; k < changes[i]->after_count; k++) {
      size_t *c = lr_ptr_index_get(&landed, changes[i]->after[k]);
      if (!c) {
        c = lr_arena_alloc(ctx->arena, sizeof *c);
        lr_ptr_index_put(&landed, changes[i]->after[k], c);
      }
      (*c)++;
    }
  /* At most one note per change and one per merged target. */
  v->notes = lr_arena_array(ctx->arena, count + v->strategy->goal_count + v->strategy->subgoal_count + 1,
                            sizeof *v->notes);
  lr_ptr_index merged;
  lr_ptr_index_init(&merged, ctx->arena, 8);
  for (size_t i = 0; i < count; i++) {
    lr_target_change *c = changes[i];
    const lr_target **self = lr_arena_array(ctx->arena, 1, sizeof *self);
    self[0] = c->before;
    c->exact = c->after_count == 1 && *(size_t *)lr_ptr_index_get(&landed, c->after[0]) == 1;
    if (c->after_count == 0) add_note(v, LR_REVISION_REMOVED, self, 1, NULL, 0);
    else if (c->after_count > 1) add_note(v, LR_REVISION_SPLIT, self, 1, c->after, c->after_count);
    else if (c->exact && strcmp(target_id(c->before), target_id(c->after[0])) != 0)
      add_note(v, LR_REVISION_RENUMBERED, self, 1, c->after, 1);
    for (size_t k = 0; k < c->after_count; k++) {
      const lr_target *t = c->after[k];
      size_t landed_here = *(size_t *)lr_ptr_index_get(&landed, t);
      if (landed_here < 2 || lr_ptr_index_get(&merged, t)) continue;
      lr_ptr_index_put(&merged, t, (void *)t);
      const lr_target **from = lr_arena_array(ctx->arena, landed_here, sizeof *from);
      size_t nf = 0;
      for (size_t j = 0; j < count; j++)
        for (size_t m = 0; m < changes[j]->after_count; m++)
          if (changes[j]->after[m] == t) from[nf++] = changes[j]->before;
      const lr_target **into = lr_arena_array(ctx->arena, 1, sizeof *into);
      into[0] = t;
      add_note(v, LR_REVISION_MERGED, from, nf, into, 1);
    }
  }
}

static void load_revision(const lr_ctx *ctx, lr_project *p, const lr_node *item) {
  const lr_node *f[R_COUNT];
  if (!lr_ctx_fields(ctx, item, REVISION_KEYS, f, "revisionen")) return;
  int year = revision_year(ctx, p, item, f[R_FRAN]);
  lr_version *prev = &p->versions[p->version_count - 1];
  lr_version *v = &p->versions[p->version_count];
  lr_strategy *st = lr_arena_alloc(ctx->arena, sizeof *st);
  /* Everything but the goals is shared with the first version. */
  *st = p->strategy;
  st->goals = NULL;
  st->goal_count = st->subgoal_count = 0;
  st->applies_from = year;
  st->previous = prev->strategy;
  st->next = NULL;
  st->loc = lr_ctx_loc(ctx, item);
  lr_ctx_line(ctx, f[R_NAMN], "namn", &st->version_name);
  if (!st->version_name) st->version_name = lr_arena_printf(ctx->arena, "Reviderad strategi %d", year);
  v->strategy = st;
  lr_index_init(&v->target_ids, ctx->arena, 64);
  lr_index_init(&v->changes, ctx->arena, 64);
  if (lr_ctx_require(ctx, item, f[R_MAL], "mål")) lr_goals_load(ctx, v, f[R_MAL]);
  const lr_node *map = f[R_ANDRINGAR];
  if (map && map->kind != LR_NODE_MAPPING && !(map->kind == LR_NODE_SCALAR && map->is_null)) {
    lr_diag *d = lr_ctx_error(ctx, map, "\"ändringar\" ska vara en mappning, inte %s", lr_node_kind_name(map));
    lr_diag_hint(ctx->diags, d, "t.ex. ändringar: {\"1.2\": \"1.1\"} (id i versionen före: id i revisionen)");
    map = NULL;
  }
  if (!year) return; /* left out of the chain; its goals were still checked */
  if (map && map->kind == LR_NODE_MAPPING)
    for (size_t i = 0; i + 1 < map->count; i += 2) load_change(ctx, prev, v, map->items[i], map->items[i + 1]);
  complete_changes(ctx, prev, v, map && map->kind == LR_NODE_MAPPING ? map : item);
  prev->strategy->next = st;
  p->version_count++;
}

void lr_revisions_load(const lr_ctx *ctx, lr_project *p, const lr_node *list) {
  if (!list || !lr_ctx_sequence(ctx, list, "revisioner") || list->kind != LR_NODE_SEQUENCE) return;
  for (size_t i = 0; i < list->count; i++) load_revision(ctx, p, list->items[i]);
}

size_t lr_revision_notes(const lr_project *p, int before, int after, const lr_revision_note ***out,
                         lr_arena *arena) {
  size_t n = 0;
  for (size_t v = 1; v < p->version_count; v++) n += p->versions[v].note_count;
  const lr_revision_note **notes = lr_arena_array(arena, n + 1, sizeof *notes);
  /* Either order: diff 2024 2022 crosses the same revision. */
  int lo = before < after ? before : after, hi = before < after ? after : before;
  n = 0;
  for (size_t v = 1; v < p->version_count; v++) {
    int from = p->versions[v].strategy->applies_from;
    if (from <= lo || from > hi) continue;
    for (size_t k = 0; k < p->versions[v].note_count; k++) notes[n++] = &p->versions[v].notes[k];
  }
  *out = notes;
  return n;
}

const char *lr_revision_note_text(lr_arena *arena, const lr_revision_note *note) {
  const char *noun = note->before[0]->subgoal ? "Delmål" : "Mål";
  const char *before = id_list(arena, note->before, note->before_count);
  switch (note->kind) {
  case LR_REVISION_MERGED:
    return lr_arena_printf(arena, "%s %s slogs ihop till %s år %d.", noun, before, target_id(note->after[0]), note->year);
  case LR_REVISION_SPLIT:
    return lr_arena_printf(arena, "%s %s delades upp i %s år %d.", noun, before,
                           id_list(arena, note->after, note->after_count), note->year);
  case LR_REVISION_REMOVED:
    return lr_arena_printf(arena, "%s %s togs bort år %d.", noun, before, note->year);
  case LR_REVISION_RENUMBERED:
    return lr_arena_printf(arena, "%s %s heter %s från år %d.", noun, before, target_id(note->after[0]), note->year);
  }
  return "";
}
