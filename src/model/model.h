/* The project model behind the public structs: the loaders of each file,
 * the project being loaded, and the computed report of a year, which
 * every output reads and none recounts. */
#ifndef LR_MODEL_H
#define LR_MODEL_H

#include "mime/mime.h" /* addresses in the registry and the configuration */
#include "yaml/yaml.h"

/* The newest "inkom" date of the year's statements, or 1 April of the year
 * after when none has one. */
lr_date lr_year_last_received(const lr_year *year);
bool lr_project_ok(const lr_project *project); /* no errors */
/* The registered actor with this id, or NULL. */
const lr_actor *lr_project_actor(const lr_project *project, const char *id);
/* Tokens as files spell them ("under-arbete"), and labels as a heading
 * or a cell shows them ("Under arbete"); src/model/labels.c. */
const char *lr_actor_type_name(lr_actor_type type);   /* "kommun" … */
const char *lr_actor_type_label(lr_actor_type type);  /* "Kommun" … */
const char *lr_status_name(lr_status status);         /* "pågående" … */
const char *lr_status_label(lr_status status);        /* "Pågående" … */
const char *lr_plan_status_name(lr_plan_status status); /* "antagen" … */
const char *lr_plan_status_label(lr_plan_status status); /* "Antagen", "Ej angivet" … */
/* NULL-terminated, for lr_ctx_enum; plan statuses from LR_PLAN_ANTAGEN. */
extern const char *const lr_status_tokens[LR_STATUS_COUNT + 1];
extern const char *const lr_plan_status_tokens[LR_PLAN_STATUS_COUNT];
extern const char *const lr_actor_type_tokens[LR_ACTOR_TYPE_COUNT + 1];
/* rapport.yaml's title, else "Regional lägesrapport 2023"; texts may be NULL. */
const char *lr_report_title(lr_arena *arena, const lr_report_texts *texts, int year);

/* ---- versions of a revised strategy (revisions.c) ------------------------ */

/* What one goal or sub-goal of the version before became in a version. */
typedef struct lr_target_change {
  const lr_target *before;
  const lr_target **after; /* in this version, in the order written */
  size_t after_count;      /* 0: removed */
  bool exact;              /* one to one: not merged, split or removed */
} lr_target_change;

/* How a revision changed the framework, for a reader: a note where
 * counts of two years are compared across it. */
typedef enum lr_revision_kind {
  LR_REVISION_MERGED,     /* several before, one after */
  LR_REVISION_SPLIT,      /* one before, several after */
  LR_REVISION_REMOVED,    /* one before, none after */
  LR_REVISION_RENUMBERED, /* one to one under another id */
} lr_revision_kind;

typedef struct lr_revision_note {
  lr_revision_kind kind;
  int year; /* the revision's first year */
  const lr_target **before, **after;
  size_t before_count, after_count;
} lr_revision_note;

/* A version with what is private to it. Ids are scoped per version, so a
 * revision may reuse an id for something else; areas are shared. */
typedef struct lr_version {
  lr_strategy *strategy;
  lr_index target_ids; /* goal or sub-goal id -> lr_target */
  lr_index changes;    /* id in the version before -> lr_target_change */
  lr_target_change **change_list; /* the same in the order of the version before */
  size_t change_count;
  lr_revision_note *notes;
  size_t note_count;
} lr_version;

/* Reads "revisioner" of strategi.yaml into p->versions after the first. */
void lr_revisions_load(const lr_ctx *ctx, lr_project *p, const lr_node *list);
/* Reads a version's "mål" (strategy.c). */
void lr_goals_load(const lr_ctx *ctx, lr_version *version, const lr_node *list);
/* The goal or sub-goal with this id in a version, or NULL. */
const lr_target *lr_target_find(const lr_project *project, const lr_strategy *version,
                                const char *id);
/* For an id that a version lacks but another has: a hint that names the
 * revision ("delmål 3.4 heter 3.3 från 2024"), or NULL. Only reads p. */
const char *lr_target_elsewhere(lr_arena *arena, const lr_project *project,
                                const lr_strategy *version, const char *id);
/* The notes of the revisions between two years (after the earlier, up to
 * the later), in either order. */
size_t lr_revision_notes(const lr_project *project, int before, int after,
                         const lr_revision_note ***out, lr_arena *arena);
/* "Delmål 1.1 och 1.2 slogs ihop till 1.1 år 2024." */
const char *lr_revision_note_text(lr_arena *arena, const lr_revision_note *note);

/* The version of the strategy that applies in a year: the first one for
 * every year before the first revision. */
const lr_strategy *lr_strategy_in_year(const lr_project *project, int year);
/* Where a goal or sub-goal of version `from` is in version `to`: the
 * targets it became, arena-owned, and how many (0: removed). *exact is
 * false when the mapping is not one to one: merged with another, split,
 * or removed. An earlier `to` (diff 2024 2022) follows the revisions
 * backwards: what the target came from. */
size_t lr_target_follow(lr_project *project, const lr_strategy *from, lr_target target,
                        const lr_strategy *to, const lr_target **out, bool *exact);

/* ---- shared indicators (indicators.c) ------------------------------------ */

/* strategi.yaml's indikatorer: (list may be NULL), into p->strategy. */
void lr_indicators_load(const lr_ctx *ctx, lr_project *project, const lr_node *list);
/* A statement's indikatorer: (map may be NULL); s->actor must be set. */
void lr_indicator_values_load(const lr_ctx *ctx, lr_project *project, const lr_node *map,
                              lr_statement *s);
/* Warns, once per indicator, about the year's answering actors of a
 * reporting type that left it out. */
void lr_year_check_indicators(lr_project *project, const lr_year *year);
const lr_indicator *lr_indicator_find(const lr_strategy *strategy, const char *id);
/* Once the registry is loaded: an actor id in rapporteras-av that is not
 * in it is an error. */
void lr_indicators_check_reporters(lr_project *project);
/* Whether the actor should report the indicator, by its type or by name. */
bool lr_indicator_reported_by(const lr_indicator *ind, const lr_actor *actor);
/* A statement's value of an indicator, or NULL (s may be NULL). */
const lr_indicator_value *lr_statement_indicator(const lr_statement *s, const lr_indicator *ind);
/* Unit "procent": values are shares 0-100, and a county total is their
 * median, never their sum. */
bool lr_indicator_is_share(const lr_indicator *ind);
/* Unit "antal" or "st": whole numbers only. */
bool lr_indicator_is_count(const lr_indicator *ind);

/* The county's figure of one indicator in one year. */
typedef struct lr_indicator_total {
  size_t count;     /* actors that reported it */
  double total;     /* the sum, or for a share the median */
  double min, max;  /* of the actors' values */
} lr_indicator_total;
lr_indicator_total lr_indicator_total_of(const lr_year *year, const lr_indicator *ind);
/* The same from the values themselves, which it sorts. */
lr_indicator_total lr_indicator_total_of_values(const lr_indicator *ind, double *values, size_t count);

typedef struct lr_indicator_entry {
  const lr_actor *actor;
  const lr_indicator_value *value, *previous; /* this year and the year before; NULL: none */
} lr_indicator_entry;

typedef struct lr_indicator_summary {
  const lr_indicator *indicator;
  lr_indicator_total now, before;
  bool has_previous; /* the year before was loaded */
  /* Actors with a value in either year, in registry order. */
  lr_indicator_entry *entries;
  size_t entry_count;
} lr_indicator_summary;
/* Parallel to the strategy's indicators; previous may be NULL. */
lr_indicator_summary *lr_indicators_summarise(lr_arena *arena, const lr_project *project,
                                              const lr_year *year, const lr_year *previous);

/* Whether any actor's value differs between the two years (a value only
 * one year has differs). */
bool lr_indicators_changed(const lr_indicator_summary *summaries, size_t count);
bool lr_indicator_entry_changed(const lr_indicator_entry *e);
/* Whether the two years' county figures can be compared: the same
 * actors reported both years. */
bool lr_indicator_comparable(const lr_indicator_summary *s);
/* 1 better, -1 worse, 0 unchanged, as the indicator's direction judges. */
int lr_indicator_judgement(const lr_indicator *ind, double before, double after);
/* "412", "37,5": as a Swedish table shows a figure. */
const char *lr_indicator_number(lr_arena *arena, double value);
/* "+12", "−3,5", "±0". */
const char *lr_indicator_change(lr_arena *arena, double before, double after);

/* ---- activity identity (activities.c) ------------------------------------ */

/* The ids of the goals an activity serves and of the sub-goals it names,
 * each in strategy order whatever order the statement gave them in;
 * arena-owned arrays with their counts. */
void lr_activity_target_ids(lr_arena *arena, const lr_strategy *strategy, const lr_activity *a,
                            const char ***goals, size_t *goal_count, const char ***subgoals,
                            size_t *subgoal_count);
/* ^[a-z0-9]+(-[a-z0-9]+)*$ */
bool lr_activity_id_valid(const char *id);
/* A valid id made from a heading ("Forum Kvinnofrid" -> "forum-kvinnofrid"),
 * or "" when the heading has no letter or digit. */
const char *lr_activity_slug(lr_arena *arena, const char *text);

/* ---- where a year's files are ------------------------------------------ */

/* The paths of a year's files, arena-owned by the project. */
typedef struct lr_year_paths {
  const char *dir;        /* <projekt>/<år> */
  const char *statements; /* <projekt>/<år>/yttranden */
  const char *texts;      /* <projekt>/<år>/rapport.yaml */
  const char *output;     /* <utdata>/<år>: where build writes by default */
} lr_year_paths;
lr_year_paths lr_year_paths_get(lr_project *project, int year);
/* The same for a period's report: <projekt>/2021-2022/rapport.yaml and
 * <utdata>/2021-2022 (statements: NULL, a period has none of its own);
 * first == last is the year's. */
lr_year_paths lr_span_paths_get(lr_project *project, int first, int last);
/* <projekt>/<år>/yttranden/<aktör>.yaml */
const char *lr_statement_path(lr_project *project, int year, const char *actor_id);
/* Files in the output folder, relative to it: "lagesrapport-2023.html",
 * "aterkoppling/aneby.html". */
const char *lr_report_file(lr_arena *arena, int year, const char *extension);
/* "lagesrapport-2021-2022.html"; first == last is the year's. */
const char *lr_span_report_file(lr_arena *arena, int first, int last, const char *extension);
const char *lr_feedback_file(lr_arena *arena, const char *actor_id, const char *extension);

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
  size_t actor_count;    /* owners of those activities */
  size_t subgoals_covered;
  size_t status_counts[LR_STATUS_COUNT];
  lr_activity_ref *activities; /* every activity under the goal, once */
  /* Parallel to activities: this goal is the activity's main goal (its
   * first target's), where it is shown in full; elsewhere it is named. */
  bool *is_main;
  lr_subgoal_summary *subgoals; /* parallel to goal->subgoals */
  const char *analysis;         /* from rapport.yaml, or NULL */
  const char *lead_in, *closing; /* from rapport.yaml, or NULL */
  /* The activities shown in full under the goal, in the order shown:
   * rapport.yaml's choice, or else lr_report_compute's (see
   * docs/rapport.md). Every activity is in the appendix regardless. */
  lr_activity_ref *examples;
  const char **example_lead_ins; /* parallel: rapport.yaml's text before it, or NULL */
  size_t example_count;
  bool chosen; /* by rapport.yaml */
} lr_goal_summary;

/* At most this many examples per goal when rapport.yaml chooses none. */
#define LR_DEFAULT_EXAMPLES 4

typedef struct lr_actor_summary {
  const lr_actor *actor;
  const lr_statement *statement; /* NULL: did not answer */
  size_t activity_count;         /* published activities it owns, joint ones too */
  size_t *per_goal;              /* published activities per goal */
  size_t *per_subgoal;           /* published activities per sub-goal */
  /* Every activity it owns, intern ones too (for its own feedback), each
   * once, in the order of the statements they are written in. */
  lr_activity_ref *owned;
  size_t owned_count;
} lr_actor_summary;

/* What became of one of last year's planned or ongoing activities. */
typedef enum lr_outcome {
  LR_OUTCOME_GENOMFORD,
  LR_OUTCOME_PAGAENDE,
  LR_OUTCOME_PLANERAD,   /* still planned */
  LR_OUTCOME_AVBRUTEN,
  LR_OUTCOME_UNREPORTED, /* no activity with its id this year */
  LR_OUTCOME_UNTRACKED,  /* it had no id, so it cannot be followed */
  LR_OUTCOME_COUNT
} lr_outcome;

typedef struct lr_followup {
  lr_activity_ref before;
  lr_activity_ref after; /* activity NULL unless reported on this year */
  lr_outcome outcome;
} lr_followup;

/* "pågående", "inte rapporterad" …, and a heading's "Genomförd" …. */
const char *lr_outcome_name(lr_outcome outcome);
const char *lr_outcome_label(lr_outcome outcome);
/* Whether an actor is among an activity's owners. */
bool lr_activity_owned_by(const lr_activity *a, const lr_actor *actor);

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
  /* Plan versus outcome: last year's published activities with status
   * planerad or pågående, each once, in the order they were written. */
  lr_followup *followups;
  size_t followup_count;
  size_t outcome_counts[LR_OUTCOME_COUNT];
  size_t (*actor_outcomes)[LR_OUTCOME_COUNT]; /* parallel to the registry, each owner */
  size_t (*goal_outcomes)[LR_OUTCOME_COUNT];  /* parallel to strategy goals */
  /* This year's published activities that last year did not have: no
   * owner had its id, or it has none. */
  lr_activity_ref *new_activities;
  size_t new_count;
  /* The revisions between the two years, when last year's goals and
   * sub-goals were mapped into this year's version. */
  const lr_revision_note **revision_notes;
  size_t revision_note_count;
  bool include_internal;
  /* The shared indicators of both years, parallel to the strategy's. */
  const lr_indicator_summary *indicators;
  size_t indicator_count;
  /* What the parallel arrays run over, so a comparison can be read (and
   * rendered) without the project. */
  const lr_strategy *strategy;
  const lr_actor *actors;
  size_t actor_count;
} lr_comparison;

/* ---- trends over the years (trends.c) ---------------------------------- */

typedef struct lr_trend_count {
  size_t activities; /* each once */
  size_t actors;     /* owners of those */
  /* Some of them come from a target of an older version that was merged,
   * split or removed in the revision: the count compares less well. */
  bool inexact;
} lr_trend_count;

typedef struct lr_trend_year {
  int year;
  size_t responses;  /* statements that came in */
  size_t registered; /* actors in the registry */
  size_t activities; /* published, each once */
  lr_trend_count *per_goal;    /* parallel to lr_trends.strategy's goals */
  lr_trend_count *per_subgoal; /* by lr_subgoal.index */
  lr_indicator_total *indicators; /* the county's figures, parallel to the strategy's indicators */
} lr_trend_year;

/* Years in a row without activity that make a sub-goal stale. */
#define LR_TREND_STALE_YEARS 2

typedef struct lr_stale_target {
  lr_target target; /* a sub-goal, or a goal without sub-goals */
  int last_year;    /* its latest year with activity; 0: none of the project's years */
  size_t idle_years; /* the years in a row without, up to the report's */
} lr_stale_target;

typedef struct lr_stopped_actor {
  const lr_actor *actor;
  int last_year; /* the latest year it answered */
} lr_stopped_actor;

typedef struct lr_trends {
  const lr_strategy *strategy; /* the report year's version, which every year is counted in */
  lr_trend_year *years;        /* ascending, up to and with the report's */
  size_t year_count;
  lr_stale_target *stale; /* in strategy order */
  size_t stale_count;
  lr_stopped_actor *stopped; /* in registry order */
  size_t stopped_count;
  bool inexact; /* some count crosses a revision that is not one to one */
} lr_trends;

/* Every year of the project up to the report's, published activities
 * only, mapped into the report year's strategy version. Years that are
 * not loaded are read from the digest cache under .lagesrapport/cache in
 * the project, or from their statements (and then cached). */
const lr_trends *lr_trends_compute(lr_project *project, const lr_year *year);

/* ---- the report of a period (period.c) ------------------------------------ */

typedef struct lr_period_year {
  const lr_year *year;
  size_t response_count;
  size_t activity_count; /* published ones, each once */
} lr_period_year;

/* What a period's report has beyond a year's: its years one by one. Its
 * lr_report reads a year made for it (see period.c), whose statements
 * merge each actor's statements of the period. */
typedef struct lr_period {
  int first, last;
  const char *name; /* "2021–2022", as text writes it */
  /* The years after the first, where its plans are followed to: "2022",
   * or "2022–2023" in a period of three years. */
  const char *after_name;
  lr_period_year *years;
  size_t year_count;
  /* Who answered which years: year_count entries per actor, in registry
   * order; and how many actors answered at least once. */
  const bool *answered;
  size_t actors_answered;
  /* A merged activity -> the years it was reported in ("2021–2022"). */
  lr_ptr_index reported;
} lr_period;

/* Merges the loaded years first..last into the year a period's report
 * reads, checks the period against the strategy's giltig and loads the
 * period's rapport.yaml; the loader calls it (lr_load_options.period).
 * Errors are diagnostics. */
void lr_period_load(lr_project *project, int first, int last);
/* The report of the period loaded, or NULL with an error when it is not
 * the one loaded. Arena-owned by the project. */
struct lr_report;
const struct lr_report *lr_period_report_compute(lr_project *project, int first, int last);

/* "2023", or "2021–2022" for a period: what text says a report covers. */
const char *lr_report_span(lr_arena *arena, const struct lr_report *report);
/* rapport.yaml's title, else "Regional lägesrapport 2021–2022". */
const char *lr_report_heading(lr_arena *arena, const struct lr_report *report);

typedef struct lr_report {
  const lr_project *project;
  const lr_period *period; /* NULL: the report of one year */
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
  const lr_trends *trends;         /* every year up to this one */
} lr_report;

/* Computes the view of one year that every output reads. Arena-owned by
 * the project. `year` must have been loaded (lr_project_year). */
const lr_report *lr_report_compute(lr_project *project, const lr_year *year);

/* Marks the later copies of each joint activity (lr_activity.copy) and
 * reports ids used twice by one owner and copies that disagree. The
 * year's statements must be in registry order. */
void lr_year_merge_activities(lr_project *project, lr_year *year);
/* Warns, for each pair of consecutive years loaded, about last year's
 * planned and ongoing activities with an id that no owner reports on
 * this year: dropped from a form rather than marked avbruten. */
void lr_years_check_carried(lr_project *project);
/* A year's activities with an id, each once, by "<aktör>/<id>" of every
 * owner; and the one an activity of another year is, by any of its
 * owners (NULL: none, or it has no id). */
lr_index lr_year_activity_index(lr_project *project, const lr_year *year);
const lr_activity_ref *lr_activity_find(lr_project *project, const lr_index *index,
                                        const lr_activity *activity);

/* ---- the project being loaded ----------------------------------------- */

typedef struct lr_named_file {
  lr_loc loc;
  const char *source_line;
} lr_named_file;

/* Whether the file the configuration names is there; when it is not, an
 * error at the configuration's line, with the nearest YAML file in its
 * folder as a suggestion. `what` names the file in the message. */
bool lr_named_file_exists(lr_project *p, const char *path, const lr_named_file *named,
                          const char *key, const char *what);

struct lr_project {
  lr_arena *arena;
  lr_diag_list diags;
  lr_config config;
  lr_strategy strategy;
  lr_actor *actors;
  size_t actor_count;
  lr_year *years;
  size_t year_count;
  lr_index actor_ids;  /* id -> lr_actor */
  /* The strategy's versions, the first being &strategy. */
  lr_version *versions;
  size_t version_count;
  lr_index area_ids;   /* id -> lr_area */
  /* The project folder's real path: what its files may resolve into. */
  const char *real_root;
  /* Where lagesrapport.yaml names the strategy and the registry (line 0
   * when the default name is used), for an error about a missing file. */
  lr_named_file strategy_named, actors_named;
  /* check --fix: whether to repair files before reading them, and what
   * was changed (in the arena). */
  bool fixing;
  lr_fix *fixes;
  size_t fix_count, fix_cap;
  /* lr_period_load's year of merged statements, and its period. */
  lr_year *period_year;
  lr_period *period;
};

/* Repairs one file for check --fix (lr_yaml_repair), recording each
 * change or, when it must stay as it is, an error. */
void lr_project_fix_file(lr_project *p, const char *path);
/* The same for every YAML file of the project but lagesrapport.yaml. */
void lr_project_fix_files(lr_project *p);

/* Each returns false when its file could not be used at all. */
bool lr_config_load(lr_project *p, const char *dir);
bool lr_strategy_load(lr_project *p);
bool lr_actors_load(lr_project *p);
bool lr_statement_load(lr_project *p, int year, const char *path,
                       const char *stem, lr_statement *out);
/* The same into an arena and a list of the caller's, for a loader thread:
 * p is only read. */
bool lr_statement_load_in(lr_project *p, lr_arena *arena, lr_diag_list *diags, int year,
                          const char *path, int folder_fd, const char *stem, lr_statement *out);
/* After the year's statements: examples are checked against them. */
const lr_report_texts *lr_report_texts_load(lr_project *p, const lr_year *y, const char *path);

/* Shared checks of ids and addresses used by several loaders. */
const lr_actor *lr_ctx_actor_ref(const lr_ctx *ctx, lr_project *p,
                                 const lr_node *node);
bool lr_ctx_email(const lr_ctx *ctx, const lr_node *node, const char *key,
                  const char **out);

#endif
