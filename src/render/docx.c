/* `build --format docx`: the report as a Word document, for the officer
 * who finishes it in Word (a preface, the county's approval with tracked
 * changes) and exports the PDF from there.
 *
 * It is made from the same view as the HTML, with prose as Word
 * paragraphs (LR_VIEW_DOCX), through the Mustache templates in
 * report-templates/docx/ (one per part of the package, so a county can
 * override any of them as it can the HTML), and packed with libzip. Every
 * entry has the same fixed time (1980-01-01, the first a zip can hold) and
 * nothing in the parts carries a date, so the same report gives the same
 * bytes on every machine and day. */
#include "render/render.h"
#include "render/view.h"

#include <string.h>
#include <zip.h>

/* Text for a <w:t>: XML-escaped, and without the C0 controls XML 1.0
 * cannot hold (the loader refuses them, but prose may spell them as
 * character references). */
static void xml_text(const char *s, size_t n, lr_buf *out) {
  size_t done = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c != '&' && c != '<' && c != '>' && (c >= 0x20 || c == '\t')) continue;
    lr_buf_put(out, s + done, i - done);
    if (c == '&') lr_buf_puts(out, "&amp;");
    else if (c == '<') lr_buf_puts(out, "&lt;");
    else if (c == '>') lr_buf_puts(out, "&gt;");
    done = i + 1;
  }
  lr_buf_put(out, s + done, n - done);
}

const char *lr_docx_prose(lr_arena *arena, const char *markdown) {
  return lr_docx_paragraphs(arena, lr_markdown_text(arena, markdown));
}

const char *lr_docx_paragraphs(lr_arena *arena, const char *text) {
  lr_buf b = {0};
  for (const char *p = text; *p;) {
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    static const char BULLET[] = "• ";
    bool item = n >= sizeof BULLET - 1 && memcmp(p, BULLET, sizeof BULLET - 1) == 0;
    if (n) {
      lr_buf_puts(&b, item ? "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/></w:pPr>" : "<w:p>");
      lr_buf_puts(&b, "<w:r><w:t xml:space=\"preserve\">");
      xml_text(p, n, &b);
      lr_buf_puts(&b, "</w:t></w:r></w:p>");
    }
    p += n;
    if (*p == '\n') p++;
  }
  const char *out = lr_arena_strdup(arena, b.data ? b.data : "");
  lr_buf_free(&b);
  return out;
}

/* The package's parts, in the order a reader expects: the content types
 * first. */
static const struct {
  const char *name, *template;
} PARTS[] = {
    {"[Content_Types].xml", "docx/innehallstyper.xml"},
    {"_rels/.rels", "docx/paketrelationer.xml"},
    {"docProps/core.xml", "docx/egenskaper.xml"},
    {"docProps/app.xml", "docx/program.xml"},
    {"word/_rels/document.xml.rels", "docx/relationer.xml"},
    {"word/document.xml", "docx/dokument.xml"},
    {"word/styles.xml", "docx/formatmallar.xml"},
    {"word/settings.xml", "docx/installningar.xml"},
    {"word/footer1.xml", "docx/sidfot.xml"},
    {"word/charts/chart1.xml", "docx/diagram.xml"},
};
enum { PART_COUNT = sizeof PARTS / sizeof PARTS[0] };

/* 1980-01-01 00:00 in MS-DOS date and time. */
enum { DOS_DATE = (0 << 9) | (1 << 5) | 1, DOS_TIME = 0 };

static bool add_entry(zip_t *zip, const char *name, const void *data, size_t size) {
  zip_source_t *src = zip_source_buffer(zip, data, size, 0);
  if (!src) return false;
  zip_int64_t index = zip_file_add(zip, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (index < 0) {
    zip_source_free(src);
    return false;
  }
  /* Level 1: deflate's fast mode. Level 9 took most of the Word file's
   * time, on the build's critical path after the workbook, to save a
   * few per cent of a file that is mostly text. */
  return zip_set_file_compression(zip, (zip_uint64_t)index, ZIP_CM_DEFLATE, 1) == 0 &&
         zip_file_set_dostime(zip, (zip_uint64_t)index, DOS_TIME, DOS_DATE, 0) == 0;
}

bool lr_docx_write(lr_views *views, lr_templates *templates, const lr_config *config,
                   const char *path, lr_diag_list *diags) {
  lr_arena *scratch = lr_arena_new_large(); /* the whole report */
  const lr_value *view = lr_views_report(views, scratch, LR_VIEW_DOCX);
  lr_buf parts[PART_COUNT] = {{0}};
  bool ok = true;
  for (size_t i = 0; i < PART_COUNT && ok; i++)
    ok = lr_templates_render(templates, PARTS[i].template, view, NULL, &parts[i], diags);
  if (ok) {
    int error = 0;
    const char *why = NULL;
    zip_t *zip = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!zip) {
      zip_error_t e;
      zip_error_init_with_code(&e, error);
      why = lr_arena_strdup(scratch, zip_error_strerror(&e));
      zip_error_fini(&e);
    }
    for (size_t i = 0; i < PART_COUNT && zip && !why; i++)
      if (!add_entry(zip, PARTS[i].name, parts[i].data ? parts[i].data : "", parts[i].len))
        why = lr_arena_strdup(scratch, zip_strerror(zip));
    /* Word shows a PNG logo; an SVG one would need a PNG beside it. */
    if (zip && !why && config->logo && strcmp(config->logo_type, "image/png") == 0 &&
        !add_entry(zip, "word/media/logotyp.png", config->logo, config->logo_size))
      why = lr_arena_strdup(scratch, zip_strerror(zip));
    if (zip && !why && zip_close(zip) != 0) why = lr_arena_strdup(scratch, zip_strerror(zip));
    if (why) {
      if (zip) zip_discard(zip);
      lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){path, 0, 0},
                               "kan inte skriva Word-dokumentet (%s)", why);
      lr_diag_hint(diags, d, "kontrollera att det finns plats och skrivrätt i utdatamappen");
      ok = false;
    }
  }
  for (size_t i = 0; i < PART_COUNT; i++) lr_buf_free(&parts[i]);
  lr_arena_free(scratch);
  return ok;
}
