# Bash completion for lagesrapport: commands, flags, the project's years and
# its actors' ids. Installed as <prefix>/share/bash-completion/completions/
# lagesrapport, where bash-completion loads it on first use.
#
# It asks the program for every word rather than keeping lists of its own:
# commands and flags come from the help texts, years and actor ids from the
# hidden `__complete` command, which finds the project as every command does.

# Words from the program the user is completing for; `prog` and `global` are
# the caller's locals (bash scopes them dynamically).
_lagesrapport_words() {
  "$prog" "${global[@]}" "$@" 2>/dev/null
}

# Completes the last item of a comma list ("aneby,v") from the words given,
# leaving out the items already in the list.
_lagesrapport_list() {
  local cur=$1 head="" w
  shift
  [[ $cur == *,* ]] && head=${cur%,*},
  local -a left=()
  for w in "$@"; do
    [[ ,$head == *,$w,* ]] || left+=("$w")
  done
  COMPREPLY=($(compgen -P "$head" -W "${left[*]}" -- "${cur##*,}"))
}

_lagesrapport() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD-1]}
  local prog=${COMP_WORDS[0]}
  local -a global=()
  local cmd="" i

  # "--flag=value" reaches us as "--flag" "=" "value" (COMP_WORDBREAKS has '=').
  if [[ $cur == = ]]; then
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cur=""
  elif [[ $prev == = ]]; then
    prev=${COMP_WORDS[COMP_CWORD-2]}
  fi

  # The command is the first word that is neither a global flag nor -C's folder.
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -C) global+=(-C "${COMP_WORDS[i+1]}"); ((i++)) ;;
      -C*) global+=("${COMP_WORDS[i]}") ;;
      -*) ;;
      *) cmd=${COMP_WORDS[i]}; break ;;
    esac
  done

  if [[ $prev == -C || $prev == --out ]]; then
    COMPREPLY=($(compgen -d -- "$cur"))
    return
  fi

  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "-C --help --version" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "help $(_lagesrapport_words --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')" -- "$cur"))
    fi
    return
  fi

  case $prev in
    --actor|--only)
      # A comma list: complete the id after the last comma.
      _lagesrapport_list "$cur" $(_lagesrapport_words __complete actors)
      return ;;
    --format)
      # The values as the usage line spells them: "--format text|json" or "md,html,xlsx".
      local values
      values=$(_lagesrapport_words help "$cmd" | sed -n 's/^Användning:.*--format \([^] ]*\).*/\1/p' | tr '|,' '  ')
      _lagesrapport_list "$cur" $values
      return ;;
    --smtp|--limit)
      return ;;
  esac

  if [[ $cmd == help ]]; then
    COMPREPLY=($(compgen -W "$(_lagesrapport_words --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_lagesrapport_words help "$cmd" | sed -n 's/^  \(--[a-z-]*\).*/\1/p' | sort -u) --help" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_lagesrapport_words __complete years)" -- "$cur"))
  fi
}
complete -F _lagesrapport lagesrapport
