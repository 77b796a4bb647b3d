/* Shared indicators (länsgemensamma indikatorer): the figures declared in
 * strategi.yaml that actors of some types send every year, their values in
 * the statements, and the county's totals that every output reads. */
#include "model/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const INDICATOR_KEYS[] = {"id", "namn", "enhet", "högre-är-bättre",
                                             "rapporteras-av", "beskrivning", NULL};
enum { I_ID, I_NAMN, I_ENHET, I_HOGRE, I_RAPPORTERAS, I_BESKRIVNING, I_COUNT };
static const char *const VALUE_KEYS[] = {"värde", "enhet", "kommentar", NULL};
enum { V_VARDE, V_ENHET, V_KOMMENTAR, V_COUNT };

bool lr_indicator_is_share(const lr_indicator *ind) {
  return strcmp(ind->unit, "procent") == 0 || strcmp(ind->unit, "%") == 0;
}

/* Units that count whole things: a case, a night, a person is never 12.5. */
bool lr_indicator_is_count(const lr_indicator *ind) {
  return strcmp(ind->unit, "antal") == 0 || strcmp(ind->unit, "st") == 0 ||
         strcmp(ind->unit, "stycken") == 0;
}

static bool same_unit(const char *declared, const char *written) {
  if (strcmp(declared, written) == 0) return true;
  bool a = strcmp(declared, "procent") == 0 || strcmp(declared, "%") == 0;
  bool b = strcmp(written, "procent") == 0 || strcmp(written, "%") == 0;
  return a && b;
}

/* ---- strategi.yaml ------------------------------------------------------ */

static void load_reporters(const lr_ctx *ctx, const lr_node *map, const lr_node *node,
                           lr_indicator *ind) {
  if (!lr_ctx_require(ctx, map, node, "rapporteras-av")) return;
  const lr_node **items;
  size_t n;
  if (!lr_ctx_scalars(ctx, node, "rapporteras-av", &items, &n)) return;
  /* An actor type, or an actor of the registry by its id: the women's
   * shelters are a few of the county's civil-society organisations. The
   * registry is read after the strategy, so ids are checked later
   * (lr_indicators_check_reporters). */
  ind->reporter_ids = lr_arena_array(ctx->arena, n ? n : 1, sizeof *ind->reporter_ids);
  ind->reporter_locs = lr_arena_array(ctx->arena, n ? n : 1, sizeof *ind->reporter_locs);
  for (size_t i = 0; i < n; i++) {
    int t = -1;
    for (int k = 0; k < LR_ACTOR_TYPE_COUNT && t < 0; k++)
      if (strcmp(items[i]->text, lr_actor_type_tokens[k]) == 0) t = k;
    if (t >= 0) {
      ind->reported_by[t] = true;
    } else if (lr_ctx_visible_id(ctx, items[i], "rapporteras-av")) {
      ind->reporter_locs[ind->reporter_id_count] = lr_ctx_loc(ctx, items[i]);
      ind->reporter_ids[ind->reporter_id_count++] = lr_arena_strdup(ctx->arena, items[i]->text);
    }
  }
  if (n == 0) {
    lr_diag *d = lr_ctx_error(ctx, node, "indikatorn \"%s\" rapporteras inte av någon", ind->id);
    lr_diag_hint(ctx->diags, d, "ange aktörstyperna som ska rapportera den, t.ex. rapporteras-av: [kommun]");
  }
}

void lr_indicators_load(const lr_ctx *ctx, lr_project *p, const lr_node *list) {
  lr_strategy *st = &p->strategy;
  if (!list || !lr_ctx_sequence(ctx, list, "indikatorer") || list->kind != LR_NODE_SEQUENCE) return;
  size_t n = list->count ? list->count : 1;
  st->indicators = lr_arena_array(ctx->arena, n, sizeof *st->indicators);
  const char **seen = lr_arena_array(ctx->arena, n, sizeof *seen);
  int *seen_lines = lr_arena_array(ctx->arena, n, sizeof *seen_lines);
  for (size_t i = 0; i < list->count; i++) {
    const lr_node *item = list->items[i];
    const lr_node *f[I_COUNT];
    if (!lr_ctx_fields(ctx, item, INDICATOR_KEYS, f, "indikatorn")) continue;
    /* Read apart and copied whole into the next free slot. As with goals,
     * only a missing, malformed or repeated id keeps an indicator out: with
     * a bad name or unit it still registers, so that the statements that
     * report it are checked rather than told it is unknown. */
    lr_indicator read = {.loc = lr_ctx_loc(ctx, item), .higher_is_better = true, .unit = ""};
    bool usable = lr_ctx_require(ctx, item, f[I_ID], "id") && lr_ctx_id(ctx, f[I_ID], "id", &read.id) && read.id;
    if (usable && !lr_activity_id_valid(read.id)) {
      usable = false;
      lr_diag *d = lr_ctx_error(ctx, f[I_ID], "id \"%s\" får bara innehålla små bokstäver a–z, siffror och enkla bindestreck", read.id);
      const char *slug = lr_activity_slug(ctx->arena, read.id);
      lr_diag_hint(ctx->diags, d, "skriv t.ex. id: %s", *slug ? slug : "skyddat-boende");
    }
    if (lr_ctx_require(ctx, item, f[I_NAMN], "namn")) lr_ctx_line(ctx, f[I_NAMN], "namn", &read.name);
    if (lr_ctx_require(ctx, item, f[I_ENHET], "enhet") && lr_ctx_line(ctx, f[I_ENHET], "enhet", &read.unit) &&
        read.unit && !*read.unit) {
      lr_diag *d = lr_ctx_error(ctx, f[I_ENHET], "enheten får inte vara tom");
      lr_diag_hint(ctx->diags, d, "skriv t.ex. enhet: antal eller enhet: procent");
    }
    lr_ctx_bool(ctx, f[I_HOGRE], "högre-är-bättre", &read.higher_is_better);
    lr_ctx_text(ctx, f[I_BESKRIVNING], "beskrivning", &read.description);
    if (read.id) load_reporters(ctx, item, f[I_RAPPORTERAS], &read);
    /* Ids are compared with every earlier declaration, kept or not, so
     * that a second "arenden" is reported even when the first had errors. */
    for (size_t k = 0; read.id && k < i; k++) {
      if (!seen[k] || strcmp(seen[k], read.id) != 0) continue;
      lr_diag *d = lr_ctx_error(ctx, f[I_ID], "indikatorn \"%s\" finns redan", read.id);
      lr_diag_hint(ctx->diags, d, "första gången på rad %d; varje indikator behöver ett eget id", seen_lines[k]);
      usable = false;
      break;
    }
    seen[i] = read.id;
    seen_lines[i] = read.loc.line;
    if (!usable) continue;
    if (!read.name) read.name = read.id;
    read.index = st->indicator_count;
    st->indicators[st->indicator_count++] = read;
  }
}

void lr_indicators_check_reporters(lr_project *p) {
  const lr_strategy *st = &p->strategy;
  size_t n = LR_ACTOR_TYPE_COUNT + p->actor_count;
  const char **names = lr_arena_array(p->arena, n, sizeof *names);
  for (int k = 0; k < LR_ACTOR_TYPE_COUNT; k++) names[k] = lr_actor_type_tokens[k];
  for (size_t k = 0; k < p->actor_count; k++) names[LR_ACTOR_TYPE_COUNT + k] = p->actors[k].id;
  for (size_t i = 0; i < st->indicator_count; i++) {
    const lr_indicator *ind = &st->indicators[i];
    for (size_t k = 0; k < ind->reporter_id_count; k++) {
      const char *id = ind->reporter_ids[k];
      if (lr_index_get(&p->actor_ids, id)) continue;
      const char *guess = lr_suggest(id, names, n);
      lr_diag *d = guess ? lr_diag_add(&p->diags, LR_ERROR, ind->reporter_locs[k],
                                       "\"%s\" är varken en aktörstyp eller en aktör — menade du \"%s\"?", id, guess)
                         : lr_diag_add(&p->diags, LR_ERROR, ind->reporter_locs[k],
                                       "\"%s\" är varken en aktörstyp eller en aktör", id);
      lr_diag_hint(&p->diags, d, "ange en aktörstyp (%s, %s, %s, %s, %s, %s) eller id för en aktör i %s",
                   names[0], names[1], names[2], names[3], names[4], names[5], p->config.actors_path);
    }
  }
}

bool lr_indicator_reported_by(const lr_indicator *ind, const lr_actor *actor) {
  if (ind->reported_by[actor->type]) return true;
  for (size_t k = 0; k < ind->reporter_id_count; k++)
    if (strcmp(ind->reporter_ids[k], actor->id) == 0) return true;
  return false;
}

/* "kommun, Kvinnojouren Sala": who should report it, for a message. */
static const char *reporters_text(lr_arena *arena, const lr_project *p, const lr_indicator *ind) {
  lr_buf b = {0};
  for (int t = 0; t < LR_ACTOR_TYPE_COUNT; t++)
    if (ind->reported_by[t]) lr_buf_printf(&b, "%s%s", b.len ? ", " : "", lr_actor_type_name((lr_actor_type)t));
  for (size_t k = 0; k < ind->reporter_id_count; k++) {
    const lr_actor *a = lr_index_get(&p->actor_ids, ind->reporter_ids[k]);
    lr_buf_printf(&b, "%s%s", b.len ? ", " : "", a ? a->name : ind->reporter_ids[k]);
  }
  const char *out = lr_arena_strdup(arena, b.data ? b.data : "");
  lr_buf_free(&b);
  return out;
}

/* ---- a statement's indikatorer: ----------------------------------------- */

const lr_indicator *lr_indicator_find(const lr_strategy *st, const char *id) {
  for (size_t i = 0; i < st->indicator_count; i++)
    if (strcmp(st->indicators[i].id, id) == 0) return &st->indicators[i];
  return NULL;
}

static void unknown_indicator(const lr_ctx *ctx, lr_project *p, const lr_node *key) {
  const lr_strategy *st = &p->strategy;
  const char **ids = lr_arena_array(ctx->arena, st->indicator_count + 1, sizeof *ids);
  for (size_t i = 0; i < st->indicator_count; i++) ids[i] = st->indicators[i].id;
  if (st->indicator_count == 0) {
    lr_diag *d = lr_ctx_error(ctx, key, "okänd indikator \"%s\": strategin har inga indikatorer", key->text);
    lr_diag_hint(ctx->diags, d, "indikatorerna deklareras under \"indikatorer:\" i %s", p->config.strategy_path);
    return;
  }
  const char *guess = lr_suggest(key->text, ids, st->indicator_count);
  lr_diag *d = guess ? lr_ctx_error(ctx, key, "okänd indikator \"%s\" — menade du \"%s\"?", key->text, guess)
                     : lr_ctx_error(ctx, key, "okänd indikator \"%s\"", key->text);
  lr_diag_hint_ids(ctx->diags, d, key->text, ids, st->indicator_count, "indikatorer", p->config.strategy_path);
}

/* A plain YAML number: digits with an optional sign and decimal point.
 * What people type instead (a decimal comma, a space between thousands,
 * a unit after the figure) gets a hint that shows the number as written. */
static bool read_number(const lr_ctx *ctx, const lr_node *node, const lr_indicator *ind, double *out) {
  if (node->kind != LR_NODE_SCALAR || node->is_null) {
    lr_diag *d = lr_ctx_error(ctx, node, "värdet för indikatorn \"%s\" ska vara ett tal, inte %s", ind->id,
                              node->kind == LR_NODE_SCALAR ? "tomt" : lr_node_kind_name(node));
    lr_diag_hint(ctx->diags, d, "skriv t.ex. %s: 12, eller %s: {värde: 12, kommentar: \"…\"}", ind->id, ind->id);
    return false;
  }
  const char *s = node->text;
  const char *q = s + (*s == '-' || *s == '+');
  size_t digits = 0, points = 0, commas = 0, spaces = 0, other = 0;
  for (const char *c = q; *c; c++) {
    if (*c >= '0' && *c <= '9') digits++;
    else if (*c == '.') points++;
    else if (*c == ',') commas++;
    else if (*c == ' ') spaces++;
    else other++;
  }
  if (digits && !other && node->plain && points <= 1 && !commas && !spaces && q[0] != '.' &&
      s[strlen(s) - 1] != '.') {
    *out = strtod(s, NULL);
  } else {
    lr_diag *d = lr_ctx_error(ctx, node, "värdet för indikatorn \"%s\" ska vara ett tal, inte \"%s\"", ind->id, s);
    if (digits && !other && commas == 1 && !points && !spaces)
      lr_diag_hint(ctx->diags, d, "skriv decimaltal med punkt: %s", lr_arena_printf(ctx->arena, "%.*s.%s", (int)(strchr(s, ',') - s), s, strchr(s, ',') + 1));
    else if (digits && !other && !commas && spaces && node->plain) {
      char *joined = lr_arena_strdup(ctx->arena, s), *w = joined;
      for (const char *c = s; *c; c++)
        if (*c != ' ') *w++ = *c;
      *w = '\0';
      lr_diag_hint(ctx->diags, d, "skriv talet utan mellanrum: %s", joined);
    } else if (digits && !node->plain)
      lr_diag_hint(ctx->diags, d, "ta bort citattecknen: %s: %s", ind->id, s);
    else
      lr_diag_hint(ctx->diags, d, "skriv bara siffror, i %s; en kommentar skrivs som %s: {värde: 12, kommentar: \"…\"}",
                   ind->unit, ind->id);
    return false;
  }
  if (*out < 0) {
    lr_diag *d = lr_ctx_error(ctx, node, "värdet för indikatorn \"%s\" kan inte vara negativt (%s)", ind->id, s);
    lr_diag_hint(ctx->diags, d, "ange det antal eller den andel som gäller för året, 0 om inget");
    return false;
  }
  if (lr_indicator_is_count(ind) && points) {
    lr_diag *d = lr_ctx_error(ctx, node, "indikatorn \"%s\" räknas i %s och kan inte ha decimaler (%s)", ind->id, ind->unit, s);
    lr_diag_hint(ctx->diags, d, "ange ett heltal");
    return false;
  }
  if (lr_indicator_is_share(ind) && *out > 100) {
    lr_diag *d = lr_ctx_error(ctx, node, "indikatorn \"%s\" är en andel i procent och kan inte vara över 100 (%s)", ind->id, s);
    lr_diag_hint(ctx->diags, d, "ange andelen som ett tal mellan 0 och 100");
    return false;
  }
  return true;
}

static bool load_value(const lr_ctx *ctx, const lr_node *node, const lr_indicator *ind,
                       lr_indicator_value *v) {
  if (node->kind != LR_NODE_MAPPING) return read_number(ctx, node, ind, &v->value);
  const lr_node *f[V_COUNT];
  if (!lr_ctx_fields(ctx, node, VALUE_KEYS, f, "indikatorvärdet")) return false;
  bool ok = lr_ctx_require(ctx, node, f[V_VARDE], "värde") && read_number(ctx, f[V_VARDE], ind, &v->value);
  const char *unit = NULL;
  if (lr_ctx_line(ctx, f[V_ENHET], "enhet", &unit) && unit && !same_unit(ind->unit, unit)) {
    lr_diag *d = lr_ctx_error(ctx, f[V_ENHET], "indikatorn \"%s\" anges i %s, inte i %s", ind->id, ind->unit, unit);
    lr_diag_hint(ctx->diags, d, "räkna om värdet till %s och skriv enhet: %s, eller ta bort enheten", ind->unit, ind->unit);
    ok = false;
  }
  ok &= lr_ctx_text(ctx, f[V_KOMMENTAR], "kommentar", &v->comment);
  if (v->comment && !*v->comment) v->comment = NULL;
  return ok;
}

/* Called once the statement's actor is known: whether its type should
 * report an indicator is a warning, not an error, since a figure sent by
 * someone else is still a figure. */
void lr_indicator_values_load(const lr_ctx *ctx, lr_project *p, const lr_node *map, lr_statement *s) {
  if (!map || (map->kind == LR_NODE_SCALAR && map->is_null)) return;
  if (map->kind != LR_NODE_MAPPING) {
    lr_diag *d = lr_ctx_error(ctx, map, "\"indikatorer\" ska vara id och värde, inte %s", lr_node_kind_name(map));
    lr_diag_hint(ctx->diags, d, "skriv en indikator per rad, t.ex. \"  anmalda-vald: 412\"");
    return;
  }
  size_t n = map->count / 2;
  s->indicator_values = lr_arena_array(ctx->arena, n ? n : 1, sizeof *s->indicator_values);
  for (size_t i = 0; i < n; i++) {
    const lr_node *key = map->items[2 * i], *value = map->items[2 * i + 1];
    if (key->kind != LR_NODE_SCALAR) continue; /* reported by the parser */
    const lr_indicator *ind = lr_indicator_find(&p->strategy, key->text);
    if (!ind) {
      if (!lr_ctx_glued_comment(ctx, key)) unknown_indicator(ctx, p, key);
      continue;
    }
    lr_indicator_value v = {.indicator = ind, .loc = lr_ctx_loc(ctx, value)};
    if (!load_value(ctx, value, ind, &v)) continue;
    if (s->actor && !lr_indicator_reported_by(ind, s->actor)) {
      lr_diag *d = lr_ctx_warning(ctx, key, "indikatorn \"%s\" rapporteras av %s, inte av %s (%s)", ind->id,
                                  reporters_text(ctx->arena, p, ind), s->actor->name,
                                  lr_actor_type_name(s->actor->type));
      lr_diag_hint(ctx->diags, d, "ta bort värdet, eller lägg till \"%s\" eller \"%s\" under rapporteras-av i %s",
                   s->actor->id, lr_actor_type_name(s->actor->type), p->config.strategy_path);
    }
    s->indicator_values[s->indicator_value_count++] = v;
  }
}

const lr_indicator_value *lr_statement_indicator(const lr_statement *s, const lr_indicator *ind) {
  for (size_t i = 0; s && i < s->indicator_value_count; i++)
    if (s->indicator_values[i].indicator == ind) return &s->indicator_values[i];
  return NULL;
}

/* One warning per indicator, naming the actors, like the one about
 * actors that have not answered: a line per actor would drown the rest. */
void lr_year_check_indicators(lr_project *p, const lr_year *y) {
  const lr_strategy *st = &p->strategy;
  const char *folder = lr_year_paths_get(p, y->year).statements;
  for (size_t i = 0; i < st->indicator_count; i++) {
    const lr_indicator *ind = &st->indicators[i];
    lr_buf names = {0};
    size_t missing = 0;
    for (size_t k = 0; k < y->statement_count; k++) {
      const lr_statement *s = &y->statements[k];
      if (!lr_indicator_reported_by(ind, s->actor) || lr_statement_indicator(s, ind)) continue;
      lr_buf_printf(&names, "%s%s", missing ? ", " : "", s->actor->name);
      missing++;
    }
    if (missing) {
      lr_diag *d = lr_diag_add(&p->diags, LR_WARNING, (lr_loc){folder, 0, 0},
                               missing == 1 ? "indikatorn \"%s\" saknas i %zu yttrande för %d: %s"
                                            : "indikatorn \"%s\" saknas i %zu yttranden för %d: %s",
                               ind->id, missing, y->year, lr_buf_cstr(&names));
      if (*ind->unit)
        lr_diag_hint(&p->diags, d, "be dem fylla i \"%s\" (%s) under indikatorer:", ind->name, ind->unit);
      else
        lr_diag_hint(&p->diags, d, "be dem fylla i \"%s\" under indikatorer:", ind->name);
    }
    lr_buf_free(&names);
  }
}

/* ---- totals ------------------------------------------------------------- */

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

lr_indicator_total lr_indicator_total_of_values(const lr_indicator *ind, double *values, size_t count) {
  lr_indicator_total t = {.count = count};
  if (!count) return t;
  qsort(values, count, sizeof *values, compare_double);
  t.min = values[0];
  t.max = values[count - 1];
  if (lr_indicator_is_share(ind))
    t.total = count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
  else
    for (size_t k = 0; k < count; k++) t.total += values[k];
  return t;
}

lr_indicator_total lr_indicator_total_of(const lr_year *y, const lr_indicator *ind) {
  if (!y) return (lr_indicator_total){0};
  double *values = lr_xmalloc((y->statement_count ? y->statement_count : 1) * sizeof *values);
  size_t count = 0;
  for (size_t k = 0; k < y->statement_count; k++) {
    const lr_indicator_value *v = lr_statement_indicator(&y->statements[k], ind);
    if (v) values[count++] = v->value;
  }
  lr_indicator_total t = lr_indicator_total_of_values(ind, values, count);
  free(values);
  return t;
}

lr_indicator_summary *lr_indicators_summarise(lr_arena *arena, const lr_project *p, const lr_year *year,
                                              const lr_year *previous) {
  const lr_strategy *st = &p->strategy;
  lr_indicator_summary *out = lr_arena_array(arena, st->indicator_count + 1, sizeof *out);
  for (size_t i = 0; i < st->indicator_count; i++) {
    lr_indicator_summary *s = &out[i];
    s->indicator = &st->indicators[i];
    s->now = lr_indicator_total_of(year, s->indicator);
    s->before = lr_indicator_total_of(previous, s->indicator);
    s->has_previous = previous != NULL;
    s->entries = lr_arena_array(arena, p->actor_count + 1, sizeof *s->entries);
    /* Both years' statements are in registry order: one merge pass. */
    size_t a = 0, b = 0, na = year ? year->statement_count : 0, nb = previous ? previous->statement_count : 0;
    while (a < na || b < nb) {
      const lr_statement *x = a < na ? &year->statements[a] : NULL;
      const lr_statement *w = b < nb ? &previous->statements[b] : NULL;
      lr_indicator_entry e = {0};
      if (x && (!w || x->actor->index <= w->actor->index)) {
        e.actor = x->actor;
        e.value = lr_statement_indicator(x, s->indicator);
        a++;
        if (w && w->actor == x->actor) {
          e.previous = lr_statement_indicator(w, s->indicator);
          b++;
        }
      } else {
        e.actor = w->actor;
        e.previous = lr_statement_indicator(w, s->indicator);
        b++;
      }
      if (e.value || e.previous) s->entries[s->entry_count++] = e;
    }
  }
  return out;
}

bool lr_indicator_entry_changed(const lr_indicator_entry *e) {
  if (!e->value || !e->previous) return true; /* entries have at least one */
  return fabs(e->value->value - e->previous->value) >= 1e-9;
}

bool lr_indicators_changed(const lr_indicator_summary *summaries, size_t count) {
  for (size_t i = 0; i < count; i++)
    for (size_t k = 0; k < summaries[i].entry_count; k++)
      if (lr_indicator_entry_changed(&summaries[i].entries[k])) return true;
  return false;
}

bool lr_indicator_comparable(const lr_indicator_summary *s) {
  if (!s->now.count || !s->before.count) return false;
  for (size_t k = 0; k < s->entry_count; k++)
    if (!s->entries[k].value != !s->entries[k].previous) return false;
  return true;
}

int lr_indicator_judgement(const lr_indicator *ind, double before, double after) {
  double d = after - before;
  if (fabs(d) < 1e-9) return 0;
  return (d > 0) == ind->higher_is_better ? 1 : -1;
}

/* Swedish typography: a decimal comma, and from five digits on the
 * thousands set apart by a no-break space ("12 400"); four-digit numbers
 * are written together. */
const char *lr_indicator_number(lr_arena *arena, double value) {
  double r = round(value);
  char *s = fabs(value - r) < 1e-9 ? lr_arena_printf(arena, "%.0f", r) : lr_arena_printf(arena, "%.1f", value);
  char *dot = strchr(s, '.');
  if (dot) *dot = ',';
  size_t whole = dot ? (size_t)(dot - s) : strlen(s), sign = s[0] == '-';
  if (whole - sign < 5) return s;
  lr_buf b = {0};
  for (size_t i = 0; s[i]; i++) {
    if (i > sign && i < whole && (whole - i) % 3 == 0) lr_buf_puts(&b, "\xc2\xa0");
    lr_buf_putc(&b, s[i]);
  }
  const char *out = lr_arena_strdup(arena, b.data);
  lr_buf_free(&b);
  return out;
}

const char *lr_indicator_change(lr_arena *arena, double before, double after) {
  double d = after - before;
  if (fabs(d) < 1e-9) return "±0";
  const char *n = lr_indicator_number(arena, fabs(d));
  /* U+2212 MINUS SIGN, as Swedish typography writes a negative change. */
  return lr_arena_printf(arena, "%s%s", d > 0 ? "+" : "\xe2\x88\x92", n);
}
