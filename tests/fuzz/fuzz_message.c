/* Fuzz target: the message writer (lib/message.c, RFC 5322 and MIME).
 * The input is sections (fuzz.h) naming the message's fields:
 *
 *   === from / === to       "Display Name <address>" or a bare address;
 *                           "to" may come more than once
 *   === subject / === body  the text as it is
 *   === id                  the Message-ID without <>
 *   === date                seconds since the epoch
 *   === attachment          a file name line, a content type line, then
 *                           the data
 *
 * A finding, besides a crash: a refusal without an error or a message
 * written despite one; a refusal that touched the output; and in a
 * written message anything that is not pure ASCII with CRLF line ends
 * and lines of at most 998 octets, a header field the writer does not
 * write (header injection), a body line over 76 octets, or a text body or
 * attachment that does not decode back to what was given. */
#include "mime/mime.h"
#include "fuzz.h"

enum { MAX_RECIPIENTS = 16, MAX_ATTACHMENTS = 8 };

static lr_mailbox mailbox(const char *text) {
  const char *lt = strrchr(text, '<');
  size_t n = strlen(text);
  if (!lt || n == 0 || text[n - 1] != '>') return (lr_mailbox){NULL, text};
  /* Name and address are cut out in place: the section is ours. */
  char *s = (char *)text;
  s[n - 1] = '\0';
  size_t name_len = (size_t)(lt - text);
  while (name_len && s[name_len - 1] == ' ') name_len--;
  s[name_len] = '\0';
  return (lr_mailbox){name_len ? s : NULL, lt + 1};
}

/* ---- decoding what was written -------------------------------------------- */

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Quoted-printable with CRLF line ends back to bytes; false when the
 * encoding is not one the writer should produce. */
static bool qp_decode(const char *s, size_t n, lr_buf *out) {
  size_t line = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
      FUZZ_ASSERT(line <= 76, "a body line of %zu octets", line);
      lr_buf_puts(out, "\r\n");
      i++;
      line = 0;
      continue;
    }
    line++;
    if (s[i] != '=') {
      lr_buf_putc(out, s[i]);
      continue;
    }
    if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
      FUZZ_ASSERT(line <= 76, "a body line of %zu octets", line);
      i += 2;
      line = 0;
      continue;
    }
    if (i + 2 >= n || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return false;
    lr_buf_putc(out, (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
    i += 2;
    line += 2;
  }
  return true;
}

static int base64_value(char c) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *p = c ? strchr(digits, c) : NULL;
  return p ? (int)(p - digits) : -1;
}

static bool base64_decode(const char *s, size_t n, lr_buf *out) {
  unsigned bits = 0, count = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\r' || s[i] == '\n' || s[i] == '=') continue;
    int v = base64_value(s[i]);
    if (v < 0) return false;
    bits = bits << 6 | (unsigned)v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      lr_buf_putc(out, (char)(bits >> count & 0xFF));
    }
  }
  return true;
}

/* The text as the writer must send it: every line end (LF, CRLF or a
 * lone CR) as CRLF. */
static void crlf_text(const char *s, lr_buf *out) {
  for (; *s; s++) {
    if (*s == '\r' || *s == '\n') {
      lr_buf_puts(out, "\r\n");
      if (s[0] == '\r' && s[1] == '\n') s++;
    } else {
      lr_buf_putc(out, *s);
    }
  }
}

static const char *find(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(s + i, needle, k) == 0) return s + i;
  return NULL;
}

static void check_text_part(const char *content, size_t n, const char *body) {
  lr_buf decoded = {0}, want = {0};
  FUZZ_ASSERT(qp_decode(content, n, &decoded), "the body is not quoted-printable");
  crlf_text(body ? body : "", &want);
  FUZZ_ASSERT(decoded.len == want.len && memcmp(decoded.data ? decoded.data : "",
                                                want.data ? want.data : "", want.len) == 0,
              "the body decodes to something else");
  lr_buf_free(&decoded);
  lr_buf_free(&want);
}

static void check_written(const lr_message *m, const char *s, size_t n) {
  size_t line = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    FUZZ_ASSERT(c && c < 0x80, "a byte 0x%02X at %zu", c, i);
    FUZZ_ASSERT(c != '\r' || (i + 1 < n && s[i + 1] == '\n'), "a CR without LF at %zu", i);
    FUZZ_ASSERT(c != '\n' || (i > 0 && s[i - 1] == '\r'), "an LF without CR at %zu", i);
    line = c == '\n' ? 0 : line + 1;
    FUZZ_ASSERT(line <= 999, "a line over 998 octets at %zu", i); /* 998 and the CR */
  }
  FUZZ_ASSERT(n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n', "the message does not end with CRLF");

  /* The header: only fields the writer writes, each line one of them or
   * a continuation. */
  static const char *const FIELDS[] = {"Date:", "From:", "To:", "Subject:", "Message-ID:",
                                       "MIME-Version:", "Content-Type:",
                                       "Content-Transfer-Encoding:"};
  const char *end = find(s, n, "\r\n\r\n");
  FUZZ_ASSERT(end, "no end of the header");
  for (const char *l = s; l < end + 2;) {
    const char *eol = find(l, (size_t)(end + 2 - l), "\r\n");
    bool known = *l == ' ' || *l == '\t';
    for (size_t f = 0; f < sizeof FIELDS / sizeof *FIELDS && !known; f++)
      known = strncmp(l, FIELDS[f], strlen(FIELDS[f])) == 0;
    FUZZ_ASSERT(known, "a header line the writer does not write: %.*s", (int)(eol - l), l);
    l = eol + 2;
  }

  const char *content = end + 4;
  if (!m->attachment_count) {
    check_text_part(content, (size_t)(s + n - content), m->body);
    return;
  }
  /* The boundary of the message's own Content-Type field: a subject may
   * hold the same words. */
  static const char MULTIPART[] = "\r\nContent-Type: multipart/mixed;\r\n boundary=\"";
  const char *b = find(s, (size_t)(end - s), MULTIPART);
  FUZZ_ASSERT(b, "a multipart message without a boundary");
  b += strlen(MULTIPART);
  const char *b_end = memchr(b, '"', (size_t)(end - b));
  FUZZ_ASSERT(b_end, "an unterminated boundary");
  char delimiter[80];
  FUZZ_ASSERT(b_end - b < 70, "a boundary of %d octets", (int)(b_end - b));
  snprintf(delimiter, sizeof delimiter, "\r\n--%.*s", (int)(b_end - b), b);
  /* The body starts "--boundary"; treat it as if a CRLF came before. */
  const char *part = find(content, (size_t)(s + n - content), delimiter + 2);
  FUZZ_ASSERT(part == content, "the body does not start with the boundary");
  part += strlen(delimiter) - 2;
  for (size_t i = 0; i <= m->attachment_count; i++) {
    FUZZ_ASSERT(part[0] == '\r' && part[1] == '\n', "a delimiter line with more on it");
    const char *head = part + 2;
    const char *next = find(head, (size_t)(s + n - head), delimiter);
    FUZZ_ASSERT(next, "part %zu is not closed", i);
    const char *blank = find(head, (size_t)(next - head), "\r\n\r\n");
    FUZZ_ASSERT(blank, "part %zu has no header end", i);
    const char *data = blank + 4;
    if (i == 0) {
      check_text_part(data, (size_t)(next - data), m->body);
    } else {
      lr_buf decoded = {0};
      const lr_attachment *a = &m->attachments[i - 1];
      FUZZ_ASSERT(base64_decode(data, (size_t)(next - data), &decoded), "attachment %zu is not base64", i);
      FUZZ_ASSERT(decoded.len == a->size && (!a->size || memcmp(decoded.data, a->data, a->size) == 0),
                  "attachment %zu decodes to something else", i);
      lr_buf_free(&decoded);
    }
    part = next + strlen(delimiter);
  }
  FUZZ_ASSERT(strcmp(part, "--\r\n") == 0, "the message does not end with the close delimiter");
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
  fuzz_sections sections = fuzz_split(bytes, size);
  lr_message m = {.message_id = "2022.aneby@lagesrapport.example", .date = 1681291800};
  lr_mailbox to[MAX_RECIPIENTS];
  lr_attachment attachments[MAX_ATTACHMENTS];
  size_t to_count = 0;
  for (size_t i = 0; i < sections.count; i++) {
    fuzz_section *sec = &sections.items[i];
    if (strcmp(sec->name, "from") == 0) {
      m.from = mailbox(sec->text);
    } else if (strcmp(sec->name, "to") == 0 && to_count < MAX_RECIPIENTS) {
      to[to_count++] = mailbox(sec->text);
    } else if (strcmp(sec->name, "subject") == 0) {
      m.subject = sec->text;
    } else if (strcmp(sec->name, "body") == 0) {
      m.body = sec->text;
    } else if (strcmp(sec->name, "id") == 0) {
      m.message_id = sec->text;
    } else if (strcmp(sec->name, "date") == 0) {
      m.date = strtoll(sec->text, NULL, 10);
    } else if (strcmp(sec->name, "attachment") == 0 && m.attachment_count < MAX_ATTACHMENTS) {
      char *name = (char *)sec->text, *type = strchr(name, '\n');
      char *content = type ? strchr(type + 1, '\n') : NULL;
      if (type) *type++ = '\0';
      if (content) *content++ = '\0';
      lr_attachment *a = &attachments[m.attachment_count++];
      a->filename = name;
      a->content_type = type && *type ? type : NULL;
      a->data = content ? content : "";
      a->size = content ? sec->size - (size_t)(content - sec->text) : 0;
    }
  }
  m.to = to;
  m.to_count = to_count;
  m.attachments = attachments;

  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_buf out = {0};
  lr_buf_puts(&out, "before");
  bool ok = lr_message_write(&m, &out, &diags);
  FUZZ_ASSERT(ok == (diags.errors == 0), "written %s with %zu errors", ok ? "yes" : "no", diags.errors);
  if (!ok) {
    FUZZ_ASSERT(out.len == 6 && memcmp(out.data, "before", 6) == 0, "a refused message was written");
  } else {
    check_written(&m, out.data + 6, out.len - 6);
    lr_buf again = {0};
    FUZZ_ASSERT(lr_message_write(&m, &again, &diags), "a second write failed");
    FUZZ_ASSERT(again.len == out.len - 6 && memcmp(again.data, out.data + 6, again.len) == 0,
                "the same message gave other bytes");
    lr_buf_free(&again);
  }
  lr_buf_free(&out);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
  fuzz_sections_free(&sections);
  return 0;
}
