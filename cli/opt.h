/* The command line's one option parser. Every command describes its flags
 * and its operands in a table; the parser, the "help <kommando>" text, the
 * usage line of an error and the shell completion are all read from that
 * table, so that none of them can disagree with what the command accepts. */
#ifndef LR_CLI_OPT_H
#define LR_CLI_OPT_H

#include "lagesrapport.h"

#include <stdio.h>

/* One value of a flag that takes only certain values ("--format json"). */
typedef struct cli_choice {
  const char *name;
  /* When set, help lists "--format json" on a line of its own with this
   * text; otherwise the flag's own help line describes the choices. */
  const char *help;
} cli_choice;

enum {
  CLI_REPEATS = 1u << 0, /* may be given more than once; each value is kept */
  CLI_LIST = 1u << 1,    /* the value is a comma-separated list of choices */
  CLI_ACTORS = 1u << 2,  /* the value is actor ids: completion offers the registry's */
};

typedef struct cli_option {
  const char *name;          /* "format", given as --format */
  const char *value_name;    /* how help shows the value ("MAPP"); NULL for a switch */
  const char *help;          /* help text; '\n' starts a continuation line */
  const cli_choice *choices; /* the only values it takes, ended by {NULL}; NULL for any */
  const char *unknown;       /* how an error names a value not among them: "okänt format" */
  unsigned flags;            /* CLI_REPEATS, CLI_LIST, CLI_ACTORS */
  char letter;               /* 'o' when "-o" is the flag too; 0 for none */
} cli_option;

typedef struct cli_operands {
  const char *usage;   /* as the usage line shows them: "ÅR", "ÅR1 ÅR2", "[ÅR ...]" */
  size_t min, max;     /* how many the command needs and takes */
  bool years;          /* each must be a year, 1900–2999 */
  const char *example; /* a year to suggest when one is not: "2022" */
  const char *missing; /* the error when there are fewer than min */
  const char *surplus; /* the error when there are more than max; may name the first with %s */
  /* A year may also be a span of years, "2021-2022" or "2021–2022": a
   * period report (build) or every year of it (check). */
  bool spans;
} cli_operands;

/* What the user gave for one flag, in the order given. */
typedef struct cli_given {
  size_t count;
  const char **values; /* count values (NULL for a switch), pointing into argv */
} cli_given;

typedef struct cli_args {
  cli_given *options; /* one per option of the table, in the table's order */
  const char **operands;
  size_t operand_count;
  int *years; /* the operands as years, when the command takes years */
  int *last_years; /* parallel: a span's last year, or the year itself */
  bool help;  /* --help or -h was given: show help, do nothing else */
} cli_args;

struct cli_context;
struct cli_command;

/* Reads argv[1..argc-1] (argv[0] is the command's name) by the command's
 * table into args, allocated in cli->arena. Every mistake is reported on
 * stderr, followed by the usage line and where to read more; returns false
 * after any. --help anywhere before "--" wins over mistakes. */
bool cli_args_parse(const struct cli_context *cli, const struct cli_command *command, int argc,
                    char **argv, cli_args *args);

/* The value of a flag given at most once, or NULL when it was not given. */
const char *cli_args_value(const cli_args *args, size_t option);

/* "Användning: lagesrapport build ÅR [--out MAPP] …", wrapped at 80 columns. */
void cli_usage_print(const struct cli_command *command, FILE *f);
/* The whole "help <kommando>" text. */
void cli_help_print(const struct cli_command *command, FILE *f);

/* The flags completion offers, "--help" last; one per line. */
void cli_flags_print(const struct cli_command *command, FILE *f);
/* The option that "--name" (or "--name=…", or "-x") gives, or NULL. */
const cli_option *cli_option_find(const struct cli_command *command, const char *flag);

#endif
