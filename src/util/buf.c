/* Growable byte buffer: what every renderer writes into before a file is
 * replaced atomically, so output is never streamed half-done to disk. */
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum { LARGE_BUFFER = 2 * 1024 * 1024 };

static const char BASE64_DIGITS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void lr_buf_put_base64(lr_buf *out, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i += 3) {
    size_t k = n - i < 3 ? n - i : 3;
    uint32_t v = (uint32_t)p[i] << 16;
    if (k > 1) v |= (uint32_t)p[i + 1] << 8;
    if (k > 2) v |= p[i + 2];
    char quad[4] = {BASE64_DIGITS[v >> 18 & 63], BASE64_DIGITS[v >> 12 & 63],
                    k > 1 ? BASE64_DIGITS[v >> 6 & 63] : '=', k > 2 ? BASE64_DIGITS[v & 63] : '='};
    lr_buf_put(out, quad, 4);
  }
}

void lr_buf_reserve(lr_buf *b, size_t extra) {
  if (b->cap - b->len > extra) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len <= extra) {
    if (cap > ((size_t)-1) / 2) lr_die_oom();
    cap *= 2;
  }
  if (cap >= LARGE_BUFFER) {
    /* Not realloc: a large block moves anyway, and here it moves onto
     * huge pages, a page fault per 2 MiB instead of per 4 KiB. */
    char *data = lr_xmalloc_large(cap);
    if (b->data) memcpy(data, b->data, b->len + 1);
    free(b->data);
    b->data = data;
  } else {
    b->data = lr_xrealloc(b->data, cap);
  }
  b->cap = cap;
}

void lr_buf_put(lr_buf *b, const char *s, size_t n) {
  if (!n) return;
  lr_buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void lr_buf_puts(lr_buf *b, const char *s) { lr_buf_put(b, s, strlen(s)); }

void lr_buf_putc(lr_buf *b, char c) { lr_buf_put(b, &c, 1); }

void lr_buf_printf(lr_buf *b, const char *fmt, ...) {
  va_list ap, copy;
  va_start(ap, fmt);
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n > 0) {
    lr_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
  }
  va_end(ap);
}

const char *lr_buf_cstr(lr_buf *b) {
  lr_buf_reserve(b, 0);
  b->data[b->len] = '\0';
  return b->data;
}

void lr_buf_clear(lr_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void lr_buf_free(lr_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

const char *lr_text_join(lr_arena *arena, const char *const *items, size_t n, const char *sep) {
  size_t len = 0, sep_len = strlen(sep);
  for (size_t i = 0; i < n; i++) len += (i ? sep_len : 0) + strlen(items[i]);
  char *out = lr_arena_array(arena, len + 1, 1), *p = out; /* zeroed: "" when empty */
  for (size_t i = 0; i < n; i++) {
    if (i) memcpy(p, sep, sep_len), p += sep_len;
    size_t k = strlen(items[i]);
    memcpy(p, items[i], k);
    p += k;
  }
  return out;
}
