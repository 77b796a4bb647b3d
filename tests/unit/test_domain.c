/* The project's domain knowledge that every layer shares: calendar dates,
 * the last "inkom" date of a year, where a year's files are, and the
 * words for statuses and actor types. */
#include "check.h"
#include "model/model.h"

static void test_dates(void) {
  CHECK(lr_date_is_valid(2024, 2, 29));
  CHECK(!lr_date_is_valid(2023, 2, 29));
  CHECK(!lr_date_is_valid(1900, 2, 29)); /* a century is no leap year */
  CHECK(lr_date_is_valid(2000, 2, 29));  /* but every fourth one is */
  CHECK(!lr_date_is_valid(2023, 4, 31));
  CHECK(!lr_date_is_valid(2023, 13, 1));
  CHECK(!lr_date_is_valid(2023, 1, 0));
  CHECK_INT(lr_date_days((lr_date){1970, 1, 1}), 0);
  CHECK_INT(lr_date_days((lr_date){2023, 2, 14}), 19402);
  CHECK_INT(lr_date_days((lr_date){1969, 12, 31}), -1);
  CHECK_INT(lr_date_days((lr_date){2024, 3, 1}) - lr_date_days((lr_date){2024, 2, 28}), 2);
  CHECK(lr_date_compare((lr_date){2023, 2, 14}, (lr_date){2023, 2, 15}) < 0);
  CHECK(lr_date_compare((lr_date){2023, 3, 1}, (lr_date){2023, 2, 28}) > 0);
  CHECK(lr_date_compare((lr_date){2022, 12, 31}, (lr_date){2023, 1, 1}) < 0);
  CHECK_INT(lr_date_compare((lr_date){2023, 2, 14}, (lr_date){2023, 2, 14}), 0);
  lr_arena *arena = lr_arena_new();
  CHECK_STR(lr_date_text(arena, (lr_date){2023, 2, 4}), "2023-02-04");
  CHECK(lr_date_text(arena, (lr_date){0, 0, 0}) == NULL);
  lr_arena_free(arena);
}

static void test_last_received(void) {
  lr_statement statements[3];
  memset(statements, 0, sizeof statements);
  lr_year year = {.year = 2022, .statements = statements, .statement_count = 3};
  /* Without any "inkom": spring of the year after. */
  lr_date d = lr_year_last_received(&year);
  CHECK_INT(d.year, 2023);
  CHECK_INT(d.month, 4);
  CHECK_INT(d.day, 1);
  statements[0].received = (lr_date){2023, 2, 14};
  statements[2].received = (lr_date){2023, 3, 2};
  d = lr_year_last_received(&year);
  CHECK_INT(d.year, 2023);
  CHECK_INT(d.month, 3);
  CHECK_INT(d.day, 2);
  /* The newest, wherever it is in the list. */
  statements[1].received = (lr_date){2023, 3, 10};
  CHECK_INT(lr_year_last_received(&year).day, 10);
}

static void test_paths(void) {
  lr_project p;
  memset(&p, 0, sizeof p);
  p.arena = lr_arena_new();
  p.config.root = "data/jonkoping";
  p.config.output_dir = "data/jonkoping/ut";
  lr_year_paths paths = lr_year_paths_get(&p, 2023);
  CHECK_STR(paths.dir, "data/jonkoping/2023");
  CHECK_STR(paths.statements, "data/jonkoping/2023/yttranden");
  CHECK_STR(paths.texts, "data/jonkoping/2023/rapport.yaml");
  CHECK_STR(paths.output, "data/jonkoping/ut/2023");
  CHECK_STR(lr_statement_path(&p, 2023, "aneby"), "data/jonkoping/2023/yttranden/aneby.yaml");
  /* A project in the current folder is named without "./". */
  p.config.root = ".";
  CHECK_STR(lr_statement_path(&p, 2022, "aneby"), "2022/yttranden/aneby.yaml");
  CHECK_STR(lr_report_file(p.arena, 2023, "xlsx"), "lagesrapport-2023.xlsx");
  CHECK_STR(lr_feedback_file(p.arena, "aneby", "html"), "aterkoppling/aneby.html");
  lr_report_texts texts = {.title = "Lägesrapport 2023 för Jönköpings län"};
  CHECK_STR(lr_report_title(p.arena, &texts, 2023), "Lägesrapport 2023 för Jönköpings län");
  texts.title = NULL;
  CHECK_STR(lr_report_title(p.arena, &texts, 2023), "Regional lägesrapport 2023");
  CHECK_STR(lr_report_title(p.arena, NULL, 2024), "Regional lägesrapport 2024");
  lr_arena_free(p.arena);
}

/* Every value has a token and a label, and the token tables end where
 * lr_ctx_enum stops reading. */
static void test_labels(void) {
  CHECK_STR(lr_plan_status_name(LR_PLAN_UNDER_ARBETE), "under-arbete");
  CHECK_STR(lr_plan_status_label(LR_PLAN_UNDER_ARBETE), "Under arbete");
  CHECK_STR(lr_plan_status_name(LR_PLAN_UNKNOWN), "uppgift saknas");
  CHECK_STR(lr_plan_status_label(LR_PLAN_UNKNOWN), "Ej angivet");
  CHECK_STR(lr_status_name(LR_STATUS_PAGAENDE), "pågående");
  CHECK_STR(lr_status_label(LR_STATUS_PAGAENDE), "Pågående");
  CHECK_STR(lr_actor_type_name(LR_ACTOR_LANSSTYRELSE), "länsstyrelse");
  CHECK_STR(lr_actor_type_label(LR_ACTOR_CIVILSAMHALLE), "Civilsamhälle");
  for (int s = 0; s < LR_STATUS_COUNT; s++) CHECK(lr_status_tokens[s] && *lr_status_label(s));
  CHECK(lr_status_tokens[LR_STATUS_COUNT] == NULL);
  for (int t = 0; t < LR_ACTOR_TYPE_COUNT; t++)
    CHECK(lr_actor_type_tokens[t] && *lr_actor_type_label(t));
  CHECK(lr_actor_type_tokens[LR_ACTOR_TYPE_COUNT] == NULL);
  for (int p = LR_PLAN_ANTAGEN; p < LR_PLAN_STATUS_COUNT; p++)
    CHECK_STR(lr_plan_status_tokens[p - LR_PLAN_ANTAGEN], lr_plan_status_name(p));
  CHECK(lr_plan_status_tokens[LR_PLAN_STATUS_COUNT - 1] == NULL);
}

int main(void) {
  test_labels();
  test_dates();
  test_last_received();
  test_paths();
  return check_report();
}
