#!/bin/sh
# (Re)write the ABI baseline from the current tree (docs/abi.md): only when
# a release fixes the ABI (the first release, then a minor release that
# adds a version node), never to make `make abi-check` pass.
#
#   scripts/abi-baseline.sh        run from the top of the tree
#
# Builds the shared library with -g -Og (make abi-dump: build/abi/) and
# copies
#   build/abi/libjixiao.so.1.abi -> abi/libjixiao.so.1.abi   (abidw --headers-dir
#                                   include --drop-private-types)
#   build/abi/symbols.txt        -> abi/symbols.txt          ("name@@NODE" lines)
set -eu

make=${MAKE:-make}
cd "$(dirname "$0")/.."
$make --no-print-directory abi-dump
mkdir -p abi
version=$(awk '$2 == "JX_VERSION_STRING" { gsub(/"/, "", $3); print $3 }' include/jixiao.h)
cp build/abi/libjixiao.so.1.abi abi/libjixiao.so.1.abi
{
    echo "# Exported symbols of libjixiao.so.1 $version (scripts/abi-baseline.sh; docs/abi.md)"
    cat build/abi/symbols.txt
} >abi/symbols.txt
echo "abi-baseline: abi/libjixiao.so.1.abi and abi/symbols.txt ($(grep -vc '^#' abi/symbols.txt) symbols) from $version"
