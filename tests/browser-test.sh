#!/bin/bash
# browser-test.sh PMEMMAP - open the HTML reports in headless Chromium: they
# render, show the mapping table, and script injected through a VM name or
# a file name stays text; at 400 px the status column is reachable (the
# table scrolls sideways in its own box, with a hint, and the page itself
# does not); printed, every evidence item is on paper (Chromium prints to
# PDF, pdftotext reads it back); the batch index is a triage view. Chromium
# and poppler-utils come from Debian (make browser installs them).
# Screenshots at 1400 and 400 px are kept in build/browser/.
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
OUT=$(mktemp -d /tmp/pmemmap-browser.XXXXXX)
SHOTS=$SRC/build/browser
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$SHOTS"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] || ! command -v pdftotext >/dev/null; then
	echo "browser: 0 passed, 1 failed (chromium or pdftotext is not installed)"
	exit 1
fi
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
chrome() {
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$OUT/profile" "$@" 2>/dev/null
}
# shot NAME.html: screenshots at 1400 and 400 px wide, kept in build/browser
shot() {
	chrome --screenshot="$SHOTS/${1%.html}-1400.png" --window-size=1400,1000 "file://$OUT/$1" >/dev/null
	chrome --screenshot="$SHOTS/${1%.html}-400.png" --window-size=400,1000 "file://$OUT/$1" >/dev/null
	[ -s "$SHOTS/${1%.html}-1400.png" ] && [ -s "$SHOTS/${1%.html}-400.png" ]
}

# layout PAGE TABLE WIDTH: how PAGE lays TABLE (a CSS selector) out in a
# frame WIDTH px wide, measured by a script in a page of the test's own
# around it (the report forbids scripts): the box around the table, whether
# it scrolls, the page's width, and whether the status cell (the first
# td.st, else the first cell of the first body row) comes into view when
# the box is scrolled to it.
layout() {
	cat >"$OUT/frame-$3.html" <<EOF
<!DOCTYPE html><html><body style="margin:0"><iframe id=f src="$1" width=$3 height=900 style="border:0"></iframe>
<pre id=out>not measured</pre><script>
document.getElementById('f').addEventListener('load', function () {
  var r = [];
  try {
    var d = this.contentDocument, t = d.querySelector('$2'), box = t.parentElement;
    var st = t.querySelector('td.st') || t.querySelector('tbody tr:not(.g) td');
    r.push('box=' + box.className + ' overflow-x=' + getComputedStyle(box).overflowX);
    r.push('scrolls=' + (box.scrollWidth > box.clientWidth));
    r.push('page-fits=' + (d.documentElement.scrollWidth <= $3));
    r.push('hint=' + getComputedStyle(d.querySelector('.hint')).display);
    var before = st.getBoundingClientRect(), b = box.getBoundingClientRect();
    r.push('status-in-view-unscrolled=' + (before.left >= b.left && before.right <= b.right));
    box.scrollLeft += before.left - b.left - 4;
    var s = st.getBoundingClientRect();
    r.push('status-in-view=' + (s.left >= b.left && s.right <= b.right) + ' text=' + st.textContent);
  } catch (e) { r.push('error ' + e); }
  document.getElementById('out').textContent = r.join('\n');
});
</script></body></html>
EOF
	chrome --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom "file://$OUT/frame-$3.html" |
		sed -n '/<pre id="out">/,/<\/pre>/p'
}

# anchors_resolve DOM: every in-page link of DOM names a group of rows
anchors_resolve() {
	local id n=0
	for id in $(grep -o '<a href="#[a-z]*"' "$1" | sed 's/.*#//; s/"//'); do
		grep -q "<tbody id=\"$id\">" "$1" || return 1
		n=$((n + 1))
	done
	[ $n -gt 0 ]
}

# evidence_printed PAGE: every evidence item of PAGE, as often as the page
# has it, is in the text of PAGE printed to PDF (whitespace aside: the PDF
# breaks long lines); prints what is missing
evidence_printed() {
	chrome --print-to-pdf="$OUT/${1%.html}.pdf" --no-pdf-header-footer "file://$OUT/$1" >/dev/null
	# -layout: the text as laid out, a hyphen at the end of a line kept
	pdftotext -layout "$OUT/${1%.html}.pdf" "$OUT/${1%.html}.txt" || return 1
	perl -CSD -e '
		local $/; open my $h, "<:utf8", $ARGV[0] or die; my $html = <$h>;
		open my $p, "<:utf8", $ARGV[1] or die; my $pdf = <$p>; $pdf =~ s/\s+//g;
		my %ent = (amp => "&", lt => "<", gt => ">", quot => "\"", "#39" => "\x27");
		my (%want, $n, $folded);
		while ($html =~ m{<ul class=ev>(.*?)</ul>}gs) {
			my $list = $1;
			while ($list =~ m{<li><code>(.*?)</code></li>}g) {
				(my $t = $1) =~ s/&(amp|lt|gt|quot|#39);/$ent{$1}/g; $t =~ s/\s+//g;
				$want{$t}++; $n++;
			}
		}
		$folded++ while $html =~ m{<details><summary>.*?</summary><ul class=ev>}gs;
		my $bad = 0;
		for my $t (sort keys %want) {
			my $got = () = $pdf =~ /\Q$t\E/g;
			next if $got >= $want{$t};
			print "  not printed ($got of $want{$t}): $t\n" if $bad++ < 3;
		}
		print "  $n evidence items, $folded lists folded on screen\n";
		exit($bad || !$n || !$folded ? 1 : 0);
	' "$OUT/$1" "$OUT/${1%.html}.txt"
}

"$BIN" analyze --quiet -o "$OUT/seed.html" "$SRC"/fixtures/bundles/*
"$BIN" analyze --quiet -o "$OUT/xss.html" "$SRC/fixtures/transcripts/xss-ticket-note.txt"

chrome --dump-dom "file://$OUT/seed.html" >"$OUT/seed.dom"
check "the report renders with its mapping table" 'grep -q "<table class=\"mapping\"" "$OUT/seed.dom"'
check "the table shows nmem1 for pmem-guest-001_1.vmdk, on /logs, matched" \
	'grep -q "<td>pmem-guest-001_1.vmdk<br><small class=\"dir\">/vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/pmem-guest-001/</small></td><td>nmem1</td><td>/dev/pmem1</td><td>/logs </td><td class=\"st matched\">matched</td>" "$OUT/seed.dom"'
check "the findings name the fstab line by kernel name" 'grep -q "mount-by-kernel-name" "$OUT/seed.dom"'
check "the counts come first, each severity a word" \
	'grep -A1 "<h1>" "$OUT/seed.dom" | tail -1 | grep -q "^<p class=\"counts\"><span class=\"sev none\">0 errors</span> <span class=\"sev warning\">1 warning</span> <span class=\"sev none\">0 info</span> in 2 cases; 3 of 3 devices matched.</p>"'
check "no heading over an empty section" '! grep -q "<h[23]>[^<]*</h[23]>\(<ul>\)\?</section>" "$OUT/seed.dom" && ! grep -q "Expected but absent" "$OUT/seed.dom"'
check "the report has its print stylesheet" 'grep -q "@media print{[^}]*}*details::details-content{content-visibility:visible;display:block}" "$OUT/seed.html"'

chrome --dump-dom "file://$OUT/xss.html" >"$OUT/xss.dom"
check "the XSS report renders" 'grep -q "<table class=\"mapping\"" "$OUT/xss.dom"'
check "a script tag in a name did not run" '! grep -q "<title>PWNED" "$OUT/xss.dom"'
check "an onerror handler in a file name did not run" '! grep -q "data-pwned" "$OUT/xss.dom" || ! grep -q "<body[^>]*data-pwned" "$OUT/xss.dom"'
check "the payload is shown as text" 'grep -q "&lt;script&gt;document.title" "$OUT/xss.dom"'
check "no script element reached the DOM" '! grep -q "<script" "$OUT/xss.dom"'
check "the page forbids scripts by CSP" 'grep -q "script-src '"'"'none'"'"'" "$OUT/xss.html"'

# 400 px: the page fits, the table scrolls in its box with a visible hint,
# and scrolled there, the status is in view; at 1400 px it is in view as is
check "screenshots of the report at 1400 and 400 px" 'shot seed.html'
layout seed.html table.mapping 400 >"$OUT/seed-400.txt"
check "400 px: the mapping table scrolls sideways in its own box, the page does not" \
	'grep -q "box=scroll overflow-x=auto" "$OUT/seed-400.txt" && grep -q "scrolls=true" "$OUT/seed-400.txt" && grep -q "page-fits=true" "$OUT/seed-400.txt"'
check "400 px: a hint says the table scrolls" 'grep -q "hint=block" "$OUT/seed-400.txt"'
check "400 px: the status column is reachable" 'grep -q "status-in-view=true text=matched" "$OUT/seed-400.txt"'
layout seed.html table.mapping 1400 >"$OUT/seed-1400.txt"
check "1400 px: the status is in view without scrolling, no hint" \
	'grep -q "status-in-view-unscrolled=true" "$OUT/seed-1400.txt" && grep -q "hint=none" "$OUT/seed-1400.txt"'
[ "$fail" = 0 ] || cat "$OUT/seed-400.txt" "$OUT/seed-1400.txt"

# postmortem: the first thing on the page after the counts is the answer,
# with evidence; the timeline is labelled in the drawing
F=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
"$BIN" analyze --quiet -o "$OUT/pm.html" "$F/esx-esx01-2026-03-05--10.12-2107676.tgz" \
	"$F"/scenarios/removed-esx-*.tgz "$F"/scenarios/postmortem-*.tar.xz \
	"$F/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz"
chrome --dump-dom "file://$OUT/pm.html" >"$OUT/pm.dom"
check "the removal report opens with the counts, then the answer" \
	'grep -A2 "<h1>" "$OUT/pm.dom" | sed -n 2p | grep -q "^<p class=\"counts\"><span class=\"sev error\">1 error</span>" &&
	 grep -A2 "<h1>" "$OUT/pm.dom" | sed -n 3p | grep -q "^<div class=\"answer\"><b>What changed</b>"'
check "the answer names the removal, the renumbering and the mount" \
	'grep -q "pmem-guest-001.vmdk was removed; at the next boot nmem1 (pmem-guest-001_1.vmdk) became nmem0, /dev/pmem1 became /dev/pmem0; /etc/fstab mounts /dev/pmem0 on /data, which now reaches pmem-guest-001_1.vmdk" "$OUT/pm.dom"'
check "the answer carries its evidence" 'grep -q "Evidence:</div><ul class=\"ev\"><li><code>" "$OUT/pm.dom"'
check "the timeline has its lanes" 'grep -q "<svg class=\"lanes\"" "$OUT/pm.dom"'
check "timeline dots carry their number and kind as text, runs of one kind as one label" \
	'grep -q "<text class=\"lab\" [^>]*>1 power-on</text>" "$OUT/pm.dom" && grep -q "<text class=\"lab\" [^>]*>4–8 nvdimm</text>" "$OUT/pm.dom"'
check "the timeline has a legend, each colour with its word" \
	'grep -q "<ul class=\"legend\">.*<li><span class=\"k-on\"></span>power-on, boot</li><li><span class=\"k-off\"></span>power-off</li>" "$OUT/pm.dom"'
check "the timeline table numbers the events as the drawing does" 'grep -q "<tr class=\"host\"><td>1</td><td>2026-03-04 14:02:11</td>" "$OUT/pm.dom"'
check "screenshots of the postmortem report at 1400 and 400 px" 'shot pm.html'
layout pm.html table.mapping 400 >"$OUT/pm-400.txt"
check "400 px: the postmortem page fits, its status column is reachable" \
	'grep -q "page-fits=true" "$OUT/pm-400.txt" && grep -q "status-in-view=true" "$OUT/pm-400.txt"'

# printed: every evidence list unfolded, every item on paper
check "printed, the seed report shows every evidence item" 'evidence_printed seed.html'
check "printed, the postmortem report shows every evidence item" 'evidence_printed pm.html'

# the batch index: counts at the top linking to their rows, status first
"$BIN" batch -q -o "$OUT/run" "$F/esx-esx01-2026-03-05--10.12-2107676.tgz" \
	"$F/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz" "$F/scenarios/no-vmdk-uuid-esx-esx01-2026-03-05--10.12-2107676.tgz"
cp "$OUT/run/index.html" "$OUT/index.html"
chrome --dump-dom "file://$OUT/index.html" >"$OUT/index.dom"
check "the index counts its cases at the top, each count linking to its rows" \
	'grep -q "<ul class=\"triage\">" "$OUT/index.dom" && anchors_resolve "$OUT/index.dom"'
check "the index keeps the report's CSP" 'grep -q "script-src '"'"'none'"'"'" "$OUT/index.html"'
check "screenshots of the index at 1400 and 400 px" 'shot index.html'
layout index.html table.idx 400 >"$OUT/index-400.txt"
check "400 px: the index page fits and its status column is in view" \
	'grep -q "page-fits=true" "$OUT/index-400.txt" && grep -q "status-in-view-unscrolled=true" "$OUT/index-400.txt"'

echo "browser: $pass passed, $fail failed (screenshots in ${SHOTS#"$SRC"/})"
[ "$fail" = 0 ]
