#!/bin/bash
# run.sh SECS [NAME...] - fuzz each harness (default: all) for SECS seconds.
#
#   1. builds the harnesses (tests/fuzz/build.sh) into build/fuzz/;
#   2. builds each seed corpus from the fixtures (fixtures/ and the packed
#      build/fixtures, hostile corpus included) into build/fuzz/corpus-NAME/,
#      kept between runs, so coverage grows run after run;
#   3. replays every saved crasher in tests/fuzz/crashers/NAME/ first: they
#      are regression tests and must not fail any more;
#   4. runs each harness for SECS seconds (-max_len suited to it,
#      -rss_limit_mb=2048, -timeout=25: a slow input is a finding too);
#   5. copies any crash-*, leak-*, timeout-*, oom-* artifact into
#      tests/fuzz/crashers/NAME/ (commit them: they become regressions) and
#      fails.
#
# Prints one line per harness (execs, coverage, corpus size) and
# "fuzz: N passed, N failed". CI runs `make fuzz-run SECS=30`; the long run
# before a release is `make fuzz-run SECS=600` (10 minutes per harness, an
# hour in all) or, for one harness, `tests/fuzz/run.sh 3600 ingest`.
# Reproduce a crasher: build/fuzz/fuzz_NAME tests/fuzz/crashers/NAME/crash-...
set -u
cd "$(dirname "$0")/../.."
SECS=${1:?usage: run.sh SECS [NAME...]}
shift
NAMES=("$@")
[ ${#NAMES[@]} -gt 0 ] || NAMES=(ingest ndctl vmx vmdk transcript rules facts merge)
OUT=${FUZZ_OUT:-build/fuzz}
FIX=${PMEMMAP_FIXTURES:-$PWD/build/fixtures}
export PMEMMAP_SRC=$PWD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

sh tests/fuzz/build.sh | grep -v '^  CC-FUZZ' || exit 2

max_len() {
	case $1 in
	ingest) echo 262144 ;;
	rules) echo 8192 ;;
	ndctl | transcript) echo 65536 ;;
	vmx | vmdk) echo 16384 ;;
	facts | merge) echo 65536 ;;
	esac
}

# seeds: files no larger than 1 MiB (bigger ones are cut at -max_len anyway)
seed() { # seed NAME FILE...
	local dir="$OUT/corpus-$1" f
	shift
	mkdir -p "$dir"
	for f in "$@"; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		[ "$(stat -c %s "$f")" -le 1048576 ] || continue
		cp "$f" "$dir/seed-$(sha1sum <"$f" | cut -c1-16)"
	done
}
seeds() {
	case $1 in
	ingest)
		seed ingest $(find "$FIX" -maxdepth 3 -type f 2>/dev/null) fixtures/transcripts/* fixtures/ndctl/*
		# every other format and filter libarchive reads, from one small sosreport part
		if command -v bsdtar >/dev/null 2>&1; then
			local t="$OUT/seed-formats" g=sosreport-pmem-guest-001-2026-03-05-kqzvbte f
			rm -rf "$t"; mkdir -p "$t"
			for f in 7zip cpio iso9660 xar ar v7tar shar; do
				bsdtar -C fixtures/bundles --format "$f" -cf "$t/s.$f" "$g/sos_commands/pmem" "$g/version.txt" 2>/dev/null
			done
			for f in --lzip --lzma -Z --lz4 --zstd -j; do
				bsdtar -C fixtures/bundles $f --format cpio -cf "$t/s.cpio$f" "$g/sos_commands/pmem" 2>/dev/null
			done
			seed ingest "$t"/*
			rm -rf "$t"
		fi ;;
	ndctl)
		seed ndctl fixtures/ndctl/* fixtures/transcripts/* fixtures/hostile/json-* \
			$(find fixtures/bundles -path '*sos_commands/pmem/*' -type f) ;;
	vmx)
		seed vmx $(find fixtures/bundles -name '*.vmx' -type f) ;;
	vmdk)
		seed vmdk $(find fixtures/bundles -name '*.vmdk' -type f) ;;
	transcript)
		seed transcript fixtures/transcripts/* fixtures/ndctl/* fixtures/hostile/*.txt ;;
	rules)
		seed rules rules/*.rules tests/data/bad-rules/* fixtures/hostile/redos.rules ;;
	facts | merge)
		# facts documents of the fixtures, as extract writes them; for merge
		# the same as 'F' pieces of a partial output, with a link and a
		# failure record beside them
		local t="$OUT/seed-facts" f n=0
		rm -rf "$t"; mkdir -p "$t"
		for f in fixtures/transcripts/ticket-48213-notes.txt fixtures/transcripts/ndctl-list-D.json \
			fixtures/bundles/sosreport-pmem-guest-002-2026-03-05-mhtrwpa; do
			n=$((n + 1))
			build/pmemmap extract -q -o "$t/facts-$n.json" "$f" 2>/dev/null || continue
			if [ "$1" = merge ]; then
				{ printf 'F'; cat "$t/facts-$n.json"; printf '\n##\nL\n##\nX{"input":"/x","reason":"timed out"}\n##\nD'; } >"$t/merge-$n"
				rm -f "$t/facts-$n.json"
			fi
		done
		seed "$1" "$t"/*
		rm -rf "$t" ;;
	esac
	# make sure there is at least one seed
	[ -n "$(ls -A "$OUT/corpus-$1" 2>/dev/null)" ] || printf '\n' >"$OUT/corpus-$1/seed-empty"
}

pass=0 fail=0
summary=()
for name in "${NAMES[@]}"; do
	bin="$OUT/fuzz_$name"
	[ -x "$bin" ] || { echo "fuzz: no harness $bin" >&2; fail=$((fail + 1)); continue; }
	seeds "$name"
	crashers="tests/fuzz/crashers/$name"
	art="$OUT/artifacts-$name"
	rm -rf "$art"; mkdir -p "$art"
	ok=1 why=""

	# 3. the saved crashers are regression tests
	if [ -d "$crashers" ] && [ -n "$(ls -A "$crashers" 2>/dev/null)" ]; then
		if ! "$bin" -rss_limit_mb=2048 -timeout=25 "$crashers"/* >"$OUT/regress-$name.log" 2>&1; then
			ok=0; why="a saved crasher fails again (see $OUT/regress-$name.log)"
		fi
	fi

	# 4. fuzz
	log="$OUT/fuzz-$name.log"
	"$bin" -max_total_time="$SECS" -max_len="$(max_len "$name")" -rss_limit_mb=2048 -timeout=25 \
		-print_final_stats=1 -artifact_prefix="$art/" "$OUT/corpus-$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	units=$(ls "$OUT/corpus-$name" | wc -l)

	# 5. artifacts become crashers
	found=$(ls "$art" 2>/dev/null | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true)
	if [ -n "$found" ]; then
		mkdir -p "$crashers"
		for a in $found; do cp "$art/$a" "$crashers/$a"; done
		ok=0; why="$why; new artifacts: $(echo $found | tr '\n' ' ')"
		grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY:' "$log" | sed 's/^/    /'
		grep -E '^    #[0-9]+ ' "$log" | head -8 | sed 's/^/    /'
	elif [ $rc != 0 ]; then
		ok=0; why="$why; exit $rc (see $log)"
	fi
	line=$(printf 'fuzz_%-11s %10s execs  %6s exec/s  cov %6s  ft %6s  corpus %5s' \
		"$name" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$units")
	if [ $ok = 1 ]; then
		pass=$((pass + 1)); summary+=("$line  ok")
	else
		fail=$((fail + 1)); summary+=("$line  FAIL${why}")
	fi
	echo "${summary[-1]}"
done
echo "fuzz: $pass passed, $fail failed"
[ $fail = 0 ]
