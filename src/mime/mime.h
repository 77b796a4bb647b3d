/* Internet messages: RFC 5322 and MIME, written once and byte for byte
 * the same as what is later sent. */
#ifndef LR_MIME_H
#define LR_MIME_H

#include "util/util.h"

/* ---- e-mail ---------------------------------------------------------- */

/* A message is serialized once, deterministically, so the .eml an officer
 * reviews is byte for byte what lr_smtp_send later delivers. */

typedef struct lr_mailbox {
  const char *name;    /* display name, UTF-8; may be NULL */
  const char *address; /* addr-spec, ASCII */
} lr_mailbox;

typedef struct lr_attachment {
  const char *filename;     /* UTF-8 */
  const char *content_type; /* "type/subtype[; params]"; NULL: octet-stream */
  const char *data;
  size_t size;
} lr_attachment;

typedef struct lr_message {
  lr_mailbox from;
  const lr_mailbox *to;
  size_t to_count;
  const char *subject; /* UTF-8; NULL: no Subject field */
  const char *body;    /* UTF-8 text/plain, LF or CRLF line ends */
  const lr_attachment *attachments;
  size_t attachment_count;
  long long date;         /* seconds since the epoch; the caller's "now" */
  const char *message_id; /* without <>, e.g. "2022.aneby@lagesrapport.example" */
  const char *in_reply_to; /* the Message-ID answered, without <>; NULL: none */
} lr_message;

/* An addr-spec we are willing to write and send to: a dot-atom local part,
 * "@", and a host name with a dot (or "localhost"); ASCII only. */
bool lr_mailbox_is_valid(const char *address);
/* "Namn <adress>" (the name may be quoted) or a bare address into a
 * mailbox, arena-allocated; false unless the address is valid and the
 * name has no <, > or ". */
bool lr_mailbox_parse(lr_arena *arena, const char *text, lr_mailbox *out);
/* True when s has no CR, LF or other control character (NULL is safe). */
bool lr_text_is_header_safe(const char *s);
/* Appends the message (RFC 5322 and MIME, CRLF, pure ASCII) to out. Returns
 * false, leaving out untouched, with an error diagnostic for every field
 * that cannot be written safely: such text is never written. */
bool lr_message_write(const lr_message *m, lr_buf *out, lr_diag_list *diags);

#endif
