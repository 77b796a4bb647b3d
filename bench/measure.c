/* Runs one command and appends "wall_seconds peak_rss_kib exit_status
 * cpu_seconds" to a result file: wall time from a monotonic clock, peak
 * memory and CPU time (user and system, all threads) from wait4's rusage. bench/run uses it instead of /usr/bin/time, which
 * Debian ships only in a package of its own and which rounds wall time
 * to 10 ms. */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fputs("Användning: measure RESULTATFIL KOMMANDO [ARGUMENT ...]\n", stderr);
    return 2;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double wall = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE *f = fopen(argv[1], "a");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  /* ru_maxrss is in KiB on Linux. */
  double cpu = (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  fprintf(f, "%.6f %ld %d %.6f\n", wall, usage.ru_maxrss, code, cpu);
  fclose(f);
  return code;
}
