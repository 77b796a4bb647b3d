/* The strict schema shared by every file: mappings accept only known keys,
 * values must have the type the format says, and each refusal names the
 * place and what would be right. */
#include "yaml/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

lr_loc lr_ctx_loc(const lr_ctx *ctx, const lr_node *node) {
  lr_loc loc = {ctx->source ? ctx->source->path : NULL, 0, 0};
  if (node) {
    loc.line = node->line;
    loc.column = node->column;
  }
  return loc;
}

static lr_diag *vreport(const lr_ctx *ctx, lr_severity sev, const lr_node *node,
                        const char *fmt, va_list ap) {
  char small[512];
  vsnprintf(small, sizeof small, fmt, ap);
  lr_diag *d = lr_diag_add(ctx->diags, sev, lr_ctx_loc(ctx, node), "%s", small);
  if (node) d->source_line = lr_source_line(ctx->arena, ctx->source, node->line);
  return d;
}

lr_diag *lr_ctx_error(const lr_ctx *ctx, const lr_node *node, const char *fmt,
                      ...) {
  va_list ap;
  va_start(ap, fmt);
  lr_diag *d = vreport(ctx, LR_ERROR, node, fmt, ap);
  va_end(ap);
  return d;
}

lr_diag *lr_ctx_warning(const lr_ctx *ctx, const lr_node *node,
                        const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lr_diag *d = vreport(ctx, LR_WARNING, node, fmt, ap);
  va_end(ap);
  return d;
}

const char *lr_node_kind_name(const lr_node *node) {
  if (!node) return "ingenting";
  switch (node->kind) {
  case LR_NODE_SEQUENCE: return "en lista";
  case LR_NODE_MAPPING: return "en mappning (nycklar med värden)";
  case LR_NODE_SCALAR: break;
  }
  if (node->is_null) return "ett tomt värde";
  return node->plain ? "ett värde" : "text inom citattecken";
}

/* Words people reach for that the format spells differently. */
static const char *synonym(const char *key, const char *const *keys) {
  static const struct { const char *typed, *meant; } table[] = {
      {"delmål", "mål"}, {"delmal", "mål"}, {"mal", "mål"},
      {"aktivitet", "aktiviteter"}, {"namn", "rubrik"}, {"rubrik", "namn"},
      {"email", "epost"}, {"e-post", "epost"}, {"mail", "epost"},
      {"aktörer", "aktör"}, {"partner", "samverkan"}, {"partners", "samverkan"},
      {"beskrivningen", "beskrivning"}, {"område", "områden"},
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    if (strcmp(key, table[i].typed) != 0) continue;
    for (size_t k = 0; keys[k]; k++)
      if (strcmp(keys[k], table[i].meant) == 0) return keys[k];
  }
  return NULL;
}

bool lr_ctx_fields(const lr_ctx *ctx, const lr_node *node,
                   const char *const *keys, const lr_node **slots,
                   const char *what) {
  size_t nkeys = 0;
  while (keys[nkeys]) slots[nkeys++] = NULL;
  if (!node || node->kind != LR_NODE_MAPPING) {
    lr_diag *d = lr_ctx_error(ctx, node, "%s ska vara en mappning med nycklar, inte %s",
                              what, lr_node_kind_name(node));
    lr_diag_hint(ctx->diags, d, "skriv \"nyckel: värde\" på var sin rad, t.ex. \"%s: …\"",
                 keys[0]);
    return false;
  }
  /* A misspelt key ("nman") stands in for the key it resembles, if that
   * is not there too: the file already fails on the misspelling, and the
   * reader is spared a second error ("namn" saknas) for the same slip,
   * while its value is still checked. */
  const lr_node **misspelt = lr_arena_array(ctx->arena, nkeys ? nkeys : 1, sizeof *misspelt);
  for (size_t i = 0; i + 1 < node->count; i += 2) {
    const lr_node *key = node->items[i];
    if (key->kind != LR_NODE_SCALAR) continue; /* reported by the parser */
    size_t k = 0;
    while (keys[k] && strcmp(keys[k], key->text) != 0) k++;
    if (keys[k]) {
      slots[k] = node->items[i + 1];
      continue;
    }
    const char *guess = lr_suggest(key->text, keys, nkeys);
    for (size_t j = 0; guess && j < nkeys; j++)
      if (keys[j] == guess && !misspelt[j]) misspelt[j] = node->items[i + 1];
    if (!guess) guess = synonym(key->text, keys);
    lr_diag *d;
    if (guess) {
      d = lr_ctx_error(ctx, key, "okänd nyckel \"%s\" — menade du \"%s\"?",
                       key->text, guess);
    } else {
      d = lr_ctx_error(ctx, key, "okänd nyckel \"%s\" i %s", key->text, what);
    }
    lr_buf allowed = {0};
    for (size_t j = 0; j < nkeys; j++)
      lr_buf_printf(&allowed, "%s%s", j ? ", " : "", keys[j]);
    lr_diag_hint(ctx->diags, d, "tillåtna nycklar här: %s", lr_buf_cstr(&allowed));
    lr_buf_free(&allowed);
  }
  for (size_t j = 0; j < nkeys; j++)
    if (!slots[j]) slots[j] = misspelt[j];
  return true;
}

bool lr_ctx_require(const lr_ctx *ctx, const lr_node *map, const lr_node *value,
                    const char *key) {
  if (value && !(value->kind == LR_NODE_SCALAR && value->is_null)) return true;
  if (value) {
    lr_diag *d = lr_ctx_error(ctx, value, "\"%s\" saknar värde", key);
    lr_diag_hint(ctx->diags, d, "fyll i ett värde efter \"%s:\"", key);
  } else {
    lr_diag *d = lr_ctx_error(ctx, map, "nyckeln \"%s\" saknas", key);
    lr_diag_hint(ctx->diags, d, "lägg till \"%s: …\"", key);
  }
  return false;
}

static bool absent(const lr_node *node) {
  return !node || (node->kind == LR_NODE_SCALAR && node->is_null);
}

static bool want_scalar(const lr_ctx *ctx, const lr_node *node, const char *key,
                        const char *expected) {
  if (node->kind == LR_NODE_SCALAR) return true;
  lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" ska vara %s, inte %s", key,
                            expected, lr_node_kind_name(node));
  if (node->kind == LR_NODE_SEQUENCE)
    lr_diag_hint(ctx->diags, d, "skriv ett enda värde efter \"%s:\"", key);
  return false;
}

/* Control characters would corrupt a report, a table row or a mail header;
 * newline and tab are allowed only where `multiline`. */
/* Eight bytes with none below 0x20 and no 0x7F: the common case, tested
 * a word at a time since every description of a national year passes. */
static bool plain_word(const unsigned char *p) {
  const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  uint64_t w, del;
  memcpy(&w, p, 8);
  del = w ^ (0x7F * ones);
  return ((((w - 0x20 * ones) & ~w) | ((del - ones) & ~del)) & highs) == 0;
}

static bool check_controls(const lr_ctx *ctx, const lr_node *node, const char *key,
                           const char *s, size_t len, bool multiline) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  for (; *p; p++) {
    while (end - p >= 8 && plain_word(p)) p += 8;
    if (!*p) break;
    if (*p >= 0x20 && *p != 0x7F) continue;
    if (multiline && (*p == '\n' || *p == '\t')) continue;
    if (*p == '\n' || *p == '\r') {
      lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" får bara vara en rad", key);
      lr_diag_hint(ctx->diags, d, "skriv värdet på en rad, utan radbrytningar");
    } else {
      lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" innehåller ett kontrolltecken (0x%02X)", key, *p);
      lr_diag_hint(ctx->diags, d, "ta bort tecknet");
    }
    return false;
  }
  return true;
}

bool lr_ctx_line(const lr_ctx *ctx, const lr_node *node, const char *key,
                 const char **out) {
  if (absent(node)) return true;
  if (!want_scalar(ctx, node, key, "en text")) return false;
  /* A folded block scalar ends in a newline; that is not a second line. */
  size_t n = node->len;
  while (n && (node->text[n - 1] == '\n' || node->text[n - 1] == ' ')) n--;
  const char *s = n == node->len ? node->text : lr_arena_strndup(ctx->arena, node->text, n);
  if (!check_controls(ctx, node, key, s, n, false)) return false;
  *out = s;
  return true;
}

bool lr_ctx_text(const lr_ctx *ctx, const lr_node *node, const char *key,
                 const char **out) {
  if (absent(node)) return true;
  if (!want_scalar(ctx, node, key, "en text")) return false;
  /* Outside double quotes the text holds no control character but line
   * breaks and tabs, which are allowed here: libyaml refuses the rest, and
   * reads every line break as \n. This skips the scan of every
   * description of a national year. */
  if (node->escaped && !check_controls(ctx, node, key, node->text, node->len, true)) return false;
  if (node->len > LR_PROSE_MAX) {
    lr_diag *d = lr_ctx_warning(ctx, node, "\"%s\" är %zu kB; rapporterna visar de första %d kB",
                                key, node->len / 1024, LR_PROSE_MAX / 1024);
    lr_diag_hint(ctx->diags, d, "korta texten eller dela upp den på flera aktiviteter");
  }
  *out = node->text;
  return true;
}

bool lr_ctx_int(const lr_ctx *ctx, const lr_node *node, const char *key,
                long *out) {
  if (absent(node)) return true;
  if (!want_scalar(ctx, node, key, "ett heltal")) return false;
  const char *s = node->text;
  bool digits = *s != '\0';
  for (const char *p = (*s == '-' || *s == '+') ? s + 1 : s; *p; p++)
    if (*p < '0' || *p > '9') digits = false;
  if (s[0] == '-' || s[0] == '+') digits = digits && s[1];
  if (!digits || node->len > 9) {
    lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" ska vara ett heltal, inte \"%s\"",
                              key, s);
    lr_diag_hint(ctx->diags, d, "skriv bara siffror, t.ex. \"%s: 2022\"", key);
    return false;
  }
  if (!node->plain) {
    lr_diag *d = lr_ctx_error(ctx, node,
                              "\"%s\" ska vara ett heltal, inte text inom citattecken",
                              key);
    lr_diag_hint(ctx->diags, d, "ta bort citattecknen: %s: %s", key, s);
    return false;
  }
  *out = strtol(s, NULL, 10);
  return true;
}

bool lr_ctx_bool(const lr_ctx *ctx, const lr_node *node, const char *key,
                 bool *out) {
  if (absent(node)) return true;
  if (!want_scalar(ctx, node, key, "true eller false")) return false;
  static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
  static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
  if (node->plain) {
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
      if (strcmp(node->text, yes[i]) == 0) return *out = true, true;
      if (strcmp(node->text, no[i]) == 0) return *out = false, true;
    }
  }
  lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" ska vara true eller false, inte \"%s\"",
                            key, node->text);
  lr_diag_hint(ctx->diags, d, "skriv %s: true (utan citattecken)", key);
  return false;
}

bool lr_ctx_date(const lr_ctx *ctx, const lr_node *node, const char *key,
                 lr_date *out) {
  if (absent(node)) return true;
  if (!want_scalar(ctx, node, key, "ett datum")) return false;
  const char *s = node->text;
  int y = 0, m = 0, d = 0;
  bool shape = node->len == 10 && s[4] == '-' && s[7] == '-';
  for (int i = 0; shape && i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) shape = false;
  if (shape) {
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
  }
  bool valid = shape && y >= 1900 && lr_date_is_valid(y, m, d);
  if (!valid) {
    lr_diag *e = lr_ctx_error(ctx, node, "\"%s\" ska vara ett datum ÅÅÅÅ-MM-DD, inte \"%s\"",
                              key, s);
    lr_diag_hint(ctx->diags, e, "t.ex. %s: 2023-02-14", key);
    return false;
  }
  out->year = y;
  out->month = m;
  out->day = d;
  return true;
}

bool lr_ctx_sequence(const lr_ctx *ctx, const lr_node *node, const char *key) {
  if (absent(node) || node->kind == LR_NODE_SEQUENCE) return true;
  lr_diag *d = lr_ctx_error(ctx, node, "\"%s\" ska vara en lista, inte %s", key,
                            lr_node_kind_name(node));
  lr_diag_hint(ctx->diags, d, "skriv varje post på en egen rad som börjar med \"- \"");
  return false;
}

bool lr_ctx_scalars(const lr_ctx *ctx, const lr_node *node, const char *key,
                    const lr_node ***out, size_t *count) {
  *count = 0;
  if (absent(node)) return true;
  if (node->kind == LR_NODE_SCALAR) {
    const lr_node **one = lr_arena_alloc(ctx->arena, sizeof *one);
    one[0] = node;
    *out = one;
    *count = 1;
    return true;
  }
  if (!lr_ctx_sequence(ctx, node, key)) return false;
  const lr_node **items = lr_arena_array(ctx->arena, node->count ? node->count : 1,
                                         sizeof *items);
  size_t n = 0;
  bool ok = true;
  for (size_t i = 0; i < node->count; i++) {
    const lr_node *item = node->items[i];
    if (item->kind != LR_NODE_SCALAR || item->is_null) {
      lr_diag *d = lr_ctx_error(ctx, item, "varje post i \"%s\" ska vara ett id, inte %s",
                                key, lr_node_kind_name(item));
      lr_diag_hint(ctx->diags, d, "t.ex. %s: [\"1:1\", \"1:2\"]", key);
      ok = false;
      continue;
    }
    items[n++] = item;
  }
  *out = items;
  *count = n;
  return ok;
}

/* The column of byte `offset` of node's text, when the file has the text
 * as it is on the node's line (a plain or quoted scalar without escapes);
 * otherwise the node's own column. */
static int column_of(const lr_ctx *ctx, const lr_node *node, size_t offset) {
  const char *line = lr_source_line(ctx->arena, ctx->source, node->line);
  if (!line || node->column < 1) return node->column;
  size_t at = 0, n = strlen(line);
  for (int chars = 1; chars < node->column && at < n; chars++) {
    size_t len;
    lr_char_decode(line + at, n - at, &len);
    at += len;
  }
  if (n - at < offset || memcmp(line + at, node->text, offset) != 0) return node->column;
  int column = node->column;
  for (size_t i = 0, len; i < offset; i += len, column++) lr_char_decode(node->text + i, offset - i, &len);
  return column;
}

bool lr_ctx_visible_id(const lr_ctx *ctx, const lr_node *node, const char *key) {
  uint32_t c;
  const char *at = lr_id_find_hidden(node->text, node->len, &c);
  if (!at) return true;
  lr_node place = *node;
  place.column = column_of(ctx, node, (size_t)(at - node->text));
  const char *what = lr_char_describe(ctx->arena, c);
  if (lr_char_is_other_space(c)) {
    lr_diag *d = lr_ctx_error(ctx, &place, "%s \"%s\" innehåller ett annat mellanslag än det vanliga (%s)",
                              key, node->text, what);
    lr_diag_hint(ctx->diags, d, "skriv ett vanligt mellanslag i stället, eller inget; "
                                "med det blir det ett annat id än det som syns");
    return false;
  }
  lr_diag *d = lr_ctx_error(ctx, &place, "%s \"%s\" innehåller ett tecken som inte syns (%s)", key,
                            node->text, what);
  const char *seen = lr_id_without_hidden(ctx->arena, node->text, node->len);
  if (*seen)
    lr_diag_hint(ctx->diags, d,
                 "skriv \"%s\" utan tecknet; med det blir det ett annat id än det som syns", seen);
  else
    lr_diag_hint(ctx->diags, d, "ett id får bara innehålla tecken som syns");
  return false;
}

bool lr_ctx_id(const lr_ctx *ctx, const lr_node *node, const char *key, const char **out) {
  const char *s = NULL;
  if (!lr_ctx_line(ctx, node, key, &s)) return false;
  if (s && !lr_ctx_visible_id(ctx, node, key)) return false;
  if (s) *out = s;
  return true;
}

bool lr_ctx_ids(const lr_ctx *ctx, const lr_node *node, const char *key, const lr_node ***out,
                size_t *count) {
  const lr_node **items = NULL;
  bool ok = lr_ctx_scalars(ctx, node, key, &items, count);
  size_t kept = 0;
  for (size_t i = 0; i < *count; i++)
    if (lr_ctx_visible_id(ctx, items[i], key)) items[kept++] = items[i];
    else ok = false;
  *count = kept;
  *out = items;
  return ok;
}

bool lr_ctx_glued_comment(const lr_ctx *ctx, const lr_node *node) {
  if (node->kind != LR_NODE_SCALAR || !node->plain || node->len < 2) return false;
  const char *hash = node->text;
  while ((hash = strchr(hash + 1, '#')) && hash[-1] == ' ') {}
  if (!hash) return false;
  size_t before = (size_t)(hash - node->text);
  lr_node place = *node;
  place.column = column_of(ctx, node, before);
  lr_diag *d = lr_ctx_error(ctx, &place, "\"#\" direkt efter text blir en del av värdet \"%s\"",
                            node->text);
  lr_diag_hint(ctx->diags, d, "en kommentar behöver ett mellanslag före \"#\": %.*s #%s",
               (int)before, node->text, hash + 1);
  return true;
}

int lr_ctx_enum(const lr_ctx *ctx, const lr_node *node, const char *key,
                const char *const *names, const char *what) {
  if (!want_scalar(ctx, node, key, what)) return -1;
  size_t n = 0;
  for (; names[n]; n++)
    if (strcmp(names[n], node->text) == 0) return (int)n;
  if (lr_ctx_glued_comment(ctx, node)) return -1;
  const char *guess = lr_suggest(node->text, names, n);
  lr_diag *d = guess ? lr_ctx_error(ctx, node, "okänd %s \"%s\" — menade du \"%s\"?",
                                    what, node->text, guess)
                     : lr_ctx_error(ctx, node, "okänd %s \"%s\"", what, node->text);
  lr_buf allowed = {0};
  for (size_t j = 0; j < n; j++) lr_buf_printf(&allowed, "%s%s", j ? ", " : "", names[j]);
  lr_diag_hint(ctx->diags, d, "möjliga värden: %s", lr_buf_cstr(&allowed));
  lr_buf_free(&allowed);
  return -1;
}
