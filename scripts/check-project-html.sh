#!/bin/sh
# Render jx-project's printable 自评表 in headless chromium, print it to PDF
# and check the text of the rendered pages with pdftotext.
#
#   scripts/check-project-html.sh JX_PROJECT PROJECTS.csv
set -eu

tool=$1
csv=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

"$tool" --html "$dir/sheet.html" "$csv" || test $? -eq 1
# Renamed into place: no temporary file left beside it.
if [ "$(ls -A "$dir")" != sheet.html ]; then
    echo "check-project-html: files beside the sheet: $(ls -A "$dir")" >&2
    exit 1
fi

/usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$dir/profile" --no-pdf-header-footer \
    --print-to-pdf="$dir/sheet.pdf" "file://$dir/sheet.html" >"$dir/chromium.log" 2>&1 || {
    cat "$dir/chromium.log" >&2
    echo "check-project-html: chromium failed" >&2
    exit 1
}
pdftotext -layout "$dir/sheet.pdf" "$dir/sheet.txt"
pages=$(pdfinfo "$dir/sheet.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
size=$(pdfinfo "$dir/sheet.pdf" 2>/dev/null | awk '/^Page size:/ { print $3 "x" $5 }')

fail=0
expect() {
    if ! grep -q -- "$1" "$dir/sheet.txt"; then
        echo "check-project-html: the rendered PDF lacks \"$1\"" >&2
        fail=1
    fi
}
# The form's blocks, project P01's figures, its grade and a deduction reason.
expect '项目支出绩效自评表'
expect '基层干部培训'
expect '年初预算数'
expect '76.00%'
expect '7.60'
expect '年度指标值'
expect '实际完成值'
expect '偏差原因分析及改进措施'
expect '≥500人次'
expect '18.95'
expect '96.05'
expect '等级:优'
expect '扣 1.05 分'
# P04's missing actual is shown as missing, P08's 执行率 too.
expect '缺少数据'
expect '数据不完整'
# One A4 page per project (8 projects; 595x842 pt).
projects=$(awk -F, 'NR > 1 && $1 != "" { print $1 }' "$csv" | sort -u | wc -l)
if [ "$pages" != "$projects" ]; then
    echo "check-project-html: $pages pages for $projects projects" >&2
    fail=1
fi
case $size in
    59[45]*x84[12]*) ;;
    *) echo "check-project-html: page size $size is not A4" >&2; fail=1 ;;
esac
# A bad row: exit 2, the error names file, line and column, and no file is
# written.
head -n 2 "$csv" >"$dir/bad.csv"
printf 'P01,,,,,,,满意度指标,服务对象满意度指标,另一项,10,≥90%%,85个,\n' >>"$dir/bad.csv"
rc=0
"$tool" --html "$dir/bad.html" --summary "$dir/bad-summary.csv" "$dir/bad.csv" \
    2>"$dir/bad.err" || rc=$?
if [ "$rc" != 2 ] || [ -e "$dir/bad.html" ] || [ -e "$dir/bad-summary.csv" ] ||
    ! grep -q 'bad.csv:3: project P01, column 13 (实际完成值)' "$dir/bad.err"; then
    echo "check-project-html: a bad row gave exit $rc, or wrote a file, or this message:" >&2
    cat "$dir/bad.err" >&2
    fail=1
fi
# A failure on the second output (an HTML file in a missing directory):
# exit 2, and the first output (the summary) is neither written nor, when
# it exists, replaced; no temporary file is left.
mkdir "$dir/out"
printf 'before\n' >"$dir/out/old.csv"
for summary in new.csv old.csv; do
    rc=0
    "$tool" --summary "$dir/out/$summary" --html "$dir/missing/sheet.html" "$csv" \
        2>"$dir/second.err" || rc=$?
    if [ "$rc" != 2 ] || [ "$(ls -A "$dir/out")" != old.csv ] ||
        [ "$(cat "$dir/out/old.csv")" != before ] ||
        ! grep -q "missing/sheet.html" "$dir/second.err"; then
        echo "check-project-html: --summary $summary with a failing --html gave exit $rc," \
            "left $(ls -A "$dir/out" | tr '\n' ' ')or this message:" >&2
        cat "$dir/second.err" >&2
        fail=1
    fi
done
if [ "$fail" = 0 ]; then
    echo "check-project-html: $pages A4 pages, every expected text found"
fi
exit $fail
