#!/bin/sh
# The exported symbols of libjixiao.so, as tests/exports.txt lists them:
# one "symbol@@JIXIAO_1" a line, sorted in the C locale.
#
#   scripts/exports.sh library LIB.so      what LIB.so exports (normalised)
#   scripts/exports.sh header  jixiao.h    what the header's JX_API
#                                          declarations promise
#   scripts/exports.sh check LIB.so jixiao.h exports.txt
#                                          fail unless the library exports
#                                          exactly exports.txt, only jx_*
#                                          names, and exports.txt matches
#                                          the header
#
# NM may name another nm (e.g. llvm-nm); it must accept
# --with-symbol-versions.

set -eu

node=JIXIAO_1
nm=${NM:-nm}
LC_ALL=C
export LC_ALL

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

# Every dynamic symbol the library defines, "name" or "name@@VERSION", one a
# line, without the symbol that names the version node itself.
raw_library() {
    "$nm" -D --defined-only --with-symbol-versions "$1" |
        awk -v node="$node" 'NF >= 2 {
            name = $NF; type = $(NF - 1)
            if (type == "A" && name ~ "^" node "(\\.[0-9]+)?$") next
            print name
        }' | sort -u
}

# Names listed by name in a later node of the version script (JIXIAO_1.1,
# ...) carry that node; every other jx_* name is JIXIAO_1's.
map=${JX_MAP:-$(dirname "$0")/../lib/jixiao.map}
from_header() {
    sed -n 's/^[[:space:]]*JX_API[^(]*[^A-Za-z0-9_]\(jx_[A-Za-z0-9_]*\)[[:space:]]*(.*/\1/p' "$1" |
        awk -v node="$node" -v map="$map" 'BEGIN {
            while ((getline line < map) > 0) {
                if (line ~ /^JIXIAO_[0-9.]+[[:space:]]*\{/) { cur = line; sub(/[[:space:]]*\{.*/, "", cur) }
                else if (cur != node && line ~ /^[[:space:]]*jx_[A-Za-z0-9_]+;/) {
                    n = line; gsub(/[[:space:];]/, "", n); at[n] = cur
                }
            }
        } { print $0 "@@" ((($0) in at) ? at[$0] : node) }' | sort -u
}

case ${1:-} in
    library)
        [ $# -eq 2 ] || usage
        raw_library "$2"
        ;;
    header)
        [ $# -eq 2 ] || usage
        from_header "$2"
        ;;
    check)
        [ $# -eq 4 ] || usage
        lib=$2 header=$3 expected=$4
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        raw_library "$lib" >"$tmp/actual"
        status=0
        bad=$(grep -v "^jx_[A-Za-z0-9_]*@@$node\(\.[0-9][0-9]*\)\{0,1\}\$" "$tmp/actual" || true)
        if [ -n "$bad" ]; then
            echo "FAIL: $lib exports symbols that are not jx_*@@$node:" >&2
            printf '%s\n' "$bad" | sed 's/^/    /' >&2
            status=1
        fi
        if ! diff -u "$expected" "$tmp/actual" >"$tmp/diff"; then
            echo "FAIL: $lib does not export what $expected lists" \
                "(- listed but not exported, + exported but not listed):" >&2
            sed '1,2d' "$tmp/diff" >&2
            echo "    (if the change is intended: make update-exports)" >&2
            status=1
        fi
        from_header "$header" >"$tmp/header"
        if ! diff -u "$tmp/header" "$expected" >"$tmp/diff"; then
            echo "FAIL: $expected does not match the JX_API declarations of" \
                "$header (- declared but not listed, + listed but not declared):" >&2
            sed '1,2d' "$tmp/diff" >&2
            status=1
        fi
        if [ "$status" = 0 ]; then
            echo "exports: $(wc -l <"$tmp/actual" | tr -d ' ') symbols, all jx_*@@$node, match $expected"
        fi
        exit "$status"
        ;;
    *)
        usage
        ;;
esac
