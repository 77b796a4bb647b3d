/* Secrets for the SMTP login that never sit in a setting: what a command
 * the officer names prints (an OAuth2 token helper, a password manager),
 * run once per sending run and without a shell, like msmtp's passwordeval
 * or git's credential helpers. The secret lives in this process's memory
 * only: never on its argv or in its environment, where `ps` would show
 * it, never in a diagnostic, and it is wiped once the run is over. */
#include "mail/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum {
  SECRET_MAX = 64 * 1024, /* an Entra ID token is a few kilobytes */
  COMMAND_SECONDS = 60,   /* a helper that asks the network, not a person */
};

void lr_secret_wipe(lr_buf *secret) {
  /* volatile: a store to memory about to be freed may otherwise go. */
  volatile char *p = secret->data;
  for (size_t i = 0; p && i < secret->cap; i++) p[i] = 0;
  lr_buf_free(secret);
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reads the child's whole output into secret, which never grows by
 * realloc (that would leave copies behind in freed memory). Returns
 * false when it is too long or the command takes too long. */
static bool read_output(int fd, lr_buf *secret, bool *too_long) {
  long long deadline = now_ms() + COMMAND_SECONDS * 1000LL;
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) return false;
    struct pollfd pfd = {fd, POLLIN, 0};
    int ready = poll(&pfd, 1, (int)left);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    if (secret->len == SECRET_MAX) {
      *too_long = true;
      return false;
    }
    ssize_t n = read(fd, secret->data + secret->len, SECRET_MAX - secret->len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n == 0;
    secret->len += (size_t)n;
  }
}

/* "tokenkommandot "./hamta-token.sh" <what went wrong>". */
static lr_diag *failed(lr_arena *arena, lr_diag_list *diags, const char *what,
                       const char *program, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static lr_diag *failed(lr_arena *arena, lr_diag_list *diags, const char *what,
                       const char *program, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *detail = lr_arena_vprintf(arena, fmt, ap);
  va_end(ap);
  return lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "%s \"%s\" %s", what, program, detail);
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The diagnostics name the program, never the rest of the command line:
 * a careless one may carry a client secret. */
bool lr_secret_from_command(const char *what, const char *command, const char *dir,
                            bool is_token, lr_buf *secret, lr_diag_list *diags) {
  lr_arena *arena = lr_arena_new();
  const char **words;
  size_t count;
  const char *problem;
  if (!lr_command_split(arena, command, &words, &count, &problem)) {
    lr_diag *d = lr_diag_add(diags, LR_ERROR, (lr_loc){0}, "%s går inte att tolka: %s", what,
                             problem);
    lr_diag_hint(diags, d, "kommandot körs utan skal; se \"Kommandon\" i docs/epost.md");
    lr_arena_free(arena);
    return false;
  }
  const char *program = words[0];
  /* A relative path in lagesrapport.yaml means the project's file, from
   * wherever the command is run. */
  if (dir && strchr(program, '/') && program[0] != '/') program = lr_path_join(arena, dir, program);

  int fds[2];
  if (pipe(fds) != 0) {
    failed(arena, diags, what, words[0], "kunde inte startas: %s", strerror(errno));
    lr_arena_free(arena);
    return false;
  }
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  /* No terminal to wait on: a helper that would ask for input fails at once. */
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  pid_t pid;
  int rc = posix_spawnp(&pid, program, &actions, NULL, (char *const *)words, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    lr_diag *d = rc == ENOENT
                     ? failed(arena, diags, what, words[0], "finns inte")
                     : failed(arena, diags, what, words[0], "kunde inte startas: %s", strerror(rc));
    lr_diag_hint(diags, d, "ange programmet med hela sökvägen eller som det heter i PATH");
    lr_arena_free(arena);
    return false;
  }

  lr_buf_reserve(secret, SECRET_MAX + 1);
  bool too_long = false;
  bool read_all = read_output(fds[0], secret, &too_long);
  close(fds[0]);
  if (!read_all) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  bool ok = false;
  lr_diag *d = NULL;
  const char *hint = lr_arena_printf(
      arena, "kommandot ska skriva %s på standard ut och sluta med slutkod 0",
      is_token ? "en token" : "lösenordet");
  if (!read_all) {
    d = too_long ? failed(arena, diags, what, words[0], "skrev för mycket (mer än 64 kB)")
                 : failed(arena, diags, what, words[0], "blev inte klart inom en minut och avbröts");
  } else if (WIFSIGNALED(status)) {
    d = failed(arena, diags, what, words[0], "avbröts av signal %d", WTERMSIG(status));
  } else if (WEXITSTATUS(status) != 0) {
    d = failed(arena, diags, what, words[0], "misslyckades med slutkod %d", WEXITSTATUS(status));
    hint = "kör kommandot själv för att se vad det säger";
  } else {
    /* A token is one word; a password is the line as printed, spaces and
     * all, without the line end that every tool adds. */
    size_t start = 0, end = secret->len;
    if (is_token) {
      while (start < end && is_blank(secret->data[start])) start++;
      while (end > start && is_blank(secret->data[end - 1])) end--;
    } else {
      if (end && secret->data[end - 1] == '\n') end--;
      if (end && secret->data[end - 1] == '\r') end--;
    }
    bool clean = true;
    for (size_t i = start; i < end; i++) {
      unsigned char c = (unsigned char)secret->data[i];
      if (c < 0x20 || c == 0x7f || (is_token && c == ' ')) clean = false;
    }
    if (start == end) {
      d = failed(arena, diags, what, words[0], "skrev ingenting");
    } else if (!clean) {
      d = failed(arena, diags, what, words[0], "skrev mer än %s",
                 is_token ? "ett ord (en token är en enda rad utan mellanslag)" : "en rad");
    } else {
      memmove(secret->data, secret->data + start, end - start);
      memset(secret->data + (end - start), 0, secret->len - (end - start));
      secret->len = end - start;
      secret->data[secret->len] = '\0';
      ok = true;
    }
  }
  if (d) lr_diag_hint(diags, d, "%s", hint);
  if (!ok) lr_secret_wipe(secret);
  lr_arena_free(arena);
  return ok;
}
