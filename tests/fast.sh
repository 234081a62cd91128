#!/bin/bash
# fast.sh PMEMMAP [SOURCE] - the fast suite: the cmocka suites, the CLI
# cases, the Markdown check, the terminal check and batch on 40 bundles, all of them, stopping
# at the first failure (the unit suites linked with LeakSanitizer). With SOURCE (analyzer/x.c, as make mutate gives
# it) the suites most likely to notice a change in that file run first, so
# that a broken build of it fails in seconds; the set run is the same.
set -u
BIN=$1
FILE=${2:-}
SRC=${PMEMMAP_SRC:-$(pwd)}
export PMEMMAP_CASES_FAILFAST=1

case ${FILE##*/} in
analyze.c | bundleinfo.c | hostside.c | guestside.c | pair.c | chain.c | findings.c | catalog.c | \
	timeline.c | history.c | case.c | facts.c | index.c | uuid.c | when.c)
	units="test_correlate test_report test_catalog test_when test_uuid"; cases="exit analyze hostile" ;;
report*.c | writers.c | escape.c | jsonout.c | output.c)
	units="test_report test_escape test_correlate"; cases="analyze exit hostile" ;;
batch.c | outdir.c | fsutil.c)
	units=""; cases="exit hostile"; batch_first=1 ;;
ingest.c | extract.c | ndctl.c | stream.c | litscan.c | rules.c)
	units="test_ingest test_ndctl test_rules test_litscan"; cases="extract hostile-formats hostile" ;;
*)
	units=""; cases="" ;;
esac

run_unit() {
	echo "== $1"
	LSAN_OPTIONS=exitcode=23 "$SRC/build/tests/$1-lsan" || exit 1
}
batch() { bash "$SRC/tests/batch-fast.sh" "$BIN" || exit 1; }

[ -n "${batch_first:-}" ] && batch
for t in $units; do run_unit "$t"; done
for f in "$SRC"/tests/test_*.c; do
	t=$(basename "$f" .c)
	case " $units " in *" $t "*) ;; *) run_unit "$t" ;; esac
done
PMEMMAP_CASES_ORDER="$cases" bash "$SRC/tests/run-cases.sh" "$BIN" || exit 1
bash "$SRC/tests/md-check.sh" "$BIN" || exit 1
bash "$SRC/tests/term-check.sh" "$BIN" || exit 1
bash "$SRC/tests/md-lines.sh" "$BIN" || exit 1
[ -n "${batch_first:-}" ] || batch
