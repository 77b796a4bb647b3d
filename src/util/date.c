/* Calendar dates: the one place that knows month lengths, leap years,
 * month names and how a date counts from the epoch, for the loader's check
 * of "inkom", the workbook's creation time and the mail's dates. */
#include "util/util.h"

static bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool lr_date_is_valid(int year, int month, int day) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month >= 1 && month <= 12 && day >= 1 &&
         day <= days[month - 1] + (month == 2 && is_leap(year));
}

int lr_date_compare(lr_date a, lr_date b) {
  if (a.year != b.year) return a.year < b.year ? -1 : 1;
  if (a.month != b.month) return a.month < b.month ? -1 : 1;
  return (a.day > b.day) - (a.day < b.day);
}

/* Computed rather than taken from timegm(), which C11 and POSIX lack, and
 * not from mktime(), which depends on the time zone. */
long long lr_date_days(lr_date date) {
  long long y = date.year - (date.month <= 2);
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

const char *lr_date_text(lr_arena *arena, lr_date date) {
  return date.year ? lr_arena_printf(arena, "%04d-%02d-%02d", date.year, date.month, date.day)
                   : NULL;
}

const char *lr_date_words(lr_arena *arena, lr_date date) {
  static const char *const months[] = {"januari", "februari", "mars",     "april",
                                       "maj",     "juni",     "juli",     "augusti",
                                       "september", "oktober", "november", "december"};
  return date.year ? lr_arena_printf(arena, "%d %s %d", date.day, months[date.month - 1], date.year)
                   : NULL;
}

/* The inverse of lr_date_days, by the same eras of 400 years. */
lr_date lr_date_of(long long seconds) {
  long long z = seconds / 86400 + 719468;
  long long era = z / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  int day = (int)(doy - (153 * mp + 2) / 5 + 1);
  int month = (int)(mp < 10 ? mp + 3 : mp - 9);
  return (lr_date){(int)(yoe + era * 400 + (month <= 2)), month, day};
}
