/* The SMTP policy of `mail --send`: which URLs are accepted and when TLS
 * is required. Delivery itself is tested against a real server by
 * tests/mail_command.py. */
#include "mail/mail.h"

#include "check.h"

static void test_tls_policy(void) {
  static const struct {
    const char *url;
    bool ok, tls;
  } cases[] = {
      {"smtp://localhost:25", true, false},
      {"smtp://LOCALHOST", true, false},
      {"smtp://127.0.0.1:2525", true, false},
      {"smtp://127.8.9.10", true, false},
      {"smtp://[::1]:25", true, false},
      {"smtp://smtp.lansstyrelsen.example:587", true, true},
      {"smtps://smtp.lansstyrelsen.example:465", true, true},
      {"smtps://localhost:465", true, false},
      {"smtp://127.0.0.1.evil.example", true, true},
      {"smtp://localhost.evil.example", true, true},
      {"smtp://10.0.0.1:25", true, true},
      {"smtp://anna:hemligt@smtp.example:587", false, false},
      {"smtp://anna@localhost", false, false},
      {"smtp://", false, false},
      {"smtp://:25", false, false},
      {"http://localhost", false, false},
      {"smtp://localhost\r\nRCPT TO:<x@evil.example>", false, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    lr_arena *arena = lr_arena_new();
    lr_diag_list diags;
    lr_diag_list_init(&diags, arena);
    bool tls = false;
    bool ok = lr_smtp_url_check(cases[i].url, &tls, &diags);
    if (ok != cases[i].ok || (ok && tls != cases[i].tls))
      fprintf(stderr, "  for %s\n", cases[i].url);
    CHECK_INT(ok, cases[i].ok);
    if (ok) CHECK_INT(tls, cases[i].tls);
    CHECK_INT(diags.errors, ok ? 0 : 1);
    lr_diag_list_release(&diags);
    lr_arena_free(arena);
  }
}

int main(void) {
  test_tls_policy();
  return check_report();
}
