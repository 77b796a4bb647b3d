/* Unit tests of the delivery journal: the states a message can be in
 * after any sequence of records, journals from before there were states,
 * a last line cut off by a crash (passed over with a warning, then cut
 * off), and every damaged line reported with its place. */
#include "mail/mail.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char ANEBY[] = "2022.rapport.aneby@lagesrapport.example";
static const char EKSJO[] = "2022.rapport.eksjo@lagesrapport.example";
static const char GISLAVED[] = "2022.rapport.gislaved@lagesrapport.example";
static const char HABO[] = "2022.rapport.habo@lagesrapport.example";
static const char VARNAMO[] = "2022.rapport.varnamo@lagesrapport.example";

static void write_file(const char *path, const char *text, size_t size) {
  FILE *fp = fopen(path, "wb");
  if (fp) {
    fwrite(text, 1, size, fp);
    fclose(fp);
  }
}

static void write_text(const char *path, const char *text) {
  write_file(path, text, strlen(text));
}

static char *slurp(const char *path) {
  lr_buf b = {0};
  FILE *fp = fopen(path, "rb");
  if (fp) {
    char chunk[512];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
      lr_buf_put(&b, chunk, n);
    fclose(fp);
  }
  lr_buf_cstr(&b);
  return b.data;
}

typedef struct fixture {
  char dir[32];
  char path[64];
  lr_arena *arena;
  lr_diag_list diags;
} fixture;

static bool setup(fixture *f) {
  strcpy(f->dir, "/tmp/lr-journal-XXXXXX");
  if (!mkdtemp(f->dir)) return false;
  snprintf(f->path, sizeof f->path, "%s/journal.tsv", f->dir);
  f->arena = lr_arena_new();
  lr_diag_list_init(&f->diags, f->arena);
  return true;
}

static void fresh_diags(fixture *f) {
  lr_diag_list_release(&f->diags);
  lr_diag_list_init(&f->diags, f->arena);
}

static void teardown(fixture *f) {
  unlink(f->path);
  rmdir(f->dir);
  lr_diag_list_release(&f->diags);
  lr_arena_free(f->arena);
}

static void test_records_and_states(void) {
  fixture f;
  if (!setup(&f)) {
    CHECK(!"mkdtemp");
    return;
  }
  /* A missing file is an empty journal; appends create it. */
  lr_journal *j = lr_journal_load(f.path, &f.diags);
  CHECK(j != NULL);
  if (!j) return;
  CHECK_INT(lr_journal_state(j, ANEBY), LR_MAIL_UNSENT);
  long long t = 1681291800; /* 2023-04-12T09:30:00Z */
  CHECK(lr_journal_append(j, "aneby", ANEBY, LR_JOURNAL_SENDING, t, &f.diags));
  CHECK_INT(lr_journal_state(j, ANEBY), LR_MAIL_UNCERTAIN);
  CHECK(lr_journal_append(j, "aneby", ANEBY, LR_JOURNAL_DELIVERED, t + 1, &f.diags));
  CHECK_INT(lr_journal_state(j, ANEBY), LR_MAIL_DELIVERED);
  CHECK(lr_journal_append(j, "eksjo", EKSJO, LR_JOURNAL_SENDING, t + 2, &f.diags));
  CHECK(lr_journal_append(j, "eksjo", EKSJO, LR_JOURNAL_FAILED, t + 3, &f.diags));
  CHECK_INT(lr_journal_state(j, EKSJO), LR_MAIL_UNSENT);
  CHECK(lr_journal_append(j, "gislaved", GISLAVED, LR_JOURNAL_SENDING, t + 4, &f.diags));
  /* Sent again with --force: delivered once is delivered, whatever the
   * second try's fate. */
  CHECK(lr_journal_append(j, "aneby", ANEBY, LR_JOURNAL_SENDING, t + 61, &f.diags));
  CHECK_INT(lr_journal_state(j, ANEBY), LR_MAIL_DELIVERED);
  CHECK_INT(lr_journal_state(j, GISLAVED), LR_MAIL_UNCERTAIN);
  CHECK_INT(lr_journal_state(j, HABO), LR_MAIL_UNSENT);

  /* Nothing that could break a line or a field is written. */
  CHECK(!lr_journal_append(j, "aneby", "id with\ttab@x.example", LR_JOURNAL_SENDING, t, &f.diags));
  CHECK(!lr_journal_append(j, "", "x@y.example", LR_JOURNAL_SENDING, t, &f.diags));
  CHECK(!lr_journal_append(j, "aneby", "x@y.example", LR_JOURNAL_SENDING, -5, &f.diags));
  CHECK(!lr_journal_append(j, "aneby", "x@y.example", (lr_journal_entry)7, t, &f.diags));
  CHECK_INT(f.diags.errors, 4);
  lr_journal_free(j);
  char *text = slurp(f.path);
  CHECK_STR(text,
            "aneby\t2022.rapport.aneby@lagesrapport.example\t2023-04-12T09:30:00Z\tskickas\n"
            "aneby\t2022.rapport.aneby@lagesrapport.example\t2023-04-12T09:30:01Z\tlevererat\n"
            "eksjo\t2022.rapport.eksjo@lagesrapport.example\t2023-04-12T09:30:02Z\tskickas\n"
            "eksjo\t2022.rapport.eksjo@lagesrapport.example\t2023-04-12T09:30:03Z\tmisslyckat\n"
            "gislaved\t2022.rapport.gislaved@lagesrapport.example\t2023-04-12T09:30:04Z\tskickas\n"
            "aneby\t2022.rapport.aneby@lagesrapport.example\t2023-04-12T09:31:01Z\tskickas\n");
  free(text);

  /* A new run sees the same states. */
  fresh_diags(&f);
  j = lr_journal_load(f.path, &f.diags);
  CHECK(j != NULL);
  CHECK_INT(f.diags.count, 0);
  if (j) {
    CHECK_INT(lr_journal_state(j, ANEBY), LR_MAIL_DELIVERED);
    CHECK_INT(lr_journal_state(j, EKSJO), LR_MAIL_UNSENT);
    CHECK_INT(lr_journal_state(j, GISLAVED), LR_MAIL_UNCERTAIN);
    /* Tried again after an uncertain try, and refused this time: the
     * first try is still unaccounted for. */
    CHECK(lr_journal_append(j, "gislaved", GISLAVED, LR_JOURNAL_SENDING, t + 90, &f.diags));
    CHECK_INT(lr_journal_state(j, GISLAVED), LR_MAIL_UNCERTAIN);
    lr_journal_free(j);
  }
  teardown(&f);
}

/* Journals written before there were states: a line per delivered message. */
static void test_three_field_lines_are_delivered(void) {
  fixture f;
  if (!setup(&f)) {
    CHECK(!"mkdtemp");
    return;
  }
  write_text(f.path, "aneby\t2022.rapport.aneby@lagesrapport.example\t2023-04-12T09:30:00Z\n"
                     "eksjo\t2022.rapport.eksjo@lagesrapport.example\t2023-04-12T09:30:05Z\n");
  lr_journal *j = lr_journal_load(f.path, &f.diags);
  CHECK(j != NULL);
  CHECK_INT(f.diags.count, 0);
  if (j) {
    CHECK_INT(lr_journal_state(j, ANEBY), LR_MAIL_DELIVERED);
    CHECK_INT(lr_journal_state(j, EKSJO), LR_MAIL_DELIVERED);
    CHECK_INT(lr_journal_state(j, VARNAMO), LR_MAIL_UNSENT);
    CHECK(lr_journal_append(j, "varnamo", VARNAMO, LR_JOURNAL_SENDING, 1681291900, &f.diags));
    lr_journal_free(j);
  }
  char *text = slurp(f.path);
  CHECK_CONTAINS(text, "eksjo\t2022.rapport.eksjo@lagesrapport.example\t2023-04-12T09:30:05Z\n"
                       "varnamo\t2022.rapport.varnamo@lagesrapport.example\t"
                       "2023-04-12T09:31:40Z\tskickas\n");
  free(text);
  teardown(&f);
}

/* A crash while a line was being written leaves it without its "\n":
 * passed over with a warning, never fatal, and cut off by the next
 * append so that the file is whole again. */
static void test_torn_last_line(void) {
  fixture f;
  if (!setup(&f)) {
    CHECK(!"mkdtemp");
    return;
  }
  static const char whole[] =
      "aneby\t2022.rapport.aneby@lagesrapport.example\t2023-04-12T09:30:00Z\tskickas\n"
      "aneby\t2022.rapport.aneby@lagesrapport.example\t2023-04-12T09:30:01Z\tlevererat\n"
      "eksjo\t2022.rapport.eksjo@lagesrapport.example\t2023-04-12T09:30:02Z\tskickas\n";
  static const char torn[] = "eksjo\t2022.rapport.eksjo@lagesrapport.ex";
  lr_buf b = {0};
  lr_buf_puts(&b, whole);
  lr_buf_puts(&b, torn);
  write_file(f.path, b.data, b.len);
  lr_journal *j = lr_journal_load(f.path, &f.diags);
  CHECK(j != NULL);
  CHECK_INT(f.diags.errors, 0);
  CHECK_INT(f.diags.warnings, 1);
  if (f.diags.count == 1) {
    CHECK_STR(f.diags.items[0].loc.file, f.path);
    CHECK_INT(f.diags.items[0].loc.line, 4);
    CHECK_CONTAINS(f.diags.items[0].message, "ofullständig");
    CHECK_STR(f.diags.items[0].source_line, torn);
  }
  if (j) {
    /* Its "levererat" may be what was lost: uncertain, not sent again. */
    CHECK_INT(lr_journal_state(j, EKSJO), LR_MAIL_UNCERTAIN);
    CHECK_INT(lr_journal_state(j, ANEBY), LR_MAIL_DELIVERED);
    CHECK(lr_journal_append(j, "habo", HABO, LR_JOURNAL_SENDING, 1681291900, &f.diags));
    lr_journal_free(j);
  }
  char *text = slurp(f.path);
  lr_buf want = {0};
  lr_buf_puts(&want, whole);
  lr_buf_puts(&want, "habo\t2022.rapport.habo@lagesrapport.example\t2023-04-12T09:31:40Z\tskickas\n");
  CHECK_STR(text, want.data);
  free(text);
  fresh_diags(&f);
  j = lr_journal_load(f.path, &f.diags);
  CHECK(j != NULL);
  CHECK_INT(f.diags.count, 0);
  lr_journal_free(j);

  /* What a crash leaves on some file systems: zeros, without a line end. */
  lr_buf_clear(&b);
  lr_buf_puts(&b, whole);
  lr_buf_put(&b, "\0\0\0\0\0\0\0\0", 8);
  write_file(f.path, b.data, b.len);
  fresh_diags(&f);
  j = lr_journal_load(f.path, &f.diags);
  CHECK(j != NULL);
  CHECK_INT(f.diags.errors, 0);
  CHECK_INT(f.diags.warnings, 1);

  /* Someone else appended since it was read: nothing is cut off. */
  FILE *fp = fopen(f.path, "ab");
  if (fp) {
    fputs("x", fp);
    fclose(fp);
  }
  fresh_diags(&f);
  if (j) {
    CHECK(!lr_journal_append(j, "habo", HABO, LR_JOURNAL_SENDING, 1681291900, &f.diags));
    CHECK_INT(f.diags.errors, 1);
    if (f.diags.count == 1) CHECK_CONTAINS(f.diags.items[0].message, "ändrats");
    lr_journal_free(j);
  }
  text = slurp(f.path);
  CHECK_INT(strlen(text), strlen(whole)); /* the zeros end the C string */
  free(text);
  lr_buf_free(&want);
  lr_buf_free(&b);
  teardown(&f);
}

/* Every damaged line is reported with its place; none is skipped. */
static void test_damaged_lines(void) {
  fixture f;
  if (!setup(&f)) {
    CHECK(!"mkdtemp");
    return;
  }
  static const char text[] = "aneby\ta@x.example\t2023-04-12T09:30:00Z\tlevererat\n"
                             "aneby a@x.example 2023-04-12T09:30:00Z\n"
                             "gislaved\tb@x.example\t2023-04-12T09:30:00Z\n"
                             "värnamo\tc@x.example\t2023-13-12T09:30:00Z\tskickas\n"
                             "\n"
                             "eksjo\td@x.example\t2023-04-12T09:30:00Z\tlevererad\n"
                             "eksjo\td@x.example\t2023-04-12T09:30:00Z\tskickas\tigen\n"
                             "habo\te@x.\0ample\t2023-04-12T09:30:00Z\tskickas\n"
                             "eksjo\td@x.example\t2023-04-12T09:30:00Z";
  write_file(f.path, text, sizeof text - 1);
  CHECK(lr_journal_load(f.path, &f.diags) == NULL);
  CHECK_INT(f.diags.errors, 6);
  CHECK_INT(f.diags.warnings, 1);
  if (f.diags.count == 7) {
    static const int lines[] = {2, 4, 5, 6, 7, 8, 9};
    static const int columns[] = {1, 21, 1, 40, 1, 1, 1};
    for (int i = 0; i < 7; i++) {
      CHECK_STR(f.diags.items[i].loc.file, f.path);
      CHECK_INT(f.diags.items[i].loc.line, lines[i]);
      CHECK_INT(f.diags.items[i].loc.column, columns[i]);
    }
    CHECK_CONTAINS(f.diags.items[0].message, "fyra fält");
    CHECK_STR(f.diags.items[0].source_line, "aneby a@x.example 2023-04-12T09:30:00Z");
    CHECK_CONTAINS(f.diags.items[1].message, "ogiltig tid");
    CHECK_CONTAINS(f.diags.items[3].message, "okänt läge");
    CHECK_CONTAINS(f.diags.items[4].message, "har 5");
    CHECK_CONTAINS(f.diags.items[5].message, "NUL");
    CHECK(f.diags.items[6].severity == LR_WARNING);
    lr_buf shown = {0};
    lr_diag_format(&f.diags.items[1], false, &shown);
    CHECK(strncmp(shown.data, f.path, strlen(f.path)) == 0);
    CHECK_CONTAINS(shown.data, ":4:21: fel: ");
    lr_buf_free(&shown);
  }
  teardown(&f);
}

int main(void) {
  test_records_and_states();
  test_three_field_lines_are_delivered();
  test_torn_last_line();
  test_damaged_lines();
  return check_report();
}
