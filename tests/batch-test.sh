#!/bin/bash
# batch-test.sh PMEMMAP - batch over a generated archive of >= 500
# bundles: every case equals what analyze says of it alone, failures have
# reasons, kill -9 then --resume ends as a clean run with no partial
# files, and the GNU parallel recipe plus merge gives the single-run index.
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
SET=${PMEMMAP_BATCH_SET:-$SRC/build/batchset}
N=${PMEMMAP_BATCH_N:-500}
OUT=$(mktemp -d /tmp/pmemmap-batch.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

if [ "$(ls "$SET" 2>/dev/null | wc -l)" -lt "$N" ]; then
	rm -rf "$SET"
	bash "$SRC/fixtures/gen-set.sh" "$N" "$SET"
fi
check "the set has $N bundles" '[ "$(ls "$SET" | wc -l)" -ge "$N" ]'

"$BIN" batch -q -j 2 -o "$OUT/clean" "$SET"
status=$?
check "batch finishes; broken uploads make it exit 1" '[ $status = 1 ]'
cases=$(wc -l <"$OUT/clean/results.jsonl")
check "one results line per case ($cases)" '[ "$cases" -gt 300 ] && [ "$(jq .cases "$OUT/clean/run.json")" = "$cases" ]'
check "every case has its reports" '[ "$(ls "$OUT/clean/cases" | wc -l)" = $((cases * 2)) ]'
check "failures are listed with reasons" \
	'jq -e "[.failures[] | select(.reason | test(\"ends early|cannot read|damaged\"))] | length > 0" "$OUT/clean/run.json" >/dev/null'
check "index.md has a row per case" '[ "$(grep -c "^| case-" "$OUT/clean/index.md")" = "$cases" ]'
# a case report lists the diagnostics of its own bundles only (it listed
# every bundle's: 500 case reports times every broken upload)
foreign=0
for f in "$OUT"/clean/cases/case-00[0-4]*.md; do
	while IFS= read -r b; do
		grep -qF "| $b |" "$f" || foreign=$((foreign + 1))
	done < <(sed -n 's/^- \(error\|warning\): \([^ ]*\) .*/\2/p' "$f" | sort -u)
done
check "case reports list only their own bundles' diagnostics ($foreign foreign)" '[ $foreign = 0 ]'

# each case equals analyze of its own bundles
bad=0 n=0
while IFS= read -r line; do
	n=$((n + 1))
	[ $((n % 7)) = 1 ] || continue # every 7th case: the full set takes minutes
	vmb=$(jq -r '.vm.bundle // empty' <<<"$line")
	gb=$(jq -r '.guest.bundle // empty' <<<"$line")
	want=$(jq -S -c 'del(.id)' <<<"$line")
	# shellcheck disable=SC2086
	got=$("$BIN" analyze -q --format json $vmb $gb | jq -S -c --argjson w "$want" \
		'.cases[] | select(.vm.vmx == $w.vm.vmx and .vm.bundle == $w.vm.bundle and .guest.bundle == $w.guest.bundle)')
	[ "$got" = "$want" ] || { bad=$((bad + 1)); [ $bad -le 2 ] && echo "  differs: $vmb $gb"; }
done <"$OUT/clean/results.jsonl"
check "each case equals analyze of that case alone ($bad of $(( (n + 6) / 7 )) differ)" '[ $bad = 0 ]'

# a worker that crashes, and one that hangs, cost their input only: the
# workers are stopped and signalled from outside, as an OOM kill or a
# stuck NFS read would do it
run_and_signal() { # OUTDIR TIMEOUT SIGNAL...: stop worker 1 once started, then send SIGNALs
	setsid "$BIN" batch -q -j 2 --timeout "$2" -o "$1" "$SET" &
	local pid=$! w=""
	for _ in $(seq 1 2000); do
		w=$(pgrep -P "$pid" | head -n 1)
		[ -n "$w" ] && [ "$(ls "$1/work/facts" 2>/dev/null | wc -l)" -ge 20 ] && break
		sleep 0.005
	done
	kill -STOP "$w" 2>/dev/null
	sleep 0.3 # the parent hands the stopped worker its next input, if it had none
	shift 2
	for sig in "$@"; do kill -"$sig" "$w" 2>/dev/null; done
	wait "$pid"
}
run_and_signal "$OUT/crash" 60 SEGV CONT
check "a crashed worker: its input failed with the signal, the rest done" \
	'[ "$(jq "[.failures[] | select(.reason | test(\"died of signal 11\"))] | length" "$OUT/crash/run.json")" = 1 ] &&
	 [ "$(jq "[.inputs[] | select(.state == \"done\")] | length" "$OUT/crash/run.json")" -ge $((N - 60)) ]'
t0=$SECONDS
run_and_signal "$OUT/hang" 2
check "a hung worker: killed at --timeout, its input failed, the run finished ($((SECONDS - t0)) s)" \
	'[ "$(jq "[.failures[] | select(.reason | test(\"timed out after 2 s\"))] | length" "$OUT/hang/run.json")" = 1 ] &&
	 [ "$(jq .cases "$OUT/hang/run.json")" -ge $((cases - 2)) ] && [ $((SECONDS - t0)) -lt 30 ]'

# kill -9 in the middle, then --resume
setsid "$BIN" batch -q -j 2 -o "$OUT/killed" "$SET" &
pid=$!
# kill the whole process group once a fifth of the work is done
for _ in $(seq 1 2000); do
	[ "$(ls "$OUT/killed/work/facts" 2>/dev/null | wc -l)" -ge $((N / 5)) ] && break
	sleep 0.005
done
kill -9 -- -"$pid" 2>/dev/null
wait "$pid" 2>/dev/null
done_before=$(ls "$OUT/killed/work/facts" 2>/dev/null | grep -vc tmp)
"$BIN" batch -q -j 2 --resume -o "$OUT/killed" "$SET"
check "the kill left work to resume ($done_before facts files done)" '[ "$done_before" -lt "$N" ]'
check "resume gives the same results.jsonl" 'cmp -s <(sort "$OUT/clean/results.jsonl") <(sort "$OUT/killed/results.jsonl")'
check "resume reused the finished work" '[ "$(jq "[.inputs[] | select(.from_earlier_run)] | length" "$OUT/killed/run.json")" = "$done_before" ]'
check "no partial file survives" '[ -z "$(find "$OUT/killed" -name "*.tmp.*")" ]'
check "every JSON output parses" 'for f in "$OUT"/killed/work/*/*.json "$OUT/killed/run.json"; do jq empty "$f" || exit 1; done'

# a crash before the final syncfs can leave a facts file empty: --resume
# reads that input again instead of dropping it
cp -a "$OUT/clean" "$OUT/emptied"
victim=$(ls "$OUT/emptied/work/facts" | head -n 1)
: >"$OUT/emptied/work/facts/$victim"
"$BIN" batch -q -j 2 --resume -o "$OUT/emptied" "$SET"
check "resume redoes an emptied facts file ($victim): same results.jsonl" \
	'cmp -s <(sort "$OUT/clean/results.jsonl") <(sort "$OUT/emptied/results.jsonl") &&
	 [ "$(jq "[.inputs[] | select(.from_earlier_run | not)] | length" "$OUT/emptied/run.json")" = 1 ]'
# an unusable facts file met by merge is a listed failure, not a silent gap
mkdir -p "$OUT/badpart/work/facts" "$OUT/badpart/work/failed"
: >"$OUT/badpart/work/facts/0000000000000000.json"
"$BIN" merge -q -o "$OUT/merged-bad" "$OUT/clean" "$OUT/badpart"
status=$?
check "merge lists an empty facts file under failures and exits 1" \
	'[ $status = 1 ] && jq -e "[.failures[] | select(.reason | test(\"facts file is empty\"))] | length == 1" "$OUT/merged-bad/run.json" >/dev/null'

# across machines: GNU parallel with localhost as the host list, then merge
echo ":" >"$OUT/hosts"
ls -d "$SET"/* | split -n r/3 - "$OUT/chunk."
ls "$OUT"/chunk.* | parallel --sshloginfile "$OUT/hosts" --halt never \
	"xargs -a {} $BIN batch -q -j 1 -o $OUT/part-{#}" 
"$BIN" merge -q -o "$OUT/merged" "$OUT"/part-*
check "the parallel recipe made 3 partial outputs" '[ "$(ls -d "$OUT"/part-* | wc -l)" = 3 ]'
check "merge gives the single-run index" 'cmp -s "$OUT/clean/index.md" "$OUT/merged/index.md"'
check "merge gives the single-run results" 'cmp -s "$OUT/clean/results.jsonl" "$OUT/merged/results.jsonl"'

echo "batch: $pass passed, $fail failed"
[ $fail = 0 ]
