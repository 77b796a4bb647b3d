/* lagesrapport status: who has answered for a year, who has the form and
 * has not sent it back, and who has neither; with the address a mail
 * would go to and how many reminders each has had. */
#include "cli.h"

#include <string.h>

enum { OPT_FORMAT };

static const cli_choice FORMATS[] = {
    {"text", "(standard) en rad per aktör"},
    {"json", "JSON för skript"},
    {NULL, NULL},
};

static const cli_option OPTIONS[] = {
    [OPT_FORMAT] = {"format", "FORMAT", NULL, FORMATS, "okänt format", 0},
};

static const char *const STATE_KEYS[] = {
    [LR_RESPONSE_ANSWERED] = "answered",
    [LR_RESPONSE_AWAITING] = "awaiting",
    [LR_RESPONSE_NONE] = "none",
};

/* Characters, not bytes: names have å, ä and ö. */
static size_t text_width(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static void pad(const char *s, size_t width) {
  fputs(s, stdout);
  for (size_t n = text_width(s); n < width; n++) putchar(' ');
}

static const char *state_text(lr_arena *arena, const lr_actor_status *row) {
  switch (row->response) {
  case LR_RESPONSE_ANSWERED:
    return row->received.year ? lr_arena_printf(arena, "svarat, inkom %04d-%02d-%02d",
                                                row->received.year, row->received.month,
                                                row->received.day)
                              : "svarat";
  case LR_RESPONSE_AWAITING: return "formulär skickat, inte besvarat";
  case LR_RESPONSE_NONE: break;
  }
  return "inget formulär skickat, inget svar";
}

static const char *addresses(lr_arena *arena, const lr_actor *a) {
  if (!a->email_count) return "ingen e-postadress";
  lr_buf b = {0};
  for (size_t i = 0; i < a->email_count; i++)
    lr_buf_printf(&b, "%s%s", i ? ", " : "", a->emails[i]);
  const char *s = lr_arena_strdup(arena, lr_buf_cstr(&b));
  lr_buf_free(&b);
  return s;
}

static void print_text(lr_arena *arena, int year, const lr_actor_status *rows, size_t count) {
  size_t name_width = 0, state_width = 0, totals[3] = {0}, reminders = 0;
  for (size_t i = 0; i < count; i++) {
    size_t w = text_width(rows[i].actor->name);
    if (w > name_width) name_width = w;
    w = text_width(state_text(arena, &rows[i]));
    if (w > state_width) state_width = w;
  }
  for (size_t i = 0; i < count; i++) {
    const lr_actor_status *row = &rows[i];
    pad(row->actor->name, name_width + 2);
    pad(state_text(arena, row), state_width + 2);
    fputs(addresses(arena, row->actor), stdout);
    if (row->reminders)
      printf("  (%s)", cli_count(arena, row->reminders, "påminnelse", "påminnelser"));
    putchar('\n');
    totals[row->response]++;
    reminders += row->reminders;
  }
  printf("%d: %s; %zu har svarat, %zu har fått formuläret men inte svarat, %zu har varken "
         "fått formuläret eller svarat; %s skickade\n",
         year, cli_count(arena, count, "aktör", "aktörer"), totals[LR_RESPONSE_ANSWERED],
         totals[LR_RESPONSE_AWAITING], totals[LR_RESPONSE_NONE],
         cli_count(arena, reminders, "påminnelse", "påminnelser"));
}

static void print_json(int year, const lr_actor_status *rows, size_t count) {
  lr_buf out = {0};
  size_t totals[3] = {0}, reminders = 0;
  lr_buf_printf(&out, "{\n  \"version\": 1,\n  \"year\": %d,\n  \"actors\": [", year);
  for (size_t i = 0; i < count; i++) {
    const lr_actor_status *row = &rows[i];
    lr_buf_puts(&out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    lr_json_string(row->actor->id, &out);
    lr_buf_puts(&out, ", \"name\": ");
    lr_json_string(row->actor->name, &out);
    lr_buf_printf(&out, ", \"state\": \"%s\", \"received\": ", STATE_KEYS[row->response]);
    if (row->received.year)
      lr_buf_printf(&out, "\"%04d-%02d-%02d\"", row->received.year, row->received.month,
                    row->received.day);
    else
      lr_buf_puts(&out, "null");
    lr_buf_puts(&out, ", \"addresses\": [");
    for (size_t k = 0; k < row->actor->email_count; k++) {
      if (k) lr_buf_puts(&out, ", ");
      lr_json_string(row->actor->emails[k], &out);
    }
    lr_buf_printf(&out, "], \"reminders\": %zu}", row->reminders);
    totals[row->response]++;
    reminders += row->reminders;
  }
  lr_buf_printf(&out,
                "%s],\n  \"counts\": {\"answered\": %zu, \"awaiting\": %zu, \"none\": %zu, "
                "\"reminders\": %zu}\n}\n",
                count ? "\n  " : "", totals[LR_RESPONSE_ANSWERED], totals[LR_RESPONSE_AWAITING],
                totals[LR_RESPONSE_NONE], reminders);
  fwrite(out.data, 1, out.len, stdout);
  lr_buf_free(&out);
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  int year = args->years[0];
  const char *format = cli_args_value(args, OPT_FORMAT);
  lr_load_options load = {.dir = cli->project_dir, .years = &year, .year_count = 1};
  lr_project *p = lr_project_load(&load);
  lr_diag_list *diags = lr_project_diagnostics(p);
  cli_outcome status = cli_project_outcome(p);
  lr_actor_status *rows = NULL;
  size_t count = 0;
  /* The missing answers are what status shows; the loader's warnings
   * about them would only say it twice. */
  size_t errors = diags->errors;
  if (status == CLI_DONE && !lr_actors_status(p, year, &rows, &count)) status = CLI_IO;
  if (status != CLI_DONE || diags->errors != errors) {
    cli_print_diagnostics(cli, p);
  } else if (format && strcmp(format, "json") == 0) {
    print_json(year, rows, count);
  } else {
    print_text(lr_project_arena(p), year, rows, count);
  }
  lr_project_free(p);
  return status;
}

const cli_command cmd_status_command = {
    .name = "status",
    .run = run,
    .summary = "visa vilka aktörer som har svarat för ett år",
    .operands = {"ÅR", 1, 1, true, "2023", "ange vilket år, t.ex. \"lagesrapport status 2023\"",
                 "ange ett enda år"},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Skriver en rad per registrerad aktör: svarat (med dagen då yttrandet kom\n"
        "in), formulär skickat men inte besvarat (formulärbrevet är levererat enligt\n"
        "journalen i utskick/ÅR/formular/ och yttrandet har tomt inkom eller saknas),\n"
        "eller varken formulär eller svar. Raden visar också adressen som e-posten går\n"
        "till och hur många påminnelser aktören har fått (\"mail ÅR --remind\"). Sist\n"
        "kommer en rad med antalen.\n",
    .epilogue = "Slutkoder: 0 klart, 1 fel i data, 2 användnings- eller I/O-fel.\n",
};
