/* Activity identity: the ids activities are recognised by across
 * statements and years, and the year-level merge that makes a joint
 * activity one record however many of its owners write it down. */
#include "model/model.h"

#include <string.h>

bool lr_activity_id_valid(const char *id) {
  /* ^[a-z0-9]+(-[a-z0-9]+)*$ */
  bool after_dash = true;
  for (const char *c = id; *c; c++) {
    if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')) after_dash = false;
    else if (*c == '-' && !after_dash) after_dash = true;
    else return false;
  }
  return !after_dash;
}

/* Latin letters with marks as the plain letter a reader would type. */
static char plain_letter(uint32_t c) {
  static const struct { uint32_t from; char to; } map[] = {
      {0xe5, 'a'}, {0xe4, 'a'}, {0xe0, 'a'}, {0xe1, 'a'}, {0xe2, 'a'}, {0xc5, 'a'},
      {0xc4, 'a'}, {0xc0, 'a'}, {0xc1, 'a'}, {0xf6, 'o'}, {0xf8, 'o'}, {0xf3, 'o'},
      {0xf2, 'o'}, {0xd6, 'o'}, {0xd8, 'o'}, {0xe9, 'e'}, {0xe8, 'e'}, {0xea, 'e'},
      {0xeb, 'e'}, {0xc9, 'e'}, {0xfc, 'u'}, {0xdc, 'u'}, {0xed, 'i'}, {0xe7, 'c'},
  };
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return (char)c;
  if (c >= 'A' && c <= 'Z') return (char)(c - 'A' + 'a');
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (map[i].from == c) return map[i].to;
  return 0;
}

enum { SLUG_MAX = 40 };

const char *lr_activity_slug(lr_arena *arena, const char *text) {
  char out[SLUG_MAX + 1];
  size_t n = 0, len = strlen(text), step;
  for (size_t i = 0; i < len && n < SLUG_MAX; i += step) {
    char c = plain_letter(lr_char_decode(text + i, len - i, &step));
    if (c) out[n++] = c;
    else if (n && out[n - 1] != '-') out[n++] = '-';
  }
  while (n && out[n - 1] == '-') n--;
  return lr_arena_strndup(arena, out, n);
}

/* ---- the year's activities, each once ----------------------------------- */

/* An id names one activity per owner: "<aktör>/<id>". */
static const char *owner_key(lr_arena *arena, const lr_actor *owner, const char *id) {
  return lr_arena_printf(arena, "%s/%s", owner->id, id);
}

static bool same_text(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_targets(const lr_activity *a, const lr_activity *b) {
  if (a->target_count != b->target_count) return false;
  for (size_t i = 0; i < a->target_count; i++) {
    bool found = false;
    for (size_t k = 0; k < b->target_count; k++)
      found = found || (a->targets[i].goal == b->targets[k].goal &&
                        a->targets[i].subgoal == b->targets[k].subgoal);
    if (!found) return false;
  }
  return true;
}

/* Pointer lists compared as sets; the loaders keep each entry once. */
static bool same_set(const void *const *a, size_t na, const void *const *b, size_t nb) {
  if (na != nb) return false;
  for (size_t i = 0; i < na; i++) {
    bool found = false;
    for (size_t k = 0; k < nb; k++) found = found || a[i] == b[k];
    if (!found) return false;
  }
  return true;
}

/* The partners of a joint activity minus its owners: each owner's copy
 * leaves out only its own actor, and an owner is no partner anyway. */
static size_t partners_besides_owners(const lr_activity *a, const void **out) {
  size_t n = 0;
  for (size_t i = 0; i < a->partner_count; i++) {
    bool owner = false;
    for (size_t k = 0; k < a->owner_count; k++) owner = owner || a->owners[k] == a->partners[i];
    if (!owner) out[n++] = a->partners[i];
  }
  return n;
}

/* The first field, in the order the form lists them, where two copies of
 * one joint activity differ; NULL when they agree. */
static const char *differing_field(lr_arena *arena, const lr_activity *a, const lr_activity *b) {
  if (!same_text(a->heading, b->heading)) return "rubrik";
  if (!same_targets(a, b)) return "mål";
  if (a->status != b->status) return "status";
  if (!same_text(a->description, b->description)) return "beskrivning";
  if (!same_set((const void *const *)a->areas, a->area_count, (const void *const *)b->areas,
                b->area_count))
    return "områden";
  const void **pa = lr_arena_array(arena, a->partner_count + 1, sizeof *pa);
  const void **pb = lr_arena_array(arena, b->partner_count + 1, sizeof *pb);
  size_t na = partners_besides_owners(a, pa), nb = partners_besides_owners(b, pb);
  if (!same_set(pa, na, pb, nb)) return "samverkan";
  if (!same_text(a->target_group, b->target_group)) return "målgrupp";
  if (a->internal != b->internal) return "intern";
  return NULL;
}

static const char *place(lr_arena *arena, lr_loc loc) {
  return lr_arena_printf(arena, "%s:%d:%d", loc.file, loc.line, loc.column);
}

static bool same_owners(const lr_activity *a, const lr_activity *b) {
  return same_set((const void *const *)a->owners, a->owner_count, (const void *const *)b->owners,
                  b->owner_count);
}

/* An id names one activity per owner. Statements are visited in registry
 * order, so the copy written by the first owner is the one kept, and the
 * same files always give the same record. */
void lr_year_merge_activities(lr_project *p, lr_year *y) {
  lr_arena *arena = p->arena;
  lr_index by_owner; /* "<aktör>/<id>" -> the lr_activity_ref that has it */
  size_t expected = 0;
  for (size_t i = 0; i < y->statement_count; i++) expected += y->statements[i].activity_count;
  lr_index_init(&by_owner, arena, expected + 1);
  for (size_t i = 0; i < y->statement_count; i++) {
    lr_statement *s = &y->statements[i];
    for (size_t j = 0; j < s->activity_count; j++) {
      lr_activity *a = &s->activities[j];
      if (!a->id) continue;
      const lr_activity_ref *first = NULL;
      const lr_actor *shared_owner = NULL;
      for (size_t k = 0; k < a->owner_count && !first; k++) {
        first = lr_index_get(&by_owner, owner_key(arena, a->owners[k], a->id));
        shared_owner = a->owners[k];
      }
      if (!first) {
        lr_activity_ref *ref = lr_arena_alloc(arena, sizeof *ref);
        *ref = (lr_activity_ref){s, a};
        for (size_t k = 0; k < a->owner_count; k++)
          lr_index_put(&by_owner, owner_key(arena, a->owners[k], a->id), ref);
        continue;
      }
      const lr_activity *b = first->activity;
      if (first->statement != s && a->owner_count > 1 && same_owners(a, b)) {
        /* Counted once whether or not the copies agree: a conflict is
         * reported, never added up. */
        a->copy = true;
        const char *field = differing_field(arena, a, b);
        if (field) {
          lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, a->loc,
                                   "den gemensamma aktiviteten \"%s\" har ett annat värde för \"%s\" här än i yttrandet från %s",
                                   a->id, field, first->statement->actor->name);
          lr_diag_hint(&p->diags, d,
                       "den finns också i %s; skriv den lika i båda yttrandena, eller bara i det ena",
                       place(arena, b->loc));
        }
        continue;
      }
      lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, a->id_loc,
                               "id \"%s\" används redan av en annan aktivitet som %s ansvarar för",
                               a->id, shared_owner->name);
      if (b->owner_count > 1 || a->owner_count > 1)
        lr_diag_hint(&p->diags, d,
                     "den andra är \"%s\" i %s; samma gemensamma aktivitet har samma ansvariga i alla "
                     "yttranden, och olika aktiviteter har olika id",
                     b->heading, place(arena, b->id_loc));
      else
        lr_diag_hint(&p->diags, d, "den andra är \"%s\" i %s; ge aktiviteterna olika id", b->heading,
                     place(arena, b->id_loc));
    }
  }
}

/* ---- across years ---------------------------------------------------------- */

/* Intern activities are in it too: one that became intern has been
 * reported on, even if it is not shown. */
lr_index lr_year_activity_index(lr_project *p, const lr_year *y) {
  lr_index index;
  size_t n = 0;
  for (size_t i = 0; i < y->statement_count; i++) n += y->statements[i].activity_count;
  lr_index_init(&index, p->arena, n + 1);
  for (size_t i = 0; i < y->statement_count; i++) {
    const lr_statement *s = &y->statements[i];
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (a->copy || !a->id) continue;
      lr_activity_ref *ref = lr_arena_alloc(p->arena, sizeof *ref);
      *ref = (lr_activity_ref){s, a};
      for (size_t o = 0; o < a->owner_count; o++)
        lr_index_put(&index, owner_key(p->arena, a->owners[o], a->id), ref);
    }
  }
  return index;
}

const lr_activity_ref *lr_activity_find(lr_project *p, const lr_index *index, const lr_activity *a) {
  if (!a->id) return NULL;
  for (size_t o = 0; o < a->owner_count; o++) {
    const lr_activity_ref *ref = lr_index_get(index, owner_key(p->arena, a->owners[o], a->id));
    if (ref) return ref;
  }
  return NULL;
}

/* The statement this year of the owner who wrote the activity last year,
 * or else of another owner; NULL when none of them has answered (that
 * is warned about on its own). */
static const lr_statement *answering_owner(const lr_year *y, const lr_actor *writer,
                                           const lr_activity *a) {
  const lr_statement *other = NULL;
  for (size_t i = 0; i < y->statement_count; i++) {
    const lr_statement *s = &y->statements[i];
    if (s->actor == writer) return s;
    if (!other && lr_activity_owned_by(a, s->actor)) other = s;
  }
  return other;
}

static void warn_dropped(lr_project *p, const lr_year *before, const lr_year *after) {
  lr_index now = lr_year_activity_index(p, after);
  for (size_t i = 0; i < before->statement_count; i++) {
    const lr_statement *s = &before->statements[i];
    for (size_t j = 0; j < s->activity_count; j++) {
      const lr_activity *a = &s->activities[j];
      if (a->copy || !a->id) continue;
      if (a->status != LR_STATUS_PLANERAD && a->status != LR_STATUS_PAGAENDE) continue;
      if (lr_activity_find(p, &now, a)) continue;
      const lr_statement *where = answering_owner(after, s->actor, a);
      if (!where) continue;
      lr_diag *d = lr_diag_add(&p->diags, LR_WARNING, (lr_loc){where->path, 0, 0},
                               "aktiviteten \"%s\" (id %s) var %s %d men finns inte med för %d",
                               a->heading, a->id, lr_status_name(a->status), before->year,
                               after->year);
      lr_diag_hint(&p->diags, d,
                   "behåll den med id: %s och sin nya status, eller skriv status: avbruten om den "
                   "har avbrutits; den finns i %s:%d:%d",
                   a->id, a->loc.file, a->loc.line, a->loc.column);
    }
  }
}

void lr_years_check_carried(lr_project *p) {
  for (size_t i = 0; i < p->year_count; i++) {
    const lr_year *after = &p->years[i];
    const lr_year *before = lr_project_year(p, after->year - 1);
    if (after->found && before) warn_dropped(p, before, after);
  }
}

void lr_activity_target_ids(lr_arena *arena, const lr_strategy *st, const lr_activity *a,
                            const char ***goals, size_t *goal_count, const char ***subgoals,
                            size_t *subgoal_count) {
  const char **g_ids = lr_arena_array(arena, st->goal_count + 1, sizeof *g_ids);
  const char **s_ids = lr_arena_array(arena, st->subgoal_count + 1, sizeof *s_ids);
  size_t gn = 0, sn = 0;
  for (size_t g = 0; g < st->goal_count; g++) {
    const lr_goal *goal = &st->goals[g];
    bool touched = false;
    for (size_t t = 0; t < a->target_count; t++) touched = touched || a->targets[t].goal == goal;
    if (touched) g_ids[gn++] = goal->id;
    for (size_t k = 0; k < goal->subgoal_count; k++) {
      bool named = false;
      for (size_t t = 0; t < a->target_count; t++) named = named || a->targets[t].subgoal == &goal->subgoals[k];
      if (named) s_ids[sn++] = goal->subgoals[k].id;
    }
  }
  *goals = g_ids, *goal_count = gn;
  *subgoals = s_ids, *subgoal_count = sn;
}
