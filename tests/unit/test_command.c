/* The token and password commands of `mail --send`: how a setting becomes
 * an argv without a shell, and what is kept of what the command prints.
 * The commands against a real server are in tests/mail_tls_test.py. */
#include "mail/mail.h"

#include "check.h"

static void test_split(void) {
  static const struct {
    const char *text;
    const char *words[5]; /* NULL-terminated; words[0] NULL: refused */
  } cases[] = {
      {"hamta-token", {"hamta-token"}},
      {"  az account get-access-token\t--output tsv ",
       {"az", "account", "get-access-token", "--output", "tsv"}},
      {"sh -c 'pass show smtp | head -n 1'", {"sh", "-c", "pass show smtp | head -n 1"}},
      {"\"C:/Program Files/x\" a\\ b", {"C:/Program Files/x", "a b"}},
      {"echo \"say \\\"hi\\\" \\\\ \\n\"", {"echo", "say \"hi\" \\ \\n"}},
      {"echo $HOME *.pem ~", {"echo", "$HOME", "*.pem", "~"}},
      {"a''b \"\"", {"ab", ""}},
      {"", {NULL}},
      {"   ", {NULL}},
      {"echo 'open", {NULL}},
      {"echo \"open", {NULL}},
      {"echo trailing\\", {NULL}},
      {"echo one\necho two", {NULL}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    lr_arena *arena = lr_arena_new();
    const char **words;
    size_t count;
    const char *problem;
    bool ok = lr_command_split(arena, cases[i].text, &words, &count, &problem);
    size_t want = 0;
    while (want < 5 && cases[i].words[want]) want++;
    if (ok != (want > 0)) fprintf(stderr, "  for %s\n", cases[i].text);
    CHECK_INT(ok, want > 0);
    CHECK_INT(problem != NULL, !ok);
    if (ok) {
      CHECK_INT(count, want);
      for (size_t k = 0; k < count && k < want; k++) CHECK_STR(words[k], cases[i].words[k]);
      CHECK(words[count] == NULL);
    }
    lr_arena_free(arena);
  }
}

/* Runs command and returns what was kept, or NULL with the one message. */
static const char *secret_of(lr_arena *arena, const char *command, bool is_token,
                             const char **message) {
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_buf secret = {0};
  bool ok = lr_secret_from_command("kommandot", command, NULL, is_token, &secret, &diags);
  CHECK_INT(diags.count, ok ? 0 : 1);
  *message = diags.count ? lr_arena_strdup(arena, diags.items[0].message) : NULL;
  const char *kept = ok ? lr_arena_strdup(arena, secret.data) : NULL;
  CHECK(ok || secret.data == NULL);
  lr_secret_wipe(&secret);
  lr_diag_list_release(&diags);
  return kept;
}

static void test_secret(void) {
  lr_arena *arena = lr_arena_new();
  const char *message;
  /* A token is trimmed; a password keeps its spaces but not its line end. */
  CHECK_STR(secret_of(arena, "printf ' \\n eyJ0.abc \\r\\n\\n'", true, &message), "eyJ0.abc");
  CHECK_STR(secret_of(arena, "printf ' hemligt lösenord \\r\\n'", false, &message),
            " hemligt lösenord ");
  /* No shell: $HOME reaches the program as written. */
  CHECK_STR(secret_of(arena, "echo $HOME", false, &message), "$HOME");

  CHECK(!secret_of(arena, "printf ''", true, &message));
  CHECK_STR(message, "kommandot \"printf\" skrev ingenting");
  CHECK(!secret_of(arena, "printf 'a b'", true, &message));
  CHECK(strstr(message, "skrev mer än ett ord") != NULL);
  CHECK(!secret_of(arena, "printf 'rad ett\\nrad två\\n'", false, &message));
  CHECK_STR(message, "kommandot \"printf\" skrev mer än en rad");
  /* A NUL would cut the secret short where libcurl reads it. */
  CHECK(!secret_of(arena, "printf 'eyJ0.abc\\0'", true, &message));
  CHECK(strstr(message, "skrev mer än ett ord") != NULL);
  CHECK(!secret_of(arena, "sh -c 'echo token; exit 4'", true, &message));
  CHECK_STR(message, "kommandot \"sh\" misslyckades med slutkod 4");
  CHECK(!secret_of(arena, "sh -c 'kill -TERM $$'", true, &message));
  CHECK_STR(message, "kommandot \"sh\" avbröts av signal 15");
  CHECK(!secret_of(arena, "./finns-inte --hemlighet s3cr3t", true, &message));
  CHECK_STR(message, "kommandot \"./finns-inte\" finns inte");
  /* Nothing waits on a terminal: standard input is empty. */
  CHECK(!secret_of(arena, "cat", true, &message));
  CHECK_STR(message, "kommandot \"cat\" skrev ingenting");
  lr_arena_free(arena);
}

int main(void) {
  test_split();
  test_secret();
  return check_report();
}
