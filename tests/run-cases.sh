#!/bin/bash
# run-cases.sh PMEMMAP - the command-line cases in tests/cases/*.case,
# run as a user would: arguments in, exit status and output checked.
#
# A case file holds blocks separated by blank lines:
#   name: what it shows
#   run: analyze --format json @S/fixtures/bundles/...    (@S source, @F packed fixtures, @T scratch,
#                                         @U a name unique to this run)
#   stdin: @F/file                       (optional; default /dev/null)
#   exit: 1
#   stdout: text that must appear        (repeatable; !stdout: must not appear)
#   text: text that must appear in stdout as Markdown reads it: with each
#         paragraph's wrapped lines joined again (repeatable; !text:)
#   stderr: text that must appear        (repeatable; !stderr: must not appear)
#   setup: shell command run first       (repeatable; @S @F @T as in run:)
#   check: shell command that must succeed afterwards (repeatable)
#          ($PMEMMAP_BIN is the binary under test, $OUT and $ERR its output)
# After all cases, every input file must be byte-identical and nothing new
# may have appeared among the inputs. PMEMMAP_CASES_FAILFAST=1 stops at the
# first failing case (make mutate: a mutant is killed by one failure).
set -u
BIN=$(realpath "$1")
export PMEMMAP_BIN=$BIN # setup: and check: lines may run it
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
SCRATCH=$(mktemp -d /tmp/pmemmap-cases.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
pass=0 fail=0

snapshot() { (cd "$SRC/fixtures" && find . -type f -print0 | sort -z | xargs -0 sha256sum;
	      cd "$FIX" && find . -type f -print0 | sort -z | xargs -0 sha256sum) 2>/dev/null; }
before=$(snapshot)

# @U: a name unique to this run (for paths outside @T, such as /dev/shm)
subst() { local s=$1; s=${s//@S/$SRC}; s=${s//@F/$FIX}; s=${s//@T/$SCRATCH}; s=${s//@U/${SCRATCH##*/}}; printf '%s' "$s"; }

run_case() {
	local name=$1 cmd=$2 want_exit=$3 checks=$4 in=${5:-/dev/null}
	cmd=$(subst "$cmd")
	in=${in//@S/$SRC}; in=${in//@F/$FIX}
	local out="$SCRATCH/out" err="$SCRATCH/err" ok=1 why=""
	while IFS= read -r c; do
		[ "${c%%:*}" = setup ] || continue
		bash -c "$(subst "${c#*: }")" >/dev/null 2>&1 || { ok=0; why="$why; setup failed: ${c#*: }"; }
	done <<<"$checks"
	# shellcheck disable=SC2086
	timeout 60 "$BIN" $cmd >"$out" 2>"$err" <"$in"
	local got=$?
	# a wrapped line goes on in the next line of its paragraph (after its
	# "> " or indent), one that starts no list item, table row, heading or
	# new paragraph: join them with one space
	perl -0pe 's/(?<!\n)\n(?:> | +)?(?![-|#\n]|\z)/ /g' "$out" >"$out.joined"
	if [ -n "$want_exit" ] && [ "$got" != "$want_exit" ]; then ok=0; why="exit $got, want $want_exit"; fi
	while IFS= read -r c; do
		[ -z "$c" ] && continue
		local kind=${c%%:*} text=${c#*: }
		case $kind in
		stdout) grep -qF -- "$text" "$out" || { ok=0; why="$why; stdout lacks [$text]"; } ;;
		'!stdout') grep -qF -- "$text" "$out" && { ok=0; why="$why; stdout has [$text]"; } ;;
		text) grep -qF -- "$text" "$out.joined" || { ok=0; why="$why; stdout (lines joined) lacks [$text]"; } ;;
		'!text') grep -qF -- "$text" "$out.joined" && { ok=0; why="$why; stdout (lines joined) has [$text]"; } ;;
		stderr) grep -qF -- "$text" "$err" || { ok=0; why="$why; stderr lacks [$text]"; } ;;
		'!stderr') grep -qF -- "$text" "$err" && { ok=0; why="$why; stderr has [$text]"; } ;;
		check) OUT="$out" ERR="$err" bash -c "$(subst "$text")" >/dev/null 2>&1 || { ok=0; why="$why; check failed: $text"; } ;;
		esac
	done <<<"$checks"
	if [ -n "${PMEMMAP_CASES_SAN:-}" ] && grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$err"; then
		ok=0; why="$why; sanitizer report"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: ${why#; }"
		sed 's/^/    stderr: /' "$err" | head -5
		[ -n "${PMEMMAP_CASES_FAILFAST:-}" ] && exit 1
	fi
}

# PMEMMAP_CASES_ORDER="exit hostile": these case files first, the rest after
# (tests/fast.sh puts the files most likely to notice a change first)
FILES=()
for first in ${PMEMMAP_CASES_ORDER:-}; do
	[ -f "$SRC/tests/cases/$first.case" ] && FILES+=("$SRC/tests/cases/$first.case")
done
for file in "$SRC"/tests/cases/*.case; do
	case " ${FILES[*]-} " in *" $file "*) ;; *) FILES+=("$file") ;; esac
done
for file in "${FILES[@]}"; do
	name="" cmd="" want="" checks="" stdin=""
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		'#'*) continue ;;
		'') [ -n "$cmd" ] && run_case "$name" "$cmd" "$want" "$checks" "$stdin"
		    name="" cmd="" want="" checks="" stdin="" ;;
		name:*) name=${line#name: } ;;
		run:*) cmd=${line#run: } ;;
		stdin:*) stdin=${line#stdin: } ;;
		exit:*) want=${line#exit: } ;;
		*) checks="$checks"$'\n'"$line" ;;
		esac
	done <"$file"
	[ -n "$cmd" ] && run_case "$name" "$cmd" "$want" "$checks" "$stdin"
done

after=$(snapshot)
if [ -c /dev/null ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: /dev/null is no longer a device"; fi
if [ "$before" != "$after" ]; then
	fail=$((fail + 1))
	echo "FAIL: inputs changed or files appeared among them during the cases"
	diff <(echo "$before") <(echo "$after") | head -10
else
	pass=$((pass + 1))
fi
echo "cases: $pass passed, $fail failed"
[ $fail = 0 ]
