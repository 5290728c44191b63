#!/bin/sh
# A throwaway PostgreSQL server for the extension's tests and benchmark.
#
#   bindings/postgresql/test/run.sh check   regression tests (pg_regress,
#                                           sql/ against expected/), scores
#                                           against jx-score on the bundled
#                                           examples, memory over 100,000 calls
#   bindings/postgresql/test/run.sh bench   rows/s for 1,000,000 rows
#
# Run from the top of the tree after `make all postgresql` (the top
# Makefile's check-postgresql and bench-postgresql do that). The extension is
# installed into the server's own directories (pg_config --sharedir and
# --pkglibdir: PostgreSQL 15 finds extensions nowhere else), which needs
# root or write access there. initdb, pg_ctl and psql refuse to run as root:
# as root they run as the unprivileged user $JX_PG_USER (default nobody),
# in a temporary directory that user owns. The cluster is made with the
# de_DE.UTF-8 locale (decimal comma), generated into a temporary LOCPATH
# when it is not installed: scores must not depend on it.

set -eu

mode=${1:-check}
PG_CONFIG=${PG_CONFIG:-pg_config}
MAKE=${MAKE:-make}
top=$(pwd)
ext=$top/bindings/postgresql

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

command -v "$PG_CONFIG" >/dev/null 2>&1 || fail "pg_config not found ($PG_CONFIG): make deps DEPS_ARGS=--with-postgresql"
bindir=$("$PG_CONFIG" --bindir)
pgxs=$("$PG_CONFIG" --pgxs)
pg_regress=$(dirname "$pgxs")/../test/regress/pg_regress
for p in initdb pg_ctl postgres psql; do
    [ -x "$bindir/$p" ] || fail "$bindir/$p not found (postgresql-15 is not installed?)"
done
[ -x "$pg_regress" ] || fail "$pg_regress not found (postgresql-server-dev-15)"
[ -f "$ext/jixiao.so" ] || fail "$ext/jixiao.so is not built: make postgresql"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-pg.XXXXXX")
chmod 755 "$tmp"
data=$tmp/data
sock=$tmp/sock
port=5432
started=0

cleanup() {
    if [ "$started" = 1 ]; then
        as_user "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "${JX_PG_KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

# ---- who runs the server ----------------------------------------------------
if [ "$(id -u)" = 0 ]; then
    user=${JX_PG_USER:-nobody}
    id "$user" >/dev/null 2>&1 || fail "user $user does not exist (set JX_PG_USER)"
    if command -v runuser >/dev/null 2>&1; then
        as_user() { runuser -u "$user" -- env HOME="$tmp" LOCPATH="${LOCPATH:-}" "$@"; }
    else
        as_user() { setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups \
            env HOME="$tmp" LOCPATH="${LOCPATH:-}" "$@"; }
    fi
else
    user=$(id -un)
    as_user() { env HOME="$tmp" LOCPATH="${LOCPATH:-}" "$@"; }
fi

# ---- install the extension --------------------------------------------------
sharedir=$("$PG_CONFIG" --sharedir)/extension
pkglibdir=$("$PG_CONFIG" --pkglibdir)
if [ ! -w "$sharedir" ] || [ ! -w "$pkglibdir" ]; then
    fail "cannot write $sharedir and $pkglibdir to install the extension (run as root)"
fi
echo "--- installing the extension into $pkglibdir and $sharedir"
$MAKE --no-print-directory -s -C "$ext" PG_CONFIG="$PG_CONFIG" install >/dev/null

# ---- locale -----------------------------------------------------------------
de=de_DE.UTF-8
if locale -a 2>/dev/null | grep -Eqx 'de_DE\.(UTF-8|utf8)'; then
    :
else
    [ -f /usr/share/i18n/locales/de_DE ] ||
        fail "$de is not installed and /usr/share/i18n/locales/de_DE is missing (apt-get install locales)"
    mkdir -p "$tmp/locale"
    localedef -i de_DE -f UTF-8 "$tmp/locale/$de" 2>/dev/null || true
    LOCPATH=$tmp/locale
    export LOCPATH
    chmod -R a+rX "$tmp/locale"
fi
LOCPATH=${LOCPATH:-} LC_ALL=$de sh -c 'locale 2>&1' | grep -q 'Cannot set' &&
    fail "the $de locale cannot be used"

# ---- the server ---------------------------------------------------------------
mkdir -p "$sock" "$tmp/work"
[ "$(id -u)" = 0 ] && chown -R "$user" "$tmp"
echo "--- initdb ($de) and pg_ctl start as $user on the socket directory $sock"
as_user "$bindir/initdb" -D "$data" -A trust -E UTF8 --locale="$de" -U jixiao >"$tmp/initdb.log" 2>&1 ||
    { cat "$tmp/initdb.log" >&2; fail "initdb"; }
as_user "$bindir/pg_ctl" -D "$data" -w -l "$tmp/server.log" \
    -o "-k $sock -c listen_addresses= -p $port -c max_parallel_workers_per_gather=0 -c lc_messages=C" start >/dev/null ||
    { cat "$tmp/server.log" >&2; fail "pg_ctl start"; }
started=1

psql_run() {
    as_user "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U jixiao "$@"
}

# The fixtures the SQL reads (with \set NAME `cat data/...`), readable by
# the server's user, and the working directory psql runs in.
cp -R "$ext/sql" "$ext/expected" "$tmp/work/"
mkdir -p "$tmp/work/data"
cp "$top"/schemes/*.json "$top"/schemes/examples/*.json "$tmp/work/data/"
cp "$ext"/test/data/* "$tmp/work/data/" 2>/dev/null || true
[ "$(id -u)" = 0 ] && chown -R "$user" "$tmp/work"

server_alive() {
    # A backend that crashed makes the postmaster restart all of them and
    # say so in its log.
    if grep -E 'terminated by signal|server process .* was terminated|PANIC' "$tmp/server.log" >/dev/null; then
        cat "$tmp/server.log" >&2
        fail "a backend crashed"
    fi
}

if [ "$mode" = bench ]; then
    psql_run -d postgres -c 'CREATE DATABASE jx_bench'
    (cd "$tmp/work" && psql_run -d jx_bench -f "$ext/test/bench.sql")
    server_alive
    exit 0
fi

# ---- 1. regression tests --------------------------------------------------------
tests="jixiao errors rows"
echo "--- pg_regress: $tests"
if ! (cd "$tmp/work" && as_user "$pg_regress" --host="$sock" --port="$port" \
        --user=jixiao --inputdir=. --outputdir="$tmp/work" --dbname=jx_regress $tests); then
    cat "$tmp/work/regression.diffs" >&2 2>/dev/null || true
    fail "regression tests (diffs above)"
fi
server_alive

# ---- 2. the bundled examples: jx_score = jx-score --json --------------------------
echo "--- the bundled examples: jx_score and jx_score_rows against examples/jx-score"
psql_run -d postgres -c 'CREATE DATABASE jx_examples'
psql_run -d jx_examples -c 'CREATE EXTENSION jixiao'
n=0
for m in "$top"/schemes/examples/*.metrics.json; do
    base=$(basename "$m" .metrics.json)
    scheme=$(sed -n 's/^ *"scheme": *"\([^"]*\)".*/\1/p' "$top/schemes/examples/$base.expected.json")
    [ -n "$scheme" ] || fail "no scheme named in $base.expected.json"
    "$top/examples/jx-score" "$top/schemes/$scheme" "$m" --json >"$tmp/work/want.json" || [ $? -eq 1 ] ||
        fail "jx-score $scheme $m"
    want_total=$(sed -n 's/^ *"total": *\([0-9.]*\).*/\1/p' "$top/schemes/examples/$base.expected.json")
    [ "$(id -u)" = 0 ] && chown "$user" "$tmp/work/want.json"
    # A scheme naming an extraction profile file is refused by the server
    # (it reads no files): the "extract" key goes, scoring is unchanged. The
    # scheme's digest in the audit block is then that of another text, so
    # for such a scheme the digest is left out of the comparison.
    got=$(cd "$tmp/work" && psql_run -d jx_examples -A -t -F ' ' \
        -v s="$tmp/work/data/$scheme" -v m="$tmp/work/data/$(basename "$m")" <<'SQL'
\set st `cat :s`
\set mt `cat :m`
\set wt `cat want.json`
SELECT :'st'::jsonb ? 'extract' AS stripped, (:'st'::jsonb - 'extract')::text AS st \gset
SELECT CASE WHEN :'stripped'::boolean
            THEN jx_score(:'st', :'mt'::jsonb) #- '{audit,digest}' = :'wt'::jsonb #- '{audit,digest}'
            ELSE jx_score(:'st', :'mt'::jsonb) = :'wt'::jsonb END,
       jx_total(:'st', :'mt'::jsonb) = (:'wt'::jsonb->>'total')::numeric,
       jx_grade(:'st', :'mt'::jsonb) = :'wt'::jsonb->>'grade',
       (SELECT r.total = (:'wt'::jsonb->>'total')::numeric AND r.grade = :'wt'::jsonb->>'grade'
          FROM jx_score_rows(:'st', format('SELECT 1, %L::jsonb', :'mt')) r),
       jx_total(:'st', :'mt'::jsonb);
SQL
) || fail "psql on $base"
    [ "$got" = "t t t t $want_total" ] ||
        fail "$base ($scheme): jx_score/jx_total/jx_grade/jx_score_rows agree? got '$got', want 't t t t $want_total'"
    echo "    $base: total $want_total, as jx-score"
    n=$((n + 1))
done
[ "$n" -ge 8 ] || fail "only $n bundled examples found"
server_alive

# ---- 3. memory: 100,000 calls, good and bad, in one backend -----------------------
echo "--- memory of one backend over 100,000 calls (jx_score, jx_total, bad input)"
(cd "$tmp/work" && psql_run -d jx_examples -f "$ext/test/memory.sql") || fail "memory test"
server_alive

as_user "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
started=0
echo "--- server stopped"
