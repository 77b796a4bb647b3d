/* Everything that turns the report model into files: prose, templates,
 * the workbook and the set of output files replaced together. */
#ifndef LR_RENDER_H
#define LR_RENDER_H

#include "model/model.h"
#include "mustache/mustache.h"

/* Writes the year's workbook (Översikt, Aktiviteter, Täckning, Aktörer,
 * Jämförelse) to path with libxlsxwriter. Byte-identical for the same
 * report. On failure: false, an error diagnostic, and no file left that
 * this call created or began to write. The Aktörer sheet names contact
 * persons and their addresses only when internal: the published workbook
 * carries organisations, not people. */
bool lr_workbook_write(const lr_report *report, const char *path, bool internal,
                       lr_diag_list *diags);
/* The plain text of a prose field that a build has already parsed for its
 * pages, or NULL when it has not: then the workbook parses it itself. */
typedef const char *(*lr_prose_text_fn)(const void *context, const char *markdown);
/* lr_workbook_write taking the descriptions' plain text from text. */
bool lr_workbook_write_with(const lr_report *report, const char *path, bool internal,
                            lr_prose_text_fn text, const void *context, lr_diag_list *diags);

/* ---- prose and files ---------------------------------------------------- */


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
 * names, none of them starting with a dot. It stays valid until it is
 * flushed or the set is freed, whatever is added after it. */
lr_buf *lr_outputs_add(lr_outputs *outputs, const char *relpath);
/* How many files have been added, by either add function. */
size_t lr_outputs_count(const lr_outputs *outputs);
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

/* ---- Word ---------------------------------------------------------------- */

/* A prose field as WordprocessingML paragraphs (<w:p>…</w:p>), its text
 * only: a list item becomes a paragraph in the list style, its bullet kept. */
const char *lr_docx_prose(lr_arena *arena, const char *markdown);
/* The same from the field's plain text (lr_markdown_text), made already. */
const char *lr_docx_paragraphs(lr_arena *arena, const char *text);

/* Templates: a project's own (mallar:) before the built-in ones. */
typedef struct lr_templates lr_templates;
lr_templates *lr_templates_new(lr_arena *arena, const char *project_dir, const char *builtin_dir);
bool lr_templates_render(lr_templates *templates, const char *name, const lr_value *data,
                         lr_escape_fn escape, lr_buf *out, lr_diag_list *diags);
/* The report's section titles: the built-in rubriker.yaml with the
 * project's own rubriker.yaml (only keys the built-in one has) over it.
 * NULL after diagnostics located in the file at fault. */
lr_value *lr_templates_titles(lr_templates *templates, lr_diag_list *diags);
/* A file beside the templates that a page takes in as it is (a style
 * sheet, a script), looked up the same way; NULL after a diagnostic. */
const char *lr_templates_file(lr_templates *templates, const char *file, lr_diag_list *diags);

/* The escape for YAML templates: {{x}} becomes a scalar that reads back as
 * exactly x — a double-quoted scalar with escapes, or for Markdown on
 * several lines a literal block scalar ("|") indented by six spaces, so it
 * may only follow "key: " on a line indented by at most four. */
void lr_escape_yaml(const char *s, size_t n, lr_buf *out);

/* JSON Schemas (src/render/schema.c). A statement schema for a given year
 * (`new` writes one beside the forms) has that year as its only "år";
 * year 0 allows any. The file name of a kind: "yttrande.schema.json" … */
void lr_schema_render(const lr_project *project, unsigned kind, int year, lr_buf *out);
const char *lr_schema_file_name(unsigned kind);
/* Replaces path with the schema; false with a diagnostic when it cannot. */
bool lr_schema_file_write(lr_project *project, unsigned kind, int year, const char *path);
/* The HTML form of an actor's statement: <år>/formular/<aktör>.html. */
const char *lr_form_html_path(lr_project *project, int year, const char *actor_id);

/* A prose field as safe HTML (raw HTML dropped, unsafe links emptied) and
 * as CommonMark for the Markdown report (nothing that re-parses as an image,
 * raw HTML or a control character), from one parse; a NULL output is not
 * rendered. */
void lr_markdown_render(lr_arena *arena, const char *markdown, const char **html,
                        const char **clean);
/* The same, and the plain text of lr_markdown_text, still from one parse. */
void lr_markdown_render_with_text(lr_arena *arena, const char *markdown, const char **html,
                                  const char **clean, const char **text);

#endif
