/* lagesrapport __complete: the words the shell completion offers, one per
 * line: the commands, a command's flags and a flag's values from the same
 * tables the parser reads, and what only the project knows (its years and
 * its actors). Hidden from the overview, since people never type it; the
 * completion script calls it so that it never parses help texts or YAML. */
#include "cli.h"

#include <string.h>

/* Actors need no statements, so no year is loaded: completion must be
 * instant. Diagnostics are check's business, not the shell's. */
static void print_project_words(const cli_context *cli, bool years) {
  static const int no_year[1] = {0};
  lr_load_options options = {.dir = cli->project_dir};
  if (!years) options.years = no_year;
  lr_project *p = lr_project_load(&options);
  size_t count;
  if (years) {
    const lr_year *y = lr_project_years(p, &count);
    for (size_t i = 0; i < count; i++)
      if (y[i].found) printf("%d\n", y[i].year);
  } else {
    const lr_actor *a = lr_project_actors(p, &count);
    for (size_t i = 0; i < count; i++) printf("%s\n", a[i].id);
  }
  lr_project_free(p);
}

/* A flag's values: its choices, or the registry's ids. A flag that takes
 * no value, or none that is known, answers 1 so that the script offers
 * what follows a switch instead (years, more flags). */
static cli_outcome print_values(const cli_context *cli, const char *name, const char *flag) {
  const cli_command *command = cli_command_find(name);
  const cli_option *o = command ? cli_option_find(command, flag) : NULL;
  if (!o || !o->value_name) return CLI_INVALID;
  for (const cli_choice *c = o->choices; c && c->name; c++) printf("%s\n", c->name);
  if (o->flags & CLI_ACTORS) print_project_words(cli, false);
  return CLI_DONE;
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  const char *what = args->operands[0];
  size_t n = args->operand_count;
  if (n == 1 && (strcmp(what, "years") == 0 || strcmp(what, "actors") == 0)) {
    print_project_words(cli, strcmp(what, "years") == 0);
    return CLI_DONE;
  }
  if (n == 1 && strcmp(what, "commands") == 0) {
    size_t count;
    const cli_command *const *commands = cli_commands(&count);
    for (size_t i = 0; i < count; i++) printf("%s\n", commands[i]->name);
    return CLI_DONE;
  }
  if (n == 2 && strcmp(what, "flags") == 0) {
    /* An unknown command has no flags: nothing, and no error, while the
     * user is still typing it. */
    const cli_command *command = cli_command_find(args->operands[1]);
    if (command) cli_flags_print(command, stdout);
    return CLI_DONE;
  }
  if (n == 3 && strcmp(what, "values") == 0) return print_values(cli, args->operands[1], args->operands[2]);
  return cli_usage_error(cli, "__complete",
                         "ange years, actors, commands, flags KOMMANDO eller values KOMMANDO FLAGGA");
}

const cli_command cmd_complete_command = {
    .name = "__complete",
    .run = run,
    .operands = {"VAD [KOMMANDO [FLAGGA]]", 1, 3, false, NULL,
                 "ange years, actors, commands, flags KOMMANDO eller values KOMMANDO FLAGGA",
                 "för många ord"},
    .description =
        "Skriver, ett per rad, de ord som skalets komplettering\n"
        "(completion/lagesrapport.bash) erbjuder:\n"
        "  years                   projektets år\n"
        "  actors                  aktörernas id\n"
        "  commands                kommandona\n"
        "  flags KOMMANDO          kommandots flaggor\n"
        "  values KOMMANDO FLAGGA  flaggans värden (slutkod 1 när den inte tar något)\n"
        "Skriver ingenting och avslutar med 0 när inget projekt hittas, så att en\n"
        "komplettering aldrig visar fel.\n",
    .options_first = true,
};
