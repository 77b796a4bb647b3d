/* What the Mustache spec does not test: the engine's Swedish diagnostics
 * and their places, the project's own rules (empty strings are falsy,
 * custom escaping), the lr_value tree, and that hostile templates and
 * large data fail or finish cleanly instead of exhausting the stack. */
#include "check.h"
#include "mustache/mustache.h"

#include <stdlib.h>
#include <string.h>

/* One render with its own arena and diagnostics, kept for the checks. */
typedef struct run {
  lr_arena *arena;
  lr_diag_list diags;
  lr_buf out;
  bool ok;
} run;

static const char *table_partial(void *ctx, const char *name) {
  /* ctx is a NULL-terminated list of name, text pairs. */
  for (const char *const *p = ctx; p && *p; p += 2)
    if (strcmp(p[0], name) == 0) return p[1];
  return NULL;
}

static void render_with(run *r, const char *template, const lr_value *data,
                        const char *const *partials, lr_escape_fn escape) {
  lr_diag_list_init(&r->diags, r->arena);
  memset(&r->out, 0, sizeof r->out);
  lr_template_options options = {"mall.md", table_partial, (void *)partials,
                                 escape, false};
  r->ok = lr_template_render(template, data, &options, &r->out, &r->diags);
}

static void render(run *r, const char *template, const lr_value *data,
                   const char *const *partials) {
  render_with(r, template, data, partials, NULL);
}

static run run_new(void) {
  run r = {0};
  r.arena = lr_arena_new();
  return r;
}

static void run_free(run *r) {
  lr_buf_free(&r->out);
  lr_diag_list_release(&r->diags);
  lr_arena_free(r->arena);
}

static const char *output(run *r) { return lr_buf_cstr(&r->out); }

static const lr_diag *first_diag(const run *r) {
  return r->diags.count ? &r->diags.items[0] : NULL;
}

/* Renders a malformed template and checks the one error it must give. */
static void expect_error(const char *template, int line, int column,
                         const char *message) {
  run r = run_new();
  render(&r, template, NULL, NULL);
  CHECK(!r.ok);
  CHECK_INT(r.diags.count, 1);
  CHECK_INT(r.diags.errors, 1);
  const lr_diag *d = first_diag(&r);
  if (d) {
    CHECK_STR(d->loc.file, "mall.md");
    CHECK_INT(d->loc.line, line);
    CHECK_INT(d->loc.column, column);
    CHECK_CONTAINS(d->message, message);
  }
  run_free(&r);
}

static void test_errors(void) {
  expect_error("Hej\n  {{namn", 2, 3, "taggen avslutas aldrig: \"}}\" saknas");
  expect_error("{{{namn}}", 1, 1, "\"}}}\" saknas");
  expect_error("a\n{{#mal}}\nx\n", 2, 1, "sektionen \"mal\" avslutas aldrig");
  expect_error("{{#a}}{{#b}}{{/b}}\n {{^c}}", 2, 2,
               "sektionen \"c\" avslutas aldrig");
  expect_error("{{$rubrik}}x", 1, 1, "blocket \"rubrik\" avslutas aldrig");
  expect_error("{{#y}}\n  {{/x}}", 2, 3,
               "oväntad avslutning {{/x}}, väntade {{/y}}");
  expect_error("text {{/x}}", 1, 6,
               "oväntad avslutning {{/x}}, ingen sektion är öppen");
  expect_error("{{=<% %>=}}\n<%#a%><%/b%>", 2, 7,
               "oväntad avslutning <%/b%>, väntade <%/a%>");
  expect_error("rad\n {{=<%=}}", 2, 2,
               "ogiltigt byte av avgränsare \"{{=<%=}}\"");
  expect_error("{{= a b c =}}", 1, 1, "ogiltigt byte av avgränsare");
  expect_error("{{=a= b=}}", 1, 1, "ogiltigt byte av avgränsare");
  expect_error("{{namn med mellanslag}}", 1, 1, "mellanslag");
  expect_error("{{#}}{{/}}", 1, 1, "taggen saknar namn");
  expect_error("{{a..b}}", 1, 1, "ogiltigt namn med punkter");
  /* Columns count characters, not bytes. */
  expect_error("åäö {{#x}}", 1, 5, "sektionen \"x\" avslutas aldrig");
  /* A multi-line tag is quoted only up to its line break. */
  run r = run_new();
  render(&r, "{{=a\nb c=}}", NULL, NULL);
  CHECK(!r.ok);
  if (first_diag(&r)) CHECK(!strchr(first_diag(&r)->message, '\n'));
  run_free(&r);
}

static void test_partial_errors(void) {
  static const char *const forever[] = {"p", "x{{>p}}", NULL};
  run r = run_new();
  render(&r, "start {{>p}}", NULL, forever);
  CHECK(!r.ok);
  CHECK_INT(r.diags.count, 1);
  if (first_diag(&r)) {
    CHECK_CONTAINS(first_diag(&r)->message, "nästlade djupare än 64 nivåer");
    CHECK_STR(first_diag(&r)->loc.file, "p");
    CHECK_INT(first_diag(&r)->loc.column, 2);
  }
  run_free(&r);

  static const char *const mutual[] = {"a", "{{>b}}", "b", "  {{>a}}\n", NULL};
  r = run_new();
  render(&r, "{{>a}}", NULL, mutual);
  CHECK(!r.ok);
  run_free(&r);

  /* A parent that passes itself as its own argument never ends either. */
  static const char *const self_parent[] = {"p", "{{<p}}{{/p}}", NULL};
  r = run_new();
  render(&r, "{{<p}}{{/p}}", NULL, self_parent);
  CHECK(!r.ok);
  run_free(&r);

  /* A malformed partial is reported in its own name and line. */
  static const char *const broken[] = {"sidfot", "ok\n{{#x}}", NULL};
  r = run_new();
  render(&r, "a\n{{>sidfot}}", NULL, broken);
  CHECK(!r.ok);
  if (first_diag(&r)) {
    CHECK_STR(first_diag(&r)->loc.file, "sidfot");
    CHECK_INT(first_diag(&r)->loc.line, 2);
    CHECK_CONTAINS(first_diag(&r)->hint, "mall.md, rad 2");
  }
  run_free(&r);

  /* An argument that contains its own block recurses without end. */
  static const char *const page[] = {"sida", "{{$a}}{{/a}}", NULL};
  r = run_new();
  render(&r, "{{<sida}}{{$a}}[{{$a}}x{{/a}}]{{/a}}{{/sida}}", NULL, page);
  CHECK(!r.ok);
  if (first_diag(&r))
    CHECK_CONTAINS(first_diag(&r)->message, "nästlad djupare än");
  run_free(&r);
}

static void test_partial_bomb(void) {
  /* Each level includes the next twice: 2^40 calls if nothing stopped it. */
  enum { LEVELS = 40 };
  lr_arena *names = lr_arena_new();
  const char *table[2 * LEVELS + 3];
  size_t n = 0;
  for (int i = 0; i < LEVELS; i++) {
    table[n++] = lr_arena_printf(names, "p%d", i);
    table[n++] = lr_arena_printf(names, "{{>p%d}}{{>p%d}}", i + 1, i + 1);
  }
  table[n++] = lr_arena_printf(names, "p%d", LEVELS);
  table[n++] = "";
  table[n] = NULL;
  run r = run_new();
  render(&r, "{{>p0}}", NULL, table);
  CHECK(!r.ok);
  if (first_diag(&r))
    CHECK_CONTAINS(first_diag(&r)->message, "för mycket arbete");
  run_free(&r);
  lr_arena_free(names);
}

static void upper_escape(const char *s, size_t n, lr_buf *out) {
  lr_buf_putc(out, '[');
  for (size_t i = 0; i < n; i++)
    lr_buf_putc(out, s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i]);
  lr_buf_putc(out, ']');
}

static void test_escaping(void) {
  run r = run_new();
  lr_value *data = lr_value_map(r.arena);
  lr_value_set_string(data, "x", "a<b");
  lr_value_set_int(data, "n", 7);
  render_with(&r, "{{x}} {{{x}}} {{&x}} {{n}}", data, NULL, upper_escape);
  CHECK(r.ok);
  CHECK_STR(output(&r), "[A<B] a<b a<b [7]");
  run_free(&r);

  r = run_new();
  data = lr_value_map(r.arena);
  lr_value_set_string(data, "x", "<a href='x'>&\"");
  render(&r, "{{x}}|{{{x}}}", data, NULL);
  CHECK_STR(output(&r),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;|<a href='x'>&\"");
  run_free(&r);

  lr_buf b = {0};
  lr_escape_html("ok", 2, &b);
  lr_escape_html("'", 1, &b);
  CHECK_STR(lr_buf_cstr(&b), "ok&#39;");
  lr_buf_free(&b);
}

static void test_empty_string_is_falsy(void) {
  const char *template = "{{#text}}<p>{{text}}</p>{{/text}}{{^text}}-{{/text}}";
  run r = run_new();
  lr_value *data = lr_value_map(r.arena);
  lr_value_set_string(data, "text", "");
  render(&r, template, data, NULL);
  CHECK(r.ok);
  CHECK_STR(output(&r), "-");
  run_free(&r);

  r = run_new();
  data = lr_value_map(r.arena);
  lr_value_set_string(data, "text", "Analys");
  render(&r, template, data, NULL);
  CHECK_STR(output(&r), "<p>Analys</p>");
  run_free(&r);

  /* Zero is a value, not a missing one. */
  r = run_new();
  data = lr_value_map(r.arena);
  lr_value_set_int(data, "n", 0);
  render(&r, "{{#n}}[{{.}}]{{/n}}", data, NULL);
  CHECK_STR(output(&r), "[0]");
  run_free(&r);
}

static void test_large_list(void) {
  enum { ITEMS = 10000 };
  run r = run_new();
  lr_value *data = lr_value_map(r.arena), *list = lr_value_list(r.arena);
  for (int i = 0; i < ITEMS; i++) {
    lr_value *item = lr_value_map(r.arena);
    lr_value_set_int(item, "n", i);
    lr_value_push(list, item);
  }
  lr_value_set(data, "rader", list);
  lr_buf_puts(&r.out, "före:");
  lr_diag_list_init(&r.diags, r.arena);
  lr_template_options options = {"mall.md", NULL, NULL, NULL, false};
  r.ok = lr_template_render("{{#rader}}\n- {{n}}\n{{/rader}}\n", data, &options,
                            &r.out, &r.diags);
  CHECK(r.ok);
  /* Rendering appends to what the buffer held. */
  CHECK(strncmp(output(&r), "före:- 0\n- 1\n", 13) == 0);
  CHECK(strstr(output(&r), "- 9999\n") != NULL);
  size_t lines = 0;
  for (const char *p = output(&r); *p; p++) lines += *p == '\n';
  CHECK_INT(lines, ITEMS);
  run_free(&r);
}

static void test_deep_nesting(void) {
  enum { DEPTH = 10000 };
  lr_buf t = {0};
  for (int i = 0; i < DEPTH; i++) lr_buf_puts(&t, "{{#a}}");
  lr_buf_puts(&t, "x");
  for (int i = 0; i < DEPTH; i++) lr_buf_puts(&t, "{{/a}}");
  run r = run_new();
  lr_value *data = lr_value_map(r.arena);
  lr_value_set_bool(data, "a", true);
  render(&r, lr_buf_cstr(&t), data, NULL);
  CHECK(!r.ok);
  if (first_diag(&r)) {
    CHECK_CONTAINS(first_diag(&r)->message, "nästlade djupare än");
    CHECK_INT(first_diag(&r)->loc.line, 1);
  }
  run_free(&r);

  /* Unclosed as well: still one diagnostic, not ten thousand. */
  lr_buf_clear(&t);
  for (int i = 0; i < DEPTH; i++) lr_buf_puts(&t, "{{^a}}\n");
  r = run_new();
  render(&r, lr_buf_cstr(&t), NULL, NULL);
  CHECK(!r.ok);
  CHECK_INT(r.diags.count, 1);
  run_free(&r);

  /* Nesting a template really uses still renders. */
  lr_buf_clear(&t);
  for (int i = 0; i < 100; i++) lr_buf_puts(&t, "{{#a}}");
  lr_buf_puts(&t, "x");
  for (int i = 0; i < 100; i++) lr_buf_puts(&t, "{{/a}}");
  r = run_new();
  data = lr_value_map(r.arena);
  lr_value_set_bool(data, "a", true);
  render(&r, lr_buf_cstr(&t), data, NULL);
  CHECK(r.ok);
  CHECK_STR(output(&r), "x");
  run_free(&r);
  lr_buf_free(&t);
}

static void test_layout(void) {
  /* The shape the HTML report uses: a base page with overridable blocks,
   * its header a plain partial that sees the same arguments. */
  static const char *const partials[] = {
      "bas",
      "<html>\n<head>{{>huvud}}</head>\n<body>\n  {{$innehall}}\n  "
      "<p>tomt</p>\n  {{/innehall}}\n</body>\n</html>\n",
      "huvud", "<title>{{$titel}}Lägesrapport{{/titel}}</title>", NULL};
  run r = run_new();
  lr_value *data = lr_value_map(r.arena);
  lr_value_set_string(data, "lan", "Jönköping");
  render(&r,
         "{{<bas}}\n{{$titel}}{{lan}} 2022{{/titel}}\n{{$innehall}}\n"
         "<h1>{{lan}}</h1>\n<p>Text</p>\n{{/innehall}}\n{{/bas}}\n",
         data, partials);
  CHECK(r.ok);
  CHECK_STR(output(&r), "<html>\n<head><title>Jönköping 2022</title></head>\n"
                        "<body>\n  <h1>Jönköping</h1>\n  <p>Text</p>\n"
                        "</body>\n</html>\n");
  run_free(&r);
}

static void test_names(void) {
  static const char *const partials[] = {"kort", "<{{namn}}>", NULL};
  run r = run_new();
  lr_value *data = lr_value_map(r.arena), *actor = lr_value_map(r.arena);
  lr_value_set_string(actor, "namn", "Region");
  lr_value_set_string(actor, "mall", "kort");
  lr_value_set(data, "aktor", actor);
  lr_value_set(data, "ingenting", NULL);
  render(&r,
         "{{aktor.namn}} {{>*aktor.mall}} {{#aktor}}{{>*mall}}{{/aktor}} "
         "[{{ingenting}}] [{{saknas.helt}}] [{{>saknas}}]",
         data, partials);
  CHECK(r.ok);
  CHECK_STR(output(&r), "Region <> <Region> [] [] []");
  run_free(&r);

  /* No data and no options at all: text still renders. */
  lr_buf out = {0};
  lr_arena *arena = lr_arena_new();
  lr_diag_list diags;
  lr_diag_list_init(&diags, arena);
  CHECK(lr_template_render("a{{x}}b{{#x}}c{{/x}}", NULL, NULL, &out, &diags));
  CHECK_STR(lr_buf_cstr(&out), "ab");
  lr_buf_free(&out);
  lr_diag_list_release(&diags);
  lr_arena_free(arena);
}

/* Build's mode: a value tag naming what the view does not have is an
 * error at the tag, once per tag however often it renders, with a
 * suggestion; a name the view has with a null value is not, nor is a
 * section over a name the view leaves out (that is how a template asks). */
static void test_strict(void) {
  static const char *const partials[] = {"rad", "{{rubrk}}", NULL};
  run r = run_new();
  lr_value *data = lr_value_map(r.arena), *list = lr_value_list(r.arena);
  for (int i = 0; i < 3; i++) {
    lr_value *item = lr_value_map(r.arena);
    lr_value_set_string(item, "rubrik", "Möte");
    lr_value_push(list, item);
  }
  lr_value_set(data, "aktiviteter", list);
  lr_value_set_string(data, "svarsmening", "Alla har svarat.");
  lr_value_set(data, "tom", NULL);
  lr_diag_list_init(&r.diags, r.arena);
  lr_template_options options = {"mall.md", table_partial, (void *)partials, NULL, true};
  r.ok = lr_template_render("{{svarsmeningen}} [{{tom}}]\n{{#aktiviteter}}{{>rad}}{{/aktiviteter}}\n"
                            "{{#aktivitetr}}x{{/aktivitetr}}",
                            data, &options, &r.out, &r.diags);
  CHECK(!r.ok);
  CHECK_INT(r.diags.errors, 2);
  CHECK_STR(output(&r), " []\n\n");
  if (r.diags.count == 2) {
    const lr_diag *d = &r.diags.items[0];
    CHECK_STR(d->loc.file, "mall.md");
    CHECK_INT(d->loc.line, 1);
    CHECK_INT(d->loc.column, 1);
    CHECK_STR(d->message, "mallen nämner \"svarsmeningen\", som inte finns här — menade du \"svarsmening\"?");
    CHECK_STR(d->hint, "giltiga namn här: aktiviteter, svarsmening, tom");
    d = &r.diags.items[1];
    CHECK_STR(d->loc.file, "rad");
    CHECK_INT(d->loc.line, 1);
    CHECK_CONTAINS(d->message, "menade du \"rubrik\"?");
  }
  run_free(&r);

  /* The same template in the spec's mode renders the missing as nothing. */
  r = run_new();
  data = lr_value_map(r.arena);
  lr_value_set_string(data, "svarsmening", "Alla har svarat.");
  render(&r, "[{{svarsmeningen}}]", data, NULL);
  CHECK(r.ok);
  CHECK_STR(output(&r), "[]");
  run_free(&r);
}

static void test_values(void) {
  lr_arena *arena = lr_arena_new();
  lr_value *map = lr_value_map(arena);
  lr_value_set_string(map, "b", "1");
  lr_value_set_string(map, "a", "2");
  lr_value_set_string(map, "b", "3");
  CHECK_INT(lr_value_count(map), 2);
  CHECK_STR(lr_value_key_at(map, 0), "b");
  CHECK_STR(lr_value_key_at(map, 1), "a");
  CHECK_STR(lr_value_as_string(lr_value_get(map, "b")), "3");
  CHECK(lr_value_get(map, "c") == NULL);
  CHECK(lr_value_key_at(map, 2) == NULL);

  /* Large maps stay in order and replace in place once indexed. */
  lr_value *big = lr_value_map(arena);
  char key[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(key, sizeof key, "k%d", i);
    lr_value_set_int(big, key, i);
  }
  lr_value_set_int(big, "k17", -17);
  CHECK_INT(lr_value_count(big), 5000);
  CHECK_STR(lr_value_key_at(big, 4999), "k4999");
  CHECK_INT((long)lr_value_as_number(lr_value_get(big, "k4321")), 4321);
  CHECK_INT((long)lr_value_as_number(lr_value_get(big, "k17")), -17);

  lr_value *list = lr_value_list(arena);
  for (int i = 0; i < 1000; i++) lr_value_push(list, lr_value_number(arena, i));
  lr_value_push(list, NULL);
  CHECK_INT(lr_value_count(list), 1001);
  CHECK_INT((long)lr_value_as_number(lr_value_at(list, 999)), 999);
  CHECK_INT(lr_value_kind_of(lr_value_at(list, 1000)), LR_VALUE_NULL);
  CHECK(lr_value_at(list, 1001) == NULL);
  CHECK(lr_value_as_bool(lr_value_bool(arena, true)));
  CHECK(!lr_value_as_bool(lr_value_string(arena, "true")));

  static const struct {
    double n;
    const char *text;
  } numbers[] = {{85, "85"},         {1.21, "1.21"},
                 {-3, "-3"},         {0.1 + 0.2, "0.30000000000000004"},
                 {1e20, "1e+20"},    {-0.0, "0"},
                 {2.5e-7, "2.5e-07"}};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    lr_buf b = {0};
    lr_value_format(lr_value_number(arena, numbers[i].n), &b);
    CHECK_STR(lr_buf_cstr(&b), numbers[i].text);
    lr_buf_free(&b);
  }
  lr_buf b = {0};
  lr_value_format(lr_value_bool(arena, false), &b);
  lr_value_format(lr_value_null(arena), &b);
  lr_value_format(list, &b);
  CHECK_STR(lr_buf_cstr(&b), "false");
  lr_buf_free(&b);
  lr_arena_free(arena);
}

int main(void) {
  test_errors();
  test_partial_errors();
  test_partial_bomb();
  test_escaping();
  test_empty_string_is_falsy();
  test_large_list();
  test_deep_nesting();
  test_layout();
  test_names();
  test_strict();
  test_values();
  return check_report();
}
