/* `new`: the statement form as one self-contained HTML page per actor, for
 * those who would rather not edit YAML. The page is made from the actor's
 * YAML form of the year (so it carries over exactly what that form does)
 * and from the strategy and the registry, embedded as JSON that the page's
 * script reads as text. Its Content-Security-Policy allows only the page's
 * own inline script and style, named by their SHA-256, so it can make no
 * request and run nothing else; the same data give the same bytes. */
#include "render/render.h"

#include <string.h>

/* ---- JSON for a <script type="application/json"> ------------------------ */

/* A JSON string that cannot end the element it stands in or start markup:
 * "<", ">" and "&" are escaped as well as what lr_json_string escapes (the
 * line and paragraph separators among them, which old script engines take
 * for line breaks). */
static void json_text(lr_buf *out, const char *s) {
  lr_buf plain = {0};
  lr_json_string(s, &plain);
  for (size_t i = 0; i < plain.len; i++) {
    char c = plain.data[i];
    if (c == '<')
      lr_buf_puts(out, "\\u003c");
    else if (c == '>')
      lr_buf_puts(out, "\\u003e");
    else if (c == '&')
      lr_buf_puts(out, "\\u0026");
    else
      lr_buf_putc(out, c);
  }
  lr_buf_free(&plain);
}

static void json_key(lr_buf *out, bool *first, const char *key) {
  lr_buf_puts(out, *first ? "" : ",");
  *first = false;
  json_text(out, key);
  lr_buf_putc(out, ':');
}

static void json_field(lr_buf *out, bool *first, const char *key, const char *value) {
  if (!value) return;
  json_key(out, first, key);
  json_text(out, value);
}

static void json_ids(lr_buf *out, bool *first, const char *key, const char *const *ids,
                     size_t count) {
  json_key(out, first, key);
  lr_buf_putc(out, '[');
  for (size_t i = 0; i < count; i++) {
    if (i) lr_buf_putc(out, ',');
    json_text(out, ids[i]);
  }
  lr_buf_putc(out, ']');
}

static void json_activity(lr_arena *arena, lr_buf *out, const lr_activity *a,
                          const lr_actor *actor) {
  bool first = true;
  lr_buf_putc(out, '{');
  json_field(out, &first, "id", a->id);
  json_field(out, &first, "rubrik", a->heading);
  size_t n = a->target_count + a->area_count + a->partner_count + a->owner_count;
  const char **ids = lr_arena_array(arena, n ? n : 1, sizeof *ids);
  for (size_t i = 0; i < a->target_count; i++)
    ids[i] = a->targets[i].subgoal ? a->targets[i].subgoal->id : a->targets[i].goal->id;
  json_ids(out, &first, "mal", ids, a->target_count);
  const char **areas = ids + a->target_count;
  for (size_t i = 0; i < a->area_count; i++) areas[i] = a->areas[i]->id;
  json_ids(out, &first, "omraden", areas, a->area_count);
  const char **partners = areas + a->area_count;
  for (size_t i = 0; i < a->partner_count; i++) partners[i] = a->partners[i]->id;
  json_ids(out, &first, "samverkan", partners, a->partner_count);
  /* The statement's own actor is an owner without being named. */
  const char **owners = partners + a->partner_count;
  size_t owner_count = 0;
  for (size_t i = 0; i < a->owner_count; i++)
    if (a->owners[i] != actor) owners[owner_count++] = a->owners[i]->id;
  json_ids(out, &first, "ansvariga", owners, owner_count);
  json_field(out, &first, "status", lr_status_name(a->status));
  json_field(out, &first, "beskrivning", a->description);
  json_field(out, &first, "malgrupp", a->target_group);
  json_key(out, &first, "intern");
  lr_buf_puts(out, a->internal ? "true" : "false");
  lr_buf_putc(out, '}');
}

static void json_statement(lr_arena *arena, lr_buf *out, const lr_statement *s) {
  bool first = true;
  lr_buf_putc(out, '{');
  if (s->contact_name || s->contact_email) {
    json_key(out, &first, "kontakt");
    bool inner = true;
    lr_buf_putc(out, '{');
    json_field(out, &inner, "namn", s->contact_name);
    json_field(out, &inner, "epost", s->contact_email);
    lr_buf_putc(out, '}');
  }
  if (s->plan_status != LR_PLAN_UNKNOWN) {
    json_key(out, &first, "styrdokument");
    bool inner = true;
    lr_buf_putc(out, '{');
    json_field(out, &inner, "status", lr_plan_status_name(s->plan_status));
    json_field(out, &inner, "beskrivning", s->plan_description);
    lr_buf_putc(out, '}');
  }
  json_key(out, &first, "aktiviteter");
  lr_buf_putc(out, '[');
  for (size_t i = 0; i < s->activity_count; i++) {
    if (i) lr_buf_putc(out, ',');
    json_activity(arena, out, &s->activities[i], s->actor);
  }
  lr_buf_putc(out, ']');
  json_field(out, &first, "framgangsfaktorer", s->success_factors);
  json_field(out, &first, "utmaningar", s->challenges);
  json_field(out, &first, "behov", s->needs);
  json_key(out, &first, "indikatorer");
  lr_buf_putc(out, '{');
  bool value = true;
  for (size_t i = 0; i < s->indicator_value_count; i++) {
    const lr_indicator_value *v = &s->indicator_values[i];
    json_key(out, &value, v->indicator->id);
    bool inner = true;
    lr_buf_putc(out, '{');
    json_field(out, &inner, "varde", lr_arena_printf(arena, "%.10g", v->value));
    json_field(out, &inner, "kommentar", v->comment);
    lr_buf_putc(out, '}');
  }
  lr_buf_puts(out, "}}");
}

/* The indicators the actor should report: what the page asks for, with
 * what a value may be and last year's value beside it. */
static void json_indicators(lr_buf *out, bool *first, lr_project *p, int year, const lr_actor *actor) {
  /* `new` loads no year whole: last year's statement is read here as the
   * YAML form read it, its diagnostics (already told) set aside. */
  lr_statement last_year = {0}, *previous = NULL;
  const char *path = lr_statement_path(p, year - 1, actor->id);
  if (lr_path_is_file(path)) {
    lr_diag_list quiet;
    lr_diag_list_init(&quiet, p->arena);
    if (lr_statement_load_in(p, p->arena, &quiet, year - 1, path, -1, actor->id, &last_year)) previous = &last_year;
    lr_diag_list_release(&quiet);
  }
  json_key(out, first, "indikatorer");
  lr_buf_putc(out, '[');
  bool item = true;
  for (size_t i = 0; i < p->strategy.indicator_count; i++) {
    const lr_indicator *ind = &p->strategy.indicators[i];
    if (!lr_indicator_reported_by(ind, actor)) continue;
    lr_buf_puts(out, item ? "{" : ",{");
    item = false;
    bool f = true;
    json_field(out, &f, "id", ind->id);
    json_field(out, &f, "namn", ind->name);
    json_field(out, &f, "enhet", ind->unit);
    json_key(out, &f, "andel");
    lr_buf_puts(out, lr_indicator_is_share(ind) ? "true" : "false");
    json_key(out, &f, "heltal");
    lr_buf_puts(out, lr_indicator_is_count(ind) ? "true" : "false");
    const lr_indicator_value *last = lr_statement_indicator(previous, ind);
    if (last) json_field(out, &f, "fore", lr_arena_printf(p->arena, "%.10g", last->value));
    lr_buf_putc(out, '}');
  }
  lr_buf_putc(out, ']');
}

static void json_choice(lr_buf *out, bool *first, const char *id, const char *label) {
  lr_buf_puts(out, *first ? "{" : ",{");
  *first = false;
  bool inner = true;
  json_field(out, &inner, "id", id);
  json_field(out, &inner, "namn", label);
  lr_buf_putc(out, '}');
}

/* Everything the page's script reads: the statement to start from, and
 * what its fields may hold (the strategy, the registry, the statuses). */
static const char *page_data(lr_project *p, int year, const lr_actor *actor,
                             const lr_statement *s) {
  lr_buf out = {0};
  bool first = true;
  const lr_strategy *st = lr_strategy_in_year(p, year);
  lr_buf_putc(&out, '{');
  json_key(&out, &first, "format");
  lr_buf_puts(&out, "1");
  json_key(&out, &first, "ar");
  lr_buf_printf(&out, "%d", year);
  json_field(&out, &first, "region", p->config.region);
  json_field(&out, &first, "lansstyrelse",
             p->config.sender_name ? p->config.sender_name : "Länsstyrelsen");
  json_key(&out, &first, "aktor");
  bool inner = true;
  json_choice(&out, &inner, actor->id, actor->name);

  json_key(&out, &first, "strategi");
  lr_buf_putc(&out, '{');
  inner = true;
  json_field(&out, &inner, "namn", st->name);
  json_key(&out, &inner, "mal");
  lr_buf_putc(&out, '[');
  for (size_t i = 0; i < st->goal_count; i++) {
    const lr_goal *g = &st->goals[i];
    bool field = true;
    lr_buf_puts(&out, i ? ",{" : "{");
    json_field(&out, &field, "id", g->id);
    json_field(&out, &field, "namn", g->name);
    json_key(&out, &field, "delmal");
    lr_buf_putc(&out, '[');
    bool sub = true;
    for (size_t k = 0; k < g->subgoal_count; k++) {
      lr_buf_puts(&out, sub ? "{" : ",{");
      sub = false;
      bool f = true;
      json_field(&out, &f, "id", g->subgoals[k].id);
      json_field(&out, &f, "text", g->subgoals[k].text);
      lr_buf_putc(&out, '}');
    }
    lr_buf_puts(&out, "]}");
  }
  lr_buf_putc(&out, ']');
  json_key(&out, &inner, "omraden");
  lr_buf_putc(&out, '[');
  bool area = true;
  for (size_t i = 0; i < st->area_count; i++)
    json_choice(&out, &area, st->areas[i].id, st->areas[i].name);
  lr_buf_puts(&out, "]}");

  json_key(&out, &first, "aktorer");
  lr_buf_putc(&out, '[');
  bool registered = true;
  for (size_t i = 0; i < p->actor_count; i++)
    json_choice(&out, &registered, p->actors[i].id, p->actors[i].name);
  lr_buf_putc(&out, ']');
  json_key(&out, &first, "statusar");
  lr_buf_putc(&out, '[');
  bool status = true;
  for (int i = 0; i < LR_STATUS_COUNT; i++)
    json_choice(&out, &status, lr_status_name((lr_status)i), lr_status_label((lr_status)i));
  lr_buf_putc(&out, ']');
  json_key(&out, &first, "styrdokument_statusar");
  lr_buf_putc(&out, '[');
  bool plan = true;
  for (int i = LR_PLAN_ANTAGEN; i < LR_PLAN_STATUS_COUNT; i++)
    json_choice(&out, &plan, lr_plan_status_name((lr_plan_status)i),
                lr_plan_status_label((lr_plan_status)i));
  lr_buf_putc(&out, ']');
  json_indicators(&out, &first, p, year, actor);
  json_key(&out, &first, "yttrande");
  json_statement(p->arena, &out, s);
  lr_buf_putc(&out, '}');
  const char *text = lr_arena_strdup(p->arena, out.data);
  lr_buf_free(&out);
  return text;
}

/* ---- the page ------------------------------------------------------------ */

static void base64(lr_buf *out, const unsigned char *p, size_t n) {
  static const char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    unsigned long v = (unsigned long)p[i] << 16 | (i + 1 < n ? (unsigned long)p[i + 1] << 8 : 0) |
                      (i + 2 < n ? p[i + 2] : 0);
    lr_buf_putc(out, digits[v >> 18 & 63]);
    lr_buf_putc(out, digits[v >> 12 & 63]);
    lr_buf_putc(out, i + 1 < n ? digits[v >> 6 & 63] : '=');
    lr_buf_putc(out, i + 2 < n ? digits[v & 63] : '=');
  }
}

/* 'sha256-…': how a policy names one inline element by its exact text. */
static void csp_hash(lr_buf *out, const char *text) {
  unsigned char digest[32];
  lr_sha256(text, strlen(text), digest);
  lr_buf_puts(out, "'sha256-");
  base64(out, digest, sizeof digest);
  lr_buf_putc(out, '\'');
}

static bool contains_folded(const char *s, const char *needle) {
  size_t n = strlen(needle);
  for (; *s; s++) {
    size_t i = 0;
    while (i < n && s[i] && (s[i] | 0x20) == needle[i]) i++;
    if (i == n) return true;
  }
  return false;
}

/* An inline element ends at the first "</script" or "</style" whatever
 * stands around it, so a file that holds one (a project's own copy, say)
 * would break the page; it is refused rather than escaped. */
static bool embeddable(lr_diag_list *diags, const char *file, const char *text, const char *end) {
  if (!contains_folded(text, end) && !contains_folded(text, "<!--")) return true;
  lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){file, 0, 0},
                           "%s innehåller \"%s\" eller \"<!--\" och kan inte bäddas in i sidan",
                           file, end);
  lr_diag_hint(diags, d, "skriv texten på något annat sätt, till exempel \"<\\/\" i en sträng");
  return false;
}

static lr_value *strategy_value(lr_arena *arena, const lr_strategy *st) {
  lr_value *m = lr_value_map(arena);
  lr_value_set_string(m, "namn", st->name);
  lr_value *goals = lr_value_list(arena);
  for (size_t i = 0; i < st->goal_count; i++) {
    const lr_goal *g = &st->goals[i];
    lr_value *gv = lr_value_map(arena);
    lr_value_set_string(gv, "id", g->id);
    lr_value_set_string(gv, "namn", g->name);
    lr_value *subgoals = lr_value_list(arena);
    for (size_t k = 0; k < g->subgoal_count; k++) {
      lr_value *sv = lr_value_map(arena);
      lr_value_set_string(sv, "id", g->subgoals[k].id);
      lr_value_set_string(sv, "text", g->subgoals[k].text);
      lr_value_push(subgoals, sv);
    }
    lr_value_set(gv, "delmal", subgoals);
    lr_value_set_bool(gv, "har_delmal", g->subgoal_count > 0);
    lr_value_push(goals, gv);
  }
  lr_value_set(m, "mal", goals);
  return m;
}

typedef struct page_parts {
  const char *style, *script, *csp;
} page_parts;

static bool page_parts_read(lr_templates *t, page_parts *parts, lr_arena *arena,
                            lr_diag_list *diags) {
  static const char style_file[] = "formular/formular.css", script_file[] = "formular/formular.js";
  parts->style = lr_templates_file(t, style_file, diags);
  parts->script = lr_templates_file(t, script_file, diags);
  if (!parts->style || !parts->script) return false;
  if (!embeddable(diags, style_file, parts->style, "</style") ||
      !embeddable(diags, script_file, parts->script, "</script"))
    return false;
  lr_buf csp = {0};
  lr_buf_puts(&csp, "default-src 'none'; script-src ");
  csp_hash(&csp, parts->script);
  lr_buf_puts(&csp, "; style-src ");
  csp_hash(&csp, parts->style);
  lr_buf_puts(&csp, "; base-uri 'none'; form-action 'none'");
  parts->csp = lr_arena_strdup(arena, csp.data);
  lr_buf_free(&csp);
  return true;
}

static const lr_value *page_view(lr_project *p, int year, const lr_actor *actor,
                                 const lr_statement *s, const page_parts *parts) {
  lr_arena *arena = p->arena;
  lr_value *v = lr_value_map(arena);
  lr_value_set_int(v, "ar", year);
  lr_value_set_int(v, "foregaende_ar", year - 1);
  lr_value_set_string(v, "region", p->config.region);
  lr_value_set_string(v, "lansstyrelse",
                      p->config.sender_name ? p->config.sender_name : "Länsstyrelsen");
  lr_value *av = lr_value_map(arena);
  lr_value_set_string(av, "id", actor->id);
  lr_value_set_string(av, "namn", actor->name);
  lr_value_set(v, "aktor", av);
  lr_value_set(v, "strategi", strategy_value(arena, lr_strategy_in_year(p, year)));
  lr_value_set_string(v, "stil", parts->style);
  lr_value_set_string(v, "skript", parts->script);
  lr_value_set_string(v, "csp", parts->csp);
  lr_value_set_string(v, "data", page_data(p, year, actor, s));
  return v;
}

/* ---- files ------------------------------------------------------------- */

const char *lr_form_html_path(lr_project *p, int year, const char *actor_id) {
  lr_year_paths paths = lr_year_paths_get(p, year);
  return lr_arena_printf(p->arena, "%s/formular/%s.html", paths.dir, actor_id);
}

/* The actor's YAML form of the year, read with a list of its own: its
 * warnings were shown when it was written or checked, and only its errors
 * stop the page from being made. */
static bool read_form(lr_project *p, int year, const char *path, const lr_actor *actor,
                      lr_statement *s) {
  lr_diag_list own = p->diags;
  lr_diag_list_init(&p->diags, p->arena);
  memset(s, 0, sizeof *s);
  bool ok = lr_statement_load(p, year, path, actor->id, s) && !p->diags.errors;
  lr_diag_list scratch = p->diags;
  p->diags = own;
  for (size_t i = 0; i < scratch.count; i++) {
    const lr_diag *e = &scratch.items[i];
    if (e->severity != LR_ERROR) continue;
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, e->loc, "%s", e->message);
    d->hint = e->hint;
    d->source_line = e->source_line;
  }
  lr_diag_list_release(&scratch);
  if (!ok) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0},
                             "formuläret i HTML kan inte göras av ett yttrande med fel");
    lr_diag_hint(&p->diags, d, "rätta felen ovan och kör \"lagesrapport new %d\" igen", year);
  }
  return ok;
}

bool lr_form_html_write(lr_project *p, int year, const lr_form_options *o, const char **dir,
                        size_t *written) {
  lr_arena *arena = p->arena;
  *written = 0;
  *dir = lr_path_join(arena, lr_year_paths_get(p, year).dir, "formular");
  size_t count = o->actors ? o->actor_count : p->actor_count;
  lr_templates *templates = lr_templates_new(arena, p->config.templates_dir, o->builtin_templates);
  page_parts parts;
  if (!page_parts_read(templates, &parts, arena, &p->diags)) return false;

  /* Every page is made before any is written: a form with errors leaves
   * the folder as it was. */
  lr_buf *pages = lr_arena_array(arena, count + 1, sizeof *pages);
  const char **names = lr_arena_array(arena, count + 1, sizeof *names);
  bool ok = true;
  size_t made = 0;
  for (size_t i = 0; i < count; i++) {
    const lr_actor *a = o->actors ? o->actors[i] : &p->actors[i];
    const char *path = lr_statement_path(p, year, a->id);
    /* No form (a .yml statement, or none written): no page either. */
    if (!lr_path_is_file(path)) continue;
    lr_statement s;
    if (!read_form(p, year, path, a, &s)) {
      ok = false;
      continue;
    }
    lr_buf page = {0};
    if (!lr_templates_render(templates, "formular/formular.html",
                             page_view(p, year, a, &s, &parts), lr_escape_html, &page,
                             &p->diags)) {
      lr_buf_free(&page);
      ok = false;
      break;
    }
    pages[made] = page;
    names[made++] = lr_arena_printf(arena, "%s.html", a->id);
  }
  if (ok && made) {
    lr_outputs *out = lr_outputs_new(arena, *dir, LR_OUTPUTS_ADOPT, &p->diags);
    ok = out != NULL;
    for (size_t i = 0; ok && i < made; i++)
      lr_buf_put(lr_outputs_add(out, names[i]), pages[i].data, pages[i].len);
    ok = ok && lr_outputs_commit(out, &p->diags);
    if (out) lr_outputs_free(out);
  }
  for (size_t i = 0; i < made; i++) lr_buf_free(&pages[i]);
  if (ok) *written = made;
  return ok;
}
