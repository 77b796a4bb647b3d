/* Shared indicators' arithmetic as the report shows it: figures in Swedish
 * typography, changes with their sign, the county's sum or median, and
 * whether a change is judged better or worse. */
#include "model/model.h"
#include "check.h"

static lr_arena *arena;

static void test_numbers(void) {
  CHECK_STR(lr_indicator_number(arena, 412), "412");
  CHECK_STR(lr_indicator_number(arena, 0), "0");
  CHECK_STR(lr_indicator_number(arena, 37.5), "37,5");
  CHECK_STR(lr_indicator_number(arena, 53.75), "53,8");
  CHECK_STR(lr_indicator_number(arena, 1066), "1066");
  CHECK_STR(lr_indicator_number(arena, 12400), "12\xc2\xa0" "400");
  CHECK_STR(lr_indicator_number(arena, 1234567.5), "1\xc2\xa0" "234\xc2\xa0" "567,5");
  CHECK_STR(lr_indicator_change(arena, 10, 12), "+2");
  CHECK_STR(lr_indicator_change(arena, 14, 12), "\xe2\x88\x92" "2");
  CHECK_STR(lr_indicator_change(arena, 40, 45.5), "+5,5");
  CHECK_STR(lr_indicator_change(arena, 7, 7), "±0");
}

static void test_judgement(void) {
  lr_indicator more = {.id = "samtal", .unit = "antal", .higher_is_better = true};
  lr_indicator fewer = {.id = "dygn", .unit = "dygn", .higher_is_better = false};
  CHECK_INT(lr_indicator_judgement(&more, 10, 12), 1);
  CHECK_INT(lr_indicator_judgement(&more, 12, 10), -1);
  CHECK_INT(lr_indicator_judgement(&fewer, 10, 12), -1);
  CHECK_INT(lr_indicator_judgement(&fewer, 12, 10), 1);
  CHECK_INT(lr_indicator_judgement(&fewer, 12, 12), 0);
}

/* Four municipalities; the last has no value. A count sums, a share takes
 * the median (of an even number of values: the mean of the middle two). */
static void test_totals(void) {
  lr_actor actors[4] = {{.id = "a", .index = 0}, {.id = "b", .index = 1}, {.id = "c", .index = 2},
                        {.id = "d", .index = 3}};
  lr_indicator count = {.id = "arenden", .unit = "antal", .higher_is_better = true};
  lr_indicator share = {.id = "andel", .unit = "procent", .higher_is_better = true};
  lr_indicator_value values[3][2] = {
      {{.indicator = &count, .value = 10}, {.indicator = &share, .value = 60}},
      {{.indicator = &count, .value = 31}, {.indicator = &share, .value = 45.5}},
      {{.indicator = &count, .value = 2}, {.indicator = &share, .value = 30}},
  };
  lr_statement statements[4] = {{0}};
  for (int i = 0; i < 4; i++) statements[i].actor = &actors[i];
  for (int i = 0; i < 3; i++) {
    statements[i].indicator_values = values[i];
    statements[i].indicator_value_count = 2;
  }
  lr_year year = {.year = 2022, .statements = statements, .statement_count = 4, .found = true};
  lr_indicator_total t = lr_indicator_total_of(&year, &count);
  CHECK_INT(t.count, 3);
  CHECK(t.total == 43 && t.min == 2 && t.max == 31);
  t = lr_indicator_total_of(&year, &share);
  CHECK_INT(t.count, 3);
  CHECK(t.total == 45.5 && t.min == 30 && t.max == 60);
  statements[2].indicator_value_count = 0;
  t = lr_indicator_total_of(&year, &share);
  CHECK_INT(t.count, 2);
  CHECK(t.total == 52.75);
  CHECK(lr_indicator_is_share(&share) && !lr_indicator_is_share(&count));
  t = lr_indicator_total_of(NULL, &count);
  CHECK_INT(t.count, 0);
}

int main(void) {
  arena = lr_arena_new();
  test_numbers();
  test_judgement();
  test_totals();
  lr_arena_free(arena);
  return check_report();
}
