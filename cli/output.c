/* Shared output of the command line: diagnostics, usage errors, counts. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_print_diagnostics(const cli_context *cli, lr_project *project) {
  lr_diag_list *list = lr_project_diagnostics(project);
  lr_buf out = {0};
  unsigned flags = cli->color_stderr ? LR_FORMAT_SOURCE | LR_FORMAT_COLOR : 0;
  lr_diag_list_format(list, flags, &out);
  if (out.len) fwrite(out.data, 1, out.len, stderr);
  lr_buf_free(&out);
}

/* Messages echo what the user typed ("okänd flagga …"), and arguments may
 * come from a script's data: control characters are shown as escapes, as
 * in diagnostics, never sent to the terminal. */
static void vreport(const cli_context *cli, const char *fmt, va_list ap) {
  lr_buf shown = {0};
  lr_buf_put_visible(&shown, lr_arena_vprintf(cli->arena, fmt, ap));
  fprintf(stderr, cli->color_stderr ? "lagesrapport: \033[1;31mfel:\033[0m " : "lagesrapport: fel: ");
  fprintf(stderr, "%s\n", lr_buf_cstr(&shown));
  lr_buf_free(&shown);
}

void cli_error(const cli_context *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(cli, fmt, ap);
  va_end(ap);
}

void cli_help_hint(const char *command) {
  if (command)
    fprintf(stderr, "  tips: se \"lagesrapport help %s\"\n", command);
  else
    fprintf(stderr, "  tips: se \"lagesrapport --help\"\n");
}

cli_outcome cli_usage_error(const cli_context *cli, const char *command, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(cli, fmt, ap);
  va_end(ap);
  cli_help_hint(command);
  return CLI_USAGE;
}

cli_outcome cli_io_error(const cli_context *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(cli, fmt, ap);
  va_end(ap);
  return CLI_IO;
}

bool cli_parse_year(const char *s, int *year) {
  if (strlen(s) != 4) return false;
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  int y = atoi(s);
  if (y < 1900 || y > 2999) return false;
  *year = y;
  return true;
}

size_t cli_split_ids(lr_arena *arena, const cli_given *given, const char ***ids) {
  size_t n = 0;
  for (size_t i = 0; i < given->count; i++) n += strlen(given->values[i]) + 1;
  const char **out = lr_arena_array(arena, n + 1, sizeof *out);
  size_t k = 0;
  for (size_t i = 0; i < given->count; i++)
    for (const char *p = given->values[i]; *p;) {
      size_t len = strcspn(p, ",");
      if (len) out[k++] = lr_arena_strndup(arena, p, len);
      p += len + (p[len] == ',');
    }
  *ids = out;
  return k;
}

const char *cli_count(lr_arena *arena, size_t n, const char *one, const char *many) {
  return lr_arena_printf(arena, "%zu %s", n, n == 1 ? one : many);
}

static bool same_dir(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The templates belong to the program that runs: the source tree's for the
 * binary in the build folder, else the installed copy beside the program
 * (<prefix>/bin/../share/…, whatever the prefix). An installed program never
 * falls back to a source tree, so an incomplete install shows at once. */
const char *cli_builtin_templates(void) {
  static char beside[4096]; /* the CLI's own cache of one path, set once */
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return LR_INSTALL_TEMPLATE_DIR;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash) return LR_INSTALL_TEMPLATE_DIR;
  *slash = '\0';
  if (same_dir(exe, LR_BUILD_DIR)) return LR_BUILD_TEMPLATE_DIR;
  int len = snprintf(beside, sizeof beside, "%s/../share/lagesrapport/report-templates", exe);
  return len > 0 && (size_t)len < sizeof beside ? beside : LR_INSTALL_TEMPLATE_DIR;
}
