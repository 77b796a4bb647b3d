/* <år>/rapport.yaml: the Länsstyrelse's own texts for a year's report,
 * including, per goal, the activities it shows as examples. Those are
 * named "aktör/id" and checked against the year's statements, which are
 * loaded first. */
#include "model/model.h"

#include <string.h>

static const char *const TEXT_KEYS[] = {"titel", "datum", "inledning", "resurser", "analys", "mål",
                                        "källor", "begrepp", "avslutning", "undertecknare", NULL};
enum { R_TITEL, R_DATUM, R_INLEDNING, R_RESURSER, R_ANALYS, R_MAL, R_KALLOR, R_BEGREPP,
       R_AVSLUTNING, R_UNDERTECKNARE, R_COUNT };
static const char *const GOAL_KEYS[] = {"inledning", "exempel", "analys", "avslutning", NULL};
enum { G_INLEDNING, G_EXEMPEL, G_ANALYS, G_AVSLUTNING, G_COUNT };
static const char *const EXAMPLE_KEYS[] = {"aktivitet", "inledning", NULL};
static const char *const SIGNATORY_KEYS[] = {"namn", "titel", "organisation", NULL};

/* A key of "analys" or "mål": a goal's id, not a sub-goal's. `what`
 * names what is written per goal ("analysen", "texterna"). */
static const lr_goal *goal_key(const lr_ctx *ctx, lr_project *p, const lr_year *y, const lr_node *key,
                               const char *what) {
  if (key->kind != LR_NODE_SCALAR || !lr_ctx_visible_id(ctx, key, "mål")) return NULL;
  const lr_strategy *st = lr_strategy_in_year(p, y->year);
  const lr_target *target = lr_target_find(p, st, key->text);
  if (target && target->subgoal) {
    lr_diag *d = lr_ctx_error(ctx, key, "\"%s\" är ett delmål; %s skrivs per mål", key->text, what);
    lr_diag_hint(ctx->diags, d, "flytta texten till målet \"%s\"", target->goal->id);
    return NULL;
  }
  if (!target) {
    if (lr_ctx_glued_comment(ctx, key)) return NULL;
    const char *elsewhere = lr_target_elsewhere(ctx->arena, p, st, key->text);
    if (elsewhere) {
      lr_diag *d = lr_ctx_error(ctx, key, "\"%s\" finns inte i den version av strategin som gäller %d", key->text,
                                y->year);
      lr_diag_hint(ctx->diags, d, "%s", elsewhere);
      return NULL;
    }
    const char **ids = lr_arena_array(ctx->arena, st->goal_count + 1, sizeof *ids);
    for (size_t k = 0; k < st->goal_count; k++) ids[k] = st->goals[k].id;
    const char *guess = lr_suggest(key->text, ids, st->goal_count);
    lr_diag *d = guess ? lr_ctx_error(ctx, key, "okänt mål \"%s\" — menade du \"%s\"?", key->text, guess)
                       : lr_ctx_error(ctx, key, "okänt mål \"%s\"", key->text);
    lr_diag_hint_ids(ctx->diags, d, key->text, ids, st->goal_count, "mål",
                     p->config.strategy_path);
    d->hint = lr_arena_printf(ctx->arena, "%s skrivs per mål, inte per delmål; %s", what, d->hint);
    return NULL;
  }
  return target->goal;
}

static bool is_mapping(const lr_ctx *ctx, const lr_node *map, const char *key, const char *example) {
  if (map->kind == LR_NODE_MAPPING) return true;
  lr_diag *d = lr_ctx_error(ctx, map, "\"%s\" ska vara en mappning, inte %s", key, lr_node_kind_name(map));
  lr_diag_hint(ctx->diags, d, "t.ex. %s", example);
  return false;
}

/* An analysis given twice for one goal: under "analys" and under "mål". */
static void add_analysis(const lr_ctx *ctx, lr_report_texts *t, const lr_goal *goal, const char *text,
                         const lr_node *at) {
  for (size_t i = 0; i < t->analysis_count; i++) {
    if (t->analyses[i].goal != goal) continue;
    lr_diag *d = lr_ctx_error(ctx, at, "mål %s har redan en analys", goal->id);
    lr_diag_hint(ctx->diags, d, "skriv analysen en gång: under \"analys\" eller under \"mål\"");
    return;
  }
  t->analyses[t->analysis_count++] = (lr_analysis){goal, text};
}

static void load_analyses(const lr_ctx *ctx, lr_project *p, const lr_year *y, const lr_node *map,
                          lr_report_texts *t) {
  if (!is_mapping(ctx, map, "analys", "analys:\\n  \"1\": |\\n    Länsstyrelsen ser att …")) return;
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    const lr_goal *goal = goal_key(ctx, p, y, map->items[i], "analysen");
    const char *text = NULL;
    if (!goal || !lr_ctx_text(ctx, map->items[i + 1], map->items[i]->text, &text) || !text) continue;
    add_analysis(ctx, t, goal, text, map->items[i]);
  }
}

/* "jonkoping/projekt-heder": an activity with an id this year, published,
 * and counted under the goal it is an example of. */
static const lr_activity *example_ref(const lr_ctx *ctx, lr_project *p, const lr_year *y,
                                      const lr_index *index, const lr_goal *goal, const lr_node *node) {
  const char *name = NULL;
  if (!lr_ctx_id(ctx, node, "exempel", &name)) return NULL;
  if (!name) {
    lr_diag *d = lr_ctx_error(ctx, node, "ett exempel under mål %s är tomt", goal->id);
    lr_diag_hint(ctx->diags, d, "skriv aktiviteten som aktör/id, t.ex. \"jonkoping/projekt-heder\", eller ta bort raden");
    return NULL;
  }
  const lr_activity_ref *ref = lr_index_get(index, name);
  if (!ref) {
    /* Every published reference of the year, for "menade du". */
    size_t n = 0;
    for (size_t i = 0; i < y->statement_count; i++) n += y->statements[i].activity_count * p->actor_count;
    const char **keys = lr_arena_array(ctx->arena, n + 1, sizeof *keys);
    n = 0;
    for (size_t i = 0; i < y->statement_count; i++)
      for (size_t j = 0; j < y->statements[i].activity_count; j++) {
        const lr_activity *a = &y->statements[i].activities[j];
        if (a->copy || !a->id || a->internal) continue;
        for (size_t o = 0; o < a->owner_count; o++)
          keys[n++] = lr_arena_printf(ctx->arena, "%s/%s", a->owners[o]->id, a->id);
      }
    const char *guess = lr_suggest(node->text, keys, n);
    const char *when = y == p->period_year ? p->period->name : lr_arena_printf(ctx->arena, "%d", y->year);
    lr_diag *d = guess ? lr_ctx_error(ctx, node, "okänd aktivitet \"%s\" för %s — menade du \"%s\"?", node->text,
                                      when, guess)
                       : lr_ctx_error(ctx, node, "okänd aktivitet \"%s\" för %s", node->text, when);
    lr_diag_hint(ctx->diags, d, "ett exempel anges som aktör/id, t.ex. \"%s\"; aktiviteten behöver ett id i "
                 "aktörens yttrande", n ? keys[0] : "jonkoping/projekt-heder");
    return NULL;
  }
  const lr_activity *a = ref->activity;
  if (a->internal) {
    lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" är markerad som intern och kan inte vara ett exempel", node->text);
    lr_diag_hint(ctx->diags, d, "en intern aktivitet publiceras inte; välj en annan eller ta bort intern: true i %s",
                 ref->statement->path);
    return NULL;
  }
  for (size_t t = 0; t < a->target_count; t++)
    if (a->targets[t].goal == goal) return a;
  const char **goals = lr_arena_array(ctx->arena, a->target_count + 1, sizeof *goals);
  size_t n = 0;
  for (size_t t = 0; t < a->target_count; t++) {
    bool seen = false;
    for (size_t k = 0; k < n; k++) seen = seen || goals[k] == a->targets[t].goal->id;
    if (!seen) goals[n++] = a->targets[t].goal->id;
  }
  lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" hör inte till mål %s", node->text, goal->id);
  const char *list = goals[0];
  for (size_t k = 1; k < n; k++) list = lr_arena_printf(ctx->arena, "%s, %s", list, goals[k]);
  lr_diag_hint(ctx->diags, d, "aktiviteten räknas under mål %s; ta upp den som exempel där", list);
  return NULL;
}

/* An example is "aktör/id", or, when a sentence leads into it, a mapping
 * {aktivitet: aktör/id, inledning: text}. */
static bool example_item(const lr_ctx *ctx, const lr_node *item, const lr_node **ref, const char **lead_in) {
  if (item->kind != LR_NODE_MAPPING) return true;
  const lr_node *f[2];
  if (!lr_ctx_fields(ctx, item, EXAMPLE_KEYS, f, "exemplet")) return false;
  if (!lr_ctx_require(ctx, item, f[0], "aktivitet")) return false;
  if (!lr_ctx_text(ctx, f[1], "inledning", lead_in)) return false;
  *ref = f[0];
  return true;
}

static void load_goal_texts(const lr_ctx *ctx, lr_project *p, const lr_year *y, const lr_node *map,
                            lr_report_texts *t) {
  if (!is_mapping(ctx, map, "mål", "mål:\\n  \"1\":\\n    inledning: …\\n    exempel: [aneby/sspf]")) return;
  t->goals = lr_arena_array(ctx->arena, map->count / 2 + 1, sizeof *t->goals);
  lr_index index = lr_year_activity_index(p, y);
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    const lr_goal *goal = goal_key(ctx, p, y, map->items[i], "texterna");
    const lr_node *f[G_COUNT];
    if (!goal || !lr_ctx_fields(ctx, map->items[i + 1], GOAL_KEYS, f, "målets texter")) continue;
    lr_goal_texts *gt = &t->goals[t->goal_count++];
    gt->goal = goal;
    lr_ctx_text(ctx, f[G_INLEDNING], "inledning", &gt->lead_in);
    lr_ctx_text(ctx, f[G_AVSLUTNING], "avslutning", &gt->closing);
    const char *analysis = NULL;
    if (lr_ctx_text(ctx, f[G_ANALYS], "analys", &analysis) && analysis) add_analysis(ctx, t, goal, analysis, f[G_ANALYS]);
    const lr_node **refs = NULL;
    size_t count = 0;
    if (!f[G_EXEMPEL] || !lr_ctx_sequence(ctx, f[G_EXEMPEL], "exempel") || f[G_EXEMPEL]->is_null) continue;
    refs = (const lr_node **)f[G_EXEMPEL]->items;
    count = f[G_EXEMPEL]->count;
    gt->chosen = true;
    gt->examples = lr_arena_array(ctx->arena, count + 1, sizeof *gt->examples);
    gt->example_lead_ins = lr_arena_array(ctx->arena, count + 1, sizeof *gt->example_lead_ins);
    for (size_t k = 0; k < count; k++) {
      const char *lead_in = NULL;
      if (!example_item(ctx, refs[k], &refs[k], &lead_in)) continue;
      const lr_activity *a = example_ref(ctx, p, y, &index, goal, refs[k]);
      if (!a) continue;
      bool twice = false;
      for (size_t e = 0; e < gt->example_count; e++) twice = twice || gt->examples[e] == a;
      if (twice) {
        lr_diag *d = lr_ctx_error(ctx, refs[k], "\"%s\" står två gånger bland exemplen för mål %s",
                                  refs[k]->text, goal->id);
        lr_diag_hint(ctx->diags, d, "en aktivitet visas en gång; ta bort den ena");
        continue;
      }
      gt->example_lead_ins[gt->example_count] = lead_in;
      gt->examples[gt->example_count++] = a;
    }
  }
}

/* "källor" and "begrepp": mappings from a name to a text, in file order. */
static size_t load_named_texts(const lr_ctx *ctx, const lr_node *map, const char *key, bool ids,
                               const char ***names, const char ***texts) {
  const char *example = ids ? "källor:\\n  nivaer: Hämtad från Inget att vänta på, Jämställdhetsmyndigheten."
                            : "begrepp:\\n  Universell nivå: insatser till breda grupper i befolkningen";
  if (!is_mapping(ctx, map, key, example)) return 0;
  *names = lr_arena_array(ctx->arena, map->count / 2 + 1, sizeof **names);
  *texts = lr_arena_array(ctx->arena, map->count / 2 + 1, sizeof **texts);
  size_t n = 0;
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    const lr_node *name = map->items[i];
    const char *id = NULL, *text = NULL;
    if (ids ? !lr_ctx_id(ctx, name, key, &id) : !lr_ctx_line(ctx, name, key, &id)) continue;
    if (ids && !lr_activity_id_valid(id)) {
      lr_diag *d = lr_ctx_error(ctx, name, "källans namn \"%s\" kan inte stå i en hänvisning", id);
      lr_diag_hint(ctx->diags, d, "använd små bokstäver a–z, siffror och bindestreck, t.ex. \"nivaer\", "
                   "och hänvisa med [^nivaer]");
      continue;
    }
    if (!lr_ctx_text(ctx, map->items[i + 1], id, &text) || !text) continue;
    (*names)[n] = id;
    (*texts)[n++] = text;
  }
  return n;
}

/* Every [^id] in a text of the file names a source. */
static void check_citations(const lr_ctx *ctx, const lr_report_texts *t, const lr_node *node, const char *text) {
  if (!node || !text) return;
  for (const char *m = strstr(text, "[^"); m; m = strstr(m + 2, "[^")) {
    const char *end = strchr(m, ']');
    if (!end) break;
    const char *id = lr_arena_strndup(ctx->arena, m + 2, (size_t)(end - m - 2));
    bool known = false;
    for (size_t i = 0; i < t->source_count; i++) known = known || strcmp(t->sources[i].id, id) == 0;
    if (known) continue;
    const char **ids = lr_arena_array(ctx->arena, t->source_count + 1, sizeof *ids);
    for (size_t i = 0; i < t->source_count; i++) ids[i] = t->sources[i].id;
    const char *guess = lr_suggest(id, ids, t->source_count);
    lr_diag *d = guess ? lr_ctx_error(ctx, node, "hänvisningen [^%s] har ingen källa — menade du [^%s]?", id, guess)
                       : lr_ctx_error(ctx, node, "hänvisningen [^%s] har ingen källa", id);
    lr_diag_hint(ctx->diags, d, "lägg till källan under \"källor\", t.ex. källor:\\n  %s: Hämtad från …", id);
  }
}

/* Every text in the file, wherever it stands: a citation is checked the
 * same in an analysis as in a definition. */
static void check_tree_citations(const lr_ctx *ctx, const lr_report_texts *t, const lr_node *node) {
  if (node->kind == LR_NODE_SCALAR) {
    check_citations(ctx, t, node, node->text);
    return;
  }
  bool mapping = node->kind == LR_NODE_MAPPING;
  for (size_t i = mapping ? 1 : 0; i < node->count; i += mapping ? 2 : 1) check_tree_citations(ctx, t, node->items[i]);
}

const lr_report_texts *lr_report_texts_load(lr_project *p, const lr_year *y, const char *path) {
  lr_document *doc = lr_document_load_inside(p->arena, &p->diags, path, p->real_root, -1, false);
  if (!doc->root) return NULL;
  lr_ctx ctx = {p->arena, &p->diags, doc->source};
  const lr_node *f[R_COUNT];
  if (!lr_ctx_fields(&ctx, doc->root, TEXT_KEYS, f, "rapporttexterna")) return NULL;
  lr_report_texts *t = lr_arena_alloc(p->arena, sizeof *t);
  lr_ctx_line(&ctx, f[R_TITEL], "titel", &t->title);
  lr_ctx_line(&ctx, f[R_DATUM], "datum", &t->date);
  lr_ctx_text(&ctx, f[R_INLEDNING], "inledning", &t->introduction);
  lr_ctx_text(&ctx, f[R_RESURSER], "resurser", &t->resources);
  lr_ctx_text(&ctx, f[R_AVSLUTNING], "avslutning", &t->closing);
  t->analyses = lr_arena_array(p->arena, lr_strategy_in_year(p, y->year)->goal_count + 1, sizeof *t->analyses);
  if (f[R_ANALYS] && !f[R_ANALYS]->is_null) load_analyses(&ctx, p, y, f[R_ANALYS], t);
  if (f[R_MAL] && !f[R_MAL]->is_null) load_goal_texts(&ctx, p, y, f[R_MAL], t);
  const char **names = NULL, **texts = NULL;
  if (f[R_KALLOR] && !f[R_KALLOR]->is_null) {
    size_t n = load_named_texts(&ctx, f[R_KALLOR], "källor", true, &names, &texts);
    t->sources = lr_arena_array(p->arena, n + 1, sizeof *t->sources);
    for (size_t i = 0; i < n; i++) t->sources[t->source_count++] = (lr_report_source){names[i], texts[i]};
  }
  if (f[R_BEGREPP] && !f[R_BEGREPP]->is_null) {
    size_t n = load_named_texts(&ctx, f[R_BEGREPP], "begrepp", false, &names, &texts);
    t->terms = lr_arena_array(p->arena, n + 1, sizeof *t->terms);
    for (size_t i = 0; i < n; i++) t->terms[t->term_count++] = (lr_term){names[i], texts[i]};
  }
  check_tree_citations(&ctx, t, doc->root);
  const lr_node *list = f[R_UNDERTECKNARE];
  if (list && lr_ctx_sequence(&ctx, list, "undertecknare") && list->kind == LR_NODE_SEQUENCE) {
    t->signatories = lr_arena_array(p->arena, list->count + 1, sizeof *t->signatories);
    for (size_t i = 0; i < list->count; i++) {
      const lr_node *s[3];
      if (!lr_ctx_fields(&ctx, list->items[i], SIGNATORY_KEYS, s, "undertecknaren")) continue;
      /* Read apart: a rejected signatory's title must not pass to the next. */
      lr_signatory sig = {0};
      if (!lr_ctx_require(&ctx, list->items[i], s[0], "namn")) continue;
      bool ok = lr_ctx_line(&ctx, s[0], "namn", &sig.name);
      ok &= lr_ctx_line(&ctx, s[1], "titel", &sig.title);
      ok &= lr_ctx_line(&ctx, s[2], "organisation", &sig.organisation);
      if (ok) t->signatories[t->signatory_count++] = sig;
    }
  }
  return t;
}

const char *lr_report_title(lr_arena *arena, const lr_report_texts *texts, int year) {
  if (texts && texts->title) return texts->title;
  return lr_arena_printf(arena, "Regional lägesrapport %d", year);
}
