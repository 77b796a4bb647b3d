/* The option parser and the texts read from the same tables: the usage
 * line, "help <kommando>" and the flags the shell completion offers. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
  USAGE_WIDTH = 80, /* the usage line wraps before this many columns */
  HELP_GAP = 3,     /* spaces between the longest flag and its help */
  /* A longer flag ("--retry-uncertain") gets its help on the next line
   * rather than pushing every other help line to the right. */
  HELP_LABEL_MAX = 16,
};

static const char USAGE_PREFIX[] = "Användning: lagesrapport ";

/* Columns on a terminal: one per character, not per UTF-8 byte. */
static size_t columns(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static size_t choice_count(const cli_option *o) {
  size_t n = 0;
  while (o->choices && o->choices[n].name) n++;
  return n;
}

/* The index of the option with this one-letter name, or option_count. */
static size_t short_index(const cli_command *c, char letter) {
  size_t k = 0;
  while (k < c->option_count && !(letter && c->options[k].letter == letter)) k++;
  return k;
}

/* "text eller json", "md, html och xlsx": the choices as a sentence ends them. */
static void put_choices(const cli_option *o, const char *last, lr_buf *out) {
  size_t n = choice_count(o);
  for (size_t i = 0; i < n; i++) {
    if (i) lr_buf_puts(out, i + 1 == n ? last : ", ");
    lr_buf_puts(out, o->choices[i].name);
  }
}

/* What to pick from, after an unknown or a missing value. */
static void put_choice_advice(const cli_option *o, lr_buf *out) {
  if (o->flags & CLI_LIST) {
    lr_buf_puts(out, "välj bland ");
    put_choices(o, " och ", out);
  } else {
    lr_buf_puts(out, "välj ");
    put_choices(o, " eller ", out);
  }
}

/* The value as the usage line shows it: the choices when there are any
 * ("text|json", "md,html,xlsx"), else the value's name, followed by "..."
 * when the flag repeats, unless the name says so itself ("ID,..."). */
static void put_usage_value(const cli_option *o, lr_buf *out) {
  if (o->choices) {
    size_t n = choice_count(o);
    for (size_t i = 0; i < n; i++) {
      if (i) lr_buf_putc(out, o->flags & CLI_LIST ? ',' : '|');
      lr_buf_puts(out, o->choices[i].name);
    }
    return;
  }
  lr_buf_puts(out, o->value_name);
  size_t len = strlen(o->value_name);
  bool says_so = len >= 3 && strcmp(o->value_name + len - 3, "...") == 0;
  if (o->flags & CLI_REPEATS && !says_so) lr_buf_puts(out, " ...");
}

void cli_usage_print(const cli_command *command, FILE *f) {
  lr_buf line = {0}, word = {0};
  size_t indent = columns(USAGE_PREFIX, strlen(USAGE_PREFIX));
  lr_buf_printf(&line, "%s%s", USAGE_PREFIX, command->name);
  for (size_t i = 0; i <= command->option_count; i++) {
    lr_buf_clear(&word);
    if (i == 0) {
      if (!command->operands.usage) continue;
      lr_buf_puts(&word, command->operands.usage);
    } else {
      const cli_option *o = &command->options[i - 1];
      if (o->letter)
        lr_buf_printf(&word, "[-%c", o->letter);
      else
        lr_buf_printf(&word, "[--%s", o->name);
      if (o->value_name) {
        lr_buf_putc(&word, ' ');
        put_usage_value(o, &word);
      }
      lr_buf_putc(&word, ']');
    }
    /* The current line's columns: the text after its last newline. */
    const char *start = strrchr(lr_buf_cstr(&line), '\n');
    start = start ? start + 1 : line.data;
    size_t used = columns(start, strlen(start));
    if (used > indent && used + 1 + columns(word.data, word.len) > USAGE_WIDTH)
      lr_buf_printf(&line, "\n%*s", (int)indent, "");
    else
      lr_buf_putc(&line, ' ');
    lr_buf_put(&line, word.data, word.len);
  }
  fprintf(f, "%s\n", lr_buf_cstr(&line));
  lr_buf_free(&line);
  lr_buf_free(&word);
}

/* A row of the "Flaggor:" list: "--out MAPP" or, for a flag whose choices
 * are described one by one, "--format json". */
typedef struct help_row {
  lr_buf label;
  const char *text;
} help_row;

static size_t help_rows(const cli_command *command, help_row *rows) {
  size_t n = 0;
  for (size_t i = 0; i < command->option_count; i++) {
    const cli_option *o = &command->options[i];
    if (o->choices && o->choices[0].help) {
      for (const cli_choice *c = o->choices; c->name; c++) {
        if (rows) {
          rows[n].label = (lr_buf){0};
          lr_buf_printf(&rows[n].label, "--%s %s", o->name, c->name);
          rows[n].text = c->help;
        }
        n++;
      }
    } else {
      if (rows) {
        rows[n].label = (lr_buf){0};
        if (o->letter) lr_buf_printf(&rows[n].label, "-%c, ", o->letter);
        lr_buf_printf(&rows[n].label, "--%s", o->name);
        if (o->value_name) lr_buf_printf(&rows[n].label, " %s", o->value_name);
        rows[n].text = o->help;
      }
      n++;
    }
  }
  return n;
}

void cli_help_print(const cli_command *command, FILE *f) {
  cli_usage_print(command, f);
  if (command->description) fprintf(f, "\n%s", command->description);
  if (command->option_count) {
    size_t n = help_rows(command, NULL);
    lr_arena *arena = lr_arena_new();
    help_row *rows = lr_arena_array(arena, n, sizeof *rows);
    help_rows(command, rows);
    size_t width = 0;
    for (size_t i = 0; i < n; i++) {
      size_t w = columns(rows[i].label.data, rows[i].label.len);
      if (w > width && w <= HELP_LABEL_MAX) width = w;
    }
    width += HELP_GAP;
    fputs("\nFlaggor:\n", f);
    for (size_t i = 0; i < n; i++) {
      size_t w = columns(rows[i].label.data, rows[i].label.len);
      if (w + HELP_GAP > width)
        fprintf(f, "  %s\n%*s", lr_buf_cstr(&rows[i].label), (int)(width + 2), "");
      else
        fprintf(f, "  %s%*s", lr_buf_cstr(&rows[i].label), (int)(width - w), "");
      for (const char *p = rows[i].text; *p;) {
        size_t len = strcspn(p, "\n");
        fprintf(f, "%.*s\n", (int)len, p);
        p += len;
        if (*p && *++p) fprintf(f, "%*s", (int)(width + 2), "");
      }
      lr_buf_free(&rows[i].label);
    }
    lr_arena_free(arena);
  }
  if (command->epilogue) fprintf(f, "\n%s", command->epilogue);
}

void cli_flags_print(const cli_command *command, FILE *f) {
  for (size_t i = 0; i < command->option_count; i++) fprintf(f, "--%s\n", command->options[i].name);
  fputs("--help\n", f);
}

const cli_option *cli_option_find(const cli_command *command, const char *flag) {
  if (flag[0] == '-' && flag[1] && flag[1] != '-' && !flag[2]) {
    size_t k = short_index(command, flag[1]);
    return k < command->option_count ? &command->options[k] : NULL;
  }
  if (strncmp(flag, "--", 2) != 0) return NULL;
  for (size_t i = 0; i < command->option_count; i++)
    if (strcmp(flag + 2, command->options[i].name) == 0) return &command->options[i];
  return NULL;
}

const char *cli_args_value(const cli_args *args, size_t option) {
  const cli_given *g = &args->options[option];
  return g->count ? g->values[g->count - 1] : NULL;
}

/* Mistakes are gathered, not printed at once: --help later on the line
 * wins over all of them, and otherwise every one is shown. */
typedef struct parser {
  const cli_context *cli;
  const cli_command *command;
  const char **errors;
  size_t error_count;
  bool unknown; /* the last flag taken was unknown */
} parser;

static void complain(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void complain(parser *ps, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ps->errors[ps->error_count++] = lr_arena_vprintf(ps->cli->arena, fmt, ap);
  va_end(ap);
}

static void unknown_flag(parser *ps, const char *arg, size_t len) {
  const cli_command *c = ps->command;
  const char **names = lr_arena_array(ps->cli->arena, c->option_count + 1, sizeof *names);
  for (size_t i = 0; i < c->option_count; i++)
    names[i] = lr_arena_printf(ps->cli->arena, "--%s", c->options[i].name);
  names[c->option_count] = "--help";
  const char *typed = lr_arena_strndup(ps->cli->arena, arg, len);
  ps->unknown = true;
  const char *guess = lr_suggest(typed, names, c->option_count + 1);
  if (guess)
    complain(ps, "okänd flagga \"%s\" — menade du \"%s\"?", typed, guess);
  else
    complain(ps, "okänd flagga \"%s\"", typed);
}

/* True when value is one of the flag's choices, or, for a list, when
 * every item is and there is at least one. */
static bool valid_choice(const cli_option *o, const char *value) {
  const char *p = value;
  do {
    size_t len = o->flags & CLI_LIST ? strcspn(p, ",") : strlen(p);
    bool known = false;
    for (const cli_choice *c = o->choices; c->name && !known; c++)
      known = strlen(c->name) == len && strncmp(c->name, p, len) == 0;
    if (!known) return false;
    p += len;
  } while (*p++ == ',');
  return true;
}

static void missing_value(parser *ps, const cli_option *o, const char *flag) {
  lr_buf advice = {0};
  if (o->choices)
    put_choice_advice(o, &advice);
  else
    lr_buf_puts(&advice, o->value_name);
  complain(ps, "%s behöver ett värde (%s)", flag, lr_buf_cstr(&advice));
  lr_buf_free(&advice);
}

/* A value that is not among the flag's choices: the one meant, when it
 * is a likely slip ("tackning"), else what there is to choose from. */
static void unknown_choice(parser *ps, const cli_option *o, const char *value) {
  size_t n = choice_count(o);
  const char **names = lr_arena_array(ps->cli->arena, n + 1, sizeof *names);
  for (size_t i = 0; i < n; i++) names[i] = o->choices[i].name;
  const char *guess = o->flags & CLI_LIST ? NULL : lr_suggest(value, names, n);
  if (guess) {
    complain(ps, "%s \"%s\" — menade du \"%s\"?", o->unknown, value, guess);
    return;
  }
  lr_buf advice = {0};
  put_choice_advice(o, &advice);
  complain(ps, "%s \"%s\" (%s)", o->unknown, value, lr_buf_cstr(&advice));
  lr_buf_free(&advice);
}

/* The index of the option called name[0..len), or option_count. */
static size_t option_index(const cli_command *c, const char *name, size_t len) {
  size_t k = 0;
  while (k < c->option_count &&
         !(strlen(c->options[k].name) == len && strncmp(c->options[k].name, name, len) == 0))
    k++;
  return k;
}

static void take_option(parser *ps, cli_args *args, int argc, char **argv, int *i) {
  const cli_command *c = ps->command;
  const char *arg = argv[*i];
  const char *eq = NULL;
  size_t k;
  if (arg[1] != '-') { /* "-o FIL": a one-letter flag takes its value as the next word */
    k = arg[2] ? c->option_count : short_index(c, arg[1]);
    if (k == c->option_count) {
      unknown_flag(ps, arg, strlen(arg));
      return;
    }
  } else {
    const char *name = arg + 2;
    eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    if (len == 4 && strncmp(name, "help", 4) == 0) {
      if (eq) complain(ps, "--help tar inget värde; skriv bara --help");
      args->help = true;
      return;
    }
    k = option_index(c, name, len);
    if (k == c->option_count) {
      unknown_flag(ps, arg, len + 2);
      return;
    }
  }
  const cli_option *o = &c->options[k];
  cli_given *g = &args->options[k];
  /* A switch said twice means the same; a second value is a contradiction. */
  if (g->count == 1 && o->value_name && !(o->flags & CLI_REPEATS))
    complain(ps, "--%s får bara anges en gång", o->name);
  if (!o->value_name) {
    if (eq) complain(ps, "--%s tar inget värde; skriv bara --%s", o->name, o->name);
    g->values[g->count++] = NULL;
    return;
  }
  /* "--out --format md" forgot the folder: a word that looks like a flag is
   * not taken as a value; "--out=--x" still can be. */
  const char *value = eq ? eq + 1 : NULL;
  if (!eq && *i + 1 < argc && strncmp(argv[*i + 1], "--", 2) != 0) value = argv[++*i];
  if (!value || !*value) {
    /* Said as typed: "-o" or "--out". */
    missing_value(ps, o, arg[1] == '-' ? lr_arena_printf(ps->cli->arena, "--%s", o->name) : arg);
  } else if (o->choices && !valid_choice(o, value)) {
    unknown_choice(ps, o, value);
  } else {
    g->values[g->count++] = value;
  }
}

typedef enum span_kind { SPAN_NONE, SPAN_YEAR, SPAN_PERIOD } span_kind;

/* "2022", or a period "2021-2022" written with a hyphen or, as Swedish
 * text writes it, an en dash. The order is the caller's to judge, so
 * that a period written backwards gets an error of its own. */
static span_kind parse_span(const char *arg, int *first, int *last) {
  if (cli_parse_year(arg, first)) {
    *last = *first;
    return SPAN_YEAR;
  }
  static const char *const dashes[] = {"-", "\xe2\x80\x93"};
  for (size_t i = 0; i < 2; i++) {
    size_t n = strlen(dashes[i]);
    if (strlen(arg) != 8 + n || strncmp(arg + 4, dashes[i], n) != 0) continue;
    char head[5];
    memcpy(head, arg, 4);
    head[4] = '\0';
    if (cli_parse_year(head, first) && cli_parse_year(arg + 4 + n, last)) return SPAN_PERIOD;
  }
  return SPAN_NONE;
}

static void take_operand(parser *ps, cli_args *args, const char *arg, bool after_unknown) {
  const cli_operands *op = &ps->command->operands;
  int first, last;
  /* "--fromat json": the word is most likely the unknown flag's value, and
   * a second error about it would only hide the first. */
  if (after_unknown && op->years && parse_span(arg, &first, &last) == SPAN_NONE) return;
  size_t k = args->operand_count++;
  if (k == op->max) {
    /* The surplus text is a format from the command's own table. */
    complain(ps, op->surplus, arg);
    return;
  }
  if (k > op->max) return;
  args->operands[k] = arg;
  args->last_years[k] = 0;
  if (!op->years) return;
  switch (parse_span(arg, &first, &last)) {
  case SPAN_NONE:
    if (op->spans)
      complain(ps, "\"%s\" är inget år och ingen period (skriv t.ex. %s, eller %d-%s för en period)", arg,
               op->example, atoi(op->example) - 1, op->example);
    else
      complain(ps, "\"%s\" är inget år (skriv t.ex. %s)", arg, op->example);
    return;
  case SPAN_YEAR:
    args->years[k] = args->last_years[k] = first;
    return;
  case SPAN_PERIOD:
    if (!op->spans)
      complain(ps, "\"%s\" är en period, men %s tar bara enskilda år (skriv t.ex. %d)", arg,
               ps->command->name, last);
    else if (first > last)
      complain(ps, "perioden \"%s\" går baklänges: skriv det första året först, %d-%d", arg, last, first);
    else if (first == last)
      complain(ps, "perioden \"%s\" är ett enda år: skriv bara %d", arg, first);
    args->years[k] = first;
    args->last_years[k] = last;
    return;
  }
}

bool cli_args_parse(const cli_context *cli, const cli_command *command, int argc, char **argv,
                    cli_args *args) {
  size_t slots = argc > 1 ? (size_t)argc : 1;
  *args = (cli_args){0};
  args->options = lr_arena_array(cli->arena, command->option_count + 1, sizeof *args->options);
  for (size_t k = 0; k < command->option_count; k++)
    args->options[k].values = lr_arena_array(cli->arena, slots, sizeof *args->options[k].values);
  args->operands = lr_arena_array(cli->arena, slots, sizeof *args->operands);
  args->years = lr_arena_array(cli->arena, slots, sizeof *args->years);
  args->last_years = lr_arena_array(cli->arena, slots, sizeof *args->last_years);
  /* At most two mistakes per word (a repeated flag without its value),
   * and one for the missing operands. */
  parser ps = {cli, command, lr_arena_array(cli->arena, 2 * slots + 1, sizeof *ps.errors), 0, false};

  bool options_end = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    bool after_unknown = ps.unknown;
    ps.unknown = false;
    if (!options_end && strcmp(arg, "--") == 0) {
      options_end = true;
    } else if (!options_end && strcmp(arg, "-h") == 0) {
      args->help = true;
    } else if (!options_end && arg[0] == '-' && arg[1]) {
      take_option(&ps, args, argc, argv, &i);
    } else {
      take_operand(&ps, args, arg, after_unknown);
      if (command->options_first) options_end = true;
    }
  }
  if (args->operand_count > command->operands.max) args->operand_count = command->operands.max;
  if (args->operand_count < command->operands.min) complain(&ps, "%s", command->operands.missing);

  if (args->help || !ps.error_count) return true;
  for (size_t i = 0; i < ps.error_count; i++) cli_error(cli, "%s", ps.errors[i]);
  cli_usage_print(command, stderr);
  cli_help_hint(command->name);
  return false;
}
