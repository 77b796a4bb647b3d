/* lr_outputs as the commands use it: names that could leave the folder are
 * refused, a set given up leaves nothing, a set without
 * LR_OUTPUTS_REPLACE keeps its earlier files, and an unrecorded folder is
 * refused or, with LR_OUTPUTS_ADOPT, taken over without losing anything
 * that was not the set's. A buffer handed out stays valid however many
 * files follow it, and `build` counts the files it wrote. */
#include "render/render.h"
#include "check.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *temp_dir(lr_arena *arena) {
  char dir[] = "/tmp/lr-test-outputs-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    exit(2);
  }
  return lr_arena_strdup(arena, dir);
}

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

static const char *slurp(lr_arena *arena, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char text[4096];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  return lr_arena_strndup(arena, text, n);
}

/* The names in dir, sorted, joined by spaces. */
static const char *names(lr_arena *arena, const char *dir) {
  struct dirent **list;
  int n = scandir(dir, &list, NULL, alphasort);
  lr_buf b = {0};
  for (int i = 0; i < n; i++) {
    if (strcmp(list[i]->d_name, ".") != 0 && strcmp(list[i]->d_name, "..") != 0)
      lr_buf_printf(&b, "%s%s", b.len ? " " : "", list[i]->d_name);
    free(list[i]);
  }
  if (n >= 0) free(list);
  const char *s = lr_arena_strdup(arena, b.len ? lr_buf_cstr(&b) : "");
  lr_buf_free(&b);
  return s;
}

static void remove_tree(const char *path) {
  char command[512];
  snprintf(command, sizeof command, "rm -rf '%s'", path);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", path);
}

/* A set of one file each per name in `files` (space-separated), with the
 * name as its content. */
static bool write_set(lr_arena *arena, const char *dir, unsigned flags, const char *files,
                      lr_diag_list *diags) {
  lr_outputs *out = lr_outputs_new(arena, dir, flags, diags);
  if (!out) return false;
  char *copy = lr_arena_strdup(arena, files);
  for (char *name = strtok(copy, " "); name; name = strtok(NULL, " "))
    lr_buf_puts(lr_outputs_add(out, name), name);
  bool ok = lr_outputs_commit(out, diags);
  lr_outputs_free(out);
  return ok;
}

static void test_names_that_could_leave_the_folder(void) {
  static const char *const bad[] = {"../ute.md", "/etc/passwd", "a//b.md", ".dold", "a/./b",
                                    "a/", "", "rad\nbrytning", "#kommentar"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    lr_arena *arena = lr_arena_new();
    lr_diag_list diags;
    lr_diag_list_init(&diags, arena);
    const char *root = temp_dir(arena);
    const char *dir = lr_path_join(arena, root, "2022");
    lr_outputs *out = lr_outputs_new(arena, dir, LR_OUTPUTS_REPLACE, &diags);
    CHECK(out != NULL);
    lr_buf_puts(lr_outputs_add(out, "rapport.md"), "ok\n");
    lr_buf_puts(lr_outputs_add(out, bad[i]), "nej\n");
    CHECK(!lr_outputs_commit(out, &diags));
    lr_outputs_free(out);
    CHECK_INT(diags.errors, 1);
    CHECK(diags.count && strstr(diags.items[0].message, "ogiltigt filnamn för utdata"));
    CHECK_STR(names(arena, root), ""); /* no folder, no leftover */
    remove_tree(root);
    lr_diag_list_release(&diags);
    lr_arena_free(arena);
  }
}

static void test_a_name_twice(void) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  const char *root = temp_dir(arena);
  const char *dir = lr_path_join(arena, root, "2022");
  CHECK(!write_set(arena, dir, LR_OUTPUTS_REPLACE, "a.md b.md a.md", &diags));
  CHECK_INT(diags.errors, 1);
  CHECK_STR(diags.items[0].message, "filen skrivs två gånger i samma körning");
  CHECK_STR(diags.items[0].loc.file, lr_path_join(arena, dir, "a.md"));
  CHECK_STR(names(arena, root), "");
  remove_tree(root);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

static void test_given_up_leaves_nothing(void) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  const char *root = temp_dir(arena);
  const char *dir = lr_path_join(arena, root, "2022");
  CHECK(write_set(arena, dir, LR_OUTPUTS_REPLACE, "a.md sida/b.md", &diags));
  lr_outputs *out = lr_outputs_new(arena, dir, LR_OUTPUTS_REPLACE, &diags);
  CHECK(out != NULL);
  lr_buf_puts(lr_outputs_add(out, "sida/c.md"), "ny\n");
  CHECK(lr_outputs_flush(out, &diags));
  const char *workbook = lr_outputs_add_file(out, "bok.xlsx", &diags);
  CHECK(workbook != NULL);
  if (workbook) put(workbook, "bok");
  lr_outputs_free(out); /* never committed */
  CHECK_INT(diags.count, 0);
  CHECK_STR(names(arena, root), "2022");
  CHECK_STR(names(arena, dir), ".lagesrapport-manifest a.md sida");
  CHECK_STR(names(arena, lr_path_join(arena, dir, "sida")), "b.md");
  remove_tree(root);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

static void test_without_replace_earlier_files_stay(void) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  const char *root = temp_dir(arena);
  const char *dir = lr_path_join(arena, root, "mail");
  CHECK(write_set(arena, dir, 0, "aneby.eml polisen.eml", &diags));
  CHECK(write_set(arena, dir, 0, "aneby.eml", &diags));
  CHECK_INT(diags.count, 0);
  CHECK_STR(names(arena, dir), ".lagesrapport-manifest aneby.eml polisen.eml");
  CHECK(strstr(slurp(arena, lr_path_join(arena, dir, ".lagesrapport-manifest")),
               "\naneby.eml\npolisen.eml\n") != NULL);
  /* With REPLACE the folder holds this run's files only. */
  CHECK(write_set(arena, dir, LR_OUTPUTS_REPLACE, "aneby.eml", &diags));
  CHECK_STR(names(arena, dir), ".lagesrapport-manifest aneby.eml");
  remove_tree(root);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

static void test_unrecorded_folder(void) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  const char *root = temp_dir(arena);
  const char *dir = lr_path_join(arena, root, "mail");
  mkdir(dir, 0777);
  const char *journal = lr_path_join(arena, dir, "journal.tsv");
  const char *old = lr_path_join(arena, dir, "aneby.eml");
  put(journal, "aneby\t<a@b>\t2023-04-12T09:30:00Z\n");
  put(old, "gammalt");
  struct stat before;
  stat(journal, &before);

  /* Refused without ADOPT, and nothing changes. */
  CHECK(!write_set(arena, dir, 0, "aneby.eml", &diags));
  CHECK_INT(diags.errors, 1);
  CHECK_STR(diags.items[0].loc.file, dir);
  CHECK(strstr(diags.items[0].message, "här finns \"aneby.eml\" men ingen") != NULL);
  CHECK_STR(names(arena, dir), "aneby.eml journal.tsv");
  CHECK_STR(names(arena, root), "mail");

  /* Taken over with it: the set's name replaced, the journal the same file. */
  lr_diag_list_release(&diags);
  lr_diag_list_init(&diags, arena);
  CHECK(write_set(arena, dir, LR_OUTPUTS_ADOPT, "aneby.eml polisen.eml", &diags));
  CHECK_INT(diags.count, 0);
  CHECK_STR(slurp(arena, old), "aneby.eml");
  CHECK_STR(slurp(arena, journal), "aneby\t<a@b>\t2023-04-12T09:30:00Z\n");
  struct stat after;
  CHECK(stat(journal, &after) == 0 && after.st_ino == before.st_ino);
  CHECK_STR(names(arena, dir), ".lagesrapport-manifest aneby.eml journal.tsv polisen.eml");
  CHECK_STR(names(arena, root), "mail");
  remove_tree(root);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

static void test_not_a_folder(void) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  const char *root = temp_dir(arena);
  const char *file = lr_path_join(arena, root, "2022");
  put(file, "en fil");
  CHECK(lr_outputs_new(arena, file, LR_OUTPUTS_REPLACE, &diags) == NULL);
  CHECK_INT(diags.errors, 1);
  CHECK_STR(diags.items[0].message, "finns men är ingen mapp");
  CHECK_STR(slurp(arena, file), "en fil");
  CHECK_STR(names(arena, root), "2022");
  lr_diag_list_release(&diags);
  lr_diag_list_init(&diags, arena);
  CHECK(lr_outputs_new(arena, "/", LR_OUTPUTS_REPLACE, &diags) == NULL);
  CHECK_STR(diags.items[0].message, "kan inte skriva rapporten direkt i en rotmapp");
  remove_tree(root);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

/* A caller may fill the first buffer after many more files were added:
 * it must still be the first file's, and its bytes must reach the disk
 * (under AddressSanitizer a buffer moved by a later add is a crash). */
static void test_first_buffer_outlives_later_adds(void) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  const char *root = temp_dir(arena);
  const char *dir = lr_path_join(arena, root, "2023");
  lr_outputs *out = lr_outputs_new(arena, dir, LR_OUTPUTS_REPLACE, &diags);
  CHECK(out != NULL);
  if (out) {
    lr_buf *first = lr_outputs_add(out, "forsta.md");
    lr_buf_puts(first, "början");
    for (int i = 0; i < 100; i++)
      lr_buf_printf(lr_outputs_add(out, lr_arena_printf(arena, "fil-%03d.md", i)), "%d", i);
    lr_buf_puts(first, " och slutet");
    CHECK_INT(lr_outputs_count(out), 101);
    CHECK(lr_outputs_commit(out, &diags));
    lr_outputs_free(out);
  }
  CHECK_INT(diags.errors, 0);
  CHECK_STR(slurp(arena, lr_path_join(arena, dir, "forsta.md")), "början och slutet");
  CHECK_STR(slurp(arena, lr_path_join(arena, dir, "fil-099.md")), "99");
  remove_tree(root);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

/* Regular files under dir, not counting hidden ones (the manifest). */
static size_t count_files(lr_arena *arena, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    const char *path = lr_path_join(arena, dir, e->d_name);
    struct stat st;
    if (lstat(path, &st) != 0) continue;
    n += S_ISDIR(st.st_mode) ? count_files(arena, path) : S_ISREG(st.st_mode) ? 1 : 0;
  }
  closedir(d);
  return n;
}

/* `build` says how many files it wrote: the report and a feedback page per
 * actor who answered, in each format, and the workbook. */
static void test_build_counts_its_files(void) {
  lr_arena *arena = lr_arena_new();
  const char *root = temp_dir(arena);
  int year = 2022;
  lr_load_options load = {.dir = LR_SOURCE_DIR "/data/jonkoping", .years = &year,
                          .year_count = 1, .with_previous = true};
  lr_project *p = lr_project_load(&load);
  size_t errors = lr_project_diagnostics(p)->errors;
  CHECK_INT(errors, 0);
  lr_build_options options = {.out_dir = lr_path_join(arena, root, "md-html"),
                              .formats = LR_OUTPUT_MD | LR_OUTPUT_HTML,
                              .builtin_templates = LR_SOURCE_DIR "/report-templates"};
  lr_build_result result = {0};
  CHECK(lr_build_run(p, year, &options, &result));
  CHECK(result.feedback_count > 0);
  CHECK_INT(result.files, 2 + 2 * result.feedback_count);
  CHECK_INT(count_files(arena, options.out_dir), result.files);
  options.out_dir = lr_path_join(arena, root, "xlsx");
  options.formats = LR_OUTPUT_XLSX;
  CHECK(lr_build_run(p, year, &options, &result));
  CHECK_INT(result.files, 1);
  CHECK_INT(count_files(arena, options.out_dir), 1);
  /* A run that fails wrote nothing, and says so, whatever the result held. */
  const char *blocked = lr_path_join(arena, root, "en-fil");
  put(blocked, "");
  options.out_dir = blocked;
  CHECK(!lr_build_run(p, year, &options, &result));
  CHECK_INT(result.files, 0);
  lr_project_free(p);
  remove_tree(root);
  lr_arena_free(arena);
}

int main(void) {
  test_build_counts_its_files();
  test_first_buffer_outlives_later_adds();
  test_names_that_could_leave_the_folder();
  test_a_name_twice();
  test_given_up_leaves_nothing();
  test_without_replace_earlier_files_stay();
  test_unrecorded_folder();
  test_not_a_folder();
  return check_report();
}
