#!/bin/bash
# batch-fast.sh PMEMMAP - batch and merge on a small set (40 bundles made
# by fixtures/gen-set.sh, kept in build/batchset-40), in seconds, for the
# fast suite: what the index says of each case (devices matched, worst
# finding) against results.jsonl, failures and statuses of the broken
# uploads, case reports exactly those the index names, each case equal to
# `analyze` of its own bundles, --resume and a two-part merge giving the
# single run's results. tests/batch-test.sh does the 500-bundle version,
# with crashes, timeouts and kill -9.
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
SET=${PMEMMAP_BATCH_SMALL:-$SRC/build/batchset-40}
OUT=$(mktemp -d /tmp/pmemmap-batchfast.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

if [ "$(ls "$SET" 2>/dev/null | wc -l)" -lt 40 ]; then
	rm -rf "$SET"
	bash "$SRC/fixtures/gen-set.sh" 40 "$SET" >/dev/null 2>&1 || { echo "batch-fast: gen-set.sh failed"; exit 2; }
fi

# a low limit on open files: a descriptor left open per input would run
# out of them before the 40 bundles are through
(ulimit -n 48 && exec "$BIN" batch -q -j 2 -o "$OUT/run" "$SET") 2>"$OUT/run.err"
status=$?
R=$OUT/run
cases=$(wc -l <"$R/results.jsonl")
check "batch exits 1: the set holds broken uploads" '[ $status = 1 ]'
check "run.json counts the cases ($cases)" '[ "$(jq .cases "$R/run.json")" = "$cases" ] && [ "$cases" -ge 20 ]'
check "run.json lists every input, by path, with its size" \
	'[ "$(jq -r ".inputs[] | \"\(.path) \(.bytes)\"" "$R/run.json" | sort)" = "$(for f in "$SET"/*; do echo "$f $(stat -c %s "$f")"; done | sort)" ]'
check "the cases come in input order: guest bundles sorted by path" \
	'jq -r ".guest.bundle // empty" "$R/results.jsonl" | LC_ALL=C sort -c'
check "stderr holds nothing but what the broken uploads gave" '[ ! -s "$OUT/run.err" ] || ! grep -v "^pmemmap: .*\(3100003\|error\|warning\)" "$OUT/run.err"'
check "the truncated uploads are failures, read in part, with the reason" \
	'jq -e "[.failures[] | select(.status == \"partial\" and (.reason | test(\"ends early\")))] | length >= 1" "$R/run.json" >/dev/null'
check "failures name real inputs of the set" \
	'jq -r ".failures[].input" "$R/run.json" | while read -r f; do [ -f "$f" ] || exit 1; done'
check "one index row per case, in order" \
	'[ "$(grep -c "^| case-" "$R/index.md")" = "$cases" ] && [ "$(grep -o "^| case-[0-9]*" "$R/index.md" | tail -1)" = "$(printf "| case-%04d" "$cases")" ]'
check "cases/ holds exactly the reports the index names" \
	'[ "$(ls "$R/cases" | wc -l)" = $((cases * 2)) ] && [ -f "$R/cases/$(printf "case-%04d" "$cases").html" ]'

# every index row against its results.jsonl line: devices matched / total,
# and the worst finding (errors first: the first finding, or none)
bad=0
while IFS= read -r line; do
	id=$(jq -r .id <<<"$line")
	want=$(jq -r '"\([.devices[] | select(.status == "matched")] | length) / \(.devices | length) | \(.findings[0].code // "none")"' <<<"$line")
	grep -qF "| $id |" "$R/index.md" || { bad=$((bad + 1)); continue; }
	grep -F "| $id |" "$R/index.md" | grep -qF "| $want |" || { bad=$((bad + 1)); [ $bad -le 2 ] && echo "  $id: index lacks [$want]"; }
done <"$R/results.jsonl"
check "each index row's devices matched and worst finding agree with results.jsonl ($bad differ)" '[ $bad = 0 ]'
check "the worst finding of a case with an error is an error's code" \
	'jq -e -s "[.[] | select([.findings[] | select(.severity == \"error\")] | length > 0) | .findings[0].severity] | all(. == \"error\")" "$R/results.jsonl" >/dev/null'

# the HTML index is a triage view: each case in the first group that holds
# for it (error finding, a device not matched, warning finding, clean),
# counted at the top; rows in that order of groups, then by host and VM in
# natural order (sort -V: esx2 before esx10); the failures counted
jq -r '(if any(.findings[]; .severity == "error") then "e"
	elif (.devices | length) == 0 or any(.devices[]; .status != "matched") then "i"
	elif any(.findings[]; .severity == "warning") then "w" else "c" end) + " " + .id' \
	"$R/results.jsonl" | sort >"$OUT/groups.want"
sed -n 's|^<tr class=\([eiwc]\)><td>[a-z]*<td><a href="cases/\(case-[0-9]*\)\.html">.*|\1 \2|p' "$R/index.html" >"$OUT/rows"
check "the HTML index has every case once, in the group results.jsonl gives it" \
	'[ "$(sort "$OUT/rows")" = "$(cat "$OUT/groups.want")" ]'
count_in_index() { grep -o "<b>[0-9]*</b> $1" "$R/index.html" | sed 's/<b>\([0-9]*\).*/\1/'; }
check "the HTML index counts each group at the top" \
	'[ "$(count_in_index "cases\? with errors")" = "$(grep -c "^e " "$OUT/groups.want")" ] &&
	 [ "$(count_in_index "cases\? with an incomplete")" = "$(grep -c "^i " "$OUT/groups.want")" ] &&
	 [ "$(count_in_index "cases\? with warnings")" = "$(grep -c "^w " "$OUT/groups.want")" ] &&
	 [ "$(count_in_index "cases\? clean")" = "$(grep -c "^c " "$OUT/groups.want")" ] &&
	 [ "$(count_in_index "inputs\? read in part")" = "$(jq "[.failures[] | select(.status == \"partial\")] | length" "$R/run.json")" ] &&
	 [ "$(count_in_index "inputs\? failed")" = "$(jq "[.failures[] | select(.status != \"partial\")] | length" "$R/run.json")" ]'
check "the HTML index lists the groups worst first" \
	'[ "$(cut -c1 "$OUT/rows" | uniq | tr -d "\n")" = "$(cut -c1 "$OUT/rows" | uniq | tr eiwc 0123 | sort -n | tr 0123 eiwc | tr -d "\n")" ]'
sed -n 's|^<tr class=\([eiwc]\)><td>[a-z]*<td><a [^>]*>[^<]*</a><td>\([^<]*\)<td>\([^<]*\)<.*|\1\t\2\t\3|p' "$R/index.html" >"$OUT/hostvm"
check "within a group, hosts and VMs in natural order (esx2 before esx10)" \
	'grep -q "esx10\." "$OUT/hostvm" && (for g in e i w c; do grep "^$g" "$OUT/hostvm" | sort -s -t"	" -k2,2V -k3,3V -c 2>/dev/null || exit 1; done)'

# each case is what analyze says of its own bundles
bad=0 n=0
while IFS= read -r line; do
	n=$((n + 1))
	[ $((n % 3)) = 1 ] || continue
	vmb=$(jq -r '.vm.bundle // empty' <<<"$line")
	gb=$(jq -r '.guest.bundle // empty' <<<"$line")
	want=$(jq -S -c 'del(.id)' <<<"$line")
	# shellcheck disable=SC2086
	got=$("$BIN" analyze -q --format json $vmb $gb | jq -S -c --argjson w "$want" \
		'.cases[] | select(.vm.vmx == $w.vm.vmx and .vm.bundle == $w.vm.bundle and .guest.bundle == $w.guest.bundle)')
	[ "$got" = "$want" ] || { bad=$((bad + 1)); [ $bad -le 2 ] && echo "  differs: $vmb $gb"; }
done <"$R/results.jsonl"
check "a third of the cases equal analyze of their own bundles ($bad differ)" '[ $bad = 0 ]'

# a worker that crashes inside a job costs that input only: the one worker
# (-j 1) is stopped as soon as it exists, handed its first job while
# stopped, then killed with SIGSEGV (as an OOM kill or a crash would end
# it), with every other input still to do; not -q, so the progress lines
# are there to count
setsid "$BIN" batch -j 1 -o "$OUT/crash" "$SET" 2>"$OUT/crash.err" &
bpid=$!
w=""
for _ in $(seq 1 2000); do
	w=$(pgrep -P "$bpid" | head -n 1)
	[ -n "$w" ] && break
	sleep 0.002
done
kill -STOP "$w" 2>/dev/null
sleep 0.1
kill -SEGV "$w" 2>/dev/null
kill -CONT "$w" 2>/dev/null
wait "$bpid"
cstatus=$?
ninputs=$(ls "$SET" | wc -l)
check "a crashed worker: batch exits 1, its one input failed with the signal" \
	'[ $cstatus = 1 ] && [ "$(jq "[.failures[] | select(.reason | test(\"died of signal 11\"))] | length" "$OUT/crash/run.json")" = 1 ]'
check "a crashed worker: every other input was analysed as in the clean run" \
	'[ "$(jq -c "[.inputs[] | select(.state == \"done\")] | length" "$OUT/crash/run.json")" = "$(( $(jq -c "[.inputs[] | select(.state == \"done\")] | length" "$R/run.json") - 1 ))" ]'
check "the last progress line counts every input ($ninputs)" \
	'grep "^pmemmap batch: [0-9]*/[0-9]* bundles" "$OUT/crash.err" | tail -n 1 | grep -q "^pmemmap batch: $ninputs/$ninputs bundles"'

# --resume: nothing read again, the same results
"$BIN" batch -j 2 --resume -o "$R" "$SET" 2>"$OUT/resume.err"
check "--resume reads nothing again" 'grep -q "($(ls "$SET" | wc -l) done by an earlier run)" "$OUT/resume.err"'
cp "$R/results.jsonl" "$OUT/first.jsonl"
check "--resume gives the same results" 'cmp -s "$OUT/first.jsonl" "$R/results.jsonl"'

# two partial runs and merge give the single run's index and results
# each half names the inputs by their paths in the set, as the whole run did
h1=() h2=()
i=0
for f in "$SET"/*; do
	i=$((i + 1))
	if [ $((i % 2)) = 0 ]; then h1+=("$f"); else h2+=("$f"); fi
done
"$BIN" batch -q -j 1 -o "$OUT/p1" "${h1[@]}"
"$BIN" batch -q -j 1 -o "$OUT/p2" "${h2[@]}"
"$BIN" merge -q -o "$OUT/merged" "$OUT/p1" "$OUT/p2"
mstatus=$?
check "merge exits 1 like the run: the failures came along" '[ $mstatus = 1 ]'
check "merge gives the single run's results" 'cmp -s "$R/results.jsonl" "$OUT/merged/results.jsonl"'
check "merge gives the single run's indexes" 'cmp -s "$R/index.md" "$OUT/merged/index.md" && cmp -s "$R/index.html" "$OUT/merged/index.html"'
check "merge lists the same failures" \
	'[ "$(jq -c "[.failures[].input] | sort" "$R/run.json")" = "$(jq -c "[.failures[].input] | sort" "$OUT/merged/run.json")" ]'

echo "batch-fast: $pass passed, $fail failed"
[ $fail = 0 ]
