/* Test helper: loads a project, computes one year's report and writes its
 * workbook with lr_workbook_write, for tests/workbook_check.py to read
 * back with openpyxl. The previous year is loaded too when its folder
 * exists, so the Jämförelse sheet has data. A fourth argument "intern"
 * writes the internal workbook, with the contact persons. Diagnostics go
 * to stderr; exit 1 when loading or writing fails, 2 on usage errors. */
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void print_diags(lr_diag_list *diags) {
  lr_buf line = {0};
  for (size_t i = 0; i < diags->count; i++) {
    lr_buf_clear(&line);
    lr_diag_format(&diags->items[i], 0, &line);
    fputs(lr_buf_cstr(&line), stderr);
  }
  lr_buf_free(&line);
}

int main(int argc, char **argv) {
  bool internal = argc == 5 && strcmp(argv[4], "intern") == 0;
  if (argc != 4 && !internal) {
    fputs("usage: write_workbook PROJECT-DIR YEAR OUT.xlsx [intern]\n", stderr);
    return 2;
  }
  const char *dir = argv[1], *out = argv[3];
  int year = atoi(argv[2]);
  if (year <= 0) {
    fputs("write_workbook: YEAR must be a year\n", stderr);
    return 2;
  }

  char previous_dir[4096];
  struct stat st;
  snprintf(previous_dir, sizeof previous_dir, "%s/%d", dir, year - 1);
  int years[2] = {year - 1, year};
  bool with_previous = stat(previous_dir, &st) == 0 && S_ISDIR(st.st_mode);
  lr_load_options options = {
      .dir = dir,
      .years = with_previous ? years : years + 1,
      .year_count = with_previous ? 2 : 1,
  };

  lr_project *p = lr_project_load(&options);
  lr_diag_list *diags = lr_project_diagnostics(p);
  const lr_year *y = lr_project_year(p, year);
  if (!lr_project_ok(p) || !y) {
    print_diags(diags);
    if (!y) fprintf(stderr, "write_workbook: no statements for %d\n", year);
    lr_project_free(p);
    return 1;
  }
  size_t before = diags->errors;
  bool ok = lr_workbook_write(lr_report_compute(p, y), out, internal, diags);
  if (!ok || diags->errors != before) {
    print_diags(diags);
    ok = false;
  }
  lr_project_free(p);
  return ok ? 0 : 1;
}
