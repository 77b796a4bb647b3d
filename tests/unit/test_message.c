/* Unit tests of the e-mail layer's pure parts: the message writer (encoded
 * words, folding, line ends, refusal of header injection, determinism,
 * boundaries). The delivery journal has tests/unit/test_journal.c; SMTP
 * is tested against a real server by tests/smtp_send.py. */
#include "mime/mime.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char LONG_SUBJECT[] =
    "Återkoppling på yttrande 2022 – Länsstyrelsen i Jönköpings län, "
    "Värnamo kommun, Gislaveds kommun";

static const lr_mailbox RECIPIENTS[] = {
    {"Anna Åberg", "anna@varnamo.example"},
    {"Andersson, Bo", "bo@gislaved.example"},
};

static lr_message sample(void) {
  return (lr_message){
      .from = {"Länsstyrelsen i Jönköpings län",
               "kvinnofrid@lansstyrelsen.example"},
      .to = RECIPIENTS,
      .to_count = 2,
      .subject = LONG_SUBJECT,
      .body = "Hej!\n\nHär är återkopplingen för 2022.\n",
      .date = 1681291800, /* 2023-04-12T09:30:00Z */
      .message_id = "2022.varnamo@lagesrapport.lansstyrelsen.example",
  };
}

/* Writes m; on refusal returns false and leaves the first message. */
static bool write_message(const lr_message *m, lr_buf *out, char *first_error,
                          size_t size) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  bool ok = lr_message_write(m, out, &diags);
  if (first_error && size)
    snprintf(first_error, size, "%s",
             diags.count ? diags.items[0].message : "");
  CHECK_INT(diags.count == 0, ok);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
  return ok;
}

/* The unfolded value of a header field, or "" (a static buffer). */
static const char *header(const char *message, const char *name) {
  static char value[4096];
  value[0] = '\0';
  size_t n = strlen(name);
  const char *end = strstr(message, "\r\n\r\n");
  for (const char *line = message; line && line < end;) {
    if (strncmp(line, name, n) == 0 && line[n] == ':') {
      size_t len = 0;
      for (const char *p = line + n + 1; p < end; p++) {
        if (p[0] == '\r' && p[1] == '\n') {
          if (p[2] != ' ' && p[2] != '\t') break;
          p++; /* unfold: drop CRLF, keep the space */
          continue;
        }
        if (len + 1 < sizeof value) value[len++] = *p;
      }
      value[len] = '\0';
      return value[0] == ' ' ? value + 1 : value;
    }
    line = strstr(line, "\r\n");
    if (line) line += 2;
  }
  return value;
}

static int base64_value(char c) {
  const char *digits =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *p = c ? strchr(digits, c) : NULL;
  return p ? (int)(p - digits) : -1;
}

/* Decodes the text of one encoded word ("Q" or "B") into out. */
static void decode_word(char encoding, const char *text, size_t n,
                        lr_buf *out) {
  if (encoding == 'Q') {
    for (size_t i = 0; i < n; i++) {
      if (text[i] == '_') {
        lr_buf_putc(out, ' ');
      } else if (text[i] == '=' && i + 2 < n) {
        char hex[3] = {text[i + 1], text[i + 2], 0};
        lr_buf_putc(out, (char)strtol(hex, NULL, 16));
        i += 2;
      } else {
        lr_buf_putc(out, text[i]);
      }
    }
    return;
  }
  unsigned bits = 0, count = 0;
  for (size_t i = 0; i < n && text[i] != '='; i++) {
    bits = bits << 6 | (unsigned)base64_value(text[i]);
    if ((count += 6) >= 8) {
      count -= 8;
      lr_buf_putc(out, (char)(bits >> count & 0xFF));
    }
  }
}

/* Whether s holds only whole UTF-8 characters (no cut sequence at either
 * end), which is what RFC 2047 asks of each encoded word. */
static bool whole_utf8(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t len = s[i] < 0x80    ? 1
                 : s[i] >= 0xF0 ? 4
                 : s[i] >= 0xE0 ? 3
                 : s[i] >= 0xC2 ? 2
                                : 0;
    if (!len || i + len > n) return false;
    for (size_t k = 1; k < len; k++)
      if ((s[i + k] & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

/* Decodes an unstructured header value as RFC 2047 6.2 says, checking
 * every encoded word on the way; returns the number of encoded words. */
static int decode_header(const char *value, lr_buf *out) {
  int words = 0;
  bool previous_encoded = false;
  lr_buf text = {0};
  for (const char *p = value; *p;) {
    size_t n = strcspn(p, " ");
    bool encoded = n > 8 && strncmp(p, "=?utf-8?", 8) == 0 &&
                   strncmp(p + n - 2, "?=", 2) == 0 && p[9] == '?';
    if (out->len && !(encoded && previous_encoded)) lr_buf_putc(out, ' ');
    if (encoded) {
      words++;
      CHECK(n <= 75);
      lr_buf_clear(&text);
      decode_word(p[8], p + 10, n - 12, &text);
      CHECK(whole_utf8((const unsigned char *)text.data, text.len));
      lr_buf_put(out, text.data, text.len);
    } else {
      lr_buf_put(out, p, n);
    }
    previous_encoded = encoded;
    p += n;
    while (*p == ' ') p++;
  }
  lr_buf_free(&text);
  return words;
}

/* CRLF only, ASCII only, header lines within 78 octets and the lines
 * after the header within body_limit (76 for a single text part). */
static void check_wire(const lr_buf *m, size_t body_limit) {
  bool crlf = true, ascii = true, short_lines = true;
  size_t line_start = 0;
  bool in_head = true;
  for (size_t i = 0; i < m->len; i++) {
    unsigned char c = (unsigned char)m->data[i];
    if (c >= 0x80) ascii = false;
    if (c == '\r' && (i + 1 >= m->len || m->data[i + 1] != '\n')) crlf = false;
    if (c == '\n') {
      if (i == 0 || m->data[i - 1] != '\r') crlf = false;
      size_t len = i - 1 - line_start;
      if (len > (in_head ? 78u : body_limit)) short_lines = false;
      if (len == 0) in_head = false;
      line_start = i + 1;
    }
  }
  CHECK(crlf);
  CHECK(ascii);
  CHECK(short_lines);
  CHECK(m->len >= 2 && memcmp(m->data + m->len - 2, "\r\n", 2) == 0);
}

static void test_addresses(void) {
  static const char *const valid[] = {
      "anna@aneby.example",           "a.b+c@sub.aneby.example",
      "kvinnofrid@localhost",         "x_y-z@a-b.example",
      "!#$%&'*+/=?^_`{|}~@x.example",
  };
  static const char *const invalid[] = {
      "",
      "anna",
      "anna@",
      "@aneby.example",
      "anna@aneby",
      "anna aneby@x.example",
      "<anna@aneby.example>",
      "anna@aneby.example>",
      ".anna@x.example",
      "anna.@x.example",
      "an..na@x.example",
      "åsa@aneby.example",
      "anna@jönköping.example",
      "anna@-aneby.example",
      "anna@aneby-.example",
      "anna@aneby..example",
      "anna@aneby.example.",
      "a,b@x.example",
      "a;b@x.example",
      "a:b@x.example",
      "a(b)@x.example",
      "a[b]@x.example",
      "anna@[127.0.0.1]",
      "anna@b@x.example",
      "anna\r\n@x.example",
      "anna@x.example\r\nBcc: y@evil.example",
      "\"anna\"@x.example",
      "anna\t@x.example",
  };
  for (size_t i = 0; i < sizeof valid / sizeof *valid; i++)
    CHECK(lr_mailbox_is_valid(valid[i]));
  for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
    if (lr_mailbox_is_valid(invalid[i]))
      fprintf(stderr, "accepted: %s\n", invalid[i]);
    CHECK(!lr_mailbox_is_valid(invalid[i]));
  }
  CHECK(!lr_mailbox_is_valid(NULL));
  char local[80], domain[80];
  memset(local, 'a', 65);
  strcpy(local + 65, "@x.example");
  CHECK(!lr_mailbox_is_valid(local)); /* local part over 64 octets */
  memset(domain, 'a', 64);
  strcpy(domain + 64, ".example");
  char address[320];
  snprintf(address, sizeof address, "anna@%s", domain);
  CHECK(!lr_mailbox_is_valid(address)); /* label over 63 octets */
}

static void test_header_safe(void) {
  CHECK(lr_text_is_header_safe(NULL));
  CHECK(lr_text_is_header_safe(""));
  CHECK(lr_text_is_header_safe(LONG_SUBJECT));
  CHECK(!lr_text_is_header_safe("Anna\r\nBcc: x@evil.example"));
  CHECK(!lr_text_is_header_safe("Anna\nBcc: x@evil.example"));
  CHECK(!lr_text_is_header_safe("Anna\rBcc"));
  CHECK(!lr_text_is_header_safe("tab\there"));
  CHECK(!lr_text_is_header_safe("nul\x01"));
  CHECK(!lr_text_is_header_safe("del\x7f"));
}

static void test_long_swedish_subject(void) {
  lr_message m = sample();
  lr_buf out = {0};
  CHECK(write_message(&m, &out, NULL, 0));
  check_wire(&out, 76);
  lr_buf subject = {0};
  int words = decode_header(header(out.data, "Subject"), &subject);
  CHECK(words >= 2);
  CHECK_STR(lr_buf_cstr(&subject), LONG_SUBJECT);
  lr_buf_free(&subject);

  /* One long word of Swedish letters and a 4-octet character must be
   * split into several words, never inside a character. */
  lr_buf text = {0};
  for (int i = 0; i < 30; i++) lr_buf_puts(&text, "åäö😀");
  m.subject = text.data;
  lr_buf_clear(&out);
  CHECK(write_message(&m, &out, NULL, 0));
  check_wire(&out, 76);
  lr_buf_clear(&subject);
  CHECK(decode_header(header(out.data, "Subject"), &subject) >= 4);
  CHECK_STR(lr_buf_cstr(&subject), text.data);
  lr_buf_free(&subject);
  lr_buf_free(&text);
  lr_buf_free(&out);
}

static void test_headers(void) {
  lr_message m = sample();
  lr_buf out = {0};
  CHECK(write_message(&m, &out, NULL, 0));
  CHECK(strncmp(out.data, "Date: Wed, 12 Apr 2023 09:30:00 +0000\r\n", 39) ==
        0);
  CHECK_STR(header(out.data, "Message-ID"),
            "<2022.varnamo@lagesrapport.lansstyrelsen.example>");
  CHECK_STR(header(out.data, "MIME-Version"), "1.0");
  CHECK_STR(header(out.data, "Content-Type"), "text/plain; charset=utf-8");
  CHECK_STR(header(out.data, "Content-Transfer-Encoding"), "quoted-printable");
  /* Plain ASCII stays plain; a name with a comma is quoted. */
  CHECK_CONTAINS(header(out.data, "To"), "Anna =?utf-8?Q?=C3=85berg?= "
                                         "<anna@varnamo.example>");
  CHECK_CONTAINS(header(out.data, "To"),
                 "\"Andersson, Bo\" <bo@gislaved.example>");
  CHECK_CONTAINS(header(out.data, "From"), "=?utf-8?Q?L=C3=A4nsstyrelsen?= i ");

  m.subject = "Lagesrapport 2022";
  m.from.name = NULL;
  lr_buf_clear(&out);
  CHECK(write_message(&m, &out, NULL, 0));
  CHECK_STR(header(out.data, "Subject"), "Lagesrapport 2022");
  CHECK_STR(header(out.data, "From"), "kvinnofrid@lansstyrelsen.example");
  /* ASCII that a reader would take for an encoded word is encoded. */
  m.subject = "=?utf-8?Q?x?=";
  lr_buf_clear(&out);
  CHECK(write_message(&m, &out, NULL, 0));
  CHECK(strstr(out.data, "Subject: =?utf-8?Q?=3D=3Futf-8=3FQ=3Fx=3F=3D?=") !=
        NULL);

  static const struct {
    long long date;
    const char *want;
  } dates[] = {
      {0, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"},
      {951782400, "Date: Tue, 29 Feb 2000 00:00:00 +0000\r\n"},
      {1709164800, "Date: Thu, 29 Feb 2024 00:00:00 +0000\r\n"},
      {253402300799LL, "Date: Fri, 31 Dec 9999 23:59:59 +0000\r\n"},
  };
  for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
    m.date = dates[i].date;
    lr_buf_clear(&out);
    CHECK(write_message(&m, &out, NULL, 0));
    CHECK(strncmp(out.data, dates[i].want, strlen(dates[i].want)) == 0);
  }
  lr_buf_free(&out);
}

static void test_body(void) {
  lr_message m = sample();
  lr_buf out = {0};
  m.body = "Hej";
  CHECK(write_message(&m, &out, NULL, 0));
  /* A soft line break ends the data with CRLF without adding one. */
  CHECK_CONTAINS(out.data, "\r\n\r\nHej=\r\n");
  CHECK(out.len > 6 && memcmp(out.data + out.len - 6, "Hej=\r\n", 6) == 0);

  m.body = "blanksteg sist  \n.\nFrom here\nr\xC3\xA4ka = 1\r\n";
  lr_buf_clear(&out);
  CHECK(write_message(&m, &out, NULL, 0));
  CHECK_CONTAINS(out.data,
                 "\r\n\r\nblanksteg sist =20\r\n=2E\r\n=46rom here\r\n"
                 "r=C3=A4ka =3D 1\r\n");

  lr_buf body = {0};
  for (int i = 0; i < 100; i++) lr_buf_puts(&body, "lång ");
  m.body = body.data;
  lr_buf_clear(&out);
  CHECK(write_message(&m, &out, NULL, 0));
  check_wire(&out, 76);
  lr_buf_free(&body);
  lr_buf_free(&out);
}

static void test_injection_refused(void) {
  static const char evil[] = "Anna\r\nBcc: x@evil.example";
  for (int field = 0; field < 5; field++) {
    lr_message m = sample();
    lr_mailbox to[1] = {{"Bo", "bo@gislaved.example"}};
    lr_attachment attachment = {"a.txt", "text/plain", "x", 1};
    m.to = to;
    m.to_count = 1;
    switch (field) {
    case 0: m.subject = evil; break;
    case 1: m.from.name = evil; break;
    case 2: to[0].name = evil; break;
    case 3: to[0].address = "bo@gislaved.example\r\nBcc: x@evil.example"; break;
    case 4:
      attachment.filename = evil;
      m.attachments = &attachment;
      m.attachment_count = 1;
      break;
    }
    lr_buf out = {0};
    char error[256];
    CHECK(!write_message(&m, &out, error, sizeof error));
    CHECK_INT(out.len, 0);
    CHECK_CONTAINS(error, "radbrytning eller styrtecken");
    CHECK(strchr(error, '\r') == NULL && strchr(error, '\n') == NULL);
    lr_buf_free(&out);
  }
}

static void test_invalid_fields_refused(void) {
  static const struct {
    const char *address, *message_id, *content_type;
    long long date;
    const char *error;
  } cases[] = {
      {"anna@aneby", NULL, NULL, 0, "inte en giltig e-postadress"},
      {"Anna <anna@aneby.example>", NULL, NULL, 0,
       "inte en giltig e-postadress"},
      {"", NULL, NULL, 0, "saknas"},
      {NULL, "no-at-sign", NULL, 0, "ogiltigt Message-ID"},
      {NULL, "<a@b.example>", NULL, 0, "ogiltigt Message-ID"},
      {NULL, "", NULL, 0, "saknar Message-ID"},
      {NULL, NULL, "text/html\r\nBcc: x@evil.example", 0,
       "ogiltig innehållstyp"},
      {NULL, NULL, "html", 0, "ogiltig innehållstyp"},
      {NULL, NULL, NULL, -1, "utanför åren"},
      {NULL, NULL, NULL, 253402300800LL, "utanför åren"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    lr_message m = sample();
    lr_mailbox to[1] = {{NULL, "bo@gislaved.example"}};
    lr_attachment attachment = {"a.txt", NULL, "x", 1};
    if (cases[i].address) to[0].address = cases[i].address;
    m.to = to;
    m.to_count = 1;
    if (cases[i].message_id) m.message_id = cases[i].message_id;
    if (cases[i].content_type) {
      attachment.content_type = cases[i].content_type;
      m.attachments = &attachment;
      m.attachment_count = 1;
    }
    if (cases[i].date) m.date = cases[i].date;
    lr_buf out = {0};
    char error[256];
    CHECK(!write_message(&m, &out, error, sizeof error));
    CHECK_INT(out.len, 0);
    CHECK_CONTAINS(error, cases[i].error);
    lr_buf_free(&out);
  }
  lr_message m = sample();
  m.to_count = 0;
  lr_buf out = {0};
  char error[256];
  CHECK(!write_message(&m, &out, error, sizeof error));
  CHECK_CONTAINS(error, "saknar mottagare");
  m = sample();
  m.subject = "ogiltig \xC3( UTF-8";
  CHECK(!write_message(&m, &out, error, sizeof error));
  CHECK_CONTAINS(error, "inte giltig UTF-8");
  m = sample();
  m.body = "ogiltig \xED\xA0\x80 UTF-8"; /* a surrogate */
  CHECK(!write_message(&m, &out, error, sizeof error));
  CHECK_CONTAINS(error, "inte giltig UTF-8");
  CHECK_INT(out.len, 0);
  lr_buf_free(&out);
}

static void test_attachments_and_boundary(void) {
  char every_byte[256];
  for (int i = 0; i < 256; i++) every_byte[i] = (char)i;
  /* The body holds what the boundary is made of, to show it is avoided. */
  const char *body = "--=_lr_ --=_lr_0000000000000000_0\n";
  lr_attachment attachments[] = {
      {"återkoppling-värnamo.html", "text/html; charset=utf-8", "<p>Hej</p>",
       10},
      {"alla-byte.bin", NULL, every_byte, sizeof every_byte},
  };
  lr_message m = sample();
  m.body = body;
  m.attachments = attachments;
  m.attachment_count = 2;
  lr_buf out = {0}, again = {0};
  CHECK(write_message(&m, &out, NULL, 0));
  CHECK(write_message(&m, &again, NULL, 0));
  check_wire(&out, 78);
  CHECK(out.len == again.len && memcmp(out.data, again.data, out.len) == 0);

  const char *type = header(out.data, "Content-Type");
  static const char multipart[] = "multipart/mixed; boundary=\"=_lr_";
  CHECK(strncmp(type, multipart, strlen(multipart)) == 0);
  char boundary[64] = "";
  const char *start = strchr(type, '"');
  if (start)
    snprintf(boundary, sizeof boundary, "%.*s", (int)strcspn(start + 1, "\""),
             start + 1);
  /* Once as the parameter, three delimiters, one close delimiter. */
  int count = 0;
  for (const char *p = out.data; (p = strstr(p, boundary)); p++) count++;
  CHECK_INT(count, 1 + 3 + 1);
  CHECK_CONTAINS(out.data,
                 "Content-Disposition: attachment;\r\n filename*=utf-8''"
                 "%C3%A5terkoppling-v%C3%A4rnamo.html\r\n");
  CHECK_CONTAINS(out.data, "Content-Disposition: attachment; "
                           "filename=\"alla-byte.bin\"\r\n");
  CHECK_CONTAINS(
      out.data,
      "Content-Type: application/octet-stream; name=\"alla-byte.bin\"");
  /* 256 octets: three full lines of 76 and a last one. */
  CHECK_CONTAINS(out.data,
                 "Content-Transfer-Encoding: base64\r\n\r\n"
                 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUm"
                 "JygpKissLS4vMDEyMzQ1Njc4\r\n");
  CHECK_CONTAINS(out.data, "+/w==\r\n--");

  /* A different attachment gives a different, but again fixed, boundary. */
  attachments[1].size = 255;
  lr_buf_clear(&again);
  CHECK(write_message(&m, &again, NULL, 0));
  CHECK(strstr(again.data, boundary) == NULL);
  lr_buf_free(&again);
  lr_buf_free(&out);
}

int main(void) {
  test_addresses();
  test_header_safe();
  test_long_swedish_subject();
  test_headers();
  test_body();
  test_injection_refused();
  test_invalid_fields_refused();
  test_attachments_and_boundary();
  return check_report();
}
