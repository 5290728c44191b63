#!/bin/sh
# Shows that `make abi-check` catches ABI breaks (docs/abi.md): each case
# changes a copy of the tree (in a temporary directory; the tree itself is
# not touched) and runs `make abi-check` there against the committed
# baseline (abi/). Exits 0 when every case turns out as expected.
#
#   scripts/abi-demo.sh [CASE...]      default: all cases
#
#   unchanged   nothing changed: passes
#   signature   jx_scheme_precision returns long instead of int: fails
#   parameter   jx_input_set_number takes a float instead of a double: fails
#   removed     jx_version_number removed: fails
#   struct      a field added to jx_error: fails
#   enum        a code appended to enum jx_code: passes (a minor release may)
#   added-node  a new function in a new version node JIXIAO_1.1: passes
#   added-old   the same function in the released node JIXIAO_1: fails
#
# ABI_DEMO_KEEP=1 keeps the temporary directory.
set -eu

cd "$(dirname "$0")/.."
make=${MAKE:-make}
all="unchanged signature parameter removed struct enum added-node added-old"
cases=${*:-$all}

if [ ! -f abi/libjixiao.so.1.abi ]; then
    echo "abi-demo: no baseline in abi/ (scripts/abi-baseline.sh)" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-abi-demo.XXXXXX")
if [ "${ABI_DEMO_KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$tmp"' EXIT
fi

# The tree as it is (tracked and new files, not build outputs).
snapshot() {
    rm -rf "$tmp/tree"
    mkdir -p "$tmp/tree"
    if git rev-parse --git-dir >/dev/null 2>&1; then
        git ls-files -z --cached --others --exclude-standard |
            xargs -0 tar cf - 2>/dev/null | (cd "$tmp/tree" && tar xf -)
    else
        tar cf - --exclude=./build . | (cd "$tmp/tree" && tar xf -)
    fi
}

# Replace text in a file of the copy; the text must be there.
edit() {
    file=$tmp/tree/$1
    python3 - "$file" "$2" "$3" <<'PY'
import sys
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(path, encoding="utf-8").read()
if old not in s:
    sys.exit("abi-demo: %r not found in %s" % (old, path))
open(path, "w", encoding="utf-8").write(s.replace(old, new, 1))
PY
}

new_function() {
    edit include/jixiao.h 'JX_API unsigned jx_features(void);' \
        'JX_API unsigned jx_features(void);
JX_API int jx_demo_new_function(void);'
    cat >>"$tmp/tree/lib/util/version.c" <<'C'

JX_API int jx_demo_new_function(void)
{
    return 1;
}
C
}

apply() {
    case $1 in
        unchanged) ;;
        signature)
            edit include/jixiao.h 'JX_API int jx_scheme_precision(' 'JX_API long jx_scheme_precision('
            edit lib/compile/scheme.c 'JX_API int jx_scheme_precision(' 'JX_API long jx_scheme_precision('
            ;;
        parameter)
            edit include/jixiao.h 'jx_input_set_number(jx_input *in, const char *metric, double value)' \
                'jx_input_set_number(jx_input *in, const char *metric, float value)'
            edit lib/eval/input.c 'jx_input_set_number(jx_input *in, const char *metric, double value)' \
                'jx_input_set_number(jx_input *in, const char *metric, float value)'
            ;;
        removed)
            edit include/jixiao.h 'JX_API unsigned jx_version_number(void);' ''
            python3 - "$tmp/tree/lib/util/version.c" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s2 = re.sub(r"JX_API unsigned jx_version_number\(void\)\n\{[^}]*\}\n", "", s)
if s2 == s:
    sys.exit("abi-demo: jx_version_number not found in lib/util/version.c")
open(p, "w").write(s2)
PY
            ;;
        struct)
            edit include/jixiao.h '    int code;          /* a jx_code */' \
                '    int code;          /* a jx_code */
    int severity;'
            ;;
        enum)
            edit include/jixiao.h '    JX_EUNSUPPORTED = -21/* a feature this build does not include */' \
                '    JX_EUNSUPPORTED = -21,/* a feature this build does not include */
    JX_EDEMO = -22'
            ;;
        added-node)
            new_function
            cat >>"$tmp/tree/lib/jixiao.map" <<'MAP'

JIXIAO_1.1 {
    global:
        jx_demo_new_function;
} JIXIAO_1;
MAP
            ;;
        added-old)
            # lib/jixiao.map's jx_* puts it into JIXIAO_1
            new_function
            ;;
        *)
            echo "abi-demo: unknown case $1 (cases: $all)" >&2
            exit 2
            ;;
    esac
}

expect() {
    case $1 in
        unchanged | enum | added-node) echo pass ;;
        *) echo fail ;;
    esac
}

bad=0
for c in $cases; do
    snapshot
    apply "$c"
    want=$(expect "$c")
    echo "==> abi-demo: $c (abi-check should $want)"
    if (cd "$tmp/tree" && $make -s --no-print-directory JX_NO_DEPS=1 abi-check) \
        >"$tmp/$c.log" 2>&1; then
        got=pass
    else
        got=fail
    fi
    sed -n '/^abi-check:/p; /^Functions changes summary/p; /^  \[C\]/p; /return type changed/p; /parameter 1 of type/p; /type size changed/p' \
        "$tmp/$c.log" | sed 's/^/    /' | head -n 12
    if [ "$got" = "$want" ]; then
        echo "    as expected: abi-check ${got}ed"
    else
        echo "    UNEXPECTED: abi-check ${got}ed (log: $tmp/$c.log)" >&2
        bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "abi-demo: every case as expected"
exit "$bad"
