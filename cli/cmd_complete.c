/* lagesrapport __complete: the words the shell completion offers that only
 * the project knows (its years and its actors), one per line. Hidden from
 * the overview, since people never type it; the completion script calls it
 * so that it never has to parse YAML itself. */
#include "cli.h"

#include <string.h>

static const char HELP[] =
    "Användning: lagesrapport __complete years|actors\n"
    "\n"
    "Skriver projektets år eller aktörernas id, ett per rad, för skalets\n"
    "komplettering (completion/lagesrapport.bash). Skriver ingenting och avslutar\n"
    "med 0 när inget projekt hittas, så att en komplettering aldrig visar fel.\n";

static int run(const cli_context *cli, int argc, char **argv) {
  bool years = argc == 2 && strcmp(argv[1], "years") == 0;
  bool actors = argc == 2 && strcmp(argv[1], "actors") == 0;
  if (!years && !actors) return cli_usage_error(cli, "__complete", "ange years eller actors");

  /* Actors need no statements, so load no year: completion must be instant. */
  static const int no_year[1] = {0};
  lr_load_options options = {.dir = cli->project_dir};
  if (actors) options.years = no_year;
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
  return EXIT_OK; /* diagnostics are check's business, not the shell's */
}

const cli_command cmd_complete_command = {"__complete", run, NULL, HELP};
