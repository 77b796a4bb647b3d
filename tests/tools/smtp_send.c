/* Test helper: sends a file's bytes with lr_smtp_send and prints the
 * outcome as "OK", "TEMPORARY" or "PERMANENT" on the first line and the
 * error text on the second, for tests/smtp_send.py. Usage errors exit 2. */
#include "lagesrapport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: smtp_send [--user U] [--password P] [--tls] [--timeout S]\n"
    "  URL FROM FILE TO...\n";

int main(int argc, char **argv) {
  lr_smtp_options o = {0};
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    if (strcmp(argv[i], "--tls") == 0)
      o.require_tls = true;
    else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
      o.user = argv[++i];
    else if (strcmp(argv[i], "--password") == 0 && i + 1 < argc)
      o.password = argv[++i];
    else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
      o.timeout_seconds = strtol(argv[++i], NULL, 10);
    else
      break;
  }
  if (argc - i < 4) {
    fputs(usage, stderr);
    return 2;
  }
  o.url = argv[i];
  const char *from = argv[i + 1];
  FILE *fp = fopen(argv[i + 2], "rb");
  if (!fp) {
    fprintf(stderr, "smtp_send: cannot read %s\n", argv[i + 2]);
    return 2;
  }
  lr_buf bytes = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    lr_buf_put(&bytes, chunk, n);
  fclose(fp);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  lr_buf error = {0};
  lr_send_result r =
      lr_smtp_send(&o, from, (const char *const *)argv + i + 3,
                   (size_t)(argc - i - 3), bytes.data, bytes.len, &error);
  curl_global_cleanup();
  static const char *const names[] = {"OK", "TEMPORARY", "PERMANENT"};
  printf("%s\n%s\n", names[r], lr_buf_cstr(&error));
  lr_buf_free(&error);
  lr_buf_free(&bytes);
  return 0;
}
