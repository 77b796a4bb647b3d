/* The floor with the outputs: what any program must do to read a
 * project's YAML and write the files a build writes, with none of the
 * work of deciding what they say. It parses the inputs as bench/floor.c
 * does, then writes every file of a finished build into a staging folder,
 * renames that into place and ends with one syncfs, as lagesrapport
 * does. The workbook and Word are zip files of
 * XML: bench/run unpacks their parts beforehand into a folder named as
 * the file plus ".parts", and this program deflates those parts at
 * level 1, as lagesrapport does, into one file of that name. Reading the
 * finished files (from /dev/shm) is the one cost lagesrapport does not
 * have, so the floor is, if anything, high.
 *
 *   floor-out MODELL UT [YAML-FIL|MAPP ...]
 *
 * Prints "files bytes_written" on stdout. */
#define _GNU_SOURCE /* syncfs */

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* bench/floor.c: parses every YAML file named, or 0 files on failure;
 * and reads a file whole. */
unsigned long floor_parse(int argc, char **argv);
char *floor_slurp(const char *path, size_t *size);

typedef struct totals {
  unsigned long files;
  unsigned long long bytes;
} totals;

static void die(const char *what) {
  perror(what);
  exit(2);
}

static void put(const char *path, const char *data, size_t size, totals *t) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die(path);
  for (size_t done = 0; done < size;) {
    ssize_t w = write(fd, data + done, size - done);
    if (w <= 0) die(path);
    done += (size_t)w;
  }
  close(fd);
  t->files++;
  t->bytes += size;
}

/* Every part of an unpacked zip, deflated at level 1 one after another
 * into one buffer. */
static void deflate_parts(const char *dir, z_stream *z, unsigned char **out, size_t *len,
                          size_t *cap) {
  DIR *d = opendir(dir);
  if (!d) die(dir);
  for (struct dirent *e; (e = readdir(d));) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    char *child = malloc(n);
    if (!child) die("malloc");
    snprintf(child, n, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(child, &st) != 0) die(child);
    if (S_ISDIR(st.st_mode)) {
      deflate_parts(child, z, out, len, cap);
    } else {
      size_t size;
      char *data = floor_slurp(child, &size);
      size_t bound = deflateBound(z, size);
      if (*cap - *len < bound) {
        *cap = (*len + bound) * 2;
        *out = realloc(*out, *cap);
        if (!*out) die("realloc");
      }
      if (deflateReset(z) != Z_OK) die("deflateReset");
      z->next_in = (unsigned char *)data;
      z->avail_in = (uInt)size;
      z->next_out = *out + *len;
      z->avail_out = (uInt)(*cap - *len);
      if (deflate(z, Z_FINISH) != Z_STREAM_END) die("deflate");
      *len = (size_t)(z->next_out - *out);
      free(data);
    }
    free(child);
  }
  closedir(d);
}

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void copy_tree(const char *from, const char *to, totals *t) {
  if (mkdir(to, 0755) != 0) die(to);
  DIR *d = opendir(from);
  if (!d) die(from);
  for (struct dirent *e; (e = readdir(d));) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    size_t n = strlen(from) + strlen(e->d_name) + 2, m = strlen(to) + strlen(e->d_name) + 2;
    char *src = malloc(n), *dst = malloc(m);
    if (!src || !dst) die("malloc");
    snprintf(src, n, "%s/%s", from, e->d_name);
    snprintf(dst, m, "%s/%s", to, e->d_name);
    struct stat st;
    if (stat(src, &st) != 0) die(src);
    if (S_ISDIR(st.st_mode) && has_suffix(e->d_name, ".parts")) {
      z_stream z = {0};
      if (deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) die("deflateInit2");
      unsigned char *out = NULL;
      size_t len = 0, cap = 0;
      deflate_parts(src, &z, &out, &len, &cap);
      deflateEnd(&z);
      dst[strlen(dst) - strlen(".parts")] = '\0';
      put(dst, (const char *)out, len, t);
      free(out);
    } else if (S_ISDIR(st.st_mode)) {
      copy_tree(src, dst, t);
    } else {
      size_t size;
      char *data = floor_slurp(src, &size);
      put(dst, data, size, t);
      free(data);
    }
    free(src);
    free(dst);
  }
  closedir(d);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fputs("Användning: floor-out MODELL UT [YAML-FIL|MAPP ...]\n", stderr);
    return 2;
  }
  if (argc > 3) {
    /* The inputs first, as a build reads them before it writes. */
    char *parse_args[argc - 2];
    parse_args[0] = argv[0];
    for (int i = 3; i < argc; i++) parse_args[i - 2] = argv[i];
    if (!floor_parse(argc - 2, parse_args)) return 1;
  }
  totals t = {0};
  size_t n = strlen(argv[2]) + sizeof ".staging";
  char *staging = malloc(n);
  if (!staging) die("malloc");
  snprintf(staging, n, "%s.staging", argv[2]);
  copy_tree(argv[1], staging, &t);
  if (rename(staging, argv[2]) != 0) die(argv[2]);
  int fd = open(argv[2], O_RDONLY | O_DIRECTORY);
  if (fd < 0 || syncfs(fd) != 0) die(argv[2]);
  close(fd);
  free(staging);
  printf("%lu %llu\n", t.files, t.bytes);
  return 0;
}
