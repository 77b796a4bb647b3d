/* "Menade du …?": the closest known word to a typo, by edit distance over
 * characters (a swap of two neighbours is one edit), so that "delmal"
 * finds "delmål", "aktor" finds "aktör" and "nman" finds "namn"; and the
 * nearest few ids, for a hint that lists where to look. */
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

/* Levenshtein with adjacent transpositions (optimal string alignment). */
static size_t distance(const unsigned *a, size_t n, const unsigned *b, size_t m) {
  size_t rows[3][MAX_WORD + 1];
  size_t *before = rows[0], *prev = rows[1], *row = rows[2];
  for (size_t j = 0; j <= m; j++) prev[j] = j;
  for (size_t i = 1; i <= n; i++) {
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
      if (prev[j] + 1 < best) best = prev[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && before[j - 2] + 1 < best)
        best = before[j - 2] + 1;
      row[j] = best;
    }
    size_t *t = before;
    before = prev, prev = row, row = t;
  }
  return prev[m];
}

/* "lunds-kommun" for "lund": the id, then a genitive s or nothing, then a
 * separator and more words. Ids of three characters or more only. */
static bool id_and_more(const unsigned *w, size_t wn, const unsigned *c, size_t cn) {
  if (cn < 3 || wn <= cn + 1) return false;
  for (size_t i = 0; i < cn; i++)
    if (w[i] != c[i]) return false;
  size_t at = cn + (w[cn] == 's');
  return at < wn && w[at] == '-';
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
    if (id_and_more(w, wn, c, cn)) d = limit;
    if (d <= limit && d < best_d) {
      best = candidates[i];
      best_d = d;
    }
  }
  return best;
}

size_t lr_suggest_nearest(const char *word, const char *const *candidates, size_t count,
                          const char **out, size_t max) {
  unsigned w[MAX_WORD], c[MAX_WORD];
  size_t wn = fold(word, w), n = 0;
  size_t best[LR_SUGGEST_MAX];
  if (max > LR_SUGGEST_MAX) max = LR_SUGGEST_MAX;
  for (size_t i = 0; i < count; i++) {
    size_t d = distance(w, wn, c, fold(candidates[i], c));
    /* Insertion into the few best so far; ties keep the given order. */
    size_t at = n < max ? n : max;
    while (at > 0 && best[at - 1] > d) at--;
    if (at >= max) continue;
    size_t last = n < max ? n : max - 1;
    for (size_t k = last; k > at; k--) best[k] = best[k - 1], out[k] = out[k - 1];
    best[at] = d;
    out[at] = candidates[i];
    if (n < max) n++;
  }
  return n;
}

void lr_diag_hint_ids(lr_diag_list *diags, lr_diag *d, const char *word, const char *const *ids,
                      size_t count, const char *what, const char *where) {
  lr_buf list = {0};
  if (count == 0) {
    lr_diag_hint(diags, d, "det finns inga %s%s%s", what, where ? " i " : "", where ? where : "");
    return;
  }
  if (count <= LR_SUGGEST_FEW) {
    for (size_t i = 0; i < count; i++) lr_buf_printf(&list, "%s%s", i ? ", " : "", ids[i]);
    lr_diag_hint(diags, d, "giltiga %s: %s", what, lr_buf_cstr(&list));
  } else {
    const char *near[3];
    size_t n = lr_suggest_nearest(word, ids, count, near, 3);
    for (size_t i = 0; i < n; i++) lr_buf_printf(&list, "%s%s", i ? ", " : "", near[i]);
    if (where)
      lr_diag_hint(diags, d, "närmast: %s (alla %zu %s finns i %s)", lr_buf_cstr(&list), count, what, where);
    else
      lr_diag_hint(diags, d, "närmast: %s", lr_buf_cstr(&list));
  }
  lr_buf_free(&list);
}
