#!/bin/sh
# Build and test jixiao with JX_EXTRACT=0 on a "machine without pcre2":
# a copy of the tree is built with pkg-config able to see jansson and check
# but not libpcre2-8, then the unit tests run and the library is checked
# for any trace of pcre2.
#
#   scripts/check-noextract.sh
set -eu

top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-noextract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() {
    echo "check-noextract: $*" >&2
    exit 1
}

# pkg-config that knows jansson and check (and what check needs), not pcre2.
mkdir "$tmp/pc"
for pkg in jansson check libsubunit; do
    dir=$(pkg-config --variable=pcfiledir "$pkg" 2>/dev/null) || continue
    ln -s "$dir/$pkg.pc" "$tmp/pc/$pkg.pc"
done
PKG_CONFIG_LIBDIR=$tmp/pc
PKG_CONFIG_PATH=
export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
if pkg-config --exists libpcre2-8; then
    fail "could not hide libpcre2-8 from pkg-config"
fi
echo "--- pkg-config sees no libpcre2-8"

mkdir "$tmp/src"
for f in Makefile jixiao.pc.in LICENSE include lib tests schemes examples scripts mk bench; do
    if [ -e "$f" ]; then cp -R "$f" "$tmp/src/"; fi
done
cd "$tmp/src"
make -s clean >/dev/null 2>&1 || true
echo "--- make JX_EXTRACT=0 (library, examples, tests)"
make --no-print-directory -s JX_EXTRACT=0 JX_NO_DEPS=1 WERROR=1 all tests/jixiao-tests build/jixiao.pc
echo "--- unit tests without extraction"
JX_TEST_DATA=tests/data JX_SCHEMES_DIR=schemes tests/jixiao-tests
if nm -D --undefined-only lib/libjixiao.so.* | grep -q pcre2; then
    fail "the JX_EXTRACT=0 library still refers to pcre2"
fi
if ldd lib/libjixiao.so.* | grep -q pcre2; then
    fail "the JX_EXTRACT=0 library still links libpcre2"
fi
grep -q '^Requires.private: jansson$' build/jixiao.pc ||
    fail "jixiao.pc does not reflect JX_EXTRACT=0: $(grep Requires build/jixiao.pc)"
echo "--- no pcre2 in the library or in jixiao.pc"
cd "$top"
