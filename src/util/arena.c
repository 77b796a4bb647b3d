/* Region allocator: every object of a loaded project lives in one arena and
 * dies with it, so the model needs no per-node free and cannot leak. */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "util/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Chunks start small, for the many short-lived arenas of one page or one
 * template, and double up to the largest, for a project's model.
 * Most of a national build's time outside its own code was the kernel
 * handing out fresh 4 KiB pages, one fault each (bench/README.md); a
 * large chunk is aligned to and advised as huge pages, where the system
 * has them, so that it costs one fault per 2 MiB instead of 512. */
enum {
  CHUNK_FIRST = 64 * 1024,
  CHUNK_LARGEST = 4 * 1024 * 1024,
  HUGE_PAGE = 2 * 1024 * 1024,
};

/* Under AddressSanitizer a chunk is poisoned until it is handed out, and
 * every block is followed by a poisoned gap, so that reading or writing
 * past a block is caught as it would be past a malloc'ed one; otherwise
 * the sanitizer sees only whole chunks, and an overflow into the next
 * block of the same chunk goes unnoticed. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
enum { REDZONE = 16, MIN_ALIGN = 8 /* ASan's shadow granule */ };
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
enum { REDZONE = 0, MIN_ALIGN = 1 };
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

typedef struct chunk {
  struct chunk *next;
  size_t used, size;
  max_align_t data[]; /* keeps the payload aligned for any type */
} chunk;

struct lr_arena {
  chunk *head;
  size_t chunk_size; /* of the next regular chunk */
  size_t total;      /* bytes handed out, for the benchmark's memory figures */
};

void lr_die_oom(void) {
  /* The only way the library ends the process: nothing sensible can be
   * done without memory, and callers must never see a half-built model. */
  fputs("lagesrapport: slut på minne\n", stderr);
  abort();
}

void *lr_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) lr_die_oom();
  return p;
}

/* n rounded up to whole huge pages. */
static size_t whole_huge_pages(size_t n) {
  if (n > SIZE_MAX - HUGE_PAGE) lr_die_oom();
  return (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
}

void *lr_xmalloc_large(size_t n) {
#if defined(MADV_HUGEPAGE)
  if (n >= HUGE_PAGE) {
    n = whole_huge_pages(n);
    void *p = aligned_alloc(HUGE_PAGE, n);
    if (!p) lr_die_oom();
    /* Advice only: where huge pages are off, nothing changes. */
    (void)madvise(p, n, MADV_HUGEPAGE);
    return p;
  }
#endif
  return lr_xmalloc(n);
}

void *lr_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) lr_die_oom();
  return q;
}

static lr_arena *arena_new(size_t first_chunk) {
  lr_arena *a = lr_xmalloc(sizeof *a);
  a->head = NULL;
  a->chunk_size = first_chunk;
  a->total = 0;
  return a;
}

lr_arena *lr_arena_new(void) { return arena_new(CHUNK_FIRST); }

lr_arena *lr_arena_new_large(void) { return arena_new(HUGE_PAGE); }

/* A chunk with room for at least size bytes. */
static chunk *chunk_new(size_t size) {
  if (size > SIZE_MAX - sizeof(chunk)) lr_die_oom();
  size_t bytes = sizeof(chunk) + size;
  /* A large chunk has the rest of its last huge page too. */
  if (bytes >= HUGE_PAGE) bytes = whole_huge_pages(bytes);
  chunk *c = lr_xmalloc_large(bytes); /* below 2 MiB, lr_xmalloc */
  c->size = bytes - sizeof(chunk);
  return c;
}

void lr_arena_free(lr_arena *a) {
  if (!a) return;
  for (chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    UNPOISON(c->data, c->size);
    free(c);
  }
  free(a);
}

size_t lr_arena_size(const lr_arena *a) { return a->total; }

void lr_arena_adopt(lr_arena *into, lr_arena *from) {
  if (!from) return;
  if (from->head) {
    chunk *tail = from->head;
    while (tail->next) tail = tail->next;
    /* Behind into's current chunk, whose free tail stays in use. */
    if (into->head) {
      tail->next = into->head->next;
      into->head->next = from->head;
    } else {
      into->head = from->head;
    }
  }
  into->total += from->total;
  free(from);
}

/* n bytes at the given alignment (a power of two, at most max_align_t's).
 * Strings take alignment 1 and no zeroing: a national project copies
 * every scalar of 20 MB of YAML, and padding each to 16 bytes and
 * clearing it before the copy would cost memory and time for nothing. */
static void *take(lr_arena *a, size_t n, size_t align) {
  if (align < MIN_ALIGN) align = MIN_ALIGN;
  if (n > SIZE_MAX - REDZONE) lr_die_oom();
  size_t need = n + REDZONE;
  chunk *c = a->head;
  size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
  if (!c || at > c->size || c->size - at < need) {
    bool oversized = need > a->chunk_size / 2;
    /* A regular chunk with its header is a power of two: whole huge pages. */
    chunk *fresh = chunk_new(oversized ? need : a->chunk_size - sizeof(chunk));
    fresh->used = 0;
    POISON(fresh->data, fresh->size);
    if (c && oversized) {
      /* An oversized block goes behind the current chunk so that the
       * current chunk's free tail stays usable. */
      fresh->next = c->next;
      c->next = fresh;
    } else {
      fresh->next = c;
      a->head = fresh;
      if (!oversized && a->chunk_size < CHUNK_LARGEST) a->chunk_size *= 2;
    }
    c = fresh;
    at = c->used;
  }
  void *p = (char *)c->data + at;
  c->used = at + need;
  a->total += n;
  UNPOISON(p, n);
  return p;
}

void *lr_arena_alloc(lr_arena *a, size_t n) {
  const size_t align = sizeof(max_align_t);
  size_t size = (n + align - 1) / align * align;
  if (size == 0) size = align;
  void *p = take(a, size, align);
  memset(p, 0, size);
  POISON((char *)p + n, size - n); /* past what was asked for is past the block */
  return p;
}

void *lr_arena_array(lr_arena *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) lr_die_oom();
  return lr_arena_alloc(a, count * size);
}

char *lr_arena_strndup(lr_arena *a, const char *s, size_t n) {
  if (n > SIZE_MAX - 1) lr_die_oom();
  char *p = take(a, n + 1, 1);
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *lr_arena_strdup(lr_arena *a, const char *s) {
  return s ? lr_arena_strndup(a, s, strlen(s)) : NULL;
}

char *lr_arena_vprintf(lr_arena *a, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) n = 0;
  char *p = lr_arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *lr_arena_printf(lr_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = lr_arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}
