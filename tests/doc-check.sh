#!/bin/bash
# doc-check.sh PMEMMAP - --help, the man page and the README say the same
# things: every option, limit and exit status that --help prints is in the
# man page (word for word) and every exit status is in the README.
set -u
BIN=$1
SRC=${PMEMMAP_SRC:-$(pwd)}
MAN="$SRC/docs/pmemmap.1" README="$SRC/README.md"
pass=0 fail=0
help=$("$BIN" --help)
while IFS= read -r opt; do
	if grep -qF -- "$opt" "$MAN"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: man page lacks option: $opt"; fi
done < <(sed -n 's/^  \(-[^ ].*[^ ]\)  \+[a-z].*/\1/p' <<<"$help" | sed 's/=.*//')
while IFS= read -r line; do
	code=${line%% *} text=${line#*  }
	grep -qF -- "$text" "$MAN" || { fail=$((fail + 1)); echo "FAIL: man page lacks exit $code: $text"; continue; }
	grep -qF -- "| $code | $text |" "$README" || { fail=$((fail + 1)); echo "FAIL: README lacks exit $code: $text"; continue; }
	pass=$((pass + 1))
done < <(sed -n 's/^  \([0-9]\)  /\1  /p' <<<"$help")
# every limit's default, as --help prints it, is in the man page
while IFS= read -r def; do
	if grep -qF -- "$def" "$MAN"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: man page lacks $def"; fi
done < <(grep -o '(default [0-9]*)' <<<"$help")
for cmd in extract analyze batch merge "rules check"; do
	grep -qF -- "$cmd" "$MAN" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: man page lacks command $cmd"; }
done
echo "docs: $pass passed, $fail failed"
[ $fail = 0 ]
