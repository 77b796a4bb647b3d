/* The floor of the benchmark: read YAML files the way lagesrapport does
 * (whole file into memory, then libyaml's event parser over the string)
 * and throw every event away. No tool built on libyaml can read the same
 * files faster, so bench/run states every timing as a multiple of this.
 *
 * Arguments are files, or directories whose *.yaml files (recursively)
 * are read. Prints "files bytes events" on stdout. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

typedef struct totals {
  unsigned long files, events;
  unsigned long long bytes;
} totals;

/* Shared with bench/floor_out.c: a file's bytes, read whole. */
char *floor_slurp(const char *path, size_t *size);
char *floor_slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  struct stat st;
  if (!f || fstat(fileno(f), &st) != 0) {
    perror(path);
    exit(2);
  }
  char *data = malloc((size_t)st.st_size + 1);
  if (!data) exit(2);
  *size = fread(data, 1, (size_t)st.st_size, f);
  data[*size] = '\0';
  fclose(f);
  return data;
}

static void parse_file(const char *path, totals *t) {
  size_t size;
  char *data = floor_slurp(path, &size);
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) exit(2);
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  for (;;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      fprintf(stderr, "%s: YAML error: %s\n", path, parser.problem ? parser.problem : "?");
      exit(1);
    }
    bool end = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
    t->events++;
    if (end) break;
  }
  yaml_parser_delete(&parser);
  free(data);
  t->files++;
  t->bytes += size;
}

static bool is_yaml(const char *name) {
  size_t n = strlen(name);
  return n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

static void walk(const char *path, totals *t) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    exit(2);
  }
  if (!S_ISDIR(st.st_mode)) {
    parse_file(path, t);
    return;
  }
  DIR *dir = opendir(path);
  if (!dir) {
    perror(path);
    exit(2);
  }
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.') continue;
    size_t n = strlen(path) + strlen(e->d_name) + 2;
    char *child = malloc(n);
    if (!child) exit(2);
    snprintf(child, n, "%s/%s", path, e->d_name);
    struct stat cs;
    if (stat(child, &cs) == 0 && (S_ISDIR(cs.st_mode) || is_yaml(e->d_name))) walk(child, t);
    free(child);
  }
  closedir(dir);
}

/* Shared with bench/floor_out.c: the files read, after parsing them. */
unsigned long floor_parse(int argc, char **argv);
unsigned long floor_parse(int argc, char **argv) {
  totals t = {0};
  for (int i = 1; i < argc; i++) walk(argv[i], &t);
  return t.files;
}

#ifndef FLOOR_NO_MAIN
int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("Användning: floor FIL|MAPP ...\n", stderr);
    return 2;
  }
  totals t = {0};
  for (int i = 1; i < argc; i++) walk(argv[i], &t);
  printf("%lu %llu %lu\n", t.files, t.bytes, t.events);
  return 0;
}
#endif
