/* The process-wide state the library leans on: libcurl's. Its global
 * initialisation is not thread-safe, so a program calls lr_global_init once
 * before any other thread exists (the loader starts threads), and nothing
 * in the library calls it on its own. */
#include "mail/mail.h"

#include <curl/curl.h>

bool lr_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }

void lr_global_cleanup(void) { curl_global_cleanup(); }
