#!/bin/bash
# browser-test.sh PMEMMAP - open the HTML report in headless Chromium: it
# renders, shows the mapping table, and script injected through a VM name
# or a file name stays text. Chromium comes from Debian (make test installs it).
set -u
BIN=$1
SRC=${PMEMMAP_SRC:-$(pwd)}
OUT=$(mktemp -d /tmp/pmemmap-browser.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	echo "browser: 0 passed, 1 failed (chromium is not installed)"
	exit 1
fi
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
chrome() {
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$OUT/profile" "$@" 2>/dev/null
}

"$BIN" analyze --quiet -o "$OUT/seed.html" "$SRC"/fixtures/bundles/*
"$BIN" analyze --quiet -o "$OUT/xss.html" "$SRC/fixtures/transcripts/xss-ticket-note.txt"

chrome --dump-dom "file://$OUT/seed.html" >"$OUT/seed.dom"
check "the report renders with its mapping table" 'grep -q "<table class=\"mapping\"" "$OUT/seed.dom"'
check "the table shows nmem1 for pmem-guest-001_1.vmdk" 'grep -q "pmem-guest-001_1.vmdk</td><td>6000c29d-9045-4266-d7cf-edf7a2ebf260</td><td>nmem1</td>" "$OUT/seed.dom"'
check "the findings name the fstab line by kernel name" 'grep -q "mount-by-kernel-name" "$OUT/seed.dom"'

chrome --dump-dom "file://$OUT/xss.html" >"$OUT/xss.dom"
check "the XSS report renders" 'grep -q "<table class=\"mapping\"" "$OUT/xss.dom"'
check "a script tag in a name did not run" '! grep -q "<title>PWNED" "$OUT/xss.dom"'
check "an onerror handler in a file name did not run" '! grep -q "data-pwned" "$OUT/xss.dom" || ! grep -q "<body[^>]*data-pwned" "$OUT/xss.dom"'
check "the payload is shown as text" 'grep -q "&lt;script&gt;document.title" "$OUT/xss.dom"'
check "no script element reached the DOM" '! grep -q "<script" "$OUT/xss.dom"'
check "the page forbids scripts by CSP" 'grep -q "script-src '"'"'none'"'"'" "$OUT/xss.html"'

# postmortem: the first thing on the page is the answer, with evidence
F=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
"$BIN" analyze --quiet -o "$OUT/pm.html" "$F/esx-esx01-2026-03-05--10.12-2107676.tgz" \
	"$F"/scenarios/removed-esx-*.tgz "$F"/scenarios/postmortem-*.tar.xz \
	"$F/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz"
chrome --dump-dom "file://$OUT/pm.html" >"$OUT/pm.dom"
check "the removal report opens with the answer" \
	'grep -A1 "<h1>" "$OUT/pm.dom" | tail -1 | grep -q "^<div class=\"answer\"><b>What changed</b>"'
check "the answer names the removal, the renumbering and the mount" \
	'grep -q "pmem-guest-001.vmdk was removed; at the next boot nmem1 (pmem-guest-001_1.vmdk) became nmem0, /dev/pmem1 became /dev/pmem0; /etc/fstab mounts /dev/pmem0 on /data, which now reaches pmem-guest-001_1.vmdk" "$OUT/pm.dom"'
check "the answer carries its evidence" 'grep -q "Evidence:</div><ul class=\"ev\"><li><code>" "$OUT/pm.dom"'
check "the timeline has its lanes" 'grep -q "<svg class=\"lanes\"" "$OUT/pm.dom"'
chrome --screenshot="$OUT/pm.png" --window-size=1280,800 "file://$OUT/pm.html" >/dev/null
[ -n "${PMEMMAP_KEEP_SCREENSHOT:-}" ] && cp "$OUT/pm.png" "${PMEMMAP_KEEP_SCREENSHOT%.png}-postmortem.png"

chrome --screenshot="$OUT/seed.png" --window-size=1400,900 "file://$OUT/seed.html" >/dev/null
check "a screenshot was taken" '[ -s "$OUT/seed.png" ]'
[ -n "${PMEMMAP_KEEP_SCREENSHOT:-}" ] && cp "$OUT/seed.png" "$PMEMMAP_KEEP_SCREENSHOT"
echo "browser: $pass passed, $fail failed"
[ "$fail" = 0 ]
