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
for cmd in extract analyze batch merge "rules check" collect; do
	grep -qF -- "$cmd" "$MAN" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: man page lacks command $cmd"; }
done
# docs/sources.md, the table of where each fact comes from, against the
# rules and fixtures it names: every shipped rule is in it, every rule it
# names exists, a row that says "sample" has one in rule-samples.txt for
# one of its rules, and every fixture it names exists.
SOURCES="$SRC/docs/sources.md" SAMPLES="$SRC/tests/data/rule-samples.txt"
FIXB=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
rules=$(sed -n 's/^\[\([a-z0-9-]*\)\]$/\1/p' "$SRC"/rules/*.rules | sort -u)
sampled=$(sed -n 's/^rule: *//p' "$SAMPLES" | sort -u)
for r in $rules; do
	case $r in kind-*) continue ;; esac
	if grep -qF -- "\`$r\`" "$SOURCES"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: docs/sources.md does not name rule $r"; fi
done
for r in $sampled; do
	if grep -qx -- "$r" <<<"$rules"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: rule-samples.txt names unknown rule $r"; fi
done
while IFS=$'\t' read -r rulecol last; do
	names=$(grep -o '`[a-z0-9-]*`' <<<"$rulecol" | tr -d '`' | grep -v '^kind-' || true)
	for r in $names; do
		if grep -qx -- "$r" <<<"$rules"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: docs/sources.md names unknown rule $r"; fi
	done
	if ! grep -qE '(^| )(samples?|fixtures?)\b|`' <<<"$last"; then
		fail=$((fail + 1)); echo "FAIL: docs/sources.md row without a sample or fixture: $rulecol"
	fi
	if grep -q '^samples\?\b' <<<"$last" && [ -n "$names" ]; then
		hit=0
		for r in $names; do grep -qx -- "$r" <<<"$sampled" && hit=1; done
		if [ $hit = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: docs/sources.md says sample but rule-samples.txt has none for: $names"; fi
	fi
	while IFS= read -r f; do
		f=${f%…*}
		[[ $f == */* || $f == *.* ]] || continue	# a finding or test name, not a file
		case $f in
		.*) ok=x ;;	# an extension, as in "`.zip`"
		bundles/* | transcripts/* | ndctl/*) ok=$(compgen -G "$SRC/fixtures/$f*") ;;
		scenarios/*) ok=$(compgen -G "$FIXB/$f*") ;;
		*.tgz | *.zip | *.tar.*) ok=$(compgen -G "$FIXB/$f*") ;;
		*) ok=$(compgen -G "$SRC/fixtures/$f*") ;;
		esac
		if [ -n "$ok" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: docs/sources.md names missing fixture $f"; fi
	done < <(grep -o '`[^`]*`' <<<"$last" | tr -d '`' | sed 's,^fixtures/,,')
done < <(awk -F'|' '/^\| / && NF >= 8 && $2 !~ /^ *source *$/ && $2 !~ /^-/ { print $(NF-2) "\t" $(NF-1) }' "$SOURCES")
echo "docs: $pass passed, $fail failed"
[ $fail = 0 ]
