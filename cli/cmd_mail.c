/* lagesrapport mail: the messages of a year as .eml files to review, and
 * with --send their delivery, one line per recipient, each exactly once. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
  OPT_FORMS,
  OPT_REMIND,
  OPT_REPLY_BY,
  OPT_SEND,
  OPT_SMTP,
  OPT_ONLY,
  OPT_LIMIT,
  OPT_RETRY_UNCERTAIN,
  OPT_FORCE
};

static const cli_option OPTIONS[] = {
    [OPT_FORMS] = {"forms", NULL, "skicka formulären i stället för rapporten", NULL, NULL, 0},
    [OPT_REMIND] = {"remind", NULL,
                    "påminn dem som har fått formuläret men inte svarat; varje\n"
                    "gång en omgång har nått alla börjar nästa",
                    NULL, NULL, 0},
    [OPT_REPLY_BY] = {"reply-by", "DATUM",
                      "sista svarsdag i formulär- och påminnelsebrev, t.ex.\n"
                      "2024-01-31 (annars svara senast: i lagesrapport.yaml)",
                      NULL, NULL, 0},
    [OPT_SEND] = {"send", NULL, "skicka meddelandena (annars bara skriv dem)", NULL, NULL, 0},
    [OPT_SMTP] = {"smtp", "URL",
                  "SMTP-servern, t.ex. smtps://smtp.lansstyrelsen.example:465\n"
                  "(annars smtp: i lagesrapport.yaml)",
                  NULL, NULL, 0},
    [OPT_ONLY] = {"only", "ID,...", "bara de här aktörerna", NULL, NULL, CLI_REPEATS | CLI_ACTORS},
    [OPT_LIMIT] = {"limit", "N",
                   "sluta efter N skickade meddelanden (skicka t.ex. det första\n"
                   "till dig själv)",
                   NULL, NULL, 0},
    [OPT_RETRY_UNCERTAIN] = {"retry-uncertain", NULL,
                             "skicka även det som det är osäkert om det kom fram", NULL, NULL, 0},
    [OPT_FORCE] = {"force", NULL,
                   "skicka allt, även det som journalen visar som levererat\n"
                   "eller osäkert",
                   NULL, NULL, 0},
};

enum { ATTEMPTS = 3, DEFAULT_PAUSE = 5, DEFAULT_TIMEOUT = 60 };

typedef struct arguments {
  int year;
  bool forms, remind, send, force, retry_uncertain;
  lr_date reply_by;
  long long now;
  const char *smtp;
  const cli_given *only; /* the --only values, each a comma-separated list */
  size_t limit;
} arguments;

static bool parse_count(const char *s, size_t *out) {
  if (!*s || strlen(s) > 6) return false;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return false;
  *out = (size_t)atoi(s);
  return *out > 0;
}

/* YYYY-MM-DD, a real day. */
static bool parse_date(const char *s, lr_date *date) {
  static const int DAYS[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d, n = 0;
  if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > DAYS[m - 1] || (m == 2 && d == 29 && !leap))
    return false;
  *date = (lr_date){y, m, d};
  return true;
}

/* The moment the messages are written: SOURCE_DATE_EPOCH when set, as
 * reproducible builds have it, so that tests get the same bytes. */
static bool current_time(long long *now) {
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  if (!epoch || !*epoch) {
    *now = (long long)time(NULL);
    return true;
  }
  if (strlen(epoch) > 12 || strspn(epoch, "0123456789") != strlen(epoch)) return false;
  *now = atoll(epoch);
  return true;
}

static cli_outcome parse(const cli_context *cli, const cli_args *args, arguments *a) {
  a->year = args->years[0];
  a->forms = args->options[OPT_FORMS].count;
  a->remind = args->options[OPT_REMIND].count;
  const char *reply_by = cli_args_value(args, OPT_REPLY_BY);
  if (a->forms && a->remind)
    return cli_usage_error(cli, "mail", "välj --forms eller --remind, inte båda");
  if (reply_by && !a->forms && !a->remind)
    return cli_usage_error(cli, "mail", "--reply-by gäller bara med --forms eller --remind");
  if (reply_by && !parse_date(reply_by, &a->reply_by))
    return cli_usage_error(cli, "mail", "--reply-by behöver ett datum, t.ex. --reply-by 2024-01-31");
  if (!current_time(&a->now))
    return cli_usage_error(cli, "mail", "SOURCE_DATE_EPOCH ska vara ett antal sekunder sedan 1970");
  a->send = args->options[OPT_SEND].count;
  a->force = args->options[OPT_FORCE].count;
  a->retry_uncertain = args->options[OPT_RETRY_UNCERTAIN].count;
  a->smtp = cli_args_value(args, OPT_SMTP);
  a->only = &args->options[OPT_ONLY];
  const char *limit = cli_args_value(args, OPT_LIMIT);
  if (limit && !parse_count(limit, &a->limit))
    return cli_usage_error(cli, "mail", "--limit behöver ett antal, t.ex. --limit 1");
  if (!a->send && (a->smtp || a->limit || a->force || a->retry_uncertain))
    return cli_usage_error(cli, "mail",
                           "--smtp, --limit, --retry-uncertain och --force gäller bara med --send");
  return CLI_DONE;
}

/* "Aneby kommun <kvinnofrid@aneby.example>" */
static const char *recipient(lr_arena *arena, const lr_actor *a) {
  lr_buf b = {0};
  lr_buf_puts(&b, a->name);
  for (size_t i = 0; i < a->email_count; i++)
    lr_buf_printf(&b, "%s<%s>", i ? ", " : " ", a->emails[i]);
  const char *s = lr_arena_strdup(arena, lr_buf_cstr(&b));
  lr_buf_free(&b);
  return s;
}

typedef struct progress {
  lr_arena *arena;
  lr_buf failures;  /* one line per recipient that failed */
  lr_buf uncertain; /* one line per recipient that may not have got it */
  lr_buf uncertain_ids; /* "aneby,eksjo", for the command that sends them */
} progress;

static void note_uncertain(progress *pr, const lr_mail *mail, const char *who) {
  lr_buf_printf(&pr->uncertain, "  %s: %s\n", who, mail->path);
  lr_buf_printf(&pr->uncertain_ids, "%s%s", pr->uncertain_ids.len ? "," : "", mail->actor->id);
}

static void show(void *ctx, const lr_mail *mail, size_t number, size_t total, lr_delivery state,
                 const char *detail) {
  progress *pr = ctx;
  const char *who = recipient(pr->arena, mail->actor);
  switch (state) {
  case LR_DELIVERY_SENDING:
    /* The outcome follows on the same line once the server has answered. */
    printf("[%zu/%zu] %s … ", number, total, who);
    fflush(stdout);
    break;
  case LR_DELIVERY_SENT: puts("skickat"); break;
  case LR_DELIVERY_ALREADY_SENT:
    printf("[%zu/%zu] %s … redan skickat\n", number, total, who);
    break;
  case LR_DELIVERY_FAILED:
    printf("misslyckades: %s\n", detail);
    lr_buf_printf(&pr->failures, "  %s: %s\n", who, detail);
    break;
  case LR_DELIVERY_UNCERTAIN:
    printf("osäkert om det kom fram: %s\n", detail);
    note_uncertain(pr, mail, who);
    break;
  case LR_DELIVERY_HELD:
    printf("[%zu/%zu] %s … osäkert om det kom fram, skickas inte igen\n", number, total, who);
    note_uncertain(pr, mail, who);
    break;
  }
  fflush(stdout);
}

static void free_progress(progress *pr) {
  lr_buf_free(&pr->failures);
  lr_buf_free(&pr->uncertain);
  lr_buf_free(&pr->uncertain_ids);
}

/* What the officer has to do, since the program must not guess. */
static void explain_uncertain(lr_arena *arena, const lr_mailing *m, const lr_delivery_result *r,
                              progress *pr) {
  bool one = r->uncertain == 1;
  fprintf(stderr, "%s skickades utan att servern bekräftade %s, så det är osäkert om %s kom fram:\n%s",
          cli_count(arena, r->uncertain, "meddelande", "meddelanden"), one ? "det" : "dem",
          one ? "det" : "de", lr_buf_cstr(&pr->uncertain));
  fprintf(stderr,
          "Fråga %s om %s kom fram. %s skickas inte igen av sig självt, eftersom %s då kunde "
          "komma fram två gånger.\n"
          "Det som inte kom fram: kör samma kommando med --retry-uncertain --only %s\n"
          "Det som kom fram: ändra \"skickas\" till \"levererat\" på meddelandets sista rad i "
          "%s\n",
          one ? "mottagaren" : "mottagarna", one ? "meddelandet" : "meddelandena",
          one ? "Det" : "De", one ? "det" : "de", lr_buf_cstr(&pr->uncertain_ids),
          m->journal_path);
}

static void list_without_address(const lr_mailing *m) {
  for (size_t i = 0; i < m->count; i++)
    if (!m->mails[i].path) printf("      %s … ingen e-postadress\n", m->mails[i].actor->name);
}

static void dry_run(lr_project *p, const lr_mailing *m) {
  lr_arena *arena = lr_project_arena(p);
  size_t number = 0, delivered = 0, uncertain = 0;
  for (size_t i = 0; i < m->count; i++) {
    const lr_mail *mail = &m->mails[i];
    if (!mail->path) continue;
    delivered += mail->state == LR_MAIL_DELIVERED;
    uncertain += mail->state == LR_MAIL_UNCERTAIN;
    printf("[%zu/%zu] %s … %s%s\n", ++number, m->message_count, recipient(arena, mail->actor),
           mail->path,
           mail->state == LR_MAIL_DELIVERED   ? " (redan skickat)"
           : mail->state == LR_MAIL_UNCERTAIN ? " (osäkert om det kom fram)"
                                              : "");
  }
  list_without_address(m);
  printf("%s: %s, inget skickades (granska dem och skicka med --send)\n", m->dir,
         cli_count(arena, m->message_count, "meddelande skrivet", "meddelanden skrivna"));
  if (delivered)
    printf("journalen visar att %zu av dem redan har skickats; de skickas inte igen\n", delivered);
  if (uncertain)
    printf("journalen visar att %zu av dem kanske har kommit fram; de skickas bara med "
           "--retry-uncertain\n",
           uncertain);
}

/* Seconds from the environment, 0–999: the retry pause and the timeout,
 * which tests and impatient officers may shorten and officers behind a
 * slow server may lengthen. */
static bool seconds_from(const char *name, unsigned fallback, unsigned *seconds) {
  const char *text = getenv(name);
  *seconds = fallback;
  if (!text || !*text) return true;
  if (strlen(text) > 3 || strspn(text, "0123456789") != strlen(text)) return false;
  *seconds = (unsigned)atoi(text);
  return true;
}

/* A setting from the environment, which wins over lagesrapport.yaml. */
static const char *setting(const char *name, const char *configured) {
  const char *value = getenv(name);
  return value && *value ? value : configured;
}

static cli_outcome deliver(const cli_context *cli, lr_project *p, lr_mailing *m,
                           const arguments *a, const char *url) {
  lr_arena *arena = lr_project_arena(p);
  const lr_config *config = lr_project_config(p);
  const char *user = setting("LAGESRAPPORT_SMTP_USER", config->smtp_user);
  const char *password = getenv("LAGESRAPPORT_SMTP_PASSWORD");
  const char *token_command = getenv("LAGESRAPPORT_SMTP_TOKEN_COMMAND");
  const char *password_command = getenv("LAGESRAPPORT_SMTP_PASSWORD_COMMAND");
  /* Programs named relative to the project only in its own file. */
  const char *command_dir = NULL;
  if (!(token_command && *token_command) && !(password_command && *password_command)) {
    token_command = config->smtp_token_command;
    password_command = config->smtp_password_command;
    command_dir = config->root;
  }
  if (token_command && !*token_command) token_command = NULL;
  if (password_command && !*password_command) password_command = NULL;
  if (password && !*password) password = NULL;
  if (!user && password)
    return cli_usage_error(cli, "mail",
                           "LAGESRAPPORT_SMTP_PASSWORD är satt men inte LAGESRAPPORT_SMTP_USER");
  unsigned pause, timeout;
  if (!seconds_from("LAGESRAPPORT_SMTP_PAUSE", DEFAULT_PAUSE, &pause))
    return cli_usage_error(cli, "mail",
                           "LAGESRAPPORT_SMTP_PAUSE ska vara ett antal sekunder (0–999)");
  if (!seconds_from("LAGESRAPPORT_SMTP_TIMEOUT", DEFAULT_TIMEOUT, &timeout) || timeout == 0)
    return cli_usage_error(cli, "mail",
                           "LAGESRAPPORT_SMTP_TIMEOUT ska vara ett antal sekunder (1–999)");

  progress pr = {arena, {0}, {0}, {0}};
  lr_delivery_options o = {.url = url,
                           .user = user,
                           .password = user && !token_command && !password_command
                                           ? (password ? password : "")
                                           : password,
                           .token_command = token_command,
                           .password_command = password_command,
                           .command_dir = command_dir,
                           .ca_file = setting("LAGESRAPPORT_SMTP_CA", config->smtp_ca),
                           .force = a->force,
                           .retry_uncertain = a->retry_uncertain,
                           .limit = a->limit,
                           .attempts = ATTEMPTS,
                           .pause_seconds = pause,
                           .timeout_seconds = timeout,
                           .progress = show,
                           .progress_ctx = &pr};
  lr_delivery_result r;
  list_without_address(m);
  bool ok = lr_mailing_deliver(m, &o, &r, lr_project_diagnostics(p));
  cli_print_diagnostics(cli, p);

  printf("%s: %s skickades", m->dir, cli_count(arena, r.sent, "meddelande", "meddelanden"));
  if (r.already_sent) printf(", %zu hade redan skickats", r.already_sent);
  if (r.uncertain) printf(", %zu är osäkra", r.uncertain);
  if (r.failed) printf(", %zu misslyckades", r.failed);
  putchar('\n');
  if (r.left && r.unreachable)
    printf("%s skickades inte, eftersom servern inte gick att nå\n",
           cli_count(arena, r.left, "meddelande", "meddelanden"));
  else if (r.left)
    printf("%s skickades inte på grund av --limit %zu; kör igen för att skicka %s\n",
           cli_count(arena, r.left, "meddelande", "meddelanden"), a->limit,
           r.left == 1 ? "det" : "dem");
  if (r.failed && !r.unreachable) {
    fprintf(stderr, "%s kunde inte skickas:\n%s",
            cli_count(arena, r.failed, "meddelande", "meddelanden"), lr_buf_cstr(&pr.failures));
    fputs("Kör samma kommando igen för att försöka på nytt; det som redan har skickats skickas "
          "inte igen.\n",
          stderr);
  }
  if (r.uncertain) explain_uncertain(arena, m, &r, &pr);
  free_progress(&pr);
  if (!ok) return CLI_IO;
  return r.failed || r.uncertain ? CLI_UNSENT : CLI_DONE;
}

static cli_outcome run(const cli_context *cli, const cli_args *args) {
  arguments a = {0};
  cli_outcome status = parse(cli, args, &a);
  if (status != CLI_DONE) return status;

  /* Forms need only the registry; reports need the year's statements,
   * free of errors as for build. */
  lr_load_options load = {.dir = cli->project_dir, .years = &a.year, .year_count = a.forms ? 0 : 1};
  lr_project *p = lr_project_load(&load);
  lr_diag_list *diags = lr_project_diagnostics(p);
  const lr_config *config = lr_project_config(p);
  const char **ids;
  size_t id_count = cli_split_ids(lr_project_arena(p), a.only, &ids);
  lr_mail_options options = {.kind = a.forms    ? LR_MAIL_FORMS
                                     : a.remind ? LR_MAIL_REMINDER
                                                : LR_MAIL_REPORT,
                             .builtin_templates = cli_builtin_templates(),
                             .now = a.now,
                             .reply_by = a.reply_by};
  const char *url = a.smtp ? a.smtp : config->smtp_url;
  const lr_actor **selected = NULL;
  lr_mailing *m = NULL;
  status = cli_project_outcome(p);
  if (status != CLI_DONE) {
    /* no project, a year without statements or errors in the data */
  } else if (a.only->count && !id_count) {
    status = cli_usage_error(cli, "mail", "--only behöver minst en aktörs id");
  } else if (id_count && !lr_actors_select(p, ids, id_count, &selected, &options.actor_count)) {
    status = CLI_USAGE;
  } else if (a.send && !url) {
    status = cli_usage_error(cli, "mail", "ange SMTP-servern med --smtp URL eller smtp: i %s",
                             config->path);
  } else {
    options.actors = selected;
    options.smtp_url = a.send ? url : NULL;
    if (!lr_mailing_prepare(p, a.year, &options, &m)) status = CLI_USAGE;
  }
  if (!m) {
    cli_print_diagnostics(cli, p);
    if (status == CLI_INVALID)
      fprintf(stderr, "%s: inga meddelanden skrevs\n",
              cli_count(lr_project_arena(p), diags->errors, "fel", "fel"));
    lr_project_free(p);
    return status;
  }
  if (a.send) {
    status = deliver(cli, p, m, &a, url);
  } else if (!lr_mailing_read_journal(m, diags)) {
    cli_print_diagnostics(cli, p);
    status = CLI_IO;
  } else {
    cli_print_diagnostics(cli, p);
    dry_run(p, m);
  }
  lr_mailing_free(m);
  lr_project_free(p);
  return status;
}

const cli_command cmd_mail_command = {
    .name = "mail",
    .run = run,
    .summary = "skriv och skicka årets e-post till aktörerna",
    .operands = {"ÅR", 1, 1, true, "2022", "ange vilket år, t.ex. \"lagesrapport mail 2022\"",
                 "ange ett enda år"},
    .options = OPTIONS,
    .option_count = sizeof OPTIONS / sizeof *OPTIONS,
    .description =
        "Skriver ett e-postmeddelande per aktör till utskick/ÅR/rapport/<aktör>.eml i\n"
        "projektet: till varje aktör som har lämnat yttrande för ÅR, med aktörens\n"
        "återkoppling och hela rapporten (HTML, och arbetsboken när den finns) som\n"
        "bilagor. Kör \"lagesrapport build ÅR\" först. Med --forms skrivs i stället\n"
        "vinterns brev med formuläret från \"lagesrapport new ÅR\" till varje registrerad\n"
        "aktör, i utskick/ÅR/formular/. Aktörer utan e-postadress räknas upp; de får\n"
        "inget meddelande.\n"
        "\n"
        "Med --remind skrivs en påminnelse till varje aktör som har fått formuläret men\n"
        "inte svarat, som svar på formulärbrevet och med formuläret bifogat igen, i\n"
        "utskick/ÅR/paminnelse-1/. När en omgång har nått alla börjar nästa --remind\n"
        "omgång två, i paminnelse-2/; en avbruten omgång fortsätter där den slutade.\n"
        "\"lagesrapport status ÅR\" visar vilka som har svarat och hur många påminnelser\n"
        "var och en har fått. Sista svarsdag står i brevet om den är satt med --reply-by\n"
        "eller \"svara senast\" i lagesrapport.yaml.\n"
        "\n"
        "Utan --send skickas ingenting: öppna .eml-filerna i ett e-postprogram och granska\n"
        "dem. Med --send skickas samma byte över SMTP. Journalen journal.tsv i samma mapp\n"
        "får en rad \"skickas\" innan ett meddelande lämnar programmet och en rad\n"
        "\"levererat\" så fort servern har tagit emot det. Det som är levererat skickas\n"
        "inte igen; efter ett avbrott skickar en ny körning bara det som återstår. Ett\n"
        "tillfälligt fel innan meddelandet har börjat skickas (4xx, inget svar i tid)\n"
        "prövas tre gånger. Går servern inte att nå alls (anslutningen nekas, namnet\n"
        "finns inte, TLS misslyckas) stannar körningen efter det första meddelandet. En\n"
        "mottagare som servern nekar hindrar inte de andra; misslyckade mottagare\n"
        "räknas upp på slutet.\n"
        "\n"
        "Har ett meddelande skickats utan att servern har svarat (tiden gick ut,\n"
        "anslutningen bröts eller körningen avbröts) går det inte att veta om det kom\n"
        "fram. Det skickas då inte igen av sig självt, eftersom det kunde komma fram två\n"
        "gånger: det räknas upp som \"osäkert om det kom fram\" med sin fil, i varje\n"
        "körning tills du har bestämt dig, och körningen slutar med kod 1. Fråga\n"
        "mottagaren. Kom det inte fram, skicka det med --retry-uncertain; kom det fram,\n"
        "ändra \"skickas\" till \"levererat\" på dess sista rad i journal.tsv.\n"
        "\n"
        "Brevens text kommer från mallarna mail-rapport.txt, mail-formular.txt och\n"
        "mail-paminnelse.txt. Date är tiden då meddelandet skrivs, eller\n"
        "SOURCE_DATE_EPOCH när den är satt; Message-ID följer av år, slag och aktör.\n"
        "Bilagorna är bara publicerade filer och aktörens egen återkoppling.\n",
    .epilogue =
        "Kryptering: smtps:// är alltid krypterat. Till smtp:// krävs STARTTLS för alla\n"
        "värdar utom localhost och 127.x.x.x, där STARTTLS används om servern erbjuder\n"
        "det. Certifikatet kontrolleras alltid. Inloggning med OAuth2 (Microsoft 365),\n"
        "lösenordskommando och länets egen CA: se docs/epost.md.\n"
        "\n"
        "Miljö (vinner över smtp: i lagesrapport.yaml):\n"
        "  SOURCE_DATE_EPOCH  sekunder sedan 1970 att datera meddelandena med i stället\n"
        "                 för nu, så att samma data ger samma byte\n"
        "  LAGESRAPPORT_SMTP_USER, LAGESRAPPORT_SMTP_PASSWORD  inloggning på SMTP-servern\n"
        "                 (annars ~/.netrc); aldrig på kommandoraden\n"
        "  LAGESRAPPORT_SMTP_PASSWORD_COMMAND  kommando som skriver lösenordet\n"
        "  LAGESRAPPORT_SMTP_TOKEN_COMMAND  kommando som skriver en OAuth2-token\n"
        "                 (XOAUTH2); körs en gång per körning, utan skal\n"
        "  LAGESRAPPORT_SMTP_CA  PEM-fil med länets CA-certifikat\n"
        "  LAGESRAPPORT_SMTP_PAUSE  sekunder mellan försöken efter ett tillfälligt fel\n"
        "                 (standard 5)\n"
        "  LAGESRAPPORT_SMTP_TIMEOUT  sekunder att vänta på SMTP-servern för varje\n"
        "                 meddelande (standard 60)\n"
        "\n"
        "Slutkoder: 0 klart, 1 fel i data eller meddelanden som inte kunde skickas eller\n"
        "som det är osäkert om de kom fram, 2 användnings- eller I/O-fel (t.ex.\n"
        "rapporten eller formulären saknas, eller SMTP-servern går inte att nå).\n",
};
