/* Everything that turns the report model into files: prose, templates,
 * the workbook and the set of output files replaced together. */
#ifndef LR_RENDER_H
#define LR_RENDER_H

#include "model/model.h"
#include "mustache/mustache.h"

/* Writes the year's workbook (Översikt, Aktiviteter, Täckning, Aktörer,
 * Jämförelse) to path with libxlsxwriter. Byte-identical for the same
 * report. On failure: false, an error diagnostic, and no file left that
 * this call created or began to write. */
bool lr_workbook_write(const lr_report *report, const char *path, lr_diag_list *diags);

/* ---- prose and files ---------------------------------------------------- */


/* Plain text (paragraphs separated by blank lines), for the workbook. */
const char *lr_markdown_text(lr_arena *arena, const char *markdown);
/* Backslash-escapes a one-line text for use inside Markdown (tables too). */
void lr_escape_markdown(const char *s, size_t n, lr_buf *out);

/* A set of output files replaced together: every file is written to a
 * temporary file in its final directory first; only when all are written
 * are they renamed into place. A failure removes the temporaries and
 * leaves the previous files untouched. */
typedef struct lr_outputs lr_outputs;

lr_outputs *lr_outputs_new(lr_arena *arena, const char *dir);
/* The buffer to fill for relpath (e.g. "aterkoppling/aneby.html"). */
lr_buf *lr_outputs_add(lr_outputs *outputs, const char *relpath);
/* For files written by a library that wants a file name (the workbook):
 * a temporary path in the final directory, renamed at commit. NULL with a
 * diagnostic when the directory cannot be made. */
const char *lr_outputs_add_file(lr_outputs *outputs, const char *relpath,
                                lr_diag_list *diags);
/* Files in subdir ending in one of the build's extensions that this build
 * did not write are removed at commit: they belong to actors who no
 * longer answered, and would otherwise linger as stale reports. */
void lr_outputs_own_dir(lr_outputs *outputs, const char *subdir);
/* Writes every buffer filled so far to its temporary file and frees it,
 * so that a build of many pages never holds them all in memory. Those
 * buffers must not be used again; nothing is replaced before commit. */
bool lr_outputs_flush(lr_outputs *outputs, lr_diag_list *diags);
bool lr_outputs_commit(lr_outputs *outputs, lr_diag_list *diags);
/* Removes temporaries and frees the buffers; call after commit too. */
void lr_outputs_free(lr_outputs *outputs);

/* Templates: a project's own (mallar:) before the built-in ones. */
typedef struct lr_templates lr_templates;
lr_templates *lr_templates_new(lr_arena *arena, const char *project_dir, const char *builtin_dir);
bool lr_templates_render(lr_templates *templates, const char *name, const lr_value *data,
                         lr_escape_fn escape, lr_buf *out, lr_diag_list *diags);

/* The escape for YAML templates: {{x}} becomes a scalar that reads back as
 * exactly x — a double-quoted scalar with escapes, or for Markdown on
 * several lines a literal block scalar ("|") indented by six spaces, so it
 * may only follow "key: " on a line indented by at most four. */
void lr_escape_yaml(const char *s, size_t n, lr_buf *out);

/* A prose field as safe HTML (raw HTML dropped, unsafe links emptied) and
 * as CommonMark for the Markdown report (nothing that re-parses as an image,
 * raw HTML or a control character), from one parse; a NULL output is not
 * rendered. */
void lr_markdown_render(lr_arena *arena, const char *markdown, const char **html,
                        const char **clean);

#endif
