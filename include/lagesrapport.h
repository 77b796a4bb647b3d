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

/* ---- the process ------------------------------------------------------- */

/* Releases the process-wide state the library set up on first use
 * (libcurl's, when mail was sent). Call it once, as the program ends,
 * after every other thread has. */
void lr_global_cleanup(void);

/* ---- memory ---------------------------------------------------------- */

typedef struct lr_arena lr_arena;

lr_arena *lr_arena_new(void);
void lr_arena_free(lr_arena *arena);
void *lr_arena_array(lr_arena *arena, size_t count, size_t size);
char *lr_arena_strdup(lr_arena *arena, const char *s);
char *lr_arena_strndup(lr_arena *arena, const char *s, size_t n);
char *lr_arena_printf(lr_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *lr_arena_vprintf(lr_arena *arena, const char *fmt, va_list ap);


/* A growable, always NUL-terminated byte buffer. Zero-initialise it. */
typedef struct lr_buf {
  char *data;
  size_t len, cap;
} lr_buf;

void lr_buf_put(lr_buf *b, const char *s, size_t n);
void lr_buf_puts(lr_buf *b, const char *s);
void lr_buf_putc(lr_buf *b, char c);
void lr_buf_printf(lr_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *lr_buf_cstr(lr_buf *b);
void lr_buf_clear(lr_buf *b);
void lr_buf_free(lr_buf *b);

/* ---- diagnostics ----------------------------------------------------- */

/* An errno value as Swedish text, for a message about a failed system
 * call: strerror(3) is English without a locale. */
const char *lr_errno_text(int error);

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

enum {
  LR_FORMAT_SOURCE = 1, /* quote the source line with a caret under the column */
  LR_FORMAT_COLOR = 2,  /* ANSI colour for a terminal */
};
/* Every diagnostic as "file:line:column: fel: message" and its hint, as GNU
 * tools print them, sorted by file, line and column (then as found), with
 * every character a terminal would obey shown as an escape. */
void lr_diag_list_format(lr_diag_list *list, unsigned flags, lr_buf *out);
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

typedef struct lr_indicator lr_indicator;

typedef struct lr_strategy lr_strategy;

struct lr_strategy {
  const char *id;
  const char *name;
  const char *region;
  int valid_from, valid_to; /* 0 when not given */
  lr_loc valid_loc;         /* where giltig is written, for a period outside it */
  const char *vision;
  lr_area *areas;
  size_t area_count;
  lr_goal *goals;
  size_t goal_count;
  size_t subgoal_count; /* over all goals */
  lr_indicator *indicators;
  size_t indicator_count;
  /* A revised strategy is a chain of versions, each a whole framework of
   * goals and sub-goals: this one applies from applies_from (0 for the
   * first version) until the next one's. */
  int applies_from;
  const char *version_name; /* NULL for the first version */
  const lr_strategy *previous, *next;
  lr_loc loc;
};

typedef enum lr_actor_type {
  LR_ACTOR_KOMMUN,
  LR_ACTOR_REGION,
  LR_ACTOR_LANSSTYRELSE,
  LR_ACTOR_MYNDIGHET,
  LR_ACTOR_CIVILSAMHALLE,
  LR_ACTOR_OVRIG,
  LR_ACTOR_TYPE_COUNT
} lr_actor_type;

/* A shared indicator (länsgemensam indikator): a figure that actors of
 * some types report every year, declared in strategi.yaml. */
struct lr_indicator {
  const char *id;
  const char *name;
  const char *unit;        /* "st", "procent" …, as written */
  const char *description; /* Markdown, may be NULL */
  bool higher_is_better;
  bool reported_by[LR_ACTOR_TYPE_COUNT];     /* indexed by lr_actor_type: who should report it */
  /* Actors named one by one in rapporteras-av besides those types, as
   * their ids (checked against the registry once it is loaded). */
  const char **reporter_ids;
  lr_loc *reporter_locs; /* parallel */
  size_t reporter_id_count;
  size_t index;            /* position in the strategy */
  lr_loc loc;
};

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


typedef struct lr_activity {
  const char *id; /* stable across years; NULL when the statement gives none */
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
  /* Who the activity belongs to: the statement's actor and its
   * "ansvariga", each once, in registry order. More than one: joint. */
  const lr_actor **owners;
  size_t owner_count;
  /* A joint activity written again in another owner's statement: the
   * same activity as the first copy (checked equal), so it is counted
   * and shown only there. */
  bool copy;
  lr_loc loc, id_loc;
} lr_activity;

/* One value of a shared indicator in a statement. */
typedef struct lr_indicator_value {
  const lr_indicator *indicator;
  double value;
  const char *comment; /* may be NULL */
  lr_loc loc;
} lr_indicator_value;

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
  /* The shared indicators it reports, in the order written. */
  lr_indicator_value *indicator_values;
  size_t indicator_value_count;
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

/* A goal's own texts: what leads into its examples, which activities
 * are the examples and in what order, and what closes the section. */
typedef struct lr_goal_texts {
  const lr_goal *goal;
  const char *lead_in, *closing; /* Markdown, may be NULL */
  const lr_activity **examples;
  const char **example_lead_ins; /* parallel: a text before that example, or NULL */
  size_t example_count;
  bool chosen; /* "exempel" was given (even empty): no choice is made for it */
} lr_goal_texts;

/* A source or footnote, cited in rapport.yaml's prose as [^id]. */
typedef struct lr_report_source {
  const char *id, *text;
} lr_report_source;

/* A term and what it means in the report. */
typedef struct lr_term {
  const char *term, *definition;
} lr_term;

/* The Länsstyrelse's own texts for a year's report (<år>/rapport.yaml). */
typedef struct lr_report_texts {
  const char *title, *date, *introduction, *resources, *closing;
  lr_analysis *analyses;
  size_t analysis_count;
  lr_goal_texts *goals;
  size_t goal_count;
  lr_report_source *sources; /* in the order of the file, which numbers them */
  size_t source_count;
  lr_term *terms;
  size_t term_count;
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
  /* From smtp: written as a mapping; each may be NULL. */
  const char *smtp_user;
  const char *smtp_ca;               /* resolved against root */
  const char *smtp_token_command;    /* run in the caller's folder, with */
  const char *smtp_password_command; /* relative programs from root */
  const char *templates_dir; /* resolved against root, may be NULL */
  const char *footer;       /* sidfot: a short line for printed pages, may be NULL */
  const char *logo_type;    /* "image/png" or "image/svg+xml"; NULL without a logo */
  const unsigned char *logo; /* logotyp: the file's bytes, checked */
  size_t logo_size;
  lr_date reply_by;          /* "svara senast": when the forms are due; year 0 if not given */
  lr_loc reply_by_loc;
} lr_config;

typedef struct lr_project lr_project;

typedef struct lr_load_options {
  const char *dir;      /* -C DIR, or NULL to search upwards from the cwd */
  const int *years;     /* the years to load; NULL loads every year found */
  size_t year_count;
  bool with_previous;   /* also the year before each, when it has data */
  /* The years, first to last without a gap, are a period: also merge them
   * for its report and read <första>-<sista>/rapport.yaml. */
  bool period;
  /* First repair what has one right answer in the project's YAML files
   * (`check --fix`): see lr_project_fixes. */
  bool fix;
} lr_load_options;

/* Loads and validates a project. Never returns NULL; problems are in
 * lr_project_diagnostics. When the configuration or strategy could not be
 * read the model is empty but the diagnostics say why. */
lr_project *lr_project_load(const lr_load_options *options);
void lr_project_free(lr_project *project);

lr_diag_list *lr_project_diagnostics(lr_project *project);

/* One change made by lr_load_options.fix, shown as "fil:rad: ändrat …".
 * A file is rewritten whole, in one step, or not at all: one that could
 * not be repaired with certainty is left as it was, with an error. */
typedef struct lr_fix {
  const char *file;
  int line;
  const char *change;
} lr_fix;
/* The changes, in the order of the files and their lines. */
const lr_fix *lr_project_fixes(const lr_project *project, size_t *count);
lr_arena *lr_project_arena(lr_project *project);
const lr_config *lr_project_config(const lr_project *project);
const lr_strategy *lr_project_strategy(const lr_project *project);
const lr_actor *lr_project_actors(const lr_project *project, size_t *count);
const lr_year *lr_project_years(const lr_project *project, size_t *count);
/* NULL when the year has no statements folder. */
const lr_year *lr_project_year(const lr_project *project, int year);


/* What changed between two years; `diff` renders it. */
typedef struct lr_comparison lr_comparison;

/* Compares two loaded years; include_internal counts (never names)
 * activities marked intern, as `diff` does; the report leaves them out. */
const lr_comparison *lr_comparison_compute(lr_project *project, const lr_year *before,
                                           const lr_year *after, bool include_internal);
bool lr_comparison_is_empty(const lr_comparison *c);


/* ---- diff: a comparison for people and scripts ------------------------- */

typedef enum lr_diff_format {
  LR_DIFF_TEXT,     /* aligned columns for a terminal */
  LR_DIFF_MARKDOWN, /* GitHub/GitLab Markdown with pipe tables, for a pull request */
  LR_DIFF_JSON,     /* the stable schema of docs/diff-json.md */
} lr_diff_format;

/* Appends a comparison to out, the key signal (coverage gained or lost)
 * first. Activities are counted; only those with an id are named, in the
 * plan-versus-outcome lists, and intern ones never. color adds ANSI colour to
 * text: only the caller knows whether the output is a terminal. The same
 * comparison always gives the same bytes. */
void lr_diff_render(const lr_comparison *c, lr_diff_format format, bool color, lr_buf *out);


/* ---- build: the report files of a year ---------------------------------- */

enum {
  LR_OUTPUT_MD = 1,
  LR_OUTPUT_HTML = 2,
  LR_OUTPUT_XLSX = 4,
  LR_OUTPUT_ALL = 7, /* the default: md, html and xlsx */
  LR_OUTPUT_DOCX = 8, /* only when asked for */
};

typedef struct lr_build_options {
  const char *out_dir;           /* NULL: <utdata>/<år> (<utdata>/<år>-<sista> for a period) */
  unsigned formats;              /* LR_OUTPUT_* */
  const char *builtin_templates; /* the installed report-templates/ */
  /* Also intern/<år>/lagesrapport-<år>-intern.xlsx: the workbook with
   * the contact persons, for the Länsstyrelse's own use, never published. */
  bool internal;
  /* A period's report, from the year to this one: the project must have
   * been loaded with the period (lr_load_options.period). 0: one year. */
  int last_year;
} lr_build_options;

typedef struct lr_build_result {
  const char *dir;       /* where the files went */
  size_t files;          /* how many were written; 0 when the run failed */
  size_t feedback_count; /* actors who got a feedback report */
  const char *internal_workbook; /* its path with options->internal, else NULL */
} lr_build_result;

/* Renders and writes every file of a year's report. Diagnostics (template
 * errors, I/O) are added to the project's list. Nothing is replaced unless
 * everything was written. */
bool lr_build_run(lr_project *project, int year, const lr_build_options *options,
                  lr_build_result *result);

/* ---- export: a year's data as CSV ---------------------------------------- */

typedef enum lr_export_table {
  LR_EXPORT_ACTIVITIES, /* aktiviteter: one row per published activity, joint ones once */
  LR_EXPORT_RESPONSES,  /* svar: one row per registered actor, answered or not */
  LR_EXPORT_INDICATORS, /* indikatorer: one row per indicator value */
  LR_EXPORT_COVERAGE,   /* täckning: one row per actor and sub-goal (or goal without any) */
} lr_export_table;

typedef struct lr_export_options {
  lr_export_table table;
  /* The dialect Swedish Excel opens on a double-click: ';' between
   * fields, a UTF-8 byte order mark, a decimal comma. Else RFC 4180. */
  bool excel;
  bool internal; /* intern activities too, marked so in a column of their own */
  const char *path; /* NULL: appended to out instead (out may be NULL with a path) */
} lr_export_options;

/* One table of a year's report as CSV, with CRLF line ends and a header
 * row; text a spreadsheet would take for a formula starts with an
 * apostrophe. A file is replaced in one step or not at all. False with
 * the project's diagnostics when the project has errors, the year has no
 * statements or the file cannot be written. */
bool lr_export_csv(lr_project *project, int year, const lr_export_options *options, lr_buf *out);

/* ---- init: a new project ------------------------------------------------ */

typedef struct lr_init_options {
  const char *dir;    /* the folder to start the project in; made if missing */
  const char *region; /* "Skåne län"; required */
  const char *sender; /* "Namn <adress>", or NULL to leave it commented out */
} lr_init_options;

/* Writes a commented starting project that checks clean: lagesrapport.yaml,
 * strategi.yaml (one goal, two sub-goals), aktorer.yaml (two actors) and a
 * .gitignore for the outputs. Nothing is ever replaced: when any of the
 * files is there already (each one an error), or a value cannot be
 * written, nothing is written. Never NULL; the project holds only the
 * diagnostics (lr_project_diagnostics) and is freed with lr_project_free.
 * *files (arena-owned, in writing order) names what was written. */
lr_project *lr_project_init(const lr_init_options *options, const char ***files,
                            size_t *file_count);

/* ---- schema: JSON Schemas for editors ------------------------------------ */

enum {
  LR_SCHEMA_STATEMENT = 1, /* yttrande.schema.json: the ids of the project as enums */
  LR_SCHEMA_STRATEGY = 2,  /* strategi.schema.json */
  LR_SCHEMA_ACTORS = 4,    /* aktorer.schema.json */
  LR_SCHEMA_TEXTS = 8,     /* rapport.schema.json */
  LR_SCHEMA_ALL = 15,
};

typedef struct lr_schema_result {
  const char *paths[4]; /* what was written, in the order above */
  size_t count;
} lr_schema_result;

/* Writes the chosen JSON Schemas (draft 2020-12) into dir (NULL:
 * <projekt>/schema), each replacing the one there. False with the
 * project's diagnostics when the project has errors (its ids would be
 * wrong) or a file cannot be written. */
bool lr_schema_write(lr_project *project, unsigned kinds, const char *dir,
                     lr_schema_result *result);

/* ---- choosing actors on the command line ------------------------------- */

/* The registered actors named by ids (--actor, --only), each once and in
 * registry order. An unknown id is an error diagnostic with a suggestion,
 * and the result is false. */
bool lr_actors_select(lr_project *project, const char *const *ids, size_t count,
                      const lr_actor ***selected, size_t *selected_count);

/* ---- new: the statement forms of a year ------------------------------- */


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

/* Writes a form (yttrande.yaml.mustache) for each actor: a valid statement
 * with the goals listed as comments and the actor's planned and ongoing
 * activities of the year before carried over. A file that exists is never
 * replaced; each is written to a temporary file and linked into place.
 * results (arena-owned, one per actor) says what was written or skipped,
 * also when a write fails midway.
 * False, with the reasons in the project's diagnostics, when not every
 * form could be written. When the statements of the year before have
 * errors nothing is tried and *result_count is 0: the data is invalid,
 * as opposed to a template or the file system failing. */
bool lr_form_write(lr_project *project, int year, const lr_form_options *options,
                   lr_form_result **results, size_t *result_count);

/* Writes <år>/formular/<aktör>.html for each chosen actor whose YAML form
 * (<år>/yttranden/<aktör>.yaml) is there: one self-contained page, made
 * from that form, the strategy and the registry, that writes the
 * statement as YAML (report-templates/formular/). The pages are replaced
 * together and those of actors not chosen are kept. *dir is the folder
 * and *written how many pages went into it. False, with diagnostics and
 * nothing replaced, when a form has errors or a page could not be made. */
bool lr_form_html_write(lr_project *project, int year, const lr_form_options *options,
                        const char **dir, size_t *written);

/* ---- mail: forms out, reports back ------------------------------------ */

typedef struct lr_journal lr_journal;

/* What the journal says of a message. */
typedef enum lr_mail_state {
  LR_MAIL_UNSENT,    /* never sent, or every try failed for certain */
  LR_MAIL_UNCERTAIN, /* it went out, but whether the server took it is unknown */
  LR_MAIL_DELIVERED, /* a server took it */
} lr_mail_state;


typedef enum lr_mail_kind {
  LR_MAIL_REPORT,   /* spring: feedback and the full report, to each actor that answered */
  LR_MAIL_FORMS,    /* winter: the form from `new`, to every registered actor */
  LR_MAIL_REMINDER, /* the form again, to each actor it was sent to that has not answered */
} lr_mail_kind;

typedef struct lr_mail_options {
  lr_mail_kind kind;
  const lr_actor *const *actors; /* NULL: all of them */
  size_t actor_count;
  const char *builtin_templates;
  const char *smtp_url; /* the server the mail is for, when it is to be sent */
  long long now;        /* seconds since the epoch: the messages' Date */
  lr_date reply_by;     /* forms and reminders: overrides "svara senast"; year 0: none */
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
  unsigned round;           /* reminders: 1 for the first round, 2 for the second … */
  const char *dir;          /* utskick/<år>/rapport, formular or paminnelse-<round> */
  const char *journal_path; /* <dir>/journal.tsv */
  const char *from_address;
  lr_mail *mails;       /* the chosen actors in registry order */
  size_t count;
  size_t message_count; /* mails with an address */
  lr_journal *journal;  /* NULL until read */
} lr_mailing;

/* Renders every message and writes the .eml files (all replaced together)
 * into the mail folder, utskick/<år>/<kind> in the project, outside the
 * reports. The Date is options->now; the Message-ID is
 * <år>.<rapport|formular|paminnelse-N>.<aktör>@<the sender's domain>, and
 * a reminder is In-Reply-To the form mail. A reminder round is the latest
 * one until every actor it is for has it, then a new one begins: so a cut
 * off round resumes, and running --remind again is the next. With a smtp_url,
 * that URL is checked first, so a refused one writes nothing. False with
 * the project's diagnostics, and *mailing NULL, when something is missing
 * (build output, forms, sender) or the URL is refused. */
bool lr_mailing_prepare(lr_project *project, int year, const lr_mail_options *options,
                        lr_mailing **mailing);
/* Reads the mail folder's journal (again) and sets each mail's state from
 * it; false with diagnostics when it cannot be read or is damaged. */
bool lr_mailing_read_journal(lr_mailing *mailing, lr_diag_list *diags);
void lr_mailing_free(lr_mailing *mailing);


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
  const char *token_command;    /* prints an OAuth2 token; run once per run */
  const char *password_command; /* prints the password; run once per run */
  const char *command_dir;      /* relative program paths in them start here */
  const char *ca_file;          /* PEM certificates the server's may chain to */
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
  bool unreachable; /* the server could not be reached at all: the run stopped */
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
 * lock (the folder itself is locked: no lock file is left behind). A
 * failure moves on to the next. Returns false, with a diagnostic, only
 * when the run had to stop: the URL is refused, another run holds the
 * folder, or the journal could not be read or written — going on could
 * then send a message twice; the CA file or the token or password
 * command fails (before anything is sent); or the server cannot be
 * reached at all (refused, unknown, no TLS), refuses the login or its
 * certificate is not trusted, which every further message would meet
 * too (after that first message). */
bool lr_mailing_deliver(lr_mailing *mailing, const lr_delivery_options *options,
                        lr_delivery_result *result, lr_diag_list *diags);

/* ---- status: who has answered ------------------------------------------ */

typedef enum lr_response {
  LR_RESPONSE_ANSWERED, /* the statement is in */
  LR_RESPONSE_AWAITING, /* the form was sent and has not come back */
  LR_RESPONSE_NONE,     /* no answer and no form sent */
} lr_response;

typedef struct lr_actor_status {
  const lr_actor *actor;
  lr_response response;
  lr_date received;   /* answered: its "inkom", year 0 when not given */
  size_t reminders;   /* reminders delivered to it so far */
} lr_actor_status;

/* One row per registered actor, in registry order, from the year's
 * statements and the journals of its form and reminder mail. False with
 * diagnostics when a journal cannot be read. */
bool lr_actors_status(lr_project *project, int year, lr_actor_status **rows, size_t *count);

#endif
