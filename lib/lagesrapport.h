/* lagesrapport: the library behind the `lagesrapport` command.
 *
 * A project (one county's follow-up) is loaded into an arena-owned model;
 * every problem found on the way is a diagnostic value with file, line and
 * column. Reports are computed once per year (lr_report) and rendered from
 * that one view into Markdown, HTML, Excel, diffs and mail.
 *
 * Ownership: lr_project_free releases everything reachable from a project.
 * lr_buf contents belong to the caller (lr_buf_free). Nothing here prints,
 * exits or keeps global state; allocation failure aborts with a message. */
#ifndef LAGESRAPPORT_H
#define LAGESRAPPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define LR_VERSION "0.1.0"

/* ---- memory ---------------------------------------------------------- */

typedef struct lr_arena lr_arena;

lr_arena *lr_arena_new(void);
void lr_arena_free(lr_arena *arena);
void *lr_arena_alloc(lr_arena *arena, size_t size); /* zeroed */
void *lr_arena_array(lr_arena *arena, size_t count, size_t size);
char *lr_arena_strdup(lr_arena *arena, const char *s);
char *lr_arena_strndup(lr_arena *arena, const char *s, size_t n);
char *lr_arena_printf(lr_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *lr_arena_vprintf(lr_arena *arena, const char *fmt, va_list ap);
size_t lr_arena_size(const lr_arena *arena);

void *lr_xmalloc(size_t size);
void *lr_xrealloc(void *p, size_t size);
void lr_die_oom(void) __attribute__((noreturn));

/* A growable, always NUL-terminated byte buffer. Zero-initialise it. */
typedef struct lr_buf {
  char *data;
  size_t len, cap;
} lr_buf;

void lr_buf_reserve(lr_buf *b, size_t extra);
void lr_buf_put(lr_buf *b, const char *s, size_t n);
void lr_buf_puts(lr_buf *b, const char *s);
void lr_buf_putc(lr_buf *b, char c);
void lr_buf_printf(lr_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *lr_buf_cstr(lr_buf *b);
void lr_buf_clear(lr_buf *b);
void lr_buf_free(lr_buf *b);

/* ---- diagnostics ----------------------------------------------------- */

typedef enum lr_severity { LR_ERROR, LR_WARNING } lr_severity;

/* A place in a source file. line and column are 1-based and count
 * characters; line 0 means the file (or directory) as a whole. */
typedef struct lr_loc {
  const char *file;
  int line, column;
} lr_loc;

typedef struct lr_diag {
  lr_severity severity;
  lr_loc loc;
  const char *message;     /* Swedish, one line */
  const char *hint;        /* Swedish, may be NULL */
  const char *source_line; /* the offending line without newline, or NULL */
  size_t order;            /* discovery order, so sorting is stable */
} lr_diag;

typedef struct lr_diag_list {
  lr_arena *arena; /* owns the messages */
  lr_diag *items;  /* lr_xmalloc'ed, in the order found */
  size_t count, cap;
  size_t errors, warnings;
} lr_diag_list;

void lr_diag_list_init(lr_diag_list *list, lr_arena *arena);
void lr_diag_list_release(lr_diag_list *list); /* frees items, not the arena */
lr_diag *lr_diag_add(lr_diag_list *list, lr_severity severity, lr_loc loc,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void lr_diag_hint(lr_diag_list *list, lr_diag *diag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Stable order for printing: by file, line, column, then discovery. */
void lr_diag_list_sort(lr_diag_list *list);
enum {
  LR_FORMAT_SOURCE = 1, /* quote the source line with a caret under the column */
  LR_FORMAT_COLOR = 2,  /* ANSI colour for a terminal */
};
/* "file:line:column: fel: message" and the hint, as GNU tools print them. */
void lr_diag_format(const lr_diag *diag, unsigned flags, lr_buf *out);
void lr_diag_list_json(const lr_diag_list *list, lr_buf *out);
/* A JSON string literal for s (NULL as ""). */
void lr_json_string(const char *s, lr_buf *out);
/* Appends s with every character a terminal would obey or a reader could
 * not see (controls, zero-width and direction characters, invalid bytes)
 * written as an escape ("\x1b", "\u200b"), as diagnostics show them.
 * Public so that the command line shows the arguments it echoes the same way. */
void lr_buf_put_visible(lr_buf *out, const char *s);

/* ---- suggestions ----------------------------------------------------- */

/* The candidate closest to `word`, or NULL if none is close enough to be
 * a likely typo. Compares by characters, folding case and å/ä/ö. Public so
 * that the command line suggests flags as the loaders suggest keys. */
const char *lr_suggest(const char *word, const char *const *candidates,
                       size_t count);

/* ---- template data and Mustache -------------------------------------- */

typedef enum lr_value_kind {
  LR_VALUE_NULL,
  LR_VALUE_BOOL,
  LR_VALUE_NUMBER,
  LR_VALUE_STRING,
  LR_VALUE_LIST,
  LR_VALUE_MAP,
} lr_value_kind;

/* A JSON-like tree that templates read. Arena-owned. Map keys keep their
 * insertion order; lookup is by name. */
typedef struct lr_value lr_value;

lr_value *lr_value_null(lr_arena *arena);
lr_value *lr_value_bool(lr_arena *arena, bool b);
lr_value *lr_value_number(lr_arena *arena, double n);
lr_value *lr_value_string(lr_arena *arena, const char *s); /* copies */
lr_value *lr_value_list(lr_arena *arena);
lr_value *lr_value_map(lr_arena *arena);
void lr_value_push(lr_value *list, lr_value *item);
void lr_value_set(lr_value *map, const char *key, lr_value *value);
/* Shorthands for building views. */
void lr_value_set_string(lr_value *map, const char *key, const char *s);
void lr_value_set_int(lr_value *map, const char *key, long n);
void lr_value_set_bool(lr_value *map, const char *key, bool b);

lr_value_kind lr_value_kind_of(const lr_value *v);
const lr_value *lr_value_get(const lr_value *map, const char *key);
size_t lr_value_count(const lr_value *v); /* items of a list, entries of a map */
const lr_value *lr_value_at(const lr_value *list, size_t i);
const char *lr_value_key_at(const lr_value *map, size_t i);
const char *lr_value_as_string(const lr_value *v); /* NULL unless a string */
double lr_value_as_number(const lr_value *v);
bool lr_value_as_bool(const lr_value *v);
/* Appends the text {{x}} shows for v: strings as they are, integral numbers
 * without decimals ("85"), other numbers in shortest round-trip form
 * ("1.21"), booleans as true/false; null, lists and maps add nothing. */
void lr_value_format(const lr_value *v, lr_buf *out);

/* Returns the text of a partial by name, or NULL if there is none. */
typedef const char *(*lr_partial_fn)(void *ctx, const char *name);
/* Escapes an interpolated value ({{x}}); NULL means HTML escaping. */
typedef void (*lr_escape_fn)(const char *s, size_t n, lr_buf *out);

typedef struct lr_template_options {
  const char *name;       /* template file name, for diagnostics */
  lr_partial_fn partials; /* may be NULL: no partials */
  void *partials_ctx;
  lr_escape_fn escape; /* NULL: HTML escaping */
} lr_template_options;

/* Renders a Mustache template (spec v1.x: core modules and inheritance).
 * Appends to out. Returns false and adds error diagnostics (with line and
 * column in the template) when the template is malformed. */
bool lr_template_render(const char *source, const lr_value *data,
                        const lr_template_options *options, lr_buf *out,
                        lr_diag_list *diags);
void lr_escape_html(const char *s, size_t n, lr_buf *out);

/* ---- the model of a project ------------------------------------------ */

typedef struct lr_goal lr_goal;

typedef struct lr_subgoal {
  const char *id;
  const char *text;
  const char *target_group; /* målgrupp, optional */
  const lr_goal *goal;
  size_t index; /* position among all sub-goals of the strategy */
  lr_loc loc;
} lr_subgoal;

struct lr_goal {
  const char *id;
  const char *name;
  const char *description; /* Markdown, may be NULL */
  lr_subgoal *subgoals;
  size_t subgoal_count;
  size_t index;
  lr_loc loc;
};

typedef struct lr_area {
  const char *id;
  const char *name;
  size_t index;
  lr_loc loc;
} lr_area;

typedef struct lr_strategy {
  const char *id;
  const char *name;
  const char *region;
  int valid_from, valid_to; /* 0 when not given */
  const char *vision;
  lr_area *areas;
  size_t area_count;
  lr_goal *goals;
  size_t goal_count;
  size_t subgoal_count; /* over all goals */
  lr_loc loc;
} lr_strategy;

typedef enum lr_actor_type {
  LR_ACTOR_KOMMUN,
  LR_ACTOR_REGION,
  LR_ACTOR_LANSSTYRELSE,
  LR_ACTOR_MYNDIGHET,
  LR_ACTOR_CIVILSAMHALLE,
  LR_ACTOR_OVRIG,
  LR_ACTOR_TYPE_COUNT
} lr_actor_type;

typedef struct lr_actor {
  const char *id;
  const char *name;
  lr_actor_type type;
  const char **emails;
  size_t email_count;
  size_t index; /* registry order */
  lr_loc loc;
} lr_actor;

typedef enum lr_status {
  LR_STATUS_PLANERAD,
  LR_STATUS_PAGAENDE,
  LR_STATUS_GENOMFORD,
  LR_STATUS_AVBRUTEN,
  LR_STATUS_COUNT
} lr_status;

typedef enum lr_plan_status {
  LR_PLAN_UNKNOWN, /* no styrdokument given */
  LR_PLAN_ANTAGEN,
  LR_PLAN_UNDER_ARBETE,
  LR_PLAN_SAKNAS,
  LR_PLAN_STATUS_COUNT
} lr_plan_status;

/* What an activity serves: a goal, or one sub-goal of it. */
typedef struct lr_target {
  const lr_goal *goal;
  const lr_subgoal *subgoal; /* NULL when the activity names the goal */
} lr_target;

typedef struct lr_date {
  int year, month, day; /* year 0: no date */
} lr_date;

/* "2023-02-14", or NULL for no date. */
const char *lr_date_text(lr_arena *arena, lr_date date);

typedef struct lr_activity {
  const char *heading;
  lr_target *targets;
  size_t target_count;
  lr_status status;
  const char *description; /* Markdown, may be NULL */
  const lr_area **areas;
  size_t area_count;
  const lr_actor **partners;
  size_t partner_count;
  const char *target_group; /* may be NULL */
  bool internal;
  lr_loc loc;
} lr_activity;

typedef struct lr_statement {
  const lr_actor *actor;
  int year;
  lr_date received;
  const char *contact_name, *contact_email;
  lr_plan_status plan_status;
  const char *plan_description;
  lr_activity *activities;
  size_t activity_count;
  const char *success_factors, *challenges, *needs; /* Markdown or NULL */
  const char *path;
  /* A form from `new` that has not come back: `inkom:` is there but
   * empty. It is checked like any statement but is not an answer. */
  bool awaiting;
} lr_statement;

typedef struct lr_signatory {
  const char *name, *title, *organisation;
} lr_signatory;

typedef struct lr_analysis {
  const lr_goal *goal;
  const char *text;
} lr_analysis;

/* The Länsstyrelse's own texts for a year's report (<år>/rapport.yaml). */
typedef struct lr_report_texts {
  const char *title, *date, *introduction, *resources, *closing;
  lr_analysis *analyses;
  size_t analysis_count;
  lr_signatory *signatories;
  size_t signatory_count;
} lr_report_texts;

typedef struct lr_year {
  int year;
  lr_statement *statements; /* in registry order of their actors */
  size_t statement_count;
  const lr_report_texts *texts; /* NULL without rapport.yaml */
  const char *dir;
  bool found; /* false when the year has no statements folder */
  size_t awaiting_count; /* forms not yet returned; not in statements */
} lr_year;

typedef struct lr_config {
  const char *root;         /* project directory, as a path usable from the cwd */
  const char *path;         /* its lagesrapport.yaml */
  const char *region;
  const char *strategy_path;
  const char *actors_path;
  const char *output_dir;   /* resolved against root */
  const char *sender;       /* "Name <address>" or NULL */
  const char *sender_name, *sender_address;
  const char *smtp_url;     /* may be NULL */
  const char *templates_dir; /* resolved against root, may be NULL */
} lr_config;

typedef struct lr_project lr_project;

typedef struct lr_load_options {
  const char *dir;      /* -C DIR, or NULL to search upwards from the cwd */
  const int *years;     /* the years to load; NULL loads every year found */
  size_t year_count;
  bool with_previous;   /* also the year before each, when it has data */
} lr_load_options;

/* Loads and validates a project. Never returns NULL; problems are in
 * lr_project_diagnostics. When the configuration or strategy could not be
 * read the model is empty but the diagnostics say why. */
lr_project *lr_project_load(const lr_load_options *options);
void lr_project_free(lr_project *project);

lr_diag_list *lr_project_diagnostics(lr_project *project);
bool lr_project_ok(const lr_project *project); /* no errors */
lr_arena *lr_project_arena(lr_project *project);
const lr_config *lr_project_config(const lr_project *project);
const lr_strategy *lr_project_strategy(const lr_project *project);
const lr_actor *lr_project_actors(const lr_project *project, size_t *count);
const lr_year *lr_project_years(const lr_project *project, size_t *count);
/* NULL when the year has no statements folder. */
const lr_year *lr_project_year(const lr_project *project, int year);
/* Years with a statements folder, ascending; for `check` without years. */
const lr_actor *lr_project_actor(const lr_project *project, const char *id);
const lr_goal *lr_project_goal(const lr_project *project, const char *id);

const char *lr_actor_type_name(lr_actor_type type);   /* "kommun" … */
const char *lr_status_name(lr_status status);         /* "pågående" … */
const char *lr_plan_status_name(lr_plan_status status); /* "antagen" … */

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
  long long date;         /* seconds since the epoch; given, never "now" */
  const char *message_id; /* without <>, e.g. "2022.aneby@lagesrapport.example" */
} lr_message;

/* An addr-spec we are willing to write and send to: a dot-atom local part,
 * "@", and a host name with a dot (or "localhost"); ASCII only. */
bool lr_mailbox_is_valid(const char *address);
/* True when s has no CR, LF or other control character (NULL is safe). */
bool lr_text_is_header_safe(const char *s);
/* Appends the message (RFC 5322 and MIME, CRLF, pure ASCII) to out. Returns
 * false, leaving out untouched, with an error diagnostic for every field
 * that cannot be written safely: such text is never written. */
bool lr_message_write(const lr_message *m, lr_buf *out, lr_diag_list *diags);

/* SMTP delivery through libcurl. The caller runs curl_global_init once
 * before the first send (and curl_global_cleanup at the end): it is not
 * thread-safe, so only the program can know when it is safe to call. */
typedef struct lr_smtp_options {
  const char *url;      /* smtp://host[:port] or smtps://host[:port] */
  const char *user;     /* NULL: from ~/.netrc if it has the host */
  const char *password; /* with user */
  bool require_tls;     /* smtp://: STARTTLS or fail, never plain text */
  long timeout_seconds; /* for all but QUIT; 0: libcurl's defaults */
} lr_smtp_options;

/* QUIT is waited for this long at most: the message's fate is known by
 * then, and a server that never answers QUIT must not hold up the run. */
enum { LR_SMTP_QUIT_SECONDS = 2 };

typedef enum lr_send_result {
  LR_SEND_OK,
  LR_SEND_TEMPORARY, /* a 4xx reply or no connection: try again later */
  LR_SEND_PERMANENT, /* a 5xx reply or a setup error: retrying won't help */
  LR_SEND_UNCERTAIN, /* all of the message went out but no reply came back:
                        the server may or may not have it */
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
 * refused recipient fails the whole message. On failure error gets one
 * Swedish line, with the server's reply code and text when there is one.
 * A failure after data_begins (not LR_SEND_UNCERTAIN) means the server
 * does not have the message: it refused it, or the data was cut off
 * before its end. events may be NULL. */
lr_send_result lr_smtp_send(const lr_smtp_options *o, const char *from_address,
                            const char *const *to_addresses, size_t to_count,
                            const char *bytes, size_t size,
                            const lr_send_events *events, lr_buf *error);

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

/* What the journal says of a message. */
typedef enum lr_mail_state {
  LR_MAIL_UNSENT,    /* never sent, or every try failed for certain */
  LR_MAIL_UNCERTAIN, /* it went out, but whether the server took it is unknown */
  LR_MAIL_DELIVERED, /* a server took it */
} lr_mail_state;

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

/* ---- the computed report of a year ------------------------------------ */

/* An activity together with the statement (and so the actor) it is in. */
typedef struct lr_activity_ref {
  const lr_statement *statement;
  const lr_activity *activity;
} lr_activity_ref;

typedef struct lr_subgoal_summary {
  const lr_subgoal *subgoal;
  size_t activity_count, actor_count;
  size_t status_counts[LR_STATUS_COUNT];
  lr_activity_ref *activities; /* in registry order of their actors */
} lr_subgoal_summary;

typedef struct lr_goal_summary {
  const lr_goal *goal;
  size_t activity_count; /* each activity once, however many sub-goals it names */
  size_t actor_count;
  size_t subgoals_covered;
  size_t status_counts[LR_STATUS_COUNT];
  lr_activity_ref *activities; /* every activity under the goal, once */
  lr_subgoal_summary *subgoals; /* parallel to goal->subgoals */
  const char *analysis;         /* from rapport.yaml, or NULL */
} lr_goal_summary;

typedef struct lr_actor_summary {
  const lr_actor *actor;
  const lr_statement *statement; /* NULL: did not answer */
  size_t activity_count;         /* published activities */
  size_t *per_goal;              /* published activities per goal */
  size_t *per_subgoal;           /* published activities per sub-goal */
} lr_actor_summary;

/* What changed between two years. Built by lr_comparison_compute; the
 * report's comparison section and `diff` read the same structure. */
typedef struct lr_count_change {
  size_t before, after;
} lr_count_change;

typedef struct lr_plan_change {
  const lr_actor *actor;
  lr_plan_status before, after;
} lr_plan_change;

typedef struct lr_comparison {
  int year_before, year_after;
  lr_count_change statements, activities;
  const lr_actor **answered_only_before, **answered_only_after;
  size_t only_before_count, only_after_count;
  lr_count_change *per_goal;    /* parallel to strategy goals */
  lr_count_change *per_subgoal; /* indexed by lr_subgoal.index */
  const lr_subgoal **gained, **lost; /* sub-goals that got their first or lost their last activity */
  size_t gained_count, lost_count;
  const lr_goal **goals_gained, **goals_lost; /* the same for goals without sub-goals */
  size_t goals_gained_count, goals_lost_count;
  lr_count_change *per_actor; /* parallel to the registry */
  lr_plan_change *plan_changes;
  size_t plan_change_count;
  bool include_internal;
  /* What the parallel arrays run over, so a comparison can be read (and
   * rendered) without the project. */
  const lr_strategy *strategy;
  const lr_actor *actors;
  size_t actor_count;
} lr_comparison;

typedef struct lr_report {
  const lr_project *project;
  const lr_strategy *strategy;
  const lr_year *year;
  const lr_year *previous; /* the year before, when it has data */
  size_t response_count;
  size_t active_actor_count;      /* actors with at least one published activity */
  size_t activity_count;          /* published */
  size_t internal_activity_count; /* left out of everything published */
  size_t status_counts[LR_STATUS_COUNT];
  size_t plan_counts[LR_PLAN_STATUS_COUNT];
  size_t subgoals_covered;
  lr_goal_summary *goals;   /* parallel to strategy goals */
  lr_actor_summary *actors; /* parallel to the registry */
  size_t actor_count;
  const lr_comparison *comparison; /* NULL without a previous year */
} lr_report;

/* Computes the view of one year that every output reads. Arena-owned by
 * the project. `year` must have been loaded (lr_project_year). */
const lr_report *lr_report_compute(lr_project *project, const lr_year *year);
/* Compares two loaded years; include_internal counts (never names)
 * activities marked intern, as `diff` does; the report leaves them out. */
const lr_comparison *lr_comparison_compute(lr_project *project, const lr_year *before,
                                           const lr_year *after, bool include_internal);
bool lr_comparison_is_empty(const lr_comparison *c);

/* Writes the year's workbook (Översikt, Aktiviteter, Täckning, Aktörer,
 * Jämförelse) to path with libxlsxwriter. Byte-identical for the same
 * report. On failure: false, an error diagnostic, and no file left that
 * this call created or began to write. */
bool lr_workbook_write(const lr_report *report, const char *path, lr_diag_list *diags);

/* ---- diff: a comparison for people and scripts ------------------------- */

typedef enum lr_diff_format {
  LR_DIFF_TEXT,     /* aligned columns for a terminal */
  LR_DIFF_MARKDOWN, /* GitHub/GitLab Markdown with pipe tables, for a pull request */
  LR_DIFF_JSON,     /* the stable schema of docs/diff-json.md */
} lr_diff_format;

/* Appends a comparison to out, the key signal (coverage gained or lost)
 * first. Activities are counted, never named. color adds ANSI colour to
 * text: only the caller knows whether the output is a terminal. The same
 * comparison always gives the same bytes. */
void lr_diff_render(const lr_comparison *c, lr_diff_format format, bool color, lr_buf *out);


/* ---- prose and files ---------------------------------------------------- */

/* Prose fields are Markdown written by many hands. Each is capped at
 * LR_PROSE_MAX bytes before rendering (cmark has slow inputs) and cut
 * with a visible note. */
enum { LR_PROSE_MAX = 16 * 1024 };

/* Safe HTML for a prose field: raw HTML dropped, unsafe links emptied. */
const char *lr_markdown_html(lr_arena *arena, const char *markdown);
/* The same prose as CommonMark for the Markdown report, raw HTML removed. */
const char *lr_markdown_clean(lr_arena *arena, const char *markdown);
/* Plain text (paragraphs separated by blank lines), for the workbook. */
const char *lr_markdown_text(lr_arena *arena, const char *markdown);
/* Backslash-escapes a one-line text for use inside Markdown (tables too). */
void lr_escape_markdown(const char *s, size_t n, lr_buf *out);

/* A set of output files that replaces the previous set in a folder in one
 * step: the files are written into a staging folder beside it, and the two
 * are swapped at commit, so that the folder holds the whole old set or the
 * whole new one, whenever a run stops. Linux only: the swap needs
 * renameat2(RENAME_EXCHANGE), and a file system without it is an error.
 *
 * The folder's .lagesrapport-manifest lists the files of the set in it.
 * Those are the only files ever replaced or removed; everything else in
 * the folder (a user's notes, the mail folders in a year's folder) is
 * taken into the new folder as it is. A file of someone else's where the
 * set writes one is an error, and nothing changes. A run that died leaves
 * a folder .<name>.lagesrapport-XXXXXX beside it, which the next run on
 * the same folder settles before it starts. */
typedef struct lr_outputs lr_outputs;

enum {
  /* Files the previous set recorded that this one does not write are
   * removed: the folder holds one run's files, never a mix (build).
   * Without it they are kept, and stay in the manifest (mail, which may
   * write for some actors only). */
  LR_OUTPUTS_REPLACE = 1,
  /* A non-empty folder without a manifest, written before manifests
   * existed, is taken over: files with the names this set writes are
   * replaced, everything else is kept. Without it such a folder is an
   * error, unless all it holds are other sets with manifests of their
   * own. */
  LR_OUTPUTS_ADOPT = 2,
};

/* Locks the folder (a second run on it is an error), settles leftovers of
 * runs that died, checks that the folder may be written and makes the
 * staging folder. NULL after diagnostics when it cannot be used; later
 * diagnostics of lr_outputs_free go to diags too. */
lr_outputs *lr_outputs_new(lr_arena *arena, const char *dir, unsigned flags,
                           lr_diag_list *diags);
/* The buffer to fill for relpath (e.g. "aterkoppling/aneby.html"): plain
 * names, none of them starting with a dot. */
lr_buf *lr_outputs_add(lr_outputs *outputs, const char *relpath);
/* For files written by a library that wants a file name (the workbook):
 * the path to write in the staging folder. NULL with a diagnostic when it
 * cannot be made. */
const char *lr_outputs_add_file(lr_outputs *outputs, const char *relpath,
                                lr_diag_list *diags);
/* Writes every buffer filled so far to its file and frees it, so that a
 * build of many pages never holds them all in memory. Those buffers must
 * not be used again; nothing is replaced before commit. */
bool lr_outputs_flush(lr_outputs *outputs, lr_diag_list *diags);
/* Puts the set in place. False, with the folder as it was, when it could
 * not; problems after the swap are warnings. */
bool lr_outputs_commit(lr_outputs *outputs, lr_diag_list *diags);
/* Removes the staging folder of a set not committed, unlocks and frees;
 * call after commit too. */
void lr_outputs_free(lr_outputs *outputs);

/* ---- build: the report files of a year ---------------------------------- */

enum {
  LR_OUTPUT_MD = 1,
  LR_OUTPUT_HTML = 2,
  LR_OUTPUT_XLSX = 4,
  LR_OUTPUT_ALL = 7,
};

typedef struct lr_build_options {
  const char *out_dir;           /* NULL: <utdata>/<år> */
  unsigned formats;              /* LR_OUTPUT_* */
  const char *builtin_templates; /* the installed report-templates/ */
} lr_build_options;

typedef struct lr_build_result {
  const char *dir;       /* where the files went */
  size_t files;          /* how many were written */
  size_t feedback_count; /* actors who got a feedback report */
} lr_build_result;

/* Renders and writes every file of a year's report. Diagnostics (template
 * errors, I/O) are added to the project's list. Nothing is replaced unless
 * everything was written. */
bool lr_build_run(lr_project *project, int year, const lr_build_options *options,
                  lr_build_result *result);

/* Templates: a project's own (mallar:) before the built-in ones. */
typedef struct lr_templates lr_templates;
lr_templates *lr_templates_new(lr_arena *arena, const char *project_dir, const char *builtin_dir);
/* The text of a template file, or NULL with a diagnostic when neither
 * directory has it. */
const char *lr_templates_get(lr_templates *templates, const char *name, lr_diag_list *diags);
bool lr_templates_render(lr_templates *templates, const char *name, const lr_value *data,
                         lr_escape_fn escape, lr_buf *out, lr_diag_list *diags);

/* ---- choosing actors on the command line ------------------------------- */

/* The registered actors named by ids (--actor, --only), each once and in
 * registry order. An unknown id is an error diagnostic with a suggestion,
 * and the result is false. */
bool lr_actors_select(lr_project *project, const char *const *ids, size_t count,
                      const lr_actor ***selected, size_t *selected_count);

/* ---- new: the statement forms of a year ------------------------------- */

/* The escape for YAML templates: {{x}} becomes a scalar that reads back as
 * exactly x — a double-quoted scalar with escapes, or for Markdown on
 * several lines a literal block scalar ("|") indented by six spaces, so it
 * may only follow "key: " on a line indented by at most four. */
void lr_escape_yaml(const char *s, size_t n, lr_buf *out);

typedef struct lr_form_options {
  const lr_actor *const *actors; /* NULL: every registered actor */
  size_t actor_count;
  const char *builtin_templates; /* the installed report-templates/ */
} lr_form_options;

typedef struct lr_form_result {
  const lr_actor *actor;
  const char *path;     /* <år>/yttranden/<aktör>.yaml */
  const char *existing; /* the file already there, so nothing was written; or NULL */
  bool written;         /* false also for forms not reached after a failure */
  size_t carried;       /* activities carried over from the year before */
} lr_form_result;

typedef enum lr_run_status {
  LR_RUN_OK,
  LR_RUN_INVALID, /* errors in the project's data: nothing was done */
  LR_RUN_FAILED,  /* a template, a missing file, or I/O */
} lr_run_status;

/* Writes a form (yttrande.yaml.mustache) for each actor: a valid statement
 * with the goals listed as comments and the actor's planned and ongoing
 * activities of the year before carried over. A file that exists is never
 * replaced; each is written to a temporary file and linked into place.
 * results (arena-owned, one per actor) says what was written or skipped,
 * also when a write fails midway. */
lr_run_status lr_form_write(lr_project *project, int year, const lr_form_options *options,
                            lr_form_result **results, size_t *result_count);

/* ---- mail: forms out, reports back ------------------------------------ */

typedef enum lr_mail_kind {
  LR_MAIL_REPORT, /* spring: feedback and the full report, to each actor that answered */
  LR_MAIL_FORMS,  /* winter: the form from `new`, to every registered actor */
} lr_mail_kind;

typedef struct lr_mail_options {
  lr_mail_kind kind;
  const lr_actor *const *actors; /* NULL: all of them */
  size_t actor_count;
  const char *builtin_templates;
} lr_mail_options;

typedef struct lr_mail {
  const lr_actor *actor;
  const char *path;       /* the .eml; NULL: the actor has no address */
  const char *message_id; /* without <> */
  const char *bytes;      /* the message, as written and as sent */
  size_t size;
  lr_mail_state state;    /* as the journal says, once it has been read */
} lr_mail;

typedef struct lr_mailing {
  lr_mail_kind kind;
  int year;
  const char *dir;          /* <utdata>/<år>/mail or mail-formular */
  const char *journal_path; /* <dir>/journal.tsv */
  const char *from_address;
  lr_mail *mails;       /* the chosen actors in registry order */
  size_t count;
  size_t message_count; /* mails with an address */
  lr_journal *journal;  /* NULL until read */
} lr_mailing;

/* Renders every message and writes the .eml files (all replaced together)
 * into the mail folder. The Date of a report mail
 * is the newest "inkom" of the year (1 April the year after without one),
 * of a form mail 1 December of the year, 08:00 UTC; the Message-ID is
 * <år>.<rapport|formular>.<aktör>@<the sender's domain>. Both come from
 * the data alone, so the same data give the same bytes. NULL with
 * diagnostics when something is missing (build output, forms, sender). */
lr_mailing *lr_mailing_prepare(lr_project *project, int year, const lr_mail_options *options);
/* Reads the mail folder's journal (again) and sets each mail's state from
 * it; false with diagnostics when it cannot be read or is damaged. */
bool lr_mailing_read_journal(lr_mailing *mailing, lr_diag_list *diags);
void lr_mailing_free(lr_mailing *mailing);

/* Whether url is one `mail --send` accepts (smtp:// or smtps://, a host,
 * no user name or password in it). *require_tls is true for every host
 * but loopback: STARTTLS is then required for smtp://. */
bool lr_smtp_url_check(const char *url, bool *require_tls, lr_diag_list *diags);

typedef enum lr_delivery {
  LR_DELIVERY_SENDING,      /* about to be sent */
  LR_DELIVERY_SENT,         /* accepted by the server and journalled */
  LR_DELIVERY_ALREADY_SENT, /* in the journal: not sent again */
  LR_DELIVERY_FAILED,       /* the server does not have it; detail says why */
  LR_DELIVERY_UNCERTAIN,    /* sent, but no answer came; detail says why */
  LR_DELIVERY_HELD,         /* uncertain since an earlier run: not sent again */
} lr_delivery;

typedef void (*lr_delivery_fn)(void *ctx, const lr_mail *mail, size_t number, size_t total,
                               lr_delivery state, const char *detail);

typedef struct lr_delivery_options {
  const char *url;
  const char *user, *password; /* NULL: ~/.netrc, if it has the host */
  bool force;                  /* send what the journal has too */
  bool retry_uncertain;        /* send what may or may not have arrived too */
  size_t limit;                /* stop after sending this many; 0: no limit */
  unsigned attempts;           /* tries on a temporary failure before any of the
                                  message went out; at least one */
  unsigned pause_seconds;      /* between tries */
  long timeout_seconds;
  lr_delivery_fn progress;
  void *progress_ctx;
} lr_delivery_options;

typedef struct lr_delivery_result {
  size_t sent, already_sent, failed;
  size_t uncertain; /* sent without an answer, now or in an earlier run */
  size_t left;      /* not tried because of the limit */
} lr_delivery_result;

/* Sends each message with an address that the journal does not have as
 * delivered or uncertain (those too with force; the uncertain ones with
 * retry_uncertain), journalling each as "skickas" before its data goes
 * out and as "levererat" the moment the server accepts it. Once data has
 * gone out a message is never tried again in the run: if no answer came,
 * it is uncertain and stays so until the officer decides. The mail
 * folder is locked for the run and the journal read again under the
 * lock. A failure moves on to the next. Returns false, with a diagnostic,
 * only when the run had to stop: the URL is refused, another run holds
 * the folder, or the journal could not be read or written — going on
 * could then send a message twice. */
bool lr_mailing_deliver(lr_mailing *mailing, const lr_delivery_options *options,
                        lr_delivery_result *result, lr_diag_list *diags);

#endif
