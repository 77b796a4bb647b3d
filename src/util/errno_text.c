/* What a failed system call says, in the user's language: a file error is
 * shown to an officer, not to a programmer, and strerror(3) speaks English
 * under the C locale the program runs in. */
#include "util/util.h"

#include <errno.h>
#include <string.h>

const char *lr_errno_text(int error) {
  switch (error) {
  case EACCES:
  case EPERM: return "du saknar behörighet";
  case ENOENT: return "filen eller mappen finns inte";
  case ENOTDIR: return "en del av sökvägen är ingen mapp";
  case EISDIR: return "det är en mapp";
  case EEXIST: return "det finns redan";
  case EROFS: return "filsystemet är skrivskyddat";
  case ENOSPC: return "disken är full";
  case EDQUOT: return "diskkvoten är slut";
  case ENAMETOOLONG: return "namnet är för långt";
  case ELOOP: return "för många symboliska länkar";
  case EIO: return "in- eller utmatningsfel";
  default: return strerror(error);
  }
}
