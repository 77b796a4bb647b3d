/* Shared by the fuzz targets: how an input is cut into named sections,
 * and the checks that make a finding of output that is wrong rather than
 * only of a crash. Included by one target each, so everything is static. */
#ifndef LR_FUZZ_H
#define LR_FUZZ_H

#include "lagesrapport.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed check: the message, then abort, which libFuzzer (and the
 * sanitizers' replay) report as a crash with the input that caused it. */
#define FUZZ_ASSERT(cond, ...)                                     \
  do {                                                             \
    if (!(cond)) {                                                 \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                \
      fputc('\n', stderr);                                         \
      abort();                                                     \
    }                                                              \
  } while (0)

/* An input of several texts is written as sections, each opened by a line
 * "=== name" and running to the next such line (the line break before it
 * belongs to the separator). Text before the first header is the section
 * with the empty name. Readable, so a kept crash input can be reviewed. */
typedef struct fuzz_section {
  const char *name; /* NUL-terminated, owned by the list */
  const char *text; /* NUL-terminated copy; may hold NULs before size */
  size_t size;
} fuzz_section;

typedef struct fuzz_sections {
  fuzz_section *items;
  size_t count;
} fuzz_sections;

static const char FUZZ_HEADER[] = "=== ";

static inline char *fuzz_copy(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) abort();
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

static inline void fuzz_sections_add(fuzz_sections *list, const uint8_t *name, size_t name_len,
                              const uint8_t *text, size_t size) {
  fuzz_section *items = realloc(list->items, (list->count + 1) * sizeof *items);
  if (!items) abort();
  list->items = items;
  items[list->count++] = (fuzz_section){fuzz_copy(name, name_len), fuzz_copy(text, size), size};
}

static inline bool fuzz_is_header(const uint8_t *data, size_t size, size_t at) {
  const size_t n = sizeof FUZZ_HEADER - 1;
  return size - at >= n && memcmp(data + at, FUZZ_HEADER, n) == 0;
}

static inline fuzz_sections fuzz_split(const uint8_t *data, size_t size) {
  fuzz_sections list = {0};
  const uint8_t *name = (const uint8_t *)"";
  size_t name_len = 0, start = 0;
  bool open = size == 0 || !fuzz_is_header(data, size, 0);
  for (size_t line = 0; line < size;) {
    size_t next = line;
    while (next < size && data[next] != '\n') next++;
    if (next < size) next++; /* past the line break */
    if (fuzz_is_header(data, size, line)) {
      if (open) {
        size_t end = line > start && data[line - 1] == '\n' ? line - 1 : line;
        fuzz_sections_add(&list, name, name_len, data + start, end - start);
      }
      open = true;
      name = data + line + sizeof FUZZ_HEADER - 1;
      name_len = next - line - (sizeof FUZZ_HEADER - 1);
      if (name_len && name[name_len - 1] == '\n') name_len--;
      start = next;
    }
    line = next;
  }
  if (open) fuzz_sections_add(&list, name, name_len, data + start, size - start);
  return list;
}

static inline void fuzz_sections_free(fuzz_sections *list) {
  for (size_t i = 0; i < list->count; i++) {
    free((char *)list->items[i].name);
    free((char *)list->items[i].text);
  }
  free(list->items);
  list->items = NULL;
  list->count = 0;
}

/* ---- what a user would see as wrong -------------------------------------- */

/* A control character that has no business in a report: C0 other than
 * line break and tab, and DEL. */
static inline bool fuzz_is_control(unsigned char c) {
  return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
}

static inline const char *fuzz_find_control(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (fuzz_is_control((unsigned char)s[i])) return s + i;
  return NULL;
}

#endif
