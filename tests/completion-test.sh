#!/bin/bash
# completion-test.sh PMEMMAP [SCRIPT] - the bash completion, sourced into
# a plain bash (no bash-completion package needed) and called as bash calls
# it, with COMP_WORDS and COMP_CWORD, for the binary PMEMMAP. What it
# offers is checked against sources it does not read itself: the usage
# lines of --help (commands), the options doc-check takes from --help, and
# the writer table in analyzer/writers.c (formats).
# SCRIPT defaults to completion/pmemmap.bash; the package test passes the
# installed one.
set -u
BIN=$1
SRC=${PMEMMAP_SRC:-$(pwd)}
SCRIPT=${2:-$SRC/completion/pmemmap.bash}
pass=0 fail=0
# shellcheck source=../completion/pmemmap.bash
source "$SCRIPT"
declare -F _pmemmap >/dev/null || { echo "FAIL: $SCRIPT defines no _pmemmap"; exit 1; }
complete -p pmemmap 2>/dev/null | grep -q -- '-F _pmemmap pmemmap' || { echo "FAIL: $SCRIPT does not register _pmemmap for pmemmap"; exit 1; }

# offer WORD... : what the completion offers for the last word, sorted, one line
offer() {
	COMP_WORDS=("$BIN" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_pmemmap 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
}
same() { # name got want
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: offered [$2], want [$3]"; fi
}
has() { # name got word... : every word offered
	local w
	for w in "${@:3}"; do
		if [[ " $2 " == *" $w "* ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: [$2] lacks $w"; fi
	done
}
lacks() { # name got word... : none of them offered
	local w
	for w in "${@:3}"; do
		if [[ " $2 " != *" $w "* ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: [$2] offers $w"; fi
	done
}

help=$("$BIN" --help)
# commands: the words after "pmemmap" in the usage lines
want_cmds=$(sed -n 's/^\(usage:\)\{0,1\} *pmemmap \([a-z][a-z]*\).*/\2/p' <<<"$help" | sort -u | tr '\n' ' ' | sed 's/ $//')
same "commands" "$(offer "")" "$want_cmds"
has "commands" "$want_cmds" extract analyze batch merge rules
same "commands starting a" "$(offer a)" "analyze"
same "sub-command of rules" "$(offer rules "")" "check"

# formats: the names of analyzer/writers.c's table
want_fmts=$(sed -n 's/^\t{ "\([a-z]*\)", .*_write.*/\1/p' "$SRC/analyzer/writers.c" | sort | tr '\n' ' ' | sed 's/ $//')
has "writer table" "$want_fmts" html md json
same "formats after -f" "$(offer analyze -f "")" "$want_fmts"
same "formats after --format, before the command" "$(offer --format "")" "$want_fmts"
same "formats after --format= (bash splits at =)" "$(offer analyze --format = "")" "$want_fmts"
same "formats after --format=j" "$(offer analyze --format = j)" "json"
same "formats after -f m" "$(offer analyze -f m)" "md"

# --color: the words of its table in analyzer/cli.c
want_when=$(grep -o 'when\[\] = {[^}]*}' "$SRC/analyzer/cli.c" | grep -o '"[a-z]*"' | tr -d '"' | sort | tr '\n' ' ' | sed 's/ $//')
has "--color table" "$want_when" auto always never
same "values of --color" "$(offer analyze --color "")" "$want_when"
same "values of --color=a" "$(offer analyze --color = a)" "always auto"

# options of analyze: every option --help lists, but those of other commands only
all_opts=$(sed -n 's/^  \(-[^ ].*[^ ]\)  \+[a-z].*/\1/p' <<<"$help" | sed 's/=.*//; s/ [A-Z][A-Z]*$//; s/, / /' | tr '\n' ' ')
read -ra all_opts <<<"$all_opts"
an=$(offer analyze --)
has "options of analyze" "$an" --format --output --rules --stats --quiet --no-isal --max-ratio --max-facts
lacks "options of analyze" "$an" --jobs --resume --timeout
ba=$(offer batch --)
has "options of batch" "$ba" --jobs --resume --timeout --output --rules
lacks "options of batch" "$ba" --format
none=$(offer -)
for o in "${all_opts[@]}"; do
	if [[ " $none " == *" $o "* ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: option $o of --help is not offered before a command"; fi
done
has "short options of analyze" "$(offer analyze -)" -o -f -q -h -V
same "an option's value is not a command" "$(offer -j 4 batch --res)" "--resume"
same "options after --format=md" "$(offer --format = md analyze --st)" "--stats"
same "a command after --format=md" "$(offer --format = md a)" "analyze"
same "a number takes no completion" "$(offer analyze --max-ratio "")" ""
same "nor does a count" "$(offer batch --jobs "")" ""
same "nor a time" "$(offer batch --timeout = "")" ""

# file and folder values, in a scratch folder
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rulesdir" "$tmp/out dir"
: >"$tmp/bundle.tgz"
same "--rules takes a folder" "$(offer analyze --rules "$tmp/")" "$tmp/out dir $tmp/rulesdir"
same "analyze takes files" "$(offer analyze "$tmp/b")" "$tmp/bundle.tgz"
same "batch -o takes a folder" "$(offer batch -o "$tmp/")" "$tmp/out dir $tmp/rulesdir"
same "rules check takes a folder" "$(offer rules check "$tmp/")" "$tmp/out dir $tmp/rulesdir"

echo "completion: $pass passed, $fail failed"
[ "$fail" = 0 ]
