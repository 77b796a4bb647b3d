/* The report's computed sentences, as an officer would proof-read them. */
#include "render/sentences.h"
#include "check.h"

static lr_arena *arena;

static void test_responses(void) {
  CHECK_STR(lr_sentence_responses(arena, 2022, 11, 2021, 15, true),
            "Totalt svarade elva aktörer på yttrande för 2022, vilket är färre svar jämfört med "
            "2021 då 15 aktörer svarade.");
  CHECK_STR(lr_sentence_responses(arena, 2022, 15, 2021, 11, true),
            "Totalt svarade 15 aktörer på yttrande för 2022, vilket är fler svar jämfört med "
            "2021 då elva aktörer svarade.");
  CHECK_STR(lr_sentence_responses(arena, 2022, 11, 2021, 11, true),
            "Totalt svarade elva aktörer på yttrande för 2022, vilket är lika många svar som 2021.");
  CHECK_STR(lr_sentence_responses(arena, 2022, 11, 0, 0, false),
            "Totalt svarade elva aktörer på yttrande för 2022.");
  CHECK_STR(lr_sentence_responses(arena, 2024, 1, 2023, 1, true),
            "Totalt svarade en aktör på yttrande för 2024, vilket är lika många svar som 2023.");
  CHECK_STR(lr_sentence_responses(arena, 2024, 2, 2023, 1, true),
            "Totalt svarade två aktörer på yttrande för 2024, vilket är fler svar jämfört med 2023 "
            "då en aktör svarade.");
  CHECK_STR(lr_sentence_responses(arena, 2024, 0, 2023, 3, true),
            "Ingen aktör svarade på yttrande för 2024.");
}

static void test_period_responses(void) {
  const int years[] = {2021, 2022, 2023};
  const size_t counts[] = {15, 12, 1};
  CHECK_STR(lr_sentence_period_responses(arena, "2021–2022", 17, years, counts, 2),
            "Under 2021–2022 svarade 17 aktörer på yttrande minst ett av åren: 15 för 2021 och tolv "
            "för 2022.");
  CHECK_STR(lr_sentence_period_responses(arena, "2021–2023", 1, years, (const size_t[]){1, 0, 1}, 3),
            "Under 2021–2023 svarade en aktör på yttrande minst ett av åren: en för 2021, ingen för "
            "2022 och en för 2023.");
  CHECK_STR(lr_sentence_period_responses(arena, "2021–2022", 0, years, (const size_t[]){0, 0}, 2),
            "Ingen aktör svarade på yttrande under 2021–2022.");
}

static void test_coverage(void) {
  lr_goal goal = {.id = "2"};
  lr_subgoal subs[5] = {{.id = "2:1"}, {.id = "2:2"}, {.id = "2:3"}, {.id = "2:4"}, {.id = "2:5"}};
  goal.subgoals = subs;
  goal.subgoal_count = 5;
  size_t all[5] = {1, 2, 1, 4, 1};
  CHECK_STR(lr_sentence_coverage(arena, &goal, all, "2022"),
            "Samtliga delmål under mål 2 har exempel på aktiviteter.");
  size_t one_missing[5] = {1, 2, 0, 4, 1};
  CHECK_STR(lr_sentence_coverage(arena, &goal, one_missing, "2022"),
            "Delmål 2:3 saknar exempel på aktiviteter för 2022.");
  size_t three_missing[5] = {0, 2, 0, 4, 0};
  CHECK_STR(lr_sentence_coverage(arena, &goal, three_missing, "2022"),
            "Delmålen 2:1, 2:3 och 2:5 saknar exempel på aktiviteter för 2022.");
  size_t none[5] = {0};
  CHECK_STR(lr_sentence_coverage(arena, &goal, none, "2022"),
            "Inget av delmålen under mål 2 har exempel på aktiviteter för 2022.");
  goal.subgoal_count = 1;
  CHECK_STR(lr_sentence_coverage(arena, &goal, all, "2022"),
            "Delmålet under mål 2 har exempel på aktiviteter.");
  goal.subgoal_count = 0;
  CHECK(lr_sentence_coverage(arena, &goal, all, "2022") == NULL);
}

static void test_goal_activities_and_plans(void) {
  CHECK_STR(lr_sentence_goal_activities(arena, "A", 1, 1), "Under mål A redovisas en aktivitet från en aktör.");
  CHECK_STR(lr_sentence_goal_activities(arena, "3", 9, 6), "Under mål 3 redovisas nio aktiviteter från sex aktörer.");
  CHECK_STR(lr_sentence_goal_activities(arena, "3", 0, 0), "Under mål 3 redovisas inga aktiviteter.");
  size_t plans[LR_PLAN_STATUS_COUNT] = {0};
  plans[LR_PLAN_ANTAGEN] = 6;
  plans[LR_PLAN_UNDER_ARBETE] = 3;
  plans[LR_PLAN_SAKNAS] = 2;
  CHECK_STR(lr_sentence_plans(arena, plans, 11),
            "Av de elva aktörer som svarade har sex ett antaget styrdokument, tre ett styrdokument "
            "under arbete och två saknar styrdokument.");
  plans[LR_PLAN_ANTAGEN] = plans[LR_PLAN_UNDER_ARBETE] = 0;
  plans[LR_PLAN_UNKNOWN] = 1;
  CHECK_STR(lr_sentence_plans(arena, plans, 3),
            "Av de tre aktörer som svarade saknar två styrdokument och en har inte angett något.");
  plans[LR_PLAN_SAKNAS] = 0;
  plans[LR_PLAN_UNKNOWN] = 4;
  CHECK_STR(lr_sentence_plans(arena, plans, 4),
            "Ingen av de fyra aktörer som svarade har angett något om styrdokument.");
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

/* One to twelve in words, in both genders; larger numbers in digits. */
static void test_number_words(void) {
  static const char *const COMMON[] = {"noll", "en", "två", "tre", "fyra", "fem", "sex",
                                       "sju", "åtta", "nio", "tio", "elva", "tolv"};
  for (size_t n = 0; n < sizeof COMMON / sizeof *COMMON; n++) {
    CHECK_STR(lr_sentence_number(arena, n, false), COMMON[n]);
    CHECK_STR(lr_sentence_number(arena, n, true), n == 1 ? "ett" : COMMON[n]);
  }
  CHECK_STR(lr_sentence_number(arena, 13, false), "13");
  CHECK_STR(lr_sentence_number(arena, 136, true), "136");
  CHECK_STR(lr_sentence_count(arena, 2, "aktör", "aktörer"), "två aktörer");
  CHECK_STR(lr_sentence_count(arena, 12, "aktivitet", "aktiviteter"), "tolv aktiviteter");
  CHECK_STR(lr_sentence_count(arena, 13, "aktivitet", "aktiviteter"), "13 aktiviteter");
  CHECK_STR(lr_sentence_count_neuter(arena, 1, "mål", "mål"), "ett mål");
  CHECK_STR(lr_sentence_count_neuter(arena, 5, "mål", "mål"), "fem mål");
  CHECK_STR(lr_sentence_count_neuter(arena, 0, "delmål", "delmål"), "inga delmål");
  CHECK_STR(lr_sentence_count_neuter(arena, 24, "delmål", "delmål"), "24 delmål");
}

static void test_feedback(void) {
  CHECK_STR(lr_sentence_count(arena, 1, "aktivitet", "aktiviteter"), "en aktivitet");
  CHECK_STR(lr_sentence_count(arena, 0, "aktivitet", "aktiviteter"), "inga aktiviteter");
  CHECK_STR(lr_sentence_feedback_summary(arena, 0, 0, 4, 0),
            "Ert yttrande redovisar inga aktiviteter.");
  CHECK_STR(lr_sentence_feedback_summary(arena, 1, 1, 1, 0),
            "Ni redovisade en aktivitet under ett av strategins ett mål.");
  CHECK_STR(lr_sentence_feedback_summary(arena, 3, 2, 4, 1),
            "Ni redovisade tre aktiviteter under två av strategins fyra mål. En av dem är markerad som "
            "intern och visas bara här, inte i den publicerade rapporten.");
  CHECK_STR(lr_sentence_feedback_summary(arena, 5, 3, 4, 2),
            "Ni redovisade fem aktiviteter under tre av strategins fyra mål. Två av dem är markerade som "
            "interna och visas bara här, inte i den publicerade rapporten.");
  CHECK_STR(lr_sentence_region_total(arena, 1, 1, "2022"),
            "Totalt redovisade en aktör en aktivitet i den publicerade rapporten för 2022.");
  CHECK_STR(lr_sentence_region_total(arena, 11, 40, "2022"),
            "Totalt redovisade elva aktörer 40 aktiviteter i den publicerade rapporten för 2022.");
  CHECK_STR(lr_sentence_feedback_summary(arena, 14, 1, 9, 13),
            "Ni redovisade 14 aktiviteter under ett av strategins nio mål. 13 av dem är markerade "
            "som interna och visas bara här, inte i den publicerade rapporten.");
  CHECK_STR(lr_sentence_feedback_previous(arena, 2021, false, 0),
            "Ni lämnade inget yttrande för 2021.");
  CHECK_STR(lr_sentence_feedback_previous(arena, 2021, true, 1),
            "För 2021 redovisade ni en publicerad aktivitet.");
  CHECK_STR(lr_sentence_feedback_previous(arena, 2021, true, 0),
            "För 2021 redovisade ni inga publicerade aktiviteter.");
}

/* Plan versus outcome, and the overview's note on activities under
 * several goals, with every count from one upwards spelt as it is read. */
static void test_followup(void) {
  size_t counts[LR_OUTCOME_COUNT] = {0};
  counts[LR_OUTCOME_GENOMFORD] = 6;
  counts[LR_OUTCOME_PAGAENDE] = 13;
  counts[LR_OUTCOME_UNREPORTED] = 9;
  counts[LR_OUTCOME_UNTRACKED] = 1;
  CHECK_STR(lr_sentence_followup(arena, counts, 2021, 2022, false),
            "Av de 29 aktiviteter som var planerade eller pågående 2021 har sex genomförts, 13 pågår "
            "fortfarande och nio finns inte med i yttrandena för 2022. En saknade id och kan inte "
            "följas upp.");
  size_t own[LR_OUTCOME_COUNT] = {0};
  own[LR_OUTCOME_PLANERAD] = 1;
  own[LR_OUTCOME_AVBRUTEN] = 2;
  CHECK_STR(lr_sentence_followup(arena, own, 2023, 2024, true),
            "Av era tre aktiviteter som var planerade eller pågående 2023 är en fortfarande "
            "planerad och två har avbrutits.");
  size_t one[LR_OUTCOME_COUNT] = {0};
  one[LR_OUTCOME_GENOMFORD] = 1;
  CHECK_STR(lr_sentence_followup(arena, one, 2023, 2024, false),
            "Den aktivitet som var planerad eller pågående 2023 har genomförts.");
  size_t untracked[LR_OUTCOME_COUNT] = {0};
  untracked[LR_OUTCOME_UNTRACKED] = 2;
  CHECK_STR(lr_sentence_followup(arena, untracked, 2023, 2024, true),
            "Ni hade två aktiviteter som var planerade eller pågående 2023. Två saknade id och kan "
            "inte följas upp.");
  size_t none[LR_OUTCOME_COUNT] = {0};
  CHECK_STR(lr_sentence_followup(arena, none, 2023, 2024, false),
            "Inga aktiviteter var planerade eller pågående 2023.");
  size_t mixed[LR_OUTCOME_COUNT] = {[LR_OUTCOME_GENOMFORD] = 2, [LR_OUTCOME_PAGAENDE] = 1,
                                    [LR_OUTCOME_UNREPORTED] = 1, [LR_OUTCOME_UNTRACKED] = 3};
  CHECK_STR(lr_sentence_followup(arena, mixed, 2023, 2024, false),
            "Av de sju aktiviteter som var planerade eller pågående 2023 har två genomförts, en "
            "pågår fortfarande och en finns inte med i yttrandena för 2024. Tre saknade id och kan "
            "inte följas upp.");
  size_t still[LR_OUTCOME_COUNT] = {[LR_OUTCOME_PLANERAD] = 2, [LR_OUTCOME_AVBRUTEN] = 1};
  CHECK_STR(lr_sentence_followup(arena, still, 2023, 2024, true),
            "Av era tre aktiviteter som var planerade eller pågående 2023 är två fortfarande "
            "planerade och en har avbrutits.");
  size_t gone[LR_OUTCOME_COUNT] = {[LR_OUTCOME_UNREPORTED] = 1};
  CHECK_STR(lr_sentence_followup(arena, gone, 2023, 2024, true),
            "Den aktivitet som ni hade planerad eller pågående 2023 finns inte med i ert yttrande "
            "för 2024.");
  size_t many[LR_OUTCOME_COUNT] = {[LR_OUTCOME_UNTRACKED] = 31};
  CHECK_STR(lr_sentence_followup(arena, many, 2021, 2022, false),
            "Det fanns 31 aktiviteter som var planerade eller pågående 2021. 31 saknade id och kan "
            "inte följas upp.");
  CHECK_STR(lr_sentence_new_activities(arena, 1, 0, "2024", 2023), "En aktivitet är ny för 2024.");
  CHECK_STR(lr_sentence_new_activities(arena, 12, 1, "2024", 2023),
            "Tolv aktiviteter är nya för 2024. En aktivitet saknar id och kan inte jämföras med 2023.");
  CHECK_STR(lr_sentence_new_activities(arena, 0, 40, "2024", 2023),
            "40 aktiviteter saknar id och kan inte jämföras med 2023.");
  CHECK_STR(lr_sentence_new_activities(arena, 0, 0, "2024", 2023), "Inga aktiviteter är nya för 2024.");
  CHECK_STR(lr_sentence_new_activities(arena, 2, 0, "2024–2025", 2023), "Två aktiviteter är nya för 2024–2025.");
  CHECK(lr_sentence_goal_overlap(arena, 5, 5) == NULL);
  CHECK_STR(lr_sentence_goal_overlap(arena, 1, 2),
            "En aktivitet kan avse flera mål och räknas då under vart och ett av dem. Därför är "
            "summan per mål två, fast det bara är en aktivitet.");
  CHECK_STR(lr_sentence_goal_overlap(arena, 5, 7),
            "En aktivitet kan avse flera mål och räknas då under vart och ett av dem. Därför är "
            "summan per mål sju, fast aktiviteterna är fem.");
}

static void test_comparison(void) {
  CHECK_STR(lr_sentence_no_differences(arena, 2021, 2022), "Inga skillnader mellan 2021 och 2022.");
  CHECK_STR(lr_sentence_same_coverage(),
            "Täckningen är oförändrad: inget delmål fick sin första aktivitet eller förlorade sin "
            "sista.");
  CHECK_STR(lr_sentence_no_previous_year(arena, 2022),
            "Det finns inga yttranden för 2021, så det finns inget föregående år att jämföra 2022 "
            "med.");
  CHECK_STR(lr_sentence_workbook_comment(arena, "2022"),
            "Underlag till lägesrapporten 2022, skapat av lagesrapport ur aktörernas yttranden.");
}

static void test_trends(void) {
  const char *subgoals[] = {"2.3", "4.1"}, *goals[] = {"5"};
  CHECK_STR(lr_sentence_stale(arena, subgoals, 2, NULL, 0, 2021, 2020, 2023),
            "Delmål 2.3 och 4.1 har inte haft någon aktivitet sedan 2021.");
  CHECK_STR(lr_sentence_stale(arena, subgoals, 1, goals, 1, 0, 2020, 2023),
            "Delmål 2.3 samt mål 5 har inte haft någon aktivitet under något av åren 2020–2023.");
  CHECK_STR(lr_sentence_stale(arena, NULL, 0, goals, 1, 2022, 2020, 2024),
            "Mål 5 har inte haft någon aktivitet sedan 2022.");
  CHECK(lr_sentence_stale(arena, NULL, 0, NULL, 0, 2022, 2020, 2024) == NULL);
  const char *names[] = {"Aneby kommun", "Eksjö kommun", "Polisen"};
  CHECK_STR(lr_sentence_stopped(arena, names, 3, 2021),
            "Aneby kommun, Eksjö kommun och Polisen har inte svarat sedan 2021.");
  CHECK_STR(lr_sentence_percent(arena, 2, 3), "67\u00a0%");
  CHECK_STR(lr_sentence_percent(arena, 0, 0), "0\u00a0%");
  CHECK_STR(lr_sentence_response_trend(arena, 2021, 15, 23, 2022, 11, 23),
            "Svarsfrekvensen har minskat från 65\u00a0% 2021 till 48\u00a0% 2022.");
  CHECK_STR(lr_sentence_response_trend(arena, 2021, 3, 4, 2023, 4, 4),
            "Svarsfrekvensen har ökat från 75\u00a0% 2021 till 100\u00a0% 2023.");
  CHECK_STR(lr_sentence_response_trend(arena, 2021, 3, 4, 2023, 3, 4),
            "Svarsfrekvensen var 75\u00a0% både 2021 och 2023.");
}

int main(void) {
  arena = lr_arena_new();
  test_trends();
  test_number_words();
  test_feedback();
  test_comparison();
  test_followup();
  test_responses();
  test_period_responses();
  test_coverage();
  test_goal_activities_and_plans();
  test_join_and_change();
  lr_arena_free(arena);
  return check_report();
}
