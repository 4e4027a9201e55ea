#!/bin/sh
# Fetches PyNN 0.10.1's source tarball from Debian's archive (the version Debian's
# python3-pynn is), checks it against the sha256 of Debian's .dsc, and unpacks its
# examples/ into a cache outside git: ${1:-build/cache}/pynn-0.10.1/examples.
# Nothing of it is vendored; python/tests/pynn/test_pynn_examples.py runs the examples
# that use only what pyNN.nmtwin supports (docs/pynn.md, "PyNN's own examples").
#   python/fetch_pynn_examples.sh [CACHE_DIR]
# A copy already at $PYNN_TARBALL (or /tmp/pynnsrc/pynn_0.10.1.orig.tar.gz) is used
# instead of the download when its hash matches.
set -eu
cache=${1:-build/cache}
base=http://deb.debian.org/debian/pool/main/p/pynn
tarball=pynn_0.10.1.orig.tar.gz
dsc=pynn_0.10.1-2.dsc
# Checksums-Sha256 of pynn_0.10.1-2.dsc (Debian bookworm).
expected=b11817579915acd7b905f49a37369d0f203f1870267f51d8caa6d78ac35cd5c2
dest=$cache/pynn-0.10.1
if [ -f "$dest/examples/simpleRandomNetwork.py" ]; then
  echo "PyNN 0.10.1 examples already in $dest/examples"
  exit 0
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
local_copy=${PYNN_TARBALL:-/tmp/pynnsrc/$tarball}
if [ -f "$local_copy" ] && [ "$(sha256sum "$local_copy" | cut -d' ' -f1)" = "$expected" ]; then
  cp "$local_copy" "$tmp/$tarball"
else
  curl -fsSL "$base/$dsc" -o "$tmp/$dsc"
  grep -q "$expected [0-9]* $tarball" "$tmp/$dsc" || {
    echo "fetch_pynn_examples: $dsc does not list sha256 $expected for $tarball" >&2
    exit 1
  }
  curl -fsSL "$base/$tarball" -o "$tmp/$tarball"
fi
got=$(sha256sum "$tmp/$tarball" | cut -d' ' -f1)
if [ "$got" != "$expected" ]; then
  echo "fetch_pynn_examples: $tarball has sha256 $got, Debian's .dsc says $expected" >&2
  exit 1
fi
mkdir -p "$tmp/x"
tar -xzf "$tmp/$tarball" -C "$tmp/x"
rm -rf "$dest"
mkdir -p "$dest"
mv "$tmp"/x/*/examples "$dest/examples"
echo "PyNN 0.10.1 examples in $dest/examples"
