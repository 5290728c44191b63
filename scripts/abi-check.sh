#!/bin/sh
# The ABI guard (make abi-check; docs/abi.md):
#
#   scripts/abi-check.sh BASELINE.abi BASELINE-SYMBOLS CURRENT.abi CURRENT-SYMBOLS
#
# Fails when
#   - a symbol of the baseline is gone, or has another version
#     ("jx_x@@JIXIAO_1" no longer exported as such);
#   - a symbol was added to a version node the baseline already has (a new
#     symbol belongs to a new node, JIXIAO_1.1, ...: docs/abi.md);
#   - abidiff finds any change to the functions and types of the baseline
#     (its exit status has bit 4, ABIDIFF_ABI_CHANGE, or bit 8,
#     ABIDIFF_ABI_INCOMPATIBLE_CHANGE), or cannot compare (bits 1, 2).
# Added functions are left to the first two checks (abidiff --no-added-syms).
# ABIDIFF names abidiff.
set -eu

if [ $# -ne 4 ]; then
    sed -n '2,16s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
base_abi=$1 base_syms=$2 cur_abi=$3 cur_syms=$4
abidiff=${ABIDIFF:-abidiff}
LC_ALL=C
export LC_ALL

for f in "$base_abi" "$base_syms"; do
    if [ ! -f "$f" ]; then
        echo "abi-check: no baseline $f (scripts/abi-baseline.sh makes it)" >&2
        exit 1
    fi
done

fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' "$base_syms" | sed '/^$/d' | sort -u >"$tmp/base"
grep -v '^#' "$cur_syms" | sed '/^$/d' | sort -u >"$tmp/cur"

# 1. Every baseline symbol, with its version.
comm -23 "$tmp/base" "$tmp/cur" >"$tmp/gone"
if [ -s "$tmp/gone" ]; then
    echo "abi-check: symbols of the baseline no longer exported (or with another version):" >&2
    sed 's/^/    /' "$tmp/gone" >&2
    fail=1
fi

# 2. New symbols only in new version nodes.
sed -n 's/.*@//p' "$tmp/base" | sort -u >"$tmp/base-nodes"
comm -13 "$tmp/base" "$tmp/cur" >"$tmp/added"
if [ -s "$tmp/added" ]; then
    while IFS= read -r sym; do
        node=${sym##*@}
        if [ "$node" = "$sym" ] || grep -qx "$node" "$tmp/base-nodes"; then
            echo "abi-check: $sym added to a released version node; new symbols go to a new" \
                "node (e.g. JIXIAO_1.1 in lib/jixiao.map; docs/abi.md)" >&2
            fail=1
        else
            echo "abi-check: added $sym (new node $node)"
        fi
    done <"$tmp/added"
fi

# 3. abidiff: any change to what the baseline has.
set +e
"$abidiff" --no-added-syms "$base_abi" "$cur_abi" >"$tmp/abidiff.txt" 2>&1
rc=$?
set -e
if [ $((rc & 3)) -ne 0 ]; then
    echo "abi-check: abidiff could not compare (exit $rc):" >&2
    cat "$tmp/abidiff.txt" >&2
    fail=1
elif [ $((rc & 12)) -ne 0 ]; then
    what="changed"
    [ $((rc & 8)) -ne 0 ] && what="changed incompatibly"
    echo "abi-check: the ABI $what (abidiff exit $rc):" >&2
    cat "$tmp/abidiff.txt" >&2
    fail=1
fi

if [ "$fail" -ne 0 ]; then
    echo "abi-check: FAILED against $base_abi" >&2
    exit 1
fi
echo "abi-check: $(wc -l <"$tmp/base") symbols of $base_abi unchanged; abidiff exit $rc"
