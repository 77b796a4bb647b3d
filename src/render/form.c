/* `new`: the statement forms of a year. Each actor gets a file that is
 * already a valid statement — its id and the year filled in, the goals as
 * comments, and its planned and ongoing activities of the year before to
 * update — so that what comes back in spring needs the least fixing. A
 * form someone may already have started on is never replaced. */
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
  /* Block scalars are indented this far: deeper than any key of the form
   * (activity keys sit at four), which is all YAML asks of them. */
  BLOCK_INDENT = 6,
};

/* ---- YAML scalars ----------------------------------------------------- */

/* The code point at s and its length in *len; a malformed sequence is
 * U+FFFD of length 1, so that escaping never gets stuck. */
static unsigned long decode(const unsigned char *s, size_t n, size_t *len) {
  unsigned long c = s[0];
  size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                        : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  *len = 1;
  if (k == 1) return c;
  if (k == 0 || k > n) return 0xFFFD;
  c &= 0x3F >> (k - 1);
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0xFFFD;
    c = c << 6 | (s[i] & 0x3F);
  }
  static const unsigned long smallest[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < smallest[k] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0xFFFD;
  *len = k;
  return c;
}

/* Characters a YAML 1.1 reader takes for line breaks (NEL, LS, PS), will
 * not accept raw (C0 and C1 controls, DEL, U+FFFE/U+FFFF), or may drop (a
 * byte order mark): these never appear in the form as themselves. */
static bool needs_escape(unsigned long c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
         c == 0xFFFE || c == 0xFFFF;
}

/* YAML 1.1 5.6 escapes; \x and \u name code points, not bytes. */
static void put_escape(lr_buf *out, unsigned long c) {
  static const struct {
    unsigned long c;
    const char *text;
  } named[] = {{0, "\\0"},    {7, "\\a"},    {8, "\\b"},      {9, "\\t"},      {10, "\\n"},
               {11, "\\v"},   {12, "\\f"},   {13, "\\r"},     {27, "\\e"},     {0x85, "\\N"},
               {0x2028, "\\L"}, {0x2029, "\\P"}, {'"', "\\\""}, {'\\', "\\\\"}};
  for (size_t i = 0; i < sizeof named / sizeof *named; i++)
    if (named[i].c == c) {
      lr_buf_puts(out, named[i].text);
      return;
    }
  if (c <= 0xFF)
    lr_buf_printf(out, "\\x%02lX", c);
  else
    lr_buf_printf(out, "\\u%04lX", c);
}

static void put_double_quoted(const char *s, size_t n, lr_buf *out) {
  const unsigned char *p = (const unsigned char *)s;
  lr_buf_putc(out, '"');
  for (size_t i = 0; i < n;) {
    size_t len;
    unsigned long c = decode(p + i, n - i, &len);
    if (needs_escape(c) || c == '"' || c == '\\' || (c == 0xFFFD && len == 1 && p[i] >= 0x80))
      put_escape(out, c);
    else
      lr_buf_put(out, s + i, len);
    i += len;
  }
  lr_buf_putc(out, '"');
}

/* Whether text reads back exactly from a literal block scalar with the
 * fixed indentation: several lines, a first line that fixes the
 * indentation (no leading space), no line of spaces only (those could be
 * taken for indentation), no tabs or characters that need escaping, and
 * at most one line break at the end (clip or strip chomping). */
static bool fits_block(const char *s, size_t n) {
  if (n < 2 || !memchr(s, '\n', n) || s[0] == ' ' || s[0] == '\n') return false;
  if (s[n - 1] == '\n' && s[n - 2] == '\n') return false;
  const unsigned char *p = (const unsigned char *)s;
  bool only_spaces = true;
  size_t line_length = 0;
  for (size_t i = 0; i < n;) {
    size_t len;
    unsigned long c = decode(p + i, n - i, &len);
    if (c == '\n') {
      if (line_length && only_spaces) return false;
      only_spaces = true;
      line_length = 0;
    } else {
      if (c == '\t' || needs_escape(c) || (c == 0xFFFD && len == 1)) return false;
      only_spaces = only_spaces && c == ' ';
      line_length++;
    }
    i += len;
  }
  return !(line_length && only_spaces);
}

static void put_block(const char *s, size_t n, lr_buf *out) {
  bool clip = s[n - 1] == '\n';
  lr_buf_puts(out, clip ? "|" : "|-");
  size_t end = clip ? n - 1 : n;
  for (size_t i = 0; i <= end;) {
    const char *nl = memchr(s + i, '\n', end - i);
    size_t len = nl ? (size_t)(nl - (s + i)) : end - i;
    lr_buf_putc(out, '\n');
    /* An empty line stays empty: trailing spaces would only irritate
     * editors, and YAML reads both the same. */
    if (len) lr_buf_printf(out, "%*s%.*s", BLOCK_INDENT, "", (int)len, s + i);
    i += len + 1;
  }
}

void lr_escape_yaml(const char *s, size_t n, lr_buf *out) {
  if (fits_block(s, n))
    put_block(s, n, out);
  else
    put_double_quoted(s, n, out);
}

/* Text for a "# …" comment: everything a reader would take for the end of
 * the line (or refuse) becomes a space. Inserted with {{{…}}}. */
static const char *comment_text(lr_arena *arena, const char *s) {
  if (!s) return NULL;
  lr_buf b = {0};
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    size_t len;
    unsigned long c = decode(p + i, n - i, &len);
    if (needs_escape(c) || c == 0xFFFD)
      lr_buf_putc(&b, ' ');
    else
      lr_buf_put(&b, s + i, len);
    i += len;
  }
  const char *text = lr_arena_strdup(arena, b.data ? b.data : "");
  lr_buf_free(&b);
  return text;
}

/* ---- the view --------------------------------------------------------- */

/* A list of ids for a flow sequence; "forsta" lets the template put the
 * commas between them. */
static lr_value *id_list(lr_arena *arena, const char *const *ids, size_t count) {
  lr_value *list = lr_value_list(arena);
  for (size_t i = 0; i < count; i++) {
    lr_value *item = lr_value_map(arena);
    lr_value_set_string(item, "id", ids[i]);
    lr_value_set_bool(item, "forsta", i == 0);
    lr_value_push(list, item);
  }
  return list;
}

static void set_ids(lr_arena *arena, lr_value *map, const char *key, const char *flag,
                    const char *const *ids, size_t count) {
  lr_value_set(map, key, id_list(arena, ids, count));
  lr_value_set_bool(map, flag, count > 0);
}

/* The ids a carried activity's targets have in the version of the form's
 * year, each once; none when the revision removed every one of them. */
static const char **target_ids_in(lr_project *p, const lr_activity *a, int year, size_t *count) {
  const lr_strategy *from = lr_strategy_in_year(p, year - 1), *to = lr_strategy_in_year(p, year);
  size_t cap = a->target_count + to->goal_count + to->subgoal_count + 1, n = 0;
  const char **ids = lr_arena_array(p->arena, cap, sizeof *ids);
  for (size_t i = 0; i < a->target_count; i++) {
    const lr_target *went;
    bool exact;
    size_t m = 1;
    if (from == to) went = &a->targets[i];
    else m = lr_target_follow(p, from, a->targets[i], to, &went, &exact);
    for (size_t k = 0; k < m; k++) {
      const char *id = went[k].subgoal ? went[k].subgoal->id : went[k].goal->id;
      bool seen = false;
      for (size_t j = 0; j < n; j++) seen = seen || strcmp(ids[j], id) == 0;
      if (!seen) ids[n++] = id;
    }
  }
  *count = n;
  return ids;
}

static lr_value *activity_value(lr_project *p, const lr_activity *a, const lr_actor *actor,
                                const char *id, const char **targets, size_t target_count) {
  lr_arena *arena = p->arena;
  lr_value *m = lr_value_map(arena);
  lr_value_set_string(m, "id", id);
  lr_value_set_string(m, "rubrik", a->heading);
  const char **owners = lr_arena_array(arena, a->owner_count + 1, sizeof *owners);
  size_t n = 0;
  for (size_t i = 0; i < a->owner_count; i++)
    if (a->owners[i] != actor) owners[n++] = a->owners[i]->id;
  set_ids(arena, m, "ansvariga", "har_ansvariga", owners, n);
  set_ids(arena, m, "mal", "har_mal", targets, target_count);
  const char **areas = lr_arena_array(arena, a->area_count + a->partner_count + 1, sizeof *areas);
  for (size_t i = 0; i < a->area_count; i++) areas[i] = a->areas[i]->id;
  set_ids(arena, m, "omraden", "har_omraden", areas, a->area_count);
  const char **partners = areas + a->area_count;
  for (size_t i = 0; i < a->partner_count; i++) partners[i] = a->partners[i]->id;
  set_ids(arena, m, "samverkan", "har_samverkan", partners, a->partner_count);
  lr_value_set_string(m, "status", lr_status_name(a->status));
  if (a->description) lr_value_set_string(m, "beskrivning", a->description);
  if (a->target_group) lr_value_set_string(m, "malgrupp", a->target_group);
  lr_value_set_bool(m, "intern", a->internal);
  return m;
}

static lr_value *strategy_value(lr_arena *arena, const lr_strategy *st) {
  lr_value *m = lr_value_map(arena);
  lr_value_set_string(m, "id", comment_text(arena, st->id));
  lr_value_set_string(m, "namn", comment_text(arena, st->name));
  lr_value *goals = lr_value_list(arena);
  for (size_t i = 0; i < st->goal_count; i++) {
    const lr_goal *g = &st->goals[i];
    lr_value *gv = lr_value_map(arena);
    lr_value_set_string(gv, "id", comment_text(arena, g->id));
    lr_value_set_string(gv, "namn", comment_text(arena, g->name));
    lr_value *subgoals = lr_value_list(arena);
    for (size_t k = 0; k < g->subgoal_count; k++) {
      lr_value *sv = lr_value_map(arena);
      lr_value_set_string(sv, "id", comment_text(arena, g->subgoals[k].id));
      lr_value_set_string(sv, "text", comment_text(arena, g->subgoals[k].text));
      lr_value_push(subgoals, sv);
    }
    lr_value_set(gv, "delmal", subgoals);
    lr_value_set_bool(gv, "har_delmal", g->subgoal_count > 0);
    lr_value_push(goals, gv);
  }
  lr_value_set(m, "mal", goals);
  lr_value *areas = lr_value_list(arena);
  for (size_t i = 0; i < st->area_count; i++) {
    lr_value *av = lr_value_map(arena);
    lr_value_set_string(av, "id", comment_text(arena, st->areas[i].id));
    lr_value_set_string(av, "namn", comment_text(arena, st->areas[i].name));
    lr_value_push(areas, av);
  }
  lr_value_set(m, "omraden", areas);
  lr_value_set_bool(m, "har_omraden", st->area_count > 0);
  return m;
}

/* Real ids for the commented example activity, so that uncommenting it
 * gives an activity that checks: the first sub-goal (or goal), the first
 * area, and the Länsstyrelse (or another actor) as a partner. */
static lr_value *example_value(lr_arena *arena, const lr_project *p, int year, const lr_actor *actor) {
  lr_value *m = lr_value_map(arena);
  const lr_strategy *st = lr_strategy_in_year(p, year);
  for (size_t i = 0; i < st->goal_count; i++) {
    if (!st->goals[i].subgoal_count) continue;
    lr_value_set_string(m, "mal", st->goals[i].subgoals[0].id);
    break;
  }
  if (!lr_value_get(m, "mal") && st->goal_count) lr_value_set_string(m, "mal", st->goals[0].id);
  if (st->area_count) lr_value_set_string(m, "omrade", st->areas[0].id);
  const lr_actor *partner = NULL;
  for (size_t i = 0; i < p->actor_count; i++) {
    const lr_actor *a = &p->actors[i];
    if (a == actor) continue;
    if (!partner || (a->type == LR_ACTOR_LANSSTYRELSE && partner->type != LR_ACTOR_LANSSTYRELSE))
      partner = a;
  }
  if (partner) lr_value_set_string(m, "samverkan", partner->id);
  return m;
}

/* A slug of the heading that no other activity of the statement has:
 * "samverkansmoten", or "samverkansmoten-2" when that is taken. */
static const char *unique_id(lr_arena *arena, const char *heading, const char *const *used,
                             size_t n) {
  const char *base = lr_activity_slug(arena, heading);
  if (!*base) base = "aktivitet";
  const char *id = base;
  for (unsigned k = 2;; k++) {
    bool taken = false;
    for (size_t i = 0; i < n && !taken; i++) taken = used[i] && strcmp(used[i], id) == 0;
    if (!taken) return id;
    id = lr_arena_printf(arena, "%s-%u", base, k);
  }
}


/* What last year's statement said of the actor itself, which seldom
 * changes: without it `diff` would read an unchanged plan as a lost one. */
static void carry_over(lr_arena *arena, lr_value *v, const lr_statement *previous) {
  if (!previous) return;
  if (previous->contact_name) {
    lr_value *c = lr_value_map(arena);
    lr_value_set_string(c, "namn", previous->contact_name);
    if (previous->contact_email) lr_value_set_string(c, "epost", previous->contact_email);
    lr_value_set(v, "kontakt", c);
  }
  if (previous->plan_status != LR_PLAN_UNKNOWN) {
    lr_value *plan = lr_value_map(arena);
    lr_value_set_string(plan, "status", lr_plan_status_name(previous->plan_status));
    if (previous->plan_description)
      lr_value_set_string(plan, "beskrivning", previous->plan_description);
    lr_value_set(v, "styrdokument", plan);
  }
}

/* The other registered actors, whose ids "samverkan" takes. */
static lr_value *registry_value(lr_arena *arena, const lr_project *p, const lr_actor *actor) {
  lr_value *list = lr_value_list(arena);
  for (size_t i = 0; i < p->actor_count; i++) {
    if (&p->actors[i] == actor) continue;
    lr_value *item = lr_value_map(arena);
    lr_value_set_string(item, "id", p->actors[i].id);
    lr_value_set_string(item, "namn", comment_text(arena, p->actors[i].name));
    lr_value_push(list, item);
  }
  return list;
}

/* "planerad, pågående, genomförd eller avbruten" */
static const char *word_list(lr_arena *arena, const char *const *words, size_t count) {
  lr_buf b = {0};
  for (size_t i = 0; i < count; i++)
    lr_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == count ? " eller " : ", ", words[i]);
  const char *text = lr_arena_strdup(arena, lr_buf_cstr(&b));
  lr_buf_free(&b);
  return text;
}

/* The indicators the actor should report, each with last year's value
 * when it gave one: written as YAML writes a number, since that is what
 * they type below it. */
static lr_value *indicators_value(lr_arena *arena, const lr_project *p, const lr_actor *actor,
                                  const lr_statement *previous) {
  lr_value *list = lr_value_list(arena);
  const lr_strategy *st = &p->strategy;
  for (size_t i = 0; i < st->indicator_count; i++) {
    const lr_indicator *ind = &st->indicators[i];
    if (!lr_indicator_reported_by(ind, actor)) continue;
    lr_value *v = lr_value_map(arena);
    lr_value_set_string(v, "id", ind->id);
    lr_value_set_string(v, "namn", comment_text(arena, ind->name));
    lr_value_set_string(v, "enhet", comment_text(arena, ind->unit));
    const lr_indicator_value *last = lr_statement_indicator(previous, ind);
    if (last) lr_value_set_string(v, "fore", lr_arena_printf(arena, "%.10g", last->value));
    lr_value_push(list, v);
  }
  return list;
}

static const lr_value *form_view(lr_arena *arena, lr_project *p, int year,
                                 const lr_actor *actor, const lr_statement *previous,
                                 size_t *carried) {
  lr_value *v = lr_value_map(arena);
  lr_value_set_int(v, "ar", year);
  lr_value_set_int(v, "foregaende_ar", year - 1);
  lr_value_set_int(v, "ar_efter", year + 1);
  lr_value_set_string(v, "region", comment_text(arena, p->config.region));
  lr_value_set_string(v, "lansstyrelse",
                      comment_text(arena, p->config.sender_name ? p->config.sender_name
                                                                : "Länsstyrelsen"));
  lr_value *av = lr_value_map(arena);
  lr_value_set_string(av, "id", actor->id);
  lr_value_set_string(av, "namn", comment_text(arena, actor->name));
  lr_value_set_string(av, "typ", lr_actor_type_name(actor->type));
  lr_value_set(v, "aktor", av);
  lr_value_set(v, "strategi", strategy_value(arena, lr_strategy_in_year(p, year)));
  lr_value_set(v, "exempel", example_value(arena, p, year, actor));
  lr_value *activities = lr_value_list(arena);
  *carried = 0;
  size_t n = previous ? previous->activity_count : 0;
  const char **used = lr_arena_array(arena, n + 1, sizeof *used);
  for (size_t i = 0; i < n; i++) used[i] = previous->activities[i].id;
  for (size_t i = 0; i < n; i++) {
    const lr_activity *a = &previous->activities[i];
    if (a->status != LR_STATUS_PLANERAD && a->status != LR_STATUS_PAGAENDE) continue;
    /* Every carried activity leaves with an id, so that next year's
     * report can tell what became of it. */
    size_t target_count;
    const char **targets = target_ids_in(p, a, year, &target_count);
    if (!target_count) {
      /* Where it belongs now is the actor's call, not the form's. */
      lr_diag *d = lr_diag_add(&p->diags, LR_WARNING, a->loc,
                               "aktiviteten \"%s\" följer inte med i formuläret för %d: strategin som gäller då "
                               "har inget av dess mål och delmål kvar", a->heading, year);
      lr_diag_hint(&p->diags, d, "revisionen tog bort dem; be %s skriva in aktiviteten under ett av de nya "
                   "målen om arbetet fortsätter", actor->name);
      continue;
    }
    if (!used[i]) used[i] = unique_id(arena, a->heading, used, n);
    lr_value_push(activities, activity_value(p, a, actor, used[i], targets, target_count));
    (*carried)++;
  }
  lr_value_set(v, "aktiviteter", activities);
  lr_value_set_bool(v, "har_aktiviteter", *carried > 0);
  carry_over(arena, v, previous);
  lr_value_set(v, "aktorer", registry_value(arena, p, actor));
  lr_value *indicators = indicators_value(arena, p, actor, previous);
  lr_value_set(v, "indikatorer", indicators);
  lr_value_set_bool(v, "har_indikatorer", lr_value_count(indicators) > 0);
  lr_value_set_string(v, "statusar", word_list(arena, lr_status_tokens, LR_STATUS_COUNT));
  lr_value_set_string(v, "styrdokument_statusar",
                      word_list(arena, lr_plan_status_tokens, LR_PLAN_STATUS_COUNT - 1));
  return v;
}

/* ---- files ------------------------------------------------------------ */

typedef struct form {
  lr_form_result *result;
  const lr_statement *previous;
  lr_buf text;
  char *temp; /* lr_xmalloc'ed while a temporary file exists */
} form;

static bool make_dir(lr_project *p, const char *dir) {
  if (mkdir(dir, 0777) == 0 || errno == EEXIST) return true;
  lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "kan inte skapa mappen %s: %s", dir,
                           lr_errno_text(errno));
  lr_diag_hint(&p->diags, d, "kontrollera att du har skrivrättigheter i projektmappen");
  return false;
}

static bool write_fd(int fd, const lr_buf *b) {
  return lr_fd_write_all(fd, b->data, b->len) && fsync(fd) == 0;
}

/* The form in a temporary file beside its final name, synced. */
static bool write_temp(lr_project *p, const char *dir, form *f) {
  size_t n = strlen(dir) + 32;
  f->temp = lr_xmalloc(n);
  snprintf(f->temp, n, "%s/.lagesrapport-XXXXXX", dir);
  int fd = mkstemp(f->temp);
  if (fd < 0) {
    /* Nothing was created, and the name must not be unlinked later. */
    free(f->temp);
    f->temp = NULL;
  }
  bool ok = fd >= 0 && fchmod(fd, 0644) == 0 && write_fd(fd, &f->text);
  int saved = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok)
    lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "kunde inte skriva %s: %s", f->result->path,
                lr_errno_text(saved));
  return ok;
}

static void drop_temp(form *f) {
  if (!f->temp) return;
  unlink(f->temp);
  free(f->temp);
  f->temp = NULL;
}

/* A template can be overridden per project: whatever it made must still
 * be a statement that checks, or the actor would get a broken form. The
 * temporary file is read with a list of its own: its warnings repeat last
 * year's (shown already), and its errors are shown at the form's name. */
static bool form_checks(lr_project *p, int year, form *f) {
  lr_diag_list own = p->diags;
  lr_diag_list_init(&p->diags, p->arena);
  lr_statement s;
  memset(&s, 0, sizeof s);
  bool ok = lr_statement_load(p, year, f->temp, f->result->actor->id, &s) && !p->diags.errors;
  lr_diag_list scratch = p->diags;
  p->diags = own;
  for (size_t i = 0; i < scratch.count; i++) {
    const lr_diag *e = &scratch.items[i];
    if (e->severity != LR_ERROR) continue;
    lr_loc loc = e->loc;
    loc.file = f->result->path;
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, loc, "%s", e->message);
    d->hint = e->hint;
    d->source_line = e->source_line;
  }
  lr_diag_list_release(&scratch);
  if (ok) return true;
  lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){f->result->path, 0, 0},
                           "formuläret blev inget giltigt yttrande, så det skrevs inte");
  lr_diag_hint(&p->diags, d, "felen gäller det som mallen yttrande.yaml.mustache gav");
  return false;
}

/* link(2) puts the finished file in place only if the name is free, so a
 * form written meanwhile by someone else is never replaced. Where hard
 * links are not supported, O_EXCL gives the same guarantee without the
 * atomicity. Returns false after a diagnostic; *taken when the name was
 * not free. */
static bool publish(lr_project *p, form *f, bool *taken) {
  const char *path = f->result->path;
  *taken = false;
  if (link(f->temp, path) == 0) return true;
  int saved = errno;
  if (saved == EEXIST) {
    *taken = true;
    return true;
  }
  if (saved == EPERM || saved == ENOTSUP || saved == EOPNOTSUPP || saved == ENOSYS ||
      saved == EXDEV) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 && errno == EEXIST) {
      *taken = true;
      return true;
    }
    bool ok = fd >= 0 && write_fd(fd, &f->text);
    saved = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
      ok = false;
      saved = errno;
    }
    if (ok) return true;
    if (fd >= 0) unlink(path);
  }
  lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "kunde inte skriva %s: %s", path, lr_errno_text(saved));
  return false;
}

/* What is already there under the form's name, or NULL. A .yml file is
 * a statement too (check asks for it to be renamed); a second file beside
 * it would leave the actor with two. */
static const char *existing_file(lr_arena *arena, const char *dir, const char *id) {
  static const char *const extensions[] = {"yaml", "yml"};
  for (size_t i = 0; i < 2; i++) {
    const char *path = lr_arena_printf(arena, "%s/%s.%s", dir, id, extensions[i]);
    struct stat st;
    if (lstat(path, &st) == 0) return path;
  }
  return NULL;
}

/* The actor's statement of the year before, or NULL when there is none. */
static const lr_statement *previous_statement(lr_project *p, int year, const lr_actor *actor,
                                              bool *ok) {
  const char *path = lr_statement_path(p, year, actor->id);
  if (!lr_path_is_file(path)) return NULL;
  lr_statement *s = lr_arena_alloc(p->arena, sizeof *s);
  size_t errors = p->diags.errors;
  /* Any error counts, also one the loader reports but reads past. */
  if (!lr_statement_load(p, year, path, actor->id, s) || p->diags.errors != errors) *ok = false;
  return s;
}

bool lr_form_write(lr_project *p, int year, const lr_form_options *o, lr_form_result **results,
                   size_t *result_count) {
  lr_arena *arena = p->arena;
  size_t count = o->actors ? o->actor_count : p->actor_count;
  lr_form_result *r = lr_arena_array(arena, count + 1, sizeof *r);
  *results = r;
  *result_count = count;
  lr_year_paths paths = lr_year_paths_get(p, year);
  const char *year_dir = paths.dir, *dir = paths.statements;

  const lr_strategy *st = lr_strategy_in_year(p, year);
  if (st->valid_to && (year < st->valid_from || year > st->valid_to)) {
    lr_diag *d = lr_diag_add(&p->diags, LR_WARNING, (lr_loc){p->config.strategy_path, 0, 0},
                             "strategin gäller %d–%d, inte %d", st->valid_from, st->valid_to,
                             year);
    lr_diag_hint(&p->diags, d, "formulären listar ändå strategins mål; byt strategi i %s om en ny "
                               "har antagits", p->config.path);
  }

  form *forms = lr_xmalloc((count + 1) * sizeof *forms);
  memset(forms, 0, (count + 1) * sizeof *forms);
  bool data_ok = true;
  for (size_t i = 0; i < count; i++) {
    const lr_actor *a = o->actors ? o->actors[i] : &p->actors[i];
    r[i].actor = a;
    r[i].path = lr_arena_printf(arena, "%s/%s.yaml", dir, a->id);
    r[i].existing = existing_file(arena, dir, a->id);
    forms[i].result = &r[i];
    if (!r[i].existing) forms[i].previous = previous_statement(p, year - 1, a, &data_ok);
  }
  /* Carrying over from a broken statement would drop whatever failed to
   * load, silently; the officer fixes last year's file first. */
  if (!data_ok) {
    free(forms);
    *result_count = 0;
    return false;
  }

  lr_templates *templates = lr_templates_new(arena, p->config.templates_dir, o->builtin_templates);
  bool ok = true;
  for (size_t i = 0; i < count && ok; i++) {
    if (r[i].existing) continue;
    const lr_value *view = form_view(arena, p, year, r[i].actor, forms[i].previous, &r[i].carried);
    /* Before the template, so that a project's own template has it too:
     * an editor with a YAML language server then completes the ids and
     * flags unknown keys from the schema written beside the forms. */
    lr_buf_printf(&forms[i].text, "# yaml-language-server: $schema=%s\n",
                  lr_schema_file_name(LR_SCHEMA_STATEMENT));
    if (!lr_templates_render(templates, "yttrande.yaml", view, lr_escape_yaml, &forms[i].text,
                             &p->diags))
      ok = false;
  }
  bool pending = false;
  for (size_t i = 0; i < count; i++) pending = pending || !r[i].existing;
  if (ok && pending && !(make_dir(p, year_dir) && make_dir(p, dir)))
    ok = false;

  for (size_t i = 0; i < count && ok; i++) {
    form *f = &forms[i];
    if (r[i].existing) continue;
    bool taken = false;
    if (!write_temp(p, dir, f) || !form_checks(p, year, f) || !publish(p, f, &taken))
      ok = false;
    else if (taken)
      r[i].existing = r[i].path;
    else
      r[i].written = true;
    drop_temp(f);
  }
  bool written = false;
  for (size_t i = 0; i < count; i++) written = written || r[i].written;
  if (ok && written)
    ok = lr_schema_file_write(p, LR_SCHEMA_STATEMENT, year,
                              lr_path_join(arena, dir, lr_schema_file_name(LR_SCHEMA_STATEMENT)));
  /* After a failure the forms not reached stay unwritten (and say so in
   * their results); nothing of theirs is left on disk. */
  for (size_t i = 0; i < count; i++) {
    drop_temp(&forms[i]);
    lr_buf_free(&forms[i].text);
  }
  free(forms);
  return ok;
}
