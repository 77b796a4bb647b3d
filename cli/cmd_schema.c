/* lagesrapport schema: JSON Schemas of the project's files for editors. */
#include "cli.h"

#include <string.h>

enum { OPT_FILE, OPT_OUT };

/* In the order of the LR_SCHEMA_* bits. */
static const cli_choice FILES[] = {
    {"yttrande", NULL}, {"strategi", NULL}, {"aktorer", NULL}, {"rapport", NULL}, {NULL, NULL}};

static const cli_option OPTIONS[] = {
    [OPT_FILE] = {"file", "LISTA",
                  "kommaseparerad lista av yttrande, strategi, aktorer och rapport\n"
                  "(standard: alla)",
                  FILES, "okänd fil", CLI_LIST},
    [OPT_OUT] = {"out", "MAPP", "skriv till MAPP i stället för <projekt>/schema", NULL, NULL, 0},
};

/* The parser has checked every item against FILES. */
static unsigned chosen(const char *list) {
  if (!list) return LR_SCHEMA_ALL;
  unsigned kinds = 0;
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    for (unsigned i = 0; FILES[i].name; i++)
      if (strlen(FILES[i].name) == n && strncmp(p, FILES[i].name, n) == 0) kinds |= 1u << i;
    p += n + (p[n] == ',');
  }
  return kinds;
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  /* No year: the schemas need the strategy and the registry only. */
  lr_load_options load = {.dir = cli->project_dir, .year_count = 0};
  int none = 0;
  load.years = &none;
  lr_project *p = lr_project_load(&load);
  cli_outcome status = cli_project_outcome(p);
  lr_schema_result result;
  if (status == CLI_DONE &&
      !lr_schema_write(p, chosen(cli_args_value(args, OPT_FILE)), cli_args_value(args, OPT_OUT), &result))
    status = CLI_IO;
  cli_print_diagnostics(cli, p);
  if (status == CLI_DONE)
    for (size_t i = 0; i < result.count; i++) printf("skrev %s\n", result.paths[i]);
  else if (status == CLI_INVALID)
    fprintf(stderr, "%zu fel: inga scheman skrevs\n", lr_project_diagnostics(p)->errors);
  lr_project_free(p);
  return status;
}

const cli_command cmd_schema_command = {
    .name = "schema",
    .run = run,
    .summary = "skriv JSON Schema för projektets filer, för editorer",
    .operands = {NULL, 0, 0, false, NULL, NULL, "schema tar inga argument (fick \"%s\")"},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Skriver JSON Schema (draft 2020-12) för projektets filer till <projekt>/schema/\n"
        "(eller till MAPP): yttrande.schema.json, strategi.schema.json,\n"
        "aktorer.schema.json och rapport.schema.json. Schemat för yttranden har\n"
        "strategins mål och delmål, aktörerna, områdena och statusarna som uppräknade\n"
        "värden med svenska beskrivningar, så att en editor (till exempel VS Code med\n"
        "tillägget YAML från Red Hat) föreslår dem och markerar okända nycklar och id.\n"
        "Scheman som finns skrivs över; de härleds alltid ur projektet.\n"
        "\n"
        "Formulären från \"new\" har redan en rad som pekar på ett schema bredvid dem.\n"
        "En annan fil får ett schema med en första rad som\n"
        "  # yaml-language-server: $schema=schema/strategi.schema.json\n"
        "\n"
        "Har strategin eller aktörsregistret fel skrivs inget schema.\n",
    .epilogue = "Slutkoder: 0 klart, 1 fel i data, 2 användnings- eller I/O-fel.\n",
};
