/* The report's computed sentences, written as a person would write them:
 * singular and plural right, comparisons only where there is something to
 * compare with, lists joined with "och". Kept in C, not in templates, so
 * that they are tested once and every output says the same thing. */
#include "render/render.h"
#include "render/sentences.h"

#include <string.h>

static const char *plural(size_t n, const char *one, const char *many) { return n == 1 ? one : many; }

/* Swedish style writes one to twelve in words in running text and larger
 * numbers in digits; tables keep digits throughout. "One" agrees with its
 * noun: "en aktör" but "ett mål". */
const char *lr_sentence_number(lr_arena *arena, size_t n, bool neuter) {
  static const char *const WORDS[] = {"noll", NULL, "två", "tre", "fyra", "fem", "sex",
                                      "sju", "åtta", "nio", "tio", "elva", "tolv"};
  if (n == 1) return neuter ? "ett" : "en";
  if (n < sizeof WORDS / sizeof *WORDS) return WORDS[n];
  return lr_arena_printf(arena, "%zu", n);
}

/* The same at the start of a sentence. */
static const char *capitalised(lr_arena *arena, const char *word) {
  if (*word < 'a' || *word > 'z') return word;
  char *copy = lr_arena_strdup(arena, word);
  copy[0] = (char)(copy[0] - 'a' + 'A');
  return copy;
}

static const char *count(lr_arena *arena, size_t n, bool neuter, const char *one,
                         const char *many) {
  if (n == 0) return lr_arena_printf(arena, "inga %s", many);
  return lr_arena_printf(arena, "%s %s", lr_sentence_number(arena, n, neuter), plural(n, one, many));
}

const char *lr_sentence_join(lr_arena *arena, const char *const *items, size_t n) {
  lr_buf b = {0};
  for (size_t i = 0; i < n; i++) {
    if (i) lr_buf_puts(&b, i + 1 == n ? " och " : ", ");
    lr_buf_puts(&b, items[i]);
  }
  const char *out = lr_arena_strdup(arena, b.data ? b.data : "");
  lr_buf_free(&b);
  return out;
}

const char *lr_sentence_responses(lr_arena *arena, int year, size_t n, int previous_year,
                                  size_t previous_count, bool has_previous) {
  if (n == 0)
    return lr_arena_printf(arena, "Ingen aktör svarade på yttrande för %d.", year);
  const char *now = lr_arena_printf(arena, "Totalt svarade %s på yttrande för %d",
                                    count(arena, n, false, "aktör", "aktörer"), year);
  if (!has_previous) return lr_arena_printf(arena, "%s.", now);
  if (n == previous_count)
    return lr_arena_printf(arena, "%s, vilket är lika många svar som %d.", now, previous_year);
  return lr_arena_printf(arena, "%s, vilket är %s svar jämfört med %d då %s svarade.", now,
                         n > previous_count ? "fler" : "färre", previous_year,
                         count(arena, previous_count, false, "aktör", "aktörer"));
}

const char *lr_sentence_period_responses(lr_arena *arena, const char *name, size_t answered,
                                         const int *years, const size_t *counts, size_t year_count) {
  if (answered == 0)
    return lr_arena_printf(arena, "Ingen aktör svarade på yttrande under %s.", name);
  const char **each = lr_arena_array(arena, year_count + 1, sizeof *each);
  for (size_t k = 0; k < year_count; k++)
    each[k] = lr_arena_printf(arena, "%s för %d", counts[k] ? lr_sentence_number(arena, counts[k], false) : "ingen",
                              years[k]);
  return lr_arena_printf(arena, "Under %s svarade %s på yttrande minst ett av åren: %s.", name,
                         count(arena, answered, false, "aktör", "aktörer"),
                         lr_sentence_join(arena, each, year_count));
}

const char *lr_sentence_goal_activities(lr_arena *arena, const char *goal_id, size_t activities,
                                        size_t actors) {
  if (activities == 0)
    return lr_arena_printf(arena, "Under mål %s redovisas inga aktiviteter.", goal_id);
  return lr_arena_printf(arena, "Under mål %s redovisas %s från %s.", goal_id,
                         count(arena, activities, false, "aktivitet", "aktiviteter"),
                         count(arena, actors, false, "aktör", "aktörer"));
}

const char *lr_sentence_coverage(lr_arena *arena, const lr_goal *goal, const size_t *counts,
                                 const char *years) {
  size_t n = goal->subgoal_count, missing = 0;
  if (n == 0) return NULL;
  const char **ids = lr_arena_array(arena, n, sizeof *ids);
  for (size_t i = 0; i < n; i++)
    if (!counts[i]) ids[missing++] = goal->subgoals[i].id;
  if (missing == 0)
    return n == 1 ? lr_arena_printf(arena, "Delmålet under mål %s har exempel på aktiviteter.", goal->id)
                  : lr_arena_printf(arena, "Samtliga delmål under mål %s har exempel på aktiviteter.",
                                    goal->id);
  if (missing == n)
    return n == 1 ? lr_arena_printf(arena, "Delmålet under mål %s saknar exempel på aktiviteter för %s.",
                                    goal->id, years)
                  : lr_arena_printf(arena, "Inget av delmålen under mål %s har exempel på aktiviteter för %s.",
                                    goal->id, years);
  return lr_arena_printf(arena, "%s %s saknar exempel på aktiviteter för %s.",
                         missing == 1 ? "Delmål" : "Delmålen", lr_sentence_join(arena, ids, missing),
                         years);
}

const char *lr_sentence_plans(lr_arena *arena, const size_t *counts, size_t responses) {
  if (responses == 0) return NULL;
  if (responses == 1) {
    const char *what = counts[LR_PLAN_ANTAGEN]        ? "har ett antaget styrdokument"
                       : counts[LR_PLAN_UNDER_ARBETE] ? "har ett styrdokument under arbete"
                       : counts[LR_PLAN_SAKNAS]       ? "saknar styrdokument"
                                                      : "har inte angett något om styrdokument";
    return lr_arena_printf(arena, "Aktören som svarade %s.", what);
  }
  /* Swedish puts the verb second: "Av de elva aktörer som svarade har sex …".
   * The first part carries the verb, the rest of the list leaves out a
   * repeated "har". */
  size_t adopted = counts[LR_PLAN_ANTAGEN], working = counts[LR_PLAN_UNDER_ARBETE],
         none = counts[LR_PLAN_SAKNAS], unknown = counts[LR_PLAN_UNKNOWN];
  if (unknown == responses)
    return lr_arena_printf(arena, "Ingen av de %s aktörer som svarade har angett något om styrdokument.",
                           lr_sentence_number(arena, responses, false));
  const char *parts[4];
  size_t n = 0;
  const char *lead;
  if (adopted || working) {
    lead = "har";
    if (adopted)
      parts[n++] = lr_arena_printf(arena, "%s ett antaget styrdokument", lr_sentence_number(arena, adopted, false));
    if (working)
      parts[n++] = lr_arena_printf(arena, "%s ett styrdokument under arbete",
                                   lr_sentence_number(arena, working, false));
    if (none) parts[n++] = lr_arena_printf(arena, "%s saknar styrdokument", lr_sentence_number(arena, none, false));
  } else {
    lead = "saknar";
    parts[n++] = lr_arena_printf(arena, "%s styrdokument", lr_sentence_number(arena, none, false));
  }
  if (unknown)
    parts[n++] = lr_arena_printf(arena, "%s har inte angett något", lr_sentence_number(arena, unknown, false));
  return lr_arena_printf(arena, "Av de %s aktörer som svarade %s %s.", lr_sentence_number(arena, responses, false),
                         lead, lr_sentence_join(arena, parts, n));
}

const char *lr_sentence_change(lr_arena *arena, size_t before, size_t after) {
  if (after == before) return "±0";
  return after > before ? lr_arena_printf(arena, "+%zu", after - before)
                        : lr_arena_printf(arena, "−%zu", before - after);
}

const char *lr_sentence_count(lr_arena *arena, size_t n, const char *one, const char *many) {
  return count(arena, n, false, one, many);
}

const char *lr_sentence_count_neuter(lr_arena *arena, size_t n, const char *one, const char *many) {
  return count(arena, n, true, one, many);
}

const char *lr_sentence_feedback_summary(lr_arena *arena, size_t activities, size_t goals_with,
                                         size_t goal_count, size_t internal) {
  const char *summary =
      activities == 0 ? "Ert yttrande redovisar inga aktiviteter."
                      : lr_arena_printf(arena, "Ni redovisade %s under %s av strategins %s.",
                                        lr_sentence_count(arena, activities, "aktivitet", "aktiviteter"),
                                        lr_sentence_number(arena, goals_with, true),
                                        lr_sentence_count_neuter(arena, goal_count, "mål", "mål"));
  if (!internal) return summary;
  if (internal == 1)
    return lr_arena_printf(arena, "%s En av dem är markerad som intern och visas bara här, inte i "
                                  "den publicerade rapporten.",
                           summary);
  return lr_arena_printf(arena, "%s %s av dem är markerade som interna och visas bara här, inte i "
                                "den publicerade rapporten.",
                         summary, capitalised(arena, lr_sentence_number(arena, internal, false)));
}

const char *lr_sentence_region_total(lr_arena *arena, size_t responses, size_t activities,
                                     const char *years) {
  return lr_arena_printf(arena, "Totalt redovisade %s %s i den publicerade rapporten för %s.",
                         lr_sentence_count(arena, responses, "aktör", "aktörer"),
                         lr_sentence_count(arena, activities, "aktivitet", "aktiviteter"), years);
}

const char *lr_sentence_feedback_previous(lr_arena *arena, int previous_year, bool answered,
                                          size_t activities) {
  if (!answered) return lr_arena_printf(arena, "Ni lämnade inget yttrande för %d.", previous_year);
  return lr_arena_printf(arena, "För %d redovisade ni %s.", previous_year,
                         lr_sentence_count(arena, activities, "publicerad aktivitet",
                                    "publicerade aktiviteter"));
}

const char *lr_sentence_no_differences(lr_arena *arena, int year_before, int year_after) {
  return lr_arena_printf(arena, "Inga skillnader mellan %d och %d.", year_before, year_after);
}

const char *lr_sentence_same_coverage(void) {
  return "Täckningen är oförändrad: inget delmål fick sin första aktivitet eller förlorade sin "
         "sista.";
}

const char *lr_sentence_no_previous_year(lr_arena *arena, int year) {
  return lr_arena_printf(arena, "Det finns inga yttranden för %d, så det finns inget föregående "
                                "år att jämföra %d med.",
                         year - 1, year);
}

const char *lr_sentence_workbook_comment(lr_arena *arena, const char *years) {
  return lr_arena_printf(arena, "Underlag till lägesrapporten %s, skapat av lagesrapport ur "
                                "aktörernas yttranden.",
                         years);
}

const char *lr_sentence_goal_overlap(lr_arena *arena, size_t activities, size_t per_goal_sum) {
  if (per_goal_sum <= activities) return NULL;
  return lr_arena_printf(arena,
                         "En aktivitet kan avse flera mål och räknas då under vart och ett av dem. "
                         "Därför är summan per mål %s, fast %s.",
                         lr_sentence_number(arena, per_goal_sum, false),
                         activities == 1 ? "det bara är en aktivitet"
                                         : lr_arena_printf(arena, "aktiviteterna är %s",
                                                           lr_sentence_number(arena, activities, false)));
}

const char *lr_sentence_followup(lr_arena *arena, const size_t *counts, int year_before,
                                 int year_after, bool own) {
  return lr_sentence_followup_until(arena, counts, year_before, lr_arena_printf(arena, "%d", year_after), own);
}

const char *lr_sentence_followup_until(lr_arena *arena, const size_t *counts, int year_before,
                                       const char *after, bool own) {
  size_t total = 0;
  for (int o = 0; o < LR_OUTCOME_COUNT; o++) total += counts[o];
  if (total == 0)
    return lr_arena_printf(arena, "%s var planerade eller pågående %d.",
                           own ? "Inga av era aktiviteter" : "Inga aktiviteter", year_before);
  /* The first part follows "Av de sex aktiviteter … 2023", so its verb
   * comes before the number: "har två genomförts, en pågår fortfarande". */
  const char *parts[LR_OUTCOME_COUNT];
  size_t n = 0;
  for (int o = 0; o < LR_OUTCOME_UNTRACKED; o++) {
    size_t k = counts[o];
    if (!k) continue;
    const char *verb = "", *rest = "";
    switch ((lr_outcome)o) {
    case LR_OUTCOME_GENOMFORD: verb = "har"; rest = "genomförts"; break;
    case LR_OUTCOME_PAGAENDE: verb = "pågår"; rest = "fortfarande"; break;
    case LR_OUTCOME_PLANERAD: verb = "är"; rest = k == 1 ? "fortfarande planerad" : "fortfarande planerade"; break;
    case LR_OUTCOME_AVBRUTEN: verb = "har"; rest = "avbrutits"; break;
    case LR_OUTCOME_UNREPORTED:
      verb = "finns";
      rest = lr_arena_printf(arena, "inte med i %s för %s", own ? "ert yttrande" : "yttrandena", after);
      break;
    default: break;
    }
    if (total == 1) parts[n++] = lr_arena_printf(arena, "%s %s", verb, rest);
    else if (n == 0) parts[n++] = lr_arena_printf(arena, "%s %s %s", verb, lr_sentence_number(arena, k, false), rest);
    else parts[n++] = lr_arena_printf(arena, "%s %s %s", lr_sentence_number(arena, k, false), verb, rest);
  }
  const char *untracked =
      !counts[LR_OUTCOME_UNTRACKED] ? ""
      : total == 1 ? " Den saknade id och kan inte följas upp."
      : lr_arena_printf(arena, " %s saknade id och kan inte följas upp.",
                        capitalised(arena, lr_sentence_number(arena, counts[LR_OUTCOME_UNTRACKED], false)));
  if (n == 0)
    return lr_arena_printf(arena, "%s %s som var %s %d.%s", own ? "Ni hade" : "Det fanns",
                           count(arena, total, false, "aktivitet", "aktiviteter"),
                           plural(total, "planerad eller pågående", "planerade eller pågående"),
                           year_before, untracked);
  const char *joined = lr_sentence_join(arena, parts, n);
  if (total == 1)
    return lr_arena_printf(arena, "Den aktivitet som %s planerad eller pågående %d %s.%s",
                           own ? "ni hade" : "var", year_before, joined, untracked);
  return lr_arena_printf(arena, "Av %s %s aktiviteter som var planerade eller pågående %d %s.%s",
                         own ? "era" : "de", lr_sentence_number(arena, total, false), year_before, joined,
                         untracked);
}

const char *lr_sentence_new_activities(lr_arena *arena, size_t with_id, size_t without_id,
                                       const char *years, int year_before) {
  const char *unknown =
      without_id == 1 ? lr_arena_printf(arena, "En aktivitet saknar id och kan inte jämföras med %d.", year_before)
      : lr_arena_printf(arena, "%s aktiviteter saknar id och kan inte jämföras med %d.",
                        capitalised(arena, lr_sentence_number(arena, without_id, false)), year_before);
  if (with_id == 0)
    return without_id ? unknown : lr_arena_printf(arena, "Inga aktiviteter är nya för %s.", years);
  const char *known = lr_arena_printf(arena, "%s %s %s.", capitalised(arena, lr_sentence_number(arena, with_id, false)),
                                      with_id == 1 ? "aktivitet är ny för" : "aktiviteter är nya för", years);
  return without_id ? lr_arena_printf(arena, "%s %s", known, unknown) : known;
}

/* ---- trends over the years ---------------------------------------------- */

const char *lr_sentence_stale(lr_arena *arena, const char *const *subgoals, size_t subgoal_count,
                              const char *const *goals, size_t goal_count, int last_year, int first_year,
                              int year) {
  const char *what = subgoal_count ? lr_arena_printf(arena, "Delmål %s", lr_sentence_join(arena, subgoals, subgoal_count))
                                   : NULL;
  if (goal_count) {
    const char *g = lr_arena_printf(arena, "mål %s", lr_sentence_join(arena, goals, goal_count));
    what = what ? lr_arena_printf(arena, "%s samt %s", what, g) : capitalised(arena, g);
  }
  if (!what) return NULL;
  if (last_year) return lr_arena_printf(arena, "%s har inte haft någon aktivitet sedan %d.", what, last_year);
  return lr_arena_printf(arena, "%s har inte haft någon aktivitet under något av åren %d–%d.", what, first_year, year);
}

const char *lr_sentence_stopped(lr_arena *arena, const char *const *names, size_t n, int last_year) {
  if (!n) return NULL;
  return lr_arena_printf(arena, "%s har inte svarat sedan %d.", lr_sentence_join(arena, names, n), last_year);
}

const char *lr_sentence_percent(lr_arena *arena, size_t part, size_t whole) {
  size_t percent = whole ? (part * 100 + whole / 2) / whole : 0;
  return lr_arena_printf(arena, "%zu\u00a0%%", percent);
}

const char *lr_sentence_response_trend(lr_arena *arena, int first_year, size_t first_part, size_t first_whole,
                                       int year, size_t part, size_t whole) {
  size_t before = first_whole ? (first_part * 100 + first_whole / 2) / first_whole : 0;
  size_t now = whole ? (part * 100 + whole / 2) / whole : 0;
  const char *a = lr_sentence_percent(arena, first_part, first_whole), *b = lr_sentence_percent(arena, part, whole);
  if (now == before)
    return lr_arena_printf(arena, "Svarsfrekvensen var %s både %d och %d.", b, first_year, year);
  return lr_arena_printf(arena, "Svarsfrekvensen har %s från %s %d till %s %d.", now > before ? "ökat" : "minskat", a,
                         first_year, b, year);
}
