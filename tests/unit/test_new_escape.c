/* The YAML escape that `new` writes forms with: every text, however
 * hostile, must read back from the form through libyaml (the parser the
 * program itself uses) exactly as it was, in the places the form template
 * puts values — after a top-level key and inside an activity. */
#include "render/render.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The scalar under key path[0] (top level) or under path[1] in the first
 * item of the sequence at path[0]; malloc'ed, or NULL. */
static char *read_back(const char *document, const char *key, const char *item_key) {
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)document, strlen(document));
  char *value = NULL;
  if (!yaml_parser_load(&parser, &doc)) {
    fprintf(stderr, "libyaml: %s\n%s\n", parser.problem ? parser.problem : "?", document);
    yaml_parser_delete(&parser);
    return NULL;
  }
  yaml_node_t *node = yaml_document_get_root_node(&doc);
  for (int level = 0; node && level < (item_key ? 2 : 1); level++) {
    const char *want = level == 0 ? key : item_key;
    if (level == 1) {
      if (node->type != YAML_SEQUENCE_NODE) break;
      node = yaml_document_get_node(&doc, *node->data.sequence.items.start);
    }
    yaml_node_t *found = NULL;
    yaml_node_pair_t *pairs = node->data.mapping.pairs.start;
    for (yaml_node_pair_t *p = pairs; p < node->data.mapping.pairs.top; p++) {
      yaml_node_t *k = yaml_document_get_node(&doc, p->key);
      if (strcmp((const char *)k->data.scalar.value, want) == 0)
        found = yaml_document_get_node(&doc, p->value);
    }
    node = found;
  }
  if (node && node->type == YAML_SCALAR_NODE) {
    value = malloc(node->data.scalar.length + 1);
    memcpy(value, node->data.scalar.value, node->data.scalar.length);
    value[node->data.scalar.length] = '\0';
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return value;
}

static void escaped(const char *text, lr_buf *out) {
  lr_buf_clear(out);
  lr_escape_yaml(text, strlen(text), out);
}

/* text as the form template places it: at the top and in an activity,
 * each followed by another key so a block scalar must end where it should. */
static void check_round_trip(const char *text, const char *want) {
  lr_buf value = {0}, doc = {0};
  escaped(text, &value);
  lr_buf_printf(&doc, "aktör: %s\nnästa: 1\naktiviteter:\n  - rubrik: %s\n    beskrivning: %s\n"
                      "    status: pågående\n",
                value.data, value.data, value.data);
  char *top = read_back(doc.data, "aktör", NULL);
  char *inner = read_back(doc.data, "aktiviteter", "beskrivning");
  char *after = read_back(doc.data, "aktiviteter", "status");
  CHECK_STR(top, want);
  CHECK_STR(inner, want);
  CHECK_STR(after, "pågående");
  free(top);
  free(inner);
  free(after);
  lr_buf_free(&value);
  lr_buf_free(&doc);
}

static void test_single_lines(void) {
  static const char *const texts[] = {
      "",
      "Kartläggning av våldsförebyggande aktiviteter",
      "\"citat\" och 'apostrof' och \\omvänt\\ snedstreck",
      "nyckel: värde # ingen kommentar",
      "- streck", "? fråga", "[lista]", "{map}", "&ankare *alias !tagg %direktiv @at `grav`",
      "yes", "no", "on", "~", "null", "0x1F", "1:1", "2023", "-", "|", ">", "#",
      " inledande och avslutande blanksteg ",
      "emoji \xF0\x9F\x98\x80, RTL \xE2\x80\x8F, kombinerande e\xCC\x81, nbsp \xC2\xA0",
      "NEL\xC2\x85 LS\xE2\x80\xA8 PS\xE2\x80\xA9 BOM\xEF\xBB\xBF slut",
      "C1 \xC2\x80 \xC2\x9F DEL \x7F U+FFFE \xEF\xBF\xBE U+FFFF \xEF\xBF\xBF",
      "\xEF\xBB\xBF" "BOM först",
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) check_round_trip(texts[i], texts[i]);

  char controls[64];
  size_t n = 0;
  for (int c = 1; c < 0x20; c++) controls[n++] = (char)c;
  controls[n] = '\0';
  check_round_trip(controls, controls);
}

static void test_markdown_blocks(void) {
  static const struct {
    const char *text;
    bool block; /* read back from a literal block, for people to edit */
  } cases[] = {
      {"Första stycket: med kolon\n# ingen rubrik i YAML\n\n  indragen rad\n"
       "sista raden med blanksteg   \n",
       true},
      {"utan radbrytning på slutet\nandra raden", true},
      {"---\n...\n- [ ] punkt\n", true},
      {"två radbrytningar på slutet\n\n", false},
      {"\ninledande radbrytning\n", false},
      {" inledande blanksteg\nx\n", false},
      {"tabb\thär\nx\n", false},
      {"rad med bara blanksteg\n   \nx\n", false},
      {"radbrytning och LS\xE2\x80\xA8 i texten\nx\n", false},
  };
  lr_buf out = {0};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    check_round_trip(cases[i].text, cases[i].text);
    escaped(cases[i].text, &out);
    CHECK_INT(out.data[0] == '|', cases[i].block);
  }
  lr_buf_free(&out);
}

static void test_invalid_utf8_becomes_replacement(void) {
  check_round_trip("fel \xFF byte", "fel \xEF\xBF\xBD byte");
  check_round_trip("avhugget \xC3", "avhugget \xEF\xBF\xBD");
}

int main(void) {
  test_single_lines();
  test_markdown_blocks();
  test_invalid_utf8_becomes_replacement();
  return check_report();
}
