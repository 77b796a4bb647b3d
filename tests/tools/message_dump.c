/* Test helper: writes one message with lr_message_write to stdout, from
 * fields given on the command line, so that Python's email package can
 * parse the library's output in tests/message_roundtrip.py. On refusal it
 * prints the diagnostics to stderr and exits 1; usage errors exit 2. */
#include "mime/mime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: message_dump [--from ADDR | --from-named NAME ADDR]\n"
    "  [--to ADDR | --to-named NAME ADDR]... [--subject TEXT]\n"
    "  [--body TEXT | --body-file PATH] [--attach PATH FILENAME TYPE|-]...\n"
    "  [--date SECONDS] [--id MESSAGE-ID]\n";

static bool read_file(const char *path, lr_buf *out) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return false;
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) lr_buf_put(out, chunk, n);
  bool ok = !ferror(fp);
  fclose(fp);
  return ok;
}

int main(int argc, char **argv) {
  lr_message m = {0};
  lr_mailbox *to = lr_xmalloc((size_t)argc * sizeof *to);
  lr_attachment *attachments = lr_xmalloc((size_t)argc * sizeof *attachments);
  lr_buf *files = lr_xmalloc((size_t)argc * sizeof *files);
  memset(files, 0, (size_t)argc * sizeof *files);
  size_t file_count = 0;
  m.to = to;
  m.attachments = attachments;
  m.message_id = "test@lagesrapport.example";

  for (int i = 1; i < argc; i++) {
    const char *opt = argv[i];
    int left = argc - i - 1;
    if (strcmp(opt, "--from") == 0 && left >= 1) {
      m.from = (lr_mailbox){NULL, argv[++i]};
    } else if (strcmp(opt, "--from-named") == 0 && left >= 2) {
      m.from = (lr_mailbox){argv[i + 1], argv[i + 2]};
      i += 2;
    } else if (strcmp(opt, "--to") == 0 && left >= 1) {
      to[m.to_count++] = (lr_mailbox){NULL, argv[++i]};
    } else if (strcmp(opt, "--to-named") == 0 && left >= 2) {
      to[m.to_count++] = (lr_mailbox){argv[i + 1], argv[i + 2]};
      i += 2;
    } else if (strcmp(opt, "--subject") == 0 && left >= 1) {
      m.subject = argv[++i];
    } else if (strcmp(opt, "--body") == 0 && left >= 1) {
      m.body = argv[++i];
    } else if (strcmp(opt, "--body-file") == 0 && left >= 1) {
      lr_buf *b = &files[file_count++];
      if (!read_file(argv[++i], b)) {
        fprintf(stderr, "message_dump: cannot read %s\n", argv[i]);
        return 2;
      }
      m.body = lr_buf_cstr(b);
    } else if (strcmp(opt, "--attach") == 0 && left >= 3) {
      lr_buf *b = &files[file_count++];
      if (!read_file(argv[i + 1], b)) {
        fprintf(stderr, "message_dump: cannot read %s\n", argv[i + 1]);
        return 2;
      }
      attachments[m.attachment_count++] = (lr_attachment){
          argv[i + 2], strcmp(argv[i + 3], "-") ? argv[i + 3] : NULL, b->data,
          b->len};
      i += 3;
    } else if (strcmp(opt, "--date") == 0 && left >= 1) {
      m.date = strtoll(argv[++i], NULL, 10);
    } else if (strcmp(opt, "--id") == 0 && left >= 1) {
      m.message_id = argv[++i];
    } else {
      fputs(usage, stderr);
      return 2;
    }
  }

  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_buf out = {0};
  int status = 0;
  if (lr_message_write(&m, &out, &diags)) {
    fwrite(out.data, 1, out.len, stdout);
  } else {
    lr_buf text = {0};
    for (size_t i = 0; i < diags.count; i++)
      lr_diag_format(&diags.items[i], false, &text);
    fputs(lr_buf_cstr(&text), stderr);
    lr_buf_free(&text);
    status = 1;
  }
  lr_buf_free(&out);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
  for (size_t i = 0; i < file_count; i++) lr_buf_free(&files[i]);
  free(files);
  free(attachments);
  free(to);
  return status;
}
