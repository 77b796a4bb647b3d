/* lagesrapport.yaml: finding the project as git finds a repository (-C DIR,
 * else the nearest config upwards) and reading its settings. */
#include "model/model.h"

#include <string.h>
#include <sys/stat.h>

enum { MAX_UPWARD = 64 };

static const char *const CONFIG_KEYS[] = {
    "region", "strategi", "aktörer", "utdata", "avsändare", "smtp", "mallar",
    "projekt", NULL};
enum { C_REGION, C_STRATEGI, C_AKTORER, C_UTDATA, C_AVSANDARE, C_SMTP, C_MALLAR, C_PROJEKT };

/* The nearest directory, from the cwd upwards, that holds a config. The
 * answer is a relative path ("", "../..") so that every file name in a
 * diagnostic stays one the user can open from where they stand. */
static const char *find_upwards(lr_arena *arena) {
  lr_buf up = {0};
  const char *found = NULL;
  struct stat prev = {0};
  for (int level = 0; level < MAX_UPWARD && !found; level++) {
    const char *dir = level ? lr_buf_cstr(&up) : ".";
    struct stat here;
    if (stat(dir, &here) != 0) break;
    if (level && here.st_ino == prev.st_ino && here.st_dev == prev.st_dev)
      break; /* "/.." is "/": the root has been searched */
    prev = here;
    const char *candidate = lr_path_join(arena, dir, "lagesrapport.yaml");
    if (lr_path_is_file(candidate))
      found = level ? lr_arena_strndup(arena, up.data, up.len - 1) : ".";
    lr_buf_puts(&up, "../");
  }
  lr_buf_free(&up);
  return found;
}

/* "Länsstyrelsen i X <kvinnofrid@x.example>" into name and address. */
static bool parse_sender(const lr_ctx *ctx, const lr_node *node, lr_config *c) {
  const char *s = c->sender;
  const char *lt = strrchr(s, '<'), *gt = strrchr(s, '>');
  const char *name = NULL, *address = s;
  if (lt && gt && gt > lt && gt[1] == '\0') {
    size_t n = (size_t)(lt - s);
    while (n && s[n - 1] == ' ') n--;
    name = n ? lr_arena_strndup(ctx->arena, s, n) : NULL;
    address = lr_arena_strndup(ctx->arena, lt + 1, (size_t)(gt - lt - 1));
  }
  if (name && name[0] == '"' && strlen(name) >= 2 && name[strlen(name) - 1] == '"')
    name = lr_arena_strndup(ctx->arena, name + 1, strlen(name) - 2);
  if (!lr_mailbox_is_valid(address) || (name && strpbrk(name, "<>\""))) {
    lr_diag *d = lr_ctx_error(ctx, node, "ogiltig avsändare \"%s\"", s);
    lr_diag_hint(ctx->diags, d,
                 "skriv t.ex. avsändare: \"Länsstyrelsen i X län <kvinnofrid@lansstyrelsen.example>\"");
    return false;
  }
  c->sender_name = name;
  c->sender_address = address;
  return true;
}

static lr_named_file named_at(const lr_ctx *ctx, const lr_node *value) {
  lr_named_file named = {lr_ctx_loc(ctx, value), NULL};
  if (value) named.source_line = lr_source_line(ctx->arena, ctx->source, value->line);
  return named;
}

static bool read_config(lr_project *p, const char *dir, bool allow_redirect) {
  lr_arena *arena = p->arena;
  const char *path = lr_path_join(arena, dir, "lagesrapport.yaml");
  if (p->fixing) lr_project_fix_file(p, path);
  lr_document *doc = lr_document_load(arena, &p->diags, path);
  if (!doc->root) return false;
  lr_ctx ctx = {arena, &p->diags, doc->source};
  const lr_node *f[8];
  if (!lr_ctx_fields(&ctx, doc->root, CONFIG_KEYS, f, "projektfilen")) return false;

  if (f[C_PROJEKT]) {
    const char *target = NULL;
    bool others = false;
    for (int i = 0; i < C_PROJEKT; i++) others = others || f[i];
    if (!lr_ctx_line(&ctx, f[C_PROJEKT], "projekt", &target) || !target) return false;
    if (others) {
      lr_diag *d = lr_ctx_error(&ctx, f[C_PROJEKT],
                                "\"projekt\" pekar vidare och kan inte stå tillsammans med andra inställningar");
      lr_diag_hint(ctx.diags, d, "flytta inställningarna till %s/lagesrapport.yaml", target);
      return false;
    }
    if (!allow_redirect) {
      lr_diag *d = lr_ctx_error(&ctx, f[C_PROJEKT], "\"projekt\" pekar vidare en andra gång");
      lr_diag_hint(ctx.diags, d, "låt \"projekt\" peka direkt på projektmappen");
      return false;
    }
    const char *next = lr_path_join(arena, dir, target);
    if (!lr_path_is_file(lr_path_join(arena, next, "lagesrapport.yaml"))) {
      lr_diag *d = lr_ctx_error(&ctx, f[C_PROJEKT], "det finns ingen lagesrapport.yaml i \"%s\"", next);
      lr_diag_hint(ctx.diags, d, "\"projekt\" anges relativt till den här filen");
      return false;
    }
    return read_config(p, next, false);
  }

  lr_config *c = &p->config;
  c->root = dir;
  c->path = path;
  p->real_root = lr_path_real(arena, dir);
  if (!p->real_root) {
    /* Without it no file could be held to the project: refuse them all. */
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0},
                             "kan inte avgöra var projektmappen egentligen ligger");
    lr_diag_hint(&p->diags, d, "kontrollera att du har läsrätt till mappen och mapparna ovanför");
    return false;
  }
  const char *strategy = "strategi.yaml", *actors = "aktorer.yaml", *out = "out";
  const char *templates = NULL;
  bool ok = lr_ctx_line(&ctx, f[C_REGION], "region", &c->region);
  ok &= lr_ctx_line(&ctx, f[C_STRATEGI], "strategi", &strategy);
  ok &= lr_ctx_line(&ctx, f[C_AKTORER], "aktörer", &actors);
  ok &= lr_ctx_line(&ctx, f[C_UTDATA], "utdata", &out);
  ok &= lr_ctx_line(&ctx, f[C_SMTP], "smtp", &c->smtp_url);
  ok &= lr_ctx_line(&ctx, f[C_MALLAR], "mallar", &templates);
  if (lr_ctx_line(&ctx, f[C_AVSANDARE], "avsändare", &c->sender) && c->sender)
    ok &= parse_sender(&ctx, f[C_AVSANDARE], c);
  if (c->smtp_url && strncmp(c->smtp_url, "smtp://", 7) != 0 &&
      strncmp(c->smtp_url, "smtps://", 8) != 0) {
    lr_diag *d = lr_ctx_error(&ctx, f[C_SMTP], "smtp-adressen ska börja med smtp:// eller smtps://");
    lr_diag_hint(ctx.diags, d, "t.ex. smtp: smtps://smtp.lansstyrelsen.example:465");
    ok = false;
  }
  c->strategy_path = lr_path_join(arena, dir, strategy);
  c->actors_path = lr_path_join(arena, dir, actors);
  p->strategy_named = named_at(&ctx, f[C_STRATEGI]);
  p->actors_named = named_at(&ctx, f[C_AKTORER]);
  c->output_dir = lr_path_join(arena, dir, out);
  if (templates) {
    c->templates_dir = lr_path_join(arena, dir, templates);
    const char *real = lr_path_real(arena, c->templates_dir);
    if (!lr_path_is_dir(c->templates_dir)) {
      lr_diag *d = lr_ctx_error(&ctx, f[C_MALLAR], "mappen \"%s\" finns inte", c->templates_dir);
      lr_diag_hint(ctx.diags, d, "ta bort \"mallar\" för att använda de inbyggda mallarna");
      ok = false;
    } else if (!real || (strcmp(real, p->real_root) != 0 && !lr_path_is_inside(real, p->real_root))) {
      /* Templates are read into every report: like the project's other
       * files they must be its own, not whatever a link points at. */
      lr_diag *d = lr_ctx_error(&ctx, f[C_MALLAR], "mallmappen \"%s\" ligger utanför projektmappen",
                                c->templates_dir);
      lr_diag_hint(ctx.diags, d, "lägg mallarna i en mapp i projektet, t.ex. mallar: mallar");
      ok = false;
    }
  }
  return ok;
}

bool lr_config_load(lr_project *p, const char *dir) {
  if (dir) {
    if (!lr_path_is_file(lr_path_join(p->arena, dir, "lagesrapport.yaml"))) {
      lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){dir, 0, 0},
                               "hittar ingen lagesrapport.yaml här");
      lr_diag_hint(&p->diags, d, "ange projektmappen med -C, t.ex. -C data/jonkoping");
      return false;
    }
  } else {
    dir = find_upwards(p->arena);
    if (!dir) {
      lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0},
                               "hittar ingen lagesrapport.yaml i den här mappen eller någon mapp ovanför");
      lr_diag_hint(&p->diags, d, "gå till projektmappen eller ange den med -C MAPP");
      return false;
    }
  }
  return read_config(p, dir, true);
}
