/* Delivery: SMTP through libcurl and the journal that makes each message
 * go out once. */
#ifndef LR_MAIL_H
#define LR_MAIL_H

#include "mime/mime.h"
#include "render/render.h"

#include <curl/curl.h>

/* A year's mail folder in the project, outside the reports folder:
 * utskick/<år>/rapport, formular or paminnelse-<round>; with year_only
 * utskick/<år> itself. */
const char *lr_mail_folder(lr_project *project, int year, lr_mail_kind kind, unsigned round,
                           bool year_only);
/* <år>.<rapport|formular|paminnelse-N>.<aktör>@<domain>, without <>. */
const char *lr_mail_message_id(lr_arena *arena, int year, lr_mail_kind kind, unsigned round,
                               const char *actor_id, const char *domain);

/* libcurl's functions, from the library opened on first use (curl.c):
 * NULL, with an error in diags (if given), when it cannot be loaded. */
typedef struct lr_curl {
  CURLcode (*global_init)(long flags);
  void (*global_cleanup)(void);
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL *curl);
  CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
  void (*easy_cleanup)(CURL *curl);
  const char *(*easy_strerror)(CURLcode code);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
  void (*slist_free_all)(struct curl_slist *list);
} lr_curl;
const lr_curl *lr_curl_open(lr_diag_list *diags);

/* SMTP delivery through libcurl. */
typedef struct lr_smtp_options {
  const char *url;      /* smtp://host[:port] or smtps://host[:port] */
  const char *user;     /* NULL: from ~/.netrc if it has the host */
  const char *password; /* with user */
  const char *bearer;   /* with user: an OAuth2 token, sent by XOAUTH2 */
  const char *ca_file;  /* PEM certificates to trust; NULL: the system's */
  bool require_tls;     /* smtp://: STARTTLS or fail, never plain text;
                           false (loopback): STARTTLS when offered */
  long timeout_seconds; /* for all but QUIT; 0: libcurl's defaults */
} lr_smtp_options;

/* QUIT is waited for this long at most: the message's fate is known by
 * then, and a server that never answers QUIT must not hold up the run. */
enum { LR_SMTP_QUIT_SECONDS = 2 };

typedef enum lr_send_result {
  LR_SEND_OK,
  LR_SEND_TEMPORARY, /* a 4xx reply or no connection: try again later */
  LR_SEND_PERMANENT, /* a 5xx reply or a setup error: retrying won't help */
  LR_SEND_UNREACHABLE, /* no connection could be made at all (refused, unknown
                          host, TLS failed): no other message gets through either */
  LR_SEND_UNCERTAIN, /* all of the message went out but no reply came back:
                        the server may or may not have it */
  LR_SEND_STOP_RUN,  /* refused before any of the message left, for a reason
                        every further message would meet too (the login,
                        the certificate, no STARTTLS): the run should stop */
} lr_send_result;

/* The two moments that decide whether a message may be sent again, for
 * the caller to journal. data_begins: the server has taken sender and
 * recipients and asked for the message, and not a byte of it has left;
 * returning false stops the send before the server can have it. accepted:
 * the server's reply taking the message has just arrived, before QUIT;
 * called exactly when the result is LR_SEND_OK. Either may be NULL. */
typedef struct lr_send_events {
  bool (*data_begins)(void *ctx);
  void (*accepted)(void *ctx);
  void *ctx;
} lr_send_events;

/* Sends bytes (a serialized message) unchanged to every recipient; any
 * refused recipient fails the whole message. On failure diags gets one
 * error, a Swedish line with the server's reply code and text when there
 * is one; the result says whether trying again may help.
 * A failure after data_begins (not LR_SEND_UNCERTAIN) means the server
 * does not have the message: it refused it, or the data was cut off
 * before its end. events may be NULL. */
lr_send_result lr_smtp_send(const lr_smtp_options *o, const char *from_address,
                            const char *const *to_addresses, size_t to_count,
                            const char *bytes, size_t size,
                            const lr_send_events *events, lr_diag_list *diags);

/* The SMTP options of a sending run, settled once before its first
 * message: the CA file is checked to be readable PEM, and the token or
 * password command (lr_delivery_options) is run; with a token and no
 * user, the user is sender_address. What a command printed is kept in
 * secret until lr_secret_wipe. False, with diagnostics, when nothing
 * should be sent. */
bool lr_smtp_options_prepare(lr_smtp_options *smtp, const lr_delivery_options *o,
                             const char *sender_address, bool require_tls, lr_buf *secret,
                             lr_diag_list *diags);
/* Runs command (lr_command_split, no shell; a relative program path with
 * a "/" is taken from dir when dir is given) and keeps what it printed on
 * standard output in secret: trimmed for a token, without its line end
 * for a password. `what` names the command in messages; no message shows
 * the secret or the command's arguments. */
bool lr_secret_from_command(const char *what, const char *command, const char *dir,
                            bool is_token, lr_buf *secret, lr_diag_list *diags);
/* Overwrites the secret's memory, then frees it. */
void lr_secret_wipe(lr_buf *secret);

/* The delivery journal in a mail folder: a line per step of each
 * delivery, "actor\tmessage-id\t2023-04-12T09:30:00Z\tstate\n", appended
 * and synced at once, so a re-run sends exactly what was not delivered
 * and lists what may or may not have been. A line of three fields (a
 * journal from before the states) is "levererat". */
typedef struct lr_journal lr_journal;

typedef enum lr_journal_entry {
  LR_JOURNAL_SENDING,   /* "skickas": the message is about to go out */
  LR_JOURNAL_DELIVERED, /* "levererat": the server took it */
  LR_JOURNAL_FAILED,    /* "misslyckat": the server refused it or never got all of it */
} lr_journal_entry;

/* A missing file is an empty journal. Returns NULL, with a diagnostic per
 * problem (file:line), when the file cannot be read or a line is malformed:
 * guessing could send a message twice or skip one. A last line cut off by
 * a crash is passed over with a warning (and cut off on the next append):
 * "skickas" is synced before a message leaves, so nothing it could have
 * said is lost. */
lr_journal *lr_journal_load(const char *path, lr_diag_list *diags);
lr_mail_state lr_journal_state(const lr_journal *journal, const char *message_id);
/* Appends a record and fsyncs it; at is seconds since the epoch. */
bool lr_journal_append(lr_journal *journal, const char *actor_id,
                       const char *message_id, lr_journal_entry entry,
                       long long at, lr_diag_list *diags);
void lr_journal_free(lr_journal *journal);

/* Whether url is one `mail --send` accepts (smtp:// or smtps://, a host,
 * no user name or password in it). *require_tls is true for every host
 * but loopback: STARTTLS is then required for smtp://. */
bool lr_smtp_url_check(const char *url, bool *require_tls, lr_diag_list *diags);

#endif
