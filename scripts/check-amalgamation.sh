#!/bin/sh
# Check the single-file build (dist/jixiao.c, dist/jixiao.h):
# - it compiles without a warning under gcc and clang, with text extraction
#   and with -DJX_NO_EXTRACT (then without pcre2's flags at all);
# - its object defines no external symbol but the jx_ API;
# - linked into tests/amalgamation/run.c it passes the worked vectors and
#   prints the same results for every bundled example (and the same
#   extracted figures) as the shared library does.
#
#   scripts/check-amalgamation.sh [SHARED_LIBRARY_DIR]
set -eu

libdir=${1:-lib}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-amalgamation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() {
    echo "check-amalgamation: $*" >&2
    exit 1
}

if [ ! -f dist/jixiao.c ] || [ ! -f dist/jixiao.h ]; then
    fail "run make amalgamation first"
fi

with=$(pkg-config --cflags jansson libpcre2-8)
with_libs=$(pkg-config --libs jansson libpcre2-8)
without=$(pkg-config --cflags jansson)
without_libs=$(pkg-config --libs jansson)
check_cflags=$(pkg-config --cflags check)
check_libs=$(pkg-config --libs check)

compilers=gcc
command -v clang >/dev/null 2>&1 && compilers="gcc clang"
for cc in $compilers; do
    for mode in extract noextract; do
        if [ "$mode" = extract ]; then
            defs="" flags=$with
        else
            defs="-DJX_NO_EXTRACT" flags=$without
        fi
        obj=$tmp/jixiao-$cc-$mode.o
        # shellcheck disable=SC2086 # flags are word lists
        $cc -std=c11 -Wall -Wextra -Werror -O2 $defs -c dist/jixiao.c -o "$obj" $flags ||
            fail "dist/jixiao.c does not compile cleanly with $cc ($mode)"
        others=$(nm -g --defined-only "$obj" | awk '{ print $3 }' | grep -v '^jx_' || true)
        [ -z "$others" ] || fail "$cc ($mode): external symbols other than jx_*: $others"
        echo "--- $cc, $mode: compiles with -Wall -Wextra -Werror; only jx_ symbols external" \
             "($(nm -g --defined-only "$obj" | grep -c ' jx_'))"
    done
done

# The same program through the shared library and through the single file.
cc=${CC:-cc}
# shellcheck disable=SC2086
$cc -std=c11 -O2 -Wall -Wextra -Werror -Iinclude -Itests $check_cflags $with -o "$tmp/run-shared" \
    tests/amalgamation/run.c tests/test_vectors.c -L"$libdir" -Wl,-rpath,"$(cd "$libdir" && pwd)" \
    -ljixiao $with_libs $check_libs -lm
"$tmp/run-shared" schemes >"$tmp/shared.out"

for mode in extract noextract; do
    if [ "$mode" = extract ]; then
        defs="" flags=$with libs=$with_libs
    else
        defs="-DJX_NO_EXTRACT" flags=$without libs=$without_libs
    fi
    # shellcheck disable=SC2086
    $cc -std=c11 -O2 -Wall -Wextra -Werror $defs -Idist -Itests $check_cflags $flags -o "$tmp/run-$mode" \
        tests/amalgamation/run.c tests/test_vectors.c dist/jixiao.c $libs $check_libs -lm
    "$tmp/run-$mode" schemes >"$tmp/$mode.out" || fail "the single file ($mode) fails the vectors"
    if [ "$mode" = extract ]; then
        cmp -s "$tmp/shared.out" "$tmp/$mode.out" || {
            diff -u "$tmp/shared.out" "$tmp/$mode.out" | head -40 >&2
            fail "the single file scores differently from the shared library"
        }
    else
        # Without extraction the scores are the same; only the figures read
        # from the report are missing.
        sed '/^== extraction$/,$d' "$tmp/shared.out" >"$tmp/shared-scores.out"
        cmp -s "$tmp/shared-scores.out" "$tmp/$mode.out" || {
            diff -u "$tmp/shared-scores.out" "$tmp/$mode.out" | head -40 >&2
            fail "the single file without extraction scores differently"
        }
    fi
    echo "--- single file ($mode): vectors pass; $(grep -c '^== ' "$tmp/$mode.out") results" \
         "identical to the shared library's"
done
