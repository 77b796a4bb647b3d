/* What the command files share: the global options, printing diagnostics
 * the same way everywhere, and the exit codes of SPEC §5. */
#ifndef LR_CLI_H
#define LR_CLI_H

#include "lagesrapport.h"

#include <stdio.h>

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

typedef struct cli_context {
  const char *project_dir; /* -C DIR, or NULL */
  bool color_stdout, color_stderr;
} cli_context;

typedef int (*cli_command_fn)(const cli_context *cli, int argc, char **argv);

typedef struct cli_command {
  const char *name;
  cli_command_fn run;
  const char *summary; /* one line for the overview */
  const char *help;    /* the whole `help <kommando>` text */
} cli_command;

extern const cli_command cmd_check_command;
extern const cli_command cmd_build_command;
extern const cli_command cmd_diff_command;
extern const cli_command cmd_new_command;
extern const cli_command cmd_mail_command;
extern const cli_command cmd_complete_command;

/* Prints every diagnostic to stderr (warnings too), sorted, with source
 * lines and colour on a terminal. */
void cli_print_diagnostics(const cli_context *cli, lr_project *project);
/* "fel: …" on stderr, for usage and I/O problems; returns EXIT_USAGE. */
int cli_usage_error(const cli_context *cli, const char *command, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cli_io_error(const cli_context *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A year as the user typed it; false for anything but 1900–2999. */
bool cli_parse_year(const char *s, int *year);
/* Where the built-in templates are: the source tree's for the program in
 * its build folder, else beside the installed program
 * (<prefix>/share/lagesrapport/report-templates, whatever the prefix). */
const char *cli_builtin_templates(void);
/* Ids given as "a,b" or in repeated flags ("--only a,b --only c"), as one
 * list allocated in arena; returns how many. */
size_t cli_split_ids(lr_arena *arena, char **values, size_t count, const char ***ids);
/* Swedish plural: "1 aktör", "3 aktörer". */
const char *cli_count(lr_arena *arena, size_t n, const char *one, const char *many);

#endif
