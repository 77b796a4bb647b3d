/* Test helper: sends a file's bytes with lr_smtp_send and prints the
 * outcome as "OK", "TEMPORARY", "PERMANENT", "UNREACHABLE", "UNCERTAIN" or
 * "STOP_RUN" on the first line, the error text on the second and the events
 * the caller was told
 * of on the third ("data-begins accepted"), for tests/smtp_send.py. With
 * --refuse-data the caller says no when the data is about to leave. Usage
 * errors exit 2. */
#include "mail/mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: smtp_send [--user U] [--password P] [--tls] [--timeout S]\n"
    "  [--refuse-data] URL FROM FILE TO...\n";

typedef struct told {
  lr_buf events;
  bool refuse_data;
} told;

static bool on_data_begins(void *ctx) {
  told *t = ctx;
  lr_buf_puts(&t->events, t->events.len ? " data-begins" : "data-begins");
  return !t->refuse_data;
}

static void on_accepted(void *ctx) {
  told *t = ctx;
  lr_buf_puts(&t->events, t->events.len ? " accepted" : "accepted");
}

int main(int argc, char **argv) {
  lr_smtp_options o = {0};
  told t = {{0}, false};
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
    else if (strcmp(argv[i], "--refuse-data") == 0)
      t.refuse_data = true;
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

  lr_arena *arena = lr_arena_new();
  lr_diag_list failure;
  lr_diag_list_init(&failure, arena);
  lr_send_result r =
      lr_smtp_send(&o, from, (const char *const *)argv + i + 3,
                   (size_t)(argc - i - 3), bytes.data, bytes.len,
                   &(lr_send_events){on_data_begins, on_accepted, &t}, &failure);
  lr_global_cleanup();
  static const char *const names[] = {"OK", "TEMPORARY", "PERMANENT",
                                      "UNREACHABLE", "UNCERTAIN", "STOP_RUN"};
  /* One diagnostic exactly when the send failed. */
  if ((r == LR_SEND_OK) != (failure.count == 0) || failure.count > 1) {
    fprintf(stderr, "smtp_send: %zu diagnostics for result %s\n", failure.count, names[r]);
    return 2;
  }
  printf("%s\n%s\n%s\n", names[r], failure.count ? failure.items[0].message : "",
         lr_buf_cstr(&t.events));
  lr_buf_free(&t.events);
  lr_diag_list_release(&failure);
  lr_arena_free(arena);
  lr_buf_free(&bytes);
  return 0;
}
