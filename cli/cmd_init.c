/* lagesrapport init: a new county's starting project, from flags or, on a
 * terminal, from two questions. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_REGION, OPT_SENDER };

static const cli_option OPTIONS[] = {
    [OPT_REGION] = {"region", "NAMN", "länets namn, t.ex. \"Skåne län\"", NULL, NULL, 0},
    [OPT_SENDER] = {"sender", "AVSÄNDARE",
                    "avsändaren av e-posten, \"Namn <adress>\"; utelämnad står\n"
                    "raden bortkommenterad i lagesrapport.yaml",
                    NULL, NULL, 0},
};

/* One line from the terminal, without its line break; NULL at end of input. */
static const char *ask(const cli_context *cli, const char *question) {
  printf("%s", question);
  fflush(stdout);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, stdin);
  if (n < 0) {
    free(line);
    putchar('\n');
    return NULL;
  }
  while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
  const char *answer = lr_arena_strdup(cli->arena, line);
  free(line);
  return answer;
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  lr_init_options options = {args->operand_count ? args->operands[0] : cli->project_dir,
                             cli_args_value(args, OPT_REGION), cli_args_value(args, OPT_SENDER)};
  /* Questions only to a person: a script that forgot a flag gets an error,
   * never a prompt it cannot answer. */
  if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
    if (!options.region) options.region = ask(cli, "Länets namn (t.ex. Skåne län): ");
    if (!args->options[OPT_SENDER].count) {
      const char *sender =
          ask(cli, "Avsändare av e-posten, \"Namn <adress>\" (tom rad: fyll i senare): ");
      if (sender && *sender) options.sender = sender;
    }
  }
  if (!options.region || !*options.region)
    return cli_usage_error(cli, "init", "ange länets namn med --region, t.ex. --region \"Skåne län\"");

  const char **files;
  size_t count;
  lr_project *p = lr_project_init(&options, &files, &count);
  cli_print_diagnostics(cli, p);
  cli_outcome status = CLI_DONE;
  if (!count) {
    fprintf(stderr, "inga filer skrevs\n");
    status = lr_project_diagnostics(p)->errors ? CLI_IO : CLI_DONE;
  } else {
    for (size_t i = 0; i < count; i++) printf("skrev %s\n", files[i]);
    /* The commands as they are typed from here: "-C MAPP" unless here is the project. */
    const char *dir = options.dir && *options.dir && strcmp(options.dir, ".") != 0 ? options.dir : NULL;
    const char *c = !dir ? ""
                    : strpbrk(dir, " \t'\"$`\\") ? lr_arena_printf(cli->arena, "-C '%s' ", dir)
                                                 : lr_arena_printf(cli->arena, "-C %s ", dir);
    printf("\nNästa steg:\n"
           "  1. Skriv in länets mål och delmål i strategi.yaml och aktörerna i aktorer.yaml.\n"
           "  2. lagesrapport %scheck      kontrollera filerna\n"
           "  3. lagesrapport %snew ÅR     skriv ett formulär per aktör\n"
           "  4. lagesrapport %sbuild ÅR   skriv rapporten när yttrandena har kommit\n"
           "Varje fil och nyckel beskrivs i docs/format.md.\n",
           c, c, c);
  }
  lr_project_free(p);
  return status;
}

const cli_command cmd_init_command = {
    .name = "init",
    .run = run,
    .summary = "starta ett nytt projekt för ett län",
    .operands = {"[MAPP]", 0, 1, false, NULL, NULL, "ange högst en mapp (fick \"%s\" också)"},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Skriver ett nytt projekt i MAPP (standard: den aktuella mappen, som skapas om\n"
        "den saknas): lagesrapport.yaml, strategi.yaml med ett mål och två delmål som\n"
        "exempel, aktorer.yaml med två aktörer och en .gitignore för det som byggs.\n"
        "Filerna är kommenterade och projektet klarar \"check\" som det står.\n"
        "\n"
        "Länets namn och avsändaren anges med flaggor; på en terminal frågar init\n"
        "efter det som saknas. Ingenting skrivs över: finns någon av filerna redan\n"
        "skrivs ingen av dem.\n",
    .epilogue = "Slutkoder: 0 klart, 2 användnings- eller I/O-fel (då skrevs ingenting).\n"
                "\n"
                "Exempel:\n"
                "  lagesrapport init skane --region \"Skåne län\" \\\n"
                "      --sender \"Länsstyrelsen Skåne <kvinnofrid@lansstyrelsen.example>\"\n",
};
