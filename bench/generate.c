/* The benchmark's synthetic project: a valid lagesrapport project of any
 * size, with the shape and text lengths of real statements (headings of
 * about 60 characters, descriptions of 300-1500 characters of Swedish-
 * looking prose with Markdown), so that the figures in bench/README.md
 * describe what a county or a national user would see.
 *
 * Output depends only on the size and the seed: every file draws from its
 * own generator seeded by (seed, year, actor), so the same command always
 * writes the same bytes, whatever order files are written in. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- deterministic randomness ------------------------------------------ */

typedef struct rng {
  uint64_t state;
} rng;

/* splitmix64: tiny, fast and good enough to shape test data. */
static uint64_t next(rng *r) {
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static rng rng_for(uint64_t seed, uint64_t a, uint64_t b) {
  rng r = {seed * 0x100000001B3ULL ^ (a << 32) ^ b};
  next(&r);
  return r;
}

/* Uniform in [lo, hi]. */
static size_t pick(rng *r, size_t lo, size_t hi) {
  return lo + (size_t)(next(r) % (uint64_t)(hi - lo + 1));
}

static bool chance(rng *r, unsigned percent) { return next(r) % 100 < percent; }

/* ---- output -------------------------------------------------------------- */

typedef struct text {
  char *data;
  size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    while (t->len + n + 1 > t->cap) t->cap = t->cap ? t->cap * 2 : 4096;
    t->data = realloc(t->data, t->cap);
    if (!t->data) {
      fputs("generate: slut på minne\n", stderr);
      exit(2);
    }
  }
  memcpy(t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = '\0';
}

static void put_str(text *t, const char *s) { put(t, s, strlen(s)); }

static void put_fmt(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_fmt(text *t, const char *fmt, ...) {
  char small[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof small) {
    fputs("generate: för lång rad\n", stderr);
    exit(2);
  }
  put(t, small, (size_t)n);
}

static void make_dir(const char *path) {
  if (mkdir(path, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "generate: kan inte skapa %s: %s\n", path, strerror(errno));
    exit(2);
  }
}

static void write_file(const char *path, const text *t) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(t->data, 1, t->len, f) != t->len || fclose(f) != 0) {
    fprintf(stderr, "generate: kan inte skriva %s: %s\n", path, strerror(errno));
    exit(2);
  }
}

/* ---- Swedish-looking prose ------------------------------------------------ */

static const char *const WORDS[] = {
    "våld", "arbete", "kvinnor", "barn", "unga", "stöd", "skydd", "samverkan", "kommunen",
    "regionen", "förebyggande", "insatser", "kompetens", "utbildning", "personal", "socialtjänsten",
    "rutiner", "upptäckt", "våldsutsatta", "våldsutövare", "hedersrelaterat", "förtryck",
    "nära", "relationer", "länet", "myndigheter", "civilsamhället", "ideella", "föreningar",
    "kvinnojouren", "tjejjouren", "mottagning", "behandling", "handlingsplan", "riktlinje",
    "uppföljning", "kartläggning", "arbetsgrupp", "nätverk", "metodstöd", "samordnare",
    "förvaltningen", "skolan", "förskolan", "fritidsgårdar", "idrottsrörelsen", "hälso",
    "sjukvården", "tandvården", "polisen", "åklagare", "domstolar", "bostad", "ekonomiskt",
    "bistånd", "skyddat", "boende", "placering", "barnahus", "orosanmälan", "anmälningsplikt",
    "prostitution", "människohandel", "sexuella", "ändamål", "exploatering", "normer",
    "maskulinitet", "jämställdhet", "genus", "mäns", "ansvar", "långsiktigt", "systematiskt",
    "kunskapsbaserat", "erfarenheter", "utvärdering", "statistik", "enkät", "dialog",
    "föräldrar", "vårdnadshavare", "äldre", "funktionsnedsättning", "nyanlända", "språk",
    "tolk", "information", "kampanj", "webbutbildning", "föreläsning", "workshop", "seminarium",
    "handledning", "konsultation", "ärenden", "bedömning", "riskbedömning", "säkerhetsplanering",
    "efterfrågan", "köp", "tjänster", "ledning", "chefer", "medarbetare", "arbetsplatsen",
    "pågår", "genomförts", "planeras", "påbörjats", "fortsätter", "utvecklas", "förbättras",
    "stärks", "följs", "upp", "under", "året", "inom", "mellan", "genom", "tillsammans", "med",
    "och", "för", "att", "som", "har", "är", "en", "ett", "de", "det", "på", "av", "till", "i",
    "både", "även", "större", "fler", "färre", "tidiga", "tydligare", "gemensam", "lokala",
    "regionala", "nationella", "särskilt", "fokus", "målgrupp", "verksamheter", "öppenvården",
    "gymnasieskolan", "grundskolan", "elevhälsan", "kurator", "skolsköterska", "fältarbetare",
};
enum { WORD_COUNT = sizeof WORDS / sizeof *WORDS };

static const char *word(rng *r) { return WORDS[next(r) % WORD_COUNT]; }

/* w with its first letter in upper case, å, ä and ö included. */
static const char *capitalised(const char *w, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", w);
  unsigned char *b = (unsigned char *)buf;
  if (b[0] >= 'a' && b[0] <= 'z') b[0] = (unsigned char)(b[0] - 'a' + 'A');
  else if (b[0] == 0xC3 && (b[1] == 0xA5 || b[1] == 0xA4 || b[1] == 0xB6)) b[1] -= 0x20;
  return buf;
}

/* Prose being laid out in a block scalar: words are appended with line
 * breaks so that no line passes ~80 columns, as editors leave them. */
typedef struct prose {
  text *out;
  const char *indent;
  size_t column;
} prose;

static void prose_word(prose *p, const char *w) {
  size_t n = strlen(w);
  if (p->column > 0 && p->column + 1 + n > 80) {
    put_str(p->out, "\n");
    put_str(p->out, p->indent);
    p->column = strlen(p->indent);
  } else if (p->column > strlen(p->indent)) {
    put_str(p->out, " ");
    p->column++;
  }
  put_str(p->out, w);
  p->column += n;
}

/* Six to eighteen words, now and then with emphasis or a link. */
static void sentence(rng *r, prose *p) {
  size_t words = pick(r, 6, 18);
  char first[64], buf[160];
  for (size_t i = 0; i < words; i++) {
    const char *w = word(r);
    const char *mark = ""; /* emphasis around the word, now and then */
    if (i == 0) w = capitalised(w, first, sizeof first);
    else if (chance(r, 3)) mark = "*";
    else if (chance(r, 2)) mark = "**";
    const char *end = i + 1 == words ? "." : chance(r, 8) ? "," : "";
    snprintf(buf, sizeof buf, "%s%s%s%s", mark, w, mark, end);
    prose_word(p, buf);
    if (i + 1 < words && chance(r, 1)) prose_word(p, "[läs mer](https://www.example.se/kvinnofrid)");
  }
}

/* A Markdown block scalar body of about `target` characters: paragraphs,
 * and now and then a bullet list. Lines carry `indent`. */
static void markdown(rng *r, text *out, const char *indent, size_t target) {
  size_t start = out->len;
  bool first = true;
  while (out->len - start < target) {
    if (!first) put_str(out, "\n\n");
    put_str(out, indent);
    prose p = {out, indent, strlen(indent)};
    if (!first && chance(r, 20)) {
      size_t items = pick(r, 2, 4);
      for (size_t i = 0; i < items; i++) {
        if (i) {
          put_str(out, "\n");
          put_str(out, indent);
        }
        put_str(out, "- ");
        p.column = strlen(indent) + 2;
        size_t words = pick(r, 3, 8);
        for (size_t k = 0; k < words; k++) {
          char buf[64];
          const char *w = word(r);
          prose_word(&p, k == 0 ? capitalised(w, buf, sizeof buf) : w);
        }
      }
    } else {
      size_t sentences = pick(r, 2, 5);
      for (size_t i = 0; i < sentences; i++) sentence(r, &p);
    }
    first = false;
  }
  put_str(out, "\n");
}

/* A one-line text of about `target` characters, starting in upper case. */
static void heading(rng *r, text *out, size_t target) {
  size_t start = out->len;
  char buf[64];
  put_str(out, capitalised(word(r), buf, sizeof buf));
  while (out->len - start < target) {
    put_str(out, " ");
    put_str(out, word(r));
  }
}

/* ---- the project ------------------------------------------------------------ */

enum { GOALS = 6, AREAS = 4 };
/* Sub-goals per goal; the last goal has none, so that activities naming a
 * goal directly are part of the load too. */
static const size_t SUBGOALS[GOALS] = {5, 6, 7, 4, 6, 0};

static const char *const AREA_IDS[AREAS] = {"sexuellt-vald", "vald-i-nara-relation",
                                            "hedersrelaterat-vald",
                                            "prostitution-och-manniskohandel"};
static const char *const AREA_NAMES[AREAS] = {
    "Sexuellt våld – oberoende av relation", "Våld i nära relation",
    "Hedersrelaterat våld och förtryck",
    "Prostitution, människohandel för sexuella ändamål och sexuell exploatering"};

static const char *const SYLLABLES[] = {"Ör", "Väs", "Sö", "Ås", "Lin", "Norr", "Ek", "Berg",
                                        "Mal", "Sand", "Hök", "Gär", "Lund", "Fal", "Kung", "Sköv"};
static const char *const ASCII_SYLLABLES[] = {"or", "vas", "so", "as", "lin", "norr", "ek", "berg",
                                              "mal", "sand", "hok", "gar", "lund", "fal", "kung", "skov"};
static const char *const ENDINGS[] = {"eby", "köping", "ås", "hamn", "ö", "stad", "vik", "mo"};
static const char *const ASCII_ENDINGS[] = {"eby", "koping", "as", "hamn", "o", "stad", "vik", "mo"};
static const char *const FIRST_NAMES[] = {"Anna", "Maria", "Åsa", "Lena", "Karin", "Sofia", "Eva",
                                          "Björn", "Jörgen", "Lars", "Oskar", "Märta"};
static const char *const LAST_NAMES[] = {"Andersson", "Johansson", "Karlsson", "Nilsson",
                                         "Eriksson", "Larsson", "Öberg", "Åström", "Lindqvist"};
static const char *const ACTOR_TYPES[] = {"kommun", "region", "länsstyrelse", "myndighet",
                                          "civilsamhälle", "övrig"};

typedef struct actor {
  char id[64];
  char name[128];
  const char *type;
} actor;

typedef struct target {
  char id[16];
} target;

typedef struct plan {
  size_t actors;     /* who answer every year */
  size_t registered; /* the registry: a few more, who never answer */
  size_t activities; /* per statement */
  int first_year, years;
  uint64_t seed;
} plan;

/* Ids of everything an activity may name: every sub-goal, and each goal
 * that has none. Round robin over this list uses each of them. */
static size_t targets_of(target *out) {
  size_t n = 0;
  for (size_t g = 0; g < GOALS; g++) {
    if (!SUBGOALS[g]) snprintf(out[n++].id, sizeof out->id, "%d", (int)g + 1);
    for (size_t k = 0; k < SUBGOALS[g]; k++)
      snprintf(out[n++].id, sizeof out->id, "%d.%d", (int)g + 1, (int)k + 1);
  }
  return n;
}

static void make_actors(const plan *pl, actor *actors) {
  for (size_t i = 0; i < pl->registered; i++) {
    rng r = rng_for(pl->seed, 0, i);
    size_t a = pick(&r, 0, 15), b = pick(&r, 0, 7);
    /* Mostly municipalities, as in every real registry. */
    size_t t = chance(&r, 75) ? 0 : pick(&r, 1, 5);
    actor *ac = &actors[i];
    ac->type = ACTOR_TYPES[t];
    snprintf(ac->id, sizeof ac->id, "%s%s-%04zu", ASCII_SYLLABLES[a], ASCII_ENDINGS[b], i + 1);
    static const char *const SUFFIX[] = {"kommun", "Region", "Länsstyrelsen i", "Myndigheten för",
                                         "Föreningen", "Stiftelsen"};
    if (t == 0)
      snprintf(ac->name, sizeof ac->name, "%s%s kommun (%zu)", SYLLABLES[a], ENDINGS[b], i + 1);
    else
      snprintf(ac->name, sizeof ac->name, "%s %s%s (%zu)", SUFFIX[t], SYLLABLES[a], ENDINGS[b],
               i + 1);
  }
}

static void write_config(const char *dir) {
  text t = {0};
  put_str(&t, "# Syntetiskt projekt för prestandamätning (bench/generate).\n"
            "region: Syntetiskt län\n"
            "strategi: strategi.yaml\n"
            "aktörer: aktorer.yaml\n"
            "utdata: ut\n"
            "avsändare: \"Länsstyrelsen i Syntetiskt län <kvinnofrid@lansstyrelsen.example>\"\n");
  char path[4096];
  snprintf(path, sizeof path, "%s/lagesrapport.yaml", dir);
  write_file(path, &t);
  free(t.data);
}

static void write_strategy(const plan *pl, const char *dir) {
  rng r = rng_for(pl->seed, 1, 0);
  text t = {0};
  put_fmt(&t,
          "id: syntetisk-%d-%d\n"
          "namn: Regional strategi för att förebygga och bekämpa mäns våld mot kvinnor\n"
          "region: Syntetiskt län\n"
          "giltig: {från: %d, till: %d}\n"
          "vision: Ett län fritt från våld\n"
          "områden:\n",
          pl->first_year, pl->first_year + pl->years, pl->first_year, pl->first_year + pl->years);
  for (size_t a = 0; a < AREAS; a++)
    put_fmt(&t, "  - {id: %s, namn: \"%s\"}\n", AREA_IDS[a], AREA_NAMES[a]);
  put_str(&t, "mål:\n");
  for (size_t g = 0; g < GOALS; g++) {
    put_fmt(&t, "  - id: \"%zu\"\n    namn: ", g + 1);
    heading(&r, &t, 60);
    put_str(&t, "\n    beskrivning: |\n");
    markdown(&r, &t, "      ", pick(&r, 300, 800));
    if (!SUBGOALS[g]) continue;
    put_str(&t, "    delmål:\n");
    for (size_t k = 0; k < SUBGOALS[g]; k++) {
      put_fmt(&t, "      - id: \"%zu.%zu\"\n        text: ", g + 1, k + 1);
      heading(&r, &t, pick(&r, 60, 140));
      put_str(&t, "\n");
    }
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/strategi.yaml", dir);
  write_file(path, &t);
  free(t.data);
}

static void write_registry(const plan *pl, const actor *actors, const char *dir) {
  text t = {0};
  put_str(&t, "aktörer:\n");
  for (size_t i = 0; i < pl->registered; i++)
    put_fmt(&t, "  - {id: %s, namn: \"%s\", typ: %s, epost: [kvinnofrid@%s.example]}\n",
            actors[i].id, actors[i].name, actors[i].type, actors[i].id);
  char path[4096];
  snprintf(path, sizeof path, "%s/aktorer.yaml", dir);
  write_file(path, &t);
  free(t.data);
}

static void optional_prose(rng *r, text *t, const char *key, unsigned percent) {
  if (!chance(r, percent)) return;
  put_fmt(t, "%s: |\n", key);
  markdown(r, t, "  ", pick(r, 200, 900));
}

static void write_statement(const plan *pl, const actor *actors, const target *targets,
                            size_t target_count, int year, size_t index, const char *path) {
  rng r = rng_for(pl->seed, (uint64_t)year, index + 1);
  const actor *a = &actors[index];
  text t = {0};
  put_fmt(&t, "aktör: %s\når: %d\ninkom: %d-%02zu-%02zu\n", a->id, year, year + 1,
          pick(&r, 1, 3), pick(&r, 1, 28));
  put_fmt(&t, "kontakt: {namn: %s %s, epost: kontakt@%s.example}\n",
          FIRST_NAMES[next(&r) % 12], LAST_NAMES[next(&r) % 9], a->id);
  static const char *const PLAN[] = {"antagen", "under-arbete", "saknas"};
  if (chance(&r, 85)) {
    put_fmt(&t, "styrdokument:\n  status: %s\n", PLAN[next(&r) % 3]);
    if (chance(&r, 70)) {
      put_str(&t, "  beskrivning: |\n");
      markdown(&r, &t, "    ", pick(&r, 150, 500));
    }
  }
  put_str(&t, "aktiviteter:\n");
  static const char *const STATUS[] = {"planerad", "pågående", "genomförd", "avbruten"};
  for (size_t j = 0; j < pl->activities; j++) {
    put_str(&t, "  - rubrik: ");
    heading(&r, &t, pick(&r, 40, 80));
    /* Round robin over all targets for the first, so every goal and
     * sub-goal is used; up to two random extra ones. */
    size_t first = (index * pl->activities + j) % target_count;
    put_fmt(&t, "\n    mål: [\"%s\"", targets[first].id);
    size_t extra = pick(&r, 0, 2);
    for (size_t e = 0; e < extra; e++) {
      size_t other = next(&r) % target_count;
      if (other != first) put_fmt(&t, ", \"%s\"", targets[other].id);
    }
    uint64_t s = next(&r) % 100;
    put_fmt(&t, "]\n    status: %s\n", STATUS[s < 15 ? 0 : s < 60 ? 1 : s < 95 ? 2 : 3]);
    put_str(&t, "    beskrivning: |\n");
    markdown(&r, &t, "      ", pick(&r, 300, 1500));
    if (chance(&r, 40)) {
      size_t n = pick(&r, 1, 2), first_area = next(&r) % AREAS;
      put_fmt(&t, "    områden: [%s", AREA_IDS[first_area]);
      if (n == 2) put_fmt(&t, ", %s", AREA_IDS[(first_area + 1) % AREAS]);
      put_str(&t, "]\n");
    }
    if (chance(&r, 35)) {
      size_t n = pick(&r, 1, 3);
      put_str(&t, "    samverkan: [");
      for (size_t k = 0; k < n; k++)
        put_fmt(&t, "%s%s", k ? ", " : "", actors[next(&r) % pl->registered].id);
      put_str(&t, "]\n");
    }
    if (chance(&r, 30)) {
      put_str(&t, "    målgrupp: ");
      heading(&r, &t, pick(&r, 10, 40));
      put_str(&t, "\n");
    }
    if (chance(&r, 5)) put_str(&t, "    intern: true\n");
  }
  optional_prose(&r, &t, "framgångsfaktorer", 60);
  optional_prose(&r, &t, "utmaningar", 60);
  optional_prose(&r, &t, "behov", 40);
  write_file(path, &t);
  free(t.data);
}

static void write_texts(const plan *pl, int year, const char *path) {
  rng r = rng_for(pl->seed, (uint64_t)year, 0);
  text t = {0};
  put_fmt(&t, "titel: Regional lägesrapport %d\ndatum: April %d\n", year, year + 1);
  put_str(&t, "inledning: |\n");
  markdown(&r, &t, "  ", 2000);
  put_str(&t, "resurser: |\n");
  markdown(&r, &t, "  ", 1200);
  put_str(&t, "analys:\n");
  for (size_t g = 0; g < GOALS; g++) {
    put_fmt(&t, "  \"%zu\": |\n", g + 1);
    markdown(&r, &t, "    ", pick(&r, 600, 1500));
  }
  put_str(&t, "avslutning: |\n");
  markdown(&r, &t, "  ", 800);
  put_str(&t, "undertecknare:\n"
            "  - {namn: Åsa Öberg, titel: Länsråd, organisation: Länsstyrelsen i Syntetiskt län}\n"
            "  - {namn: Lars Nilsson, titel: Utvecklingsledare, organisation: Länsstyrelsen i "
            "Syntetiskt län}\n");
  write_file(path, &t);
  free(t.data);
}

static int usage(void) {
  fputs("Användning: generate [--seed N] [--years K] [--first-year ÅR]\n"
        "                    (county|national|stress|small | --actors N --activities M) MAPP\n"
        "\n"
        "Skriver ett giltigt syntetiskt projekt i MAPP (skapas vid behov):\n"
        "  county    40 aktörer × 8 aktiviteter\n"
        "  national  400 aktörer × 25 aktiviteter (10 000 per år)\n"
        "  stress    4 000 aktörer × 25 aktiviteter (10 × national)\n"
        "  small     4 aktörer × 3 aktiviteter (för testsviten)\n"
        "Standard: --seed 1 --years 2 --first-year 2020.\n",
        stderr);
  return 2;
}

static bool parse_size(const char *s, size_t max, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || v == 0 || v > max) return false;
  *out = (size_t)v;
  return true;
}

int main(int argc, char **argv) {
  plan pl = {.seed = 1, .years = 2, .first_year = 2020};
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    size_t v;
    /* A size word is a size only once, so "stress stress" is a folder. */
    bool sized = pl.actors != 0;
    if (!sized && strcmp(a, "county") == 0) pl.actors = 40, pl.activities = 8;
    else if (!sized && strcmp(a, "national") == 0) pl.actors = 400, pl.activities = 25;
    else if (!sized && strcmp(a, "stress") == 0) pl.actors = 4000, pl.activities = 25;
    else if (!sized && strcmp(a, "small") == 0) pl.actors = 4, pl.activities = 3;
    else if (i + 1 < argc && strcmp(a, "--actors") == 0 && parse_size(argv[++i], 100000, &v)) pl.actors = v;
    else if (i + 1 < argc && strcmp(a, "--activities") == 0 && parse_size(argv[++i], 10000, &v)) pl.activities = v;
    else if (i + 1 < argc && strcmp(a, "--years") == 0 && parse_size(argv[++i], 50, &v)) pl.years = (int)v;
    else if (i + 1 < argc && strcmp(a, "--first-year") == 0 && parse_size(argv[++i], 2900, &v) && v >= 1950) pl.first_year = (int)v;
    else if (i + 1 < argc && strcmp(a, "--seed") == 0 && parse_size(argv[++i], UINT32_MAX, &v)) pl.seed = v;
    else if (a[0] != '-' && !dir) dir = a;
    else return usage();
  }
  if (!dir || !pl.actors || !pl.activities) return usage();
  /* One actor in forty is registered but never answers, as in real years. */
  pl.registered = pl.actors + pl.actors / 40;

  actor *actors = calloc(pl.registered, sizeof *actors);
  target targets[64];
  if (!actors) return 2;
  size_t target_count = targets_of(targets);
  make_actors(&pl, actors);

  make_dir(dir);
  write_config(dir);
  write_strategy(&pl, dir);
  write_registry(&pl, actors, dir);
  char path[4096];
  for (int y = pl.first_year; y < pl.first_year + pl.years; y++) {
    snprintf(path, sizeof path, "%s/%d", dir, y);
    make_dir(path);
    snprintf(path, sizeof path, "%s/%d/yttranden", dir, y);
    make_dir(path);
    for (size_t i = 0; i < pl.actors; i++) {
      snprintf(path, sizeof path, "%s/%d/yttranden/%s.yaml", dir, y, actors[i].id);
      write_statement(&pl, actors, targets, target_count, y, i, path);
    }
    snprintf(path, sizeof path, "%s/%d/rapport.yaml", dir, y);
    write_texts(&pl, y, path);
  }
  free(actors);
  return 0;
}
