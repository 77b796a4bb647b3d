/* JSON Schemas (draft 2020-12) of a project's files, for editors: with
 * the project's own goal, sub-goal, actor and area ids as enums, an editor
 * completes them and flags a misspelt key or id while the file is being
 * written, long before `check` runs. The loaders stay the authority: what
 * they refuse (an unknown key, id or status) the schema refuses too, and
 * where a YAML 1.2 editor and the loader read a value differently (an
 * unquoted 1 is a number to one, text to the other) the schema takes both. */
#include "render/render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const FILE_NAMES[] = {"yttrande.schema.json", "strategi.schema.json",
                                         "aktorer.schema.json", "rapport.schema.json"};

/* Activity ids and actor ids as the loaders accept them (issue 15 for the
 * former; the registry's own rule for the latter). */
static const char ACTIVITY_ID_PATTERN[] = "^[a-z0-9]+(-[a-z0-9]+)*$";
static const char ACTOR_ID_PATTERN[] = "^[a-z0-9-]{1,64}$";
static const char DATE_PATTERN[] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
static const char EMAIL_PATTERN[] = "^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$";

/* ---- a small pretty-printing JSON writer ------------------------------ */

enum { MAX_DEPTH = 16 };

typedef struct json {
  lr_buf *out;
  int depth;
  bool empty[MAX_DEPTH]; /* nothing written yet in the open container */
} json;

static void newline(json *j) {
  lr_buf_putc(j->out, '\n');
  for (int i = 0; i < j->depth; i++) lr_buf_puts(j->out, "  ");
}

/* Before a member or an item: the comma after the one before. */
static void next(json *j) {
  if (j->depth == 0) return;
  if (!j->empty[j->depth - 1]) lr_buf_putc(j->out, ',');
  j->empty[j->depth - 1] = false;
  newline(j);
}

static void begin(json *j, char c) {
  lr_buf_putc(j->out, c);
  j->empty[j->depth++] = true;
}

static void end(json *j, char c) {
  bool was_empty = j->empty[--j->depth];
  if (!was_empty) newline(j);
  lr_buf_putc(j->out, c);
}

static void key(json *j, const char *k) {
  next(j);
  lr_json_string(k, j->out);
  lr_buf_puts(j->out, ": ");
}

static void string_member(json *j, const char *k, const char *v) {
  key(j, k);
  lr_json_string(v, j->out);
}

static void raw_member(json *j, const char *k, const char *v) {
  key(j, k);
  lr_buf_puts(j->out, v);
}

static void string_item(json *j, const char *v) {
  next(j);
  lr_json_string(v, j->out);
}

static void ref_member(json *j, const char *def) {
  key(j, "$ref");
  lr_buf_printf(j->out, "\"#/$defs/%s\"", def);
}

/* ---- ids as enums ------------------------------------------------------ */

/* A YAML 1.2 editor reads an unquoted 1 or 2.3 as a number, while the
 * loader takes the text; such an id is in the enum both ways. Only ids
 * that read back as the same text are: "1.10" is the number 1.1. */
static const char *as_number(const char *id) {
  const char *p = id;
  if (*p == '0' && p[1] && p[1] != '.') return NULL;
  size_t digits = 0, fraction = 0;
  bool dot = false;
  for (; *p; p++) {
    if (*p >= '0' && *p <= '9') {
      if (dot) fraction++;
      else digits++;
    } else if (*p == '.' && !dot) {
      dot = true;
    } else {
      return NULL;
    }
  }
  if (!digits || digits > 15 || (dot && (!fraction || p[-1] == '0'))) return NULL;
  return id;
}

typedef struct enum_entry {
  const char *id, *label;
} enum_entry;

/* "enum" with the ids, and "enumDescriptions", which editors show next to
 * each id as it is offered (validators ignore the keyword). */
static void enum_def(json *j, const char *name, const char *description, const enum_entry *e,
                     size_t n) {
  key(j, name);
  begin(j, '{');
  string_member(j, "description", description);
  if (!n) {
    /* An empty enum is discouraged; "not {}" says the same: nothing fits. */
    raw_member(j, "not", "{}");
    end(j, '}');
    return;
  }
  for (int pass = 0; pass < 2; pass++) {
    key(j, pass ? "enumDescriptions" : "enum");
    begin(j, '[');
    for (size_t i = 0; i < n; i++) {
      if (pass) string_item(j, e[i].label);
      else string_item(j, e[i].id);
      if (!as_number(e[i].id)) continue;
      next(j);
      if (pass) lr_json_string(e[i].label, j->out);
      else lr_buf_puts(j->out, e[i].id);
    }
    end(j, ']');
  }
  end(j, '}');
}

static void add_entry(enum_entry *e, size_t *k, const char *id, const char *label) {
  for (size_t i = 0; i < *k; i++)
    if (strcmp(e[i].id, id) == 0) return;
  e[(*k)++] = (enum_entry){id, label};
}

/* The ids of the version of a year, or, for a schema of no particular
 * year, of every version (a later version's labelled with its year). */
static void goal_enum(json *j, lr_arena *arena, const lr_project *p, int year, bool subgoals) {
  const lr_strategy *first = year ? lr_strategy_in_year(p, year) : &p->strategy;
  size_t n = 0, k = 0;
  for (const lr_strategy *st = first; st; st = year ? NULL : st->next)
    n += st->goal_count + (subgoals ? st->subgoal_count : 0);
  enum_entry *e = lr_arena_array(arena, n + 1, sizeof *e);
  for (const lr_strategy *st = first; st; st = year ? NULL : st->next) {
    const char *from = st->applies_from && !year ? lr_arena_printf(arena, " (från %d)", st->applies_from) : "";
    for (size_t i = 0; i < st->goal_count; i++) {
      const lr_goal *g = &st->goals[i];
      add_entry(e, &k, g->id, lr_arena_printf(arena, "Mål %s: %s%s", g->id, g->name, from));
      for (size_t s = 0; subgoals && s < g->subgoal_count; s++)
        add_entry(e, &k, g->subgoals[s].id,
                  lr_arena_printf(arena, "Delmål %s: %s%s", g->subgoals[s].id, g->subgoals[s].text, from));
    }
  }
  if (subgoals)
    enum_def(j, "mal", "Id för ett mål eller delmål i strategin. Ange helst delmålet när målet har "
                       "delmål.", e, k);
  else
    enum_def(j, "mal", "Id för ett av strategins mål (inte delmål).", e, k);
}

static void actor_enum(json *j, lr_arena *arena, const lr_project *p) {
  enum_entry *e = lr_arena_array(arena, p->actor_count + 1, sizeof *e);
  for (size_t i = 0; i < p->actor_count; i++) e[i] = (enum_entry){p->actors[i].id, p->actors[i].name};
  enum_def(j, "aktor", "Id för en aktör i aktörsregistret.", e, p->actor_count);
}

static void area_enum(json *j, lr_arena *arena, const lr_strategy *st) {
  enum_entry *e = lr_arena_array(arena, st->area_count + 1, sizeof *e);
  for (size_t i = 0; i < st->area_count; i++) e[i] = (enum_entry){st->areas[i].id, st->areas[i].name};
  enum_def(j, "omrade", st->area_count ? "Id för ett av strategins områden (våldsformer)."
                                       : "Strategin anger inga områden, så inget id passar här.",
           e, st->area_count);
}

static void token_enum(json *j, lr_arena *arena, const char *name, const char *description,
                       const char *const *tokens, size_t n, const char *(*label)(int)) {
  enum_entry *e = lr_arena_array(arena, n + 1, sizeof *e);
  for (size_t i = 0; i < n; i++) e[i] = (enum_entry){tokens[i], label((int)i)};
  enum_def(j, name, description, e, n);
}

static const char *status_label(int i) { return lr_status_label((lr_status)i); }
static const char *plan_label(int i) { return lr_plan_status_label((lr_plan_status)(i + 1)); }
static const char *type_label(int i) { return lr_actor_type_label((lr_actor_type)i); }

/* ---- the pieces properties are made of ---------------------------------- */

/* A one-line or Markdown text; null where the key may be left empty. */
static void text_property(json *j, const char *name, const char *description, bool nullable) {
  key(j, name);
  begin(j, '{');
  string_member(j, "description", description);
  raw_member(j, "type", nullable ? "[\"string\", \"null\"]" : "\"string\"");
  end(j, '}');
}

/* One id or a list of them, as lr_ctx_ids reads them; null is none. */
static void ids_property(json *j, const char *name, const char *description, const char *def,
                         bool required) {
  key(j, name);
  begin(j, '{');
  string_member(j, "description", description);
  key(j, "anyOf");
  begin(j, '[');
  next(j);
  lr_buf_printf(j->out, "{\"$ref\": \"#/$defs/%s\"}", def);
  next(j);
  lr_buf_printf(j->out, "{\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/%s\"}%s}", def,
                required ? ", \"minItems\": 1" : "");
  if (!required) {
    next(j);
    lr_buf_puts(j->out, "{\"type\": \"null\"}");
  }
  end(j, ']');
  end(j, '}');
}

static void object_start(json *j, const char *description, const char *const *required,
                         size_t required_count) {
  string_member(j, "description", description);
  raw_member(j, "type", "\"object\"");
  raw_member(j, "additionalProperties", "false");
  if (required_count) {
    key(j, "required");
    begin(j, '[');
    for (size_t i = 0; i < required_count; i++) string_item(j, required[i]);
    end(j, ']');
  }
  key(j, "properties");
  begin(j, '{');
}

static void object_end(json *j) {
  end(j, '}'); /* properties */
}

/* The property `name`: a list (or null) of objects, each described by
 * item and required as in object_start; their properties follow, and
 * object_list_end closes it. */
static void object_list_start(json *j, const char *name, const char *description, const char *item,
                              const char *const *required, size_t required_count) {
  key(j, name);
  begin(j, '{');
  string_member(j, "description", description);
  raw_member(j, "type", "[\"array\", \"null\"]");
  key(j, "items");
  begin(j, '{');
  object_start(j, item, required, required_count);
}

static void object_list_end(json *j) {
  object_end(j);
  end(j, '}'); /* items */
  end(j, '}'); /* the property */
}

static void document_start(json *j, const char *title, const char *description) {
  begin(j, '{');
  string_member(j, "$schema", "https://json-schema.org/draft/2020-12/schema");
  string_member(j, "title", title);
  string_member(j, "description", description);
}

static const char *strategy_title(lr_arena *arena, const lr_project *p) {
  const char *region = p->config.region ? p->config.region : p->strategy.region;
  return region ? lr_arena_printf(arena, "%s, %s", p->strategy.name, region) : p->strategy.name;
}

/* ---- the four files ------------------------------------------------------ */

static void activity_def(json *j) {
  key(j, "aktivitet");
  begin(j, '{');
  static const char *const required[] = {"rubrik", "mål", "status"};
  object_start(j, "En aktivitet: vad aktören gör under strategins mål.", required, 3);
  key(j, "id");
  begin(j, '{');
  string_member(j, "description",
                "Frivilligt id som följer aktiviteten mellan åren: små bokstäver a–z, siffror och "
                "bindestreck, t.ex. forum-kvinnofrid. Krävs för en gemensam aktivitet.");
  raw_member(j, "type", "\"string\"");
  string_member(j, "pattern", ACTIVITY_ID_PATTERN);
  end(j, '}');
  text_property(j, "rubrik", "Aktivitetens rubrik, på en rad.", false);
  ids_property(j, "mål",
               "Id för det eller de delmål (eller mål) som aktiviteten hör till. Det första "
               "målet är aktivitetens huvudmål.", "mal", true);
  ids_property(j, "ansvariga",
               "Andra aktörer som äger aktiviteten tillsammans med er; gör den till en "
               "gemensam aktivitet, som då behöver ett id.", "aktor", false);
  key(j, "status");
  begin(j, '{');
  string_member(j, "description", "Var aktiviteten står: planerad, pågående, genomförd eller avbruten.");
  ref_member(j, "status");
  end(j, '}');
  text_property(j, "beskrivning", "Vad som görs, för vem och med vilket resultat (Markdown).", true);
  ids_property(j, "områden", "Id för de områden (våldsformer) som aktiviteten gäller.", "omrade", false);
  ids_property(j, "samverkan", "Id för andra aktörer som aktiviteten görs i samverkan med.", "aktor", false);
  text_property(j, "målgrupp", "Vilka aktiviteten riktar sig till, på en rad.", true);
  key(j, "intern");
  begin(j, '{');
  string_member(j, "description",
                "true: aktiviteten syns bara i aktörens egen återkoppling, aldrig i rapporten.");
  raw_member(j, "type", "[\"boolean\", \"null\"]");
  end(j, '}');
  object_end(j);
  end(j, '}');
}

/* A value as the loader takes it: a number, never negative, whole for a
 * count, at most 100 for a share. */
static const char *indicator_number(lr_arena *arena, const lr_indicator *ind) {
  return lr_arena_printf(arena, "{\"type\": \"%s\", \"minimum\": 0%s}",
                         lr_indicator_is_count(ind) ? "integer" : "number",
                         lr_indicator_is_share(ind) ? ", \"maximum\": 100" : "");
}

/* The statement's indikatorer: the strategy's indicators by id, each a
 * number or {värde, enhet, kommentar}. */
static void indicator_values_property(json *j, lr_arena *arena, const lr_strategy *st) {
  key(j, "indikatorer");
  begin(j, '{');
  string_member(j, "description",
                "Värden för strategins länsgemensamma indikatorer: indikatorns id och ett tal, "
                "eller id och {värde, enhet, kommentar}.");
  raw_member(j, "type", "[\"object\", \"null\"]");
  raw_member(j, "additionalProperties", "false");
  key(j, "properties");
  begin(j, '{');
  for (size_t i = 0; i < st->indicator_count; i++) {
    const lr_indicator *ind = &st->indicators[i];
    const char *number = indicator_number(arena, ind);
    key(j, ind->id);
    begin(j, '{');
    string_member(j, "description", lr_arena_printf(arena, "%s (%s).", ind->name, ind->unit));
    key(j, "anyOf");
    begin(j, '[');
    next(j);
    lr_buf_puts(j->out, number);
    next(j);
    lr_buf_puts(j->out, "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"värde\"], \"properties\": {");
    lr_buf_printf(j->out, "\"värde\": %s, \"enhet\": ", number);
    if (lr_indicator_is_share(ind)) {
      lr_buf_puts(j->out, "{\"enum\": [\"procent\", \"%\"]}");
    } else {
      lr_buf_puts(j->out, "{\"const\": ");
      lr_json_string(ind->unit, j->out);
      lr_buf_puts(j->out, "}");
    }
    lr_buf_puts(j->out, ", \"kommentar\": {\"type\": [\"string\", \"null\"]}}}");
    end(j, ']');
    end(j, '}');
  }
  end(j, '}');
  end(j, '}');
}

static void statement_schema(json *j, lr_arena *arena, const lr_project *p, int year) {
  const char *title = lr_arena_printf(arena, "Yttrande – %s", strategy_title(arena, p));
  document_start(j, title,
                 "En aktörs yttrande för ett år, <år>/yttranden/<aktör>.yaml. Nycklarna och "
                 "värdena beskrivs i docs/format.md; lagesrapport check har sista ordet.");
  static const char *const required[] = {"aktör", "år", "aktiviteter"};
  raw_member(j, "type", "\"object\"");
  raw_member(j, "additionalProperties", "false");
  key(j, "required");
  begin(j, '[');
  for (size_t i = 0; i < 3; i++) string_item(j, required[i]);
  end(j, ']');
  key(j, "properties");
  begin(j, '{');
  key(j, "aktör");
  begin(j, '{');
  string_member(j, "description", "Aktörens id i aktörsregistret; samma som filens namn.");
  ref_member(j, "aktor");
  end(j, '}');
  key(j, "år");
  begin(j, '{');
  string_member(j, "description", "Året som yttrandet gäller; samma som mappen, utan citattecken.");
  raw_member(j, "type", "\"integer\"");
  if (year) {
    raw_member(j, "const", lr_arena_printf(arena, "%d", year));
  } else {
    raw_member(j, "minimum", "1900");
    raw_member(j, "maximum", "2999");
  }
  end(j, '}');
  key(j, "inkom");
  begin(j, '{');
  string_member(j, "description",
                "Datumet då yttrandet kom in, ÅÅÅÅ-MM-DD. Tomt betyder att formuläret inte har "
                "kommit tillbaka.");
  raw_member(j, "type", "[\"string\", \"null\"]");
  string_member(j, "pattern", DATE_PATTERN);
  end(j, '}');
  key(j, "kontakt");
  begin(j, '{');
  object_start(j, "Kontaktperson hos aktören.", NULL, 0);
  text_property(j, "namn", "Kontaktpersonens namn.", true);
  key(j, "epost");
  begin(j, '{');
  string_member(j, "description", "Kontaktpersonens e-postadress.");
  raw_member(j, "type", "[\"string\", \"null\"]");
  string_member(j, "pattern", EMAIL_PATTERN);
  end(j, '}');
  object_end(j);
  end(j, '}');
  key(j, "styrdokument");
  begin(j, '{');
  static const char *const plan_required[] = {"status"};
  object_start(j, "Aktörens eget styrdokument för arbetet.", plan_required, 1);
  key(j, "status");
  begin(j, '{');
  string_member(j, "description", "antagen, under-arbete eller saknas.");
  ref_member(j, "plan-status");
  end(j, '}');
  text_property(j, "beskrivning", "Vilket dokument det är och när det antogs (Markdown).", true);
  object_end(j);
  end(j, '}');
  key(j, "aktiviteter");
  begin(j, '{');
  string_member(j, "description", "Aktörens aktiviteter under året; tom lista om inga.");
  raw_member(j, "type", "[\"array\", \"null\"]");
  raw_member(j, "items", "{\"$ref\": \"#/$defs/aktivitet\"}");
  end(j, '}');
  text_property(j, "framgångsfaktorer", "Vad som har fungerat bra i arbetet (Markdown).", true);
  text_property(j, "utmaningar", "Vad som har varit svårt (Markdown).", true);
  text_property(j, "behov", "Vilket stöd aktören behöver från Länsstyrelsen (Markdown).", true);
  indicator_values_property(j, arena, &p->strategy);
  end(j, '}');

  key(j, "$defs");
  begin(j, '{');
  actor_enum(j, arena, p);
  goal_enum(j, arena, p, year, true);
  area_enum(j, arena, &p->strategy);
  token_enum(j, arena, "status", "Aktivitetens status.", lr_status_tokens, LR_STATUS_COUNT,
             status_label);
  token_enum(j, arena, "plan-status", "Styrdokumentets status.", lr_plan_status_tokens,
             LR_PLAN_STATUS_COUNT - 1, plan_label);
  activity_def(j);
  end(j, '}');
  end(j, '}');
}

static void id_property(json *j, const char *description) {
  key(j, "id");
  begin(j, '{');
  string_member(j, "description", description);
  raw_member(j, "type", "[\"string\", \"number\"]");
  end(j, '}');
}

/* "mål": a version's goals with their sub-goals (the first version's, or
 * a revision's whole framework). */
static void goals_property(json *j, const char *description) {
  static const char *const goal_required[] = {"id", "namn"};
  key(j, "mål");
  begin(j, '{');
  string_member(j, "description", description);
  raw_member(j, "type", "\"array\"");
  raw_member(j, "minItems", "1");
  key(j, "items");
  begin(j, '{');
  object_start(j, "Ett mål.", goal_required, 2);
  id_property(j, "Målets id, t.ex. \"1\" eller A. Unikt bland mål och delmål i samma version.");
  text_property(j, "namn", "Målets namn.", false);
  text_property(j, "beskrivning", "Vad målet innebär (Markdown).", true);
  static const char *const sub_required[] = {"id", "text"};
  object_list_start(j, "delmål", "Målets delmål i ordning.",
                    "Ett delmål.", sub_required, 2);
  id_property(j, "Delmålets id, t.ex. \"1:1\" eller A1. Unikt bland mål och delmål i samma version.");
  text_property(j, "text", "Delmålets text.", false);
  text_property(j, "målgrupp", "Vilka delmålet riktar sig till.", true);
  object_list_end(j);
  object_end(j);
  end(j, '}');
  end(j, '}');
}

/* "revisioner": later versions, each with its goals and where the ids of
 * the version before went. */
static void revisions_property(json *j) {
  static const char *const required[] = {"från", "mål"};
  object_list_start(j, "revisioner",
                    "Revideringar av strategin i tidsordning: från vilket år en ny version gäller, "
                    "hela dess målstruktur och vart den förra versionens id tog vägen. Se docs/revisioner.md.",
                    "En revision.", required, 2);
  key(j, "från");
  lr_buf_puts(j->out, "{\"description\": \"Första året den nya versionen gäller.\", \"type\": \"integer\"}");
  text_property(j, "namn", "Versionens namn, t.ex. Reviderad strategi 2024.", true);
  goals_property(j, "Den nya versionens mål i ordning, minst ett.");
  key(j, "ändringar");
  begin(j, '{');
  string_member(j, "description", "Id i versionen före till id i den här: ett id, en lista (delat) eller [] "
                "(borttaget). Id som finns i båda versionerna och inte står här är oförändrade.");
  raw_member(j, "type", "[\"object\", \"null\"]");
  raw_member(j, "additionalProperties",
             "{\"type\": [\"string\", \"number\", \"array\"], \"items\": {\"type\": [\"string\", \"number\"]}}");
  end(j, '}');
  object_list_end(j);
}

static void strategy_schema(json *j) {
  document_start(j, "Strategi", "Målstrukturen i strategi.yaml: mål, delmål och områden. Se docs/format.md.");
  static const char *const required[] = {"id", "namn", "mål"};
  raw_member(j, "type", "\"object\"");
  raw_member(j, "additionalProperties", "false");
  key(j, "required");
  begin(j, '[');
  for (size_t i = 0; i < 3; i++) string_item(j, required[i]);
  end(j, ']');
  key(j, "properties");
  begin(j, '{');
  id_property(j, "Strategins id, t.ex. skane-2024-2030.");
  text_property(j, "namn", "Strategins namn som rapporten skriver det.", false);
  text_property(j, "region", "Länet, t.ex. Skåne län.", true);
  key(j, "giltig");
  begin(j, '{');
  object_start(j, "Åren strategin gäller; new varnar för ett år utanför.", NULL, 0);
  key(j, "från");
  lr_buf_puts(j->out, "{\"description\": \"Första året.\", \"type\": \"integer\"}");
  key(j, "till");
  lr_buf_puts(j->out, "{\"description\": \"Sista året.\", \"type\": \"integer\"}");
  object_end(j);
  end(j, '}');
  text_property(j, "vision", "Strategins vision, på en rad.", true);
  static const char *const area_required[] = {"id", "namn"};
  object_list_start(j, "områden", "Områden (våldsformer) som aktiviteter kan anges under.",
                    "Ett område.", area_required, 2);
  id_property(j, "Områdets id, t.ex. hedersrelaterat-vald.");
  text_property(j, "namn", "Områdets namn.", false);
  object_list_end(j);
  goals_property(j, "Strategins mål i ordning, minst ett.");
  revisions_property(j);
  static const char *const indicator_required[] = {"id", "namn", "enhet", "rapporteras-av"};
  object_list_start(j, "indikatorer", "Länsgemensamma indikatorer som aktörerna lämnar varje år.",
                    "En indikator.", indicator_required, 4);
  key(j, "id");
  begin(j, '{');
  string_member(j, "description", "Indikatorns id: små bokstäver a–z, siffror och bindestreck.");
  raw_member(j, "type", "\"string\"");
  string_member(j, "pattern", ACTIVITY_ID_PATTERN);
  end(j, '}');
  text_property(j, "namn", "Vad som räknas, på en rad.", false);
  text_property(j, "enhet", "Enheten: antal (heltal), procent (0–100; länets siffra är medianen) eller annan text.", false);
  key(j, "högre-är-bättre");
  lr_buf_puts(j->out, "{\"description\": \"false när en lägre siffra är bättre.\", \"type\": [\"boolean\", \"null\"]}");
  key(j, "rapporteras-av");
  lr_buf_puts(j->out, "{\"description\": \"Aktörstyper och id för aktörer som ska lämna den.\", "
                      "\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"minItems\": 1}]}");
  text_property(j, "beskrivning", "Hur siffran tas fram (Markdown).", true);
  object_list_end(j);
  end(j, '}');
  end(j, '}');
}

static void actors_schema(json *j, lr_arena *arena) {
  document_start(j, "Aktörsregistret", "Aktörerna i aktorer.yaml. Se docs/format.md.");
  static const char *const required[] = {"aktörer"};
  raw_member(j, "type", "\"object\"");
  raw_member(j, "additionalProperties", "false");
  key(j, "required");
  begin(j, '[');
  string_item(j, required[0]);
  end(j, ']');
  key(j, "properties");
  begin(j, '{');
  static const char *const actor_required[] = {"id", "namn", "typ"};
  object_list_start(j, "aktörer", "Länets aktörer i den ordning rapporten listar dem.",
                    "En aktör.", actor_required, 3);
  key(j, "id");
  begin(j, '{');
  string_member(j, "description",
                "Aktörens id: små bokstäver a–z, siffror och bindestreck, högst 64 tecken. "
                "Yttrandets fil heter <id>.yaml.");
  raw_member(j, "type", "\"string\"");
  string_member(j, "pattern", ACTOR_ID_PATTERN);
  end(j, '}');
  text_property(j, "namn", "Aktörens namn som rapporten skriver det, t.ex. Lunds kommun.", false);
  key(j, "typ");
  begin(j, '{');
  string_member(j, "description", "Vilket slags aktör det är.");
  ref_member(j, "typ");
  end(j, '}');
  key(j, "epost");
  begin(j, '{');
  string_member(j, "description", "En adress eller en lista med adresser som formulär och "
                                  "återkopplingar skickas till.");
  key(j, "anyOf");
  begin(j, '[');
  next(j);
  lr_buf_printf(j->out, "{\"type\": \"string\", \"pattern\": ");
  lr_json_string(EMAIL_PATTERN, j->out);
  lr_buf_puts(j->out, "}");
  next(j);
  lr_buf_printf(j->out, "{\"type\": \"array\", \"items\": {\"type\": \"string\", \"pattern\": ");
  lr_json_string(EMAIL_PATTERN, j->out);
  lr_buf_puts(j->out, "}}");
  next(j);
  lr_buf_puts(j->out, "{\"type\": \"null\"}");
  end(j, ']');
  end(j, '}');
  object_list_end(j);
  end(j, '}');
  key(j, "$defs");
  begin(j, '{');
  token_enum(j, arena, "typ", "Aktörstyp.", lr_actor_type_tokens, LR_ACTOR_TYPE_COUNT, type_label);
  end(j, '}');
  end(j, '}');
}

/* A mapping from names (matching `names`, a schema, unless NULL) to texts. */
static void text_map_property(json *j, const char *name, const char *description, const char *names) {
  key(j, name);
  begin(j, '{');
  string_member(j, "description", description);
  raw_member(j, "type", "[\"object\", \"null\"]");
  if (names) raw_member(j, "propertyNames", names);
  raw_member(j, "additionalProperties", "{\"type\": [\"string\", \"null\"]}");
  end(j, '}');
}

static void texts_schema(json *j, lr_arena *arena, const lr_project *p) {
  document_start(j, lr_arena_printf(arena, "Rapporttexter – %s", strategy_title(arena, p)),
                 "Länsstyrelsens egna texter för ett års rapport, <år>/rapport.yaml. "
                 "Se docs/format.md.");
  raw_member(j, "type", "\"object\"");
  raw_member(j, "additionalProperties", "false");
  key(j, "properties");
  begin(j, '{');
  text_property(j, "titel", "Rapportens titel; annars \"Regional lägesrapport <år>\".", true);
  text_property(j, "datum", "Datum eller månad på titelsidan, t.ex. April 2024.", true);
  text_property(j, "inledning", "Inledningen (Markdown).", true);
  text_property(j, "resurser", "Länsstyrelsens resurser för arbetet (Markdown).", true);
  text_map_property(j, "analys", "Länsstyrelsens analys per mål: mål-id till text (Markdown).",
                    "{\"$ref\": \"#/$defs/mal\"}");
  key(j, "mål");
  begin(j, '{');
  string_member(j, "description", "Per mål: inledning till exemplen, exemplen som aktör/id i den ordning de "
                "visas, analys och avslutning. Se docs/format.md.");
  raw_member(j, "type", "[\"object\", \"null\"]");
  raw_member(j, "propertyNames", "{\"$ref\": \"#/$defs/mal\"}");
  key(j, "additionalProperties");
  begin(j, '{');
  object_start(j, "Ett måls texter och exempel.", NULL, 0);
  text_property(j, "inledning", "Text före exemplen (Markdown).", true);
  key(j, "exempel");
  begin(j, '{');
  string_member(j, "description", "Aktiviteterna som visas som exempel, som aktör/id, i ordning.");
  raw_member(j, "type", "[\"array\", \"null\"]");
  /* "aktör/id", or the same under "aktivitet" with a sentence leading in. */
  raw_member(j, "items",
             "{\"oneOf\": [{\"$ref\": \"#/$defs/exempel\"}, {\"type\": \"object\", \"additionalProperties\": false, "
             "\"required\": [\"aktivitet\"], \"properties\": {\"aktivitet\": {\"$ref\": \"#/$defs/exempel\"}, "
             "\"inledning\": {\"type\": [\"string\", \"null\"]}}}]}");
  end(j, '}');
  text_property(j, "analys", "Länsstyrelsens analys av målet (Markdown).", true);
  text_property(j, "avslutning", "Text efter exemplen (Markdown).", true);
  object_end(j);
  end(j, '}');
  end(j, '}');
  text_map_property(j, "källor", "Källor och fotnoter: namn till text; prosan hänvisar med [^namn].",
                    "{\"pattern\": \"^[a-z0-9]+(-[a-z0-9]+)*$\"}");
  text_map_property(j, "begrepp", "Begrepp och deras förklaringar (Markdown).", NULL);
  text_property(j, "avslutning", "Avslutningen (Markdown).", true);
  static const char *const required[] = {"namn"};
  object_list_start(j, "undertecknare", "De som undertecknar rapporten.",
                    "En undertecknare.", required, 1);
  text_property(j, "namn", "Namnet.", false);
  text_property(j, "titel", "Titeln, t.ex. landshövding.", true);
  text_property(j, "organisation", "Organisationen.", true);
  object_list_end(j);
  end(j, '}');
  key(j, "$defs");
  begin(j, '{');
  goal_enum(j, arena, p, 0, false);
  key(j, "exempel");
  begin(j, '{');
  string_member(j, "description", "En aktivitet som aktör/id, t.ex. jonkoping/projekt-heder.");
  raw_member(j, "type", "\"string\"");
  raw_member(j, "pattern", "\"^[^/]+/[a-z0-9]+(-[a-z0-9]+)*$\"");
  end(j, '}');
  end(j, '}');
  end(j, '}');
}

void lr_schema_render(const lr_project *p, unsigned kind, int year, lr_buf *out) {
  json j = {out, 0, {0}};
  lr_arena *arena = lr_arena_new();
  switch (kind) {
  case LR_SCHEMA_STRATEGY: strategy_schema(&j); break;
  case LR_SCHEMA_ACTORS: actors_schema(&j, arena); break;
  case LR_SCHEMA_TEXTS: texts_schema(&j, arena, p); break;
  default: statement_schema(&j, arena, p, year); break;
  }
  lr_buf_putc(out, '\n');
  lr_arena_free(arena);
}

const char *lr_schema_file_name(unsigned kind) {
  for (size_t i = 0; i < sizeof FILE_NAMES / sizeof *FILE_NAMES; i++)
    if (kind == 1u << i) return FILE_NAMES[i];
  return FILE_NAMES[0];
}

/* A schema is derived from the project, never edited by hand: it is
 * replaced whole (a temporary file renamed over it), so an editor never
 * reads half of one. */
bool lr_schema_file_write(lr_project *p, unsigned kind, int year, const char *path) {
  lr_buf text = {0};
  lr_schema_render(p, kind, year, &text);
  size_t n = strlen(path) + 16;
  char *temp = lr_xmalloc(n);
  snprintf(temp, n, "%s.XXXXXX", path);
  int fd = mkstemp(temp);
  bool ok = fd >= 0 && fchmod(fd, 0644) == 0 && lr_fd_write_all(fd, text.data, text.len) &&
            fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && rename(temp, path) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    if (fd >= 0) unlink(temp);
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0}, "kunde inte skriva schemat: %s",
                             lr_errno_text(saved));
    lr_diag_hint(&p->diags, d, "kontrollera att mappen finns och att du har skrivrättighet i den");
  }
  free(temp);
  lr_buf_free(&text);
  return ok;
}

bool lr_schema_write(lr_project *p, unsigned kinds, const char *dir, lr_schema_result *result) {
  *result = (lr_schema_result){0};
  if (!lr_project_ok(p)) return false;
  if (!dir) dir = lr_path_join(p->arena, p->config.root, "schema");
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){dir, 0, 0}, "kan inte skapa mappen: %s",
                             lr_errno_text(errno));
    lr_diag_hint(&p->diags, d, "välj en annan mapp med --out");
    return false;
  }
  bool ok = true;
  for (unsigned kind = 1; kind <= LR_SCHEMA_TEXTS && ok; kind <<= 1) {
    if (!(kinds & kind)) continue;
    const char *path = lr_path_join(p->arena, dir, lr_schema_file_name(kind));
    ok = lr_schema_file_write(p, kind, 0, path);
    if (ok) result->paths[result->count++] = path;
  }
  return ok;
}
