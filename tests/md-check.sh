#!/bin/bash
# md-check.sh PMEMMAP - Markdown reports of hostile names, rendered by real
# CommonMark renderers: Debian's cmark (CommonMark 0.30) and cmark-gfm
# with the GitHub extensions (tables, strikethrough, autolinks), both with
# --unsafe, which passes raw HTML through as a permissive viewer would
# (their default only hides it behind a comment). The inputs (fixtures/hostile/make-corpus.sh, "Markdown
# injection in every field") carry code-span breakers, raw HTML, image and
# javascript: links, table separators and terminal escapes in their file
# names, member names, VM name, host names, .vmdk names, mount points,
# labels, time zone and log lines. For every Markdown the tool writes of
# them (analyze to a file and to stdout, batch index and case reports):
#   - no raw control character (C0, DEL, C1) anywhere, stderr included;
#   - the rendered HTML holds only elements the report makes itself, and
#     links only to the batch's own case reports;
#   - the payload is still there, as text.
# GFM also turns e-mail addresses in text into mailto: links; no escape
# can stop that (docs/guide.md), so the payloads carry none.
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
IN=$FIX/hostile/md-inject
OUT=$(mktemp -d /tmp/pmemmap-md.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

for t in cmark cmark-gfm; do
	command -v $t >/dev/null || { echo "md-check: $t missing (sh scripts/install-deps.sh)"; exit 2; }
done
[ -d "$IN" ] || { echo "md-check: no $IN (make fixtures)"; exit 2; }

ALLOWED='^(h1|h2|h3|p|ul|li|code|strong|blockquote|table|thead|tbody|tr|th|td|a)$'
# the payloads as the renderers print them when they stay text
SHOWN_IMG='&lt;img src=x onerror=alert(1)&gt;'
SHOWN_LINK='[l](javascript:alert(1))'

has_controls() { LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; }

# check_md NAME FILE [payload-must-show]
check_md() {
	local name=$1 f=$2 r
	check "$name: no raw control character" '! has_controls "$f"'
	for r in cmark gfm; do
		if [ $r = cmark ]; then
			cmark --unsafe "$f" >"$OUT/r.html"
		else
			cmark-gfm --unsafe -e table -e strikethrough -e autolink "$f" >"$OUT/r.html"
		fi
		local tags bad links
		tags=$(grep -o -E '<[A-Za-z][A-Za-z0-9]*' "$OUT/r.html" | tr -d '<' | tr 'A-Z' 'a-z' | sort -u)
		bad=$(grep -v -E "$ALLOWED" <<<"$tags" | tr '\n' ' ')
		check "$name ($r): only the report's own elements [${bad}]" '[ -z "$bad" ]'
		check "$name ($r): no raw HTML comment" '! grep -q "<!--" "$OUT/r.html"'
		links=$(grep -o -E '<a [^>]*>' "$OUT/r.html" | grep -v -E '^<a href="cases/case-[0-9]+\.(md|html)">$' | head -3 | tr '\n' ' ')
		check "$name ($r): links only to case reports [${links}]" '[ -z "$links" ]'
		if [ -n "${3:-}" ]; then
			check "$name ($r): the image payload shows as text" 'grep -qF -- "$SHOWN_IMG" "$OUT/r.html"'
			check "$name ($r): the link payload shows as text" 'grep -qF -- "$SHOWN_LINK" "$OUT/r.html"'
		fi
	done
}

"$BIN" analyze --format md -o "$OUT/both.md" "$IN"/* 2>"$OUT/both.err"
check "analyze of the hostile pair finishes with its documented status" '[ $? -le 1 ]'
check "stderr carries no raw control character" '! has_controls "$OUT/both.err"'
check "the damaged nested archive with a hostile name is reported" 'grep -q "looks like an archive but cannot be opened" "$OUT/both.err"'
check_md "analyze md" "$OUT/both.md" payload
check "the VM name reaches the report" 'grep -qF "onerror=alert(1)" "$OUT/both.md"'
check "the mount point reaches the report" 'grep -qF "/data" "$OUT/both.md"'

# Markdown on standard output, as a user sees it in a terminal
"$BIN" analyze "$IN"/* >"$OUT/stdout.md" 2>/dev/null
check "analyze to stdout: the same Markdown" 'cmp -s "$OUT/stdout.md" "$OUT/both.md"'
check "analyze to stdout: no raw control character" '! has_controls "$OUT/stdout.md"'

for f in "$IN"/*; do
	"$BIN" analyze --format md -o "$OUT/one.md" "$f" 2>/dev/null
	check_md "analyze md of one input" "$OUT/one.md" payload
done

"$BIN" analyze --format html -o "$OUT/both.html" "$IN"/* 2>/dev/null
check "HTML report: no raw control character" '! has_controls "$OUT/both.html"'
check "HTML report: no element from a name" '! grep -q -E "<(img|script)" "$OUT/both.html"'
"$BIN" analyze --format json -o "$OUT/both.json" "$IN"/* 2>/dev/null
check "JSON report: no raw control character" '! has_controls "$OUT/both.json"'
check "JSON report: still the names, escaped" 'jq -e "[.. | strings | select(test(\"onerror=alert\"))] | length > 0" "$OUT/both.json" >/dev/null'

"$BIN" batch -q -j 2 -o "$OUT/batch" "$IN" 2>"$OUT/batch.err"
check "batch of the hostile pair: stderr without control characters" '! has_controls "$OUT/batch.err"'
check_md "batch index.md" "$OUT/batch/index.md"
check "batch index links its case reports" 'cmark "$OUT/batch/index.md" | grep -q "<a href=\"cases/case-0001.md\">"'
n=0
for f in "$OUT"/batch/cases/*.md; do
	n=$((n + 1))
	check_md "batch $(basename "$f")" "$f"
done
check "batch wrote case reports ($n)" '[ $n -ge 1 ]'
check "batch results.jsonl: no raw control character" '! has_controls "$OUT/batch/results.jsonl"'

echo "md-check: $pass passed, $fail failed"
[ $fail = 0 ]
