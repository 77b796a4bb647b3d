/* <år>/yttranden/<aktör>.yaml: one actor's statement for one year, checked
 * against the strategy and the registry so that every reference resolves. */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

static const char *const STATEMENT_KEYS[] = {
    "aktör", "år", "inkom", "kontakt", "styrdokument", "aktiviteter",
    "framgångsfaktorer", "utmaningar", "behov", "indikatorer", NULL};
enum { Y_AKTOR, Y_AR, Y_INKOM, Y_KONTAKT, Y_STYRDOKUMENT, Y_AKTIVITETER,
       Y_FRAMGANG, Y_UTMANINGAR, Y_BEHOV, Y_INDIKATORER, Y_COUNT };
static const char *const CONTACT_KEYS[] = {"namn", "epost", NULL};
static const char *const PLAN_KEYS[] = {"status", "beskrivning", NULL};
static const char *const ACTIVITY_KEYS[] = {"id", "rubrik", "mål", "ansvariga", "status",
                                            "beskrivning", "områden", "samverkan", "målgrupp",
                                            "intern", NULL};
enum { T_ID, T_RUBRIK, T_MAL, T_ANSVARIGA, T_STATUS, T_BESKRIVNING, T_OMRADEN, T_SAMVERKAN,
       T_MALGRUPP, T_INTERN, T_COUNT };


/* A report is no older than the last statement in it; a year without any
 * "inkom" date counts as answered on 1 April of the year after, spring
 * being when reports go out. Every statement counts, not just chosen
 * actors', so that what is derived from it never depends on a selection. */
lr_date lr_year_last_received(const lr_year *y) {
  lr_date newest = {0, 0, 0};
  for (size_t i = 0; i < y->statement_count; i++) {
    lr_date d = y->statements[i].received;
    if (d.year && lr_date_compare(d, newest) > 0) newest = d;
  }
  return newest.year ? newest : (lr_date){y->year + 1, 4, 1};
}

static bool blank(const char *s) {
  if (!s) return true;
  for (; *s; s++)
    if (*s != ' ' && *s != '\n' && *s != '\t') return false;
  return true;
}

/* "okänt delmål "2:6" (mål 2 har delmål 2:1–2:5)": when a goal's id is a
 * prefix of the unknown id, the reader most likely meant that goal's
 * sub-goals, so they are listed. This shapes only the message; no meaning
 * is ever taken from an id. */
static void unknown_target(const lr_ctx *ctx, lr_project *p, const lr_strategy *st, int year,
                           const lr_node *node) {
  const char *id = node->text;
  if (lr_ctx_glued_comment(ctx, node)) return;
  const char *elsewhere = lr_target_elsewhere(ctx->arena, p, st, id);
  if (elsewhere) {
    lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" finns inte i den version av strategin som gäller %d", id, year);
    lr_diag_hint(ctx->diags, d, "%s", elsewhere);
    return;
  }
  for (size_t i = 0; i < st->goal_count; i++) {
    const lr_goal *g = &st->goals[i];
    size_t n = strlen(g->id);
    if (strncmp(id, g->id, n) != 0 || !id[n] || (id[n] >= '0' && id[n] <= '9') ||
        (id[n] >= 'a' && id[n] <= 'z') || (id[n] >= 'A' && id[n] <= 'Z'))
      continue;
    lr_diag *d;
    if (g->subgoal_count == 0)
      d = lr_ctx_error(ctx, node, "okänt delmål \"%s\" (mål %s har inga delmål)", id, g->id);
    else if (g->subgoal_count == 1)
      d = lr_ctx_error(ctx, node, "okänt delmål \"%s\" (mål %s har delmål %s)", id, g->id,
                       g->subgoals[0].id);
    else
      d = lr_ctx_error(ctx, node, "okänt delmål \"%s\" (mål %s har delmål %s–%s)", id, g->id,
                       g->subgoals[0].id, g->subgoals[g->subgoal_count - 1].id);
    lr_diag_hint(ctx->diags, d, g->subgoal_count ? "ange ett av delmålen i %s"
                                                 : "ange målet självt; delmålen finns i %s",
                 p->config.strategy_path);
    return;
  }
  size_t n = st->goal_count + st->subgoal_count, k = 0;
  const char **ids = lr_arena_array(ctx->arena, n ? n : 1, sizeof *ids);
  for (size_t i = 0; i < st->goal_count; i++) {
    ids[k++] = st->goals[i].id;
    for (size_t j = 0; j < st->goals[i].subgoal_count; j++) ids[k++] = st->goals[i].subgoals[j].id;
  }
  const char *guess = lr_suggest(id, ids, k);
  lr_diag *d = guess ? lr_ctx_error(ctx, node, "okänt mål eller delmål \"%s\" — menade du \"%s\"?", id, guess)
                     : lr_ctx_error(ctx, node, "okänt mål eller delmål \"%s\"", id);
  lr_diag_hint_ids(ctx->diags, d, id, ids, k, "mål och delmål", p->config.strategy_path);
}

static void load_targets(const lr_ctx *ctx, lr_project *p, int year, const lr_node *activity,
                         const lr_node *node, lr_activity *a) {
  const lr_strategy *st = lr_strategy_in_year(p, year);
  const lr_node **items;
  size_t n;
  if (!lr_ctx_require(ctx, activity, node, "mål")) return;
  bool listed = lr_ctx_ids(ctx, node, "mål", &items, &n);
  if (n == 0) {
    if (!listed) return; /* what was there is reported */
    lr_diag *d = lr_ctx_error(ctx, node, "aktiviteten anger inget mål");
    lr_diag_hint(ctx->diags, d, "ange minst ett delmål, t.ex. mål: [\"1:1\"]");
    return;
  }
  a->targets = lr_arena_array(ctx->arena, n, sizeof *a->targets);
  for (size_t i = 0; i < n; i++) {
    const lr_target *t = lr_target_find(p, st, items[i]->text);
    if (!t) {
      unknown_target(ctx, p, st, year, items[i]);
      continue;
    }
    bool seen = false;
    for (size_t k = 0; k < a->target_count; k++)
      seen = seen || (a->targets[k].goal == t->goal && a->targets[k].subgoal == t->subgoal);
    if (seen) continue; /* the same id twice adds nothing and loses nothing */
    if (!t->subgoal && t->goal->subgoal_count) {
      const lr_goal *g = t->goal;
      lr_diag *d = lr_ctx_warning(ctx, items[i], "\"%s\" är ett mål med delmål; aktiviteten räknas inte under något delmål", g->id);
      if (g->subgoal_count > 1)
        lr_diag_hint(ctx->diags, d, "ange hellre det eller de delmål aktiviteten avser (%s–%s)",
                     g->subgoals[0].id, g->subgoals[g->subgoal_count - 1].id);
      else
        lr_diag_hint(ctx->diags, d, "ange hellre delmålet %s", g->subgoals[0].id);
    }
    a->targets[a->target_count++] = *t;
  }
}

static int compare_owner(const void *x, const void *y) {
  const lr_actor *a = *(const lr_actor *const *)x, *b = *(const lr_actor *const *)y;
  return (a->index > b->index) - (a->index < b->index);
}

/* The statement's actor and those it names in "ansvariga", each once, in
 * registry order: the order every output lists owners in. */
static bool load_owners(const lr_ctx *ctx, lr_project *p, const lr_node *node,
                        const lr_statement *s, lr_activity *a) {
  const lr_node **items;
  size_t n;
  bool ok = lr_ctx_ids(ctx, node, "ansvariga", &items, &n);
  a->owners = lr_arena_array(ctx->arena, n + 1, sizeof *a->owners);
  if (s->actor) a->owners[a->owner_count++] = s->actor;
  for (size_t i = 0; i < n; i++) {
    const lr_actor *owner = lr_ctx_actor_ref(ctx, p, items[i]);
    if (!owner) {
      ok = false;
      continue;
    }
    bool seen = false;
    for (size_t k = 0; k < a->owner_count; k++) seen = seen || a->owners[k] == owner;
    if (!seen) a->owners[a->owner_count++] = owner;
  }
  qsort(a->owners, a->owner_count, sizeof *a->owners, compare_owner);
  return ok;
}

/* The id is what next year's form and the other owners recognise the
 * activity by, so a joint activity must have one, and its spelling is
 * kept to what survives a file name, a URL and a spreadsheet cell. */
static bool load_id(const lr_ctx *ctx, const lr_node *node, const lr_node *owners,
                    lr_activity *a) {
  const char *id = NULL;
  if (!lr_ctx_id(ctx, node, "id", &id)) return false;
  if (id && !lr_activity_id_valid(id)) {
    lr_diag *d = lr_ctx_error(ctx, node, "id \"%s\" får bara innehålla små bokstäver a–z, siffror och enkla bindestreck", id);
    const char *slug = lr_activity_slug(ctx->arena, id);
    if (*slug) lr_diag_hint(ctx->diags, d, "skriv t.ex. id: %s", slug);
    else lr_diag_hint(ctx->diags, d, "skriv t.ex. id: forum-kvinnofrid");
    return false;
  }
  if (id) {
    a->id = id;
    a->id_loc = lr_ctx_loc(ctx, node);
  }
  if (a->owner_count > 1 && !id) {
    lr_diag *d = lr_ctx_error(ctx, owners, "en gemensam aktivitet måste ha ett id");
    const char *slug = lr_activity_slug(ctx->arena, a->heading ? a->heading : "");
    lr_diag_hint(ctx->diags, d, "de andra ansvariga och nästa års formulär känner igen den på sitt id; skriv t.ex. id: %s",
                 *slug ? slug : "forum-kvinnofrid");
    return false;
  }
  return true;
}

static void load_activity(const lr_ctx *ctx, lr_project *p, const lr_node *item,
                          lr_statement *s) {
  const lr_node *f[T_COUNT];
  if (!lr_ctx_fields(ctx, item, ACTIVITY_KEYS, f, "aktiviteten")) return;
  /* Built apart and copied in only when accepted: a rejected activity
   * must leave nothing (no count, no flag) for the next one to inherit. */
  lr_activity accepted = {0}, *a = &accepted;
  a->loc = lr_ctx_loc(ctx, item);
  bool ok = lr_ctx_require(ctx, item, f[T_RUBRIK], "rubrik") &&
            lr_ctx_line(ctx, f[T_RUBRIK], "rubrik", &a->heading);
  size_t errors = ctx->diags->errors;
  load_targets(ctx, p, s->year, item, f[T_MAL], a);
  ok &= ctx->diags->errors == errors;
  if (lr_ctx_require(ctx, item, f[T_STATUS], "status")) {
    int st = lr_ctx_enum(ctx, f[T_STATUS], "status", lr_status_tokens, "status");
    if (st < 0) ok = false;
    else a->status = (lr_status)st;
  } else {
    ok = false;
  }
  ok &= lr_ctx_text(ctx, f[T_BESKRIVNING], "beskrivning", &a->description);
  if (blank(a->description)) {
    lr_diag *d = lr_ctx_warning(ctx, f[T_BESKRIVNING] ? f[T_BESKRIVNING] : item,
                                "aktiviteten \"%s\" saknar beskrivning", a->heading ? a->heading : "");
    lr_diag_hint(ctx->diags, d, "beskriv kort vad som görs; rapporten citerar beskrivningen");
    a->description = NULL;
  }
  ok &= lr_ctx_line(ctx, f[T_MALGRUPP], "målgrupp", &a->target_group);
  ok &= lr_ctx_bool(ctx, f[T_INTERN], "intern", &a->internal);

  const lr_node **items;
  size_t n;
  ok &= lr_ctx_ids(ctx, f[T_OMRADEN], "områden", &items, &n);
  a->areas = lr_arena_array(ctx->arena, n ? n : 1, sizeof *a->areas);
  for (size_t i = 0; i < n; i++) {
    const lr_area *area = lr_index_get(&p->area_ids, items[i]->text);
    if (area) {
      a->areas[a->area_count++] = area;
      continue;
    }
    ok = false;
    if (lr_ctx_glued_comment(ctx, items[i])) continue;
    const char **ids = lr_arena_array(ctx->arena, p->strategy.area_count + 1, sizeof *ids);
    for (size_t k = 0; k < p->strategy.area_count; k++) ids[k] = p->strategy.areas[k].id;
    const char *guess = lr_suggest(items[i]->text, ids, p->strategy.area_count);
    lr_diag *d = guess ? lr_ctx_error(ctx, items[i], "okänt område \"%s\" — menade du \"%s\"?", items[i]->text, guess)
                       : lr_ctx_error(ctx, items[i], "okänt område \"%s\"", items[i]->text);
    lr_diag_hint_ids(ctx->diags, d, items[i]->text, ids, p->strategy.area_count, "områden",
                     p->config.strategy_path);
  }
  ok &= lr_ctx_ids(ctx, f[T_SAMVERKAN], "samverkan", &items, &n);
  a->partners = lr_arena_array(ctx->arena, n ? n : 1, sizeof *a->partners);
  for (size_t i = 0; i < n; i++) {
    const lr_actor *partner = lr_ctx_actor_ref(ctx, p, items[i]);
    if (!partner) ok = false;
    else if (partner != s->actor) a->partners[a->partner_count++] = partner;
  }
  ok &= load_owners(ctx, p, f[T_ANSVARIGA], s, a);
  ok &= load_id(ctx, f[T_ID], f[T_ANSVARIGA], a);
  if (ok) s->activities[s->activity_count++] = accepted;
}

static void load_plan(const lr_ctx *ctx, const lr_node *node, lr_statement *s) {
  const lr_node *f[2];
  if (!lr_ctx_fields(ctx, node, PLAN_KEYS, f, "styrdokument")) return;
  if (lr_ctx_require(ctx, node, f[0], "status")) {
    int st = lr_ctx_enum(ctx, f[0], "status", lr_plan_status_tokens, "status för styrdokument");
    if (st >= 0) s->plan_status = (lr_plan_status)(st + 1);
  }
  lr_ctx_text(ctx, f[1], "beskrivning", &s->plan_description);
  if (f[1] && blank(s->plan_description)) {
    lr_ctx_warning(ctx, f[1], "beskrivningen av styrdokumentet är tom");
    s->plan_description = NULL;
  }
}

static bool load_statement(lr_project *p, lr_arena *arena, lr_diag_list *diags, int year,
                           const lr_document *doc, const char *stem, lr_statement *s) {
  if (!doc->root) return false;
  lr_ctx ctx = {arena, diags, doc->source};
  const lr_node *f[Y_COUNT];
  if (!lr_ctx_fields(&ctx, doc->root, STATEMENT_KEYS, f, "yttrandet")) return false;
  size_t errors = diags->errors;
  s->path = doc->source->path;
  s->year = year;

  if (lr_ctx_require(&ctx, doc->root, f[Y_AKTOR], "aktör")) {
    const char *id = NULL;
    if (lr_ctx_id(&ctx, f[Y_AKTOR], "aktör", &id) && id) {
      s->actor = lr_ctx_actor_ref(&ctx, p, f[Y_AKTOR]);
      if (s->actor && strcmp(id, stem) != 0) {
        lr_diag *d = lr_ctx_error(&ctx, f[Y_AKTOR], "aktör \"%s\" stämmer inte med filnamnet %s.yaml", id, stem);
        lr_diag_hint(ctx.diags, d, "döp om filen till %s.yaml eller rätta aktören", id);
        s->actor = NULL;
      }
    }
  }
  if (lr_ctx_require(&ctx, doc->root, f[Y_AR], "år")) {
    long y = 0;
    if (lr_ctx_int(&ctx, f[Y_AR], "år", &y) && y != year) {
      lr_diag *d = lr_ctx_error(&ctx, f[Y_AR], "år %ld stämmer inte med mappen %d", y, year);
      lr_diag_hint(ctx.diags, d, "skriv år: %d, eller flytta filen till %ld/yttranden/", year, y);
    }
  }
  lr_ctx_date(&ctx, f[Y_INKOM], "inkom", &s->received);
  /* An empty inkom is how a form says it has not been returned yet; a
   * statement without the key at all is an answer of unknown date. */
  s->awaiting = f[Y_INKOM] && f[Y_INKOM]->kind == LR_NODE_SCALAR && f[Y_INKOM]->is_null;
  if (f[Y_KONTAKT]) {
    const lr_node *c[2];
    if (lr_ctx_fields(&ctx, f[Y_KONTAKT], CONTACT_KEYS, c, "kontakt")) {
      lr_ctx_line(&ctx, c[0], "namn", &s->contact_name);
      if (c[1]) lr_ctx_email(&ctx, c[1], "epost", &s->contact_email);
    }
  }
  if (f[Y_STYRDOKUMENT]) load_plan(&ctx, f[Y_STYRDOKUMENT], s);
  lr_ctx_text(&ctx, f[Y_FRAMGANG], "framgångsfaktorer", &s->success_factors);
  lr_ctx_text(&ctx, f[Y_UTMANINGAR], "utmaningar", &s->challenges);
  lr_ctx_text(&ctx, f[Y_BEHOV], "behov", &s->needs);
  if (blank(s->success_factors)) s->success_factors = NULL;
  if (blank(s->challenges)) s->challenges = NULL;
  if (blank(s->needs)) s->needs = NULL;
  lr_indicator_values_load(&ctx, p, f[Y_INDIKATORER], s);

  const lr_node *list = f[Y_AKTIVITETER];
  /* "aktiviteter:" left empty means none, like "[]"; only a missing key
   * is an error, since it usually means the list was misspelt. */
  bool empty = list && list->kind == LR_NODE_SCALAR && list->is_null;
  if (!empty && lr_ctx_require(&ctx, doc->root, list, "aktiviteter")) {
    if (lr_ctx_sequence(&ctx, list, "aktiviteter") && list->kind == LR_NODE_SEQUENCE) {
      s->activities = lr_arena_array(arena, list->count ? list->count : 1, sizeof *s->activities);
      for (size_t i = 0; i < list->count; i++) load_activity(&ctx, p, list->items[i], s);
    }
  }
  return diags->errors == errors && s->actor;
}

/* The file and its tree are needed only while it is checked: the model
 * keeps the scalars' text, and diagnostics their quoted lines. */
bool lr_statement_load_in(lr_project *p, lr_arena *arena, lr_diag_list *diags, int year,
                          const char *path, int folder_fd, const char *stem, lr_statement *s) {
  lr_document *doc = lr_document_load_inside(arena, diags, path, p->real_root, folder_fd, true);
  bool ok = load_statement(p, arena, diags, year, doc, stem, s);
  lr_document_release(doc);
  return ok;
}

bool lr_statement_load(lr_project *p, int year, const char *path, const char *stem,
                       lr_statement *s) {
  return lr_statement_load_in(p, p->arena, &p->diags, year, path, -1, stem, s);
}
