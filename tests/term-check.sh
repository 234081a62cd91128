#!/bin/bash
# term-check.sh PMEMMAP - analyze on a terminal, driven through a pseudo-
# terminal (script(1), util-linux): the two-VM example of `make demo` as a
# summary within 80x24, coloured unless NO_COLOR, TERM=dumb or
# --color=never says otherwise; --color=always colours -f term in a pipe;
# a pipe without -f gets the full Markdown, byte for byte; names from the
# hostile corpus reach the terminal with no control character of theirs;
# a read slower than a second shows a progress line on stderr, cleared at
# the end, and never with -q or when stderr is not a terminal.
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
export LC_ALL=C.UTF-8 TERM=xterm
unset NO_COLOR
T=$(mktemp -d /tmp/pmemmap-term.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
command -v script >/dev/null || { echo "term-check: script(1) missing (util-linux; scripts/install-deps.sh)"; exit 1; }

DEMO="$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz $FIX/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz $FIX/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz"
ESC=$'\033'

# on_tty FILE CMD: run CMD (a shell line) with stdout and stderr on a new
# pseudo-terminal; what the terminal received, without the tty's \r, in FILE
on_tty() {
	script -qec "$2" /dev/null </dev/null >"$1.raw"
	local rc=$?
	tr -d '\r' <"$1.raw" >"$1"
	return $rc
}
# the text without our own colour codes (SGR: ESC [ digits ; m)
plain() { sed "s/$ESC\[[0-9;]*m//g" "$1"; }
lines() { wc -l <"$1"; }
cols() { plain "$1" | wc -L; }
has() { grep -qF -- "$2" "$1"; }
has_esc() { grep -q "$ESC" "$1"; }

# ---- the summary on a terminal --------------------------------------------
on_tty "$T/tty" "$BIN analyze $DEMO"; rc=$?
[ "$rc" = 0 ] && ok || bad "summary on a terminal: exit $rc, want 0"
[ "$(lines "$T/tty")" -le 24 ] && ok || bad "summary takes $(lines "$T/tty") lines, over 24"
[ "$(cols "$T/tty")" -le 80 ] && ok || bad "summary is $(cols "$T/tty") columns wide, over 80"
plain "$T/tty" >"$T/tty.plain"
for want in "Case 1: VM pmem-guest-001 on esx01.lab.example.com / guest pmem-guest-001" \
	"Case 2: VM pmem-guest-002 on esx01.lab.example.com / guest pmem-guest-002" \
	"  slot       vmdk                   nmem   device      mount  status" \
	"  nvdimm0:0  pmem-guest-001.vmdk    nmem0  /dev/pmem0  /data  matched" \
	"  nvdimm0:1  pmem-guest-001_1.vmdk  nmem1  /dev/pmem1  /logs  matched" \
	"  nvdimm0:0  pmem-guest-002.vmdk  nmem0  /dev/dax0.0  -      matched" \
	"  warning mount-by-kernel-name: /etc/fstab line \"/dev/pmem1 /logs xfs defaults,…" \
	"Devices: 3 in 2 cases: 3 matched." "Findings: 0 errors, 1 warning." "Inputs: 3, read in full." \
	"Full report: pmemmap analyze -f md"; do
	grep -qxF -- "$want" "$T/tty.plain" || has "$T/tty.plain" "$want" && ok || bad "summary lacks [$want]"
done
has "$T/tty" "# pmemmap" && bad "the terminal got the Markdown report" || ok
has "$T/tty" "/vmfs/volumes/PMemDS" && bad "the summary shows datastore paths" || ok
# coloured by severity and status
has "$T/tty" "${ESC}[33mwarning${ESC}[0m" && ok || bad "the warning is not yellow on a terminal"
has "$T/tty" "${ESC}[32mmatched${ESC}[0m" && ok || bad "matched is not green on a terminal"
has "$T/tty" "${ESC}[1mCase 1:" && ok || bad "the case line is not bold on a terminal"

# ---- no colour: NO_COLOR (set, not empty), TERM=dumb, --color=never ------
on_tty "$T/nc" "NO_COLOR=1 $BIN analyze $DEMO"
has_esc "$T/nc" && bad "NO_COLOR=1: colour codes on the terminal" || ok
cmp -s "$T/nc" "$T/tty.plain" && ok || bad "NO_COLOR=1: not the same summary without colour"
on_tty "$T/nce" "NO_COLOR= $BIN analyze $DEMO"
has "$T/nce" "${ESC}[33mwarning" && ok || bad "NO_COLOR set but empty must not turn colour off"
on_tty "$T/dumb" "TERM=dumb $BIN analyze $DEMO"
has_esc "$T/dumb" && bad "TERM=dumb: colour codes" || ok
on_tty "$T/never" "$BIN analyze --color=never $DEMO"
has_esc "$T/never" && bad "--color=never: colour codes" || ok
cmp -s "$T/never" "$T/tty.plain" && ok || bad "--color=never: not the same summary without colour"
on_tty "$T/always-nc" "NO_COLOR=1 $BIN analyze --color always $DEMO"
has "$T/always-nc" "${ESC}[33mwarning" && ok || bad "--color always must win over NO_COLOR"

# ---- pipes: the full Markdown, as before; -f term anywhere -----------------
"$BIN" analyze -f md $DEMO >"$T/md" 2>/dev/null
"$BIN" analyze $DEMO 2>/dev/null | cat >"$T/pipe"
cmp -s "$T/pipe" "$T/md" && ok || bad "a pipe does not get the Markdown report byte for byte"
on_tty "$T/ttypipe" "$BIN analyze $DEMO | cat"
has "$T/ttypipe" "# pmemmap: vPMem mapping" && ok || bad "stdout a pipe inside a terminal: no Markdown"
has_esc "$T/ttypipe" && bad "stdout a pipe inside a terminal: colour codes" || ok
"$BIN" analyze --color=always $DEMO 2>/dev/null | cat >"$T/pipe-always"
cmp -s "$T/pipe-always" "$T/md" && ok || bad "--color=always alone must not turn a pipe's Markdown into the summary"
"$BIN" analyze -f term --color=always $DEMO 2>/dev/null | cat >"$T/term-always"
cmp -s "$T/term-always" "$T/tty" && ok || bad "-f term --color=always in a pipe: not the terminal's coloured summary"
"$BIN" analyze -f term $DEMO 2>/dev/null | cat >"$T/term-pipe"
cmp -s "$T/term-pipe" "$T/tty.plain" && ok || bad "-f term in a pipe: not the summary without colour"
on_tty "$T/tty-o" "$BIN analyze -o $T/out.md $DEMO"
[ ! -s "$T/tty-o" ] && cmp -s "$T/out.md" "$T/md" && ok || bad "-o FILE on a terminal: not the Markdown file, or output on the terminal"
on_tty "$T/tty-brief" "$BIN analyze --brief $DEMO"; rc=$?
[ "$rc" = 0 ] && has "$T/tty-brief" "Brief: the timeline" && ok || bad "--brief on a terminal: exit $rc, or not the brief Markdown"
on_tty "$T/tty-f" "$BIN analyze -f json $DEMO"
has "$T/tty-f" '"schema":"pmemmap/1"' && ok || bad "-f json on a terminal: no JSON"
"$BIN" analyze --color=sometimes $DEMO >/dev/null 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && has "$T/err" "--color takes auto, always or never" && ok || bad "--color=sometimes: exit $rc"

# ---- hostile names: nothing of theirs drives the terminal -------------------
# After our own SGR codes are taken out, no ESC, no other C0 but the line
# end, no DEL, no C1 (raw or as UTF-8), valid UTF-8; and every line fits.
clean() { # FILE WHAT
	local p="$T/clean.plain"
	plain "$1" >"$p"
	if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$p" || LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$p"; then
		bad "$2: raw control characters reach the terminal"
	else ok; fi
	iconv -f UTF-8 -t UTF-8 "$p" >/dev/null 2>&1 && ok || bad "$2: bytes that are no UTF-8 reach the terminal"
	[ "$(wc -L <"$p")" -le 80 ] && ok || bad "$2: lines over 80 columns ($(wc -L <"$p"))"
}
for h in md-inject utf8-inject; do
	on_tty "$T/h-$h" "$BIN analyze -q $FIX/hostile/$h/*"
	clean "$T/h-$h" "$h on a terminal"
	has "$T/h-$h" "${ESC}[1mCase 1:" && ok || bad "$h on a terminal: not the coloured summary"
	"$BIN" analyze -q -f term --color=always "$FIX"/hostile/$h/* >"$T/h2-$h" 2>&1
	clean "$T/h2-$h" "$h, -f term --color=always"
done
has "$T/h-md-inject" '\x1b]0;T\x07' && ok || bad "md-inject: the escape in a name is not shown as text"
for h in names-control.tar xss-vm-name.tgz names-long.tar names-utf8.tar; do
	on_tty "$T/hx" "$BIN analyze -q -f term --color=always $FIX/hostile/$h"
	clean "$T/hx" "$h"
done

# ---- progress on stderr during a read over a second --------------------------
# members-5000.tar fed through a pipe with a pause: the read takes 1.3 s
SLOW="(head -c 300000 $FIX/hostile/members-5000.tar; sleep 1.3; tail -c +300001 $FIX/hostile/members-5000.tar)"
# the three slow runs at once
on_tty "$T/prog" "$SLOW | $BIN analyze -f md - >/dev/null" &
on_tty "$T/prog-q" "$SLOW | $BIN analyze -q -f md - >/dev/null" &
on_tty "$T/prog-nt" "$SLOW | $BIN analyze -f md - >/dev/null 2>$T/prog-err" &
# cut short after the pause: the diagnostic clears the progress line first
on_tty "$T/prog-diag" "${SLOW%)} | head -c 1000000) | $BIN analyze -f md - >/dev/null" &
wait
has "$T/prog.raw" "reading: " && has "$T/prog.raw" " members; (stdin): " && ok || bad "no progress line on a terminal after a second"
case $(tail -c 4 "$T/prog.raw" | od -An -c | tr -d ' ') in
'\r033[K') ok ;;
*) bad "the progress line is not cleared at the end" ;;
esac
has "$T/prog-diag.raw" $'\r\033[Kpmemmap: (stdin): ' && has "$T/prog-diag.raw" "reading: " && ok ||
	bad "a diagnostic during the progress line is not printed on a clean line"
[ ! -s "$T/prog-q.raw" ] && ok || bad "-q: something on the terminal"
has "$T/prog-err" "reading: " && bad "stderr not a terminal: a progress line" || ok
on_tty "$T/prog-fast" "$BIN analyze $DEMO >/dev/null"
[ ! -s "$T/prog-fast.raw" ] && ok || bad "a read under a second shows a progress line"

echo "term-check: $pass passed, $fail failed"
[ $fail = 0 ]
