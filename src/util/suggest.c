/* "Menade du …?": the closest known word to a typo, by edit distance over
 * characters, so that "delmal" finds "delmål" and "aktor" finds "aktör". */
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_WORD = 64 };

/* Decodes UTF-8 into code points, folding case and å/ä/ö to a/a/o: a
 * missing ring or dots is the commonest typo on a non-Swedish keyboard. */
static size_t fold(const char *s, unsigned *out) {
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p && n < MAX_WORD) {
    unsigned cp;
    if (*p < 0x80) {
      cp = *p++;
    } else if ((*p & 0xE0) == 0xC0 && p[1]) {
      cp = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
      p += 2;
    } else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
      cp = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
      p += 3;
    } else {
      cp = *p++;
    }
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (cp == 0xE5 || cp == 0xE4 || cp == 0xC5 || cp == 0xC4) cp = 'a';
    if (cp == 0xF6 || cp == 0xD6) cp = 'o';
    if (cp == '_' || cp == ' ') cp = '-';
    out[n++] = cp;
  }
  return n;
}

static size_t distance(const unsigned *a, size_t n, const unsigned *b, size_t m) {
  size_t row[MAX_WORD + 1];
  for (size_t j = 0; j <= m; j++) row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

const char *lr_suggest(const char *word, const char *const *candidates,
                       size_t count) {
  unsigned w[MAX_WORD], c[MAX_WORD];
  size_t wn = fold(word, w);
  if (wn == 0) return NULL;
  const char *best = NULL;
  size_t best_d = (size_t)-1;
  for (size_t i = 0; i < count; i++) {
    size_t cn = fold(candidates[i], c);
    size_t d = distance(w, wn, c, cn);
    /* Allow about one edit per three characters of the candidate, at
     * least one: close enough to be a slip, not a different word. */
    size_t limit = cn / 3 > 1 ? cn / 3 : 1;
    /* In one- and two-character ids ("3", "A1") every other id is one
     * edit away: only a difference of case or accent is a likely slip. */
    if (cn <= 2 || wn <= 2) limit = 0;
    if (d <= limit && d < best_d) {
      best = candidates[i];
      best_d = d;
    }
  }
  return best;
}
