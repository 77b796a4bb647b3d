/* strategi.yaml: the goal framework. Ids are opaque strings kept in file
 * order; numbering differs by region and the tool never parses it. */
#include "model/model.h"

#include <string.h>

static const char *const STRATEGY_KEYS[] = {"id", "namn", "region", "giltig", "vision",
                                            "områden", "mål", "indikatorer", "revisioner", NULL};
enum { S_ID, S_NAMN, S_REGION, S_GILTIG, S_VISION, S_OMRADEN, S_MAL, S_INDIKATORER, S_REVISIONER,
       S_COUNT };
static const char *const VALID_KEYS[] = {"från", "till", NULL};
static const char *const AREA_KEYS[] = {"id", "namn", NULL};
static const char *const GOAL_KEYS[] = {"id", "namn", "beskrivning", "delmål", NULL};
enum { G_ID, G_NAMN, G_BESKRIVNING, G_DELMAL, G_COUNT };
static const char *const SUBGOAL_KEYS[] = {"id", "text", "målgrupp", NULL};
enum { D_ID, D_TEXT, D_MALGRUPP, D_COUNT };

/* Registers an id for a goal or sub-goal; within a version ids share one
 * namespace so that an activity's `mål: ["X"]` can never be ambiguous. */
static bool register_target(const lr_ctx *ctx, lr_version *v, const lr_node *node,
                            const char *id, lr_target *target) {
  lr_target *old = lr_index_put(&v->target_ids, id, target);
  if (old == target) return true;
  lr_loc first = old->subgoal ? old->subgoal->loc : old->goal->loc;
  lr_diag *d = lr_ctx_error(ctx, node, "id \"%s\" används redan", id);
  lr_diag_hint(ctx->diags, d, "första gången på rad %d; varje mål och delmål behöver ett eget id",
               first.line);
  return false;
}

static bool read_id(const lr_ctx *ctx, const lr_node *map, const lr_node *node,
                    const char **out) {
  if (!lr_ctx_require(ctx, map, node, "id")) return false;
  if (!lr_ctx_id(ctx, node, "id", out)) return false;
  if (!**out) {
    lr_ctx_error(ctx, node, "id får inte vara tomt");
    return false;
  }
  return true;
}

static void load_subgoals(const lr_ctx *ctx, lr_version *v, lr_goal *goal,
                          const lr_node *list) {
  if (!list || !lr_ctx_sequence(ctx, list, "delmål") || list->kind != LR_NODE_SEQUENCE) return;
  goal->subgoals = lr_arena_array(ctx->arena, list->count ? list->count : 1, sizeof *goal->subgoals);
  for (size_t i = 0; i < list->count; i++) {
    const lr_node *item = list->items[i];
    const lr_node *f[D_COUNT];
    if (!lr_ctx_fields(ctx, item, SUBGOAL_KEYS, f, "delmålet")) continue;
    /* Read apart and copied whole into the next free slot, so that a
     * rejected sub-goal leaves nothing behind for the next to inherit. */
    lr_subgoal read = {.goal = goal, .loc = lr_ctx_loc(ctx, item)};
    if (!read_id(ctx, item, f[D_ID], &read.id)) continue;
    if (lr_ctx_require(ctx, item, f[D_TEXT], "text")) lr_ctx_line(ctx, f[D_TEXT], "text", &read.text);
    if (!read.text) read.text = read.id;
    lr_ctx_line(ctx, f[D_MALGRUPP], "målgrupp", &read.target_group);
    lr_subgoal *s = &goal->subgoals[goal->subgoal_count];
    *s = read;
    lr_target *t = lr_arena_alloc(ctx->arena, sizeof *t);
    t->goal = goal;
    t->subgoal = s;
    if (!register_target(ctx, v, f[D_ID], s->id, t)) continue;
    s->index = v->strategy->subgoal_count++;
    goal->subgoal_count++;
  }
}

void lr_goals_load(const lr_ctx *ctx, lr_version *v, const lr_node *list) {
  lr_strategy *st = v->strategy;
  if (!lr_ctx_sequence(ctx, list, "mål") || list->kind != LR_NODE_SEQUENCE) return;
  if (list->count == 0) {
    lr_diag *d = lr_ctx_error(ctx, list, "strategin har inga mål");
    lr_diag_hint(ctx->diags, d, "lista målen under \"mål:\" med id och namn");
  }
  st->goals = lr_arena_array(ctx->arena, list->count ? list->count : 1, sizeof *st->goals);
  for (size_t i = 0; i < list->count; i++) {
    const lr_node *item = list->items[i];
    const lr_node *f[G_COUNT];
    if (!lr_ctx_fields(ctx, item, GOAL_KEYS, f, "målet")) continue;
    /* Read apart and copied whole into the next free slot (whose address
     * the index and the sub-goals keep): a rejected goal leaves nothing. */
    lr_goal read = {.loc = lr_ctx_loc(ctx, item)};
    /* Only a missing id keeps a goal out: with a bad name or description
     * it still registers, so its sub-goals and the activities that name
     * them are checked rather than reported as unknown. */
    bool ok = read_id(ctx, item, f[G_ID], &read.id);
    if (lr_ctx_require(ctx, item, f[G_NAMN], "namn")) lr_ctx_line(ctx, f[G_NAMN], "namn", &read.name);
    if (!read.name) read.name = read.id;
    lr_ctx_text(ctx, f[G_BESKRIVNING], "beskrivning", &read.description);
    if (f[G_BESKRIVNING] && read.description && !*read.description)
      lr_ctx_warning(ctx, f[G_BESKRIVNING], "beskrivningen av mål %s är tom", read.id ? read.id : "");
    if (!ok) continue;
    lr_goal *g = &st->goals[st->goal_count];
    *g = read;
    lr_target *t = lr_arena_alloc(ctx->arena, sizeof *t);
    t->goal = g;
    if (!register_target(ctx, v, f[G_ID], g->id, t)) continue;
    g->index = st->goal_count++;
    load_subgoals(ctx, v, g, f[G_DELMAL]);
  }
}

static void load_areas(const lr_ctx *ctx, lr_project *p, const lr_node *list) {
  lr_strategy *st = &p->strategy;
  if (!list || !lr_ctx_sequence(ctx, list, "områden") || list->kind != LR_NODE_SEQUENCE) return;
  st->areas = lr_arena_array(ctx->arena, list->count ? list->count : 1, sizeof *st->areas);
  for (size_t i = 0; i < list->count; i++) {
    const lr_node *item = list->items[i];
    const lr_node *f[2];
    if (!lr_ctx_fields(ctx, item, AREA_KEYS, f, "området")) continue;
    lr_area read = {.loc = lr_ctx_loc(ctx, item)};
    bool ok = read_id(ctx, item, f[0], &read.id);
    ok &= lr_ctx_require(ctx, item, f[1], "namn") && lr_ctx_line(ctx, f[1], "namn", &read.name);
    if (!ok) continue;
    /* Copied whole into the next free slot, whose address the index keeps. */
    lr_area *a = &st->areas[st->area_count];
    *a = read;
    lr_area *old = lr_index_put(&p->area_ids, a->id, a);
    if (old != a) {
      lr_diag *d = lr_ctx_error(ctx, f[0], "området \"%s\" finns redan", a->id);
      lr_diag_hint(ctx->diags, d, "första gången på rad %d", old->loc.line);
      continue;
    }
    a->index = st->area_count++;
  }
}

bool lr_strategy_load(lr_project *p) {
  if (!lr_named_file_exists(p, p->config.strategy_path, &p->strategy_named, "strategi", "strategifilen"))
    return false;
  lr_document *doc = lr_document_load_inside(p->arena, &p->diags, p->config.strategy_path, p->real_root, -1, false);
  if (!doc->root) return false;
  lr_ctx ctx = {p->arena, &p->diags, doc->source};
  lr_strategy *st = &p->strategy;
  const lr_node *f[S_COUNT];
  if (!lr_ctx_fields(&ctx, doc->root, STRATEGY_KEYS, f, "strategin")) return false;
  const lr_node *revisions = f[S_REVISIONER];
  size_t version_cap = 1 + (revisions && revisions->kind == LR_NODE_SEQUENCE ? revisions->count : 0);
  p->versions = lr_arena_array(p->arena, version_cap, sizeof *p->versions);
  p->versions[0].strategy = st;
  lr_index_init(&p->versions[0].target_ids, p->arena, 64);
  p->version_count = 1;
  st->loc = lr_ctx_loc(&ctx, doc->root);
  if (lr_ctx_require(&ctx, doc->root, f[S_ID], "id")) lr_ctx_id(&ctx, f[S_ID], "id", &st->id);
  if (lr_ctx_require(&ctx, doc->root, f[S_NAMN], "namn"))
    lr_ctx_line(&ctx, f[S_NAMN], "namn", &st->name);
  lr_ctx_line(&ctx, f[S_REGION], "region", &st->region);
  lr_ctx_line(&ctx, f[S_VISION], "vision", &st->vision);
  if (f[S_GILTIG]) {
    st->valid_loc = lr_ctx_loc(&ctx, f[S_GILTIG]);
    const lr_node *v[2];
    if (lr_ctx_fields(&ctx, f[S_GILTIG], VALID_KEYS, v, "giltig")) {
      long from = 0, to = 0;
      lr_ctx_int(&ctx, v[0], "från", &from);
      lr_ctx_int(&ctx, v[1], "till", &to);
      if (from && to && from > to) {
        lr_diag *d = lr_ctx_error(&ctx, v[1], "strategin slutar (%ld) innan den börjar (%ld)", to, from);
        lr_diag_hint(ctx.diags, d, "byt plats på åren");
      }
      st->valid_from = (int)from;
      st->valid_to = (int)to;
    }
  }
  load_areas(&ctx, p, f[S_OMRADEN]);
  lr_indicators_load(&ctx, p, f[S_INDIKATORER]);
  if (!st->id) st->id = "strategi";
  if (!st->name) st->name = st->id;
  if (lr_ctx_require(&ctx, doc->root, f[S_MAL], "mål")) lr_goals_load(&ctx, &p->versions[0], f[S_MAL]);
  /* Last: each revision copies what the versions share from the first. */
  lr_revisions_load(&ctx, p, f[S_REVISIONER]);
  return true;
}
