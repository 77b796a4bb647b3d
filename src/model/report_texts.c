/* <år>/rapport.yaml: the Länsstyrelse's own texts for a year's report. */
#include "model/model.h"

static const char *const TEXT_KEYS[] = {"titel", "datum", "inledning", "resurser", "analys",
                                        "avslutning", "undertecknare", NULL};
enum { R_TITEL, R_DATUM, R_INLEDNING, R_RESURSER, R_ANALYS, R_AVSLUTNING, R_UNDERTECKNARE,
       R_COUNT };
static const char *const SIGNATORY_KEYS[] = {"namn", "titel", "organisation", NULL};

static void load_analyses(const lr_ctx *ctx, lr_project *p, const lr_node *map,
                          lr_report_texts *t) {
  if (map->kind != LR_NODE_MAPPING) {
    lr_diag *d = lr_ctx_error(ctx, map, "\"analys\" ska vara en mappning från mål-id till text, inte %s",
                              lr_node_kind_name(map));
    lr_diag_hint(ctx->diags, d, "t.ex. analys:\\n  \"1\": |\\n    Länsstyrelsen ser att …");
    return;
  }
  t->analyses = lr_arena_array(ctx->arena, map->count / 2 + 1, sizeof *t->analyses);
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    const lr_node *key = map->items[i];
    if (key->kind != LR_NODE_SCALAR || !lr_ctx_visible_id(ctx, key, "mål")) continue;
    const lr_target *target = lr_index_get(&p->target_ids, key->text);
    if (target && target->subgoal) {
      lr_diag *d = lr_ctx_error(ctx, key, "\"%s\" är ett delmål; analysen skrivs per mål", key->text);
      lr_diag_hint(ctx->diags, d, "flytta texten till målet \"%s\"", target->goal->id);
      continue;
    }
    if (!target) {
      if (lr_ctx_glued_comment(ctx, key)) continue;
      const char **ids = lr_arena_array(ctx->arena, p->strategy.goal_count + 1, sizeof *ids);
      for (size_t k = 0; k < p->strategy.goal_count; k++) ids[k] = p->strategy.goals[k].id;
      const char *guess = lr_suggest(key->text, ids, p->strategy.goal_count);
      lr_diag *d = guess ? lr_ctx_error(ctx, key, "okänt mål \"%s\" — menade du \"%s\"?", key->text, guess)
                         : lr_ctx_error(ctx, key, "okänt mål \"%s\"", key->text);
      lr_diag_hint_ids(ctx->diags, d, key->text, ids, p->strategy.goal_count, "mål",
                       p->config.strategy_path);
      d->hint = lr_arena_printf(ctx->arena, "analysen skrivs per mål, inte per delmål; %s", d->hint);
      continue;
    }
    const char *text = NULL;
    if (!lr_ctx_text(ctx, map->items[i + 1], key->text, &text) || !text) continue;
    t->analyses[t->analysis_count++] = (lr_analysis){target->goal, text};
  }
}

const lr_report_texts *lr_report_texts_load(lr_project *p, const char *path) {
  lr_document *doc = lr_document_load_inside(p->arena, &p->diags, path, p->real_root, false);
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
  if (f[R_ANALYS] && !f[R_ANALYS]->is_null) load_analyses(&ctx, p, f[R_ANALYS], t);
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
