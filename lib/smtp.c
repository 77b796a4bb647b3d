/* SMTP delivery of a message that is already bytes. libcurl only carries
 * the exact octets of the .eml (its own MIME builder would re-encode them
 * with random boundaries), and the outcome is sorted into "try again" and
 * "give up" so that the caller can journal and report each message
 * honestly. */
#include "lagesrapport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

typedef struct upload {
  const char *data;
  size_t size, sent;
} upload;

static size_t read_message(char *dest, size_t size, size_t count, void *ctx) {
  upload *u = ctx;
  size_t room = size * count, left = u->size - u->sent;
  size_t n = left < room ? left : room;
  if (n) memcpy(dest, u->data + u->sent, n);
  u->sent += n;
  return n;
}

/* Keeps the last error reply (4xx or 5xx) the server sent: libcurl's own
 * error text names the command that failed but not what the server said,
 * and the last line of all is often the "221 Bye" of the closing QUIT. */
static int keep_reply(CURL *curl, curl_infotype type, char *data, size_t size,
                      void *ctx) {
  (void)curl;
  if (type != CURLINFO_HEADER_IN) return 0;
  lr_buf *reply = ctx;
  size_t start = 0;
  for (size_t i = 0; i <= size; i++) {
    if (i < size && data[i] != '\r' && data[i] != '\n') continue;
    if (i > start && (data[start] == '4' || data[start] == '5')) {
      lr_buf_clear(reply);
      for (size_t k = start; k < i; k++) {
        unsigned char c = (unsigned char)data[k];
        lr_buf_putc(reply, c >= 0x20 && c < 0x7F ? (char)c : '?');
      }
    }
    start = i + 1;
  }
  return 0;
}

static bool has_prefix(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++)
    if ((*s | 0x20) != *prefix) return false; /* ASCII case-insensitive */
  return true;
}

/* Failures without a reply code that retrying cannot fix. */
static bool is_setup_error(CURLcode rc) {
  switch (rc) {
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
  case CURLE_USE_SSL_FAILED:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_LOGIN_DENIED:
  case CURLE_NOT_BUILT_IN:
  case CURLE_UNKNOWN_OPTION: return true;
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
  case CURLE_SSL_CACERT_BADFILE:
    return "SMTP-serverns certifikat kunde inte verifieras";
  case CURLE_LOGIN_DENIED: return "SMTP-servern nekade inloggningen";
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
    return "ogiltig SMTP-adress (skriv smtp://värd:port eller "
           "smtps://värd:port)";
  default: return "sändningen misslyckades";
  }
}

static lr_send_result fail(lr_buf *error, lr_send_result result,
                           const char *text) {
  lr_buf_puts(error, text);
  return result;
}

/* Sorts the outcome: the server's reply code decides when there is one
 * (RFC 5321 4.2.1), else how libcurl failed. */
static lr_send_result classify(CURLcode rc, long code, const char *reply,
                               const char *curl_error, lr_buf *error) {
  if (rc == CURLE_OK) return LR_SEND_OK;
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
    return temporary ? LR_SEND_TEMPORARY : LR_SEND_PERMANENT;
  }
  lr_buf_printf(error, "%s (curl: %s)", explain(rc),
                *curl_error ? curl_error : curl_easy_strerror(rc));
  return is_setup_error(rc) ? LR_SEND_PERMANENT : LR_SEND_TEMPORARY;
}

lr_send_result lr_smtp_send(const lr_smtp_options *o, const char *from_address,
                            const char *const *to_addresses, size_t to_count,
                            const char *bytes, size_t size, lr_buf *error) {
  lr_buf_clear(error);
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

  struct curl_slist *recipients = NULL;
  lr_buf text = {0};
  for (size_t i = 0; i < to_count; i++) {
    if (!lr_mailbox_is_valid(to_addresses[i])) {
      curl_slist_free_all(recipients);
      lr_buf_free(&text);
      return fail(error, LR_SEND_PERMANENT, "ogiltig mottagaradress");
    }
    lr_buf_clear(&text);
    lr_buf_printf(&text, "<%s>", to_addresses[i]);
    struct curl_slist *more = curl_slist_append(recipients, text.data);
    if (!more) lr_die_oom();
    recipients = more;
  }
  lr_buf_clear(&text);
  lr_buf_printf(&text, "<%s>", from_address);

  CURL *curl = curl_easy_init();
  if (!curl) {
    curl_slist_free_all(recipients);
    lr_buf_free(&text);
    return fail(error, LR_SEND_TEMPORARY, "libcurl kunde inte startas");
  }
  upload u = {bytes, size, 0};
  lr_buf reply = {0};
  char curl_error[CURL_ERROR_SIZE] = "";
  CURLcode rc = curl_easy_setopt(curl, CURLOPT_URL, o->url);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  /* Verbose output goes to keep_reply only; nothing is printed. */
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, keep_reply);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &reply);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_MAIL_FROM, text.data);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
  if (!rc) rc = curl_easy_setopt(curl, CURLOPT_READDATA, &u);
  if (!rc)
    rc = curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
  if (!rc && o->require_tls && !has_prefix(o->url, "smtps://"))
    rc = curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  if (!rc && o->user) {
    rc = curl_easy_setopt(curl, CURLOPT_USERNAME, o->user);
    if (!rc)
      rc = curl_easy_setopt(curl, CURLOPT_PASSWORD,
                            o->password ? o->password : "");
  } else if (!rc) {
    rc = curl_easy_setopt(curl, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
  }
  if (!rc && o->timeout_seconds > 0) {
    rc = curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, o->timeout_seconds);
    if (!rc) rc = curl_easy_setopt(curl, CURLOPT_TIMEOUT, o->timeout_seconds);
  }

  lr_send_result result;
  if (rc) {
    /* An option libcurl refused (say, TLS) must not be silently dropped. */
    result = classify(rc, 0, "", curl_error, error);
  } else {
    rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    result = classify(rc, code, reply.len ? reply.data : "", curl_error, error);
  }
  curl_easy_cleanup(curl);
  curl_slist_free_all(recipients);
  lr_buf_free(&reply);
  lr_buf_free(&text);
  return result;
}
