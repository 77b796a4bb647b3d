/* lagesrapport diff: what changed between two years, for a person at a
 * terminal, a pull-request comment or a script. Exit codes follow diff(1)
 * so that CI can tell "changed" from "broken". */
#include "cli.h"

#include <string.h>

static const char HELP[] =
    "Användning: lagesrapport diff ÅR1 ÅR2 [--format text|md|json]\n"
    "\n"
    "Jämför två år: först delmålen (och målen utan delmål) som fick sin första\n"
    "aktivitet eller förlorade sin sista, sedan antalet yttranden varje år, aktörerna\n"
    "som bara svarade det ena året, antalet aktiviteter per mål och delmål och per\n"
    "aktör, och aktörernas styrdokument som bytt status. Aktiviteter markerade intern\n"
    "räknas med men namnges aldrig; ingen aktivitet namnges.\n"
    "\n"
    "Båda åren kontrolleras först som med \"check\"; vid fel visas felen och ingen\n"
    "jämförelse görs.\n"
    "\n"
    "Flaggor:\n"
    "  --format text   (standard) kolumner för en terminal, med färg på en terminal\n"
    "                  utan NO_COLOR\n"
    "  --format md     Markdown med tabeller, för en kommentar i en pull request\n"
    "  --format json   JSON för skript; schemat beskrivs i docs/diff-json.md\n"
    "\n"
    "Slutkoder (som diff(1)): 0 inga skillnader, 1 skillnader, 2 fel (ett år utan\n"
    "yttranden, fel i data, okänt format eller felaktiga argument).\n"
    "\n"
    "Exempel:\n"
    "  lagesrapport diff 2021 2022\n"
    "  lagesrapport diff 2021 2022 --format md >> \"$GITHUB_STEP_SUMMARY\"\n";

enum { EXIT_DIFFERENT = 1, EXIT_TROUBLE = 2 };

static bool parse_format(const char *name, lr_diff_format *format) {
  static const struct {
    const char *name;
    lr_diff_format format;
  } FORMATS[] = {{"text", LR_DIFF_TEXT}, {"md", LR_DIFF_MARKDOWN}, {"json", LR_DIFF_JSON}};
  for (size_t i = 0; i < sizeof FORMATS / sizeof *FORMATS; i++)
    if (strcmp(name, FORMATS[i].name) == 0) {
      *format = FORMATS[i].format;
      return true;
    }
  return false;
}

static int run(const cli_context *cli, int argc, char **argv) {
  int years[2];
  size_t year_count = 0;
  lr_diff_format format = LR_DIFF_TEXT;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--format") == 0 || strncmp(arg, "--format=", 9) == 0) {
      const char *v = arg[8] == '=' ? arg + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v)
        return cli_usage_error(cli, "diff", "--format behöver ett värde (text, md eller json)");
      if (!parse_format(v, &format))
        return cli_usage_error(cli, "diff", "okänt format \"%s\" (välj text, md eller json)", v);
    } else if (arg[0] == '-' && arg[1]) {
      return cli_usage_error(cli, "diff", "okänd flagga \"%s\"", arg);
    } else if (year_count == 2) {
      return cli_usage_error(cli, "diff",
                             "för många år: diff jämför exakt två (\"%s\" är det tredje)", arg);
    } else if (!cli_parse_year(arg, &years[year_count++])) {
      return cli_usage_error(cli, "diff", "\"%s\" är inget år (skriv t.ex. 2022)", arg);
    }
  }
  if (year_count < 2)
    return cli_usage_error(cli, "diff",
                           "diff behöver två år, t.ex. \"lagesrapport diff 2021 2022\"");

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
    lr_project_free(p);
    return EXIT_TROUBLE;
  }

  const lr_comparison *c = lr_comparison_compute(p, before, after, true);
  lr_buf out = {0};
  lr_diff_render(c, format, cli->color_stdout, &out);
  fwrite(out.data, 1, out.len, stdout);
  lr_buf_free(&out);
  int status = lr_comparison_is_empty(c) ? EXIT_OK : EXIT_DIFFERENT;
  lr_project_free(p);
  if (fflush(stdout) != 0 || ferror(stdout))
    return cli_io_error(cli, "kunde inte skriva jämförelsen till standard ut");
  return status;
}

const cli_command cmd_diff_command = {"diff", run,
                                      "jämför två år: yttranden, aktiviteter, täckning", HELP};
