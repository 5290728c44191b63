#!/bin/sh
# `make check-install`: install jixiao into a temporary DESTDIR, build
# tests/pkgconfig/consumer.c with nothing but `pkg-config jixiao` against the
# shared and then the static library, run both on the example and compare,
# then uninstall and make sure nothing of ours is left.
#
#   scripts/check-install.sh SCHEME METRICS
#
# From the Makefile's environment: MAKE, CC, PKG_CONFIG, JX_VERSION,
# JX_ABI_MAJOR, JX_PREFIX, JX_LIBDIR, JX_INCLUDEDIR, JX_BINDIR,
# JX_PKGCONFIGDIR, JX_SCHEMEDIR.
#
# Then the README's "A custom prefix" block, run as written in a fresh copy
# of the tree (the files git tracks, as they are now) with HOME in a
# temporary directory: install to $HOME/opt/jixiao, build the README's tour
# with PKG_CONFIG_PATH and an rpath, run it; and the installed programs,
# schemes and the Python binding through JIXIAO_LIBRARY.

set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 SCHEME METRICS" >&2
    exit 2
fi
scheme=$1
metrics=$2
make=${MAKE:-make}
cc=${CC:-cc}
pkg_config=${PKG_CONFIG:-pkg-config}
prefix=${JX_PREFIX:-/usr/local}
libdir=${JX_LIBDIR:-$prefix/lib}
includedir=${JX_INCLUDEDIR:-$prefix/include}
bindir=${JX_BINDIR:-$prefix/bin}
pkgconfigdir=${JX_PKGCONFIGDIR:-$libdir/pkgconfig}
schemedir=${JX_SCHEMEDIR:-$prefix/share/jixiao}
version=${JX_VERSION:?JX_VERSION must be set}
abi=${JX_ABI_MAJOR:-1}

for f in "$scheme" "$metrics"; do
    if [ ! -f "$f" ]; then
        echo "FAIL: example file $f does not exist" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
mkdir "$dest"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

step() {
    echo "--- $*"
}

step "make install DESTDIR=$dest"
"$make" --no-print-directory install DESTDIR="$dest"

# Everything we install, relative to DESTDIR.
header=$includedir/jixiao.h
so=$libdir/libjixiao.so
static=$libdir/libjixiao.a
pc=$pkgconfigdir/jixiao.pc
program=$bindir/jx-score

for f in "$header" "$so.$version" "$static" "$pc" "$program"; do
    if [ ! -f "$dest$f" ] || [ -L "$dest$f" ]; then
        fail "$f was not installed as a file"
    fi
done
for p in jx-score jx-lint jx-batch jx-extract jx-project jx-xlsx2csv; do
    [ -x "$dest$bindir/$p" ] || fail "$bindir/$p was not installed"
done
for f in example.json examples/example.metrics.json; do
    [ -f "$dest$schemedir/$f" ] || fail "$schemedir/$f was not installed"
done
[ -n "$(ls "$dest$schemedir"/profiles/*.json 2>/dev/null)" ] ||
    fail "no extraction profiles under $schemedir/profiles"
[ "$(readlink "$dest$so.$abi")" = "libjixiao.so.$version" ] ||
    fail "$so.$abi is not a symlink to libjixiao.so.$version"
[ "$(readlink "$dest$so")" = "libjixiao.so.$abi" ] ||
    fail "$so is not a symlink to libjixiao.so.$abi"

# pkg-config sees the DESTDIR through its sysroot: every -I and -L it prints
# is moved under $dest (those of jansson and pcre2 too, which is harmless:
# they become paths that do not exist and the compiler's defaults find them).
PKG_CONFIG_PATH=$dest$pkgconfigdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

pc_version=$("$pkg_config" --modversion jixiao)
[ "$pc_version" = "$version" ] ||
    fail "pkg-config --modversion jixiao says $pc_version, the header $version"

step "consumer, shared: $cc consumer.c \$($pkg_config --cflags --libs jixiao)"
cflags=$("$pkg_config" --cflags jixiao)
libs=$("$pkg_config" --libs jixiao)
echo "    cflags: $cflags"
echo "    libs:   $libs"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$tmp/consumer-shared" \
    tests/pkgconfig/consumer.c $cflags $libs
readelf -d "$tmp/consumer-shared" | grep -qF "[libjixiao.so.$abi]" ||
    fail "consumer-shared does not need libjixiao.so.$abi"
resolved=$(LD_LIBRARY_PATH=$dest$libdir ldd "$tmp/consumer-shared" |
    awk -v soname="libjixiao.so.$abi" '$1 == soname { print $3 }')
[ "$resolved" = "$dest$libdir/libjixiao.so.$abi" ] ||
    fail "consumer-shared loads libjixiao.so.$abi from '$resolved', not from the DESTDIR"
LD_LIBRARY_PATH=$dest$libdir "$tmp/consumer-shared" "$scheme" "$metrics" \
    >"$tmp/out-shared" || fail "consumer-shared failed"
sed 's/^/    /' "$tmp/out-shared"

step "consumer, static: $cc consumer.c \$($pkg_config --static --cflags --libs jixiao), libjixiao.a linked in"
cflags=$("$pkg_config" --static --cflags jixiao)
libs=$("$pkg_config" --static --libs jixiao)
# Link our library statically and everything else as usual.
static_libs=$(printf '%s\n' "$libs" |
    sed 's/\(^\|[[:space:]]\)-ljixiao\([[:space:]]\|$\)/\1-Wl,-Bstatic -ljixiao -Wl,-Bdynamic\2/')
echo "    cflags: $cflags"
echo "    libs:   $static_libs"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$tmp/consumer-static" \
    tests/pkgconfig/consumer.c $cflags $static_libs
if readelf -d "$tmp/consumer-static" | grep -q 'NEEDED.*libjixiao'; then
    fail "consumer-static still needs the shared libjixiao"
fi
env -u LD_LIBRARY_PATH "$tmp/consumer-static" "$scheme" "$metrics" \
    >"$tmp/out-static" || fail "consumer-static failed"
sed 's/^/    /' "$tmp/out-static"

cmp -s "$tmp/out-shared" "$tmp/out-static" ||
    fail "the shared and the static consumer print different results"

step "installed jx-score runs through its rpath (\$ORIGIN/../lib)"
# Meaningful only when libdir is bindir/../lib, as by default.
if [ "$(dirname "$bindir")/lib" = "$libdir" ]; then
    env -u LD_LIBRARY_PATH "$dest$program" --version ||
        fail "the installed jx-score does not run"
else
    LD_LIBRARY_PATH=$dest$libdir "$dest$program" --version ||
        fail "the installed jx-score does not run"
fi

step "make uninstall DESTDIR=$dest"
"$make" --no-print-directory uninstall DESTDIR="$dest"
left=$(find "$dest" ! -type d)
if [ -n "$left" ]; then
    echo "FAIL: make uninstall left files behind:" >&2
    printf '%s\n' "$left" | sed 's/^/    /' >&2
    exit 1
fi

step "the README's custom-prefix install, in a fresh copy of the tree"
root=$(pwd)
tree=$tmp/tree
home=$tmp/home
mkdir -p "$tree" "$home"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$tree" 2>/dev/null) ||
        fail "cannot copy the tracked files to $tree"
else
    (cd "$root" && tar cf - --exclude=./build --exclude=.git .) | (cd "$tree" && tar xf -)
fi
# The tour: the README's first C block; the commands: its marked block.
awk '/^```c$/ { on = 1; next } on && /^```$/ { exit } on' "$tree/README.md" >"$tree/tour.c"
awk '/<!-- check-install: prefix -->/ { m = 1; next }
     m && /^```sh$/ { on = 1; next } on && /^```$/ { exit } on' "$tree/README.md" >"$tmp/block.sh"
[ -s "$tree/tour.c" ] && [ -s "$tmp/block.sh" ] || fail "README lacks the tour or the prefix block"
sed 's/^/    | /' "$tmp/block.sh"
(cd "$tree" && env -u PKG_CONFIG_PATH -u PKG_CONFIG_SYSROOT_DIR -u LD_LIBRARY_PATH \
    HOME="$home" MAKEFLAGS= CC="$cc" PATH="$PATH" sh -e "$tmp/block.sh" >"$tmp/tour.out" 2>&1) ||
    { sed 's/^/    /' "$tmp/tour.out" | tail -20 >&2; fail "the README's prefix block failed"; }
grep -q '^total ' "$tmp/tour.out" || fail "the tour printed no total"
grep '^total ' "$tmp/tour.out" | sed 's/^/    /'
pfx=$home/opt/jixiao
resolved=$(env -u LD_LIBRARY_PATH ldd "$tree/tour" |
    awk -v soname="libjixiao.so.$abi" '$1 == soname { print $3 }')
[ "$resolved" = "$pfx/lib/libjixiao.so.$abi" ] ||
    fail "the tour loads libjixiao from '$resolved', not through its rpath from $pfx/lib"
for p in jx-score jx-lint jx-batch jx-extract jx-project jx-xlsx2csv; do
    env -u LD_LIBRARY_PATH "$pfx/bin/$p" --help >/dev/null ||
        fail "installed $p --help fails"
done
env -u LD_LIBRARY_PATH "$pfx/bin/jx-score" "$pfx/share/jixiao/example.json" \
    "$pfx/share/jixiao/examples/example.metrics.json" >/dev/null ||
    fail "installed jx-score cannot score the installed example scheme"
# jx-project scores the project fixtures (exit 1: two projects lack data).
rc=0
env -u LD_LIBRARY_PATH "$pfx/bin/jx-project" "$tree/tests/data/projects/projects.csv" \
    >"$tmp/projects.out" || rc=$?
[ "$rc" = 1 ] && grep -q '^P01,基层干部培训,76.00,96.05,优,$' "$tmp/projects.out" ||
    fail "installed jx-project gave exit $rc or no P01 96.05 优 line"
# jx-xlsx2csv, when openpyxl is there, converts a form workbook for it.
if /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1; then
    "$pfx/bin/jx-xlsx2csv" "$tree/tests/data/projects/form-repeated.xlsx" -o "$tmp/forms.csv" ||
        fail "installed jx-xlsx2csv failed"
    env -u LD_LIBRARY_PATH "$pfx/bin/jx-project" "$tmp/forms.csv" | grep -q '^B02,社区文化活动,95.00,90.63,优,$' ||
        fail "installed jx-project does not score jx-xlsx2csv's CSV (B02 90.63 优)"
    echo "    jx-project and jx-xlsx2csv: the fixtures score as expected"
fi
py=$(command -v /usr/bin/python3 || command -v python3 || true)
if [ -n "$py" ]; then
    got=$(cd "$tmp" && JIXIAO_LIBRARY="$pfx/lib/libjixiao.so.$abi" PYTHONPATH="$tree/bindings/python" \
        PYTHONDONTWRITEBYTECODE=1 "$py" -c 'import jixiao; print(jixiao.library_path)') ||
        fail "Python cannot load the installed library through JIXIAO_LIBRARY"
    [ "$got" = "$pfx/lib/libjixiao.so.$abi" ] || fail "Python loaded $got"
    echo "    python: jixiao.library_path = $got"
fi

echo "install: shared and static consumers agree; uninstall left nothing;" \
    "the README's prefix install builds and runs the tour"
