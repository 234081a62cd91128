#!/bin/sh
# build.sh - build the libFuzzer harnesses (tests/fuzz/fuzz_*.c) into
# build/fuzz/, each linked with every analyzer source except main.c, all
# compiled by clang with -fsanitize=fuzzer,address,undefined.
#
# Needs clang (Debian clang-14) and its libFuzzer runtime, which Debian
# ships in libclang-rt-14-dev: `apt-get install clang-14 libclang-rt-14-dev`.
# Objects are rebuilt only when a source or header is newer.
set -eu

cd "$(dirname "$0")/../.."
OUT=${FUZZ_OUT:-build/fuzz}
CC=${FUZZ_CC:-}
if [ -z "$CC" ]; then
	for c in clang-14 clang; do
		if command -v "$c" >/dev/null 2>&1; then CC=$c; break; fi
	done
fi
[ -n "$CC" ] || { echo "fuzz/build.sh: clang not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }

PKGS="libarchive liblzma libzstd libpcre2-8 json-c"
DEFS="-D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -DPMEMMAP_VERSION=\"fuzz\" -DPMEMMAP_RULES_DIR=\"/nonexistent\""
if pkg-config --exists libisal 2>/dev/null; then
	PKGS="$PKGS libisal"
	DEFS="$DEFS -DHAVE_ISAL"
fi
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=c11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-unused-function $SAN"

mkdir -p "$OUT/obj"

# libFuzzer runtime present? (a clear message instead of a link error)
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	>"$OUT/probe.c"
if ! $CC -fsanitize=fuzzer "$OUT/probe.c" -o "$OUT/probe" 2>"$OUT/probe.err"; then
	echo "fuzz/build.sh: $CC cannot link -fsanitize=fuzzer:" >&2
	head -3 "$OUT/probe.err" >&2
	echo "fuzz/build.sh: install the runtime: apt-get install libclang-rt-14-dev" >&2
	exit 2
fi
rm -f "$OUT/probe" "$OUT/probe.c" "$OUT/probe.err"

newer_than() { # newer_than TARGET FILE...: is any FILE newer than TARGET (or TARGET missing)?
	t=$1
	shift
	[ -e "$t" ] || return 0
	for f in "$@"; do [ "$f" -nt "$t" ] && return 0; done
	return 1
}

HDRS=$(ls analyzer/*.h)
OBJS=""
pids=""
for src in analyzer/*.c; do
	case $src in analyzer/main.c) continue ;; esac
	obj="$OUT/obj/$(basename "$src" .c).o"
	OBJS="$OBJS $obj"
	# shellcheck disable=SC2086
	if newer_than "$obj" "$src" $HDRS "$0"; then
		echo "  CC-FUZZ $src"
		# shellcheck disable=SC2086
		$CC $DEFS $CFLAGS -fsanitize=fuzzer-no-link $PKG_CFLAGS -c -o "$obj" "$src" &
		pids="$pids $!"
		# two at a time: the machine is shared
		set -- $pids
		if [ $# -ge 2 ]; then wait "$1" || exit 1; pids=${pids#* $1}; fi
	fi
done
for p in $pids; do wait "$p" || exit 1; done

for h in tests/fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	bin="$OUT/$name"
	# shellcheck disable=SC2086
	if newer_than "$bin" "$h" tests/fuzz/*.h $OBJS "$0"; then
		echo "  LD-FUZZ $bin"
		# shellcheck disable=SC2086
		$CC $DEFS $CFLAGS -fsanitize=fuzzer -Ianalyzer $PKG_CFLAGS -o "$bin" "$h" $OBJS $PKG_LIBS
	fi
done
echo "fuzz: harnesses in $OUT: $(cd "$OUT" && ls fuzz_* | tr '\n' ' ')"
