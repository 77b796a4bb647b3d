/* A minimal assertion harness for the C unit tests: each failed check prints
 * its place and values, and the test ends with "N passed, N failed". */
#ifndef LR_TEST_CHECK_H
#define LR_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (cond) {                                                            \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,    \
              #cond);                                                      \
    }                                                                      \
  } while (0)

#define CHECK_INT(got, want)                                               \
  do {                                                                     \
    long long g_ = (long long)(got), w_ = (long long)(want);               \
    if (g_ == w_) {                                                        \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__,        \
              __LINE__, #got, g_, w_);                                     \
    }                                                                      \
  } while (0)

#define CHECK_STR(got, want)                                               \
  do {                                                                     \
    const char *g_ = (got), *w_ = (want);                                  \
    if (g_ && w_ && strcmp(g_, w_) == 0) {                                 \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: %s:\n  got:  %s\n  want: %s\n", __FILE__,    \
              __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");     \
    }                                                                      \
  } while (0)

/* Substring check, for messages where only the essential part is asserted. */
#define CHECK_CONTAINS(hay, needle)                                        \
  do {                                                                     \
    const char *h_ = (hay), *n_ = (needle);                                \
    if (h_ && strstr(h_, n_)) {                                            \
      check_passed++;                                                      \
    } else {                                                               \
      check_failed++;                                                      \
      fprintf(stderr, "%s:%d: %s does not contain \"%s\":\n  %s\n",        \
              __FILE__, __LINE__, #hay, n_, h_ ? h_ : "(null)");           \
    }                                                                      \
  } while (0)

/* A run that checked nothing fails too: it would pass whatever the code did. */
static inline int check_report(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  if (check_passed + check_failed == 0) fprintf(stderr, "no check ran\n");
  return check_failed || check_passed == 0 ? 1 : 0;
}

#endif
