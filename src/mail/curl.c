/* libcurl, opened when the first message is sent rather than when the
 * program starts. It brings two dozen libraries of its own (TLS, Kerberos,
 * LDAP, SSH …), and loading them was 10 ms of every run of every command
 * (two thirds of a county's `check`), while only sending mail needs them.
 * The program is still compiled against curl.h, so every call keeps its
 * declared type; only the addresses are looked up at run time. */
#include "mail/mail.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The shared object of Debian's libcurl4, and of every distribution that
 * ships libcurl 7.x or 8.x: the ABI has had soname 4 since 2006. */
#define LIBCURL "libcurl.so.4"

static lr_curl api;
static bool opened; /* and libcurl set up, until lr_global_cleanup */
static char failure[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* A function pointer from dlsym's void *, without the cast ISO C leaves
 * undefined. */
static bool look_up(void *lib, const char *name, void *fn, size_t size) {
  void *symbol = dlsym(lib, name);
  if (!symbol) {
    snprintf(failure, sizeof failure, "%s saknar %s", LIBCURL, name);
    return false;
  }
  memcpy(fn, &symbol, size);
  return true;
}

#define LOOK_UP(lib, field, name) look_up((lib), (name), &api.field, sizeof api.field)

static void open_curl(void) {
  void *lib = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *why = dlerror();
    snprintf(failure, sizeof failure, "%s", why ? why : LIBCURL);
    return;
  }
  bool found = LOOK_UP(lib, global_init, "curl_global_init") &&
               LOOK_UP(lib, global_cleanup, "curl_global_cleanup") &&
               LOOK_UP(lib, easy_init, "curl_easy_init") &&
               LOOK_UP(lib, easy_setopt, "curl_easy_setopt") &&
               LOOK_UP(lib, easy_perform, "curl_easy_perform") &&
               LOOK_UP(lib, easy_getinfo, "curl_easy_getinfo") &&
               LOOK_UP(lib, easy_cleanup, "curl_easy_cleanup") &&
               LOOK_UP(lib, easy_strerror, "curl_easy_strerror") &&
               LOOK_UP(lib, slist_append, "curl_slist_append") &&
               LOOK_UP(lib, slist_free_all, "curl_slist_free_all");
  /* libcurl's own set-up, once: since 7.84 it is thread-safe, and here
   * it is serialised by pthread_once in any case. */
  if (found && api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    snprintf(failure, sizeof failure, "libcurl kunde inte startas");
    found = false;
  }
  /* Failed, the library stays loaded: unloading it gains nothing. */
  opened = found;
}

const lr_curl *lr_curl_open(lr_diag_list *diags) {
  pthread_once(&once, open_curl);
  if (opened) return &api;
  if (diags) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0},
                             "e-post kan inte skickas: libcurl gick inte att läsa in (%s)", failure);
    lr_diag_hint(diags, d, "installera paketet libcurl4 (apt-get install libcurl4), eller "
                           "installera om lagesrapport så att det följer med");
  }
  return NULL;
}

void lr_global_cleanup(void) {
  if (opened) api.global_cleanup();
  opened = false;
}
