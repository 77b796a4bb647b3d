/* The Markdown report must stay as safe as the HTML one: whatever prose a
 * statement holds, the .md files, read back by a CommonMark renderer (as
 * GitHub or GitLab do when the reports are committed), show no image, no
 * raw HTML and no control character. Checked field by field and on the
 * files of a whole build, by parsing them with cmark and walking the tree. */
#include "render/render.h"
#include "../fuzz/readback.h"
#include "check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Hostile prose: each line of the issue, and the ways around the first
 * fixes that a reader of the CommonMark spec would try. */
static const char *const HOSTILE[] = {
    "![![[]()](![)](https://evil.example/pixel.png)",
    "[länk](&#1;javascript:alert(1))",
    "![pixel](https://evil.example/pixel.png)",
    "![pixel][p]\n\n[p]: https://evil.example/pixel.png",
    "[![pixel](https://evil.example/p.png)](https://example.org)",
    "![[text](https://example.org)](https://evil.example/p.png)",
    "![a ![b ![c](https://evil.example/1.png)](https://evil.example/2.png)](https://evil.example/3.png)",
    "<img src=\"https://evil.example/pixel.png\">",
    "text <img src=x onerror=alert(1)> text",
    "<script>alert(1)</script>",
    "<div>\n<img src=x>\n</div>",
    "<!-- a comment --> and <?php echo 1; ?>",
    "<javascript:alert(1)>",
    "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](  vbscript:x) [d](data:text/html,x)",
    "[a](java&#9;script:alert(1)) [b](&#x20;javascript:x) [c](java&#10;script:x)",
    "[a](<java\tscript:alert(1)>)",
    "[a](https://example.org \"&#1;title&#27;\")",
    "text&#1;with&#27;[31mcontrols&#127;and&#x9b;C1",
    "```&#1;info\ncode &#1; stays literal\n```",
    "`&#1;` &amp;#1; &#0;",
    "line&#13;break and &#12;form feed",
    "- item ![x](https://evil.example/a.png)\n  > quote ![y](https://evil.example/b.png)",
    "# Rubrik ![x](https://evil.example/h.png)\n\nSetext <b>\n===",
    "[![![![x](https://evil.example/p.png)](a)](b)](c)",
    "\\![not an image](https://example.org) and !\\[x](y)",
    "![x](https://evil.example/p.png \"title\")\n[ref]: https://evil.example/r.png",
};

/* The two renderings of a field, one at a time. */
static const char *html_of(lr_arena *arena, const char *markdown) {
  const char *html = NULL;
  lr_markdown_render(arena, markdown, &html, NULL);
  return html;
}

static const char *clean_of(lr_arena *arena, const char *markdown) {
  const char *clean = NULL;
  lr_markdown_render(arena, markdown, NULL, &clean);
  return clean;
}

static void test_hostile_fields(void) {
  lr_arena *arena = lr_arena_new();
  for (size_t i = 0; i < sizeof HOSTILE / sizeof *HOSTILE; i++) {
    const char *html = NULL, *clean = NULL;
    lr_markdown_render(arena, HOSTILE[i], &html, &clean);
    const char *unsafe = readback_markdown_unsafe(clean, strlen(clean));
    if (unsafe) fprintf(stderr, "input %zu: the Markdown shows %s:\n%s\n", i, unsafe, clean);
    CHECK(unsafe == NULL);
    unsafe = readback_html_unsafe(html, strlen(html));
    if (unsafe) fprintf(stderr, "input %zu: the HTML shows %s:\n%s\n", i, unsafe, html);
    CHECK(unsafe == NULL);
    const char *text = lr_markdown_text(arena, HOSTILE[i]);
    bool control = false;
    for (const char *c = text; *c; c++) control = control || readback_is_control((const unsigned char *)c);
    CHECK(!control);
  }
  lr_arena_free(arena);
}

/* What the safe form of the inputs is, exactly: the pixel is a
 * plain link that nobody's client fetches, the control is gone and with
 * it the script link. */
static void test_exact_forms(void) {
  lr_arena *arena = lr_arena_new();
  CHECK_STR(clean_of(arena, HOSTILE[0]), "[](https://evil.example/pixel.png)");
  CHECK_STR(clean_of(arena, "[länk](&#1;javascript:alert(1))"), "[länk]()");
  CHECK_STR(html_of(arena, "[länk](&#1;javascript:alert(1))"), "<p><a href=\"\">länk</a></p>\n");
  CHECK_STR(clean_of(arena, "![bild](https://example.org/a.png \"Titel\")"),
            "[bild](https://example.org/a.png \"Titel\")");
  CHECK_STR(html_of(arena, "![bild](https://example.org/a.png)"),
            "<p><a href=\"https://example.org/a.png\">bild</a></p>\n");
  /* An image inside a link is its text: links cannot nest. */
  CHECK_STR(clean_of(arena, "[![bild](https://evil.example/p.png)](https://example.org)"),
            "[bild](https://example.org)");
  CHECK_STR(clean_of(arena, "a&#1;b"), "a\xEF\xBF\xBD" "b");
  CHECK_STR(lr_markdown_text(arena, "a&#27;[31mb"), "a\xEF\xBF\xBD[31mb");
  CHECK_STR(clean_of(arena, "Hej <b>du</b>."), "Hej du.");
  /* Dropping the line break from "&#1&#13;;" leaves "&#1;", which cmark
   * writes as it is and which reads back as a control character: such a
   * field is written as its text, escaped, instead. */
  CHECK_STR(clean_of(arena, "Se [länken](https://example.org/?a&#1&#13;;b) och *mer* <här>.\n\n- punkt"),
            "Se länken och mer \\<här\\>.\n\n• punkt");
  lr_arena_free(arena);
}

/* Ordinary prose keeps its form: the Markdown report shows what the HTML
 * one does, so the safety costs nothing a statement would use. */
static void test_ordinary_prose_kept(void) {
  lr_arena *arena = lr_arena_new();
  static const char *const SAME[] = {
      "Kommunen kartlägger det **våldsförebyggande** arbetet i *skolan*.",
      "- första\n- andra",
      "1. ett\n2. två",
      "Läs mer på [lansstyrelsen.se](https://www.lansstyrelsen.se).",
      "> Ett citat.",
      "Första stycket.\n\nAndra stycket.",
      "Kod: `a < b` och \\*inte kursiv\\*",
      "# Rubrik\n\nText  \nmed radbrytning.",
      /* cmark's renderer would separate these with an HTML comment. */
      "- en punkt\n- en till\n\n1. ett steg\n2. ett till",
      "- en punkt\n\n* en annan lista",
      "1. ett steg\n\n        kod efter listan",
      "- yttre\n\n  - inre\n\n  + inre igen",
  };
  for (size_t i = 0; i < sizeof SAME / sizeof *SAME; i++) {
    const char *clean = clean_of(arena, SAME[i]);
    CHECK_STR(html_of(arena, clean), html_of(arena, SAME[i]));
    CHECK(strstr(clean, "<!--") == NULL);
  }
  lr_arena_free(arena);
}

/* Prose that the safe pass leaves as it is reaches the Markdown report as
 * the actor wrote it, without the blank lines around it; prose that would
 * read otherwise after a template's text on the same line, or that could
 * reach other fields, goes through the renderer as before. */
static void test_prose_as_written(void) {
  lr_arena *arena = lr_arena_new();
  static const char *const AS_WRITTEN[][2] = {
      {"\n\nVi har *utbildat* all personal.\n\n- FREDA\n- Patriark\n\n", "Vi har *utbildat* all personal.\n\n- FREDA\n- Patriark"},
      {"Se [länsstyrelsen](https://www.lansstyrelsen.se) och _mer_.", "Se [länsstyrelsen](https://www.lansstyrelsen.se) och _mer_."},
      {"> Ett citat  \nmed radbrytning.\n", "> Ett citat  \nmed radbrytning."},
  };
  for (size_t i = 0; i < sizeof AS_WRITTEN / sizeof *AS_WRITTEN; i++)
    CHECK_STR(clean_of(arena, AS_WRITTEN[i][0]), AS_WRITTEN[i][1]);
  /* Rendered instead: a setext heading, which after "**Aktör**: " would
   * take that text with it; an unclosed fence, which would run to the end
   * of the report; a reference definition, global to the page. */
  CHECK_STR(clean_of(arena, "Rubrik\n======"), "# Rubrik");
  CHECK_STR(clean_of(arena, "```\nkod"), "``` \nkod\n```");
  CHECK_STR(clean_of(arena, "[a][b]\n\n[b]: https://example.org"), "[a](https://example.org)");
  lr_arena_free(arena);
}

/* Names and headings are escaped, not parsed: a control character in one
 * is replaced too, and a line break becomes a space. */
static void test_escape_controls(void) {
  static const char name[] = "a\x01" "b\xC2\x9B" "c\x7F" "d\re\nf\tg \xC3\xA5";
  lr_buf out = {0};
  lr_escape_markdown(name, sizeof name - 1, &out);
  CHECK_STR(lr_buf_cstr(&out), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d e f\tg \xC3\xA5");
  /* A lead byte at the end is not taken as the start of a C1 control. */
  lr_buf_clear(&out);
  lr_escape_markdown("x\xC2\x9B", 2, &out);
  CHECK_STR(lr_buf_cstr(&out), "x\xC2");
  lr_buf_free(&out);
}

/* A name or a text is written as it reads: "!" is not escaped, and an
 * image stays text or becomes a link. */
static void test_escape_exclamation(void) {
  static const char *const NAMES[] = {"Kampanjen Du avgör!", "![x](https://evil.example/p.png)",
                                      "!", "Hej!![a]!", "a!\\[b](c)"};
  lr_buf out = {0};
  lr_escape_markdown(NAMES[0], strlen(NAMES[0]), &out);
  CHECK_STR(lr_buf_cstr(&out), "Kampanjen Du avgör!");
  lr_arena *arena = lr_arena_new();
  CHECK_STR(clean_of(arena, "Kampanjen ”Du avgör!” och hej!"), "Kampanjen ”Du avgör!” och hej!");
  CHECK_STR(clean_of(arena, "Ett \\\\! och \\![inte en bild](x)"), "Ett \\\\! och \\![inte en bild](x)");
  for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++) {
    const char *clean = clean_of(arena, NAMES[i]);
    const char *unsafe = readback_markdown_unsafe(clean, strlen(clean));
    if (unsafe) fprintf(stderr, "prose %zu: the Markdown shows %s:\n%s\n", i, unsafe, clean);
    CHECK(unsafe == NULL);
  }
  lr_arena_free(arena);
  for (size_t i = 1; i < sizeof NAMES / sizeof *NAMES; i++) {
    lr_buf_clear(&out);
    lr_escape_markdown(NAMES[i], strlen(NAMES[i]), &out);
    const char *unsafe = readback_markdown_unsafe(out.data, out.len);
    if (unsafe) fprintf(stderr, "name %zu: the Markdown shows %s:\n%s\n", i, unsafe, lr_buf_cstr(&out));
    CHECK(unsafe == NULL);
  }
  lr_buf_free(&out);
}

/* ---- a whole build ------------------------------------------------------ */

static char dir[] = "/tmp/lr-md-safety-XXXXXX";

static void write_file(const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (mkdir(path, 0755) != 0 && errno != EEXIST) perror(path);
    *slash = '/';
  }
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    return;
  }
  fputs(text, f);
  fclose(f);
}

static char *read_file(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: not written\n", path);
    return NULL;
  }
  lr_buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lr_buf_put(&b, chunk, n);
  fclose(f);
  lr_buf_cstr(&b);
  return b.data;
}

/* Every prose field of a project, and the names, with hostile text. */
#define PAYLOAD                                                                         \
  "      Före ![![[]()](![)](https://evil.example/pixel.png) och\n"                     \
  "      [länk](&#1;javascript:alert(1)) <img src=x> ![p][r]\n"                          \
  "      \n"                                                                             \
  "      [r]: https://evil.example/ref.png\n"

static void write_project(void) {
  write_file("lagesrapport.yaml", "region: Provlän\nstrategi: strategi.yaml\naktörer: aktorer.yaml\n");
  write_file("strategi.yaml",
             "id: prov\nnamn: Strategi ![s](https://evil.example/s.png)\nregion: Provlän\n"
             "områden:\n  - {id: a, namn: \"Område <b>\"}\n"
             "mål:\n"
             "  - id: \"1\"\n"
             "    namn: \"Mål ![m](https://evil.example/m.png)\"\n"
             "    beskrivning: |\n" PAYLOAD
             "    delmål:\n      - {id: \"1:1\", text: \"Delmål <img src=x>\"}\n"
             "  - id: \"2\"\n    namn: Utan aktiviteter\n");
  write_file("aktorer.yaml",
             "aktörer:\n"
             "  - {id: aneby, namn: \"Aneby ![a](https://evil.example/a.png) <b>\", typ: kommun}\n"
             "  - {id: eksjo, namn: Eksjö kommun, typ: kommun}\n");
  write_file("2021/yttranden/aneby.yaml",
             "aktör: aneby\når: 2021\naktiviteter:\n"
             "  - {rubrik: Förra året, mål: \"2\", status: pågående, beskrivning: Text.}\n");
  write_file("2022/yttranden/aneby.yaml",
             "aktör: aneby\når: 2022\ninkom: 2023-02-14\n"
             "styrdokument:\n  status: antagen\n  beskrivning: |\n" PAYLOAD
             "aktiviteter:\n"
             "  - rubrik: \"Rubrik ![r](https://evil.example/r.png) <script>\"\n"
             "    mål: [\"1:1\"]\n    status: pågående\n"
             "    målgrupp: \"<b>unga</b>\"\n"
             "    beskrivning: |\n" PAYLOAD
             "    samverkan: [eksjo]\n"
             "framgångsfaktorer: |\n" PAYLOAD
             "utmaningar: |\n" PAYLOAD
             "behov: |\n" PAYLOAD);
  write_file("2022/yttranden/eksjo.yaml",
             "aktör: eksjo\når: 2022\n"
             "aktiviteter:\n"
             "  - rubrik: Intern\n    mål: \"1\"\n    status: planerad\n    intern: true\n"
             "    beskrivning: |\n" PAYLOAD);
  write_file("2022/rapport.yaml",
             "titel: \"Rapport ![t](https://evil.example/t.png)\"\n"
             "inledning: |\n" PAYLOAD
             "resurser: |\n" PAYLOAD
             "analys:\n  \"1\": |\n" PAYLOAD
             "avslutning: |\n" PAYLOAD
             "undertecknare:\n  - {namn: \"Anna <b>\", titel: \"![x](https://evil.example/x.png)\"}\n");
}

static void check_page(const char *rel) {
  char *md = read_file(rel);
  CHECK(md != NULL);
  if (!md) return;
  const char *unsafe = readback_markdown_unsafe(md, strlen(md));
  if (unsafe) fprintf(stderr, "%s shows %s\n", rel, unsafe);
  CHECK(unsafe == NULL);
  /* The hostile prose did reach the page, as safe links and text. */
  CHECK_CONTAINS(md, "(https://evil.example/pixel.png)");
  CHECK_CONTAINS(md, "[länk]()");
  free(md);
}

static void test_build(void) {
  write_project();
  lr_load_options load = {.dir = dir};
  lr_project *p = lr_project_load(&load);
  lr_diag_list *diags = lr_project_diagnostics(p);
  for (size_t i = 0; i < diags->count; i++)
    if (diags->items[i].severity == LR_ERROR)
      fprintf(stderr, "%s:%d: %s\n", diags->items[i].loc.file, diags->items[i].loc.line,
              diags->items[i].message);
  CHECK(lr_project_ok(p));
  char out[600];
  snprintf(out, sizeof out, "%s/ut", dir);
  lr_build_options options = {
      .out_dir = out, .formats = LR_OUTPUT_MD, .builtin_templates = LR_SOURCE_DIR "/report-templates"};
  CHECK(lr_build_run(p, 2022, &options, NULL));
  lr_project_free(p);
  check_page("ut/lagesrapport-2022.md");
  check_page("ut/aterkoppling/aneby.md");
}

int main(void) {
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 2;
  }
  test_hostile_fields();
  test_exact_forms();
  test_ordinary_prose_kept();
  test_prose_as_written();
  test_escape_controls();
  test_escape_exclamation();
  test_build();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return check_report();
}
