/* Views of a computed report for the templates. */
#ifndef LR_VIEW_H
#define LR_VIEW_H

#include "render/render.h"

/* LR_VIEW_DOCX: prose as WordprocessingML paragraphs (lr_docx_prose). */
typedef enum lr_view_format { LR_VIEW_MARKDOWN, LR_VIEW_HTML, LR_VIEW_DOCX, LR_VIEW_FORMATS } lr_view_format;

/* Views of one report that share their rendered prose, so that a build
 * renders each text once per format however many pages show it.
 * `arena` of lr_views_new must outlive every view; each view goes into
 * the arena given for it, which may be freed once the page is rendered.
 * `formats` (LR_OUTPUT_MD, LR_OUTPUT_HTML) says which views will be made:
 * with both, each prose field is parsed once for the two. */
typedef struct lr_views lr_views;
lr_views *lr_views_new(lr_arena *arena, const lr_report *report, unsigned formats);
/* The section titles every view shows as rubriker (lr_templates_titles);
 * they must outlive the views. */
void lr_views_set_titles(lr_views *views, lr_value *titles);
/* Renders every activity's description for the pages at once, half on a
 * second thread, and keeps its plain text for the workbook: one cmark
 * parse per description for all three, where pages render lazily and the
 * workbook parsed again. Call before anything reads the views. */
void lr_views_prepare_prose(lr_views *views);
/* A description's plain text after lr_views_prepare_prose, or NULL (an
 * lr_prose_text_fn for lr_workbook_write_with): safe from another thread,
 * as nothing changes what it reads. */
const char *lr_views_text(const void *views, const char *markdown);
const lr_value *lr_views_report(lr_views *views, lr_arena *arena, lr_view_format format);
const lr_value *lr_views_feedback(lr_views *views, lr_arena *arena,
                                  const lr_actor_summary *actor, lr_view_format format);

/* The shared indicators of the report (indicator_view.c): one item per
 * indicator, and for a feedback page the actor's own values. */
lr_value *lr_indicators_view(lr_arena *arena, const lr_report *report);
lr_value *lr_indicators_feedback_view(lr_arena *arena, const lr_report *report, const lr_actor *actor);
/* Sets a list and "har_<key>", since Mustache can only test a list by
 * iterating it and a heading must appear once. */
void lr_view_set_list(lr_value *map, const char *key, lr_value *list);
/* The section "Utveckling över åren" (trend_view.c), or null when the
 * project has only the report's year. */
lr_value *lr_trend_view(lr_arena *arena, const lr_report *report, lr_view_format format);
/* A period's part of the report's view (period_view.c): its sentence on
 * the answers per year; the years an activity was reported in ("2021–2022";
 * NULL in a year's report); and "period" (null in a year's report). */
const char *lr_period_sentence(lr_arena *arena, const lr_period *period);
const char *lr_period_reported(const lr_report *report, const lr_activity *activity);
lr_value *lr_period_value(lr_arena *arena, const lr_report *report);

/* Writes the report as a Word document to path (docx.c). On failure:
 * false and an error diagnostic. */
bool lr_docx_write(lr_views *views, lr_templates *templates, const lr_config *config,
                   const char *path, lr_diag_list *diags);

#endif
