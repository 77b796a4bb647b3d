/* `mail`: the year's messages to the actors — forms out in winter, the
 * report and each actor's feedback back in spring — written as .eml files
 * for review and then delivered, each once. Every message is rendered
 * from the data alone (Date and Message-ID included), so the file the
 * officer opened is byte for byte what the server receives, and the
 * journal beside the files is what makes "once" survive a failed run;
 * a message that may or may not have arrived is never sent again without
 * the officer's word. */
#include "mail/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
  SEND_HOUR = 8,                         /* 08:00 UTC: morning in Sweden */
  MAX_ATTACHMENT = 64 * 1024 * 1024,     /* far above any report */
};

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* ---- dates ------------------------------------------------------------ */

static long long morning(lr_date date) { return lr_date_days(date) * 86400 + SEND_HOUR * 3600; }

/* --only never changes a message: the date is the whole year's. */
static long long report_date(const lr_year *y) { return morning(lr_year_last_received(y)); }

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
  lr_value_set_string(v, "fil", count ? files[0].filename : "");
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

/* Message-IDs are unique per year, kind and actor, and the same on every
 * run: the journal knows a message by it. */
static const char *message_id(const mailer *m, const lr_actor *a) {
  return lr_arena_printf(m->p->arena, "%d.%s.%s@%s", m->year,
                         m->kind == LR_MAIL_FORMS ? "formular" : "rapport", a->id, m->domain);
}

static bool render_mail(const mailer *m, lr_mail *mail, const lr_statement *s,
                        const lr_attachment *files, const char *const *about, size_t count) {
  lr_project *p = m->p;
  lr_arena *arena = p->arena;
  const lr_actor *a = mail->actor;
  const char *name = m->kind == LR_MAIL_FORMS ? "mail-formular.txt" : "mail-rapport.txt";
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

static bool form_mail(const mailer *m, lr_mail *mail, const char *path) {
  lr_arena *arena = m->p->arena;
  lr_attachment file = {lr_arena_printf(arena, "%s.yaml", mail->actor->id),
                        "text/plain; charset=utf-8", NULL, 0};
  file.data = read_file(arena, path, &file.size, &m->p->diags);
  if (!file.data) return false;
  const char *about = "formuläret för ert yttrande";
  return render_mail(m, mail, NULL, &file, &about, 1);
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
    const char *path = lr_statement_path(p, year, mails[i].actor->id);
    if (!mails[i].path || lr_path_is_file(path)) continue;
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0},
                             "formuläret till %s saknas", mails[i].actor->name);
    lr_diag_hint(&p->diags, d, "skriv formulären med \"lagesrapport new %d\" först", year);
    ok = false;
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
  const lr_year *y = o->kind == LR_MAIL_REPORT ? lr_project_year(p, year) : NULL;
  if (o->kind == LR_MAIL_REPORT && !y) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){c->root, 0, 0},
                             "det finns inga yttranden för %d", year);
    lr_diag_hint(&p->diags, d, "formulären skickas med \"lagesrapport mail %d --forms\"", year);
    return false;
  }

  mailer m = {.p = p, .year = year, .kind = o->kind};
  m.build_dir = lr_year_paths_get(p, year).output;
  m.domain = strrchr(c->sender_address, '@') + 1;
  m.title = lr_report_title(arena, y ? y->texts : NULL, year);
  m.date = y ? report_date(y) : morning((lr_date){year, 12, 1});
  m.templates = lr_templates_new(arena, c->templates_dir, o->builtin_templates);

  lr_mailing *out = lr_arena_alloc(arena, sizeof *out);
  out->kind = o->kind;
  out->year = year;
  out->dir = lr_path_join(arena, m.build_dir, o->kind == LR_MAIL_FORMS ? "mail-formular" : "mail");
  out->journal_path = lr_path_join(arena, out->dir, "journal.tsv");
  out->from_address = c->sender_address;
  size_t candidates = o->actors ? o->actor_count : p->actor_count;
  out->mails = lr_arena_array(arena, candidates + 1, sizeof *out->mails);

  /* Who gets a message: for reports only actors that answered (naming
   * one that did not is an error, not a quiet skip); for forms every
   * registered actor. Without an address an actor is listed, not mailed. */
  bool ok = true;
  for (size_t i = 0; i < candidates; i++) {
    const lr_actor *a = o->actors ? o->actors[i] : &p->actors[i];
    if (y && !statement_of(y, a)) {
      if (o->actors) {
        lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0},
                                 "%s har inte lämnat något yttrande för %d", a->id, year);
        lr_diag_hint(&p->diags, d, "återkoppling skickas bara till aktörer som har svarat");
        ok = false;
      }
      continue;
    }
    lr_mail *mail = &out->mails[out->count++];
    mail->actor = a;
    if (!a->email_count) continue;
    mail->path = lr_path_join(arena, out->dir, lr_arena_printf(arena, "%s.eml", a->id));
    mail->message_id = message_id(&m, a);
    out->message_count++;
  }
  if (!ok || (o->kind == LR_MAIL_REPORT && !load_report_files(&m, out->mails, out->count)) ||
      (o->kind == LR_MAIL_FORMS && !find_forms(p, year, out->mails, out->count)))
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
 * journal as it was before the other wrote to it. The lock goes with the
 * descriptor, so a crashed run leaves none behind. */
static int lock_folder(const lr_mailing *m, lr_diag_list *diags) {
  lr_buf path = {0};
  lr_buf_printf(&path, "%s/.journal.lock", m->dir);
  int fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  struct flock lock;
  memset(&lock, 0, sizeof lock);
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (fd >= 0 && fcntl(fd, F_SETLK, &lock) == 0) {
    lr_buf_free(&path);
    return fd;
  }
  int saved = errno;
  if (fd >= 0) close(fd);
  if (saved == EACCES || saved == EAGAIN)
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "en annan körning skickar redan meddelandena i %s",
                m->dir);
  else
    lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "kan inte låsa %s: %s", path.data, lr_errno_text(saved));
  lr_buf_free(&path);
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
  int lock = lock_folder(m, diags);
  if (lock < 0) return false;
  /* The journal as it is once the folder is locked: another run may have
   * added to it since. */
  if (!lr_mailing_read_journal(m, diags)) {
    close(lock);
    return false;
  }
  lr_smtp_options smtp = {o->url, o->user, o->password, require_tls, o->timeout_seconds};
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
  }
  lr_arena_free(scratch);
  close(lock);
  return ok;
}
