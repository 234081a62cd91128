#!/bin/bash
# redact-test.sh PMEMMAP - --redact over every fixture (the bundles, the
# transcripts, the ndctl samples, the packed, broken and scenario archives,
# the hostile corpus but its bombs, and every input set of
# tests/cases/analyze.case), in every format (md, html, json, term, extract):
#   - none of the originals appears in any output: the host, VM, guest and
#     datastore names, the host parts of the input names, the IPv4 and MAC
#     addresses, as an unredacted extract of the same inputs gives them
#     (tests/redact-leak.pl);
#   - the mapping, statuses and findings are the same: the JSON report's
#     cases, findings, inputs and diagnostics, with each token read back
#     through the --redact-map table, equal the unredacted report's, and
#     the exit status is the same;
#   - every output says it is redacted.
# Then --redact-map (mode 0600, never through a link), --redact-ids (no
# UUID or serial left, a serial still its UUID's last 4 bytes, the mapping
# the same) and batch --redact (every file of OUTDIR but work/).
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
T=$(mktemp -d /tmp/pmemmap-redact.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

# The originals a report must not show, from an unredacted extract.
ORIGINALS='
	def host: ., (split(".")[0]);
	def addrs: scan("(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9]|\\.[0-9])"),
		scan("(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\\1[0-9A-Fa-f]{2}){4}(?![0-9A-Fa-f:-])") | if type == "array" then empty else . end;
	(.facts[] | (select(.type | test("^(esx|guest)\\.(hostname|uname)$")) | .fields.hostname | host),
		(select(.type == "guest.kernel") | .fields.host // empty | host),
		(select(.type == "vmx.name") | .fields.name | host),
		(select(.type == "esx.filesystem") | .fields.name // empty),
		(.fields.datastore // empty), (.fields.vmdir // empty),
		(.fields[] | addrs), (.evidence.member | addrs)),
	(.inputs[].path | split("!")[] | split("/")[-1]
		| capture("^(?:esx|sosreport)-(?<h>.+?)-(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{14})") | .h | host)'
# UUIDs and serials, for --redact-ids.
IDS='.facts[] | (select(.type | test("^(vmdk\\.uuid|vmx\\.bios_uuid|guest\\.(system_uuid|product_uuid|vmware_serial))$")) | .fields.uuid),
	(select(.type == "vmdk.uuid" or .type == "nd.dimm") | .fields.serial // empty)'
BACK="$SRC/tests/redact-back.pl"

# One input set: every format redacted, checked against the unredacted run.
nsets=0
check_set() {
	local name=$1 d=$T/set
	shift
	rm -rf "$d" && mkdir -p "$d"
	nsets=$((nsets + 1))
	"$BIN" extract -q "$@" >"$d/facts.json" 2>/dev/null </dev/null
	"$BIN" analyze -q --format json "$@" >"$d/plain.json" 2>/dev/null </dev/null
	local want=$?
	"$BIN" analyze -q --redact --redact-map "$d/map.json" --format json "$@" >"$d/red.json" 2>"$d/err" </dev/null
	local got=$?
	"$BIN" analyze -q --redact --format md "$@" >"$d/red.md" 2>>"$d/err" </dev/null
	"$BIN" analyze -q --redact --format html "$@" >"$d/red.html" 2>>"$d/err" </dev/null
	"$BIN" analyze -q --redact --format term "$@" >"$d/red.term" 2>>"$d/err" </dev/null
	"$BIN" extract -q --redact "$@" >"$d/red-facts.json" 2>>"$d/err" </dev/null
	check "$name: exit status $got, unredacted $want" '[ "$got" = "$want" ]'
	check "$name: nothing on stderr with -q" '[ ! -s "$d/err" ]'
	jq -r "$ORIGINALS" "$d/facts.json" >"$d/originals" 2>/dev/null
	local outs=("$d/red-facts.json")
	[ -s "$d/plain.json" ] && outs+=("$d/red.json" "$d/red.md" "$d/red.html" "$d/red.term")
	check "$name: no original name or address in any output" \
		'perl "$SRC/tests/redact-leak.pl" "$d/originals" "${outs[@]}" >"$d/leaks"'
	[ -s "$d/leaks" ] && head -5 "$d/leaks" | sed 's/^/    leak: /'
	check "$name: the facts say they are redacted" 'jq -e ".redacted == true" "$d/red-facts.json" >/dev/null'
	[ -s "$d/plain.json" ] || return 0 # nothing readable (exit 2): no report
	check "$name: every report says it is redacted" \
		'jq -e ".redacted == true" "$d/red.json" >/dev/null &&
		 grep -qF "> Redacted (pmemmap --redact)" "$d/red.md" && grep -qF "<p class=redacted>Redacted" "$d/red.html" &&
		 grep -qF "Redacted (--redact)" "$d/red.term"'
	perl "$BACK" - "$d/plain.json" cases findings inputs diagnostics >"$d/want" 2>/dev/null
	perl "$BACK" "$d/map.json" "$d/red.json" cases findings inputs diagnostics >"$d/back" 2>/dev/null
	check "$name: the mapping, statuses and findings read back through the map are the same" \
		'[ -s "$d/want" ] && cmp -s "$d/want" "$d/back"'
	cmp -s "$d/want" "$d/back" || diff "$d/want" "$d/back" | head -6 | sed 's/^/    /'
}

# The same set with --redact-ids (after check_set, whose unredacted report
# it reads): the same mapping read back, no UUID or serial left.
check_ids_set() {
	local name=$1 d=$T/set
	shift
	[ -s "$d/plain.json" ] || return 0
	"$BIN" analyze -q --redact-ids --redact-map "$d/imap.json" --format json "$@" >"$d/ired.json" 2>/dev/null </dev/null
	jq -r "$IDS" "$d/facts.json" >"$d/ids" 2>/dev/null
	check "$name, --redact-ids: no UUID or serial left" 'perl "$SRC/tests/redact-leak.pl" "$d/ids" "$d/ired.json" >/dev/null'
	perl "$BACK" "$d/imap.json" "$d/ired.json" cases findings inputs diagnostics >"$d/iback" 2>/dev/null
	check "$name, --redact-ids: the mapping, statuses and findings read back are the same" 'cmp -s "$d/want" "$d/iback"'
	cmp -s "$d/want" "$d/iback" || diff "$d/want" "$d/iback" | head -6 | sed 's/^/    /'
}

# -- every fixture on its own --------------------------------------------------
for f in "$SRC"/fixtures/bundles/* "$SRC"/fixtures/transcripts/* "$SRC"/fixtures/ndctl/* \
	"$FIX"/*.* "$FIX"/scenarios/* "$FIX"/broken/*; do
	case $f in *.sha256) continue ;; esac
	check_set "${f#"$SRC"/}" "$f"
done
# the hostile corpus, but for the inputs that are only large (bombs, huge,
# long lines: the limits' tests) and those that are not files
for f in "$FIX"/hostile/*; do
	case ${f##*/} in bomb-* | huge-* | long-line-* | members-5000* | nest-50-* | fifo-* | socket-* | mode-000*) continue ;; esac
	check_set "hostile/${f##*/}" "$f"
done
# -- every input set of the analyze cases ---------------------------------------
while IFS= read -r run; do
	args=${run//@S/$SRC}
	args=${args//@F/$FIX}
	# shellcheck disable=SC2086
	set -- $args
	shift # "analyze"
	ins=()
	while [ $# -gt 0 ]; do
		case $1 in -f | --format | -o) shift ;; -*) ;; *) ins+=("$1") ;; esac
		shift
	done
	check_set "analyze.case: ${ins[*]##*/}" "${ins[@]}"
	check_ids_set "analyze.case: ${ins[*]##*/}" "${ins[@]}"
done < <(sed -n 's/^run: \(analyze .*\)/\1/p' "$SRC/tests/cases/analyze.case" | sort -u)
echo "redact: $nsets input sets"

# -- --redact-map ---------------------------------------------------------------
SEED=("$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz" "$FIX/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz"
	"$FIX/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz")
M=$T/map
mkdir -p "$M"
echo old >"$M/map.json" && chmod 644 "$M/map.json"
"$BIN" analyze -q --redact-map "$M/map.json" -o "$M/r.md" "${SEED[@]}"
check "--redact-map alone redacts, and replaces the file it is given with mode 0600" \
	'[ "$(stat -c %a "$M/map.json")" = 600 ] && jq -e ".schema == \"pmemmap-redact-map/1\"" "$M/map.json" >/dev/null &&
	 grep -qF "> Redacted" "$M/r.md" && ! grep -q pmem-guest "$M/r.md"'
check "the map holds each token once, with what it stands for" \
	'jq -e "[.tokens[] | select(.token == \"vm-1\" and .value == \"pmem-guest-001\" and .kind == \"vm\")] | length == 1" "$M/map.json" >/dev/null &&
	 jq -e "[.tokens[].token] | length == (unique | length)" "$M/map.json" >/dev/null'
echo secret >"$M/target" && ln -s "$M/target" "$M/link.json"
"$BIN" analyze -q --redact --redact-map "$M/link.json" -o "$M/r2.md" "${SEED[@]}" 2>"$T/err"
st=$?
check "--redact-map refuses a symbolic link: exit 3, the link and its target untouched" \
	'[ $st = 3 ] && [ -L "$M/link.json" ] && [ "$(cat "$M/target")" = secret ] && grep -q "symbolic link" "$T/err"'
"$BIN" analyze -q --redact --redact-map - "${SEED[@]}" >/dev/null 2>&1
check "--redact-map - is refused (exit 2: it is the output)" '[ $? = 2 ]'
"$BIN" analyze -q --redact --redact-map "${SEED[0]}" "${SEED[@]}" >/dev/null 2>&1
check "--redact-map onto an input is refused (exit 2)" '[ $? = 2 ]'
"$BIN" analyze -q --redact --redact-map "$M/same.md" -o "$M/same.md" "${SEED[@]}" >/dev/null 2>&1
check "--redact-map onto the report is refused (exit 2)" '[ $? = 2 ] && [ ! -e "$M/same.md" ]'
"$BIN" analyze -q --redact -o "$M/nomap.md" "${SEED[@]}"
check "without --redact-map no table is written: the folder holds only what was asked" \
	'[ "$(ls "$M" | sort | tr "\n" " ")" = "link.json map.json nomap.md r.md r2.md target " ]'
"$BIN" analyze -q --redact -o "$M/again.md" "${SEED[@]}"
check "the tokens are stable: the same inputs, the same report" 'cmp -s "$M/nomap.md" "$M/again.md"'
# without -q the diagnostics are printed once the names are replaced
"$BIN" analyze --redact "$FIX/broken/esx-esx01-2026-03-05--10.12-2107676-truncated.tgz" >/dev/null 2>"$T/err"
check "diagnostics on stderr are redacted too" \
	'grep -q "^pmemmap: [/a-z0-9-]*/input-[0-9]*[.]tgz: .*error" "$T/err" && ! grep -q "esx01\|fixtures\|broken" "$T/err"'

# -- --redact-ids -----------------------------------------------------------------
I=$T/ids
mkdir -p "$I"
"$BIN" extract -q "${SEED[@]}" >"$I/facts.json"
"$BIN" analyze -q --format json "${SEED[@]}" >"$I/plain.json"
"$BIN" analyze -q --redact-ids --redact-map "$I/map.json" --format json "${SEED[@]}" >"$I/red.json"
jq -r "($ORIGINALS), ($IDS)" "$I/facts.json" >"$I/originals"
check "--redact-ids: no UUID, serial, name or address left" \
	'[ "$(grep -c . "$I/originals")" -ge 10 ] && perl "$SRC/tests/redact-leak.pl" "$I/originals" "$I/red.json"'
check "--redact-ids: each serial is still its .vmdk UUID's last 4 bytes, and its dimm id's" \
	'jq -e "[.cases[].devices[] | select(.vmdk_uuid) | .serial as \$s | (.vmdk_uuid[-8:] == \$s) and (.dimm_id | endswith(\$s))] | (length == 3 and all)" "$I/red.json" >/dev/null'
check "--redact-ids: the report says UUIDs were replaced" 'jq -e ".redacted and .redacted_ids" "$I/red.json" >/dev/null'
perl "$BACK" - "$I/plain.json" cases findings inputs diagnostics >"$I/want"
perl "$BACK" "$I/map.json" "$I/red.json" cases findings inputs diagnostics >"$I/back"
check "--redact-ids: paired by system UUID, every device matched, read back the same" \
	'cmp -s "$I/want" "$I/back" && jq -e "[.cases[].paired_by] == [\"system-uuid\", \"system-uuid\"]" "$I/red.json" >/dev/null'

# -- batch --redact -----------------------------------------------------------------
Bt=$T/batch
IN=$Bt/customer-acme-uploads
mkdir -p "$IN"
cp "${SEED[@]}" "$FIX/broken/esx-esx01-2026-03-05--10.12-2107676-truncated.tgz" "$IN/"
"$BIN" batch -q -j 2 -o "$Bt/plain" "$IN"
want=$?
"$BIN" batch -q -j 2 --redact --redact-map "$Bt/map.json" -o "$Bt/red" "$IN"
got=$?
"$BIN" extract -q "$IN"/* >"$Bt/facts.json" 2>/dev/null
jq -r "$ORIGINALS" "$Bt/facts.json" >"$Bt/originals"
echo "${IN##*/}" >>"$Bt/originals" # the folder the inputs are in
check "batch --redact: exit $got as without ($want)" '[ "$got" = "$want" ]'
check "batch --redact: no original in the index, case reports, results.jsonl or run.json" \
	'perl "$SRC/tests/redact-leak.pl" "$Bt/originals" $(find "$Bt/red" -type f -not -path "*/work/*")'
check "batch --redact: the facts files in work/ keep the originals (the tool's private work area)" \
	'grep -lq pmem-guest-001 "$Bt/red"/work/facts/*'
check "batch --redact: run.json, the index, each case report and each line of results.jsonl say so" \
	'jq -e .redacted "$Bt/red/run.json" >/dev/null && grep -qF "> Redacted" "$Bt/red/index.md" &&
	 grep -qF "<p class=redacted>" "$Bt/red/index.html" && [ "$(grep -L "Redacted" "$Bt"/red/cases/* | wc -l)" = 0 ] &&
	 jq -e -s "length > 0 and all(.redacted)" "$Bt/red/results.jsonl" >/dev/null'
perl "$BACK" - "$Bt/plain/results.jsonl" >"$Bt/want"
perl "$BACK" "$Bt/map.json" <(jq -c "del(.redacted)" "$Bt/red/results.jsonl") >"$Bt/back"
check "batch --redact: results.jsonl read back through the map is the unredacted run's" 'cmp -s "$Bt/want" "$Bt/back"'
check "batch --redact: the truncated upload is a failure, its name a token (no esx-HOST-DATE-PID form)" \
	'jq -e "[.failures[] | select(.status == \"partial\") | .input | test(\"/dir-[0-9]+/input-[0-9]+[.]tgz$\")] == [true]" "$Bt/red/run.json" >/dev/null'

echo "redact: $pass passed, $fail failed"
[ $fail = 0 ]
