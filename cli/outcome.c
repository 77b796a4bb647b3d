/* How a command ends: what loading the project came to, and the one place
 * where outcomes become exit codes (0, 1, 2: see cli.h) once stdout is
 * known to have been written. */
#include "cli.h"

#include <errno.h>
#include <string.h>

cli_outcome cli_project_outcome(lr_project *project) {
  if (!lr_project_config(project)->root) return CLI_USAGE;
  /* A year asked for is loaded even without statements, marked not found;
   * the loader has said so in a diagnostic already. */
  size_t count;
  const lr_year *years = lr_project_years(project, &count);
  for (size_t i = 0; i < count; i++)
    if (!years[i].found) return CLI_USAGE;
  return lr_project_diagnostics(project)->errors ? CLI_INVALID : CLI_DONE;
}

static int exit_code(const cli_command *command, cli_outcome outcome) {
  switch (outcome) {
  case CLI_DONE: return 0;
  case CLI_DIFFERENCES: return 1;
  case CLI_INVALID: return command && command->differences ? 2 : 1;
  case CLI_UNSENT: return 1;
  case CLI_USAGE: return 2;
  case CLI_IO: return 2;
  }
  return 2;
}

int cli_finish(const cli_context *cli, const cli_command *command, cli_outcome outcome) {
  /* Output is buffered: a full disk or a closed stdout may show only
   * now, and a report that never arrived is no success. */
  errno = 0;
  bool flushed = fflush(stdout) == 0;
  int error = errno;
  if (!flushed || ferror(stdout)) {
    cli_error(cli, "kan inte skriva till standard ut: %s", error ? lr_errno_text(error) : "I/O-fel");
    return exit_code(command, CLI_IO);
  }
  return exit_code(command, outcome);
}
