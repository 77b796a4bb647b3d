/* `build`: one year's or period's report as Markdown, HTML and Excel plus
 * a feedback report per answering actor, written to a staging folder as they are
 * rendered and then put in place of the year's previous files in one step
 * (lr_outputs).
 *
 * A national year is 10,000 activities on 800 pages, so memory must not
 * grow with the page count: each page's view lives in an arena freed once
 * the page is written, and only what pages share (rendered prose and
 * activities, lr_views) stays for the whole build.
 *
 * The workbook shares nothing with the pages but the finished report,
 * which nobody changes any more, so it is written on a thread of its own
 * meanwhile: it is a third of the work (libxlsxwriter deflates every
 * sheet), and a county officer's laptop has at least two cores. */
#include "render/render.h"
#include "render/view.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

static bool render(lr_templates *t, const char *name, const lr_value *view, lr_view_format format,
                   lr_buf *out, lr_diag_list *diags) {
  lr_escape_fn escape = format == LR_VIEW_HTML ? NULL : lr_escape_markdown;
  return lr_templates_render(t, name, view, escape, out, diags);
}

/* One page: its view in a scratch arena, rendered, written out and gone. */
static bool page(lr_views *views, const lr_actor_summary *actor, lr_view_format format,
                 lr_templates *t, const char *template, lr_outputs *out, const char *relpath,
                 lr_diag_list *diags) {
  lr_arena *scratch = actor ? lr_arena_new() : lr_arena_new_large(); /* the report is megabytes */
  const lr_value *view = actor ? lr_views_feedback(views, scratch, actor, format)
                               : lr_views_report(views, scratch, format);
  bool ok = render(t, template, view, format, lr_outputs_add(out, relpath), diags) &&
            lr_outputs_flush(out, diags);
  lr_arena_free(scratch);
  return ok;
}

typedef struct workbook_job {
  const lr_report *report;
  const lr_views *views; /* the descriptions' plain text, made for the pages */
  const char *path;
  lr_diag_list diags; /* its own: the pages add to the project's meanwhile */
  bool ok;
  bool threaded;
  pthread_t thread;
} workbook_job;

static void *write_workbook(void *arg) {
  workbook_job *job = arg;
  job->ok = lr_workbook_write_with(job->report, job->path, false, lr_views_text, job->views,
                                   &job->diags);
  return NULL;
}

static void workbook_start(workbook_job *job) {
  /* libc sets up its time-zone state on first use. Set up here, before
   * the thread, libxlsxwriter's gmtime() there only reads that state,
   * while Word's zip code (libzip's mktime) may renew it on this thread
   * meanwhile. libc takes its own lock for both, which ThreadSanitizer
   * cannot see; had the thread set the state up, it would report the
   * two as a race. */
  tzset();
  lr_diag_list_init(&job->diags, lr_arena_new());
  job->threaded = pthread_create(&job->thread, NULL, write_workbook, job) == 0;
  if (!job->threaded) write_workbook(job); /* no thread to be had: in turn */
}

/* Waits for the workbook and moves its diagnostics to the project's. */
static bool workbook_finish(workbook_job *job, lr_arena *arena, lr_diag_list *diags) {
  if (job->threaded) pthread_join(job->thread, NULL);
  lr_arena_adopt(arena, job->diags.arena);
  lr_diag_list_move(diags, &job->diags);
  return job->ok;
}

/* The workbook with the contact persons, on request only: in a folder of
 * its own, intern/<år>/, so that the reports folder, which is published
 * and committed, never holds it, and named so that nobody sends it on by
 * mistake. Its path, or NULL with diagnostics. */
static const char *internal_workbook(lr_project *p, const lr_report *report, int year, int last) {
  lr_arena *arena = p->arena;
  const char *span = year == last ? lr_arena_printf(arena, "%d", year) : lr_arena_printf(arena, "%d-%d", year, last);
  const char *dir = lr_path_join(arena, p->config.root, lr_arena_printf(arena, "intern/%s", span));
  lr_outputs *out = lr_outputs_new(arena, dir, LR_OUTPUTS_REPLACE, &p->diags);
  if (!out) return NULL;
  const char *name = lr_arena_printf(arena, "lagesrapport-%s-intern.xlsx", span);
  const char *path = lr_outputs_add_file(out, name, &p->diags);
  bool ok = path && lr_workbook_write(report, path, true, &p->diags) &&
            lr_outputs_commit(out, &p->diags);
  lr_outputs_free(out);
  return ok ? lr_path_join(arena, dir, name) : NULL;
}

bool lr_build_run(lr_project *p, int year_number, const lr_build_options *o,
                  lr_build_result *result) {
  lr_arena *arena = p->arena;
  lr_diag_list *diags = &p->diags;
  if (result) *result = (lr_build_result){0};
  int last = o->last_year ? o->last_year : year_number;
  for (int y = year_number; y <= last; y++) {
    if (lr_project_year(p, y)) continue;
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){p->config.root, 0, 0},
                             "det finns inga yttranden för %d", y);
    lr_diag_hint(diags, d, "skapa formulären med \"lagesrapport new %d\"", y);
    return false;
  }
  const lr_report *report = last != year_number ? lr_period_report_compute(p, year_number, last)
                                                : lr_report_compute(p, lr_project_year(p, year_number));
  if (!report) return false;
  const char *dir = o->out_dir ? o->out_dir : lr_span_paths_get(p, year_number, last).output;
  lr_templates *templates = lr_templates_new(arena, p->config.templates_dir, o->builtin_templates);
  lr_value *titles = lr_templates_titles(templates, diags);
  if (!titles) return false;
  lr_outputs *out = lr_outputs_new(arena, dir, LR_OUTPUTS_REPLACE, diags);
  if (!out) return false;
  size_t errors = diags->errors;
  bool ok = true;

  static const struct {
    unsigned flag;
    lr_view_format format;
    const char *ext;
  } kinds[] = {{LR_OUTPUT_MD, LR_VIEW_MARKDOWN, "md"}, {LR_OUTPUT_HTML, LR_VIEW_HTML, "html"}};
  size_t feedback = 0;
  lr_views *views = lr_views_new(arena, report, o->formats);
  lr_views_set_titles(views, titles);
  /* Both cores from here on: first the descriptions, shared by pages and
   * workbook, then each its own. */
  if (o->formats & (LR_OUTPUT_MD | LR_OUTPUT_HTML)) lr_views_prepare_prose(views);
  workbook_job workbook = {.report = report, .views = views};
  if (o->formats & LR_OUTPUT_XLSX) {
    workbook.path = lr_outputs_add_file(
        out, lr_span_report_file(arena, year_number, last, "xlsx"), diags);
    ok = workbook.path != NULL;
    if (ok) workbook_start(&workbook);
  }

  for (size_t k = 0; k < 2 && ok; k++) {
    if (!(o->formats & kinds[k].flag)) continue;
    ok = page(views, NULL, kinds[k].format, templates,
              lr_arena_printf(arena, "lagesrapport.%s", kinds[k].ext), out,
              lr_span_report_file(arena, year_number, last, kinds[k].ext), diags);
    const char *template = lr_arena_printf(arena, "aterkoppling.%s", kinds[k].ext);
    for (size_t a = 0; a < report->actor_count && ok; a++) {
      const lr_actor_summary *as = &report->actors[a];
      if (!as->statement) continue;
      ok = page(views, as, kinds[k].format, templates, template, out,
                lr_feedback_file(arena, as->actor->id, kinds[k].ext), diags);
      if (k == 0 || !(o->formats & LR_OUTPUT_MD)) feedback++;
    }
  }
  /* Word while the workbook is still being written, on two cores: the
   * two share nothing but libc's time-zone data (workbook_start). */
  if (ok && (o->formats & LR_OUTPUT_DOCX)) {
    const char *docx = lr_outputs_add_file(out, lr_span_report_file(arena, year_number, last, "docx"), diags);
    ok = docx && lr_docx_write(views, templates, lr_project_config(p), docx, diags);
  }
  if (workbook.path && !workbook_finish(&workbook, arena, diags)) ok = false;
  ok = ok && diags->errors == errors && lr_outputs_commit(out, diags);
  const char *internal = ok && o->internal ? internal_workbook(p, report, year_number, last) : NULL;
  if (ok && o->internal && !internal) ok = false;
  if (result) {
    result->internal_workbook = internal;
    result->dir = dir;
    result->feedback_count = feedback;
    result->files = ok ? lr_outputs_count(out) : 0;
  }
  lr_outputs_free(out);
  return ok;
}
