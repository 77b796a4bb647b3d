/* YAML syntax errors told where the user made them, in Swedish.
 *
 * libyaml reports where it noticed a problem, in English, and that is
 * often lines after the mistake: a key without its colon is noticed on the
 * next line, a quote inside a quoted text where the text goes on. This file
 * reads the source around libyaml's mark to find the place to fix, and
 * says what to write there. Nothing of libyaml's English reaches the user. */
#include "yaml/yaml.h"

#include <string.h>

/* A line of the text: its bytes, without the line break. */
typedef struct text_line {
  const char *at;
  size_t len;
} text_line;

static bool line_of(const char *text, size_t size, int line, text_line *out) {
  size_t i = 0;
  for (int l = 1; l < line; l++) {
    while (i < size && text[i] != '\n' && text[i] != '\r') i++;
    if (i >= size) return false;
    if (text[i] == '\r' && i + 1 < size && text[i + 1] == '\n') i++;
    i++;
  }
  if (i > size) return false;
  size_t end = i;
  while (end < size && text[end] != '\n' && text[end] != '\r') end++;
  out->at = text + i;
  out->len = end - i;
  return true;
}

/* Byte offset in the line of a 1-based column counted in characters. */
static size_t byte_of_column(text_line l, int column) {
  size_t at = 0;
  for (int c = 1; c < column && at < l.len; c++) {
    size_t len;
    lr_char_decode(l.at + at, l.len - at, &len);
    at += len;
  }
  return at;
}

static int column_of_byte(text_line l, size_t offset) {
  int column = 1;
  for (size_t at = 0, len; at < offset && at < l.len; at += len, column++)
    lr_char_decode(l.at + at, l.len - at, &len);
  return column;
}

/* Column of the first character that is not a space, 0 on a blank line. */
static int first_column(text_line l) {
  size_t i = 0;
  while (i < l.len && l.at[i] == ' ') i++;
  return i < l.len ? (int)i + 1 : 0;
}

static const char *trimmed(lr_arena *arena, const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  /* A hint quotes the start of a long value, never a whole paragraph. */
  if (n > 60) {
    size_t cut = 50;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    return lr_arena_printf(arena, "%.*s …", (int)cut, s);
  }
  return lr_arena_strndup(arena, s, n);
}

/* libyaml's problems in Swedish, for those no case below explains better. */
static const char *translate_problem(const char *problem) {
  static const struct { const char *en, *sv; } table[] = {
      {"mapping values are not allowed in this context", "kolon på fel ställe"},
      {"did not find expected key", "hittade inte en nyckel där en väntades"},
      {"did not find expected '-' indicator", "hittade inte \"-\" där nästa listpunkt väntades"},
      {"could not find expected ':'", "hittade inte \":\" efter nyckeln"},
      {"found character that cannot start any token", "tecknet kan inte inleda ett värde"},
      {"found unexpected end of stream", "filen tar slut mitt i ett värde"},
      {"did not find expected ',' or ']'", "hittade inte \",\" eller \"]\" i listan"},
      {"did not find expected ',' or '}'", "hittade inte \",\" eller \"}\" i mappningen"},
      {"found a tab character that violates indentation", "tabbtecken i indraget"},
      {"found a tab character where an indentation space is expected", "tabbtecken i indraget"},
      {"found undefined tag handle", "okänd tagg"},
      {"did not find expected node content", "hittade inget värde där ett väntades"},
      {"block sequence entries are not allowed in this context", "en listpunkt \"-\" på fel ställe"},
      {"mapping keys are not allowed in this context", "en nyckel på fel ställe"},
      {"found unknown escape character", "okänd escape-sekvens i text inom dubbla citattecken"},
      {"found invalid Unicode character escape code", "ogiltig \\u-sekvens i text inom dubbla citattecken"},
      {"did not find expected hexdecimal number", "ogiltig \\x- eller \\u-sekvens i text inom dubbla citattecken"},
      {"control characters are not allowed", "filen innehåller otillåtna kontrolltecken"},
      {"did not find expected comment or line break", "oväntad text i slutet av raden"},
      {"found unexpected document indicator", "\"---\" eller \"...\" mitt i ett värde"},
      {"did not find expected <document start>", "oväntad text efter dokumentets slut"},
      {"found an indentation indicator equal to 0", "indragsangivelsen efter \"|\" eller \">\" får inte vara 0"},
      {"found duplicate %YAML directive", "dubbla %YAML-direktiv"},
      {"found incompatible YAML document", "YAML-versionen stöds inte"},
      {"found duplicate %TAG directive", "dubbla %TAG-direktiv"},
      {"found unknown directive name", "okänt direktiv (rader som börjar med %)"},
      {"did not find expected alphabetic or numeric character", "ett ankar- eller aliasnamn saknas efter & eller *"},
      {"did not find expected whitespace or line break", "mellanslag saknas"},
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++)
    if (strcmp(problem, table[i].en) == 0) return table[i].sv;
  return NULL;
}

typedef struct explainer {
  lr_arena *arena;
  lr_diag_list *diags;
  lr_source *src;
  const char *text;
  size_t size;
  const lr_yaml_error *e;
} explainer;

static lr_diag *report(const explainer *x, int line, int column, const char *message) {
  lr_diag *d = lr_diag_add(x->diags, LR_ERROR, (lr_loc){x->src->path, line, column}, "%s", message);
  d->source_line = lr_source_line(x->arena, x->src, line);
  return d;
}

/* A key without its colon ("beskrivning |"): libyaml notices on a later
 * line; the place to fix is right after the key where the scan began. */
static bool missing_colon(const explainer *x) {
  const lr_yaml_error *e = x->e;
  text_line l;
  if (strcmp(e->problem, "could not find expected ':'") != 0 || !e->context_line ||
      !line_of(x->text, x->size, e->context_line, &l))
    return false;
  size_t start = byte_of_column(l, e->context_column), end = start;
  while (end < l.len && l.at[end] != ' ' && l.at[end] != '\t') end++;
  if (end == start) return false;
  const char *key = lr_arena_strndup(x->arena, l.at + start, end - start);
  const char *rest = trimmed(x->arena, l.at + end, l.len - end);
  lr_diag *d = report(x, e->context_line, column_of_byte(l, end), "");
  d->message = lr_arena_printf(x->arena, "kolon saknas efter \"%s\"", key);
  lr_diag_hint(x->diags, d, "skriv ett kolon direkt efter nyckeln: \"%s:%s%s\"", key,
               *rest ? " " : "", rest);
  return true;
}

/* A quoted text that never ends: libyaml knows where it began. */
static bool unclosed_at_end(const explainer *x) {
  const lr_yaml_error *e = x->e;
  if (strcmp(e->problem, "found unexpected end of stream") != 0 || !e->context ||
      strcmp(e->context, "while scanning a quoted scalar") != 0)
    return false;
  text_line l;
  if (!line_of(x->text, x->size, e->context_line, &l)) return false;
  size_t at = byte_of_column(l, e->context_column);
  char quote = at < l.len ? l.at[at] : '"';
  lr_diag *d = report(x, e->context_line, e->context_column, "");
  d->message = lr_arena_printf(x->arena, "citattecknet %c öppnar en text som aldrig avslutas", quote);
  lr_diag_hint(x->diags, d, "avsluta texten med %c på samma rad; en text över flera rader skrivs "
                            "som ett block: \"nyckel: |\" och texten indragen på raderna under",
               quote);
  return true;
}

/* Finds the opening quote of a quoted scalar that closes at byte `close`
 * of the text, allowing for \" in double and '' in single quotes. */
static bool opening_quote(const char *text, size_t close, size_t *open) {
  char q = text[close];
  size_t i = close;
  while (i > 0) {
    i--;
    if (text[i] != q) continue;
    if (q == '"') {
      size_t slashes = 0;
      while (slashes < i && text[i - 1 - slashes] == '\\') slashes++;
      if (slashes % 2) continue;
    } else if (i > 0 && text[i - 1] == '\'') {
      i--; /* '' is an apostrophe */
      continue;
    }
    *open = i;
    return true;
  }
  return false;
}

/* The text goes on right after a closing quote: either a quote inside the
 * quoted text ("Stöd för "unga kvinnor"") closed it early, or a quote
 * opened on an earlier line was never closed, and libyaml took the next
 * quote in the file as its end. */
static bool quote_ends_early(const explainer *x) {
  const lr_yaml_error *e = x->e;
  text_line l;
  if (e->column < 2 || !line_of(x->text, x->size, e->line, &l)) return false;
  size_t at = byte_of_column(l, e->column);
  if (at == 0 || at > l.len || (l.at[at - 1] != '"' && l.at[at - 1] != '\'')) return false;
  size_t close = (size_t)(l.at + at - 1 - x->text), open;
  if (!opening_quote(x->text, close, &open)) return false;
  int open_line = 1;
  for (size_t i = 0; i < open; i++)
    if (x->text[i] == '\n') open_line++;
  char q = x->text[close];
  if (open_line == e->line) {
    lr_diag *d = report(x, e->line, e->column - 1, "");
    d->message = lr_arena_printf(x->arena, "citattecknet %c avslutar texten, men texten fortsätter efter det", q);
    if (q == '"')
      lr_diag_hint(x->diags, d, "citattecken inuti texten skrivs \\\" (eller ”så här”); "
                                "eller sätt hela texten inom enkla citattecken '…'");
    else
      lr_diag_hint(x->diags, d, "en apostrof inuti texten skrivs dubbelt (''); "
                                "eller sätt hela texten inom dubbla citattecken \"…\"");
    return true;
  }
  text_line ol;
  if (!line_of(x->text, x->size, open_line, &ol)) return false;
  size_t line_start = (size_t)(ol.at - x->text);
  lr_diag *d = report(x, open_line, column_of_byte(ol, open - line_start), "");
  d->message = lr_arena_printf(x->arena, "citattecknet %c öppnar en text som inte avslutas på samma rad", q);
  lr_diag_hint(x->diags, d, "avsluta texten med %c på rad %d; en text över flera rader skrivs som "
                            "ett block: \"nyckel: |\" och texten indragen på raderna under",
               q, open_line);
  return true;
}

/* A list item out of line with its list, or one without its "- ". */
static bool list_item(const explainer *x) {
  const lr_yaml_error *e = x->e;
  if (!e->context_line) return false;
  bool in_list = strcmp(e->problem, "did not find expected '-' indicator") == 0;
  bool in_map = strcmp(e->problem, "did not find expected key") == 0;
  if (!in_list && !in_map) return false;
  text_line l, c;
  if (!line_of(x->text, x->size, e->line, &l) || !line_of(x->text, x->size, e->context_line, &c))
    return false;
  int col = first_column(l), want = e->context_column;
  if (!col || col != e->column) return false;
  bool dash = l.at[col - 1] == '-' && ((size_t)col == l.len || l.at[col] == ' ');
  lr_diag *d;
  if (in_list && dash) {
    d = report(x, e->line, col, "");
    d->message = lr_arena_printf(x->arena, "listpunkten står i kolumn %d, men listans punkter står i kolumn %d",
                                 col, want);
    lr_diag_hint(x->diags, d, "flytta \"-\" till kolumn %d, rakt under \"-\" på rad %d", want,
                 e->context_line);
    return true;
  }
  if (in_list && col == want) {
    d = report(x, e->line, col, "listpunkten saknar \"- \"");
    lr_diag_hint(x->diags, d, "börja raden med \"- \" som punkten på rad %d; hör raden till punkten "
                              "ovanför, dra in den lika långt som raderna ovanför", e->context_line);
    return true;
  }
  if (in_map && dash) {
    /* The list it belongs to is the nearest one above with its "- ". */
    for (int above = e->line - 1; above > 0; above--) {
      text_line a;
      if (!line_of(x->text, x->size, above, &a)) break;
      int at = first_column(a);
      if (!at || at == col || a.at[at - 1] != '-' || ((size_t)at < a.len && a.at[at] != ' '))
        continue;
      d = report(x, e->line, col, "");
      d->message = lr_arena_printf(x->arena, "listpunkten står i kolumn %d, men listans punkter står i kolumn %d",
                                   col, at);
      lr_diag_hint(x->diags, d, "flytta \"-\" till kolumn %d, rakt under \"-\" på rad %d", at, above);
      return true;
    }
    d = report(x, e->line, col, "en listpunkt \"-\" står där en nyckel väntades");
    lr_diag_hint(x->diags, d, "ställ listans punkter rakt under varandra, indragna under nyckeln "
                              "som listan hör till");
    return true;
  }
  d = report(x, e->line, col, "");
  d->message = lr_arena_printf(x->arena, "fel indrag: raden står i kolumn %d, men %s står i kolumn %d",
                               col, in_list ? "listans punkter" : "nycklarna ovanför", want);
  lr_diag_hint(x->diags, d, "ställ raden rakt under det den hör till (rad %d)", e->context_line);
  return true;
}

/* "rubrik: Möte: med kommunerna": the second ": " is taken for a key. */
static bool colon_in_value(const explainer *x) {
  const lr_yaml_error *e = x->e;
  text_line l;
  if (strcmp(e->problem, "mapping values are not allowed in this context") != 0 ||
      !line_of(x->text, x->size, e->line, &l))
    return false;
  size_t at = byte_of_column(l, e->column);
  size_t start = (size_t)(first_column(l) ? first_column(l) - 1 : 0);
  if (l.len - start >= 2 && l.at[start] == '-' && l.at[start + 1] == ' ') start += 2;
  size_t sep = start;
  while (sep + 1 < at && !(l.at[sep] == ':' && l.at[sep + 1] == ' ')) sep++;
  if (sep + 1 >= at) return false;
  const char *key = lr_arena_strndup(x->arena, l.at + start, sep - start);
  const char *value = trimmed(x->arena, l.at + sep + 1, l.len - sep - 1);
  char q = strchr(value, '"') ? '\'' : '"';
  lr_diag *d = report(x, e->line, e->column, "kolon följt av mellanslag i en text utan citattecken");
  lr_diag_hint(x->diags, d, "sätt texten inom citattecken: %s: %c%s%c", key, q, value, q);
  return true;
}

/* "beskrivning: | Text": a block's text starts on the line below. */
static bool text_after_block(const explainer *x) {
  const lr_yaml_error *e = x->e;
  if (!e->context || strcmp(e->context, "while scanning a block scalar") != 0 ||
      strcmp(e->problem, "did not find expected comment or line break") != 0)
    return false;
  text_line l;
  char indicator = '|';
  if (line_of(x->text, x->size, e->context_line, &l)) {
    size_t at = byte_of_column(l, e->context_column);
    if (at < l.len) indicator = l.at[at];
  }
  lr_diag *d = report(x, e->line, e->column, "");
  d->message = lr_arena_printf(x->arena, "text efter \"%c\" på samma rad", indicator);
  lr_diag_hint(x->diags, d, "efter \"%c\" börjar texten på nästa rad, indragen mer än nyckeln; "
                            "flytta texten dit", indicator);
  return true;
}

void lr_yaml_explain(lr_arena *arena, lr_diag_list *diags, lr_source *src, const char *text,
                     size_t size, const lr_yaml_error *e) {
  explainer x = {arena, diags, src, text, size, e};
  if (missing_colon(&x) || unclosed_at_end(&x) || quote_ends_early(&x) || text_after_block(&x) ||
      colon_in_value(&x) || list_item(&x))
    return;
  const char *sv = translate_problem(e->problem);
  lr_diag *d = report(&x, e->line, e->column, "");
  d->message = lr_arena_printf(arena, "YAML-syntaxfel%s%s", sv ? ": " : "", sv ? sv : "");
  if (e->context_line && e->context_line < e->line)
    lr_diag_hint(diags, d, "kontrollera indrag, kolon och citattecken här och uppåt till rad %d",
                 e->context_line);
  else
    lr_diag_hint(diags, d, "kontrollera indrag, kolon och citattecken");
}

/* Whether text holds a tab or a no-break space anywhere. Most files hold
 * neither, and memchr says so far faster than a walk over every line. */
static bool may_have_faults(const char *text, size_t size) {
  if (memchr(text, '\t', size)) return true;
  const char *end = text + size;
  for (const char *p = text; (p = memchr(p, 0xC2, (size_t)(end - p))); p++)
    if (p + 1 < end && (unsigned char)p[1] == 0xA0) return true;
  return false;
}

/* Tabs and no-break spaces before a line's first character. */
size_t lr_indent_faults(const char *text, size_t size, lr_indent_fault *out, size_t max) {
  if (!may_have_faults(text, size)) return 0;
  size_t n = 0;
  int line = 1;
  for (size_t i = 0; i < size;) {
    int column = 1;
    size_t j = i;
    lr_indent_fault first = {0};
    while (j < size) {
      if (text[j] == ' ') {
        j++;
      } else if (text[j] == '\t') {
        if (!first.line) first = (lr_indent_fault){line, column, j, '\t'};
        j++;
      } else if ((unsigned char)text[j] == 0xC2 && j + 1 < size && (unsigned char)text[j + 1] == 0xA0) {
        if (!first.line) first = (lr_indent_fault){line, column, j, 0xA0};
        j += 2;
      } else {
        break;
      }
      column++;
    }
    /* Blank lines and comments carry nothing a parser reads. */
    bool content = j < size && text[j] != '\n' && text[j] != '\r' && text[j] != '#';
    if (first.line && content) {
      if (n < max) out[n] = first;
      n++;
    }
    while (j < size && text[j] != '\n' && text[j] != '\r') j++;
    if (j < size && text[j] == '\r' && j + 1 < size && text[j + 1] == '\n') j++;
    i = j + 1;
    line++;
  }
  return n;
}

void lr_indent_fault_report(lr_arena *arena, lr_diag_list *diags, lr_source *src,
                            const lr_indent_fault *f) {
  lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){src->path, f->line, f->column}, "%s",
                           f->character == '\t' ? "tabbtecken i indraget"
                                                : "hårt mellanslag (U+00A0) i indraget");
  d->source_line = lr_source_line(arena, src, f->line);
  if (f->character == '\t')
    lr_diag_hint(diags, d, "YAML tillåter bara vanliga mellanslag i indraget; byt tabben mot "
                           "mellanslag så att raden står rakt under det den hör till "
                           "(\"lagesrapport check --fix\" gör det när det är entydigt)");
  else
    lr_diag_hint(diags, d, "tecknet ser ut som ett mellanslag men är ett annat, ofta inklistrat från "
                           "Word; skriv ett vanligt mellanslag i stället (eller kör "
                           "\"lagesrapport check --fix\")");
}

void lr_indent_repair(const char *text, size_t size, int tab_width, lr_buf *out) {
  for (size_t i = 0; i < size;) {
    size_t j = i;
    while (j < size && (text[j] == ' ' || text[j] == '\t' ||
                        ((unsigned char)text[j] == 0xC2 && j + 1 < size &&
                         (unsigned char)text[j + 1] == 0xA0)))
      j += text[j] == ' ' || text[j] == '\t' ? 1 : 2;
    bool content = j < size && text[j] != '\n' && text[j] != '\r' && text[j] != '#';
    if (content) {
      int column = 0;
      for (size_t k = i; k < j; k++) {
        if (text[k] == '\t' && tab_width > 0) {
          do lr_buf_putc(out, ' '), column++;
          while (column % tab_width);
        } else if (text[k] == '\t') {
          lr_buf_putc(out, '\t'), column++;
        } else {
          lr_buf_putc(out, ' '), column++;
          if (text[k] != ' ') k++; /* the second byte of U+00A0 */
        }
      }
    } else {
      lr_buf_put(out, text + i, j - i);
    }
    size_t end = j;
    while (end < size && text[end] != '\n' && text[end] != '\r') end++;
    if (end < size && text[end] == '\r' && end + 1 < size && text[end + 1] == '\n') end++;
    if (end < size) end++;
    lr_buf_put(out, text + j, end - j);
    i = end;
  }
}
