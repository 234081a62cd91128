# bash completion for pmemmap                                 -*- shell-script -*-
#
# Installed as share/bash-completion/completions/pmemmap (make install, the
# Debian package). Nothing is listed here: the commands, the options and
# which command each belongs to are read from the --help of the pmemmap
# being completed (the one typed, build/pmemmap included), the values of an
# option that takes one of a list (--format, --color) from its own answer
# to an empty value, so the completion cannot drift from the binary
# (tests/completion-test.sh checks it against other sources).
#
#   Commands:                          "  NAME [SUB|SUB]   text"
#   Options: and Limits:               "  [-x, ]--name[ ARG|=ARG]   text"
#   an option whose text starts "batch: " or "batch, merge: " belongs to
#   those commands only; the others to every command.

# the pmemmap of the command line being completed
_pmemmap_bin()
{
	local b=${COMP_WORDS[0]}
	[[ $b == \~/* ]] && b=$HOME/${b#\~/}
	printf '%s' "$b"
}

# "NAME SUBS" per command, one a line ("rules check", "analyze")
_pmemmap_commands()
{
	"$(_pmemmap_bin)" --help 2>/dev/null | awk '
		/^[A-Z][a-z]*( [a-z(][^:]*)?:$/ { sect = $1; next }
		sect == "Commands:" && /^  [a-z]/ {
			subs = ($2 ~ /^[a-z][a-z|]*$/ && index($0, "  " $1 " " $2 "  ")) ? $2 : ""
			gsub(/\|/, " ", subs); print $1, subs }'
}

# "NAME ARG COMMANDS" per option, one a line: ARG is - when it takes no
# value, COMMANDS is - when it belongs to every command, else "batch,merge"
_pmemmap_options()
{
	"$(_pmemmap_bin)" --help 2>/dev/null | awk '
		/^[A-Z][a-z]*( [a-z(][^:]*)?:$/ { sect = $1; next }
		(sect == "Options:" || sect == "Limits") && /^  -/ {
			line = substr($0, 3); names = ""; arg = "-"
			while (match(line, /^-[A-Za-z0-9], /)) { names = names substr(line, 1, 2) " "; line = substr(line, RLENGTH + 1) }
			if (!match(line, /^--[a-z0-9-]+/)) next
			long = substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1)
			if (match(line, /^[ =][A-Z][A-Z_-]*/)) { arg = substr(line, 2, RLENGTH - 1); line = substr(line, RLENGTH + 1) }
			sub(/^ +/, "", line); cmds = "-"
			if (match(line, /^[a-z]+(, [a-z]+)*: /)) { cmds = substr(line, 1, RLENGTH - 2); gsub(/ /, "", cmds) }
			n = split(names long, all, " ")
			for (i = 1; i <= n; i++) print all[i], arg, cmds }'
}

# the values an option takes from a list, from the binary's own answer to
# an empty one: "--format takes html, md or json, not ''", "--color takes
# auto, always or never, not ''" (no input is named: nothing is read)
_pmemmap_values()
{
	"$(_pmemmap_bin)" analyze "$1" '' 2>&1 >/dev/null </dev/null |
		sed -n "s/.* takes \(.* or .*\), not ''.*/\1/p" | sed 's/,/ /g; s/ or / /g' |
		awk '{ for (i = 1; i <= NF; i++) if ($i !~ /^[a-z][a-z0-9-]*$/) exit; print }'
}

# COMPREPLY: the words of $1 that start with $cur
_pmemmap_words()
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

# COMPREPLY: the files (f) or folders (d) that start with $cur
_pmemmap_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen "-$1" -- "$cur")
}

_pmemmap()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' opt='' i w cmd='' sub='' nargs=0
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# "--format=md": bash splits at '=' (COMP_WORDBREAKS)
	if [[ $cur == = ]]; then
		opt=$prev cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} cur=${cur#*=}
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi

	local opts cmds
	opts=$(_pmemmap_options) cmds=$(_pmemmap_commands)

	# the command (and its sub-command) typed so far; skip option values
	local skip=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((skip)); then skip=0; continue; fi
		if [[ $w == = ]]; then skip=1; continue; fi # "--opt" "=" "value"
		[[ ${COMP_WORDS[i + 1]-} == = ]] && continue
		if [[ $w == -* ]]; then
			[[ $w != *=* ]] && awk -v o="$w" '$1 == o && $2 != "-" { f = 1 } END { exit !f }' <<<"$opts" && skip=1
			continue
		fi
		if [[ -z $cmd ]]; then
			cmd=$w
		elif [[ -z $sub ]] && awk -v c="$cmd" '$1 == c && NF > 1 { f = 1 } END { exit !f }' <<<"$cmds"; then
			sub=$w
		else
			nargs=$((nargs + 1))
		fi
	done

	# the value of an option
	if [[ -n $opt ]]; then
		local arg
		arg=$(awk -v o="$opt" '$1 == o { print $2; exit }' <<<"$opts")
		if [[ -n $arg && $arg != - ]]; then
			case $arg in
			DIR | OUTDIR) _pmemmap_files d ;;
			FILE) if [[ $cmd == batch || $cmd == merge ]]; then _pmemmap_files d; else _pmemmap_files f; fi ;;
			*) _pmemmap_words "$(_pmemmap_values "$opt")" ;; # FMT, WHEN, ...; none for a number
			esac
			return 0
		fi
	fi

	if [[ $cur == -* ]]; then
		_pmemmap_words "$(awk -v c="$cmd" '
			$3 == "-" || c == "" || index("," $3 ",", "," c ",") { print $1 }' <<<"$opts")"
		return 0
	fi
	if [[ -z $cmd ]]; then
		_pmemmap_words "$(awk '{ print $1 }' <<<"$cmds")"
		return 0
	fi
	local subs
	subs=$(awk -v c="$cmd" '$1 == c { $1 = ""; print; exit }' <<<"$cmds")
	if [[ -n ${subs// /} && -z $sub ]]; then
		_pmemmap_words "$subs"
		return 0
	fi
	case $cmd in
	rules) ((nargs == 0)) && _pmemmap_files d ;;
	merge) _pmemmap_files d ;;
	*) _pmemmap_files f ;;
	esac
	return 0
}
complete -F _pmemmap pmemmap
