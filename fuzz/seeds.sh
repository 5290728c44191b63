#!/bin/sh
# The seed corpora of the fuzz targets, made from the tree's fixtures (run
# from the top of the tree; `make fuzz` and `make fuzz-replay` call it):
#
#   fuzz/seeds.sh OUTDIR     writes OUTDIR/<target>/ for every target
#
#   scheme   schemes/*.json, the municipal scheme with its profile inlined,
#            tests/data/invalid/*/scheme.json, tests/data/extract/*.json
#   input    a scheme-choosing byte + schemes/examples/*.metrics.json, and
#            + tests/data/invalid-input/*/input.json (for schemes/example.json)
#   extract  the municipal report, whole and by paragraph
#   score    a scheme-choosing byte + bytes of the example figures
#   expr     formulas over the target's names (a..h, 甲, [x y], lv)
#   num      doubles and number texts
#   json     every JSON file of schemes/ and tests/data/ (the fast reader)
#   csv      a flags-and-piece-size byte + CSV batches for schemes/example.json
#
# fuzz/regressions/<target>/ (inputs that once failed) are not copied: the
# make targets pass that directory as well.
set -eu

out=${1:?usage: fuzz/seeds.sh OUTDIR}
LC_ALL=C
export LC_ALL
rm -rf "$out"
for t in scheme input extract score expr num json csv; do
    mkdir -p "$out/$t"
done

flat() { echo "$1" | tr '/' '_'; }

# A byte as a printf octal escape.
byte() { printf "\\$(printf '%03o' "$1")"; }

# ---- scheme
for f in schemes/*.json tests/data/invalid/*/scheme.json tests/data/extract/*.json; do
    [ -f "$f" ] && cp "$f" "$out/scheme/$(flat "$f")"
done
# The profile lives in a file the target cannot read (relative names
# resolve nowhere): inline it, so profile compiling is covered too.
m=schemes/municipal-department-2023.json
p=schemes/profiles/municipal-department-2023.extract.json
if [ -f "$m" ] && [ -f "$p" ]; then
    awk -v prof="$p" '
        /"extract": *"[^"]*"/ {
            sub(/"extract": *"[^"]*"/, "\"extract\": @PROFILE@")
            i = index($0, "@PROFILE@")
            printf "%s", substr($0, 1, i - 1)
            while ((getline l < prof) > 0) print l
            print substr($0, i + 9)
            next
        }
        { print }' "$m" >"$out/scheme/municipal-inline-profile.json"
fi

# ---- input and score: the scheme index is the position in the sorted
# list of schemes/*.json (the targets sort the same way).
k=0
example_k=0
for s in schemes/*.json; do
    name=$(basename "$s" .json)
    [ "$name" = example ] && example_k=$k
    ex=schemes/examples/$name.metrics.json
    if [ -f "$ex" ]; then
        { byte "$k"; cat "$ex"; } >"$out/input/$name"
        { byte "$k"; head -c 300 "$ex"; } >"$out/score/$name"
    fi
    { byte "$k"; printf '{}'; } >"$out/input/$name-empty"
    { byte "$k"; printf '\377\001\002\003\004\005\006\007\010\011\012'; } >"$out/score/$name-bytes"
    k=$((k + 1))
done
for d in tests/data/invalid-input/*/; do
    [ -f "$d/input.json" ] || continue
    { byte "$example_k"; cat "$d/input.json"; } >"$out/input/invalid-$(basename "$d")"
done

# ---- extract
r=schemes/examples/municipal-department-2023.report.txt
if [ -f "$r" ]; then
    cp "$r" "$out/extract/report"
    awk -v dir="$out/extract" 'BEGIN { n = 0 } { f = sprintf("%s/para-%03d", dir, n++); print > f; close(f) }' "$r"
fi

# ---- expr: formula, then NUL and choices for some
i=0
while IFS= read -r f; do
    printf '%s' "$f" >"$out/expr/f$i"
    { printf '%s' "$f"; printf '\000\003\001\012\002\001\003\005\004'; } >"$out/expr/g$i"
    i=$((i + 1))
done <<'FORMULAS'
a / b * 100
(a - b) / b * 100
if(a > b, a, b) + min(a, b, c, d) - max(e, f)
round(a / 3, 2) + floor(b) + ceil(c) + abs(d)
not a and b or c
a <= b and b >= c or a != d and a <> e
a == b = c
-(-a) + +b * -c / (d - d)
[x y] + 甲 * 2
lv + 1
1.5e3 - 2E-2 + .5
((((((((a))))))))
if(a, b / c, d / 0)
min(a) + max()
unknown_name + a
a +
FORMULAS

# ---- num: mode, digits, two doubles, then a number's text
i=0
for t in 12 -0.5 1.5e3 +7 0.000000000000000000001 123456789012345678901234567890 1e308 1e-400 \
    2.675 0.125 99999999999999.995 1. .5 - e5 1e 1e+ 12a; do
    { byte $((i % 16)); byte $((i % 10)); printf '\000\000\000\000\000\000\360\077'
      printf '\232\231\231\231\231\231\271\077'; printf '%s' "$t"; } >"$out/num/n$i"
    i=$((i + 1))
done

# ---- json: every JSON document of the tree, well-formed or not
for f in schemes/*.json schemes/*/*.json tests/data/*/*.json tests/data/*/*/*.json; do
    [ -f "$f" ] && cp "$f" "$out/json/$(flat "$f")"
done

# ---- csv: a byte (bit 0: id optional, bit 1: codes, the rest: piece size - 1),
# then a CSV of figures for schemes/example.json
h='id,在职人员数,编制数,财务管理制度健全,社会效益,not_applicable'
{ byte 0; printf '\357\273\277%s\r\nd1,136,143,是,好,2.4\r\n"d,2",136.5,143,否,较好,\r\n' "$h"; } >"$out/csv/bom-crlf"
{ byte 5; printf '%s\n"多行\n的 id",1e3,2,TRUE,一般,1.1;1.2\n\nd4,abc,1,maybe,优秀,9.9\nd5,1,2\n' "$h"; } >"$out/csv/quotes-bad"
{ byte 255; printf '%s\nd6,"1""2",2,1,差,\nd7,"x"y,2,1,差,\nd8, 12 ,\t7,否 ,差 ,\nd9,nan,inf,1,差,' "$h"; } >"$out/csv/values"
{ byte 3; printf '编制数,社会效益,财务管理制度健全\n1.0,2.0,1.0\n2,3,0\n,,\n'; } >"$out/csv/codes"
{ byte 8; printf 'id,id\n'; } >"$out/csv/header-dup"
{ byte 9; printf 'id,"编制数\n1,2\n'; } >"$out/csv/header-open-quote"
# plain rows (the fast path) beside rows it hands to the general one
{ byte 2; printf 'id,在职人员数,编制数,财务管理制度健全,社会效益,not_applicable\nd1,136.0,143.0,1.0,0.0,\nd2,-0,.5,0,2,\nd3,5.,1234567890123456,1,3.0,\nd4,6.4708321257442331,007,1.5,2,2.4\nd5,+1,0.000001,-0,-0,\n'; } >"$out/csv/plain"
{ byte 1; printf '在职人员数,编制数\n1,2\n1,2,3\n1\n,\n"1",2\n1 ,2\n'; } >"$out/csv/plain-counts"
