/* lagesrapport build: a year's report as Markdown, HTML and Excel, and a
 * feedback report for every actor that answered. */
#include "cli.h"

#include <string.h>

static const char HELP[] =
    "Användning: lagesrapport build ÅR [--out MAPP] [--format md,html,xlsx]\n"
    "\n"
    "Skriver lägesrapporten för ÅR till <utdata>/<ÅR>/ (eller till MAPP):\n"
    "  lagesrapport-ÅR.md, lagesrapport-ÅR.html, lagesrapport-ÅR.xlsx och\n"
    "  aterkoppling/<aktör>.md och .html för varje aktör som har svarat.\n"
    "Finns yttranden för året före jämförs rapporten med det året.\n"
    "\n"
    "Allt kontrolleras först som med \"check\"; vid fel skrivs ingenting. Filerna\n"
    "byts ut först när alla är skrivna, och två körningar på samma data ger\n"
    "byte för byte samma filer.\n"
    "\n"
    "Flaggor:\n"
    "  --out MAPP       skriv till MAPP i stället för <utdata>/<ÅR>\n"
    "  --format LISTA   kommaseparerad lista av md, html och xlsx (standard: alla)\n"
    "\n"
    "Slutkoder: 0 klart, 1 fel i data, 2 användnings- eller I/O-fel.\n";

static bool parse_formats(const char *list, unsigned *formats) {
  *formats = 0;
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    if (n == 2 && strncmp(p, "md", 2) == 0) *formats |= LR_OUTPUT_MD;
    else if (n == 4 && strncmp(p, "html", 4) == 0) *formats |= LR_OUTPUT_HTML;
    else if (n == 4 && strncmp(p, "xlsx", 4) == 0) *formats |= LR_OUTPUT_XLSX;
    else return false;
    p += n;
    if (*p == ',') p++;
  }
  return *formats != 0;
}

static int run(const cli_context *cli, int argc, char **argv) {
  int year = 0;
  bool have_year = false;
  lr_build_options options = {NULL, LR_OUTPUT_ALL, cli_builtin_templates()};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--out") == 0 || strcmp(arg, "--format") == 0) {
      if (i + 1 >= argc) return cli_usage_error(cli, "build", "%s behöver ett värde", arg);
      const char *value = argv[++i];
      if (arg[2] == 'o') {
        options.out_dir = value;
      } else if (!parse_formats(value, &options.formats)) {
        return cli_usage_error(cli, "build", "okänt format \"%s\" (välj bland md, html och xlsx)", value);
      }
    } else if (arg[0] == '-') {
      return cli_usage_error(cli, "build", "okänd flagga \"%s\"", arg);
    } else if (have_year) {
      return cli_usage_error(cli, "build", "ange ett enda år");
    } else if (!cli_parse_year(arg, &year)) {
      return cli_usage_error(cli, "build", "\"%s\" är inget år (skriv t.ex. 2022)", arg);
    } else {
      have_year = true;
    }
  }
  if (!have_year) return cli_usage_error(cli, "build", "ange vilket år rapporten gäller, t.ex. \"lagesrapport build 2022\"");

  lr_load_options load = {.dir = cli->project_dir, .years = &year, .year_count = 1, .with_previous = true};
  lr_project *p = lr_project_load(&load);
  lr_diag_list *diags = lr_project_diagnostics(p);
  int status = EXIT_OK;
  if (!lr_project_config(p)->root || !lr_project_year(p, year)) {
    status = EXIT_USAGE;
  } else if (diags->errors) {
    status = EXIT_INVALID;
  } else {
    lr_build_result result;
    if (!lr_build_run(p, year, &options, &result)) {
      status = EXIT_USAGE;
    } else {
      cli_print_diagnostics(cli, p);
      printf("%s: %s\n", result.dir,
             cli_count(lr_project_arena(p), result.feedback_count, "återkoppling", "återkopplingar"));
      lr_project_free(p);
      return EXIT_OK;
    }
  }
  cli_print_diagnostics(cli, p);
  if (status == EXIT_INVALID)
    fprintf(stderr, "%zu fel: ingen rapport skrevs\n", diags->errors);
  lr_project_free(p);
  return status;
}

const cli_command cmd_build_command = {"build", run, "skriv lägesrapporten och återkopplingarna för ett år", HELP};
