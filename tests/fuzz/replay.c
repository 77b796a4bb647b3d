/* Runs a fuzz target's inputs without libFuzzer, so that the seed corpus
 * and every kept crash input run in the ordinary test suite, and under
 * gcc's sanitizers too: replay FILE|DIR... calls LLVMFuzzerTestOneInput
 * once per file (a directory's files in name order). A finding aborts, as
 * under libFuzzer; an input that cannot be read fails the run. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return false;
  }
  size_t size = 0, cap = 4096;
  uint8_t *data = malloc(cap);
  size_t n;
  while (data && (n = fread(data + size, 1, cap - size, f)) > 0) {
    size += n;
    if (size == cap) data = realloc(data, cap *= 2);
  }
  bool ok = data && !ferror(f);
  fclose(f);
  if (!ok) {
    fprintf(stderr, "%s: could not be read\n", path);
    free(data);
    return false;
  }
  /* The exact size, so that reading past the input is an overflow. */
  uint8_t *input = malloc(size ? size : 1);
  if (!input) abort();
  memcpy(input, data, size);
  free(data);
  fprintf(stderr, "%s\n", path);
  LLVMFuzzerTestOneInput(input, size);
  free(input);
  return true;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool replay(const char *path, size_t *count) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    (*count)++;
    return replay_file(path);
  }
  DIR *dir = opendir(path);
  if (!dir) {
    perror(path);
    return false;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.') continue;
    names = realloc(names, (n + 1) * sizeof *names);
    if (!names) abort();
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    names[n] = malloc(len);
    if (!names[n]) abort();
    snprintf(names[n++], len, "%s/%s", path, e->d_name);
  }
  closedir(dir);
  qsort(names, n, sizeof *names, compare_names);
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    ok = replay(names[i], count) && ok;
    free(names[i]);
  }
  free(names);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  size_t count = 0;
  bool ok = true;
  for (int i = 1; i < argc; i++) ok = replay(argv[i], &count) && ok;
  if (ok && count == 0) {
    fprintf(stderr, "no inputs to replay\n");
    return 1;
  }
  printf("%zu inputs replayed\n", count);
  return ok ? 0 : 1;
}
