/* `mail`: the year's messages to the actors — forms out in winter,
 * reminders to those who have not answered, the report and each actor's
 * feedback back in spring — written as .eml files for review and then
 * delivered, each once. A message is written once per run, dated then,
 * and the file the officer opened is byte for byte what the server
 * receives; the journal beside the files is what makes "once" survive a
 * failed run, and a message that may or may not have arrived is never
 * sent again without the officer's word. The mail folders live in
 * utskick/, apart from the reports, so a committed out/ holds reports. */
#include "mail/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

enum {
  MAX_ATTACHMENT = 64 * 1024 * 1024, /* far above any report */
  MAX_ROUNDS = 99,                   /* reminder rounds; a handful in practice */
};

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* ---- files ------------------------------------------------------------ */

static const char *read_file(lr_arena *arena, const char *path, size_t *size,
                             lr_diag_list *diags) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    lr_diag_add(diags, LR_ERROR, (lr_loc){path, 0, 0}, "kan inte läsa filen: %s", lr_errno_text(errno));
    return NULL;
  }
  lr_buf b = {0};
  char chunk[16384];
  size_t n;
  while (b.len <= MAX_ATTACHMENT && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    lr_buf_put(&b, chunk, n);
  bool ok = !ferror(fp) && b.len <= MAX_ATTACHMENT;
  fclose(fp);
  char *data = NULL;
  if (ok) {
    data = lr_arena_alloc(arena, b.len + 1);
    if (b.len) memcpy(data, b.data, b.len);
    *size = b.len;
  } else {
    lr_diag_add(diags, LR_ERROR, (lr_loc){path, 0, 0}, "kan inte läsa filen%s",
                b.len > MAX_ATTACHMENT ? ": den är för stor för att skickas med e-post" : "");
  }
  lr_buf_free(&b);
  return data;
}

/* ---- rendering -------------------------------------------------------- */

/* Plain text needs no escaping: {{x}} and {{{x}}} are the same. */
static void escape_none(const char *s, size_t n, lr_buf *out) { lr_buf_put(out, s, n); }

typedef struct mailer {
  lr_project *p;
  int year;
  lr_mail_kind kind;
  const char *build_dir;  /* <utdata>/<år> */
  const char *title;      /* the report's title */
  const char *domain;     /* the sender's, for Message-IDs */
  long long date;
  unsigned round;         /* reminders */
  const char *reply_by;   /* "31 januari 2024", or NULL */
  lr_templates *templates;
  /* Read once, attached to every report mail. */
  const char *report, *workbook;
  size_t report_size, workbook_size;
} mailer;

static lr_value *mail_view(const mailer *m, const lr_actor *a, const lr_statement *s,
                           const lr_attachment *files, const char *const *about, size_t count) {
  lr_arena *arena = m->p->arena;
  const lr_config *c = &m->p->config;
  lr_value *v = lr_value_map(arena);
  lr_value_set_int(v, "ar", m->year);
  lr_value_set_int(v, "foregaende_ar", m->year - 1);
  lr_value_set_string(v, "region", c->region);
  lr_value_set_string(v, "strategi", m->p->strategy.name);
  lr_value_set_string(v, "titel", m->title);
  lr_value_set_string(v, "lansstyrelse", c->sender_name ? c->sender_name : c->region);
  lr_value *sender = lr_value_map(arena);
  lr_value_set_string(sender, "namn", c->sender_name ? c->sender_name : "");
  lr_value_set_string(sender, "adress", c->sender_address);
  lr_value_set(v, "avsandare", sender);
  lr_value *actor = lr_value_map(arena);
  lr_value_set_string(actor, "id", a->id);
  lr_value_set_string(actor, "namn", a->name);
  lr_value_set(v, "aktor", actor);
  if (s && s->received.year) lr_value_set_string(v, "inkom", lr_date_text(arena, s->received));
  lr_value *list = lr_value_list(arena);
  for (size_t i = 0; i < count; i++) {
    lr_value *item = lr_value_map(arena);
    lr_value_set_string(item, "fil", files[i].filename);
    lr_value_set_string(item, "beskrivning", about[i]);
    lr_value_push(list, item);
  }
  lr_value_set(v, "bilagor", list);
  lr_value_set_bool(v, "har_arbetsbok", m->workbook != NULL);
  /* A form mail attaches the page first and the YAML form after it;
   * "fil" stays the YAML form, as templates written before knew it. */
  bool form = m->kind != LR_MAIL_REPORT && count == 2;
  lr_value_set_string(v, "fil", count ? files[form ? 1 : 0].filename : "");
  if (form) lr_value_set_string(v, "formular", files[0].filename);
  if (m->reply_by) lr_value_set_string(v, "svara_senast", m->reply_by);
  if (m->round) lr_value_set_int(v, "omgang", (long long)m->round);
  return v;
}

/* The template's first line is the subject, then an empty line, then the
 * body: one file holds all the wording a region may want to change. */
static bool split_text(lr_arena *arena, const char *template_name, const lr_buf *text,
                       const char **subject, const char **body, lr_diag_list *diags) {
  const char *s = text->data ? text->data : "";
  const char *nl = strchr(s, '\n');
  if (!nl || nl == s || nl[1] != '\n') {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0},
                             "mallen %s.mustache ska börja med ämnesraden och en tom rad",
                             template_name);
    lr_diag_hint(diags, d,
                 "skriv ämnet på första raden, lämna nästa rad tom och skriv sedan brevet");
    return false;
  }
  *subject = lr_arena_strndup(arena, s, (size_t)(nl - s));
  *body = lr_arena_strdup(arena, nl + 2);
  return true;
}

/* Message-IDs are unique per year, kind (and round) and actor, and the
 * same on every run: the journal knows a message by it. */
static const char *message_id(const mailer *m, const lr_actor *a) {
  return lr_mail_message_id(m->p->arena, m->year, m->kind, m->round, a->id, m->domain);
}

static bool render_mail(const mailer *m, lr_mail *mail, const lr_statement *s,
                        const lr_attachment *files, const char *const *about, size_t count) {
  lr_project *p = m->p;
  lr_arena *arena = p->arena;
  const lr_actor *a = mail->actor;
  static const char *const TEMPLATES[] = {[LR_MAIL_REPORT] = "mail-rapport.txt",
                                          [LR_MAIL_FORMS] = "mail-formular.txt",
                                          [LR_MAIL_REMINDER] = "mail-paminnelse.txt"};
  const char *name = TEMPLATES[m->kind];
  lr_buf text = {0};
  const char *subject, *body;
  bool ok = lr_templates_render(m->templates, name, mail_view(m, a, s, files, about, count),
                                escape_none, &text, &p->diags) &&
            split_text(arena, name, &text, &subject, &body, &p->diags);
  lr_buf_free(&text);
  if (!ok) return false;

  lr_mailbox *to = lr_arena_array(arena, a->email_count, sizeof *to);
  for (size_t i = 0; i < a->email_count; i++) to[i] = (lr_mailbox){a->name, a->emails[i]};
  lr_message msg = {
      .from = {p->config.sender_name, p->config.sender_address},
      .to = to,
      .to_count = a->email_count,
      .subject = subject,
      .body = body,
      .attachments = files,
      .attachment_count = count,
      .date = m->date,
      .message_id = mail->message_id,
      /* A reminder answers the form mail, so that it lands in its thread. */
      .in_reply_to = m->kind == LR_MAIL_REMINDER
                         ? lr_mail_message_id(arena, m->year, LR_MAIL_FORMS, 0, a->id, m->domain)
                         : NULL,
  };
  lr_buf bytes = {0};
  if (!lr_message_write(&msg, &bytes, &p->diags)) {
    lr_buf_free(&bytes);
    /* The writer's messages name the field; this one names the actor. */
    lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "meddelandet till %s kunde inte skrivas", a->id);
    return false;
  }
  char *copy = lr_arena_alloc(arena, bytes.len + 1);
  memcpy(copy, bytes.data, bytes.len);
  mail->bytes = copy;
  mail->size = bytes.len;
  lr_buf_free(&bytes);
  return true;
}

static bool report_mail(const mailer *m, lr_mail *mail, const lr_statement *s) {
  lr_arena *arena = m->p->arena;
  const char *id = mail->actor->id;
  const char *path = lr_path_join(arena, m->build_dir, lr_feedback_file(arena, id, "html"));
  lr_attachment files[3];
  const char *about[3];
  size_t n = 0;
  files[n] = (lr_attachment){lr_arena_printf(arena, "aterkoppling-%d-%s.html", m->year, id),
                             "text/html; charset=utf-8", NULL, 0};
  files[n].data = read_file(arena, path, &files[n].size, &m->p->diags);
  if (!files[n].data) return false;
  about[n++] = "Länsstyrelsens återkoppling till er";
  files[n] = (lr_attachment){lr_report_file(arena, m->year, "html"),
                             "text/html; charset=utf-8", m->report, m->report_size};
  about[n++] = "hela lägesrapporten";
  if (m->workbook) {
    files[n] = (lr_attachment){lr_report_file(arena, m->year, "xlsx"), XLSX_TYPE,
                               m->workbook, m->workbook_size};
    about[n++] = "rapportens siffror som arbetsbok för Excel";
  }
  return render_mail(m, mail, s, files, about, n);
}

/* What a form mail attaches; a reminder attaches the same again. */
static bool form_mail(const mailer *m, lr_mail *mail, const char *path) {
  lr_arena *arena = m->p->arena;
  const char *id = mail->actor->id;
  lr_attachment files[2] = {
      {lr_arena_printf(arena, "yttrande-%d-%s.html", m->year, id), "text/html; charset=utf-8",
       NULL, 0},
      {lr_arena_printf(arena, "%s.yaml", id), "text/plain; charset=utf-8", NULL, 0},
  };
  files[0].data = read_file(arena, lr_form_html_path(m->p, m->year, id), &files[0].size,
                            &m->p->diags);
  files[1].data = read_file(arena, path, &files[1].size, &m->p->diags);
  if (!files[0].data || !files[1].data) return false;
  const char *about[2] = {"formuläret för ert yttrande, att öppna i webbläsaren",
                          "samma formulär som textfil"};
  return render_mail(m, mail, NULL, files, about, 2);
}

/* ---- where the mail goes ----------------------------------------------- */

const char *lr_mail_folder(lr_project *p, int year, lr_mail_kind kind, unsigned round,
                           bool year_only) {
  lr_arena *arena = p->arena;
  const char *dir = lr_path_join(arena, p->config.root, lr_arena_printf(arena, "utskick/%d", year));
  if (year_only) return dir;
  switch (kind) {
  case LR_MAIL_REPORT: return lr_path_join(arena, dir, "rapport");
  case LR_MAIL_FORMS: return lr_path_join(arena, dir, "formular");
  case LR_MAIL_REMINDER: break;
  }
  return lr_path_join(arena, dir, lr_arena_printf(arena, "paminnelse-%u", round));
}

const char *lr_mail_message_id(lr_arena *arena, int year, lr_mail_kind kind, unsigned round,
                               const char *actor_id, const char *domain) {
  if (kind == LR_MAIL_REMINDER)
    return lr_arena_printf(arena, "%d.paminnelse-%u.%s@%s", year, round, actor_id, domain);
  return lr_arena_printf(arena, "%d.%s.%s@%s", year, kind == LR_MAIL_FORMS ? "formular" : "rapport",
                         actor_id, domain);
}

/* ---- preparing a mailing ---------------------------------------------- */

static const lr_statement *statement_of(const lr_year *y, const lr_actor *a) {
  for (size_t i = 0; y && i < y->statement_count; i++)
    if (y->statements[i].actor == a) return &y->statements[i];
  return NULL;
}

static bool missing_build(lr_project *p, const char *path, int year) {
  lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0},
                           "rapporten för %d är inte byggd (filen saknas)", year);
  lr_diag_hint(&p->diags, d, "kör \"lagesrapport build %d\" först; meddelandena bär dess filer",
               year);
  return false;
}

/* Everything a report mail attaches must be there before any message is
 * written, or some actors would get a mail and others not. */
static bool load_report_files(mailer *m, const lr_mail *mails, size_t count) {
  lr_project *p = m->p;
  lr_arena *arena = p->arena;
  const char *report = lr_path_join(arena, m->build_dir, lr_report_file(arena, m->year, "html"));
  if (!lr_path_is_file(report)) return missing_build(p, report, m->year);
  bool ok = true;
  for (size_t i = 0; i < count; i++) {
    const char *path =
        lr_path_join(arena, m->build_dir, lr_feedback_file(arena, mails[i].actor->id, "html"));
    if (mails[i].path && !lr_path_is_file(path)) ok = missing_build(p, path, m->year);
  }
  if (!ok) return false;
  m->report = read_file(arena, report, &m->report_size, &p->diags);
  const char *workbook = lr_path_join(arena, m->build_dir, lr_report_file(arena, m->year, "xlsx"));
  if (m->report && lr_path_is_file(workbook))
    m->workbook = read_file(arena, workbook, &m->workbook_size, &p->diags);
  return m->report && (!lr_path_is_file(workbook) || m->workbook);
}

/* Every form is named in one run when some are missing. */
static bool find_forms(lr_project *p, int year, const lr_mail *mails, size_t count) {
  bool ok = true;
  for (size_t i = 0; i < count; i++) {
    if (!mails[i].path) continue;
    const char *path = lr_statement_path(p, year, mails[i].actor->id);
    const char *page = lr_form_html_path(p, year, mails[i].actor->id);
    if (!lr_path_is_file(path)) {
      lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0},
                               "formuläret till %s saknas", mails[i].actor->name);
      lr_diag_hint(&p->diags, d, "skriv formulären med \"lagesrapport new %d\" först", year);
      ok = false;
    } else if (!lr_path_is_file(page)) {
      /* Forms written before `new` made pages: it makes them now, and
       * leaves the YAML forms as they are. */
      lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){page, 0, 0},
                               "formuläret i HTML till %s saknas", mails[i].actor->name);
      lr_diag_hint(&p->diags, d, "kör \"lagesrapport new %d\"; det skriver formulären i HTML "
                                 "och låter de befintliga yttrandena vara", year);
      ok = false;
    }
  }
  return ok;
}

bool lr_mailing_read_journal(lr_mailing *m, lr_diag_list *diags) {
  lr_journal *journal = lr_journal_load(m->journal_path, diags);
  if (!journal) return false;
  lr_journal_free(m->journal);
  m->journal = journal;
  for (size_t i = 0; i < m->count; i++)
    m->mails[i].state = m->mails[i].path ? lr_journal_state(journal, m->mails[i].message_id)
                                         : LR_MAIL_UNSENT;
  return true;
}

/* Journals from before utskick/ lay in the reports folder; sending from
 * a new folder beside one would send everything in it a second time. */
static bool refuse_old_folder(lr_project *p, int year, lr_mail_kind kind, const char *dir) {
  if (kind == LR_MAIL_REMINDER) return true;
  lr_arena *arena = p->arena;
  const char *old = lr_path_join(arena, lr_year_paths_get(p, year).output,
                                 kind == LR_MAIL_FORMS ? "mail-formular" : "mail");
  if (!lr_path_is_file(lr_path_join(arena, old, "journal.tsv"))) return true;
  if (lr_path_exists(lr_path_join(arena, dir, "journal.tsv"))) return true;
  lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){old, 0, 0},
                           "utskicket ligger kvar i rapportmappen; utskicken ligger numera i %s",
                           dir);
  lr_diag_hint(&p->diags, d, "flytta mappen med journalen dit: mkdir -p \"%s\" && mv \"%s\" \"%s\"",
               lr_mail_folder(p, year, kind, 0, true), old, dir);
  return false;
}

/* The actors the forms went to, by the forms journal. */
static lr_journal *forms_journal(lr_project *p, int year, lr_diag_list *diags) {
  const char *dir = lr_mail_folder(p, year, LR_MAIL_FORMS, 0, false);
  return lr_journal_load(lr_path_join(p->arena, dir, "journal.tsv"), diags);
}

static bool form_delivered(lr_project *p, const lr_journal *forms, int year, const char *domain,
                           const lr_actor *a) {
  const char *id = lr_mail_message_id(p->arena, year, LR_MAIL_FORMS, 0, a->id, domain);
  return lr_journal_state(forms, id) == LR_MAIL_DELIVERED;
}

/* Whether every one of the round's actors has had its reminder (or may
 * have: an uncertain one is the officer's to decide, not a reason to hold
 * back the next round). */
static bool round_done(lr_project *p, int year, unsigned round, const char *domain,
                       const lr_mail *mails, size_t count, bool *ok) {
  const char *dir = lr_mail_folder(p, year, LR_MAIL_REMINDER, round, false);
  lr_journal *j = lr_journal_load(lr_path_join(p->arena, dir, "journal.tsv"), &p->diags);
  if (!j) {
    *ok = false;
    return false;
  }
  bool done = true;
  for (size_t i = 0; i < count && done; i++) {
    if (!mails[i].actor->email_count) continue;
    const char *id =
        lr_mail_message_id(p->arena, year, LR_MAIL_REMINDER, round, mails[i].actor->id, domain);
    done = lr_journal_state(j, id) != LR_MAIL_UNSENT;
  }
  lr_journal_free(j);
  return done;
}

/* The latest round until it has reached everyone it is for; then the next. */
static unsigned reminder_round(lr_project *p, int year, const char *domain, const lr_mail *mails,
                               size_t count, bool *ok) {
  unsigned last = 0;
  while (last < MAX_ROUNDS &&
         lr_path_is_dir(lr_mail_folder(p, year, LR_MAIL_REMINDER, last + 1, false)))
    last++;
  if (!last) return 1;
  return round_done(p, year, last, domain, mails, count, ok) ? last + 1 : last;
}

/* A reply-by date must still be ahead when the letter is written. */
static bool check_reply_by(lr_project *p, lr_date date, lr_loc loc, long long now) {
  lr_date today = lr_date_of(now);
  if (lr_date_compare(date, today) >= 0) return true;
  lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, loc, "svarsdagen %s har redan passerat (i dag är %s)",
                           lr_date_text(p->arena, date), lr_date_text(p->arena, today));
  lr_diag_hint(&p->diags, d,
               "ange en senare dag med --reply-by ÅÅÅÅ-MM-DD eller \"svara senast\" i "
               "lagesrapport.yaml");
  return false;
}

bool lr_mailing_prepare(lr_project *p, int year, const lr_mail_options *o, lr_mailing **mailing) {
  *mailing = NULL;
  lr_arena *arena = p->arena;
  const lr_config *c = &p->config;
  bool require_tls;
  if (o->smtp_url && !lr_smtp_url_check(o->smtp_url, &require_tls, &p->diags)) return false;
  if (!c->sender_address) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){c->path, 0, 0},
                             "avsändare saknas: meddelandena behöver en avsändaradress");
    lr_diag_hint(&p->diags, d, "lägg till t.ex. avsändare: \"Länsstyrelsen i X län "
                               "<kvinnofrid@lansstyrelsen.example>\"");
    return false;
  }
  const lr_year *y = o->kind != LR_MAIL_FORMS ? lr_project_year(p, year) : NULL;
  if (o->kind != LR_MAIL_FORMS && !y) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){c->root, 0, 0},
                             "det finns inga yttranden för %d", year);
    lr_diag_hint(&p->diags, d, "formulären skickas med \"lagesrapport mail %d --forms\"", year);
    return false;
  }

  mailer m = {.p = p, .year = year, .kind = o->kind, .date = o->now};
  m.build_dir = lr_year_paths_get(p, year).output;
  m.domain = strrchr(c->sender_address, '@') + 1;
  m.title = lr_report_title(arena, y ? y->texts : NULL, year);
  m.templates = lr_templates_new(arena, c->templates_dir, o->builtin_templates);
  if (o->kind != LR_MAIL_REPORT) {
    lr_date reply_by = o->reply_by.year ? o->reply_by : c->reply_by;
    lr_loc where = o->reply_by.year ? (lr_loc){0} : c->reply_by_loc;
    if (reply_by.year && !check_reply_by(p, reply_by, where, o->now)) return false;
    m.reply_by = lr_date_words(arena, reply_by);
  }

  lr_journal *forms = NULL;
  if (o->kind == LR_MAIL_REMINDER) {
    forms = forms_journal(p, year, &p->diags);
    if (!forms) return false;
  }
  lr_mailing *out = lr_arena_alloc(arena, sizeof *out);
  out->kind = o->kind;
  out->year = year;
  out->from_address = c->sender_address;
  size_t candidates = o->actors ? o->actor_count : p->actor_count;
  out->mails = lr_arena_array(arena, candidates + 1, sizeof *out->mails);

  /* Who gets a message: for reports only actors that answered, for
   * reminders those the form went to that have not (naming another is an
   * error, not a quiet skip); for forms every registered actor. Without
   * an address an actor is listed, not mailed. */
  bool ok = true;
  size_t forms_sent = 0;
  for (size_t i = 0; i < candidates; i++) {
    const lr_actor *a = o->actors ? o->actors[i] : &p->actors[i];
    bool answered = y && statement_of(y, a);
    bool sent = forms && form_delivered(p, forms, year, m.domain, a);
    forms_sent += sent;
    const char *why = NULL, *hint = NULL;
    if (o->kind == LR_MAIL_REPORT && !answered) {
      why = "har inte lämnat något yttrande för";
      hint = "återkoppling skickas bara till aktörer som har svarat";
    } else if (o->kind == LR_MAIL_REMINDER && answered) {
      why = "har redan lämnat sitt yttrande för";
      hint = "påminnelser skickas bara till aktörer som inte har svarat";
    } else if (o->kind == LR_MAIL_REMINDER && !sent && a->email_count) {
      why = "har inte fått något formulär för";
      hint = "en påminnelse hänvisar till formulärbrevet; skicka formuläret med --forms först";
    }
    if (why) {
      if (o->actors) {
        lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "%s %s %d", a->id, why, year);
        lr_diag_hint(&p->diags, d, "%s", hint);
        ok = false;
      }
      continue;
    }
    lr_mail *mail = &out->mails[out->count++];
    mail->actor = a;
    if (!a->email_count) continue;
    out->message_count++;
  }
  lr_journal_free(forms);
  if (ok && o->kind == LR_MAIL_REMINDER && !forms_sent && !o->actors) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0},
                             "inga formulär för %d har skickats, så det finns inget att påminna om",
                             year);
    lr_diag_hint(&p->diags, d, "skicka formulären först med \"lagesrapport mail %d --forms --send\"",
                 year);
    return false;
  }
  if (ok && o->kind == LR_MAIL_REMINDER && !out->message_count) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0},
                             "alla som fick formuläret för %d har svarat; ingen påminnelse behövs",
                             year);
    lr_diag_hint(&p->diags, d, "se vilka som har svarat med \"lagesrapport status %d\"", year);
    return false;
  }
  if (!ok) return false;
  if (o->kind == LR_MAIL_REMINDER) {
    m.round = reminder_round(p, year, m.domain, out->mails, out->count, &ok);
    if (!ok) return false;
    if (m.round > MAX_ROUNDS) {
      lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "högst %d påminnelseomgångar går att skicka",
                  MAX_ROUNDS);
      return false;
    }
  }
  out->round = m.round;
  out->dir = lr_mail_folder(p, year, o->kind, m.round, false);
  out->journal_path = lr_path_join(arena, out->dir, "journal.tsv");
  if (!refuse_old_folder(p, year, o->kind, out->dir)) return false;
  for (size_t i = 0; i < out->count; i++) {
    lr_mail *mail = &out->mails[i];
    if (!mail->actor->email_count) continue;
    mail->path = lr_path_join(arena, out->dir, lr_arena_printf(arena, "%s.eml", mail->actor->id));
    mail->message_id = message_id(&m, mail->actor);
  }
  if ((o->kind == LR_MAIL_REPORT && !load_report_files(&m, out->mails, out->count)) ||
      (o->kind != LR_MAIL_REPORT && !find_forms(p, year, out->mails, out->count)))
    return false;

  /* Adopted: a mail folder from before manifests holds the journal. */
  lr_outputs *files = lr_outputs_new(arena, out->dir, LR_OUTPUTS_ADOPT, &p->diags);
  if (!files) return false;
  for (size_t i = 0; i < out->count && ok; i++) {
    lr_mail *mail = &out->mails[i];
    if (!mail->path) continue;
    ok = o->kind == LR_MAIL_REPORT ? report_mail(&m, mail, statement_of(y, mail->actor))
                                   : form_mail(&m, mail, lr_statement_path(p, year, mail->actor->id));
    if (ok)
      lr_buf_put(lr_outputs_add(files, lr_arena_printf(arena, "%s.eml", mail->actor->id)),
                 mail->bytes, mail->size);
  }
  ok = ok && lr_outputs_commit(files, &p->diags);
  lr_outputs_free(files);
  if (ok) *mailing = out;
  return ok;
}

void lr_mailing_free(lr_mailing *mailing) {
  if (mailing) lr_journal_free(mailing->journal);
}

/* ---- delivery --------------------------------------------------------- */

static bool starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_loopback(const char *host, size_t n) {
  static const char localhost[] = "localhost";
  if (n == sizeof localhost - 1) {
    size_t i = 0;
    while (i < n && (host[i] | 0x20) == localhost[i]) i++;
    if (i == n) return true;
  }
  if (n == 5 && memcmp(host, "[::1]", 5) == 0) return true;
  /* 127.0.0.0/8, written as a dotted quad. */
  if (n < 7 || !starts_with(host, "127.")) return false;
  int dots = 0;
  for (size_t i = 0; i < n; i++) {
    if (host[i] == '.') dots++;
    else if (host[i] < '0' || host[i] > '9') return false;
  }
  return dots == 3;
}

bool lr_smtp_url_check(const char *url, bool *require_tls, lr_diag_list *diags) {
  const char *rest = NULL;
  if (url && starts_with(url, "smtp://")) rest = url + 7;
  else if (url && starts_with(url, "smtps://")) rest = url + 8;
  if (!rest || !lr_text_is_header_safe(url)) {
    lr_diag *d =
        lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "ogiltig SMTP-adress \"%s\"", url ? url : "");
    lr_diag_hint(diags, d, "skriv smtps://värd:465 eller smtp://värd:587");
    return false;
  }
  size_t authority = strcspn(rest, "/?#");
  if (memchr(rest, '@', authority)) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0},
                             "SMTP-adressen får inte innehålla användarnamn eller lösenord");
    lr_diag_hint(diags, d, "ange dem i LAGESRAPPORT_SMTP_USER och LAGESRAPPORT_SMTP_PASSWORD "
                           "eller i ~/.netrc, aldrig på kommandoraden");
    return false;
  }
  size_t host = rest[0] == '[' ? strcspn(rest, "]") + 1 : strcspn(rest, ":/?#");
  if (host == 0 || host > authority) {
    lr_diag *d =
        lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "SMTP-adressen \"%s\" saknar värd", url);
    lr_diag_hint(diags, d, "skriv smtps://värd:465 eller smtp://värd:587");
    return false;
  }
  /* Passwords and the actors' mail cross the network only encrypted; on
   * loopback nothing leaves the machine, and a local relay rarely has TLS. */
  *require_tls = !is_loopback(rest, host);
  return true;
}

static void pause_for(unsigned seconds) {
  struct timespec t = {(time_t)seconds, 0};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

static void tell(const lr_delivery_options *o, const lr_mail *mail, size_t number, size_t total,
                 lr_delivery state, const char *detail) {
  if (o->progress) o->progress(o->progress_ctx, mail, number, total, state, detail);
}

/* One sending run per mail folder at a time: two would each go by the
 * journal as it was before the other wrote to it. The folder itself is
 * locked, so there is no lock file to leave behind, and the lock goes
 * with the descriptor when a run ends, however it ends. */
static int lock_folder(const lr_mailing *m, lr_diag_list *diags) {
  int fd = open(m->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
  int saved = errno;
  if (fd >= 0) close(fd);
  if (saved == EWOULDBLOCK)
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "en annan körning skickar redan meddelandena i %s",
                m->dir);
  else
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kan inte låsa %s: %s", m->dir, lr_errno_text(saved));
  return -1;
}

/* One message's way to the server, as the journal hears of it. */
typedef struct attempt {
  lr_mailing *mailing;
  const lr_mail *mail;
  lr_diag_list *diags;
  bool data_begun;     /* "skickas" is journalled: the message may leave */
  bool journal_failed; /* a record could not be written: the run stops */
} attempt;

static bool journal_sending(void *ctx) {
  attempt *a = ctx;
  if (!lr_journal_append(a->mailing->journal, a->mail->actor->id, a->mail->message_id,
                         LR_JOURNAL_SENDING, (long long)time(NULL), a->diags)) {
    lr_diag *d = lr_diag_add(a->diags, LR_ERROR, (lr_loc){a->mailing->journal_path, 0, 0},
                             "meddelandet till %s skickades inte, eftersom journalen inte "
                             "kunde skrivas; inget mer skickas",
                             a->mail->actor->id);
    lr_diag_hint(a->diags, d, "se till att journalen går att skriva och kör igen");
    a->journal_failed = true;
    return false;
  }
  a->data_begun = true;
  return true;
}

/* Called the instant the server's 250 arrives, before QUIT: from here on,
 * sending the message again would be sending it twice. */
static void journal_delivered(void *ctx) {
  attempt *a = ctx;
  if (lr_journal_append(a->mailing->journal, a->mail->actor->id, a->mail->message_id,
                        LR_JOURNAL_DELIVERED, (long long)time(NULL), a->diags))
    return;
  lr_diag *d = lr_diag_add(a->diags, LR_ERROR, (lr_loc){a->mailing->journal_path, 0, 0},
                           "meddelandet till %s levererades men kunde inte föras in i "
                           "journalen; inget mer skickas",
                           a->mail->actor->id);
  lr_diag_hint(a->diags, d,
               "journalen visar det som osäkert; ändra \"skickas\" till \"levererat\" på "
               "dess sista rad innan du kör igen");
  a->journal_failed = true;
}

bool lr_mailing_deliver(lr_mailing *m, const lr_delivery_options *o, lr_delivery_result *r,
                        lr_diag_list *diags) {
  memset(r, 0, sizeof *r);
  bool require_tls;
  if (!lr_smtp_url_check(o->url, &require_tls, diags)) return false;
  lr_smtp_options smtp;
  lr_buf secret = {0};
  if (!lr_smtp_options_prepare(&smtp, o, m->from_address, require_tls, &secret, diags))
    return false;
  int lock = lock_folder(m, diags);
  if (lock < 0) {
    lr_secret_wipe(&secret);
    return false;
  }
  /* The journal as it is once the folder is locked: another run may have
   * added to it since. */
  if (!lr_mailing_read_journal(m, diags)) {
    lr_secret_wipe(&secret);
    close(lock);
    return false;
  }
  unsigned attempts = o->attempts ? o->attempts : 1;
  /* A refused mail is the delivery's news, told through o, not an error
   * in the project: its reason is kept apart, in a list of its own. */
  lr_arena *scratch = lr_arena_new();
  lr_diag_list failures;
  lr_diag_list_init(&failures, scratch);
  size_t number = 0, tried = 0;
  bool ok = true;
  for (size_t i = 0; i < m->count && ok; i++) {
    lr_mail *mail = &m->mails[i];
    if (!mail->path) continue;
    number++;
    if (mail->state == LR_MAIL_DELIVERED && !o->force) {
      r->already_sent++;
      tell(o, mail, number, m->message_count, LR_DELIVERY_ALREADY_SENT, NULL);
      continue;
    }
    /* Sending it again could mean two copies: only the officer, who can
     * ask the recipient, may decide that. */
    if (mail->state == LR_MAIL_UNCERTAIN && !o->force && !o->retry_uncertain) {
      r->uncertain++;
      tell(o, mail, number, m->message_count, LR_DELIVERY_HELD, NULL);
      continue;
    }
    if (o->limit && tried >= o->limit) {
      r->left++;
      continue;
    }
    tried++;
    tell(o, mail, number, m->message_count, LR_DELIVERY_SENDING, NULL);
    attempt a = {m, mail, diags, false, false};
    lr_send_events events = {journal_sending, journal_delivered, &a};
    lr_send_result result = LR_SEND_TEMPORARY;
    unsigned tries = 0;
    /* Only a failure before any of the message left is tried again: after
     * that the server may have it, however the failure looked. */
    while (tries < attempts && result == LR_SEND_TEMPORARY && !a.data_begun &&
           !a.journal_failed) {
      if (tries++) pause_for(o->pause_seconds);
      result = lr_smtp_send(&smtp, m->from_address, mail->actor->emails, mail->actor->email_count,
                            mail->bytes, mail->size, &events, &failures);
    }
    /* The last try's reason: the one that decided. */
    const char *why = failures.count ? failures.items[failures.count - 1].message : "";
    lr_diag_list_release(&failures);
    if (a.journal_failed) ok = false;
    if (result == LR_SEND_UNREACHABLE) {
      /* Every other message would meet the same closed door: one clear
       * line instead of one failure per recipient. */
      r->unreachable = true;
      r->failed++;
      tell(o, mail, number, m->message_count, LR_DELIVERY_FAILED, why);
      for (size_t k = i + 1; k < m->count; k++)
        r->left += m->mails[k].path && m->mails[k].state != LR_MAIL_DELIVERED;
      lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0},
                               "SMTP-servern %s gick inte att nå, så inget mer skickas: %s",
                               o->url, why);
      lr_diag_hint(diags, d, "kontrollera adressen och nätet och kör samma kommando igen; "
                             "det som redan har skickats skickas inte igen");
      ok = false;
      break;
    }
    if (result == LR_SEND_OK) {
      mail->state = LR_MAIL_DELIVERED;
      r->sent++;
      tell(o, mail, number, m->message_count, LR_DELIVERY_SENT, NULL);
      continue;
    }
    if (result == LR_SEND_UNCERTAIN) {
      mail->state = LR_MAIL_UNCERTAIN;
      r->uncertain++;
      tell(o, mail, number, m->message_count, LR_DELIVERY_UNCERTAIN, why);
      continue;
    }
    /* The server refused the message or never got all of it: the journal
     * says so, or it would call the message uncertain. */
    if (a.data_begun) {
      if (lr_journal_append(m->journal, mail->actor->id, mail->message_id, LR_JOURNAL_FAILED,
                            (long long)time(NULL), diags)) {
        mail->state = LR_MAIL_UNSENT;
      } else {
        mail->state = LR_MAIL_UNCERTAIN;
        ok = false;
      }
    }
    if (tries > 1) why = lr_arena_printf(scratch, "%s (%u försök)", why, tries);
    r->failed++;
    tell(o, mail, number, m->message_count, LR_DELIVERY_FAILED, why);
    if (result == LR_SEND_STOP_RUN) {
      lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0},
                               "inget mer skickas: de andra meddelandena skulle misslyckas "
                               "på samma sätt");
      lr_diag_hint(diags, d, "rätta inloggningen eller certifikatet och kör samma kommando igen");
      ok = false;
    }
  }
  lr_secret_wipe(&secret);
  lr_arena_free(scratch);
  close(lock);
  return ok;
}
