/* A command line from a setting (the SMTP token or password command) as
 * the words of an argv, so that the program runs without a shell: the
 * setting cannot expand variables, glob or chain commands unless its
 * author writes "sh -c '…'" and asks for a shell by name. The quoting is
 * the small part of the shell's that people write without thinking:
 * 'single', "double" with \" and \\, and a backslash before any other
 * character. */
#include "util/util.h"

#include <string.h>

bool lr_command_split(lr_arena *arena, const char *text, const char ***words, size_t *count,
                      const char **problem) {
  *words = NULL;
  *count = 0;
  *problem = NULL;
  size_t n = strlen(text);
  /* Never more words than half the characters, rounded up, plus the NULL. */
  const char **out = lr_arena_array(arena, n / 2 + 2, sizeof *out);
  char *word = lr_arena_alloc(arena, n + 1);
  size_t used = 0;
  const char *p = text;
  while (*p) {
    if (*p == ' ' || *p == '\t') {
      p++;
      continue;
    }
    if (*p == '\n' || *p == '\r') {
      *problem = "kommandot får bara vara en rad";
      return false;
    }
    char *start = word + used, *w = start;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
      if (*p == '\'') {
        const char *end = strchr(p + 1, '\'');
        if (!end) {
          *problem = "ett enkelt citattecken (') saknar sin avslutning";
          return false;
        }
        memcpy(w, p + 1, (size_t)(end - p - 1));
        w += end - p - 1;
        p = end + 1;
      } else if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
          if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) p++;
          *w++ = *p;
        }
        if (!*p) {
          *problem = "ett dubbelt citattecken (\") saknar sin avslutning";
          return false;
        }
        p++;
      } else if (*p == '\\') {
        if (!p[1]) {
          *problem = "kommandot slutar med ett omvänt snedstreck (\\)";
          return false;
        }
        *w++ = p[1];
        p += 2;
      } else {
        *w++ = *p++;
      }
    }
    *w = '\0';
    out[(*count)++] = start;
    used += (size_t)(w - start) + 1;
  }
  if (!*count) {
    *problem = "kommandot är tomt";
    return false;
  }
  out[*count] = NULL;
  *words = out;
  return true;
}
