/* The operating system's error numbers in Swedish. lr_errno_text(3) is English
 * without a locale, and the command line sets none: every message that
 * names a failed system call takes its reason from here. */
#include "util/util.h"

#include <errno.h>

const char *lr_errno_text(int error) {
  switch (error) {
  case ENOENT: return "filen eller mappen finns inte";
  case ENOTDIR: return "en del av sökvägen är inte en mapp";
  case EISDIR: return "det är en mapp, inte en fil";
  case EACCES:
  case EPERM: return "behörighet saknas";
  case EEXIST: return "det finns redan";
  case ENOTEMPTY: return "mappen är inte tom";
  case ELOOP: return "för många länkar i rad (en slinga?)";
  case ENAMETOOLONG: return "namnet är för långt";
  case ENOSPC: return "disken är full";
#ifdef EDQUOT
  case EDQUOT: return "diskkvoten är slut";
#endif
  case EROFS: return "filsystemet är skrivskyddat";
  case EIO: return "in- eller utmatningsfel på disken";
  case EMFILE:
  case ENFILE: return "för många öppna filer";
  case ENOMEM: return "minnet räcker inte";
  case EBUSY: return "resursen är upptagen";
  case EXDEV: return "det går inte att flytta mellan olika filsystem";
  case EPIPE: return "mottagaren har stängt";
  case EAGAIN: return "resursen är tillfälligt otillgänglig";
  case EINTR: return "avbrutet";
  case EINVAL: return "ogiltigt argument";
  case EBADF: return "ogiltig filreferens";
  case ETXTBSY: return "filen används";
  case EFBIG: return "filen är för stor";
  case ECONNREFUSED: return "anslutningen nekades";
  case ETIMEDOUT: return "tidsgränsen gick ut";
  case 0: return "okänt fel";
  default: return "systemfel";
  }
}
