/* lagesrapport check: validate the strategy, the registry and the years,
 * silent but for one summary line when all is well. */
#include "cli.h"

#include <string.h>

enum { OPT_FORMAT, OPT_FIX };

static const cli_choice FORMATS[] = {
    {"text", "(standard) meddelanden på stderr och en sammanfattning på stdout"},
    {"json", "allt som JSON på stdout, för CI och editorer"},
    {NULL, NULL},
};

static const cli_option OPTIONS[] = {
    [OPT_FORMAT] = {"format", "FORMAT", NULL, FORMATS, "okänt format", 0},
    [OPT_FIX] = {"fix", NULL,
                 "rätta först det som bara kan betyda en sak: teckenkodning, BOM, CRLF,\n"
                 "tabbar och hårda mellanslag i indraget",
                 NULL, NULL, 0},
};

/* "2022/yttranden/lund.yaml:4: ändrat …", one line per change. */
static void print_fixes(lr_project *p, bool json, lr_buf *out) {
  size_t count;
  const lr_fix *fixes = lr_project_fixes(p, &count);
  for (size_t i = 0; i < count; i++) {
    if (json) {
      lr_buf_puts(out, i ? ",\n    {\"file\": " : "\n    {\"file\": ");
      lr_json_string(fixes[i].file, out);
      lr_buf_printf(out, ", \"line\": %d, \"change\": ", fixes[i].line);
      lr_json_string(fixes[i].change, out);
      lr_buf_putc(out, '}');
    } else {
      lr_buf_put_visible(out, fixes[i].file);
      lr_buf_printf(out, ":%d: ", fixes[i].line);
      lr_buf_put_visible(out, fixes[i].change);
      lr_buf_putc(out, '\n');
    }
  }
}

/* "2022: 11 yttranden (12 aktörer har inte svarat)" */
static void summarise_year(lr_arena *arena, const lr_year *y, size_t actors, bool newest,
                           lr_buf *out) {
  lr_buf_printf(out, " · %d: %s", y->year, cli_count(arena, y->statement_count, "yttrande", "yttranden"));
  if (newest && y->statement_count < actors) {
    size_t missing = actors - y->statement_count;
    lr_buf_printf(out, " (%s inte svarat", cli_count(arena, missing, "aktör har", "aktörer har"));
    if (y->awaiting_count)
      lr_buf_printf(out, ", %s på svar", cli_count(arena, y->awaiting_count, "formulär väntar", "formulär väntar"));
    lr_buf_putc(out, ')');
  }
}

static void print_json(lr_project *p, const lr_year *years, size_t year_count, size_t actors) {
  lr_buf out = {0};
  lr_diag_list *diags = lr_project_diagnostics(p);
  const lr_strategy *st = lr_project_strategy(p);
  lr_buf_puts(&out, "{\n  \"strategy\": ");
  lr_json_string(st->id, &out);
  lr_buf_printf(&out, ",\n  \"goals\": %zu,\n  \"subgoals\": %zu,\n  \"revisions\": [",
                st->goal_count, st->subgoal_count);
  /* The first version's counts stay where they were; each revision
   * follows with its own. */
  for (const lr_strategy *v = st->next; v; v = v->next) {
    lr_buf_printf(&out, "%s{\"from\": %d, \"name\": ", v == st->next ? "" : ", ", v->applies_from);
    lr_json_string(v->version_name, &out);
    lr_buf_printf(&out, ", \"goals\": %zu, \"subgoals\": %zu}", v->goal_count, v->subgoal_count);
  }
  lr_buf_printf(&out, "],\n  \"actors\": %zu,\n  \"years\": [", actors);
  for (size_t i = 0; i < year_count; i++)
    lr_buf_printf(&out, "%s{\"year\": %d, \"statements\": %zu}", i ? ", " : "",
                  years[i].year, years[i].statement_count);
  lr_buf_puts(&out, "],\n  \"fixes\": [");
  size_t fixed;
  lr_project_fixes(p, &fixed);
  print_fixes(p, true, &out);
  lr_buf_puts(&out, fixed ? "\n  ]" : "]");
  lr_buf_printf(&out, ",\n  \"errors\": %zu,\n  \"warnings\": %zu,\n  \"diagnostics\": ",
                diags->errors, diags->warnings);
  lr_diag_list_json(diags, &out);
  lr_buf_puts(&out, "\n}\n");
  fwrite(out.data, 1, out.len, stdout);
  lr_buf_free(&out);
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  /* A period stands for each of its years; one period alone is checked
   * as build would read it, with its rapport.yaml. */
  size_t year_count = 0;
  for (size_t i = 0; i < args->operand_count; i++)
    year_count += (size_t)(args->last_years[i] - args->years[i] + 1);
  int *years = lr_arena_array(cli->arena, year_count + 1, sizeof *years);
  year_count = 0;
  for (size_t i = 0; i < args->operand_count; i++)
    for (int y = args->years[i]; y <= args->last_years[i]; y++) years[year_count++] = y;
  const char *format = cli_args_value(args, OPT_FORMAT);
  bool json = format && strcmp(format, "json") == 0;
  lr_load_options options = {.dir = cli->project_dir, .years = year_count ? years : NULL, .year_count = year_count,
                             .fix = args->options[OPT_FIX].count > 0,
                             .period = args->operand_count == 1 && year_count > 1};
  lr_project *p = lr_project_load(&options);
  lr_diag_list *diags = lr_project_diagnostics(p);
  size_t actor_count, count;
  lr_project_actors(p, &actor_count);
  const lr_year *loaded = lr_project_years(p, &count);
  if (json) {
    print_json(p, loaded, count, actor_count);
  } else {
    lr_buf fixes = {0};
    print_fixes(p, false, &fixes);
    fwrite(fixes.data ? fixes.data : "", 1, fixes.len, stdout);
    fflush(stdout);
    lr_buf_free(&fixes);
    cli_print_diagnostics(cli, p);
  }

  cli_outcome outcome = cli_project_outcome(p);

  if (!json) {
    lr_arena *arena = lr_project_arena(p);
    const lr_strategy *st = lr_project_strategy(p);
    lr_buf line = {0};
    if (!diags->errors) {
      lr_buf_printf(&line, "%s: %s, %s, %s", st->id, cli_count(arena, st->goal_count, "mål", "mål"),
                    cli_count(arena, st->subgoal_count, "delmål", "delmål"),
                    cli_count(arena, actor_count, "aktör", "aktörer"));
      for (const lr_strategy *v = st->next; v; v = v->next)
        lr_buf_printf(&line, ", reviderad %d (%s, %s)", v->applies_from,
                      cli_count(arena, v->goal_count, "mål", "mål"),
                      cli_count(arena, v->subgoal_count, "delmål", "delmål"));
      int newest = 0;
      for (size_t i = 0; i < count; i++)
        if (loaded[i].year > newest) newest = loaded[i].year;
      for (size_t i = 0; i < count; i++)
        summarise_year(arena, &loaded[i], actor_count, loaded[i].year == newest, &line);
      lr_buf_puts(&line, " · inga fel");
      if (diags->warnings)
        lr_buf_printf(&line, ", %s", cli_count(arena, diags->warnings, "varning", "varningar"));
      printf("%s\n", lr_buf_cstr(&line));
    } else {
      lr_buf_printf(&line, "%s", cli_count(arena, diags->errors, "fel", "fel"));
      if (diags->warnings)
        lr_buf_printf(&line, ", %s", cli_count(arena, diags->warnings, "varning", "varningar"));
      fprintf(stderr, "%s\n", lr_buf_cstr(&line));
    }
    lr_buf_free(&line);
  }
  lr_project_free(p);
  return outcome;
}

const cli_command cmd_check_command = {
    .name = "check",
    .run = run,
    .summary = "kontrollera strategi, aktörer och yttranden",
    .operands = {"[ÅR ...]", 0, 64, true, "2022", NULL, "för många år", true},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Kontrollerar strategin, aktörsregistret och yttrandena för de angivna åren\n"
        "(utan år: alla år som har en mapp <år>/yttranden). Varje fel och varning visas\n"
        "med fil, rad och kolumn; på en terminal följer raden med en markering under\n"
        "kolumnen. Alla fel i alla filer visas i samma körning.\n"
        "\n"
        "Ett år kan också vara en period, som 2021-2022: då kontrolleras periodens alla\n"
        "år och, som build läser dem, periodens texter i 2021-2022/rapport.yaml.\n"
        "\n"
        "Med --fix rättas först det i projektets YAML-filer som bara kan betyda en sak:\n"
        "Windows-1252 eller Latin-1 blir UTF-8, BOM tas bort, CRLF blir LF, och tabbar\n"
        "och hårda mellanslag i indraget blir mellanslag. Varje ändring visas som\n"
        "\"fil:rad: ändrat …\". En fil skrivs hel i ett steg, och bara om den går att läsa\n"
        "efteråt; annars lämnas den orörd med ett fel. Inget annat i texten ändras.\n",
    .epilogue = "Slutkoder: 0 inga fel (varningar tillåtna), 1 fel i data, 2 användnings- eller I/O-fel\n"
                "(t.ex. ett år utan yttranden).\n",
};
