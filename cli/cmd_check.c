/* lagesrapport check: validate the strategy, the registry and the years,
 * silent but for one summary line when all is well. */
#include "cli.h"

#include <string.h>

static const char HELP[] =
    "Användning: lagesrapport check [ÅR ...] [--format text|json]\n"
    "\n"
    "Kontrollerar strategin, aktörsregistret och yttrandena för de angivna åren\n"
    "(utan år: alla år som har en mapp <år>/yttranden). Varje fel och varning visas\n"
    "med fil, rad och kolumn; på en terminal följer raden med en markering under\n"
    "kolumnen. Alla fel i alla filer visas i samma körning.\n"
    "\n"
    "Flaggor:\n"
    "  --format text   (standard) meddelanden på stderr och en sammanfattning på stdout\n"
    "  --format json   allt som JSON på stdout, för CI och editorer\n"
    "\n"
    "Slutkoder: 0 inga fel (varningar tillåtna), 1 fel i data, 2 användnings- eller I/O-fel\n"
    "(t.ex. ett år utan yttranden).\n";

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
  lr_buf_printf(&out, ",\n  \"goals\": %zu,\n  \"subgoals\": %zu,\n  \"actors\": %zu,\n  \"years\": [",
                st->goal_count, st->subgoal_count, actors);
  for (size_t i = 0; i < year_count; i++)
    lr_buf_printf(&out, "%s{\"year\": %d, \"statements\": %zu}", i ? ", " : "",
                  years[i].year, years[i].statement_count);
  lr_buf_printf(&out, "],\n  \"errors\": %zu,\n  \"warnings\": %zu,\n  \"diagnostics\": ",
                diags->errors, diags->warnings);
  lr_diag_list_json(diags, &out);
  lr_buf_puts(&out, "\n}\n");
  fwrite(out.data, 1, out.len, stdout);
  lr_buf_free(&out);
}

static int run(const cli_context *cli, int argc, char **argv) {
  int years[64];
  size_t year_count = 0;
  bool json = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--format") == 0 || strncmp(argv[i], "--format=", 9) == 0) {
      const char *v = argv[i][8] == '=' ? argv[i] + 9 : (i + 1 < argc ? argv[++i] : "");
      if (strcmp(v, "json") == 0) json = true;
      else if (strcmp(v, "text") != 0)
        return cli_usage_error(cli, "check", "okänt format \"%s\" (välj text eller json)", v);
    } else if (argv[i][0] == '-') {
      return cli_usage_error(cli, "check", "okänd flagga \"%s\"", argv[i]);
    } else if (year_count == sizeof years / sizeof *years) {
      return cli_usage_error(cli, "check", "för många år");
    } else if (!cli_parse_year(argv[i], &years[year_count++])) {
      return cli_usage_error(cli, "check", "\"%s\" är inget år (skriv t.ex. 2022)", argv[i]);
    }
  }
  lr_load_options options = {.dir = cli->project_dir, .years = year_count ? years : NULL, .year_count = year_count};
  lr_project *p = lr_project_load(&options);
  lr_diag_list *diags = lr_project_diagnostics(p);
  size_t actor_count, count;
  lr_project_actors(p, &actor_count);
  const lr_year *loaded = lr_project_years(p, &count);
  if (json)
    print_json(p, loaded, count, actor_count);
  else
    cli_print_diagnostics(cli, p);

  int status = diags->errors ? EXIT_INVALID : EXIT_OK;
  for (size_t i = 0; i < count; i++)
    if (!loaded[i].found) status = EXIT_USAGE; /* asked for a year that has no data */
  if (!lr_project_config(p)->root) status = EXIT_USAGE; /* no project at all */

  if (!json) {
    lr_arena *arena = lr_project_arena(p);
    const lr_strategy *st = lr_project_strategy(p);
    lr_buf line = {0};
    if (!diags->errors) {
      lr_buf_printf(&line, "%s: %s, %s, %s", st->id, cli_count(arena, st->goal_count, "mål", "mål"),
                    cli_count(arena, st->subgoal_count, "delmål", "delmål"),
                    cli_count(arena, actor_count, "aktör", "aktörer"));
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
  return status;
}

const cli_command cmd_check_command = {"check", run,
                                       "kontrollera strategi, aktörer och yttranden", HELP};
