/* The report's computed sentences (sentences.c); internal to the
 * library, tested directly by tests/unit/test_sentences.c. */
#ifndef LR_SENTENCES_H
#define LR_SENTENCES_H

#include "render/render.h"

/* "en", "ett", "två" … "tolv", then "13": a number in running text. */
const char *lr_sentence_number(lr_arena *arena, size_t n, bool neuter);
/* "en aktivitet", "tre aktiviteter", "15 aktiviteter" */
const char *lr_sentence_count(lr_arena *arena, size_t n, const char *one, const char *many);
/* "ett mål", "fem mål": for nouns that take "ett" */
const char *lr_sentence_count_neuter(lr_arena *arena, size_t n, const char *one, const char *many);
/* "a", "a och b", "a, b och c" */
const char *lr_sentence_join(lr_arena *arena, const char *const *items, size_t n);
/* "Totalt svarade elva aktörer på yttrande för 2022, vilket är färre svar
 * jämfört med 2021 då 15 aktörer svarade." */
const char *lr_sentence_responses(lr_arena *arena, int year, size_t n, int previous_year,
                                  size_t previous_count, bool has_previous);
/* A period's answers: "Under 2021–2022 svarade 17 aktörer på yttrande
 * minst ett av åren: 15 för 2021 och 17 för 2022." counts is parallel
 * to years. */
const char *lr_sentence_period_responses(lr_arena *arena, const char *name, size_t answered,
                                         const int *years, const size_t *counts, size_t year_count);
/* "Under mål 2 redovisas nio aktiviteter från sex aktörer." */
const char *lr_sentence_goal_activities(lr_arena *arena, const char *goal_id, size_t activities,
                                        size_t actors);
/* Which sub-goals lack activities, or that all have examples; NULL for a
 * goal without sub-goals. counts is parallel to goal->subgoals. */
const char *lr_sentence_coverage(lr_arena *arena, const lr_goal *goal, const size_t *counts,
                                 const char *years);
/* The actors' own plans, from counts indexed by lr_plan_status. */
const char *lr_sentence_plans(lr_arena *arena, const size_t *counts, size_t responses);
/* "+2", "−1", "±0" */
const char *lr_sentence_change(lr_arena *arena, size_t before, size_t after);

/* A feedback page's first lines: "Ni redovisade tre aktiviteter under två av
 * strategins fyra mål.", and how many of them are internal. */
const char *lr_sentence_feedback_summary(lr_arena *arena, size_t activities, size_t goals_with,
                                         size_t goal_count, size_t internal);
/* "Totalt redovisade elva aktörer 40 aktiviteter i den publicerade rapporten för 2022." */
const char *lr_sentence_region_total(lr_arena *arena, size_t responses, size_t activities,
                                     const char *years);
/* "För 2021 redovisade ni två publicerade aktiviteter.", or that the actor
 * did not answer that year. */
const char *lr_sentence_feedback_previous(lr_arena *arena, int previous_year, bool answered,
                                          size_t activities);
/* "Inga skillnader mellan 2021 och 2022." */
const char *lr_sentence_no_differences(lr_arena *arena, int year_before, int year_after);
/* That no sub-goal gained its first or lost its last activity. */
const char *lr_sentence_same_coverage(void);
/* The workbook's comparison sheet when the year before has no statements. */
const char *lr_sentence_no_previous_year(lr_arena *arena, int year);
/* The workbook's document comment. */
const char *lr_sentence_workbook_comment(lr_arena *arena, const char *years);

/* Why the activities per goal add up to more than the total, or NULL when
 * they do not: an activity counts under every goal it serves. */
const char *lr_sentence_goal_overlap(lr_arena *arena, size_t activities, size_t per_goal_sum);
/* Plan versus outcome: "Av de sex aktiviteter som var planerade eller
 * pågående 2023 har två genomförts, …". counts is indexed by lr_outcome;
 * own speaks to the actor of a feedback page ("era"). */
const char *lr_sentence_followup(lr_arena *arena, const size_t *counts, int year_before,
                                 int year_after, bool own);
/* The same where what the plans are followed to is a period's later
 * years: "… finns inte med i yttrandena för 2024–2025". */
const char *lr_sentence_followup_until(lr_arena *arena, const size_t *counts, int year_before,
                                       const char *after, bool own);
/* "Två aktiviteter är nya för 2024.", and how many cannot be compared for
 * want of an id. */
const char *lr_sentence_new_activities(lr_arena *arena, size_t with_id, size_t without_id,
                                       const char *years, int year_before);

/* Trends: "Delmål 2.3 och 4.1 har inte haft någon aktivitet sedan 2021."
 * (last_year 0: "… under något av åren 2021–2023."); NULL when both lists
 * are empty. */
const char *lr_sentence_stale(lr_arena *arena, const char *const *subgoals, size_t subgoal_count,
                              const char *const *goals, size_t goal_count, int last_year, int first_year,
                              int year);
/* "Aneby kommun och Eksjö kommun har inte svarat sedan 2021." */
const char *lr_sentence_stopped(lr_arena *arena, const char *const *names, size_t n, int last_year);
/* "85 %", rounded, with a no-break space as Swedish writes it. */
const char *lr_sentence_percent(lr_arena *arena, size_t part, size_t whole);
/* "Svarsfrekvensen har minskat från 90 % 2021 till 75 % 2023." */
const char *lr_sentence_response_trend(lr_arena *arena, int first_year, size_t first_part, size_t first_whole,
                                       int year, size_t part, size_t whole);

#endif
