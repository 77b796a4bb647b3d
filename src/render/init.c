/* `init`: a new county's starting project. Every file it writes is
 * commented so that the officer can learn the format from it, and the
 * whole is a project that checks clean, so the first thing they see is a
 * working tool rather than a list of errors. Nothing that is already there
 * is ever replaced: a county that runs init in the wrong folder loses
 * nothing. */
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FILE_COUNT = 4 };

/* In writing order: lagesrapport.yaml last, so that a run that stops
 * half-way (and cleans up) never leaves something that looks like a
 * project without its strategy. */
static const char *const NAMES[FILE_COUNT] = {".gitignore", "strategi.yaml", "aktorer.yaml",
                                              "lagesrapport.yaml"};

static const char GITIGNORE[] =
    "# Det som lagesrapport skriver: rapporterna, arbetsböckerna och e-posten under\n"
    "# utdata (se \"utdata\" i lagesrapport.yaml). De byggs om från yttrandena när\n"
    "# som helst och hör inte hemma i versionshanteringen.\n"
    "/out/\n"
    "# Det som lagesrapport sparar för att nästa build ska gå fortare (sammandrag\n"
    "# av äldre års yttranden); det görs om när det behövs.\n"
    "/.lagesrapport/\n";

/* A value the user typed, as a YAML scalar that reads back exactly. */
static const char *scalar(lr_arena *arena, const char *s) {
  lr_buf b = {0};
  lr_escape_yaml(s, strlen(s), &b);
  const char *out = lr_arena_strdup(arena, lr_buf_cstr(&b));
  lr_buf_free(&b);
  return out;
}

static void config_text(lr_buf *b, lr_arena *arena, const lr_init_options *o) {
  lr_buf_printf(
      b,
      "# Inställningarna för länets uppföljning av strategin mot mäns våld mot kvinnor.\n"
      "# Varje nyckel och värde beskrivs i docs/format.md (installerad under\n"
      "# /usr/share/doc/lagesrapport/format.md).\n"
      "\n"
      "# Länets namn som rapporterna skriver det.\n"
      "region: %s\n"
      "\n"
      "# Målstrukturen och aktörsregistret, relativt till den här mappen.\n"
      "strategi: strategi.yaml\n"
      "aktörer: aktorer.yaml\n"
      "\n"
      "# Mappen som build och mail skriver till.\n"
      "utdata: out\n"
      "\n"
      "# Avsändaren av formulären och återkopplingarna: \"Namn <adress>\".\n",
      scalar(arena, o->region));
  if (o->sender)
    lr_buf_printf(b, "avsändare: %s\n", scalar(arena, o->sender));
  else
    lr_buf_puts(b, "# avsändare: \"Länsstyrelsen i Exempel län <kvinnofrid@lansstyrelsen.example>\"\n");
  lr_buf_puts(b,
              "\n"
              "# E-postservern som \"lagesrapport mail --send\" skickar genom:\n"
              "# smtp: smtps://smtp.lansstyrelsen.example:465\n"
              "\n"
              "# En mapp med egna mallar som ersätter de inbyggda (docs/mallar.md):\n"
              "# mallar: mallar\n");
}

static void strategy_text(lr_buf *b, lr_arena *arena, const lr_init_options *o) {
  lr_buf_printf(
      b,
      "# Strategins målstruktur: mål, delmål och områden. Målet och delmålen nedan är\n"
      "# ett exempel; skriv in länets egna. Ett id får vara vad som helst som syns\n"
      "# (\"1\", \"1:2\", A, A1), men varje mål och delmål behöver ett eget, och id som\n"
      "# bara består av siffror, punkter och kolon skrivs inom citattecken.\n"
      "# Aktörerna anger delmålens id i sina yttranden, så byt inte id mitt i en\n"
      "# strategiperiod. Allt beskrivs i docs/format.md.\n"
      "\n"
      "id: regional-strategi\n"
      "namn: Regional strategi mot mäns våld mot kvinnor\n"
      "region: %s\n"
      "# giltig: {från: 2025, till: 2030}\n"
      "# vision: Ett län fritt från våld\n"
      "\n"
      "# Områden (våldsformer) som aktiviteter kan anges under; frivilligt.\n"
      "# områden:\n"
      "#   - {id: hedersrelaterat-vald, namn: Hedersrelaterat våld och förtryck}\n"
      "\n"
      "mål:\n"
      "  - id: \"1\"\n"
      "    namn: Ett utökat och verkningsfullt förebyggande arbete mot våld\n"
      "    beskrivning: |\n"
      "      Vad målet innebär. Texten får vara Markdown och flera stycken.\n"
      "    delmål:\n"
      "      - id: \"1:1\"\n"
      "        text: Våldsförebyggande insatser där barn och unga finns.\n"
      "      - id: \"1:2\"\n"
      "        text: Kunskap om våld hos alla som möter våldsutsatta i sitt arbete.\n",
      scalar(arena, o->region));
}

/* The Länsstyrelse is an actor too: it takes the sender's name and
 * address when they are given. */
static void actors_text(lr_buf *b, lr_arena *arena, const lr_init_options *o,
                        const lr_mailbox *sender) {
  const char *name = sender && sender->name
                         ? sender->name
                         : lr_arena_printf(arena, "Länsstyrelsen i %s", o->region);
  const char *address = sender ? sender->address : "kvinnofrid@lansstyrelsen.example";
  lr_buf_printf(
      b,
      "# Aktörsregistret: alla som lämnar yttranden, i den ordning rapporten listar\n"
      "# dem. id är små bokstäver a–z, siffror och bindestreck (å, ä och ö skrivs a\n"
      "# och o), och yttrandet från en aktör heter <id>.yaml. typ är kommun, region,\n"
      "# länsstyrelse, myndighet, civilsamhälle eller övrig. epost är en adress\n"
      "# eller en lista; dit går formulären och återkopplingarna.\n"
      "# Exempelkommunen är ett exempel: byt den mot länets aktörer.\n"
      "\n"
      "aktörer:\n"
      "  - id: lansstyrelsen\n"
      "    namn: %s\n"
      "    typ: länsstyrelse\n"
      "    epost: [%s]\n"
      "  - id: exempelkommun\n"
      "    namn: Exempelkommunen\n"
      "    typ: kommun\n"
      "    epost: [kvinnofrid@exempelkommun.example]\n",
      scalar(arena, name), scalar(arena, address));
}

/* A line the configuration can hold (lr_ctx_line): something, on one
 * line, without control characters. */
static bool one_line(const char *s) {
  if (!*s) return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F) return false;
  return lr_utf8_valid(s, strlen(s), NULL);
}

static bool write_new(const char *path, const lr_buf *text, int *error) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  bool ok = fd >= 0 && lr_fd_write_all(fd, text->data, text->len) && fsync(fd) == 0;
  *error = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    *error = errno;
  }
  if (!ok && fd >= 0) unlink(path);
  return ok;
}

static lr_diag *error_at(lr_project *p, const char *path, const char *fmt, const char *arg) {
  return lr_diag_add(&p->diags, LR_ERROR, (lr_loc){path, 0, 0}, fmt, arg);
}

lr_project *lr_project_init(const lr_init_options *o, const char ***files, size_t *file_count) {
  lr_project *p = lr_xmalloc(sizeof *p);
  memset(p, 0, sizeof *p);
  p->arena = lr_arena_new();
  lr_diag_list_init(&p->diags, p->arena);
  lr_arena *arena = p->arena;
  const char *dir = o->dir && *o->dir ? o->dir : ".";
  const char **paths = lr_arena_array(arena, FILE_COUNT, sizeof *paths);
  *files = paths;
  *file_count = 0;

  /* Every mistake at once, before anything is written. */
  if (!o->region || !one_line(o->region)) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "länets namn saknas eller är inte en rad text");
    lr_diag_hint(&p->diags, d, "ange det med --region, t.ex. --region \"Skåne län\"");
  }
  lr_mailbox sender = {0};
  if (o->sender && (!one_line(o->sender) || !lr_mailbox_parse(arena, o->sender, &sender))) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){0}, "ogiltig avsändare \"%s\"", o->sender);
    lr_diag_hint(&p->diags, d, "skriv t.ex. --sender \"Länsstyrelsen Skåne <kvinnofrid@lansstyrelsen.example>\"");
  }
  struct stat st;
  bool made = false;
  if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
    lr_diag *d = error_at(p, dir, "%s", "det finns redan en fil med mappens namn");
    lr_diag_hint(&p->diags, d, "välj ett annat namn på projektmappen");
  }
  for (size_t i = 0; i < FILE_COUNT; i++) {
    paths[i] = lr_path_join(arena, dir, NAMES[i]);
    if (!lr_path_exists(paths[i])) continue;
    lr_diag *d = error_at(p, paths[i], "%s", "filen finns redan");
    lr_diag_hint(&p->diags, d, "init skriver aldrig över något; välj en ny eller tom mapp, "
                               "eller flytta undan filen");
  }
  if (p->diags.errors) return p;

  if (mkdir(dir, 0777) == 0) {
    made = true;
  } else if (errno != EEXIST) {
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){dir, 0, 0}, "kan inte skapa mappen: %s",
                             lr_errno_text(errno));
    lr_diag_hint(&p->diags, d, "kontrollera att mappen ovanför finns och att du får skriva i den");
    return p;
  }

  lr_buf text[FILE_COUNT] = {{0}};
  lr_buf_puts(&text[0], GITIGNORE);
  strategy_text(&text[1], arena, o);
  actors_text(&text[2], arena, o, o->sender ? &sender : NULL);
  config_text(&text[3], arena, o);
  size_t written = 0;
  for (; written < FILE_COUNT; written++) {
    int error = 0;
    if (write_new(paths[written], &text[written], &error)) continue;
    lr_diag *d = lr_diag_add(&p->diags, LR_ERROR, (lr_loc){paths[written], 0, 0},
                             "kan inte skriva filen: %s", lr_errno_text(error));
    lr_diag_hint(&p->diags, d, error == EEXIST ? "någon annan skrev filen samtidigt; inget ändrades"
                                               : "kontrollera att du får skriva i mappen; inget ändrades");
    break;
  }
  if (written < FILE_COUNT) {
    /* All or nothing: what this run wrote goes again. */
    for (size_t i = 0; i < written; i++) unlink(paths[i]);
    if (made) rmdir(dir);
  } else {
    *file_count = FILE_COUNT;
  }
  for (size_t i = 0; i < FILE_COUNT; i++) lr_buf_free(&text[i]);
  return p;
}
