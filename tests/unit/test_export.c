/* lr_export_csv's indicator table, byte for byte, with values set here
 * (the loader of indicators is tested with its files): numbers as the
 * shortest decimal that reads back, with a decimal comma for Excel and
 * never neutralised, text quoted only when it must be and formula-looking
 * comments neutralised. And a path that cannot be written is a located
 * error that leaves nothing behind. */
#include "render/render.h"
#include "check.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static lr_project *load_minimal(int *year) {
  *year = 2022;
  lr_load_options load = {.dir = LR_SOURCE_DIR "/tests/fixtures/minimal", .years = year,
                          .year_count = 1};
  lr_project *p = lr_project_load(&load);
  CHECK_INT(lr_project_diagnostics(p)->errors, 0);
  return p;
}

/* Two indicators, reported by both statements of the fixture's 2022. */
static void set_indicators(lr_project *p, int year) {
  static lr_indicator indicators[] = {
      {.id = "anmalda-vald", .name = "Ärenden om våld i nära relation", .unit = "antal"},
      {.id = "andel-utbildade", .name = "Andel personal, utbildad", .unit = "procent", .index = 1},
  };
  static lr_indicator_value aneby[] = {
      {.indicator = &indicators[0], .value = 412},
      {.indicator = &indicators[1], .value = 37.5, .comment = "Mätt i \"december\";\npreliminärt"},
  };
  static lr_indicator_value polisen[] = {
      {.indicator = &indicators[0], .value = -3, .comment = "=1+1"},
      {.indicator = &indicators[1], .value = 0.1},
      {.indicator = &indicators[0], .value = 1234567.25, .comment = "-"},
  };
  p->strategy.indicators = indicators;
  p->strategy.indicator_count = 2;
  lr_year *y = (lr_year *)lr_project_year(p, year);
  CHECK_INT(y->statement_count, 2);
  CHECK_STR(y->statements[0].actor->id, "aneby");
  y->statements[0].indicator_values = aneby;
  y->statements[0].indicator_value_count = 2;
  y->statements[1].indicator_values = polisen;
  y->statements[1].indicator_value_count = 3;
}

static void test_indicators_rfc_4180(void) {
  int year;
  lr_project *p = load_minimal(&year);
  set_indicators(p, year);
  lr_buf out = {0};
  lr_export_options o = {.table = LR_EXPORT_INDICATORS};
  CHECK(lr_export_csv(p, year, &o, &out));
  CHECK_STR(lr_buf_cstr(&out),
            "Aktör (id),Aktör,Aktörstyp,Indikator (id),Indikator,Värde,Enhet,Kommentar\r\n"
            "aneby,Aneby kommun,Kommun,anmalda-vald,Ärenden om våld i nära relation,412,antal,\r\n"
            "aneby,Aneby kommun,Kommun,andel-utbildade,\"Andel personal, utbildad\",37.5,procent,"
            "\"Mätt i \"\"december\"\";\npreliminärt\"\r\n"
            "polisen,Polisen,Myndighet,anmalda-vald,Ärenden om våld i nära relation,-3,antal,'=1+1\r\n"
            "polisen,Polisen,Myndighet,andel-utbildade,\"Andel personal, utbildad\",0.1,procent,\r\n"
            "polisen,Polisen,Myndighet,anmalda-vald,Ärenden om våld i nära relation,1234567.25,"
            "antal,'-\r\n");
  lr_buf_free(&out);
  lr_project_free(p);
}

static void test_indicators_excel(void) {
  int year;
  lr_project *p = load_minimal(&year);
  set_indicators(p, year);
  lr_buf out = {0};
  lr_export_options o = {.table = LR_EXPORT_INDICATORS, .excel = true};
  CHECK(lr_export_csv(p, year, &o, &out));
  CHECK_STR(lr_buf_cstr(&out),
            "\xEF\xBB\xBF"
            "Aktör (id);Aktör;Aktörstyp;Indikator (id);Indikator;Värde;Enhet;Kommentar\r\n"
            "aneby;Aneby kommun;Kommun;anmalda-vald;Ärenden om våld i nära relation;412;antal;\r\n"
            "aneby;Aneby kommun;Kommun;andel-utbildade;Andel personal, utbildad;37,5;procent;"
            "\"Mätt i \"\"december\"\";\npreliminärt\"\r\n"
            "polisen;Polisen;Myndighet;anmalda-vald;Ärenden om våld i nära relation;-3;antal;'=1+1\r\n"
            "polisen;Polisen;Myndighet;andel-utbildade;Andel personal, utbildad;0,1;procent;\r\n"
            "polisen;Polisen;Myndighet;anmalda-vald;Ärenden om våld i nära relation;1234567,25;"
            "antal;'-\r\n");
  lr_buf_free(&out);
  lr_project_free(p);
}

/* A folder where the file should be: an error at that path, and the
 * folder as it was, with no temporary file beside it. */
static void test_unwritable_path(void) {
  int year;
  lr_project *p = load_minimal(&year);
  char dir[] = "/tmp/lr-test-export-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    exit(2);
  }
  lr_export_options o = {.table = LR_EXPORT_RESPONSES, .path = dir};
  CHECK(!lr_export_csv(p, year, &o, NULL));
  lr_diag_list *diags = lr_project_diagnostics(p);
  CHECK_INT(diags->errors, 1);
  const lr_diag *d = &diags->items[diags->count - 1];
  CHECK_STR(d->loc.file, dir);
  CHECK_CONTAINS(d->message, "kunde inte skriva exporten");
  CHECK(d->hint != NULL);
  struct stat st;
  CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
  CHECK(rmdir(dir) == 0); /* empty: nothing was left in it */
  lr_project_free(p);
}

/* A year without statements: an error, not an empty table. */
static void test_year_without_statements(void) {
  int year;
  lr_project *p = load_minimal(&year);
  lr_buf out = {0};
  lr_export_options o = {.table = LR_EXPORT_ACTIVITIES};
  CHECK(!lr_export_csv(p, 2030, &o, &out));
  CHECK_INT(out.len, 0);
  lr_diag_list *diags = lr_project_diagnostics(p);
  CHECK_INT(diags->errors, 1);
  CHECK_CONTAINS(diags->items[diags->count - 1].message, "inga yttranden för 2030");
  lr_buf_free(&out);
  lr_project_free(p);
}

int main(void) {
  test_indicators_rfc_4180();
  test_indicators_excel();
  test_unwritable_path();
  test_year_without_statements();
  return check_report();
}
