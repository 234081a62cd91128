#!/bin/sh
# Install what pmemmap needs to build and test, if it is missing (Debian).
# Safe to run again: it only calls apt-get when a package is absent.
set -eu

pkgs="build-essential pkg-config libarchive-dev liblzma-dev libzstd-dev libpcre2-dev libjson-c-dev libcmocka-dev
libisal-dev isal libarchive-tools xz-utils zstd bzip2 gzip zip unzip valgrind jq parallel time perl
cmark cmark-gfm bsdutils debhelper dpkg-dev lintian man-db
busybox dash shellcheck"
[ "${PMEMMAP_DEPS_EXTRA:-}" ] && pkgs="$pkgs $PMEMMAP_DEPS_EXTRA"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
