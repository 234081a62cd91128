#!/bin/bash
# hostile-limits.sh [--valgrind] PMEMMAP - every input of the hostile corpus
# (fixtures/hostile/make-corpus.sh, built into build/fixtures/hostile by
# `make fixtures`) must be analyzed in under 10 s of wall time and 64 MiB
# of peak RSS, bombs included, with default limits; the corpus must be
# unchanged afterwards (contents, types, modes, links) and outputs must be
# atomic: a complete report or nothing, never a temp file left behind,
# never a device or FIFO replaced by a plain file.
#
# Measured with GNU time (Debian package `time`) as `time -f '%e %M'`.
# Limits can be changed for slower machines: HOSTILE_MAX_SECS,
# HOSTILE_MAX_KB. A run that exceeds 60 s is killed and counted as a hang.
#
# --valgrind: run every input once under valgrind (memcheck, leaks, JIT off)
# instead; time and memory are then reported, not bounded, the kill comes
# after 900 s, and --max-total-bytes=32M keeps bombs to a minute or two.
set -u
VG=() KILL_AFTER=60 EXTRA=()
if [ "${1:-}" = --valgrind ]; then
	shift
	VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
	KILL_AFTER=900 EXTRA=(--max-total-bytes=32M)
	export PMEMMAP_NO_JIT=1
	command -v valgrind >/dev/null || { echo "hostile-limits: valgrind missing" >&2; exit 2; }
fi
BIN=${1:?usage: hostile-limits.sh [--valgrind] PMEMMAP}
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
CORPUS=$FIX/hostile
MAX_SECS=${HOSTILE_MAX_SECS:-10}
MAX_KB=${HOSTILE_MAX_KB:-65536}
TIME=/usr/bin/time
NOTES=$SRC/fixtures/transcripts/ticket-48213-notes.txt

[ -x "$TIME" ] || { echo "hostile-limits: $TIME missing (apt-get install time)" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "hostile-limits: no corpus in $CORPUS (make fixtures)" >&2; exit 2; }
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
SCRATCH=$(mktemp -d /tmp/pmemmap-limits.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
: >"$SCRATCH/empty-stdin"
pass=0 fail=0

# type, mode, size, link target and content hash of everything in the corpus
snapshot() {
	(cd "$CORPUS" && find . -printf '%y %m %s %p -> %l\n' | LC_ALL=C sort
	 cd "$CORPUS" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) 2>&1
}
before=$(snapshot)

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); FAILED+=("$1"); }
FAILED=()

printf '%-34s %-8s %5s %8s %8s  %s\n' input command exit 'wall s' 'RSS MiB' verdict
printf '%-34s %-8s %5s %8s %8s  %s\n' ---------------------------------- -------- ----- -------- -------- -------

# measure NAME LABEL CMD...: run under time with a 60 s kill, check bounds
# and the output folder; sets RC
measure() {
	local name=$1 label=$2
	shift 2
	local tf="$SCRATCH/time" out="$SCRATCH/out" why=""
	rm -rf "$out"; mkdir -p "$out"
	(cd "$out" && "$TIME" -f '%e %M' -o "$tf" timeout -s KILL $KILL_AFTER "${VG[@]}" "$@" \
		>"$SCRATCH/stdout" 2>"$SCRATCH/stderr" <"$SCRATCH/empty-stdin")
	RC=$(sed -n 's/^Command \(exited with non-zero status\|terminated by signal\) //p' "$tf" | tail -1)
	[ -n "$RC" ] || RC=0
	local last secs kb
	last=$(tail -1 "$tf")
	secs=${last% *}; kb=${last#* }
	case $RC in 9|124|137) RC=hang; why="killed after $KILL_AFTER s" ;; 99) why="valgrind error" ;; esac
	if [ ${#VG[@]} = 0 ]; then
		if awk -v s="$secs" -v m="$MAX_SECS" 'BEGIN { exit !(s + 0 >= m + 0) }'; then why="$why wall ${secs}s >= ${MAX_SECS}s"; fi
		if [ "${kb:-0}" -ge "$MAX_KB" ]; then why="$why RSS ${kb} KiB >= ${MAX_KB} KiB"; fi
	fi
	if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$SCRATCH/stderr"; then why="$why sanitizer report"; fi
	case $RC in 0|1|2|3|99) ;; hang) ;; *) why="$why exit $RC (crash?)" ;; esac
	# outputs: the report or nothing; never a temp file
	local left
	left=$(cd "$out" && find . -mindepth 1 ! -name report.html | head -3 | tr '\n' ' ')
	[ -z "$left" ] || why="$why left behind: $left"
	if [ -f "$out/report.html" ] && ! iconv -f UTF-8 -t UTF-8 "$out/report.html" >/dev/null 2>&1; then
		why="$why report is not valid UTF-8"
	fi
	local mib
	mib=$(awk -v k="${kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
	if [ -z "$why" ]; then
		ok
		printf '%-34s %-8s %5s %8s %8s  %s\n' "${name:0:34}" "$label" "$RC" "$secs" "$mib" ok
	else
		bad "$name: ${why# }"
		printf '%-34s %-8s %5s %8s %8s  %s\n' "${name:0:34}" "$label" "$RC" "$secs" "$mib" "FAIL:${why}"
		sed 's/^/        stderr: /' "$SCRATCH/stderr" | grep -v '^        stderr: *$' | cut -c1-200 | tail -3
	fi
}

# every input, as a user would run it: the whole pipeline, HTML report
for p in "$CORPUS"/*; do
	name=${p##*/}
	case $name in rules) continue ;; esac
	measure "$name" analyze "$BIN" analyze --quiet "${EXTRA[@]}" --format html -o report.html "$p"
done
# the same bombs through standard input
[ ${#VG[@]} = 0 ] && (cd "$SCRATCH" && "$TIME" -f '%e %M' -o "$SCRATCH/time-stdin" timeout -s KILL 60 "$BIN" extract --quiet - \
	<"$CORPUS/bomb-1k.tgz" >/dev/null 2>&1)
last=$(tail -1 "$SCRATCH/time-stdin" 2>/dev/null); secs=${last% *}; kb=${last#* }
if [ ${#VG[@]} != 0 ]; then
	:
elif [ "$kb" -lt "$MAX_KB" ] && awk -v s="$secs" -v m="$MAX_SECS" 'BEGIN { exit !(s + 0 < m + 0) }'; then
	ok; printf '%-34s %-8s %5s %8s %8s  %s\n' "bomb-1k.tgz (stdin)" extract - "$secs" "$((kb / 1024))" ok
else
	bad "bomb-1k.tgz on stdin: ${secs}s ${kb} KiB"
	printf '%-34s %-8s %5s %8s %8s  %s\n' "bomb-1k.tgz (stdin)" extract - "$secs" "$((kb / 1024))" FAIL
fi
# the hostile rule folders, checked and (ReDoS) used
for d in "$CORPUS"/rules/*/; do
	d=${d%/}
	measure "rules/${d##*/}" rules "$BIN" rules check "$d"
done
measure "redos.txt --rules rules/redos" analyze "$BIN" analyze --quiet "${EXTRA[@]}" --format html -o report.html \
	--rules "$CORPUS/rules/redos" "$CORPUS/redos.txt"

echo
# ---- permission denied: only meaningful when not root
if [ "$(id -u)" = 0 ]; then
	echo "skip: mode-000.txt as permission-denied: running as root, which reads a mode-000 file"
	echo "      (the kernel-refused reads are cases: socket-input, /proc/self/mem)"
else
	"$BIN" extract "$CORPUS/mode-000.txt" >/dev/null 2>"$SCRATCH/err"
	rc=$?
	if [ $rc = 2 ] && grep -q 'Permission denied' "$SCRATCH/err"; then ok; echo "mode-000.txt: exit 2, Permission denied: ok"
	else bad "mode-000.txt: exit $rc, want 2 with Permission denied"; fi
fi

# ---- outputs: devices and FIFOs are written into, never replaced
if mknod "$SCRATCH/null" c 1 3 2>/dev/null; then
	"$BIN" analyze --quiet -o "$SCRATCH/null" "$NOTES" >/dev/null 2>"$SCRATCH/err"
	rc=$?
	if [ -c "$SCRATCH/null" ] && [ $rc -le 1 ] && [ -z "$(find "$SCRATCH" -maxdepth 1 -name 'null.tmp.*')" ]; then
		ok; echo "output onto a character device (a private /dev/null): still a device, exit $rc: ok"
	else
		bad "output onto a character device: exit $rc, now $(stat -c %F "$SCRATCH/null")"
		echo "FAIL: output onto a character device: exit $rc, now $(stat -c %F "$SCRATCH/null")"
	fi
else
	echo "skip: output onto a character device: mknod not permitted here"
fi
mkfifo "$SCRATCH/fifo"
cat "$SCRATCH/fifo" >"$SCRATCH/fifo-read" &
reader=$!
timeout -s KILL 20 "$BIN" analyze --quiet --format md -o "$SCRATCH/fifo" "$NOTES" >/dev/null 2>"$SCRATCH/err"
rc=$?
wait $reader 2>/dev/null
if [ -p "$SCRATCH/fifo" ] && [ $rc -le 1 ] && grep -q '^# pmemmap' "$SCRATCH/fifo-read"; then
	ok; echo "output into a FIFO with a reader: report read from the FIFO, still a FIFO: ok"
else
	bad "output into a FIFO: exit $rc, now $(stat -c %F "$SCRATCH/fifo")"
	echo "FAIL: output into a FIFO: exit $rc, now $(stat -c %F "$SCRATCH/fifo")"
fi
kill "$reader" 2>/dev/null
# a failed write leaves the old report and no temp file
mkdir -p "$SCRATCH/keep"
printf 'old report\n' >"$SCRATCH/keep/report.md"
"$BIN" analyze --quiet -o "$SCRATCH/keep/report.md" "$CORPUS/empty-file.txt" >/dev/null 2>&1
rc=$?
if [ "$(cat "$SCRATCH/keep/report.md")" = "old report" ] && [ "$(ls -A "$SCRATCH/keep")" = report.md ]; then
	ok; echo "nothing readable: exit $rc, the old report kept, no temp file: ok"
else
	bad "nothing readable: exit $rc, old report changed or temp files left: $(ls -A "$SCRATCH/keep" | tr '\n' ' ')"
	echo "FAIL: nothing readable: exit $rc, old report changed or temp files left"
fi

# ---- the corpus is unchanged
after=$(snapshot)
if [ "$before" = "$after" ]; then
	ok; echo "corpus unchanged (contents, types, modes, links): ok"
else
	bad "the corpus changed during the run"
	echo "FAIL: the corpus changed during the run:"
	diff <(echo "$before") <(echo "$after") | head -10
fi

echo
for f in "${FAILED[@]}"; do echo "FAIL: $f"; done
echo "limits: $pass passed, $fail failed"
[ $fail = 0 ]
