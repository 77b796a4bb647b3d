/* `build`: one year's report as Markdown, HTML and Excel plus a feedback
 * report per answering actor, rendered into memory and then replaced on
 * disk all together. */
#include "internal.h"
#include "view.h"

#include <string.h>

static bool render(lr_templates *t, const char *name, const lr_value *view, lr_view_format format,
                   lr_buf *out, lr_diag_list *diags) {
  lr_escape_fn escape = format == LR_VIEW_HTML ? NULL : lr_escape_markdown;
  return lr_templates_render(t, name, view, escape, out, diags);
}

bool lr_build_run(lr_project *p, int year_number, const lr_build_options *o,
                  lr_build_result *result) {
  lr_arena *arena = p->arena;
  lr_diag_list *diags = &p->diags;
  const lr_year *year = lr_project_year(p, year_number);
  if (!year) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){p->config.root, 0, 0},
                             "det finns inga yttranden för %d", year_number);
    lr_diag_hint(diags, d, "skapa formulären med \"lagesrapport new %d\"", year_number);
    return false;
  }
  const lr_report *report = lr_report_compute(p, year);
  const char *dir = o->out_dir ? o->out_dir
                               : lr_path_join(arena, p->config.output_dir,
                                              lr_arena_printf(arena, "%d", year_number));
  lr_templates *templates = lr_templates_new(arena, p->config.templates_dir, o->builtin_templates);
  lr_outputs *out = lr_outputs_new(arena, dir);
  size_t errors = diags->errors;
  bool ok = true;

  static const struct {
    unsigned flag;
    lr_view_format format;
    const char *ext;
  } kinds[] = {{LR_OUTPUT_MD, LR_VIEW_MARKDOWN, "md"}, {LR_OUTPUT_HTML, LR_VIEW_HTML, "html"}};
  size_t feedback = 0;
  for (size_t k = 0; k < 2 && ok; k++) {
    if (!(o->formats & kinds[k].flag)) continue;
    const lr_value *view = lr_view_report(arena, report, kinds[k].format);
    lr_buf *buf = lr_outputs_add(out, lr_arena_printf(arena, "lagesrapport-%d.%s", year_number, kinds[k].ext));
    ok = render(templates, lr_arena_printf(arena, "lagesrapport.%s", kinds[k].ext), view,
                kinds[k].format, buf, diags);
    for (size_t a = 0; a < report->actor_count && ok; a++) {
      const lr_actor_summary *as = &report->actors[a];
      if (!as->statement) continue;
      const lr_value *fv = lr_view_feedback(arena, report, as, kinds[k].format);
      lr_buf *fb = lr_outputs_add(out, lr_arena_printf(arena, "aterkoppling/%s.%s", as->actor->id, kinds[k].ext));
      ok = render(templates, lr_arena_printf(arena, "aterkoppling.%s", kinds[k].ext), fv,
                  kinds[k].format, fb, diags);
      if (k == 0 || !(o->formats & LR_OUTPUT_MD)) feedback++;
    }
  }
  if (ok && (o->formats & LR_OUTPUT_XLSX)) {
    const char *path = lr_outputs_add_file(out, lr_arena_printf(arena, "lagesrapport-%d.xlsx", year_number), diags);
    ok = path && lr_workbook_write(report, path, diags);
  }
  if (o->formats & (LR_OUTPUT_MD | LR_OUTPUT_HTML)) lr_outputs_own_dir(out, "aterkoppling");
  ok = ok && diags->errors == errors && lr_outputs_commit(out, diags);
  if (result) {
    result->dir = dir;
    result->feedback_count = feedback;
    result->files = 0;
  }
  lr_outputs_free(out);
  return ok;
}
