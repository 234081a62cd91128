#!/bin/bash
# md-lines.sh PMEMMAP - the Markdown report of every fixture fits a ticket.
# Every fixture (the packed ones in build/fixtures, its broken/, hostile/
# and scenarios/ folders, and the source trees fixtures/bundles,
# transcripts, ndctl and hostile), alone; then the sets a ticket brings:
# the two-VM example, the postmortem dates, the ticket archives, each
# folder whole; each full and --brief:
#   - no line outside a table (a line that starts with '|') is longer
#     than 200 bytes;
#   - --brief on the two-VM example (make demo's inputs) is at most 40
#     lines, and holds the mapping and every finding with its "To do:".
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
OUT=$(mktemp -d /tmp/pmemmap-mdlines.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
[ -d "$FIX/hostile" ] || { echo "md-lines: no $FIX/hostile (make fixtures)"; exit 2; }
export BIN OUT

# one job a line: the arguments of one analyze, separated by tabs
jobs() {
	local f
	for f in "$FIX"/* "$FIX"/broken/* "$FIX"/hostile/* "$FIX"/scenarios/* \
		"$SRC"/fixtures/bundles/* "$SRC"/fixtures/transcripts/* "$SRC"/fixtures/ndctl/* "$SRC"/fixtures/hostile/*; do
		case $f in "$FIX/hostile") continue ;; esac # its files, one by one, below
		printf '%s\n' "$f"
	done
	local demo="$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz	$FIX/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz	$FIX/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz"
	local s="$FIX/scenarios"
	printf '%s\n' "--brief	$demo" "$demo" \
		"$s/removed-esx-esx01-2026-03-07--08.40-2110453.tgz	$s/postmortem-before-sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz	$s/postmortem-after-sosreport-pmem-guest-001-2026-03-07-wrtxbzq.tar.xz	$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz" \
		"--brief	$s" "$SRC/fixtures/transcripts	$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz" \
		"$FIX/ticket-48213.zip	$FIX/ticket-48213-side-by-side.zip	$FIX/vcenter-export.zip" \
		"$FIX/hostile/md-inject	$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz"
}

# check JOB-NUMBER ARGS...: analyze, then report each long line (and its length)
check() {
	local n=$1 md="$OUT/$1.md"
	shift
	timeout 120 "$BIN" analyze -q "$@" >"$md" 2>/dev/null
	local rc=$?
	# 2: no input could be read (a report of nothing); above: a crash or a hang
	[ $rc -le 2 ] || { echo "FAIL: analyze $* exited $rc"; return; }
	LC_ALL=C awk -v job="$*" 'length > 200 && !/^\|/ { printf "FAIL: %s: line %d is %d bytes: %.120s\n", job, NR, length, $0 }' "$md" | head -3
}
export -f check

fails=$(jobs | awk '{ print NR "\t" $0 }' | tr '\n' '\0' |
	xargs -0 -n 1 -P 2 bash -c 'IFS=$'"'"'\t'"'"' read -r -a a <<<"$1"; check "${a[@]}"' _)
njobs=$(jobs | wc -l)
pass=0 fail=0
if [ -n "$fails" ]; then
	echo "$fails"
	fail=$(grep -c '^FAIL' <<<"$fails")
else
	pass=$njobs
fi

# --brief on the two-VM example: one screen and a half, with what to do
demo=("$FIX"/esx-esx01-2026-03-05--10.12-2107676.tgz "$FIX"/sosreport-pmem-guest-00[12]-2026-03-05-*.tar.xz)
"$BIN" analyze -q --brief "${demo[@]}" >"$OUT/brief.md"
lines=$(wc -l <"$OUT/brief.md")
full=$("$BIN" analyze -q "${demo[@]}" | wc -l)
b() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
b "--brief of the example is at most 40 lines ($lines; the full report $full)" '[ "$lines" -le 40 ] && [ "$full" -gt 40 ]'
b "--brief holds both mapping tables" '[ "$(grep -c "^| nvdimm0:" "$OUT/brief.md")" = 3 ]'
b "--brief gives the finding with what to do" 'grep -q "^  - To do: Mount by UUID=" "$OUT/brief.md"'
b "--brief lists no evidence" '! grep -q -e "Evidence" -e "etc/fstab:" "$OUT/brief.md"'

echo "md-lines: $njobs reports checked; $pass passed, $fail failed"
[ $fail = 0 ]
