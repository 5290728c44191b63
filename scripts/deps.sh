#!/bin/sh
# Check for what building and testing jixiao needs; install what is missing
# with apt-get when we can (root, or passwordless sudo), else say exactly
# what to install and fail.
#
#   scripts/deps.sh [--with-locales] [--with-python] [--with-python-data] [--no-pcre2]
#                   [--with-fuzz] [--with-valgrind] [--with-abi]
#                   [--with-chromium] [--with-xlsx] [--with-postgresql]
#
# Always checked: a C compiler ($CC, default cc), pkg-config, and through
# pkg-config jansson, libpcre2-8 (not with --no-pcre2, for JX_EXTRACT=0
# builds) and check. With --with-locales (what `make check` passes) also
# /usr/share/i18n/locales/de_DE, which lets the test run generate the
# de_DE.UTF-8 locale without root; with --with-python, python3 (the
# binding's tests and the amalgamation script). The hardening targets
# (mk/hardening.mk) ask for what only they need: --with-fuzz clang and its
# libFuzzer runtime (make fuzz), --with-valgrind valgrind (make
# check-valgrind), --with-abi abidw and abidiff from libabigail (make
# abi-check). --with-chromium: chromium, pdftotext (poppler-utils) and a
# Chinese font (fonts-wqy-microhei) for make check-project-html.
# --with-xlsx: libxlsxwriter (libxlsxwriter-dev, for jx-project --xlsx) and
# openpyxl for /usr/bin/python3 (python3-openpyxl: the binding's xlsx reader,
# scripts/jx-xlsx2csv and make check-project-xlsx).
# --with-postgresql: the PostgreSQL 15 server and its PGXS
# build files (postgresql-15, postgresql-server-dev-15; make check-postgresql).
#
# Quiet when everything is present. JX_NO_DEPS=1 skips all of it.

set -eu

if [ "${JX_NO_DEPS:-0}" = 1 ]; then
    exit 0
fi

want_locales=0
want_python=0
want_pcre2=1
want_python_data=0
want_fuzz=0
want_valgrind=0
want_abi=0
want_chromium=0
want_xlsx=0
want_postgresql=0
for arg in "$@"; do
    case $arg in
        --with-locales) want_locales=1 ;;
        --with-python) want_python=1 ;;
        --with-python-data) want_python_data=1 ;;
        --no-pcre2) want_pcre2=0 ;;
        --with-fuzz) want_fuzz=1 ;;
        --with-valgrind) want_valgrind=1 ;;
        --with-abi) want_abi=1 ;;
        --with-chromium) want_chromium=1 ;;
        --with-xlsx) want_xlsx=1 ;;
        --with-postgresql) want_postgresql=1 ;;
        -h|--help)
            sed -n '2,25s/^# \{0,1\}//p' "$0"
            exit 0
            ;;
        *)
            echo "deps.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

cc=${CC:-cc}
missing=""

add() {
    case " $missing " in
        *" $1 "*) ;;
        *) missing="${missing:+$missing }$1" ;;
    esac
}

# Is a Debian package installed? (Only used when pkg-config itself is
# missing, so the libraries cannot be asked about.)
dpkg_has() {
    command -v dpkg-query >/dev/null 2>&1 &&
        dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q ' installed$'
}

# Fill $missing with the Debian packages that would supply what is absent.
scan() {
    missing=""
    # The C compiler: the first word of $CC (it may be e.g. "ccache gcc").
    # shellcheck disable=SC2086
    set -- $cc
    if ! command -v "$1" >/dev/null 2>&1; then
        case $(basename "$1") in
            clang*) add clang ;;
            *) add gcc; add libc6-dev ;;
        esac
    fi
    command -v pkg-config >/dev/null 2>&1 || add pkg-config
    check_lib jansson libjansson-dev
    if [ "$want_pcre2" = 1 ]; then
        check_lib libpcre2-8 libpcre2-dev
    fi
    check_lib check check
    if [ "$want_locales" = 1 ] && [ ! -f /usr/share/i18n/locales/de_DE ]; then
        add locales
    fi
    if [ "$want_python" = 1 ]; then
        command -v python3 >/dev/null 2>&1 || add python3
    fi
    # --with-python-data: numpy, pandas, dask.distributed and cloudpickle
    # for the binding's data tests (bindings/python/tests/test_data.py).
    # Debian's packages serve /usr/bin/python3, which check-python uses.
    if [ "$want_python_data" = 1 ]; then
        py=/usr/bin/python3
        [ -x "$py" ] || add python3
        "$py" -c 'import numpy' >/dev/null 2>&1 || add python3-numpy
        "$py" -c 'import pandas' >/dev/null 2>&1 || add python3-pandas
        "$py" -c 'import distributed, dask.dataframe' >/dev/null 2>&1 || add python3-distributed
        "$py" -c 'import cloudpickle' >/dev/null 2>&1 || add python3-cloudpickle
    fi
    if [ "$want_fuzz" = 1 ]; then
        if ! command -v clang >/dev/null 2>&1; then
            add clang
        elif ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; return (int)n * 0; }' |
            clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
            add "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
        fi
    fi
    if [ "$want_valgrind" = 1 ]; then
        command -v valgrind >/dev/null 2>&1 || add valgrind
    fi
    if [ "$want_abi" = 1 ]; then
        { command -v abidw && command -v abidiff; } >/dev/null 2>&1 || add abigail-tools
    fi
    if [ "$want_chromium" = 1 ]; then
        [ -x /usr/bin/chromium ] || add chromium
        command -v pdftotext >/dev/null 2>&1 || add poppler-utils
        [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || add fonts-wqy-microhei
    fi
    if [ "$want_xlsx" = 1 ]; then
        check_lib xlsxwriter libxlsxwriter-dev
        /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || add python3-openpyxl
    fi
    # ---- PostgreSQL extension (bindings/postgresql) ----
    if [ "$want_postgresql" = 1 ]; then
        [ -x /usr/lib/postgresql/15/bin/postgres ] || add postgresql-15
        # pgxs.mk alone is not enough: Debian ships it with the client
        # (postgresql-client-15); the server headers are in the -dev package.
        if [ ! -f /usr/lib/postgresql/15/lib/pgxs/src/makefiles/pgxs.mk ] ||
            [ ! -f /usr/include/postgresql/15/server/postgres.h ]; then
            add postgresql-server-dev-15
        fi
    fi
}

# A library, by its pkg-config name, and the Debian package that has it.
check_lib() {
    if command -v pkg-config >/dev/null 2>&1; then
        pkg-config --exists "$1" || add "$2"
    else
        dpkg_has "$2" || add "$2"
    fi
}

scan
if [ -z "$missing" ]; then
    exit 0
fi

apt_cmd=""
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt_cmd="env"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        apt_cmd="sudo -n env"
    fi
fi

if [ -z "$apt_cmd" ]; then
    echo "jixiao: missing build dependencies: $missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
    exit 1
fi

echo "jixiao: installing missing dependencies: $missing" >&2
# shellcheck disable=SC2086
$apt_cmd DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
# shellcheck disable=SC2086
$apt_cmd DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2

# Check again: an install that "succeeded" but left something missing must
# fail here, not later in the build with a less clear message.
scan
if [ -n "$missing" ]; then
    echo "jixiao: still missing after apt-get install: $missing" >&2
    exit 1
fi
exit 0
