/* What the command files share: the command table each one fills in, the
 * outcomes they end with, printing diagnostics the same way everywhere, and
 * the exit codes (0 done, 1 invalid data or differences, 2 usage or I/O). */
#ifndef LR_CLI_H
#define LR_CLI_H

#include "lagesrapport.h"
#include "opt.h"

#include <stdio.h>

/* What a command came to. cli_finish() alone turns it into an exit code. */
typedef enum cli_outcome {
  CLI_DONE,        /* 0 */
  CLI_DIFFERENCES, /* 1: diff found differences, as diff(1) */
  CLI_INVALID,     /* 1: errors in the data (2 for a command whose 1 means differences) */
  CLI_UNSENT,      /* 1: mail that could not be delivered */
  CLI_USAGE,       /* 2: the command line, or what it asks for, is wrong */
  CLI_IO,          /* 2: a file or stream could not be read or written */
} cli_outcome;

typedef struct cli_context {
  const char *project_dir; /* -C DIR, or NULL */
  bool color_stdout, color_stderr;
  lr_arena *arena; /* owns what the command line is parsed into */
} cli_context;

typedef cli_outcome (*cli_command_fn)(const cli_context *cli, const cli_args *args);

typedef struct cli_command {
  const char *name;
  cli_command_fn run;
  const char *summary; /* one line for the overview; NULL keeps it out */
  cli_operands operands;
  const cli_option *options; /* index them with the command's own enum */
  size_t option_count;
  const char *description; /* help between the usage line and "Flaggor:" */
  const char *epilogue;    /* help after the flags: exit codes, examples */
  /* Exit code 1 means "differences" (diff); invalid data is then 2. */
  bool differences;
  /* Options end at the first operand, so that later words may start
   * with dashes (__complete values build --format). */
  bool options_first;
} cli_command;

extern const cli_command cmd_check_command;
extern const cli_command cmd_build_command;
extern const cli_command cmd_diff_command;
extern const cli_command cmd_new_command;
extern const cli_command cmd_mail_command;
extern const cli_command cmd_status_command;
extern const cli_command cmd_complete_command;
extern const cli_command cmd_init_command;
extern const cli_command cmd_schema_command;
extern const cli_command cmd_export_command;

/* The commands of the overview, in its order, and the one named; the
 * hidden __complete is found by name but not listed. */
const cli_command *const *cli_commands(size_t *count);
const cli_command *cli_command_find(const char *name);

/* The exit code of an outcome, after making sure that everything written
 * to stdout got there: a failed write is an I/O error (exit 2) with a
 * message on stderr, whatever the command came to. Every command, help and
 * error ends here. */
int cli_finish(const cli_context *cli, const cli_command *command, cli_outcome outcome);

/* What loading the project came to, the same for every command: no
 * project, or a year asked for that has no statements, is CLI_USAGE;
 * errors in the data are CLI_INVALID; else CLI_DONE. */
cli_outcome cli_project_outcome(lr_project *project);

/* Prints every diagnostic to stderr (warnings too), sorted, with source
 * lines and colour on a terminal. */
void cli_print_diagnostics(const cli_context *cli, lr_project *project);
/* "lagesrapport: fel: …" on stderr. */
void cli_error(const cli_context *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "  tips: se "lagesrapport help <kommando>"" (or --help without one). */
void cli_help_hint(const char *command);
/* An error and where to read more; returns CLI_USAGE. */
cli_outcome cli_usage_error(const cli_context *cli, const char *command, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error that is not the user's wording; returns CLI_IO. */
cli_outcome cli_io_error(const cli_context *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A year as the user typed it; false for anything but 1900–2999. */
bool cli_parse_year(const char *s, int *year);
/* Where the built-in templates are: the source tree's for the program in
 * its build folder, else beside the installed program
 * (<prefix>/share/lagesrapport/report-templates, whatever the prefix). */
const char *cli_builtin_templates(void);
/* Ids given as "a,b" or in repeated flags ("--only a,b --only c"), as one
 * list allocated in arena; returns how many. */
size_t cli_split_ids(lr_arena *arena, const cli_given *given, const char ***ids);
/* Swedish plural: "1 aktör", "3 aktörer". */
const char *cli_count(lr_arena *arena, size_t n, const char *one, const char *many);

#endif
