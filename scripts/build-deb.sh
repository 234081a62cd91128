#!/bin/sh
# build-deb.sh OUT VERSION - build the Debian package (debian/), source and binary, from a copy
# of this tree in OUT/src. dpkg-buildpackage writes its results into the
# parent of the tree it builds: that is OUT then, never the folder beside
# the clone. Leaves OUT/pmemmap_VERSION_ARCH.deb, the native source
# (.dsc, .tar.xz), .buildinfo, .changes and the build log OUT/build.log. The Makefile's VERSION must be the one of
# debian/changelog (one version for the binary and the package).
set -eu
out=$1 version=$2
want=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$want" != "$version" ]; then
	echo "build-deb: debian/changelog says $want, the Makefile $version: add a changelog entry (dch -v $version)" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out/src"
# the working tree as it is (uncommitted changes included), without the
# build outputs and the git metadata
tar -cf - --exclude=./build --exclude=./.git . | tar -xf - -C "$out/src"
# a make calling this one must not leak its flags and jobserver into it
unset MAKEFLAGS MFLAGS MAKELEVEL PMEMMAP_SRC PMEMMAP_FIXTURES
echo "build-deb: dpkg-buildpackage -us -uc in $out/src (log: $out/build.log)"
if ! (cd "$out/src" && DEB_BUILD_OPTIONS="noddebs parallel=2 ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -us -uc) >"$out/build.log" 2>&1; then
	tail -40 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
fi
rm -rf "$out/src"
ls "$out"/pmemmap_"$version"_*.deb
