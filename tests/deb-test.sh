#!/bin/bash
# deb-test.sh DEBDIR BUILD-PMEMMAP - the package `make deb` built, as a user
# gets it: unpacked with dpkg -x into a scratch root (no root, no chroot,
# nothing installed on this machine), its binary run from there on the
# example bundles of `make demo`.
#
# The binary finds its rules beside itself (../share/pmemmap/rules, before
# the /usr/share/pmemmap/rules compiled in), so the unpacked binary reads
# the unpacked rules with no --rules: shown by `rules check` naming the
# scratch root, and by a rule file removed there changing the digest the
# report carries. Its report is byte for byte the build tree binary's.
# Also: what the package holds, what it depends on, the man page where
# `man pmemmap` finds it, the installed completion, and lintian.
set -u
DEB_DIR=$1 BUILT=$(realpath "$2")
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # description command...
	local what=$1
	shift
	if "$@"; then ok; else no "$what"; fi
}

mapfile -t debs < <(ls "$DEB_DIR"/pmemmap_*.deb 2>/dev/null)
if [ ${#debs[@]} != 1 ]; then
	echo "FAIL: want one pmemmap_*.deb in $DEB_DIR, found ${#debs[@]} (make deb first)"
	exit 1
fi
DEB=${debs[0]}
ROOT=$(mktemp -d /tmp/pmemmap-deb.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
dpkg -x "$DEB" "$ROOT"
PM=$ROOT/usr/bin/pmemmap
RULES=$ROOT/usr/share/pmemmap/rules

# --- what the package holds ------------------------------------------------
check "the binary is usr/bin/pmemmap, executable" test -x "$PM"
for f in "$SRC"/rules/*.rules; do
	check "rules/${f##*/} installed as is in usr/share/pmemmap/rules" cmp -s "$f" "$RULES/${f##*/}"
done
check "no rule file beyond the tree's" test "$(find "$RULES" -type f | wc -l)" = "$(find "$SRC/rules" -maxdepth 1 -name '*.rules' | wc -l)"
check "man page in usr/share/man/man1, compressed" test -f "$ROOT/usr/share/man/man1/pmemmap.1.gz"
check "bash completion in usr/share/bash-completion/completions" \
	cmp -s "$SRC/completion/pmemmap.bash" "$ROOT/usr/share/bash-completion/completions/pmemmap"
for f in guide.md rules.md copyright; do
	check "usr/share/doc/pmemmap/$f" test -s "$ROOT/usr/share/doc/pmemmap/$f"
done
if [ -d "$SRC/collect" ]; then
	for f in "$SRC"/collect/*.sh; do
		check "collection script ${f##*/} in usr/share/pmemmap/collect" test -x "$ROOT/usr/share/pmemmap/collect/${f##*/}"
	done
fi

# --- what it depends on: the runtime libraries, found by dpkg-shlibdeps ----
deps=$(dpkg-deb -f "$DEB" Depends)
for lib in libarchive13 libpcre2-8-0 libjson-c5 liblzma5 libzstd1 libc6; do
	check "Depends names $lib [$deps]" grep -qE "(^|, )$lib( |,|$)" <<<"$deps"
done
while IFS= read -r d; do
	check "Depends has only libraries, not $d" grep -qE '^lib' <<<"$d"
done < <(sed 's/ *([^)]*)//g; s/ *| */\n/g; s/, */\n/g' <<<"$deps")
check "package version is the binary's" test "$(dpkg-deb -f "$DEB" Version)" = "$("$PM" --version | head -1 | cut -d' ' -f2)"

# --- the unpacked binary reads the unpacked rules ----------------------------
rc=$(cd / && "$PM" rules check 2>&1)
check "rules check of the unpacked binary names the scratch root [$rc]" grep -q "^$RULES: .* all valid" <<<"$rc"
digest=$(sed -n 's/.*(digest \([0-9a-f]*\)).*/\1/p' <<<"$rc")

# --- the example bundles, from the installed paths -----------------------------
DEMO=("$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz"
	"$FIX/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz"
	"$FIX/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz")
"$PM" analyze --quiet --format json "${DEMO[@]}" >"$ROOT/got.json" 2>"$ROOT/got.err"
got=$?
check "installed analyze on the example exits 0 (got $got: $(head -c 300 "$ROOT/got.err"))" test "$got" = 0
"$BUILT" analyze --quiet --format json "${DEMO[@]}" >"$ROOT/want.json" 2>/dev/null
check "installed analyze gives the build tree's report, byte for byte" cmp -s "$ROOT/got.json" "$ROOT/want.json"
check "the report carries the digest of the unpacked rules" \
	test "$(jq -r .rules_digest "$ROOT/got.json")" = "$digest"
map=$(jq -r '.cases[] | .vm.name as $vm | .devices[] | [$vm, .slot, .nmem, (.namespaces[0].blockdev // "-"), (.namespaces[0].mountpoints[0] // "-"), .status] | join(" ")' "$ROOT/got.json")
check "pmem-guest-001 nvdimm0:0 is nmem0, pmem0 on /data [$map]" grep -qx "pmem-guest-001 nvdimm0:0 nmem0 pmem0 /data matched" <<<"$map"
check "three devices, all matched [$map]" test "$(grep -c ' matched$' <<<"$map")" = 3
check "three devices in all" test "$(wc -l <<<"$map")" = 3
# a change to the unpacked rules is a change to what the unpacked binary reads
rm "$RULES/30-transcript.rules"
"$PM" analyze --quiet --format json "${DEMO[@]}" >"$ROOT/less.json" 2>/dev/null
less=$(cd / && "$PM" rules check 2>&1)
check "without a rule file in the scratch root, rules check counts 3 files [$less]" grep -q "^$RULES: .* in 3 files" <<<"$less"
check "and the report's digest changes with it" \
	test "$(jq -r .rules_digest "$ROOT/less.json")" != "$digest" -a \
	"$(jq -r .rules_digest "$ROOT/less.json")" = "$(sed -n 's/.*(digest \([0-9a-f]*\)).*/\1/p' <<<"$less")"

# --- conventions, installed -------------------------------------------------------
ver=$("$PM" --version)
check "installed --version names libarchive once [$ver]" test "$(grep -c libarchive <<<"$ver")" = 1
check "installed --version gives pcre2's version" grep -qE '^  pcre2 [0-9]+\.[0-9]+' <<<"$ver"
doc=$("$PM" --help | tail -1)
check "installed --help names man pmemmap and the installed guides [$doc]" \
	test "$doc" = "Documentation: man pmemmap, $ROOT/usr/share/doc/pmemmap/guide.md, $ROOT/usr/share/doc/pmemmap/rules.md"
found=$(cd / && env -u MANPATH PATH="$ROOT/usr/bin:/usr/bin:/bin" man -w pmemmap 2>&1)
check "man pmemmap finds the installed page from PATH [$found]" test "$found" = "$ROOT/usr/share/man/man1/pmemmap.1.gz"
check "the installed page renders" bash -c "man -l '$ROOT/usr/share/man/man1/pmemmap.1.gz' 2>/dev/null | grep -q 'pmemmap - map ESXi vPMem'"
if out=$(bash "$SRC/tests/completion-test.sh" "$PM" "$ROOT/usr/share/bash-completion/completions/pmemmap" 2>&1); then
	ok
else
	no "the installed completion with the installed binary:"
	echo "$out"
fi

# --- lintian: nothing at error, warning or info level (overrides explained in debian/) ---
changes=$(ls "$DEB_DIR"/pmemmap_*.changes)
lint=$(lintian --fail-on error,warning,info --display-info "$changes" 2>&1)
lrc=$?
lint=$(grep -v 'running with root privileges' <<<"$lint")
if [ $lrc = 0 ]; then ok; else no "lintian (exit $lrc):"; echo "$lint"; fi

# --- nothing built beside the clone -------------------------------------------
check "no pmemmap_* build output beside the clone" test -z "$(find "$(dirname "$(realpath "$SRC")")" -maxdepth 1 -name 'pmemmap_*')"
check "the build copy in $DEB_DIR/src is gone" test ! -e "$DEB_DIR/src"

echo "deb: $pass passed, $fail failed"
[ "$fail" = 0 ]
