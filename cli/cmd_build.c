/* lagesrapport build: a year's (or a period's) report as Markdown, HTML
 * and Excel, and a feedback report for every actor that answered. */
#include "cli.h"

#include <string.h>

enum { OPT_OUT, OPT_FORMAT, OPT_INTERN };

static const cli_choice FORMATS[] = {{"md", NULL}, {"html", NULL}, {"xlsx", NULL}, {"docx", NULL}, {NULL, NULL}};

static const cli_option OPTIONS[] = {
    [OPT_OUT] = {"out", "MAPP", "skriv till MAPP i stället för <utdata>/<ÅR>", NULL, NULL, 0},
    [OPT_FORMAT] = {"format", "LISTA", "kommaseparerad lista av md, html, xlsx och docx (standard: md, html och xlsx)",
                    FORMATS, "okänt format", CLI_LIST},
    [OPT_INTERN] = {"intern", NULL,
                    "skriv också intern/ÅR/lagesrapport-ÅR-intern.xlsx, med\n"
                    "kontaktpersonerna (bara för länsstyrelsen, publiceras inte)",
                    NULL, NULL, 0},
};

/* The parser has checked every item against FORMATS. */
static unsigned output_formats(const char *list) {
  if (!list) return LR_OUTPUT_ALL;
  unsigned formats = 0;
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    if (n == 2 && strncmp(p, "md", 2) == 0) formats |= LR_OUTPUT_MD;
    else if (n == 4 && strncmp(p, "html", 4) == 0) formats |= LR_OUTPUT_HTML;
    else if (n == 4 && strncmp(p, "xlsx", 4) == 0) formats |= LR_OUTPUT_XLSX;
    else if (n == 4 && strncmp(p, "docx", 4) == 0) formats |= LR_OUTPUT_DOCX;
    p += n + (p[n] == ',');
  }
  return formats;
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  int year = args->years[0], last = args->last_years[0];
  lr_build_options options = {cli_args_value(args, OPT_OUT),
                              output_formats(cli_args_value(args, OPT_FORMAT)),
                              cli_builtin_templates(), args->options[OPT_INTERN].count > 0,
                              last != year ? last : 0};

  /* A period reads its own years and compares its ends, not the year
   * before it. */
  size_t count = (size_t)(last - year + 1);
  int *years = lr_arena_array(cli->arena, count, sizeof *years);
  for (size_t i = 0; i < count; i++) years[i] = year + (int)i;
  lr_load_options load = {.dir = cli->project_dir, .years = years, .year_count = count,
                          .with_previous = count == 1, .period = count > 1};
  lr_project *p = lr_project_load(&load);
  lr_diag_list *diags = lr_project_diagnostics(p);
  cli_outcome status = cli_project_outcome(p);
  if (status == CLI_DONE) {
    lr_build_result result;
    if (!lr_build_run(p, year, &options, &result)) {
      status = CLI_IO;
    } else {
      cli_print_diagnostics(cli, p);
      printf("%s: %s\n", result.dir,
             cli_count(lr_project_arena(p), result.feedback_count, "återkoppling", "återkopplingar"));
      if (result.internal_workbook)
        printf("%s: den interna arbetsboken, med kontaktpersonerna; publicera den inte\n",
               result.internal_workbook);
      lr_project_free(p);
      return CLI_DONE;
    }
  }
  cli_print_diagnostics(cli, p);
  if (status == CLI_INVALID)
    fprintf(stderr, "%zu fel: ingen rapport skrevs\n", diags->errors);
  lr_project_free(p);
  return status;
}

const cli_command cmd_build_command = {
    .name = "build",
    .run = run,
    .summary = "skriv lägesrapporten och återkopplingarna för ett år eller en period",
    .operands = {"ÅR|PERIOD", 1, 1, true, "2022",
                 "ange vilket år eller vilken period rapporten gäller, t.ex. \"lagesrapport build 2022\"",
                 "ange ett enda år, eller en period som \"2021-2022\"", true},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Skriver lägesrapporten för ÅR till <utdata>/<ÅR>/ (eller till MAPP):\n"
        "  lagesrapport-ÅR.md, lagesrapport-ÅR.html, lagesrapport-ÅR.xlsx och\n"
        "  aterkoppling/<aktör>.md och .html för varje aktör som har svarat.\n"
        "Med --format docx skrivs även lagesrapport-ÅR.docx, att arbeta vidare med i Word.\n"
        "Finns yttranden för året före jämförs rapporten med det året.\n"
        "\n"
        "PERIOD, som 2021-2022 (eller 2021–2022), ger en rapport över\n"
        "periodens alla år i <utdata>/2021-2022/, med filerna lagesrapport-2021-2022.md\n"
        "och så vidare. Varje aktivitet med id finns med en gång, så som det senaste\n"
        "året redovisade den; rapporten visar svaren per år och vad som blev av det\n"
        "första årets planer. Periodens texter läses ur 2021-2022/rapport.yaml.\n"
        "Varje år i perioden måste ha yttranden och ligga inom strategins giltighetstid.\n"
        "\n"
        "Rapporterna, arbetsboken och e-posten till aktörerna namnger organisationer,\n"
        "aldrig personer: kontaktpersonerna står bara i den interna arbetsboken\n"
        "intern/ÅR/lagesrapport-ÅR-intern.xlsx i projektet, som skrivs med --intern,\n"
        "utanför utdatamappen. Publicera den inte.\n"
        "\n"
        "Allt kontrolleras först som med \"check\"; vid fel skrivs ingenting. Rapporten\n"
        "skrivs i en mapp bredvid och byter plats med den gamla i ett enda steg, så\n"
        "mappen har alltid hela den förra rapporten eller hela den nya, aldrig en\n"
        "blandning. Bara filerna i förteckningen .lagesrapport-manifest byts ut eller\n"
        "tas bort; annat i mappen följer med orört. En mapp som redan innehåller annat\n"
        "men saknar förteckningen skrivs inte i. Två körningar på samma data ger byte\n"
        "för byte samma filer.\n",
    .epilogue = "Slutkoder: 0 klart, 1 fel i data, 2 användnings- eller I/O-fel.\n",
};
