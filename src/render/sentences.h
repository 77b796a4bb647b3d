/* The report's computed sentences (sentences.c); internal to the
 * library, tested directly by tests/unit/test_sentences.c. */
#ifndef LR_SENTENCES_H
#define LR_SENTENCES_H

#include "render/render.h"

/* "a", "a och b", "a, b och c" */
const char *lr_sentence_join(lr_arena *arena, const char *const *items, size_t n);
/* "Totalt svarade 11 aktörer på yttrande för 2022, vilket är färre svar
 * jämfört med 2021 då 15 aktörer svarade." */
const char *lr_sentence_responses(lr_arena *arena, int year, size_t count, int previous_year,
                                  size_t previous_count, bool has_previous);
/* "Under mål 2 redovisas 9 aktiviteter från 6 aktörer." */
const char *lr_sentence_goal_activities(lr_arena *arena, const char *goal_id, size_t activities,
                                        size_t actors);
/* Which sub-goals lack activities, or that all have examples; NULL for a
 * goal without sub-goals. counts is parallel to goal->subgoals. */
const char *lr_sentence_coverage(lr_arena *arena, const lr_goal *goal, const size_t *counts,
                                 int year);
/* The actors' own plans, from counts indexed by lr_plan_status. */
const char *lr_sentence_plans(lr_arena *arena, const size_t *counts, size_t responses);
/* "+2", "−1", "±0" */
const char *lr_sentence_change(lr_arena *arena, size_t before, size_t after);

#endif
