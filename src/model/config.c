/* lagesrapport.yaml: finding the project as git finds a repository (-C DIR,
 * else the nearest config upwards) and reading its settings. */
#include "model/model.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_UPWARD = 64 };

static const char *const CONFIG_KEYS[] = {
    "region", "strategi", "aktörer", "utdata", "avsändare", "smtp", "mallar",
    "projekt", "logotyp", "sidfot", "svara senast", NULL};
enum { C_REGION, C_STRATEGI, C_AKTORER, C_UTDATA, C_AVSANDARE, C_SMTP, C_MALLAR, C_PROJEKT,
       C_LOGOTYP, C_SIDFOT, C_SVARA_SENAST, C_KEY_COUNT };

/* A logo goes into every page and every mail that carries one: small. */
enum { LOGO_MAX = 256 * 1024, FOOTER_MAX = 120 };

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
  lr_mailbox sender;
  if (!lr_mailbox_parse(ctx->arena, c->sender, &sender)) {
    lr_diag *d = lr_ctx_error(ctx, node, "ogiltig avsändare \"%s\"", c->sender);
    lr_diag_hint(ctx->diags, d,
                 "skriv t.ex. avsändare: \"Länsstyrelsen i X län <kvinnofrid@lansstyrelsen.example>\"");
    return false;
  }
  c->sender_name = sender.name;
  c->sender_address = sender.address;
  return true;
}

static const char *const SMTP_KEYS[] = {"server", "användare", "ca", "tokenkommando",
                                        "lösenordskommando", NULL};
enum { S_SERVER, S_ANVANDARE, S_CA, S_TOKEN, S_PASSWORD };

/* A command is checked where it is written, though it only runs with
 * `mail --send`: a quoting mistake is found by `check`, not by the run. */
static bool read_command(const lr_ctx *ctx, const lr_node *node, const char *key,
                         const char **out) {
  if (!lr_ctx_line(ctx, node, key, out)) return false;
  if (!*out) return true;
  const char **words;
  size_t count;
  const char *problem;
  if (lr_command_split(ctx->arena, *out, &words, &count, &problem)) return true;
  lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" går inte att tolka: %s", key, problem);
  lr_diag_hint(ctx->diags, d, "kommandot körs utan skal; citera med '…' eller \"…\"");
  return false;
}

/* smtp: is the server's URL, or a mapping with the URL and the login and
 * trust that go with it. Never a password: only a command that prints one. */
static bool read_url(const lr_ctx *ctx, const lr_node *node, const char *key, lr_config *c) {
  if (!lr_ctx_line(ctx, node, key, &c->smtp_url)) return false;
  if (!c->smtp_url || strncmp(c->smtp_url, "smtp://", 7) == 0 ||
      strncmp(c->smtp_url, "smtps://", 8) == 0)
    return true;
  lr_diag *d = lr_ctx_error(ctx, node, "smtp-adressen ska börja med smtp:// eller smtps://");
  lr_diag_hint(ctx->diags, d, "t.ex. %s: smtps://smtp.lansstyrelsen.example:465", key);
  return false;
}

static bool read_smtp(const lr_ctx *ctx, const lr_node *node, lr_config *c) {
  if (!node || node->kind == LR_NODE_SCALAR) return read_url(ctx, node, "smtp", c);
  const lr_node *f[5];
  if (!lr_ctx_fields(ctx, node, SMTP_KEYS, f, "smtp")) return false;
  const char *ca = NULL;
  bool ok = read_url(ctx, f[S_SERVER], "server", c);
  ok &= lr_ctx_line(ctx, f[S_ANVANDARE], "användare", &c->smtp_user);
  ok &= lr_ctx_line(ctx, f[S_CA], "ca", &ca);
  ok &= read_command(ctx, f[S_TOKEN], "tokenkommando", &c->smtp_token_command);
  ok &= read_command(ctx, f[S_PASSWORD], "lösenordskommando", &c->smtp_password_command);
  if (ca) c->smtp_ca = lr_path_join(ctx->arena, c->root, ca);
  if (c->smtp_token_command && c->smtp_password_command) {
    lr_diag *d = lr_ctx_error(ctx, f[S_PASSWORD],
                              "\"tokenkommando\" och \"lösenordskommando\" kan inte stå tillsammans");
    lr_diag_hint(ctx->diags, d, "logga in antingen med en token (OAuth2) eller med ett lösenord");
    ok = false;
  }
  if (c->smtp_password_command && !c->smtp_user) {
    lr_diag *d = lr_ctx_error(ctx, f[S_PASSWORD],
                              "\"lösenordskommando\" behöver \"användare\" bredvid sig");
    lr_diag_hint(ctx->diags, d, "lägg till t.ex. användare: kvinnofrid@lansstyrelsen.example");
    ok = false;
  }
  return ok;
}

/* The characters (not bytes) of a UTF-8 text. */
static size_t characters(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Up to max bytes of a file, NUL-terminated; NULL when it cannot be read. */
static unsigned char *read_at_most(lr_arena *arena, const char *path, size_t max, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *data = lr_arena_alloc(arena, max + 1);
  *size = fread(data, 1, max, f);
  bool ok = !ferror(f);
  fclose(f);
  return ok ? data : NULL;
}

/* An SVG file is XML whose root element is <svg>: what may come before it
 * is a BOM, an XML declaration, comments, a doctype and white space. */
static bool is_svg(const unsigned char *data, size_t size) {
  const char *s = (const char *)data, *end = s + size;
  if (size >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
  if (!lr_utf8_valid(s, (size_t)(end - s), NULL)) return false;
  for (;;) {
    while (s < end && strchr(" \t\r\n", *s)) s++;
    const char *close = NULL;
    if (end - s >= 2 && memcmp(s, "<?", 2) == 0) close = "?>";
    else if (end - s >= 4 && memcmp(s, "<!--", 4) == 0) close = "-->";
    else if (end - s >= 2 && memcmp(s, "<!", 2) == 0) close = ">";
    if (!close) break;
    const char *found = strstr(s + 2, close); /* the data ends in a NUL */
    if (!found) return false;
    s = found + strlen(close);
  }
  return end - s > 5 && memcmp(s, "<svg", 4) == 0 && s[4] && strchr(" \t\r\n>", s[4]);
}

/* logotyp: a PNG or SVG file of the project, read whole and checked by its
 * content, not its name, since it is put into every published page. */
static bool read_logo(lr_project *p, const lr_ctx *ctx, const lr_node *node, const char *dir,
                      const char *name) {
  lr_config *c = &p->config;
  const char *path = lr_path_join(ctx->arena, dir, name);
  const char *real = lr_path_real(ctx->arena, path);
  if (!real || !lr_path_is_file(path)) {
    lr_diag *d = lr_ctx_error(ctx, node, "logotypen \"%s\" finns inte", path);
    lr_diag_hint(ctx->diags, d, "logotypen anges relativt till lagesrapport.yaml, t.ex. logotyp: logotyp.svg");
    return false;
  }
  if (!lr_path_is_inside(real, p->real_root)) {
    lr_diag *d = lr_ctx_error(ctx, node, "logotypen \"%s\" ligger utanför projektmappen", path);
    lr_diag_hint(ctx->diags, d, "kopiera bilden till projektmappen");
    return false;
  }
  size_t size = 0;
  unsigned char *data = read_at_most(ctx->arena, path, LOGO_MAX + 1, &size);
  if (!data) {
    lr_diag *d = lr_ctx_error(ctx, node, "kan inte läsa logotypen \"%s\"", path);
    lr_diag_hint(ctx->diags, d, "kontrollera att du har läsrätt till filen");
    return false;
  }
  if (size > LOGO_MAX) {
    lr_diag *d = lr_ctx_error(ctx, node, "logotypen \"%s\" är större än %d kB", path, LOGO_MAX / 1024);
    lr_diag_hint(ctx->diags, d, "spara en mindre bild; en logotyp behöver sällan mer än 50 kB");
    return false;
  }
  static const unsigned char PNG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (size > 8 && memcmp(data, PNG, 8) == 0) c->logo_type = "image/png";
  else if (is_svg(data, size)) c->logo_type = "image/svg+xml";
  else {
    lr_diag *d = lr_ctx_error(ctx, node, "logotypen \"%s\" är varken en PNG- eller en SVG-bild", path);
    lr_diag_hint(ctx->diags, d, "spara logotypen som PNG eller SVG");
    return false;
  }
  c->logo = data;
  c->logo_size = size;
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
  const lr_node *f[C_KEY_COUNT];
  if (!lr_ctx_fields(&ctx, doc->root, CONFIG_KEYS, f, "projektfilen")) return false;

  if (f[C_PROJEKT]) {
    const char *target = NULL;
    bool others = false;
    for (int i = 0; i < C_KEY_COUNT; i++) others = others || (i != C_PROJEKT && f[i]);
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
  ok &= read_smtp(&ctx, f[C_SMTP], c);
  ok &= lr_ctx_line(&ctx, f[C_MALLAR], "mallar", &templates);
  const char *logo = NULL;
  if (!lr_ctx_line(&ctx, f[C_LOGOTYP], "logotyp", &logo)) ok = false;
  else if (logo) ok &= read_logo(p, &ctx, f[C_LOGOTYP], dir, logo);
  if (!lr_ctx_line(&ctx, f[C_SIDFOT], "sidfot", &c->footer)) {
    ok = false;
  } else if (c->footer && characters(c->footer) > FOOTER_MAX) {
    lr_diag *d = lr_ctx_error(&ctx, f[C_SIDFOT], "sidfoten är längre än %d tecken", FOOTER_MAX);
    lr_diag_hint(ctx.diags, d, "sidfoten står på varje utskriven sida; korta den till en rad");
    ok = false;
  }
  if (f[C_SVARA_SENAST]) {
    ok &= lr_ctx_date(&ctx, f[C_SVARA_SENAST], "svara senast", &c->reply_by);
    c->reply_by_loc = (lr_loc){path, f[C_SVARA_SENAST]->line, f[C_SVARA_SENAST]->column};
  }
  if (lr_ctx_line(&ctx, f[C_AVSANDARE], "avsändare", &c->sender) && c->sender)
    ok &= parse_sender(&ctx, f[C_AVSANDARE], c);
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
