/* lagesrapport: the command line. A thin loop over the library: parse the
 * global options, find the command, parse its arguments by its table, run
 * it, and end through cli_finish. */
#include "cli.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <unistd.h>

static const cli_command *const COMMANDS[] = {
    &cmd_check_command,
    &cmd_build_command,
    &cmd_export_command,
    &cmd_diff_command,
    &cmd_new_command,
    &cmd_mail_command,
    &cmd_init_command,
    &cmd_schema_command,
    &cmd_status_command,
};
enum { COMMAND_COUNT = sizeof COMMANDS / sizeof *COMMANDS };

static void print_overview(FILE *f) {
  fputs("lagesrapport – regional lägesrapport för strategin mot mäns våld mot kvinnor\n"
        "\n"
        "Användning: lagesrapport [-C MAPP] <kommando> [flaggor]\n"
        "\n"
        "Kommandon:\n",
        f);
  for (size_t i = 0; i < COMMAND_COUNT; i++)
    fprintf(f, "  %-8s %s\n", COMMANDS[i]->name, COMMANDS[i]->summary);
  fputs("\n"
        "Globala flaggor:\n"
        "  -C MAPP      använd projektet i MAPP (annars närmaste lagesrapport.yaml uppåt)\n"
        "  --help       visa den här hjälpen\n"
        "  --version    visa versionen\n"
        "\n"
        "Skriv \"lagesrapport help <kommando>\" för hjälp om ett kommando.\n"
        "Slutkoder: 0 klart, 1 valideringsfel eller skillnader, 2 användnings- eller I/O-fel.\n",
        f);
}

const cli_command *const *cli_commands(size_t *count) {
  *count = COMMAND_COUNT;
  return COMMANDS;
}

const cli_command *cli_command_find(const char *name) {
  for (size_t i = 0; i < COMMAND_COUNT; i++)
    if (strcmp(COMMANDS[i]->name, name) == 0) return COMMANDS[i];
  /* Not in the overview: only the shell completion calls it. */
  if (strcmp(cmd_complete_command.name, name) == 0) return &cmd_complete_command;
  return NULL;
}

static cli_outcome unknown_command(const cli_context *cli, const char *name) {
  const char *names[COMMAND_COUNT];
  for (size_t i = 0; i < COMMAND_COUNT; i++) names[i] = COMMANDS[i]->name;
  cli_error(cli, "okänt kommando \"%s\"", name);
  const char *guess = lr_suggest(name, names, COMMAND_COUNT);
  if (guess) fprintf(stderr, "  tips: menade du \"%s\"?\n", guess);
  cli_help_hint(NULL);
  return CLI_USAGE;
}

static cli_outcome unknown_global_flag(const cli_context *cli, const char *flag) {
  static const char *const GLOBAL[] = {"-C", "--help", "--version"};
  const char *guess = lr_suggest(flag, GLOBAL, sizeof GLOBAL / sizeof *GLOBAL);
  if (guess) return cli_usage_error(cli, NULL, "okänd flagga \"%s\" — menade du \"%s\"?", flag, guess);
  return cli_usage_error(cli, NULL, "okänd flagga \"%s\"", flag);
}

static cli_outcome help(const cli_context *cli, int argc, char **argv) {
  if (argc < 2) {
    print_overview(stdout);
    return CLI_DONE;
  }
  const cli_command *c = cli_command_find(argv[1]);
  if (!c) return unknown_command(cli, argv[1]);
  cli_help_print(c, stdout);
  return CLI_DONE;
}

static bool color_for(FILE *f) {
  const char *no_color = getenv("NO_COLOR");
  const char *term = getenv("TERM");
  return isatty(fileno(f)) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
}

/* Everything but the exit code, which main leaves to cli_finish. */
static cli_outcome run(cli_context *cli, int argc, char **argv, const cli_command **command) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-C") == 0) {
      if (i + 1 >= argc) return cli_usage_error(cli, NULL, "-C behöver en mapp");
      cli->project_dir = argv[++i];
    } else if (strncmp(argv[i], "-C", 2) == 0) {
      cli->project_dir = argv[i] + 2;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      print_overview(stdout);
      return CLI_DONE;
    } else if (strcmp(argv[i], "--version") == 0) {
      printf("lagesrapport %s\n", LR_VERSION);
      return CLI_DONE;
    } else {
      return unknown_global_flag(cli, argv[i]);
    }
  }
  if (i >= argc) {
    print_overview(stderr);
    return CLI_USAGE;
  }
  if (strcmp(argv[i], "help") == 0) return help(cli, argc - i, argv + i);
  const cli_command *c = cli_command_find(argv[i]);
  if (!c) return unknown_command(cli, argv[i]);
  *command = c;
  cli_args args;
  if (!cli_args_parse(cli, c, argc - i, argv + i, &args)) return CLI_USAGE;
  if (args.help) {
    cli_help_print(c, stdout);
    return CLI_DONE;
  }
  return c->run(cli, &args);
}

/* A run is short and its memory peaks once. glibc hands freed memory
 * back to the system above 128 KiB and gives each block of 128 KiB or
 * more a mapping of its own, so a build faulted the same pages in again,
 * one 4 KiB page at a time, for every statement parsed and every page
 * written: on a virtual machine a fault costs more than the work in the
 * page (bench/README.md). Kept, freed memory is simply reused. */
static void keep_freed_memory(void) {
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD)
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}

int main(int argc, char **argv) {
  keep_freed_memory();
  cli_context cli = {NULL, color_for(stdout), color_for(stderr), lr_arena_new()};
  const cli_command *command = NULL;
  cli_outcome outcome = run(&cli, argc, argv, &command);
  int code = cli_finish(&cli, command, outcome);
  lr_global_cleanup();
  lr_arena_free(cli.arena);
  return code;
}
