# Bash completion for lagesrapport: commands, flags, the project's years and
# its actors' ids. Installed as <prefix>/share/bash-completion/completions/
# lagesrapport, where bash-completion loads it on first use.
#
# It asks the program for every word rather than keeping lists of its own:
# the hidden `__complete` command prints the commands, a command's flags and
# a flag's values from the very tables the program parses its arguments by,
# and the project's years and actor ids, finding the project as every
# command does.

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

  # Files and folders are the shell's to list: export writes a file, the
  # other commands' --out is a folder.
  if [[ $cmd == export && ($prev == -o || $prev == --out) ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  if [[ $prev == -C || $prev == --out ]]; then
    COMPREPLY=($(compgen -d -- "$cur"))
    return
  fi

  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "-C --help --version" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "help $(_lagesrapport_words __complete commands)" -- "$cur"))
    fi
    return
  fi

  if [[ $cmd == help ]]; then
    COMPREPLY=($(compgen -W "$(_lagesrapport_words __complete commands)" -- "$cur"))
    return
  fi

  # After a flag that takes a value the program lists the values it knows
  # (formats, actor ids; none for a URL); it answers 1 for a switch, after
  # which years and flags follow as anywhere else. A comma list ("md,html",
  # "aneby,habo") is completed item by item.
  local values
  if [[ $prev == --* ]] && values=$(_lagesrapport_words __complete values "$cmd" "$prev"); then
    _lagesrapport_list "$cur" $values
    return
  fi

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_lagesrapport_words __complete flags "$cmd")" -- "$cur"))
  elif [[ $cmd == init ]]; then
    COMPREPLY=($(compgen -d -- "$cur")) # the new project's folder
  else
    COMPREPLY=($(compgen -W "$(_lagesrapport_words __complete years)" -- "$cur"))
  fi
}
complete -F _lagesrapport lagesrapport
