/* E-mail messages as bytes: an RFC 5322 header with RFC 2047 encoded words
 * and a MIME body (RFC 2045-2049, RFC 2231 file names). Everything is
 * derived from the lr_message alone — no clock, locale or randomness — so
 * the .eml an officer reviews is byte for byte what is later sent, and
 * nothing a caller passes in can add a header of its own. */
#include "mime/mime.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
  LINE_LIMIT = 78,       /* RFC 5322 2.1.1: lines SHOULD be no longer */
  HARD_LINE_LIMIT = 998, /* RFC 5322 2.1.1: lines MUST be no longer */
  ENCODED_WORD_MAX = 75, /* RFC 2047 2 */
  BODY_LINE_MAX = 76,    /* RFC 2045 6.7 and 6.8 */
  /* A plain word longer than this might not fit on a line even after
   * folding, so text with one is encoded (encoded words can be split). */
  WORD_MAX = LINE_LIMIT - 10,
  /* "=?utf-8?Q?" and "?=" around the longest character, "=F0=9F=98=80". */
  ENCODED_WORD_MIN = 24,
  BASE64_LINE_INPUT = BODY_LINE_MAX / 4 * 3,
  BOUNDARY_SIZE = 40,
};

static const char HEX_DIGITS[] = "0123456789ABCDEF";

/* ---- characters ------------------------------------------------------ */

/* Locale-free classes: isalnum() would follow setlocale(). */
static bool is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* RFC 5322 3.2.3 */
static bool is_atext(unsigned char c) {
  return is_alnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_length(const unsigned char *p, size_t left) {
  size_t n;
  if (p[0] < 0x80) return 1;
  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    n = 2;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF)
    n = 3;
  else if (p[0] >= 0xF0 && p[0] <= 0xF4)
    n = 4;
  else
    return 0;
  if (left < n) return 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
      (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
    return 0;
  return n;
}

static bool utf8_is_valid(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  size_t left = strlen(s);
  while (left) {
    size_t n = utf8_length(p, left);
    if (!n) return false;
    p += n;
    left -= n;
  }
  return true;
}

/* ---- validation ------------------------------------------------------ */

static bool is_dot_atom(const char *s, size_t n) {
  if (n == 0 || s[0] == '.' || s[n - 1] == '.') return false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!is_atext((unsigned char)s[i])) {
      return false;
    }
  }
  return true;
}

/* Letters, digits and hyphens in labels of 1-63 octets (RFC 1035 2.3.1). A
 * bare single label is refused except "localhost": it is almost always a
 * typo ("anna@aneby") that a relay would resolve unpredictably. */
static bool is_host_name(const char *s) {
  size_t total = strlen(s), labels = 0;
  if (total == 0 || total > 253) return false;
  for (const char *p = s;;) {
    size_t n = strcspn(p, ".");
    if (n == 0 || n > 63 || p[0] == '-' || p[n - 1] == '-') return false;
    for (size_t i = 0; i < n; i++)
      if (!is_alnum((unsigned char)p[i]) && p[i] != '-') return false;
    labels++;
    if (!p[n]) break;
    p += n + 1;
  }
  if (labels >= 2) return true;
  static const char localhost[] = "localhost";
  if (total != sizeof localhost - 1) return false;
  for (size_t i = 0; i < total; i++)
    if ((s[i] | 0x20) != localhost[i]) return false;
  return true;
}

bool lr_mailbox_is_valid(const char *address) {
  if (!address) return false;
  const char *at = strchr(address, '@');
  if (!at) return false;
  size_t local = (size_t)(at - address);
  /* RFC 5321 4.5.3.1: 64 octets of local part, 254 in all on the wire. */
  if (local > 64 || strlen(address) > 254) return false;
  return is_dot_atom(address, local) && is_host_name(at + 1);
}

bool lr_mailbox_parse(lr_arena *arena, const char *s, lr_mailbox *out) {
  const char *lt = strrchr(s, '<'), *gt = strrchr(s, '>');
  const char *name = NULL, *address = s;
  if (lt && gt && gt > lt && gt[1] == '\0') {
    size_t n = (size_t)(lt - s);
    while (n && s[n - 1] == ' ') n--;
    name = n ? lr_arena_strndup(arena, s, n) : NULL;
    address = lr_arena_strndup(arena, lt + 1, (size_t)(gt - lt - 1));
  }
  if (name && name[0] == '"' && strlen(name) >= 2 && name[strlen(name) - 1] == '"')
    name = lr_arena_strndup(arena, name + 1, strlen(name) - 2);
  out->name = name;
  out->address = address;
  return lr_mailbox_is_valid(address) && !(name && strpbrk(name, "<>\""));
}

bool lr_text_is_header_safe(const char *s) {
  if (!s) return true;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F) return false;
  return true;
}

/* RFC 2045 5.1: token = 1*<any CHAR except SPACE, CTLs or tspecials>. */
static size_t token_length(const char *s) {
  size_t n = 0;
  while (s[n] > 0x20 && s[n] < 0x7F && !strchr("()<>@,;:\\\"/[]?=", s[n])) n++;
  return n;
}

/* "type/subtype", optionally followed by ";" and parameters the caller
 * wrote; those are only checked for being printable ASCII. */
static bool is_content_type(const char *s) {
  /* It is written whole on the Content-Type line, which must fit in the
   * hard line limit with the field's name and the ";" after it. */
  if (strlen(s) > HARD_LINE_LIMIT - (sizeof "Content-Type: ;" - 1)) return false;
  size_t type = token_length(s);
  if (!type || s[type] != '/') return false;
  const char *rest = s + type + 1;
  size_t subtype = token_length(rest);
  if (!subtype) return false;
  rest += subtype;
  if (*rest && *rest != ';') return false;
  for (; *rest; rest++)
    if (*rest < 0x20 || *rest > 0x7E) return false;
  return true;
}

/* s as a one-line diagnostic can show it: control characters escaped. */
static const char *shown(lr_diag_list *diags, const char *s) {
  lr_buf b = {0};
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\r')
      lr_buf_puts(&b, "\\r");
    else if (*p == '\n')
      lr_buf_puts(&b, "\\n");
    else if (*p == '\t')
      lr_buf_puts(&b, "\\t");
    else if (*p < 0x20 || *p == 0x7F)
      lr_buf_printf(&b, "\\x%02X", *p);
    else
      lr_buf_putc(&b, (char)*p);
  }
  const char *copy = lr_arena_strdup(diags->arena, b.len ? b.data : "");
  lr_buf_free(&b);
  return copy;
}

static const lr_loc NOWHERE = {NULL, 0, 0};

/* A line break in a header field would let "Anna\r\nBcc: x@evil.example"
 * add a header of the sender's choosing, so such text is refused, never
 * repaired. */
static bool check_header_text(lr_diag_list *diags, const char *what,
                              const char *s) {
  if (!lr_text_is_header_safe(s)) {
    lr_diag *d =
        lr_diag_add(diags, LR_ERROR, NOWHERE,
                    "%s innehåller radbrytning eller styrtecken: \"%s\"", what,
                    shown(diags, s));
    lr_diag_hint(
        diags, d,
        "ett rubrikfält i e-post är en enda rad; ta bort radbrytningar "
        "och tabbtecken");
    return false;
  }
  if (!utf8_is_valid(s)) {
    lr_diag_add(diags, LR_ERROR, NOWHERE, "%s är inte giltig UTF-8", what);
    return false;
  }
  return true;
}

static bool check_address(lr_diag_list *diags, const char *what,
                          const char *address) {
  if (!address || !*address) {
    lr_diag_add(diags, LR_ERROR, NOWHERE, "%s saknas", what);
    return false;
  }
  if (!check_header_text(diags, what, address)) return false;
  if (!lr_mailbox_is_valid(address)) {
    lr_diag *d =
        lr_diag_add(diags, LR_ERROR, NOWHERE,
                    "%s \"%s\" är inte en giltig e-postadress", what, address);
    lr_diag_hint(diags, d,
                 "skriv bara adressen, som kvinnofrid@kommun.se, utan namn, "
                 "<>, mellanslag eller å/ä/ö");
    return false;
  }
  return true;
}

static bool check_mailbox(lr_diag_list *diags, const char *who,
                          const lr_mailbox *mailbox) {
  char what[96];
  snprintf(what, sizeof what, "%s namn", who);
  bool ok = !mailbox->name || check_header_text(diags, what, mailbox->name);
  snprintf(what, sizeof what, "%s adress", who);
  return check_address(diags, what, mailbox->address) && ok;
}

/* The last second RFC 5322 can write: its years have four digits. */
static const long long LAST_DATE = 253402300799LL; /* 9999-12-31T23:59:59Z */

/* A msg-id as lagesrapport writes them: dot-atom@dot-atom, short enough
 * for one header line. */
static void check_message_id(lr_diag_list *diags, const char *field, const char *id) {
  const char *at = strrchr(id, '@');
  if (check_header_text(diags, field, id) &&
      (!at || !is_dot_atom(id, (size_t)(at - id)) || !is_dot_atom(at + 1, strlen(at + 1)) ||
       strlen(id) > HARD_LINE_LIMIT - 20)) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, NOWHERE, "ogiltigt %s \"%s\"", field, id);
    lr_diag_hint(diags, d,
                 "formen är vänster@höger, till exempel "
                 "2022.aneby@lagesrapport.example, utan <>");
  }
}

static bool check_message(const lr_message *m, lr_diag_list *diags) {
  size_t errors = diags->errors;
  check_mailbox(diags, "avsändarens", &m->from);
  if (!m->to || m->to_count == 0)
    lr_diag_add(diags, LR_ERROR, NOWHERE, "meddelandet saknar mottagare");
  for (size_t i = 0; m->to && i < m->to_count; i++) {
    char who[64];
    snprintf(who, sizeof who, "mottagare %zu:s", i + 1);
    check_mailbox(diags, who, &m->to[i]);
  }
  if (m->subject) check_header_text(diags, "ämnesraden", m->subject);
  if (m->body && !utf8_is_valid(m->body))
    lr_diag_add(diags, LR_ERROR, NOWHERE, "brödtexten är inte giltig UTF-8");

  if (!m->message_id || !*m->message_id)
    lr_diag_add(diags, LR_ERROR, NOWHERE, "meddelandet saknar Message-ID");
  else
    check_message_id(diags, "Message-ID", m->message_id);
  if (m->in_reply_to) check_message_id(diags, "In-Reply-To", m->in_reply_to);

  if (m->date < 0 || m->date > LAST_DATE)
    lr_diag_add(diags, LR_ERROR, NOWHERE,
                "datumet %lld ligger utanför åren 1970–9999", m->date);

  for (size_t i = 0; i < m->attachment_count; i++) {
    const lr_attachment *a = &m->attachments[i];
    char what[64];
    snprintf(what, sizeof what, "filnamnet för bilaga %zu", i + 1);
    if (!a->filename || !*a->filename)
      lr_diag_add(diags, LR_ERROR, NOWHERE, "%s saknas", what);
    else
      check_header_text(diags, what, a->filename);
    if (a->content_type && (!lr_text_is_header_safe(a->content_type) ||
                            !is_content_type(a->content_type)))
      lr_diag_add(diags, LR_ERROR, NOWHERE,
                  "ogiltig innehållstyp \"%s\" för bilaga %zu",
                  shown(diags, a->content_type), i + 1);
    if (!a->data && a->size)
      lr_diag_add(diags, LR_ERROR, NOWHERE, "bilaga %zu saknar innehåll",
                  i + 1);
  }
  return diags->errors == errors;
}

/* ---- encodings ------------------------------------------------------- */

static void base64_lines(lr_buf *out, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i += BASE64_LINE_INPUT) {
    if (i) lr_buf_puts(out, "\r\n");
    size_t chunk = n - i < BASE64_LINE_INPUT ? n - i : BASE64_LINE_INPUT;
    lr_buf_put_base64(out, p + i, chunk);
  }
}

static void hex_put(lr_buf *out, char prefix, unsigned char c) {
  char triplet[3] = {prefix, HEX_DIGITS[c >> 4], HEX_DIGITS[c & 15]};
  lr_buf_put(out, triplet, 3);
}

/* RFC 2047 5 (3): the characters a "Q" word may carry as themselves even
 * inside a phrase; one set serves subjects and display names alike. */
static bool q_literal(unsigned char c) {
  return is_alnum(c) || c == '!' || c == '*' || c == '+' || c == '-' ||
         c == '/';
}

static size_t q_cost(unsigned char c) {
  return c == ' ' || q_literal(c) ? 1 : 3;
}

static void q_put(lr_buf *out, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] == ' ')
      lr_buf_putc(out, '_');
    else if (q_literal(p[i]))
      lr_buf_putc(out, (char)p[i]);
    else
      hex_put(out, '=', p[i]);
  }
}

/* One line of text (without its line break) as quoted-printable. A line
 * that starts with "." or "From " is encoded there too: a few relays and
 * every mbox file mangle such lines. soft_end: a soft line break will
 * follow the line, so its last character must leave room for the "=". */
static void qp_line(lr_buf *out, const unsigned char *s, size_t n, bool soft_end) {
  size_t col = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    bool last = i + 1 == n && !soft_end;
    /* Trailing white space is encoded: transports may strip it. */
    bool literal =
        (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
    size_t width = literal ? 1 : 3;
    /* Leave room for the "=" of a soft line break unless the line ends. */
    if (col + width > (last ? BODY_LINE_MAX : BODY_LINE_MAX - 1u)) {
      lr_buf_puts(out, "=\r\n");
      col = 0;
    }
    if (col == 0 && (c == '.' || (c == 'F' && n - i >= 5 &&
                                  memcmp(s + i, "From ", 5) == 0))) {
      literal = false;
      width = 3;
    }
    if (literal)
      lr_buf_putc(out, (char)c);
    else
      hex_put(out, '=', c);
    col += width;
  }
}

/* Text with LF, CRLF or lone CR line ends, as quoted-printable with CRLF
 * hard line breaks. Returns whether the text ended with a line break;
 * soft_end: if it does not, the caller ends it with a soft line break. */
static bool qp_text(lr_buf *out, const char *text, bool soft_end) {
  const unsigned char *p = (const unsigned char *)text;
  while (*p) {
    size_t n = strcspn((const char *)p, "\r\n");
    qp_line(out, p, n, soft_end && !p[n]);
    p += n;
    if (!*p) return false;
    lr_buf_puts(out, "\r\n");
    p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
  }
  return true;
}

/* ---- header fields --------------------------------------------------- */

typedef struct field {
  lr_buf *out;
  size_t col;    /* octets on the current line */
  bool has_word; /* a word follows the field name on this line */
} field;

static void field_start(field *f, lr_buf *out, const char *name) {
  f->out = out;
  lr_buf_printf(out, "%s:", name);
  f->col = strlen(name) + 1;
  f->has_word = false;
}

/* Adds " word", folding before the space when the line would outgrow
 * LINE_LIMIT. Folding only ever turns an existing space into CRLF + space,
 * so unfolding (RFC 5322 2.2.3) gives back the field exactly. */
static void field_word(field *f, const char *word, size_t n) {
  if (f->has_word && f->col + 1 + n > LINE_LIMIT) {
    lr_buf_puts(f->out, "\r\n");
    f->col = 0;
  }
  lr_buf_putc(f->out, ' ');
  lr_buf_put(f->out, word, n);
  f->col += 1 + n;
  f->has_word = true;
}

static void field_end(field *f) { lr_buf_puts(f->out, "\r\n"); }

/* "=?" or "?=" in plain text could be taken for part of an encoded word. */
static bool looks_encoded(const char *w, size_t n) {
  for (size_t i = 0; i + 1 < n; i++)
    if ((w[i] == '=' && w[i + 1] == '?') || (w[i] == '?' && w[i + 1] == '='))
      return true;
  return false;
}

/* A word of unstructured text (Subject) that can go out as it is. The
 * length limit keeps every plain word foldable onto a line of its own. */
static bool is_plain_text_word(const char *w, size_t n) {
  if (n > WORD_MAX || looks_encoded(w, n)) return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)w[i] <= 0x20 || (unsigned char)w[i] >= 0x7F)
      return false;
  return true;
}

/* A word of a display name that can go out as an atom (RFC 5322 3.2.3). */
static bool is_atom_word(const char *w, size_t n) {
  if (n == 0 || n > WORD_MAX || looks_encoded(w, n)) return false;
  for (size_t i = 0; i < n; i++)
    if (!is_atext((unsigned char)w[i])) return false;
  return true;
}

/* Whether splitting at spaces and rejoining with one space gives s back:
 * no leading, trailing or repeated spaces. */
static bool has_single_spaces(const char *s) {
  size_t n = strlen(s);
  if (n && (s[0] == ' ' || s[n - 1] == ' ')) return false;
  return !strstr(s, "  ");
}

static size_t encoded_cost(const unsigned char *s, size_t n, bool b) {
  if (b) return (n + 2) / 3 * 4;
  size_t cost = 0;
  for (size_t i = 0; i < n; i++) cost += q_cost(s[i]);
  return cost;
}

/* n octets of text as RFC 2047 encoded words. One word is better than
 * several: some decoders (Python's address parser among them) put a space
 * between adjacent words, against RFC 2047 6.2. Then "Q", which keeps
 * Swedish readable in a raw .eml, unless "B" is a fifth shorter (text
 * mostly outside Latin script). */
static void field_encoded(field *f, const char *text, size_t n) {
  const unsigned char *s = (const unsigned char *)text;
  const size_t frame = strlen("=?utf-8?Q?") + strlen("?=");
  size_t q = frame + encoded_cost(s, n, false);
  size_t b64 = frame + encoded_cost(s, n, true);
  bool b = b64 * 5 < q * 4 || (q > ENCODED_WORD_MAX && b64 <= ENCODED_WORD_MAX);
  lr_buf word = {0};
  for (size_t i = 0; i < n;) {
    size_t room = f->col + 1 < LINE_LIMIT ? LINE_LIMIT - f->col - 1 : 0;
    /* Fold rather than split when the rest fits in one word on a fresh
     * line. */
    size_t rest = frame + encoded_cost(s + i, n - i, b);
    if (f->has_word &&
        (room < ENCODED_WORD_MIN || (rest > room && rest <= ENCODED_WORD_MAX)))
      room = LINE_LIMIT - 1;
    size_t limit = room < ENCODED_WORD_MAX ? room : ENCODED_WORD_MAX;
    if (limit < ENCODED_WORD_MIN) limit = ENCODED_WORD_MIN;
    /* Whole characters only: RFC 2047 5 forbids splitting one. */
    size_t start = i, cost = 0;
    while (i < n) {
      size_t len = utf8_length(s + i, n - i);
      size_t next = b ? encoded_cost(s + start, i + len - start, true)
                      : cost + encoded_cost(s + i, len, false);
      if (frame + next > limit && i > start) break;
      cost = next;
      i += len;
    }
    lr_buf_clear(&word);
    lr_buf_puts(&word, b ? "=?utf-8?B?" : "=?utf-8?Q?");
    if (b)
      lr_buf_put_base64(&word, s + start, i - start);
    else
      q_put(&word, s + start, i - start);
    lr_buf_puts(&word, "?=");
    field_word(f, word.data, word.len);
  }
  lr_buf_free(&word);
}

/* Writes text word by word: words a reader can take as they are stay
 * plain, and each run of other words becomes encoded words, with the
 * spaces inside the run (white space between two encoded words is dropped
 * on decoding, RFC 2047 6.2). Text whose spacing would not survive being
 * split at spaces is encoded whole. */
static void field_text(field *f, const char *s,
                       bool (*plain)(const char *, size_t)) {
  if (!has_single_spaces(s)) {
    field_encoded(f, s, strlen(s));
    return;
  }
  const char *p = s;
  while (*p) {
    size_t n = strcspn(p, " ");
    if (plain(p, n)) {
      field_word(f, p, n);
      p += n + (p[n] == ' ');
      continue;
    }
    const char *run = p, *end = p + n;
    p = end + (*end == ' ');
    while (*p) {
      size_t k = strcspn(p, " ");
      if (plain(p, k)) break;
      end = p + k;
      p = end + (*end == ' ');
    }
    field_encoded(f, run, (size_t)(end - run));
  }
}

/* RFC 5322 3.2.4: a quoted-string, with " and \ escaped. */
static void quoted_put(lr_buf *out, const char *s) {
  lr_buf_putc(out, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') lr_buf_putc(out, '\\');
    lr_buf_putc(out, *s);
  }
  lr_buf_putc(out, '"');
}

static size_t quoted_length(const char *s) {
  size_t n = 2;
  for (; *s; s++) n += *s == '"' || *s == '\\' ? 2 : 1;
  return n;
}

/* A display name is a phrase (RFC 5322 3.2.5): plain atoms where it can
 * be, a quoted-string for other ASCII ("Andersson, Anna"), encoded words
 * for the rest. */
static void field_display_name(field *f, const char *name) {
  size_t n = strlen(name);
  bool printable = true;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] >= 0x7F)
      printable = false;
  bool atoms = has_single_spaces(name);
  for (const char *p = name; atoms && *p;) {
    size_t k = strcspn(p, " ");
    atoms = is_atom_word(p, k);
    p += k + (p[k] == ' ');
  }
  if (!atoms && printable && !looks_encoded(name, n) &&
      quoted_length(name) <= WORD_MAX) {
    lr_buf token = {0};
    quoted_put(&token, name);
    field_word(f, token.data, token.len);
    lr_buf_free(&token);
  } else {
    field_text(f, name, is_atom_word);
  }
}

static void field_mailbox(field *f, const lr_mailbox *mailbox, bool more) {
  lr_buf token = {0};
  if (mailbox->name && *mailbox->name) {
    field_display_name(f, mailbox->name);
    lr_buf_printf(&token, "<%s>", mailbox->address);
  } else {
    lr_buf_puts(&token, mailbox->address);
  }
  if (more) lr_buf_putc(&token, ',');
  field_word(f, token.data, token.len);
  lr_buf_free(&token);
}

/* RFC 5987's attr-char: what an RFC 2231 value may carry unencoded. */
static bool is_attr_char(unsigned char c) {
  return is_alnum(c) || (c && strchr("!#$&+-.^_`|~", c));
}

/* A parameter such as filename: attribute="value" for a short printable
 * ASCII value (what every client reads), otherwise RFC 2231's
 * attribute*=utf-8''percent-encoding, in numbered sections (*0*, *1*, …)
 * when it would not fit on one line. */
static void field_parameter(field *f, const char *attribute,
                            const char *value) {
  size_t n = strlen(value);
  lr_buf token = {0};
  bool printable = true;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)value[i] < 0x20 || (unsigned char)value[i] > 0x7E)
      printable = false;
  if (printable && !looks_encoded(value, n) &&
      strlen(attribute) + 1 + quoted_length(value) < LINE_LIMIT) {
    lr_buf_printf(&token, "%s=", attribute);
    quoted_put(&token, value);
    field_word(f, token.data, token.len);
    lr_buf_free(&token);
    return;
  }

  lr_buf encoded = {0};
  const unsigned char *s = (const unsigned char *)value;
  /* Offsets in encoded where each character starts, so a section never
   * splits a %XX triplet or a UTF-8 sequence. */
  size_t *starts = lr_xmalloc((n + 1) * sizeof *starts);
  size_t chars = 0;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_length(s + i, n - i);
    starts[chars++] = encoded.len;
    for (size_t k = 0; k < len; k++) {
      if (is_attr_char(s[i + k]))
        lr_buf_putc(&encoded, (char)s[i + k]);
      else
        hex_put(&encoded, '%', s[i + k]);
    }
    i += len;
  }
  starts[chars] = encoded.len;

  if (strlen(attribute) + strlen("*=utf-8''") + encoded.len < LINE_LIMIT) {
    lr_buf_printf(&token, "%s*=utf-8''%s", attribute, lr_buf_cstr(&encoded));
    field_word(f, token.data, token.len);
  } else {
    size_t c = 0;
    for (unsigned section = 0; c < chars; section++) {
      lr_buf_clear(&token);
      lr_buf_printf(&token, "%s*%u*=%s", attribute, section,
                    section ? "" : "utf-8''");
      size_t first = c++;
      /* + 1 keeps room for the ";" between sections. */
      while (c < chars &&
             token.len + (starts[c + 1] - starts[first]) + 1 < LINE_LIMIT)
        c++;
      lr_buf_put(&token, encoded.data + starts[first],
                 starts[c] - starts[first]);
      if (c < chars) lr_buf_putc(&token, ';');
      field_word(f, token.data, token.len);
    }
  }
  free(starts);
  lr_buf_free(&encoded);
  lr_buf_free(&token);
}

/* RFC 5322 3.3, always in UTC: the same message gives the same bytes in
 * any time zone. Month and day names are fixed English by the RFC. */
static void put_date(lr_buf *out, long long date) {
  static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed",
                                  "Thu", "Fri", "Sat"};
  static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = (time_t)date;
  struct tm tm;
  if (!gmtime_r(&t, &tm)) memset(&tm, 0, sizeof tm); /* range checked */
  lr_buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
                days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void put_headers(const lr_message *m, lr_buf *out) {
  field f;
  put_date(out, m->date);
  field_start(&f, out, "From");
  field_mailbox(&f, &m->from, false);
  field_end(&f);
  field_start(&f, out, "To");
  for (size_t i = 0; i < m->to_count; i++)
    field_mailbox(&f, &m->to[i], i + 1 < m->to_count);
  field_end(&f);
  if (m->subject) {
    field_start(&f, out, "Subject");
    field_text(&f, m->subject, is_plain_text_word);
    field_end(&f);
  }
  lr_buf_printf(out, "Message-ID: <%s>\r\n", m->message_id);
  /* Both, so that every mail program threads the reply with its form. */
  if (m->in_reply_to)
    lr_buf_printf(out, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", m->in_reply_to,
                  m->in_reply_to);
  lr_buf_puts(out, "MIME-Version: 1.0\r\n");
}

static void put_text_part_headers(lr_buf *out) {
  lr_buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable\r\n");
}

static void put_attachment_part(const lr_attachment *a, lr_buf *out) {
  field f;
  field_start(&f, out, "Content-Type");
  lr_buf token = {0};
  lr_buf_printf(&token, "%s;",
                a->content_type ? a->content_type : "application/octet-stream");
  field_word(&f, token.data, token.len);
  lr_buf_free(&token);
  /* name= as well as filename=: some clients read only this one. */
  field_parameter(&f, "name", a->filename);
  field_end(&f);
  field_start(&f, out, "Content-Disposition");
  field_word(&f, "attachment;", strlen("attachment;"));
  field_parameter(&f, "filename", a->filename);
  field_end(&f);
  lr_buf_puts(out, "Content-Transfer-Encoding: base64\r\n\r\n");
  base64_lines(out, (const unsigned char *)a->data, a->size);
}

/* ---- multipart ------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3u;
  }
  return h;
}

static bool contains(const char *hay, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0) return true;
  return false;
}

/* A boundary made from a hash of the parts, so the same message always
 * gets the same one. "=_" never occurs in quoted-printable or base64, but
 * part headers carry file names, so every part is checked and the
 * boundary changed until none contains it. */
static void choose_boundary(const lr_buf *parts, size_t count,
                            const char *message_id,
                            char boundary[BOUNDARY_SIZE]) {
  uint64_t h = fnv1a(0xcbf29ce484222325u, message_id, strlen(message_id));
  for (size_t i = 0; i < count; i++) h = fnv1a(h, parts[i].data, parts[i].len);
  for (unsigned attempt = 0;; attempt++) {
    snprintf(boundary, BOUNDARY_SIZE, "=_lr_%016" PRIx64 "_%u", h, attempt);
    bool clash = false;
    for (size_t i = 0; i < count && !clash; i++)
      clash = contains(parts[i].data, parts[i].len, boundary);
    if (!clash) return;
  }
}

static void put_multipart(const lr_message *m, lr_buf *out) {
  size_t count = 1 + m->attachment_count;
  lr_buf *parts = lr_xmalloc(count * sizeof *parts);
  memset(parts, 0, count * sizeof *parts);
  put_text_part_headers(&parts[0]);
  lr_buf_puts(&parts[0], "\r\n");
  qp_text(&parts[0], m->body ? m->body : "", false);
  for (size_t i = 0; i < m->attachment_count; i++)
    put_attachment_part(&m->attachments[i], &parts[i + 1]);

  char boundary[BOUNDARY_SIZE];
  choose_boundary(parts, count, m->message_id, boundary);
  lr_buf_printf(out,
                "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n",
                boundary);
  /* RFC 2046 5.1.1: the CRLF before "--" belongs to the delimiter, so
   * each part's content is written without a line break of its own. */
  for (size_t i = 0; i < count; i++) {
    lr_buf_printf(out, "--%s\r\n", boundary);
    lr_buf_put(out, parts[i].data, parts[i].len);
    lr_buf_puts(out, "\r\n");
    lr_buf_free(&parts[i]);
  }
  lr_buf_printf(out, "--%s--\r\n", boundary);
  free(parts);
}

bool lr_message_write(const lr_message *m, lr_buf *out, lr_diag_list *diags) {
  if (!check_message(m, diags)) return false;
  put_headers(m, out);
  if (m->attachment_count) {
    put_multipart(m, out);
    return true;
  }
  put_text_part_headers(out);
  lr_buf_puts(out, "\r\n");
  /* SMTP needs the data to end with CRLF; a soft line break adds one
   * without adding a line break to the text. */
  if (!qp_text(out, m->body ? m->body : "", true)) lr_buf_puts(out, "=\r\n");
  return true;
}
