/* The pieces that make a national build fast, against what they replaced:
 * the word-at-a-time UTF-8 and control-character scans and the run-copying
 * Markdown escape give exactly the answers of plain byte loops; the
 * address index, arena adoption and diagnostic moves that loader threads
 * rely on keep everything; and output files written early still appear
 * only at commit. */
#include "render/render.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- references: the byte-at-a-time forms -------------------------------- */

static bool utf8_reference(const unsigned char *p, size_t n, size_t *bad) {
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i], len, min;
    if (c < 0x80) {
      i++;
      continue;
    }
    if ((c & 0xE0) == 0xC0) len = 2, min = 0x80;
    else if ((c & 0xF0) == 0xE0) len = 3, min = 0x800;
    else if ((c & 0xF8) == 0xF0) len = 4, min = 0x10000;
    else break;
    if (n - i < len) break;
    unsigned cp = c & (0x7Fu >> len);
    size_t k = 1;
    for (; k < len && (p[i + k] & 0xC0) == 0x80; k++) cp = cp << 6 | (p[i + k] & 0x3F);
    if (k < len || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) break;
    i += len;
  }
  *bad = i;
  return i == n;
}

static void escape_reference(const char *s, size_t n, lr_buf *out) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c && strchr("\\`*_[]<>|#&~", c)) lr_buf_putc(out, '\\');
    lr_buf_putc(out, c == '\n' ? ' ' : c);
  }
}

static uint64_t state = 42;
static unsigned next_random(void) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)(state >> 33);
}

/* Text that is mostly ASCII with å/ä/ö, like a statement, with now and
 * then a byte that breaks it, at every offset a word scan could miss. */
static size_t random_text(unsigned char *buf, size_t cap) {
  static const unsigned char pieces[][4] = {
      {'a'}, {' '}, {'\n'}, {0xC3, 0xA5}, {0xC3, 0xB6}, {0xE2, 0x80, 0x93}, {0xF0, 0x9F, 0x98, 0x80},
      {0x80}, {0xC0, 0xAF}, {0xC3}, {0xED, 0xA0, 0x80}, {0xE0, 0x80, 0xAF}, {0xF4, 0x90, 0x80, 0x80},
      {0x7F}, {0x01}, {'\t'}, {0xFF}};
  static const size_t sizes[] = {1, 1, 1, 2, 2, 3, 4, 1, 2, 1, 3, 3, 4, 1, 1, 1, 1};
  size_t n = 0, length = next_random() % (cap - 4);
  while (n < length) {
    unsigned r = next_random() % 100;
    size_t k = r < 80 ? 0 : r < 85 ? 1 : r < 88 ? 2 : r < 92 ? 3 : r < 94 ? 4 : r < 95 ? 5 : r < 96 ? 6
                                                                                      : 7 + next_random() % 10;
    if (k == 0) buf[n++] = (unsigned char)('a' + next_random() % 26);
    else memcpy(buf + n, pieces[k], sizes[k]), n += sizes[k];
  }
  return n;
}

static void test_utf8(void) {
  unsigned char buf[96];
  int mismatches = 0;
  for (int round = 0; round < 200000; round++) {
    size_t n = random_text(buf, sizeof buf);
    size_t want_at = 0, got_at = 0;
    bool want = utf8_reference(buf, n, &want_at);
    bool got = lr_utf8_valid((const char *)buf, n, &got_at);
    if (got != want || (!got && got_at != want_at)) mismatches++;
  }
  CHECK_INT(mismatches, 0);
}

/* A scalar node as the loader makes it, for the schema readers. */
static lr_node scalar(const char *text, size_t len) {
  lr_node node;
  memset(&node, 0, sizeof node);
  node.kind = LR_NODE_SCALAR;
  node.line = node.column = 1;
  node.text = text;
  node.len = len;
  node.escaped = true; /* double-quoted, the one way a control gets in */
  return node;
}

static void test_controls(void) {
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_ctx ctx = {arena, &diags, NULL};
  char text[80];
  int wrong = 0;
  /* Every control character at every offset of texts long enough for a
   * few words, as text (tab and newline allowed) and as one line. */
  for (size_t len = 1; len < 40; len++) {
    for (size_t at = 0; at < len; at++) {
      static const char bad[] = {0x01, 0x1F, 0x7F, '\t', '\n', '\r'};
      for (size_t b = 0; b < sizeof bad; b++) {
        memset(text, 'x', len);
        text[len] = '\0';
        text[at] = bad[b];
        lr_node node = scalar(text, len);
        const char *out = NULL;
        size_t errors = diags.errors;
        bool ok = lr_ctx_text(&ctx, &node, "beskrivning", &out);
        bool allowed = bad[b] == '\t' || bad[b] == '\n';
        if (ok != allowed || (diags.errors != errors) == allowed) wrong++;
        /* One line: a trailing newline is trimmed, any other refused. */
        errors = diags.errors;
        ok = lr_ctx_line(&ctx, &node, "rubrik", &out);
        bool line_ok = bad[b] == '\t' ? false : bad[b] == '\n' && at == len - 1;
        if (ok != line_ok) wrong++;
      }
    }
  }
  CHECK_INT(wrong, 0);
  /* A "\0" escape ends the text as C sees it, as it always has. */
  lr_node node = scalar("abcdefghij\0\x01klmnop", 17);
  const char *out = NULL;
  CHECK(lr_ctx_text(&ctx, &node, "beskrivning", &out));
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

static void test_escape(void) {
  char text[64];
  int mismatches = 0;
  static const char alphabet[] = "ab c\\`*_[]<>|#&!~\n\xC3\xA5.";
  for (int round = 0; round < 20000; round++) {
    size_t n = next_random() % sizeof text;
    for (size_t i = 0; i < n; i++) text[i] = alphabet[next_random() % (sizeof alphabet - 1)];
    lr_buf got = {0}, want = {0};
    lr_escape_markdown(text, n, &got);
    escape_reference(text, n, &want);
    if (got.len != want.len || (got.len && memcmp(got.data, want.data, got.len) != 0)) mismatches++;
    lr_buf_free(&got);
    lr_buf_free(&want);
  }
  CHECK_INT(mismatches, 0);
}

static void test_ptr_index(void) {
  lr_arena *arena = lr_arena_new();
  lr_ptr_index index;
  lr_ptr_index_init(&index, arena, 4);
  enum { N = 20000 };
  int *keys = lr_arena_array(arena, N, sizeof *keys);
  for (int i = 0; i < N; i++) lr_ptr_index_put(&index, &keys[i], &keys[(i + 1) % N]);
  int lost = 0;
  for (int i = 0; i < N; i++) lost += lr_ptr_index_get(&index, &keys[i]) != &keys[(i + 1) % N];
  CHECK_INT(lost, 0);
  CHECK_INT(index.count, N);
  int other;
  CHECK(lr_ptr_index_get(&index, &other) == NULL);
  CHECK(lr_ptr_index_put(&index, &keys[7], &other) == &keys[8]); /* the first value stays */
  lr_arena_free(arena);
}

static void test_adopt_and_move(void) {
  lr_arena *main_arena = lr_arena_new(), *worker = lr_arena_new();
  lr_diag_list mine, theirs;
  lr_diag_list_init(&mine, main_arena);
  lr_diag_list_init(&theirs, worker);
  lr_diag_add(&mine, LR_ERROR, (lr_loc){"a.yaml", 1, 1}, "första");
  const char *kept = lr_arena_strdup(main_arena, "kvar");
  char *big = lr_arena_alloc(worker, 200000); /* a block of its own */
  big[199999] = 'x';
  for (int i = 0; i < 3; i++)
    lr_diag_add(&theirs, i == 1 ? LR_WARNING : LR_ERROR, (lr_loc){"b.yaml", i + 1, 1}, "tråd %d", i);
  size_t sizes = lr_arena_size(main_arena) + lr_arena_size(worker);
  lr_arena_adopt(main_arena, worker);
  lr_diag_list_move(&mine, &theirs);
  CHECK_INT(lr_arena_size(main_arena), sizes);
  CHECK_INT(mine.count, 4);
  CHECK_INT(mine.errors, 3);
  CHECK_INT(mine.warnings, 1);
  CHECK_INT(theirs.count, 0);
  CHECK_STR(mine.items[3].message, "tråd 2");
  CHECK_INT(mine.items[3].order, 3);
  CHECK(big[199999] == 'x');
  CHECK_STR(kept, "kvar");
  /* The adopting arena keeps allocating in its current chunk. */
  CHECK_STR(lr_arena_strdup(main_arena, "sedan"), "sedan");
  lr_diag_list_release(&mine);
  lr_arena_free(main_arena);
}

/* Writes a set of rapport.md and sida/00.md..sida/<pages - 1>.md into dir;
 * `fresh`: dir had no report before. */
static bool write_pages(lr_arena *arena, const char *dir, int pages, bool fresh,
                        lr_diag_list *diags) {
  lr_outputs *out = lr_outputs_new(arena, dir, LR_OUTPUTS_REPLACE, diags);
  if (!out) return false;
  lr_buf_puts(lr_outputs_add(out, "rapport.md"), "# Rapport\n");
  bool ok = lr_outputs_flush(out, diags);
  const char *page = lr_path_join(arena, dir, "rapport.md");
  CHECK(!fresh || !lr_path_is_file(page)); /* written, but not yet in place */
  for (int i = 0; i < pages && ok; i++) {
    lr_buf_printf(lr_outputs_add(out, lr_arena_printf(arena, "sida/%02d.md", i)), "sida %d\n", i);
    ok = lr_outputs_flush(out, diags);
  }
  ok = ok && lr_outputs_commit(out, diags);
  lr_outputs_free(out);
  return ok;
}

static void test_outputs(void) {
  char dir[] = "/tmp/lr-test-scale-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    exit(2);
  }
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  const char *set = lr_path_join(arena, dir, "2022");
  CHECK(write_pages(arena, set, 41, true, &diags));
  const char *own = lr_path_join(arena, set, "sida/40.md");
  const char *mine = lr_path_join(arena, set, "sida/egen.md");
  CHECK(lr_path_is_file(own));
  FILE *f = fopen(mine, "w");
  if (f) fclose(f);

  CHECK(write_pages(arena, set, 40, false, &diags));
  CHECK_INT(diags.errors, 0);
  CHECK_INT(diags.count, 0);
  struct stat st;
  const char *page = lr_path_join(arena, set, "rapport.md");
  CHECK(stat(page, &st) == 0 && (st.st_mode & 0777) == 0644 && st.st_size == 10);
  CHECK(lr_path_is_file(lr_path_join(arena, set, "sida/39.md")));
  CHECK(!lr_path_is_file(own));  /* the earlier set's, no longer written */
  CHECK(lr_path_is_file(mine)); /* never the set's */
  for (int i = 0; i < 40; i++) unlink(lr_path_join(arena, set, lr_arena_printf(arena, "sida/%02d.md", i)));
  unlink(mine);
  rmdir(lr_path_join(arena, set, "sida"));
  unlink(page);
  unlink(lr_path_join(arena, set, ".lagesrapport-manifest"));
  CHECK(rmdir(set) == 0);
  CHECK(rmdir(dir) == 0); /* nothing else was left beside the set */
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

static void test_transient_document(void) {
  char path[] = "/tmp/lr-test-scale-XXXXXX";
  int fd = mkstemp(path);
  static const char yaml[] = "rubrik: Kartläggning\nbeskrivning: |\n  Två rader\n  text.\n";
  if (fd < 0 || write(fd, yaml, sizeof yaml - 1) != (ssize_t)(sizeof yaml - 1)) {
    perror(path);
    exit(2);
  }
  close(fd);
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  lr_document *doc = lr_document_load_transient(arena, &diags, path);
  CHECK(doc->root && doc->root->count == 4);
  const char *text = doc->root ? doc->root->items[3]->text : NULL;
  CHECK_STR(lr_source_line(arena, doc->source, 1), "rubrik: Kartläggning");
  lr_document_release(doc);
  /* The scalars live on in the arena; the file's text and tree do not. */
  CHECK_STR(text, "Två rader\ntext.\n");
  CHECK(doc->root == NULL && doc->tree == NULL);
  CHECK(lr_source_line(arena, doc->source, 1) == NULL);
  unlink(path);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

int main(void) {
  test_utf8();
  test_controls();
  test_escape();
  test_ptr_index();
  test_adopt_and_move();
  test_outputs();
  test_transient_document();
  return check_report();
}
