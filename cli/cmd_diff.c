/* lagesrapport diff: what changed between two years, for a person at a
 * terminal, a pull-request comment or a script. Exit codes follow diff(1)
 * so that CI can tell "changed" from "broken". */
#include "cli.h"

#include <string.h>

enum { OPT_FORMAT };

static const cli_choice FORMATS[] = {
    {"text", "(standard) kolumner för en terminal, med färg på en terminal\nutan NO_COLOR"},
    {"md", "Markdown med tabeller, för en kommentar i en pull request"},
    {"json", "JSON för skript; schemat beskrivs i docs/diff-json.md"},
    {NULL, NULL},
};

static const cli_option OPTIONS[] = {
    [OPT_FORMAT] = {"format", "FORMAT", NULL, FORMATS, "okänt format", 0},
};

/* The parser has checked the name against FORMATS. */
static lr_diff_format diff_format(const char *name) {
  if (name && strcmp(name, "md") == 0) return LR_DIFF_MARKDOWN;
  if (name && strcmp(name, "json") == 0) return LR_DIFF_JSON;
  return LR_DIFF_TEXT;
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  const int *years = args->years;
  lr_diff_format format = diff_format(cli_args_value(args, OPT_FORMAT));

  /* A year against itself is a valid question with the answer "nothing". */
  lr_load_options options = {
      .dir = cli->project_dir, .years = years, .year_count = years[0] == years[1] ? 1 : 2};
  lr_project *p = lr_project_load(&options);
  lr_diag_list *diags = lr_project_diagnostics(p);
  const lr_year *before = lr_project_year(p, years[0]);
  const lr_year *after = lr_project_year(p, years[1]);
  if (diags->errors || !before || !after) {
    /* Errors are shown as check shows them; warnings alone (an actor
     * without a statement) do not stop a comparison and are left to check. */
    cli_print_diagnostics(cli, p);
    lr_arena *arena = lr_project_arena(p);
    if (diags->errors)
      fprintf(stderr, "%s – åren jämförs inte förrän data är utan fel\n",
              cli_count(arena, diags->errors, "fel", "fel"));
    else
      cli_io_error(cli, "det finns inga yttranden för %d", before ? years[1] : years[0]);
    cli_outcome outcome = cli_project_outcome(p);
    lr_project_free(p);
    /* No errors yet a year missing is still a year without statements. */
    return outcome == CLI_DONE ? CLI_USAGE : outcome;
  }

  const lr_comparison *c = lr_comparison_compute(p, before, after, true);
  lr_buf out = {0};
  lr_diff_render(c, format, cli->color_stdout, &out);
  fwrite(out.data, 1, out.len, stdout);
  lr_buf_free(&out);
  cli_outcome outcome = lr_comparison_is_empty(c) ? CLI_DONE : CLI_DIFFERENCES;
  lr_project_free(p);
  return outcome;
}

const cli_command cmd_diff_command = {
    .name = "diff",
    .run = run,
    .summary = "jämför två år: yttranden, aktiviteter, täckning",
    .operands = {"ÅR1 ÅR2", 2, 2, true, "2022",
                 "diff behöver två år, t.ex. \"lagesrapport diff 2021 2022\"",
                 "för många år: diff jämför exakt två (\"%s\" är det tredje)"},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Jämför två år: först delmålen (och målen utan delmål) som fick sin första\n"
        "aktivitet eller förlorade sin sista, sedan antalet yttranden varje år, aktörerna\n"
        "som bara svarade det ena året, antalet aktiviteter per mål och delmål och per\n"
        "aktör, och aktörernas styrdokument som bytt status. Aktiviteter markerade intern\n"
        "räknas med men namnges aldrig; ingen aktivitet namnges.\n"
        "\n"
        "Båda åren kontrolleras först som med \"check\"; vid fel visas felen och ingen\n"
        "jämförelse görs.\n",
    .epilogue =
        "Slutkoder (som diff(1)): 0 inga skillnader, 1 skillnader, 2 fel (ett år utan\n"
        "yttranden, fel i data, okänt format eller felaktiga argument).\n"
        "\n"
        "Exempel:\n"
        "  lagesrapport diff 2021 2022\n"
        "  lagesrapport diff 2021 2022 --format md >> \"$GITHUB_STEP_SUMMARY\"\n",
    .differences = true,
};
