/* lagesrapport export: one table of a year's report as CSV, to standard
 * out or a file, for analysts who work on in another tool. */
#include "cli.h"

#include <string.h>

enum { OPT_WHAT, OPT_EXCEL, OPT_INTERN, OPT_OUT };

/* In the order of lr_export_table. */
static const cli_choice TABLES[] = {
    {"aktiviteter", "(standard) en rad per publicerad aktivitet"},
    {"svar", "en rad per registrerad aktör: svarat, inkom, styrdokument"},
    {"indikatorer", "en rad per rapporterat värde av en indikator"},
    {"täckning", "en rad per aktör och delmål, med antalet aktiviteter"},
    {NULL, NULL},
};

static const cli_option OPTIONS[] = {
    [OPT_WHAT] = {"what", "TABELL", NULL, TABLES, "okänd tabell", 0},
    [OPT_EXCEL] = {"excel", NULL,
                   "för svenska Excel: semikolon mellan fälten, UTF-8 med BOM\n"
                   "och decimalkomma",
                   NULL, NULL, 0},
    [OPT_INTERN] = {"intern", NULL,
                    "ta med aktiviteter markerade intern, med en kolumn som\n"
                    "säger vilka (publicera inte filen)",
                    NULL, NULL, 0},
    [OPT_OUT] = {"out", "FIL", "skriv till FIL i stället för standard ut (\"-\": standard ut)", NULL,
                 NULL, 0, 'o'},
};

static lr_export_table export_table(const char *what) {
  for (size_t i = 0; what && TABLES[i].name; i++)
    if (strcmp(what, TABLES[i].name) == 0) return (lr_export_table)i;
  return LR_EXPORT_ACTIVITIES;
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  int year = args->years[0];
  const char *out = cli_args_value(args, OPT_OUT);
  lr_export_options options = {
      .table = export_table(cli_args_value(args, OPT_WHAT)),
      .excel = args->options[OPT_EXCEL].count > 0,
      .internal = args->options[OPT_INTERN].count > 0,
      .path = out && strcmp(out, "-") != 0 ? out : NULL,
  };
  lr_load_options load = {.dir = cli->project_dir, .years = &year, .year_count = 1};
  lr_project *p = lr_project_load(&load);
  cli_outcome status = cli_project_outcome(p);
  lr_buf csv = {0};
  if (status == CLI_DONE && !lr_export_csv(p, year, &options, &csv)) status = CLI_IO;
  /* Warnings go to stderr, never into the table on stdout. */
  cli_print_diagnostics(cli, p);
  if (status == CLI_DONE && !options.path) fwrite(csv.data, 1, csv.len, stdout);
  if (status == CLI_INVALID)
    fprintf(stderr, "%s: ingenting exporterades\n",
            cli_count(lr_project_arena(p), lr_project_diagnostics(p)->errors, "fel", "fel"));
  lr_buf_free(&csv);
  lr_project_free(p);
  return status;
}

const cli_command cmd_export_command = {
    .name = "export",
    .run = run,
    .summary = "skriv en tabell ur årets rapport som CSV",
    .operands = {"ÅR", 1, 1, true, "2022",
                 "ange vilket år, t.ex. \"lagesrapport export 2022\"", "ange ett enda år"},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Skriver en tabell ur lägesrapporten för ÅR som CSV (RFC 4180: komma mellan\n"
        "fälten, CRLF efter varje rad, en rubrikrad), till standard ut eller till FIL.\n"
        "Talen är desamma som i rapporten och arbetsboken. En gemensam aktivitet är en\n"
        "rad med alla sina ansvariga. Aktiviteter markerade intern är med bara med\n"
        "--intern.\n"
        "\n"
        "Text som ett kalkylprogram skulle ta för en formel (den börjar med =, +, -,\n"
        "@, tabb eller vagnretur) skrivs med en apostrof först, så att den förblir text.\n"
        "\n"
        "Allt kontrolleras först som med \"check\"; vid fel skrivs ingenting. En fil\n"
        "skrivs bredvid och byter plats med den gamla i ett steg: den är hel eller\n"
        "orörd, aldrig halvskriven.\n",
    .epilogue = "Slutkoder: 0 klart, 1 fel i data, 2 användnings- eller I/O-fel.\n"
                "\n"
                "Exempel:\n"
                "  lagesrapport export 2022 --excel -o aktiviteter-2022.csv\n"
                "  lagesrapport export 2022 --what täckning > tackning-2022.csv\n",
};
