/* aktorer.yaml: the actor registry. An actor id names files, so it is held
 * to [a-z0-9-]+ and at most 64 characters. */
#include "model/model.h"

#include <string.h>

static const char *const REGISTRY_KEYS[] = {"aktörer", NULL};
static const char *const ACTOR_KEYS[] = {"id", "namn", "typ", "epost", NULL};
enum { A_ID, A_NAMN, A_TYP, A_EPOST, A_COUNT };

static bool id_is_valid(const char *id) {
  size_t n = strlen(id);
  if (n == 0 || n > 64) return false;
  for (const char *c = id; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) return false;
  return true;
}

/* A valid id close to what was written: lower case, å/ä→a, ö→o, the rest
 * of the punctuation and spaces to '-'. */
static const char *slug(lr_arena *arena, const char *s) {
  lr_buf b = {0};
  for (const unsigned char *p = (const unsigned char *)s; *p && b.len < 64; p++) {
    if (*p >= 'A' && *p <= 'Z') lr_buf_putc(&b, (char)(*p + 32));
    else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) lr_buf_putc(&b, (char)*p);
    else if (*p == 0xC3 && p[1]) {
      unsigned char c = *++p;
      lr_buf_putc(&b, (c == 0xB6 || c == 0x96) ? 'o' : 'a');
    } else if (*p < 0x80 && b.len && b.data[b.len - 1] != '-') lr_buf_putc(&b, '-');
  }
  while (b.len && b.data[b.len - 1] == '-') b.len--;
  const char *out = lr_arena_strndup(arena, b.data ? b.data : "", b.len);
  lr_buf_free(&b);
  return out;
}

bool lr_ctx_email(const lr_ctx *ctx, const lr_node *node, const char *key, const char **out) {
  const char *s = NULL;
  if (!lr_ctx_line(ctx, node, key, &s) || !s) return false;
  if (!lr_mailbox_is_valid(s)) {
    lr_diag *d = lr_ctx_error(ctx, node, "ogiltig e-postadress \"%s\"", s);
    lr_diag_hint(ctx->diags, d, "skriv bara adressen, t.ex. kvinnofrid@kommun.example");
    return false;
  }
  *out = s;
  return true;
}

static void load_actor(const lr_ctx *ctx, lr_project *p, const lr_node *item) {
  const lr_node *f[A_COUNT];
  if (!lr_ctx_fields(ctx, item, ACTOR_KEYS, f, "aktören")) return;
  /* Built apart and copied in whole only when accepted, so that nothing of
   * a rejected actor (its addresses, their count) carries over. */
  lr_actor accepted = {0}, *a = &accepted;
  a->loc = lr_ctx_loc(ctx, item);
  bool ok = lr_ctx_require(ctx, item, f[A_ID], "id") && lr_ctx_id(ctx, f[A_ID], "id", &a->id);
  if (lr_ctx_require(ctx, item, f[A_NAMN], "namn")) lr_ctx_line(ctx, f[A_NAMN], "namn", &a->name);
  if (!a->name) a->name = a->id;
  /* A bad type or address is reported but the actor still registers, so
   * that its statements are checked instead of drowning in "unknown
   * actor" errors that only repeat this one. */
  if (lr_ctx_require(ctx, item, f[A_TYP], "typ")) {
    int t = lr_ctx_enum(ctx, f[A_TYP], "typ", lr_actor_type_tokens, "aktörstyp");
    a->type = t < 0 ? LR_ACTOR_OVRIG : (lr_actor_type)t;
  }
  if (f[A_EPOST]) {
    const lr_node **items;
    size_t n;
    if (lr_ctx_scalars(ctx, f[A_EPOST], "epost", &items, &n)) {
      a->emails = lr_arena_array(ctx->arena, n ? n : 1, sizeof *a->emails);
      for (size_t i = 0; i < n; i++)
        if (lr_ctx_email(ctx, items[i], "epost", &a->emails[a->email_count])) a->email_count++;
    }
  }
  if (a->id && !id_is_valid(a->id)) {
    lr_diag *d = lr_ctx_error(ctx, f[A_ID], "ogiltigt aktörs-id \"%s\"", a->id);
    const char *better = slug(ctx->arena, a->id);
    if (*better)
      lr_diag_hint(ctx->diags, d, "id får bara innehålla a–z, 0–9 och bindestreck (högst 64 tecken), t.ex. \"%s\"", better);
    else
      lr_diag_hint(ctx->diags, d, "id får bara innehålla a–z, 0–9 och bindestreck (högst 64 tecken)");
    ok = false;
  }
  if (!ok) return;
  /* The index keeps the actor's address, so it is taken in its slot. */
  lr_actor *slot = &p->actors[p->actor_count];
  *slot = accepted;
  lr_actor *old = lr_index_put(&p->actor_ids, slot->id, slot);
  if (old != slot) {
    lr_diag *d = lr_ctx_error(ctx, f[A_ID], "två aktörer har id \"%s\"", slot->id);
    lr_diag_hint(ctx->diags, d, "första gången på rad %d (%s); varje aktör behöver ett eget id",
                 old->loc.line, old->name);
    return;
  }
  slot->index = p->actor_count++;
}

bool lr_actors_load(lr_project *p) {
  if (!lr_named_file_exists(p, p->config.actors_path, &p->actors_named, "aktörer", "aktörsregistret"))
    return false;
  lr_document *doc = lr_document_load_inside(p->arena, &p->diags, p->config.actors_path, p->real_root, -1, false);
  if (!doc->root) return false;
  lr_ctx ctx = {p->arena, &p->diags, doc->source};
  const lr_node *f[1];
  if (!lr_ctx_fields(&ctx, doc->root, REGISTRY_KEYS, f, "aktörsregistret")) return false;
  if (!lr_ctx_require(&ctx, doc->root, f[0], "aktörer") || !lr_ctx_sequence(&ctx, f[0], "aktörer"))
    return false;
  const lr_node *list = f[0];
  p->actors = lr_arena_array(p->arena, list->count ? list->count : 1, sizeof *p->actors);
  lr_index_init(&p->actor_ids, p->arena, list->count);
  for (size_t i = 0; i < list->count; i++) load_actor(&ctx, p, list->items[i]);
  return true;
}

const lr_actor *lr_ctx_actor_ref(const lr_ctx *ctx, lr_project *p, const lr_node *node) {
  const lr_actor *a = lr_index_get(&p->actor_ids, node->text);
  if (a) return a;
  if (lr_ctx_glued_comment(ctx, node)) return NULL;
  /* Suggestions scan the registry: only on the error path, never per hit. */
  const char **ids = lr_arena_array(ctx->arena, p->actor_count ? p->actor_count : 1, sizeof *ids);
  for (size_t i = 0; i < p->actor_count; i++) ids[i] = p->actors[i].id;
  const char *guess = lr_suggest(node->text, ids, p->actor_count);
  lr_diag *d = guess ? lr_ctx_error(ctx, node, "okänd aktör \"%s\" — menade du \"%s\"?", node->text, guess)
                     : lr_ctx_error(ctx, node, "okänd aktör \"%s\"", node->text);
  lr_diag_hint_ids(ctx->diags, d, node->text, ids, p->actor_count, "aktörer", p->config.actors_path);
  return NULL;
}
