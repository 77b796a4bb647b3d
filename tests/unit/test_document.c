/* The YAML loader against hostile and malformed files: each must give one
 * clear error at the right place, quickly and with bounded memory. */
#include "yaml/yaml.h"
#include "check.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/lr-test-document-XXXXXX";

static const char *write_file(const char *name, const char *data, size_t size) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fwrite(data, 1, size, f);
  fclose(f);
  return path;
}

typedef struct outcome {
  lr_arena *arena;
  lr_diag_list diags;
  lr_document *doc;
  double seconds;
} outcome;

static outcome load(const char *name, const char *data, size_t size) {
  outcome o;
  o.arena = lr_arena_new();
  lr_diag_list_init(&o.diags, o.arena);
  const char *path = write_file(name, data, size);
  clock_t start = clock();
  o.doc = lr_document_load(o.arena, &o.diags, path);
  o.seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
  printf("  %-22s %7.3f s, %zu KiB in the arena\n", name, o.seconds,
         lr_arena_size(o.arena) / 1024);
  return o;
}

static void done(outcome *o) {
  lr_diag_list_release(&o->diags);
  lr_arena_free(o->arena);
}

/* Exactly one error, at line:column, whose message contains `text`. */
static void expect_error(outcome *o, int line, int column, const char *text) {
  CHECK_INT(o->diags.errors, 1);
  if (o->diags.count == 0) return;
  const lr_diag *d = &o->diags.items[0];
  CHECK_INT(d->severity, LR_ERROR);
  CHECK_INT(d->loc.line, line);
  CHECK_INT(d->loc.column, column);
  CHECK_CONTAINS(d->message, text);
  CHECK(d->loc.file && strstr(d->loc.file, dir) == d->loc.file);
  CHECK(o->doc->root == NULL);
}

static void test_billion_laughs(void) {
  const char *bomb =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
  outcome o = load("laughs.yaml", bomb, strlen(bomb));
  expect_error(&o, 6, 8, "alias expanderar till för många noder");
  done(&o);
}

static void test_alias_cycle(void) {
  const char *text = "x: &a [*a]\n";
  outcome o = load("cycle.yaml", text, strlen(text));
  expect_error(&o, 1, 8, "pekar in i sig självt");
  done(&o);
}

static void test_deep_nesting(void) {
  size_t n = 100000;
  char *text = malloc(n + 2);
  memset(text, '[', n);
  text[n] = '\n';
  text[n + 1] = '\0';
  outcome o = load("deep.yaml", text, n + 1);
  expect_error(&o, 1, 65, "djupare än 64 nivåer");
  done(&o);
  free(text);
}

static void test_deep_block_nesting(void) {
  lr_buf b = {0};
  for (int i = 0; i < 70; i++) {
    for (int k = 0; k < i; k++) lr_buf_puts(&b, " ");
    lr_buf_puts(&b, "k:\n");
  }
  outcome o = load("deep-block.yaml", b.data, b.len);
  expect_error(&o, 65, 65, "djupare än 64 nivåer");
  done(&o);
  lr_buf_free(&b);
}

static void test_invalid_utf8(void) {
  const char text[] = "aktör: aneby\nnamn: V\xe4rnamo\n";
  outcome o = load("latin1.yaml", text, sizeof text - 1);
  expect_error(&o, 2, 8, "ogiltig UTF-8 (byte 0xE4)");
  done(&o);
}

/* libyaml checks the UTF-8 as it parses, so the loader checks it itself
 * only when a parse stops short. Whatever made it stop, or was found
 * before, invalid UTF-8 is then the one thing said, as when every file
 * was checked before it was parsed. */
static void test_invalid_utf8_said_alone(void) {
  static const struct {
    const char *name, *text;
    int line, column;
  } cases[] = {
      /* a duplicate key and a no-break space in the indent, both before */
      {"dup-nbsp.yaml", "namn: A\nnamn: B\nlista:\n\xc2\xa0 - x\nort: V\xe4xj\xf6\n", 5, 7},
      /* a second document ends the parse before the byte is reached */
      {"two-docs.yaml", "a: 1\n---\nb: 2\nc: \xe4\n", 4, 4},
      /* a syntax error first */
      {"syntax.yaml", "a: [1,\nb: \xff\n", 2, 4},
      /* a tab in the indent, reported only when the parse fails */
      {"tab.yaml", "a:\n\t- x\nb: \xc3\n", 3, 4},
      /* a NUL after it */
      {"nul.yaml", "a: \xe9t\nb: x\0y\n", 1, 4},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t size = strlen(cases[i].text);
    if (strcmp(cases[i].name, "nul.yaml") == 0) size += 3; /* past the NUL */
    outcome o = load(cases[i].name, cases[i].text, size);
    expect_error(&o, cases[i].line, cases[i].column, "ogiltig UTF-8");
    CHECK_INT(o.diags.count, 1);
    CHECK(o.doc->source == NULL);
    done(&o);
  }
}

static void test_empty(void) {
  outcome o = load("empty.yaml", "", 0);
  expect_error(&o, 1, 1, "filen är tom");
  done(&o);
  outcome c = load("comments.yaml", "# bara en kommentar\n", 20);
  expect_error(&c, 1, 1, "filen är tom");
  done(&c);
}

static void test_oversized(void) {
  size_t n = 11u * 1024 * 1024;
  char *text = malloc(n);
  memset(text, '#', n);
  outcome o = load("big.yaml", text, n);
  CHECK_INT(o.diags.errors, 1);
  CHECK_INT(o.diags.items[0].loc.line, 0);
  CHECK_CONTAINS(o.diags.items[0].message, "filen är 11.0 MiB, gränsen är 10 MiB");
  CHECK(lr_arena_size(o.arena) < 64 * 1024); /* refused before reading */
  done(&o);
  free(text);
}

static void test_nul_and_utf16(void) {
  const char nul[] = "a: b\nc: \0d\n";
  outcome o = load("nul.yaml", nul, sizeof nul - 1);
  expect_error(&o, 2, 4, "NUL-tecken");
  done(&o);
  const char utf16[] = "\xff\xfe" "a\0:\0 \0b\0";
  outcome u = load("utf16.yaml", utf16, sizeof utf16 - 1);
  expect_error(&u, 1, 1, "UTF-16");
  done(&u);
}

static void test_duplicate_keys(void) {
  const char *text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n";
  outcome o = load("dup.yaml", text, strlen(text));
  CHECK_INT(o.diags.errors, 2);
  lr_diag_list_sort(&o.diags);
  CHECK_INT(o.diags.items[0].loc.line, 4);
  CHECK_INT(o.diags.items[0].loc.column, 3);
  CHECK_CONTAINS(o.diags.items[0].message, "nyckeln \"c\" förekommer två gånger");
  CHECK_INT(o.diags.items[1].loc.line, 5);
  CHECK_CONTAINS(o.diags.items[1].hint, "första gången på rad 1");
  CHECK(o.doc->root != NULL); /* the rest of the file is still checked */
  done(&o);
}

static void test_many_keys_is_not_quadratic(void) {
  lr_buf b = {0};
  for (int i = 0; i < 200000; i++) lr_buf_printf(&b, "k%d: v\n", i);
  lr_buf_puts(&b, "k7: again\n");
  outcome o = load("many-keys.yaml", b.data, b.len);
  CHECK_INT(o.diags.errors, 1);
  CHECK_INT(o.diags.items[0].loc.line, 200001);
  done(&o);
  lr_buf_free(&b);
}

static void test_syntax_and_documents(void) {
  const char *text = "a: b\n---\nc: d\n";
  outcome o = load("two.yaml", text, strlen(text));
  expect_error(&o, 2, 1, "mer än ett YAML-dokument");
  done(&o);
  const char *bad = "a: [b, c\n";
  outcome s = load("syntax.yaml", bad, strlen(bad));
  CHECK_INT(s.diags.errors, 1);
  CHECK_CONTAINS(s.diags.items[0].message, "YAML-syntaxfel");
  CHECK_INT(s.diags.items[0].loc.line, 2);
  done(&s);
  const char *alias = "a: *nope\n";
  outcome u = load("alias.yaml", alias, strlen(alias));
  expect_error(&u, 1, 4, "okänt ankare \"*nope\"");
  done(&u);
}

static void test_positions_and_styles(void) {
  const char *text = "id: \"1:1\"\nyear: 2022\nq: '2022'\nempty:\nlist: [a, 'b']\n";
  outcome o = load("ok.yaml", text, strlen(text));
  CHECK_INT(o.diags.count, 0);
  const lr_node *root = o.doc->root;
  CHECK(root && root->kind == LR_NODE_MAPPING && root->count == 10);
  if (root && root->count == 10) {
    CHECK_STR(root->items[1]->text, "1:1");
    CHECK_INT(root->items[1]->column, 6); /* the text, past its quote */
    CHECK(!root->items[1]->plain);
    CHECK(root->items[3]->plain);
    CHECK(!root->items[5]->plain);
    CHECK(root->items[7]->is_null);
    CHECK_INT(root->items[9]->count, 2);
    CHECK_INT(root->items[9]->line, 5);
  }
  done(&o);
}

int main(void) {
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 2;
  }
  test_billion_laughs();
  test_alias_cycle();
  test_deep_nesting();
  test_deep_block_nesting();
  test_invalid_utf8();
  test_invalid_utf8_said_alone();
  test_empty();
  test_oversized();
  test_nul_and_utf16();
  test_duplicate_keys();
  test_many_keys_is_not_quadratic();
  test_syntax_and_documents();
  test_positions_and_styles();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return check_report();
}
