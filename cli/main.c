/* lagesrapport: the command line. A thin loop over the library: parse the
 * global options, find the command, hand it the rest. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cli_command *const COMMANDS[] = {
    &cmd_check_command,
    &cmd_build_command,
    &cmd_diff_command,
    &cmd_new_command,
    &cmd_mail_command,
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

static const cli_command *find_command(const char *name) {
  for (size_t i = 0; i < COMMAND_COUNT; i++)
    if (strcmp(COMMANDS[i]->name, name) == 0) return COMMANDS[i];
  /* Not in the overview: only the shell completion calls it. */
  if (strcmp(cmd_complete_command.name, name) == 0) return &cmd_complete_command;
  return NULL;
}

static int unknown_command(const cli_context *cli, const char *name) {
  const char *names[COMMAND_COUNT];
  for (size_t i = 0; i < COMMAND_COUNT; i++) names[i] = COMMANDS[i]->name;
  fprintf(stderr, cli->color_stderr ? "lagesrapport: \033[1;31mfel:\033[0m " : "lagesrapport: fel: ");
  fprintf(stderr, "okänt kommando \"%s\"\n", name);
  const char *guess = NULL;
  for (size_t i = 0; i < COMMAND_COUNT && !guess; i++)
    if (strncmp(names[i], name, 2) == 0) guess = names[i];
  if (guess) fprintf(stderr, "  tips: menade du \"%s\"?\n", guess);
  fputs("  tips: se \"lagesrapport --help\"\n", stderr);
  return EXIT_USAGE;
}

static int help(const cli_context *cli, int argc, char **argv) {
  if (argc < 2) {
    print_overview(stdout);
    return EXIT_OK;
  }
  const cli_command *c = find_command(argv[1]);
  if (!c) return unknown_command(cli, argv[1]);
  fputs(c->help, stdout);
  return EXIT_OK;
}

static bool color_for(FILE *f) {
  const char *no_color = getenv("NO_COLOR");
  const char *term = getenv("TERM");
  return isatty(fileno(f)) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
}

int main(int argc, char **argv) {
  cli_context cli = {NULL, color_for(stdout), color_for(stderr)};
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-C") == 0) {
      if (i + 1 >= argc) return cli_usage_error(&cli, NULL, "-C behöver en mapp");
      cli.project_dir = argv[++i];
    } else if (strncmp(argv[i], "-C", 2) == 0) {
      cli.project_dir = argv[i] + 2;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      print_overview(stdout);
      return EXIT_OK;
    } else if (strcmp(argv[i], "--version") == 0) {
      printf("lagesrapport %s\n", LR_VERSION);
      return EXIT_OK;
    } else {
      return cli_usage_error(&cli, NULL, "okänd flagga \"%s\"", argv[i]);
    }
  }
  if (i >= argc) {
    print_overview(stderr);
    return EXIT_USAGE;
  }
  if (strcmp(argv[i], "help") == 0) return help(&cli, argc - i, argv + i);
  const cli_command *c = find_command(argv[i]);
  if (!c) return unknown_command(&cli, argv[i]);
  for (int k = i + 1; k < argc; k++) {
    if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
      fputs(c->help, stdout);
      return EXIT_OK;
    }
    if (strcmp(argv[k], "--") == 0) break;
  }
  return c->run(&cli, argc - i, argv + i);
}
