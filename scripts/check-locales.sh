#!/bin/sh
# `make check-locale`: numbers must not follow the process locale. Run the
# unit tests under LC_ALL=de_DE.UTF-8 (decimal comma) and LC_ALL=C, and
# jx-score on the example under both, whose outputs must be identical.
#
#   scripts/check-locales.sh TEST_RUNNER JX_SCORE SCHEME METRICS
#
# When de_DE.UTF-8 is not installed it is generated, without root, into a
# temporary directory with localedef and used through LOCPATH (this needs
# /usr/share/i18n/locales/de_DE, from Debian's `locales` package).

set -eu

if [ $# -ne 4 ]; then
    echo "usage: $0 TEST_RUNNER JX_SCORE SCHEME METRICS" >&2
    exit 2
fi
runner=$1
jx_score=$2
scheme=$3
metrics=$4
de=de_DE.UTF-8

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-locale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if locale -a 2>/dev/null | grep -Eqx 'de_DE\.(UTF-8|utf8)'; then
    echo "--- $de is installed"
else
    [ -f /usr/share/i18n/locales/de_DE ] ||
        fail "$de is not installed and /usr/share/i18n/locales/de_DE is missing (apt-get install locales)"
    echo "--- generating $de into a temporary LOCPATH"
    # localedef exits 1 when it only has warnings; the check below is what
    # decides whether the locale works.
    localedef -i de_DE -f UTF-8 "$tmp/$de" 2>"$tmp/localedef.err" || true
    LOCPATH=$tmp
    export LOCPATH
fi

# Prove the locale is really in effect: its radix character is a comma.
radix=$(LC_ALL=$de locale decimal_point 2>"$tmp/locale.err" || true)
if [ "$radix" != "," ] || [ -s "$tmp/locale.err" ]; then
    cat "$tmp/localedef.err" "$tmp/locale.err" 2>/dev/null >&2 || true
    fail "could not use the $de locale (decimal_point is '$radix')"
fi

# JX_EXPECT_COMMA=1 tells the suite that the locale it runs under has a
# decimal comma, so it can check that the locale is really in force (the
# runner calls setlocale(LC_ALL, "")).
echo "--- unit tests, LC_ALL=$de"
LC_ALL=$de JX_EXPECT_COMMA=1 "$runner" || fail "unit tests failed under LC_ALL=$de"
echo "--- unit tests, LC_ALL=C"
LC_ALL=C JX_EXPECT_COMMA=0 "$runner" || fail "unit tests failed under LC_ALL=C"

for f in "$scheme" "$metrics"; do
    [ -f "$f" ] || fail "example file $f does not exist"
done

# jx-score exits 1 for an incomplete result; only 2 (an error) fails here,
# but the status must not depend on the locale either.
for mode in table json; do
    for loc in "$de" C; do
        set -- "$scheme" "$metrics"
        [ "$mode" = json ] && set -- "$@" --json
        status=0
        LC_ALL=$loc "$jx_score" "$@" >"$tmp/$mode.$loc.out" 2>&1 || status=$?
        [ "$status" -le 1 ] || {
            cat "$tmp/$mode.$loc.out" >&2
            fail "jx-score ($mode) exited $status under LC_ALL=$loc"
        }
        echo "$status" >>"$tmp/$mode.$loc.out"
    done
    if ! cmp -s "$tmp/$mode.$de.out" "$tmp/$mode.C.out"; then
        diff -u "$tmp/$mode.C.out" "$tmp/$mode.$de.out" >&2 || true
        fail "jx-score ($mode) prints differently under LC_ALL=$de and LC_ALL=C"
    fi
    echo "--- jx-score ($mode): identical under LC_ALL=$de and LC_ALL=C"
done
