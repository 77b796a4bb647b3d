#!/usr/bin/env bash
# The shell part of the CI recipes in docs/ci.md, kept here so that GitHub
# Actions, GitLab CI and the test suite (tests/diff_test.py) run exactly the
# same commands. Run it in the root of the git repository holding the data.
#
# Användning:
#   ci-steps.sh check                 kontrollera strategin, aktörerna och alla år
#   ci-steps.sh diff [FÖRRA DETTA]    skillnaderna som Markdown (standard: de två senaste åren)
#   ci-steps.sh reports [ÅR ...]      bygg om rapporterna och misslyckas om de incheckade
#                                     i utdatamappen är inaktuella (standard: åren som finns
#                                     där, annars det senaste året)
#
# Miljövariabler:
#   LAGESRAPPORT  programmet (standard: build/lagesrapport bredvid det här skriptet,
#                 annars lagesrapport i PATH)
#   LR_PROJECT    projektmappen, med lagesrapport.yaml (standard: .)
#   LR_OUT        utdatamappen som rapporterna är incheckade i (standard: utdata: ur
#                 projektets lagesrapport.yaml, annars out)
#   LR_SUMMARY    fil som jämförelsen läggs till i (standard: $GITHUB_STEP_SUMMARY om den
#                 finns, annars standard ut)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=${LR_PROJECT:-.}

fail() {
  echo "ci-steps: fel: $*" >&2
  exit 1
}

tool() {
  if [ -n "${LAGESRAPPORT:-}" ]; then
    echo "$LAGESRAPPORT"
  elif [ -x "$here/../build/lagesrapport" ]; then
    echo "$here/../build/lagesrapport"
  elif command -v lagesrapport >/dev/null; then
    command -v lagesrapport
  else
    fail "hittar inte lagesrapport; kör ./bootstrap eller sätt LAGESRAPPORT"
  fi
}

# One "key: value" line of a flat YAML file, without quotes or a comment.
config_value() {
  [ -f "$1" ] || return 0
  sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1 | sed 's/[[:space:]]#.*$//' | tr -d "\"'"
}

# The project directory itself, following a root file that holds only
# "projekt: <dir>", as the program does.
project_dir() {
  local redirect
  redirect=$(config_value "$project/lagesrapport.yaml" projekt)
  if [ -n "$redirect" ]; then echo "$project/$redirect"; else echo "$project"; fi
}

out_dir() {
  if [ -n "${LR_OUT:-}" ]; then
    echo "${LR_OUT%/}"
    return
  fi
  local dir out
  dir=$(project_dir)
  out=$(config_value "$dir/lagesrapport.yaml" utdata)
  echo "$dir/${out:-out}" | sed 's|/$||; s|^\./||'
}

# Years that have statements, ascending.
years() {
  local d
  for d in "$(project_dir)"/[12][0-9][0-9][0-9]/yttranden; do
    [ -d "$d" ] && basename "$(dirname "$d")"
  done
  return 0
}

step_check() {
  local bin
  bin=$(tool)
  "$bin" -C "$project" check
}

step_diff() {
  local bin last this status=0 summary=${LR_SUMMARY:-${GITHUB_STEP_SUMMARY:-/dev/stdout}}
  bin=$(tool)
  if [ $# -ge 2 ]; then
    last=$1 this=$2
  else
    local all
    all=$(years | tail -n 2)
    if [ "$(echo "$all" | grep -c .)" -lt 2 ]; then
      echo "Bara ett år med yttranden – inget att jämföra." >>"$summary"
      return 0
    fi
    last=$(echo "$all" | head -n 1) this=$(echo "$all" | tail -n 1)
  fi
  # diff exits 1 when the years differ, which is the expected case here;
  # only 2 (no data, invalid data) fails the step.
  "$bin" -C "$project" diff "$last" "$this" --format md >>"$summary" || status=$?
  [ "$status" -le 1 ] || fail "lagesrapport diff $last $this misslyckades (slutkod $status)"
}

# The commands that rebuild the given years, as one line to paste: build
# takes one year at a time.
rebuild_command() {
  local y line="" where=""
  [ "$project" = "." ] || where=" -C $project"
  for y in "$@"; do
    line="${line:+$line && }lagesrapport$where build $y"
  done
  echo "$line"
}

step_reports() {
  local bin out status=0 y
  bin=$(tool)
  out=$(out_dir)
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || fail "$(pwd) är inte ett git-arkiv"
  local built=("$@")
  if [ ${#built[@]} -eq 0 ]; then
    mapfile -t built < <(git ls-files -- "$out" | sed -n "s|^$out/\([12][0-9][0-9][0-9]\)/.*|\1|p" | sort -u)
    [ ${#built[@]} -gt 0 ] || mapfile -t built < <(years | tail -n 1)
  fi
  [ ${#built[@]} -gt 0 ] || fail "det finns inga år att bygga"
  if git check-ignore -q "$out/"; then
    fail "$out är undantagen i .gitignore, så inaktuella rapporter kan inte upptäckas; checka in rapporterna"
  fi
  for y in "${built[@]}"; do
    echo "==> lagesrapport build $y"
    "$bin" -C "$project" build "$y"
  done
  # git diff sees changed and removed reports; a report that is new (an
  # actor that answered for the first time) is an untracked file.
  git diff --exit-code --stat -- "$out" || status=1
  local untracked
  untracked=$(git ls-files --others --exclude-standard -- "$out")
  if [ -n "$untracked" ]; then
    echo "Nya filer som inte är incheckade:"
    while IFS= read -r f; do echo "  $f"; done <<<"$untracked"
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    fail "de incheckade rapporterna i $out/ är inaktuella; kör \"$(rebuild_command "${built[@]}")\" och checka in $out/"
  fi
  echo "Rapporterna i $out/ är aktuella (${built[*]})."
}

case "${1:-}" in
  check) shift; step_check "$@" ;;
  diff) shift; step_diff "$@" ;;
  reports) shift; step_reports "$@" ;;
  *)
    sed -n '6,11s/^# \{0,1\}//p' "$0" >&2
    exit 2
    ;;
esac
