/* The report's computed sentences, as an officer would proof-read them. */
#include "render/sentences.h"
#include "check.h"

static lr_arena *arena;

static void test_responses(void) {
  CHECK_STR(lr_sentence_responses(arena, 2022, 11, 2021, 15, true),
            "Totalt svarade 11 aktörer på yttrande för 2022, vilket är färre svar jämfört med "
            "2021 då 15 aktörer svarade.");
  CHECK_STR(lr_sentence_responses(arena, 2022, 15, 2021, 11, true),
            "Totalt svarade 15 aktörer på yttrande för 2022, vilket är fler svar jämfört med "
            "2021 då 11 aktörer svarade.");
  CHECK_STR(lr_sentence_responses(arena, 2022, 11, 2021, 11, true),
            "Totalt svarade 11 aktörer på yttrande för 2022, vilket är lika många svar som 2021.");
  CHECK_STR(lr_sentence_responses(arena, 2022, 11, 0, 0, false),
            "Totalt svarade 11 aktörer på yttrande för 2022.");
  CHECK_STR(lr_sentence_responses(arena, 2024, 1, 2023, 1, true),
            "Totalt svarade 1 aktör på yttrande för 2024, vilket är lika många svar som 2023.");
  CHECK_STR(lr_sentence_responses(arena, 2024, 2, 2023, 1, true),
            "Totalt svarade 2 aktörer på yttrande för 2024, vilket är fler svar jämfört med 2023 "
            "då 1 aktör svarade.");
  CHECK_STR(lr_sentence_responses(arena, 2024, 0, 2023, 3, true),
            "Ingen aktör svarade på yttrande för 2024.");
}

static void test_coverage(void) {
  lr_goal goal = {.id = "2"};
  lr_subgoal subs[5] = {{.id = "2:1"}, {.id = "2:2"}, {.id = "2:3"}, {.id = "2:4"}, {.id = "2:5"}};
  goal.subgoals = subs;
  goal.subgoal_count = 5;
  size_t all[5] = {1, 2, 1, 4, 1};
  CHECK_STR(lr_sentence_coverage(arena, &goal, all, 2022),
            "Samtliga delmål i målområde 2 har exempel på aktiviteter.");
  size_t one_missing[5] = {1, 2, 0, 4, 1};
  CHECK_STR(lr_sentence_coverage(arena, &goal, one_missing, 2022),
            "Delmål 2:3 saknar exempel på aktiviteter för 2022.");
  size_t three_missing[5] = {0, 2, 0, 4, 0};
  CHECK_STR(lr_sentence_coverage(arena, &goal, three_missing, 2022),
            "Delmålen 2:1, 2:3 och 2:5 saknar exempel på aktiviteter för 2022.");
  size_t none[5] = {0};
  CHECK_STR(lr_sentence_coverage(arena, &goal, none, 2022),
            "Inget av delmålen i målområde 2 har exempel på aktiviteter för 2022.");
  goal.subgoal_count = 1;
  CHECK_STR(lr_sentence_coverage(arena, &goal, all, 2022),
            "Delmålet i målområde 2 har exempel på aktiviteter.");
  goal.subgoal_count = 0;
  CHECK(lr_sentence_coverage(arena, &goal, all, 2022) == NULL);
}

static void test_goal_activities_and_plans(void) {
  CHECK_STR(lr_sentence_goal_activities(arena, "A", 1, 1), "Under mål A redovisas 1 aktivitet från 1 aktör.");
  CHECK_STR(lr_sentence_goal_activities(arena, "3", 9, 6), "Under mål 3 redovisas 9 aktiviteter från 6 aktörer.");
  CHECK_STR(lr_sentence_goal_activities(arena, "3", 0, 0), "Under mål 3 redovisas inga aktiviteter.");
  size_t plans[LR_PLAN_STATUS_COUNT] = {0};
  plans[LR_PLAN_ANTAGEN] = 6;
  plans[LR_PLAN_UNDER_ARBETE] = 3;
  plans[LR_PLAN_SAKNAS] = 2;
  CHECK_STR(lr_sentence_plans(arena, plans, 11),
            "Av de 11 aktörer som svarade har 6 ett antaget styrdokument, 3 ett styrdokument "
            "under arbete och 2 saknar styrdokument.");
  plans[LR_PLAN_ANTAGEN] = plans[LR_PLAN_UNDER_ARBETE] = 0;
  plans[LR_PLAN_UNKNOWN] = 1;
  CHECK_STR(lr_sentence_plans(arena, plans, 3),
            "Av de 3 aktörer som svarade saknar 2 styrdokument och 1 har inte angett något.");
  plans[LR_PLAN_SAKNAS] = 0;
  plans[LR_PLAN_UNKNOWN] = 4;
  CHECK_STR(lr_sentence_plans(arena, plans, 4),
            "Ingen av de 4 aktörer som svarade har angett något om styrdokument.");
  size_t single[LR_PLAN_STATUS_COUNT] = {0};
  single[LR_PLAN_SAKNAS] = 1;
  CHECK_STR(lr_sentence_plans(arena, single, 1), "Aktören som svarade saknar styrdokument.");
  CHECK(lr_sentence_plans(arena, single, 0) == NULL);
}

static void test_join_and_change(void) {
  const char *items[] = {"Aneby", "Eksjö", "Tranås"};
  CHECK_STR(lr_sentence_join(arena, items, 1), "Aneby");
  CHECK_STR(lr_sentence_join(arena, items, 2), "Aneby och Eksjö");
  CHECK_STR(lr_sentence_join(arena, items, 3), "Aneby, Eksjö och Tranås");
  CHECK_STR(lr_sentence_change(arena, 3, 5), "+2");
  CHECK_STR(lr_sentence_change(arena, 5, 4), "−1");
  CHECK_STR(lr_sentence_change(arena, 2, 2), "±0");
}

static void test_feedback(void) {
  CHECK_STR(lr_sentence_count(arena, 1, "aktivitet", "aktiviteter"), "1 aktivitet");
  CHECK_STR(lr_sentence_count(arena, 0, "aktivitet", "aktiviteter"), "0 aktiviteter");
  CHECK_STR(lr_sentence_feedback_summary(arena, 0, 0, 4, 0),
            "Ert yttrande redovisar inga aktiviteter.");
  CHECK_STR(lr_sentence_feedback_summary(arena, 1, 1, 1, 0),
            "Ni redovisade 1 aktivitet under 1 av strategins 1 mål.");
  CHECK_STR(lr_sentence_feedback_summary(arena, 3, 2, 4, 1),
            "Ni redovisade 3 aktiviteter under 2 av strategins 4 mål. En av dem är markerade som "
            "interna och visas bara här, inte i den publicerade rapporten.");
  CHECK_STR(lr_sentence_feedback_summary(arena, 5, 3, 4, 2),
            "Ni redovisade 5 aktiviteter under 3 av strategins 4 mål. 2 av dem är markerade som "
            "interna och visas bara här, inte i den publicerade rapporten.");
  CHECK_STR(lr_sentence_region_total(arena, 1, 1, 2022),
            "Totalt redovisade 1 aktör 1 aktivitet i den publicerade rapporten för 2022.");
  CHECK_STR(lr_sentence_region_total(arena, 11, 40, 2022),
            "Totalt redovisade 11 aktörer 40 aktiviteter i den publicerade rapporten för 2022.");
  CHECK_STR(lr_sentence_feedback_previous(arena, 2021, false, 0),
            "Ni lämnade inget yttrande för 2021.");
  CHECK_STR(lr_sentence_feedback_previous(arena, 2021, true, 1),
            "För 2021 redovisade ni 1 publicerad aktivitet.");
  CHECK_STR(lr_sentence_feedback_previous(arena, 2021, true, 0),
            "För 2021 redovisade ni 0 publicerade aktiviteter.");
}

static void test_comparison(void) {
  CHECK_STR(lr_sentence_no_differences(arena, 2021, 2022), "Inga skillnader mellan 2021 och 2022.");
  CHECK_STR(lr_sentence_same_coverage(),
            "Täckningen är oförändrad: inget delmål fick sin första aktivitet eller förlorade sin "
            "sista.");
  CHECK_STR(lr_sentence_no_previous_year(arena, 2022),
            "Det finns inga yttranden för 2021, så det finns inget föregående år att jämföra 2022 "
            "med.");
  CHECK_STR(lr_sentence_workbook_comment(arena, 2022),
            "Underlag till lägesrapporten 2022, skapat av lagesrapport ur aktörernas yttranden.");
}

/* Plan versus outcome: the verb before the number in the first part,
 * only the outcomes there are, and the activities without an id apart. */
static void test_followup(void) {
  size_t counts[LR_OUTCOME_COUNT] = {[LR_OUTCOME_GENOMFORD] = 2, [LR_OUTCOME_PAGAENDE] = 1,
                                     [LR_OUTCOME_UNREPORTED] = 1, [LR_OUTCOME_UNTRACKED] = 3};
  CHECK_STR(lr_sentence_followup(arena, counts, 2023, 2024, false),
            "Av de 7 aktiviteter som var planerade eller pågående 2023 har 2 genomförts, 1 pågår "
            "fortfarande och 1 finns inte med i yttrandena för 2024. 3 saknade id och kan inte "
            "följas upp.");
  size_t still[LR_OUTCOME_COUNT] = {[LR_OUTCOME_PLANERAD] = 2, [LR_OUTCOME_AVBRUTEN] = 1};
  CHECK_STR(lr_sentence_followup(arena, still, 2023, 2024, true),
            "Av era 3 aktiviteter som var planerade eller pågående 2023 är 2 fortfarande planerade "
            "och 1 har avbrutits.");
  size_t one[LR_OUTCOME_COUNT] = {[LR_OUTCOME_UNREPORTED] = 1};
  CHECK_STR(lr_sentence_followup(arena, one, 2023, 2024, true),
            "Den aktivitet som ni hade planerad eller pågående 2023 finns inte med i ert yttrande "
            "för 2024.");
  size_t untracked[LR_OUTCOME_COUNT] = {[LR_OUTCOME_UNTRACKED] = 31};
  CHECK_STR(lr_sentence_followup(arena, untracked, 2021, 2022, false),
            "Det fanns 31 aktiviteter som var planerade eller pågående 2021. 31 saknade id och kan "
            "inte följas upp.");
  size_t none[LR_OUTCOME_COUNT] = {0};
  CHECK_STR(lr_sentence_followup(arena, none, 2021, 2022, false),
            "Inga aktiviteter var planerade eller pågående 2021.");
  CHECK_STR(lr_sentence_new_activities(arena, 1, 0, 2024, 2023), "1 aktivitet är ny för 2024.");
  CHECK_STR(lr_sentence_new_activities(arena, 0, 54, 2022, 2021),
            "54 aktiviteter saknar id och kan inte jämföras med 2021.");
  CHECK_STR(lr_sentence_new_activities(arena, 2, 1, 2024, 2023),
            "2 aktiviteter är nya för 2024. 1 aktivitet saknar id och kan inte jämföras med 2023.");
  CHECK_STR(lr_sentence_new_activities(arena, 0, 0, 2024, 2023), "Inga aktiviteter är nya för 2024.");
  CHECK(lr_sentence_goal_overlap(arena, 54, 54) == NULL);
  CHECK_STR(lr_sentence_goal_overlap(arena, 54, 64),
            "En aktivitet kan avse flera mål och räknas då under vart och ett av dem, så "
            "aktiviteterna per mål blir tillsammans 64 fast de är 54. Varje aktivitet beskrivs i "
            "sin helhet under sitt första mål.");
}

int main(void) {
  arena = lr_arena_new();
  test_followup();
  test_feedback();
  test_comparison();
  test_responses();
  test_coverage();
  test_goal_activities_and_plans();
  test_join_and_change();
  lr_arena_free(arena);
  return check_report();
}
