/* lagesrapport new: the year's statement forms, one per actor, never
 * replacing one that is already there. */
#include "cli.h"

#include <string.h>

enum { OPT_ACTOR };

static const cli_option OPTIONS[] = {
    [OPT_ACTOR] = {"actor", "ID", "bara aktören med id ID; kan upprepas, eller ID,ID,...", NULL, NULL,
                   CLI_REPEATS | CLI_ACTORS},
};

static void report(lr_project *p, int year, const lr_form_result *r, size_t count) {
  lr_arena *arena = lr_project_arena(p);
  size_t written = 0, skipped = 0;
  for (size_t i = 0; i < count; i++) {
    if (r[i].existing) {
      /* Usually the form itself; else a .yml statement in its place. */
      const char *name = strrchr(r[i].existing, '/');
      if (strcmp(r[i].existing, r[i].path) == 0)
        printf("hoppade över %s: finns redan\n", r[i].path);
      else
        printf("hoppade över %s: %s finns redan\n", r[i].path, name ? name + 1 : r[i].existing);
      skipped++;
    } else if (r[i].written) {
      if (r[i].carried)
        printf("skrev %s (%s från %d)\n", r[i].path,
               cli_count(arena, r[i].carried, "aktivitet", "aktiviteter"), year - 1);
      else
        printf("skrev %s\n", r[i].path);
      written++;
    }
  }
  printf("%d: %s, %s fanns redan\n", year,
         cli_count(arena, written, "formulär skrivet", "formulär skrivna"),
         cli_count(arena, skipped, "formulär", "formulär"));
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  int year = args->years[0];
  const cli_given *actors = &args->options[OPT_ACTOR];

  /* No year is loaded as a whole: the forms need the strategy and the
   * registry, and of the year before only each actor's own statement. */
  lr_load_options load = {.dir = cli->project_dir, .years = &year, .year_count = 0};
  lr_project *p = lr_project_load(&load);
  lr_diag_list *diags = lr_project_diagnostics(p);
  lr_form_options options = {NULL, 0, cli_builtin_templates()};
  const char **ids;
  size_t id_count = cli_split_ids(lr_project_arena(p), actors, &ids);
  const lr_actor **selected = NULL;
  cli_outcome status = cli_project_outcome(p);
  if (status != CLI_DONE) {
    /* no project or errors in the data */
  } else if (actors->count && !id_count) {
    status = cli_usage_error(cli, "new", "--actor behöver en aktörs id");
  } else if (id_count && !lr_actors_select(p, ids, id_count, &selected, &options.actor_count)) {
    status = CLI_USAGE;
  } else {
    options.actors = selected;
    lr_form_result *results;
    size_t count;
    bool written = lr_form_write(p, year, &options, &results, &count);
    /* Nothing tried: the statements of the year before have errors. */
    bool invalid = !written && count == 0;
    /* The pages follow the YAML forms, those just written and those that
     * were there; after a failure there is nothing certain to follow. */
    const char *pages_dir = NULL;
    size_t pages = 0;
    bool pages_ok = written && lr_form_html_write(p, year, &options, &pages_dir, &pages);
    cli_print_diagnostics(cli, p);
    if (invalid) {
      fprintf(stderr, "%s i yttrandena för %d: inga formulär skrevs\n",
              cli_count(lr_project_arena(p), diags->errors, "fel", "fel"), year - 1);
    } else {
      report(p, year, results, count);
      if (pages_ok && pages)
        printf("skrev %s i HTML i %s/\n",
               cli_count(lr_project_arena(p), pages, "formulär", "formulär"), pages_dir);
    }
    written = written && pages_ok;
    lr_project_free(p);
    return written ? CLI_DONE : invalid ? CLI_INVALID : CLI_IO;
  }
  cli_print_diagnostics(cli, p);
  if (status == CLI_INVALID)
    fprintf(stderr, "%s: inga formulär skrevs\n",
            cli_count(lr_project_arena(p), diags->errors, "fel", "fel"));
  lr_project_free(p);
  return status;
}

const cli_command cmd_new_command = {
    .name = "new",
    .run = run,
    .summary = "skriv årets formulär för yttranden, ett per aktör",
    .operands = {"ÅR", 1, 1, true, "2023",
                 "ange vilket år formulären gäller, t.ex. \"lagesrapport new 2023\"", "ange ett enda år"},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Skriver ett formulär för yttrandet ÅR till ÅR/yttranden/<aktör>.yaml för varje\n"
        "aktör i aktörsregistret (eller bara de angivna). Formuläret är ett giltigt\n"
        "yttrande som det står: aktör och år är ifyllda, strategins mål och delmål står\n"
        "som kommentarer tillsammans med en exempelaktivitet, och aktörens aktiviteter\n"
        "från året före med status planerad eller pågående följer med för att uppdateras.\n"
        "\n"
        "En fil som redan finns skrivs aldrig över; kommandot säger vilka det hoppade\n"
        "över. Av varje aktörs formulär, nytt eller gammalt, görs sedan samma formulär\n"
        "i HTML, ÅR/formular/<aktör>.html, att fylla i i webbläsaren; det sparar\n"
        "yttrandet som <aktör>.yaml. Sidorna skrivs om varje gång. Skicka sedan\n"
        "formulären med \"lagesrapport mail ÅR --forms\".\n",
    .epilogue = "Slutkoder: 0 klart (även om filer hoppades över), 1 fel i data (strategin,\n"
                "registret eller årets före yttranden), 2 användnings- eller I/O-fel.\n",
};
