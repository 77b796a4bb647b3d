/* SMTP delivery of a message that is already bytes. libcurl only carries
 * the exact octets of the .eml (its own MIME builder would re-encode them
 * with random boundaries), and the outcome is sorted into "try again",
 * "give up" and "the server may have it" so that the caller can journal
 * and report each message honestly.
 *
 * SMTP cannot close the gap between a server storing a message and the
 * client hearing its 250, so the caller is told the two moments around it
 * as they happen: just before the first byte of the message leaves, and
 * the instant the 250 arrives. Both are learnt from libcurl's callbacks
 * inside the transfer, since the transfer only returns after QUIT (the
 * connection is never reused), and QUIT is cut short after a few seconds:
 * by then nothing about the message is left to learn. */
#include "mail/mail.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct transfer {
  const char *data;
  size_t size, sent;
  const lr_send_events *events;
  bool data_begun;    /* data_begins said yes: the message may leave */
  bool data_refused;  /* data_begins said no: the transfer was stopped */
  bool data_ended;    /* libcurl has had every byte: only a reply can tell
                         whether the server has the message */
  int final_code;     /* the server's reply to the end of the message */
  bool accepted_told;
  bool quitting;      /* QUIT has been sent */
  struct timespec quit_deadline;
  lr_buf reply;       /* the last 4xx or 5xx reply line */
} transfer;

static void tell_accepted(transfer *t) {
  if (t->accepted_told) return;
  t->accepted_told = true;
  if (t->events && t->events->accepted) t->events->accepted(t->events->ctx);
}

static size_t read_message(char *dest, size_t size, size_t count, void *ctx) {
  transfer *t = ctx;
  /* libcurl asks for the message only once the server has answered DATA
   * with 354, and the server cannot keep a message before its final
   * ".": this is the last moment at which it certainly has nothing. */
  if (!t->data_begun) {
    if (t->events && t->events->data_begins &&
        !t->events->data_begins(t->events->ctx)) {
      t->data_refused = true;
      return CURL_READFUNC_ABORT;
    }
    t->data_begun = true;
  }
  size_t room = size * count, left = t->size - t->sent;
  size_t n = left < room ? left : room;
  if (n) memcpy(dest, t->data + t->sent, n);
  t->sent += n;
  if (t->sent == t->size) t->data_ended = true;
  return n;
}

static bool has_prefix(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++)
    if ((*s | 0x20) != *prefix) return false; /* ASCII case-insensitive */
  return true;
}

/* The code of a reply's last line ("250 OK", "250"), or 0 for a line that
 * more lines of the same reply follow ("250-PIPELINING") or no reply. */
static int final_reply_code(const char *line, size_t n) {
  if (n < 3 || (n > 3 && line[3] != ' ')) return 0;
  for (int i = 0; i < 3; i++)
    if (line[i] < '0' || line[i] > '9') return 0;
  return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

static void note_reply(transfer *t, const char *line, size_t n) {
  /* libcurl's own error text names the command that failed but not what
   * the server said, and the last line of all is often the "221 Bye" of
   * the closing QUIT. */
  if (line[0] == '4' || line[0] == '5') {
    lr_buf_clear(&t->reply);
    for (size_t k = 0; k < n; k++) {
      unsigned char c = (unsigned char)line[k];
      lr_buf_putc(&t->reply, c >= 0x20 && c < 0x7F ? (char)c : '?');
    }
  }
  if (!t->data_ended || t->final_code) return;
  /* Replies come in order: the first after the message is the answer to
   * it, even when it comes late, after QUIT has gone out; but then only a
   * 250 is sure to be that answer and not QUIT's. */
  int code = final_reply_code(line, n);
  if (!code || (t->quitting && code != 250)) return;
  t->final_code = code;
  if (code >= 200 && code < 300) tell_accepted(t);
}

/* Follows the conversation as libcurl reports it: what the server said,
 * and when QUIT went out. Nothing is printed. */
static int watch_protocol(CURL *curl, curl_infotype type, char *data,
                          size_t size, void *ctx) {
  (void)curl;
  transfer *t = ctx;
  if (type == CURLINFO_HEADER_OUT && size >= 4 && has_prefix(data, "quit") &&
      !t->quitting) {
    t->quitting = true;
    clock_gettime(CLOCK_MONOTONIC, &t->quit_deadline);
    t->quit_deadline.tv_sec += LR_SMTP_QUIT_SECONDS;
  }
  if (type != CURLINFO_HEADER_IN) return 0;
  size_t start = 0;
  for (size_t i = 0; i <= size; i++) {
    if (i < size && data[i] != '\r' && data[i] != '\n') continue;
    if (i > start) note_reply(t, data + start, i - start);
    start = i + 1;
  }
  return 0;
}

/* libcurl waits for the answer to QUIT for two minutes whatever the
 * transfer's timeout; its progress callback, called about once a second
 * while it waits, is the one way to stop that wait sooner. */
static int watch_time(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
                      curl_off_t ultotal, curl_off_t ulnow) {
  (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
  transfer *t = ctx;
  if (!t->quitting) return 0;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > t->quit_deadline.tv_sec ||
         (now.tv_sec == t->quit_deadline.tv_sec &&
          now.tv_nsec >= t->quit_deadline.tv_nsec);
}

/* Failures without a reply code that retrying cannot fix. */
static bool is_setup_error(CURLcode rc) {
  switch (rc) {
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
  case CURLE_NOT_BUILT_IN:
  case CURLE_UNKNOWN_OPTION: return true;
  default: return false;
  }
}

/* Failures every message of the run would meet in the same way: sending
 * the rest would only repeat them, or lock the account. 530 is "log in
 * first" or "STARTTLS first", 534 and 535 a refused login. */
static bool stops_the_run(CURLcode rc, long code) {
  switch (rc) {
  case CURLE_USE_SSL_FAILED:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_LOGIN_DENIED: return true;
  default: return code == 530 || code == 534 || code == 535;
  }
}

/* Why the certificate was not trusted, and what to do, from the words of
 * libcurl and OpenSSL, which are the only place that says. */
typedef struct certificate_problem {
  const char *says, *means, *hint;
} certificate_problem;

static const char UNKNOWN_CA[] = "certifikatet är utfärdat av en okänd certifikatutfärdare (CA)";
static const char GIVE_CA[] = "ange länsstyrelsens CA-fil (PEM) med ca: under smtp: i "
                              "lagesrapport.yaml eller i LAGESRAPPORT_SMTP_CA";
static const char OTHER_NAME[] = "certifikatet är utfärdat för ett annat namn än servern";
static const char USE_NAME[] = "skriv serverns namn i SMTP-adressen så som det står i certifikatet";
static const char ASK_ADMIN[] = "kontakta den som sköter e-postservern; kontrollera också "
                                "datorns klocka";

static certificate_problem certificate_problem_of(const char *curl_error) {
  static const certificate_problem table[] = {
      {"has expired", "certifikatet har gått ut", ASK_ADMIN},
      {"not yet valid", "certifikatet gäller inte ännu", ASK_ADMIN},
      {"target host name", OTHER_NAME, USE_NAME},
      {"does not match", OTHER_NAME, USE_NAME},
      {"self-signed", UNKNOWN_CA, GIVE_CA},
      {"self signed", UNKNOWN_CA, GIVE_CA},
      {"local issuer", UNKNOWN_CA, GIVE_CA},
      {"unable to get issuer", UNKNOWN_CA, GIVE_CA},
      {"revoked", "certifikatet är återkallat", ASK_ADMIN},
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++)
    if (strstr(curl_error, table[i].says)) return table[i];
  return (certificate_problem){"", "certifikatet godtogs inte", ASK_ADMIN};
}

/* The host:port of a checked URL, for messages. */
static void put_host(lr_buf *out, const char *url) {
  const char *rest = strstr(url, "://");
  rest = rest ? rest + 3 : url;
  lr_buf_put(out, rest, strcspn(rest, "/?#"));
}

/* Failures before any message was offered, that every other message of
 * the run would meet as well. A timeout is not among them: a slow server may
 * still answer the next time. */
static bool is_unreachable(CURLcode rc) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_USE_SSL_FAILED: return true;
  default: return false;
  }
}

static const char *explain(CURLcode rc) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
    return "SMTP-serverns namn kunde inte slås upp";
  case CURLE_COULDNT_CONNECT: return "kunde inte ansluta till SMTP-servern";
  case CURLE_OPERATION_TIMEDOUT: return "SMTP-servern svarade inte i tid";
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING: return "anslutningen till SMTP-servern bröts";
  case CURLE_USE_SSL_FAILED:
    return "SMTP-servern erbjuder inte STARTTLS, och okrypterad sändning är "
           "inte tillåten";
  case CURLE_SSL_CONNECT_ERROR:
    return "TLS-anslutningen till SMTP-servern misslyckades";
  case CURLE_PEER_FAILED_VERIFICATION:
    return "SMTP-serverns certifikat kunde inte verifieras";
  case CURLE_SSL_CACERT_BADFILE:
    return "CA-filen kunde inte läsas av TLS-biblioteket";
  case CURLE_LOGIN_DENIED: return "SMTP-servern nekade inloggningen";
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
    return "ogiltig SMTP-adress (skriv smtp://värd:port eller "
           "smtps://värd:port)";
  default: return "sändningen misslyckades";
  }
}

/* libcurl's words for rc: it is open, as only a transfer has an rc. */
static const char *curl_text(CURLcode rc) {
  const lr_curl *c = lr_curl_open(NULL);
  return c ? c->easy_strerror(rc) : "";
}

static lr_send_result fail(lr_buf *error, lr_send_result result,
                           const char *text) {
  lr_buf_puts(error, text);
  return result;
}

/* Sorts the outcome: the server's reply code decides when there is one
 * (RFC 5321 4.2.1), else how libcurl failed; a failure that every message
 * would meet stops the run whatever its code. */
static lr_send_result classify(const lr_smtp_options *o, CURLcode rc, long code,
                               const char *reply, const char *curl_error, lr_buf *error) {
  if (rc == CURLE_OK) return LR_SEND_OK;
  bool stop = stops_the_run(rc, code);
  if (rc == CURLE_PEER_FAILED_VERIFICATION) {
    certificate_problem problem = certificate_problem_of(curl_error);
    lr_buf_puts(error, "TLS-anslutningen till ");
    put_host(error, o->url);
    lr_buf_printf(error, " avbröts: %s (curl: %s); %s", problem.means, curl_error, problem.hint);
    return LR_SEND_STOP_RUN;
  }
  /* Refused without a 5xx: libcurl found no mechanism it may use. */
  if (rc == CURLE_LOGIN_DENIED && (code < 500 || code >= 600)) {
    lr_buf_puts(error, "SMTP-servern ");
    put_host(error, o->url);
    lr_buf_puts(error, o->bearer ? " erbjuder inte inloggning med OAuth2 (AUTH XOAUTH2)"
                                 : " erbjuder inget inloggningssätt som programmet kan använda");
    return LR_SEND_STOP_RUN;
  }
  if (rc == CURLE_LOGIN_DENIED || code == 534 || code == 535) {
    lr_buf_puts(error, "SMTP-servern ");
    put_host(error, o->url);
    lr_buf_puts(error, " nekade inloggningen");
    if (code >= 500 && code < 600) lr_buf_printf(error, " (%ld)", code);
    lr_buf_puts(error, o->bearer ? "; kontrollera att tokenkommandot ger en giltig token för "
                                   "avsändarens brevlåda"
                                 : "; kontrollera användarnamnet och lösenordet");
    return LR_SEND_STOP_RUN;
  }
  if (code >= 400 && code < 600) {
    bool temporary = code < 500;
    lr_buf_printf(error, "SMTP-servern svarade %ld (%s)", code,
                  temporary ? "tillfälligt fel, försök igen senare"
                            : "permanent fel");
    /* The server's own words, if the kept reply is this one's. */
    char digits[8];
    int n = snprintf(digits, sizeof digits, "%ld", code);
    if (strncmp(reply, digits, (size_t)n) == 0) {
      const char *text = reply + n + strspn(reply + n, " -");
      if (*text) lr_buf_printf(error, ": %s", text);
    }
    if (stop) return LR_SEND_STOP_RUN;
    return temporary ? LR_SEND_TEMPORARY : LR_SEND_PERMANENT;
  }
  lr_buf_printf(error, "%s (curl: %s)", explain(rc),
                *curl_error ? curl_error : curl_text(rc));
  if (stop) return LR_SEND_STOP_RUN;
  if (is_unreachable(rc)) return LR_SEND_UNREACHABLE;
  return is_setup_error(rc) ? LR_SEND_PERMANENT : LR_SEND_TEMPORARY;
}

/* What became of the message once it may have left. */
static lr_send_result outcome(const lr_smtp_options *o, const transfer *t, CURLcode rc, long code,
                              const char *curl_error, lr_buf *error) {
  if (t->accepted_told) return LR_SEND_OK;
  if (t->data_refused)
    return fail(error, LR_SEND_PERMANENT,
                "meddelandet skickades inte, eftersom det inte kunde föras in "
                "i journalen");
  const char *reply = t->reply.len ? t->reply.data : "";
  if (!t->data_ended) return classify(o, rc, code, reply, curl_error, error);
  if (t->final_code >= 400 && t->final_code < 600)
    return classify(o, rc, t->final_code, reply, curl_error, error);
  /* All of it went out, and no answer to it came back. */
  lr_buf_printf(error, "%s efter att hela meddelandet hade skickats (curl: %s)",
                explain(rc), *curl_error ? curl_error : curl_text(rc));
  return LR_SEND_UNCERTAIN;
}

static lr_send_result send_message(const lr_smtp_options *o, const char *from_address,
                                   const char *const *to_addresses, size_t to_count,
                                   const char *bytes, size_t size,
                                   const lr_send_events *events, lr_buf *error) {
  if (!o->url || !lr_text_is_header_safe(o->url) ||
      !(has_prefix(o->url, "smtp://") || has_prefix(o->url, "smtps://")))
    return fail(error, LR_SEND_PERMANENT,
                "ogiltig SMTP-adress (skriv smtp://värd:port eller "
                "smtps://värd:port)");
  /* The envelope goes into SMTP commands: an address with a line break
   * could smuggle in commands of its own. */
  if (!lr_mailbox_is_valid(from_address))
    return fail(error, LR_SEND_PERMANENT, "ogiltig avsändaradress");
  if (to_count == 0)
    return fail(error, LR_SEND_PERMANENT, "meddelandet saknar mottagare");
  /* libcurl need not ask for an empty message at all, and then the
   * caller would never hear that it was about to leave. */
  if (size == 0) return fail(error, LR_SEND_PERMANENT, "meddelandet är tomt");

  const lr_curl *c = lr_curl_open(NULL);
  if (!c) return fail(error, LR_SEND_STOP_RUN, "libcurl gick inte att läsa in");
  struct curl_slist *recipients = NULL;
  lr_buf text = {0};
  for (size_t i = 0; i < to_count; i++) {
    if (!lr_mailbox_is_valid(to_addresses[i])) {
      c->slist_free_all(recipients);
      lr_buf_free(&text);
      return fail(error, LR_SEND_PERMANENT, "ogiltig mottagaradress");
    }
    lr_buf_clear(&text);
    lr_buf_printf(&text, "<%s>", to_addresses[i]);
    struct curl_slist *more = c->slist_append(recipients, text.data);
    if (!more) lr_die_oom();
    recipients = more;
  }
  lr_buf_clear(&text);
  lr_buf_printf(&text, "<%s>", from_address);

  CURL *curl = c->easy_init();
  if (!curl) {
    c->slist_free_all(recipients);
    lr_buf_free(&text);
    return fail(error, LR_SEND_TEMPORARY, "libcurl kunde inte startas");
  }
  transfer t = {.data = bytes, .size = size, .events = events};
  char curl_error[CURL_ERROR_SIZE] = "";
  CURLcode rc = c->easy_setopt(curl, CURLOPT_URL, o->url);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  /* Verbose output goes to watch_protocol only; nothing is printed. */
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_DEBUGFUNCTION, watch_protocol);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_DEBUGDATA, &t);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_VERBOSE, 1L);
  /* QUIT inside the transfer, where watch_time can bound it, rather than
   * in curl_easy_cleanup, which waits two minutes for a silent server. */
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, watch_time);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_MAIL_FROM, text.data);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_READDATA, &t);
  if (!rc)
    rc = c->easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
  /* On loopback a relay or an SSH tunnel may or may not speak TLS; when
   * it offers STARTTLS, it is used, and verified like any other. */
  if (!rc && !has_prefix(o->url, "smtps://"))
    rc = c->easy_setopt(curl, CURLOPT_USE_SSL,
                        (long)(o->require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  if (!rc) rc = c->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!rc && o->ca_file) rc = c->easy_setopt(curl, CURLOPT_CAINFO, o->ca_file);
  if (!rc && o->user && o->bearer) {
    rc = c->easy_setopt(curl, CURLOPT_USERNAME, o->user);
    if (!rc) rc = c->easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, o->bearer);
    /* Never PLAIN with an empty password when the server lacks XOAUTH2. */
    if (!rc) rc = c->easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
  } else if (!rc && o->user) {
    rc = c->easy_setopt(curl, CURLOPT_USERNAME, o->user);
    if (!rc)
      rc = c->easy_setopt(curl, CURLOPT_PASSWORD, o->password ? o->password : "");
  } else if (!rc) {
    rc = c->easy_setopt(curl, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
  }
  if (!rc && o->timeout_seconds > 0) {
    rc = c->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, o->timeout_seconds);
    if (!rc) rc = c->easy_setopt(curl, CURLOPT_TIMEOUT, o->timeout_seconds);
  }

  lr_send_result result;
  if (rc) {
    /* An option libcurl refused (say, TLS) must not be silently dropped. */
    result = classify(o, rc, 0, "", curl_error, error);
  } else {
    rc = c->easy_perform(curl);
    long code = 0;
    c->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    /* A success libcurl saw and watch_protocol did not is still one. */
    if (rc == CURLE_OK) tell_accepted(&t);
    result = outcome(o, &t, rc, code, curl_error, error);
  }
  c->easy_cleanup(curl);
  c->slist_free_all(recipients);
  lr_buf_free(&t.reply);
  lr_buf_free(&text);
  return result;
}

/* The failure is built as one line while libcurl's state is at hand and
 * becomes a diagnostic only here; it has no place in a file, so none. */
lr_send_result lr_smtp_send(const lr_smtp_options *o, const char *from_address,
                            const char *const *to_addresses, size_t to_count,
                            const char *bytes, size_t size,
                            const lr_send_events *events, lr_diag_list *diags) {
  lr_buf error = {0};
  lr_send_result result =
      send_message(o, from_address, to_addresses, to_count, bytes, size, events, &error);
  if (result != LR_SEND_OK) lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "%s", lr_buf_cstr(&error));
  lr_buf_free(&error);
  return result;
}

/* libcurl would only find a bad CA file at the first connection, and say
 * so in OpenSSL's words; a file that cannot be PEM is named here, before
 * anything is sent. */
static bool check_ca_file(const char *path, lr_diag_list *diags) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){path, 0, 0}, "kan inte läsa CA-filen: %s",
                             strerror(errno));
    lr_diag_hint(diags, d, "ange länsstyrelsens CA-certifikat som en PEM-fil med ca: under smtp: "
                           "i lagesrapport.yaml eller i LAGESRAPPORT_SMTP_CA");
    return false;
  }
  lr_buf text = {0};
  char chunk[8192];
  size_t n;
  while (text.len <= LR_MAX_FILE_SIZE && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    lr_buf_put(&text, chunk, n);
  bool read_error = ferror(fp);
  fclose(fp);
  const char *s = lr_buf_cstr(&text);
  const char *begin = strstr(s, "-----BEGIN CERTIFICATE-----");
  bool pem = text.len <= LR_MAX_FILE_SIZE && begin && strlen(s) == text.len &&
             strstr(begin, "-----END CERTIFICATE-----");
  lr_buf_free(&text);
  if (read_error) {
    lr_diag_add(diags, LR_ERROR, (lr_loc){path, 0, 0}, "kan inte läsa CA-filen");
    return false;
  }
  if (!pem) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){path, 0, 0},
                             "CA-filen innehåller inget certifikat i PEM-format");
    lr_diag_hint(diags, d, "en PEM-fil har raden -----BEGIN CERTIFICATE-----; en .cer-fil i "
                           "DER-format görs om med: openssl x509 -inform der -in ca.cer -out "
                           "ca.pem");
    return false;
  }
  return true;
}

bool lr_smtp_options_prepare(lr_smtp_options *smtp, const lr_delivery_options *o,
                             const char *sender_address, bool require_tls, lr_buf *secret,
                             lr_diag_list *diags) {
  *smtp = (lr_smtp_options){.url = o->url,
                            .user = o->user,
                            .password = o->password,
                            .ca_file = o->ca_file,
                            .require_tls = require_tls,
                            .timeout_seconds = o->timeout_seconds};
  /* Before anything else is settled: without libcurl nothing is sent. */
  if (!lr_curl_open(diags)) return false;
  bool ok = !o->ca_file || check_ca_file(o->ca_file, diags);
  if (o->token_command && (o->password || o->password_command)) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0},
                             "både en token och ett lösenord är angivna för SMTP-inloggningen");
    lr_diag_hint(diags, d, "ta bort antingen tokenkommandot eller lösenordet");
    return false;
  }
  if (o->password_command && !o->user) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0},
                             "lösenordskommandot är angivet men inte användarnamnet");
    lr_diag_hint(diags, d, "ange användare: under smtp: i lagesrapport.yaml eller "
                           "LAGESRAPPORT_SMTP_USER");
    return false;
  }
  /* A certificate that cannot work is reported without asking anyone for
   * a token first. */
  if (!ok) return false;
  if (o->token_command) {
    if (!lr_secret_from_command("tokenkommandot", o->token_command, o->command_dir, true, secret,
                                diags))
      return false;
    smtp->bearer = secret->data;
    if (!smtp->user) smtp->user = sender_address;
  } else if (o->password_command) {
    if (!lr_secret_from_command("lösenordskommandot", o->password_command, o->command_dir, false,
                                secret, diags))
      return false;
    smtp->password = secret->data;
  }
  return true;
}
