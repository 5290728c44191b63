# jixiao — build, test and install. GNU make.
#
#   make                  lib/libjixiao.so.X.Y.Z (+ symlinks), lib/libjixiao.a,
#                         every examples/NAME.c as examples/NAME
#   make check            dependencies, then with WERROR=1: unit tests, export
#                         check, install/pkg-config check, sanitizer run,
#                         locale runs, the Python binding's tests, a
#                         ThreadSanitizer run, jx-project's HTML in chromium
#                         and its xlsx read back, the PostgreSQL extension on a
#                         throwaway server (each also runs alone:
#                         check-unit, ..., check-python, check-tsan,
#                         check-postgresql)
#   make bench            batch-scoring benchmark: figures beside targets
#                         (not a test)
#   make postgresql       the PostgreSQL extension (bindings/postgresql;
#                         check-postgresql, bench-postgresql: mk/postgresql.mk)
#   make demo             dependencies, build, read the figures of a bundled
#                         report and score them
#   make install          honours DESTDIR, PREFIX (or prefix), exec_prefix,
#   make uninstall        libdir, includedir, bindir, pkgconfigdir
#   make update-exports   regenerate tests/exports.txt from the built library
#   make deps             check for (and install, when root) the dependencies;
#                         JX_NO_DEPS=1 makes it a no-op
#   make clean
#
# User CC, CFLAGS, CPPFLAGS and LDFLAGS are honoured: ours are added to
# them, never replace them. WERROR=1 adds -Werror. V=1 shows the commands.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

# ---- Version: include/jixiao.h is the one source of truth ------------------

HEADER := include/jixiao.h
jx_version_part = $(shell awk '$$2 == "JX_VERSION_$(1)" { print $$3; exit }' $(HEADER))
VERSION_MAJOR := $(call jx_version_part,MAJOR)
VERSION_MINOR := $(call jx_version_part,MINOR)
VERSION_PATCH := $(call jx_version_part,PATCH)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
ifeq ($(shell echo '$(VERSION)' | grep -Ex '[0-9]+[.][0-9]+[.][0-9]+'),)
$(error cannot read JX_VERSION_MAJOR/MINOR/PATCH from $(HEADER) (got "$(VERSION)"))
endif

# The ABI major: the SONAME and the symbol version node (lib/jixiao.map,
# JIXIAO_1). It changes only with an incompatible ABI change.
ABI_MAJOR := 1

LIB_NAME := libjixiao.so
LIB_SONAME := $(LIB_NAME).$(ABI_MAJOR)
LIB_REAL := $(LIB_NAME).$(VERSION)
SHARED_LIB := lib/$(LIB_REAL)
SHARED_LINKS := lib/$(LIB_SONAME) lib/$(LIB_NAME)
STATIC_LIB := lib/libjixiao.a
LIB_MAP := lib/jixiao.map
# The example programs that `make install` puts in bindir, and the scripts
# (from scripts/) it puts beside them.
INSTALL_PROGRAMS := jx-score jx-lint jx-batch jx-extract jx-project
INSTALL_SCRIPTS := jx-xlsx2csv
TEST_RUNNER := tests/jixiao-tests
ASAN_RUNNER := build/asan/jixiao-tests

# ---- Tools and flags -------------------------------------------------------

# CC and AR keep make's defaults (cc, ar) unless the user sets them.
PKG_CONFIG ?= pkg-config
NM ?= nm
INSTALL ?= install
CFLAGS ?= -O2 -g

JX_WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes
ifeq ($(WERROR),1)
JX_WARN += -Werror
endif
JX_CPPFLAGS := -Iinclude -Ilib -D_POSIX_C_SOURCE=200809L -DPCRE2_CODE_UNIT_WIDTH=8

# JX_EXTRACT=0 builds the library without text extraction and without pcre2:
# the jx_extract* functions remain and fail with JX_EUNSUPPORTED.
JX_EXTRACT ?= 1
JX_SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

# pkg-config is asked at most once per make, and only when a flag is needed
# (so `make deps` / `make clean` work before the libraries are installed).
ifeq ($(JX_EXTRACT),0)
JX_CPPFLAGS += -DJX_NO_EXTRACT
JX_PKGS := jansson
DEPS_ARGS += --no-pcre2
else
JX_PKGS := jansson libpcre2-8
endif
DEPS_CFLAGS = $(eval DEPS_CFLAGS := $$(shell $$(PKG_CONFIG) --cflags $$(JX_PKGS)))$(DEPS_CFLAGS)
# -pthread: the batch API's threaded call (lib/eval/batch.c).
DEPS_LIBS = $(eval DEPS_LIBS := $$(shell $$(PKG_CONFIG) --libs $$(JX_PKGS)) -lm -pthread)$(DEPS_LIBS)
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $$(shell $$(PKG_CONFIG) --cflags check))$(CHECK_CFLAGS)
CHECK_LIBS = $(eval CHECK_LIBS := $$(shell $$(PKG_CONFIG) --libs check))$(CHECK_LIBS)

# Compile commands, one per kind of object. Ours first, the user's after (so a
# user's -W or -O flag wins).
LIB_COMPILE = $(CC) $(JX_CPPFLAGS) $(CPPFLAGS) $(DEPS_CFLAGS) $(JX_WARN) $(CFLAGS)
SHARED_COMPILE = $(LIB_COMPILE) -fPIC -fvisibility=hidden
STATIC_COMPILE = $(LIB_COMPILE)
TEST_COMPILE = $(CC) $(JX_CPPFLAGS) -Itests $(CPPFLAGS) $(DEPS_CFLAGS) $(CHECK_CFLAGS) \
	$(JX_WARN) $(CFLAGS)
ASAN_LIB_COMPILE = $(LIB_COMPILE) $(JX_SANITIZE)
ASAN_TEST_COMPILE = $(TEST_COMPILE) $(JX_SANITIZE)
JX_TSAN := -fsanitize=thread -fno-omit-frame-pointer
TSAN_LIB_COMPILE = $(LIB_COMPILE) $(JX_TSAN)
TSAN_TEST_COMPILE = $(TEST_COMPILE) $(JX_TSAN)
# Examples see only the public header, as a user's program would.
EXAMPLE_COMPILE = $(CC) -Iinclude $(CPPFLAGS) $(JX_WARN) $(CFLAGS)

# ---- Installation directories -----------------------------------------------

PREFIX ?= /usr/local
prefix ?= $(PREFIX)
exec_prefix ?= $(prefix)
libdir ?= $(exec_prefix)/lib
includedir ?= $(prefix)/include
bindir ?= $(exec_prefix)/bin
# ---- issue 16: the bundled schemes go to $(datadir)/jixiao ----
datadir ?= $(prefix)/share
schemedir ?= $(datadir)/jixiao
INSTALL_SCHEMES := $(sort $(wildcard schemes/*.json schemes/profiles/*.json schemes/examples/*.json))
pkgconfigdir ?= $(libdir)/pkgconfig

# ---- Sources ---------------------------------------------------------------

LIB_SRCS := $(sort $(wildcard lib/*/*.c))
SHARED_OBJS := $(LIB_SRCS:lib/%.c=build/shared/%.o)
STATIC_OBJS := $(LIB_SRCS:lib/%.c=build/static/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:lib/%.c=build/asan/lib/%.o)
ASAN_STATIC_LIB := build/asan/libjixiao.a

TEST_SRCS := tests/main.c tests/truth.c $(sort $(wildcard tests/test_*.c))
TEST_OBJS := $(TEST_SRCS:tests/%.c=build/tests/%.o)
ASAN_TEST_OBJS := $(TEST_SRCS:tests/%.c=build/asan/tests/%.o)

EXAMPLE_SRCS := $(sort $(wildcard examples/*.c))
EXAMPLES := $(EXAMPLE_SRCS:.c=)
EXAMPLE_OBJS := $(EXAMPLE_SRCS:examples/%.c=build/examples/%.o)

# `make demo` reads a bundled report's figures with the scheme's extraction
# profile and scores them.
DEMO_SCHEME ?= schemes/municipal-department-2023.json
DEMO_REPORT ?= schemes/examples/municipal-department-2023.report.txt

# The bundled example that `make check` scores.
EXAMPLE_SCHEME ?= schemes/example.json
EXAMPLE_METRICS ?= schemes/examples/example.metrics.json

TEST_ENV := JX_TEST_DATA=tests/data JX_SCHEMES_DIR=schemes

# ---- Output ----------------------------------------------------------------

ifeq ($(V),1)
Q :=
msg = @:
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
msg = @:
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)'
endif

# ---- Default ---------------------------------------------------------------

.PHONY: all lib shared static examples
all: lib examples
lib: shared static
shared: $(SHARED_LIB) $(SHARED_LINKS)
static: $(STATIC_LIB)
examples: $(EXAMPLES)

# ---- Flag tracking -----------------------------------------------------------
# build/KIND.flags holds the command line that builds objects of that kind;
# it is rewritten only when the command changes, and every object depends on
# it, so changing CC, CFLAGS, WERROR, ... rebuilds what it affects.

FLAGS_shared = $(SHARED_COMPILE) | $(LDFLAGS) | $(DEPS_LIBS)
FLAGS_static = $(STATIC_COMPILE)
FLAGS_tests = $(TEST_COMPILE) | $(LDFLAGS) | $(CHECK_LIBS) $(DEPS_LIBS)
FLAGS_asan = $(ASAN_LIB_COMPILE) | $(ASAN_TEST_COMPILE) | $(LDFLAGS) | $(CHECK_LIBS) $(DEPS_LIBS)
# libxlsxwriter's flags too: installing it rebuilds jx-project with --xlsx.
FLAGS_examples = $(EXAMPLE_COMPILE) | $(LDFLAGS) | $(XLSX_CFLAGS) $(XLSX_LIBS)
FLAGS_pc = $(VERSION) | $(JX_PKGS) | $(prefix) | $(exec_prefix) | $(libdir) | $(includedir)

FLAGS_tsan = $(TSAN_LIB_COMPILE) | $(TSAN_TEST_COMPILE) | $(LDFLAGS) | $(DEPS_LIBS)

FLAGS_FILES := $(patsubst %,build/%.flags,shared static tests asan tsan examples pc)
$(FLAGS_FILES): build/%.flags: FORCE
	$(shell mkdir -p $(@D))$(file >$@.new,$(FLAGS_$*))
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

# ---- Library ---------------------------------------------------------------

build/shared/%.o: lib/%.c build/shared.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(SHARED_COMPILE) -MMD -MP -c -o $@ $<

build/static/%.o: lib/%.c build/static.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(STATIC_COMPILE) -MMD -MP -c -o $@ $<

$(SHARED_LIB): $(SHARED_OBJS) $(LIB_MAP) build/shared.flags
	$(call msg,LINK,$@)
	$(Q)$(CC) $(JX_WARN) $(CFLAGS) -shared -fPIC -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=$(LIB_MAP) -Wl,--no-undefined $(LDFLAGS) \
		-o $@ $(SHARED_OBJS) $(DEPS_LIBS)

lib/$(LIB_SONAME): $(SHARED_LIB)
	$(Q)ln -sf $(LIB_REAL) $@

lib/$(LIB_NAME): lib/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $@

$(STATIC_LIB): $(STATIC_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $(STATIC_OBJS)

# ---- Examples: examples/NAME.c -> examples/NAME, on the shared library --------

$(EXAMPLE_OBJS): build/examples/%.o: examples/%.c build/examples.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(EXAMPLE_COMPILE) -MMD -MP -c -o $@ $<

# A program may have more objects than its own (examples/jx-project: below).
$(EXAMPLES): examples/%: build/examples/%.o $(SHARED_LIB) $(SHARED_LINKS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) lib/$(LIB_NAME) -pthread $(EXAMPLE_LIBS) \
		-Wl,-rpath,'$$ORIGIN/../lib'

# ---- Tests: the Check runner, on the static library ------------------------

$(TEST_OBJS): build/tests/%.o: tests/%.c build/tests.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(TEST_COMPILE) -MMD -MP -c -o $@ $<

$(TEST_RUNNER): $(TEST_OBJS) $(STATIC_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJS) $(STATIC_LIB) \
		$(CHECK_LIBS) $(DEPS_LIBS)

# The same, with AddressSanitizer and UndefinedBehaviorSanitizer.
$(ASAN_LIB_OBJS): build/asan/lib/%.o: lib/%.c build/asan.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(ASAN_LIB_COMPILE) -MMD -MP -c -o $@ $<

$(ASAN_TEST_OBJS): build/asan/tests/%.o: tests/%.c build/asan.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(ASAN_TEST_COMPILE) -MMD -MP -c -o $@ $<

$(ASAN_STATIC_LIB): $(ASAN_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $(ASAN_LIB_OBJS)

$(ASAN_RUNNER): $(ASAN_TEST_OBJS) $(ASAN_STATIC_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(JX_SANITIZE) $(LDFLAGS) -o $@ $(ASAN_TEST_OBJS) \
		$(ASAN_STATIC_LIB) $(CHECK_LIBS) $(DEPS_LIBS)

# ---- pkg-config file ---------------------------------------------------------
# Directories under the prefix are written relative to ${prefix} so that
# `pkg-config --define-variable=prefix=...` relocates them.

pc_exec_prefix = $(patsubst $(prefix)%,$${prefix}%,$(exec_prefix))
pc_libdir = $(patsubst $(exec_prefix)%,$${exec_prefix}%,$(libdir))
pc_includedir = $(patsubst $(prefix)%,$${prefix}%,$(includedir))

build/jixiao.pc: jixiao.pc.in build/pc.flags
	$(call msg,GEN,$@)
	$(Q)sed -e 's|@prefix@|$(prefix)|g' \
		-e 's|@exec_prefix@|$(pc_exec_prefix)|g' \
		-e 's|@libdir@|$(pc_libdir)|g' \
		-e 's|@includedir@|$(pc_includedir)|g' \
		-e 's|@VERSION@|$(VERSION)|g' \
		-e 's|@REQUIRES_PRIVATE@|$(JX_PKGS)|g' \
		jixiao.pc.in >$@

# ---- Install / uninstall ---------------------------------------------------

.PHONY: install uninstall
install: all build/jixiao.pc
	$(Q)$(INSTALL) -d '$(DESTDIR)$(includedir)' '$(DESTDIR)$(libdir)' \
		'$(DESTDIR)$(pkgconfigdir)' '$(DESTDIR)$(bindir)'
	$(call msg,INSTALL,$(DESTDIR)$(includedir)/jixiao.h)
	$(Q)$(INSTALL) -m 644 $(HEADER) '$(DESTDIR)$(includedir)/jixiao.h'
	$(call msg,INSTALL,$(DESTDIR)$(libdir)/$(LIB_REAL) $(LIB_SONAME) $(LIB_NAME))
	$(Q)$(INSTALL) -m 755 $(SHARED_LIB) '$(DESTDIR)$(libdir)/$(LIB_REAL)'
	$(Q)ln -sf $(LIB_REAL) '$(DESTDIR)$(libdir)/$(LIB_SONAME)'
	$(Q)ln -sf $(LIB_SONAME) '$(DESTDIR)$(libdir)/$(LIB_NAME)'
	$(call msg,INSTALL,$(DESTDIR)$(libdir)/libjixiao.a)
	$(Q)$(INSTALL) -m 644 $(STATIC_LIB) '$(DESTDIR)$(libdir)/libjixiao.a'
	$(call msg,INSTALL,$(DESTDIR)$(pkgconfigdir)/jixiao.pc)
	$(Q)$(INSTALL) -m 644 build/jixiao.pc '$(DESTDIR)$(pkgconfigdir)/jixiao.pc'
	$(call msg,INSTALL,$(addprefix $(DESTDIR)$(bindir)/,$(INSTALL_PROGRAMS) $(INSTALL_SCRIPTS)))
	$(Q)for p in $(INSTALL_PROGRAMS); do \
		$(INSTALL) -m 755 examples/$$p '$(DESTDIR)$(bindir)/'$$p || exit 1; done
	$(Q)for p in $(INSTALL_SCRIPTS); do \
		$(INSTALL) -m 755 scripts/$$p '$(DESTDIR)$(bindir)/'$$p || exit 1; done
	$(call msg,INSTALL,$(DESTDIR)$(schemedir)/ ($(words $(INSTALL_SCHEMES)) scheme files))
	$(Q)for f in $(INSTALL_SCHEMES:schemes/%=%); do \
		$(INSTALL) -d "$(DESTDIR)$(schemedir)/$$(dirname $$f)" && \
		$(INSTALL) -m 644 schemes/$$f "$(DESTDIR)$(schemedir)/$$f" || exit 1; done

uninstall:
	$(call msg,RM,jixiao from $(DESTDIR)$(prefix))
	$(Q)rm -f '$(DESTDIR)$(includedir)/jixiao.h' \
		'$(DESTDIR)$(libdir)/$(LIB_REAL)' \
		'$(DESTDIR)$(libdir)/$(LIB_SONAME)' \
		'$(DESTDIR)$(libdir)/$(LIB_NAME)' \
		'$(DESTDIR)$(libdir)/libjixiao.a' \
		'$(DESTDIR)$(pkgconfigdir)/jixiao.pc' \
		$(foreach p,$(INSTALL_PROGRAMS) $(INSTALL_SCRIPTS),'$(DESTDIR)$(bindir)/$(p)')
	$(Q)rm -f $(foreach f,$(INSTALL_SCHEMES:schemes/%=%),'$(DESTDIR)$(schemedir)/$(f)')
	$(Q)for d in examples profiles ''; do \
		rmdir '$(DESTDIR)$(schemedir)'/$$d 2>/dev/null || true; done

# ---- Dependencies ----------------------------------------------------------

.PHONY: deps
deps:
	$(Q)JX_NO_DEPS='$(JX_NO_DEPS)' CC='$(CC)' $(SHELL) scripts/deps.sh $(DEPS_ARGS)

# ---- Demo ------------------------------------------------------------------

.PHONY: demo
demo:
	+$(Q)$(MAKE) --no-print-directory deps
	+$(Q)$(MAKE) --no-print-directory all
	@echo '==> examples/jx-extract $(DEMO_SCHEME) $(DEMO_REPORT)'
	@echo '    (the figures the scheme needs, read from the report: line:column "matched text")'
	$(Q)examples/jx-extract '$(DEMO_SCHEME)' '$(DEMO_REPORT)' || test $$? -eq 1
	$(Q)mkdir -p build
	$(Q)examples/jx-extract --json '$(DEMO_SCHEME)' '$(DEMO_REPORT)' >build/demo.metrics.json \
		|| test $$? -eq 1
	@echo
	@echo '==> examples/jx-score $(DEMO_SCHEME) build/demo.metrics.json'
	$(Q)examples/jx-score '$(DEMO_SCHEME)' build/demo.metrics.json || test $$? -eq 1

# ---- Single-file build (docs/vendoring.md) ----------------------------------

.PHONY: amalgamation
amalgamation: dist/jixiao.c

dist/jixiao.c dist/jixiao.h: scripts/amalgamate.py $(LIB_SRCS) $(wildcard lib/*/*.h) $(HEADER) LICENSE
	$(call msg,GEN,dist/jixiao.c dist/jixiao.h)
	$(Q)python3 scripts/amalgamate.py dist

.PHONY: check-amalgamation check-noextract
check-amalgamation: all dist/jixiao.c
	@echo "==> $${JX_STEP:-[amalgamation]}"' Single-file build: dist/jixiao.c with gcc and clang, with and without extraction'
	$(Q)CC='$(CC)' $(SHELL) scripts/check-amalgamation.sh lib

check-noextract:
	@echo "==> $${JX_STEP:-[noextract]}"' JX_EXTRACT=0 with pcre2 hidden from pkg-config'
	$(Q)$(SHELL) scripts/check-noextract.sh

# ---- Benchmarks (figures, not tests) ----------------------------------------

.PHONY: bench-extract
bench-extract: bench/extract bench/recall
	$(Q)bench/extract
	$(Q)bench/recall

bench/recall: bench/recall.c tests/truth.c tests/truth.h $(STATIC_LIB)
	$(call msg,LINK,$@)
	$(Q)$(TEST_COMPILE) -O2 -o $@ bench/recall.c tests/truth.c $(STATIC_LIB) $(LDFLAGS) $(DEPS_LIBS)

bench/extract: bench/extract.c $(STATIC_LIB)
	$(call msg,LINK,$@)
	$(Q)$(TEST_COMPILE) -O2 -o $@ $< $(STATIC_LIB) $(LDFLAGS) $(DEPS_LIBS)

# Batch scoring (bench/bench.c, populations from bench/gen.c): entities/s on
# one and two threads, ns per leaf, the load time of a 1,000-leaf scheme,
# jx_score for comparison, and jx-batch's peak memory and rows/s on a
# 1,000,000-row CSV (written to a temporary directory), each beside its
# target; then the Python binding's batch rate (bench/python_batch.py).
# BENCH_ARGS passes options (bench/bench --help).
.PHONY: bench
bench: bench/bench examples/jx-batch shared
	$(Q)bench/bench --jx-batch examples/jx-batch $(BENCH_ARGS)
	@echo
	$(Q)if command -v '$(PYTHON)' >/dev/null 2>&1; then \
		JIXIAO_LIBRARY='$(CURDIR)/lib/$(LIB_SONAME)' PYTHONDONTWRITEBYTECODE=1 \
			'$(PYTHON)' bench/python_batch.py; \
	else echo "bench: $(PYTHON) not found: no Python figure"; fi
	$(Q)JIXIAO_LIBRARY='$(CURDIR)/lib/$(LIB_SONAME)' PYTHONDONTWRITEBYTECODE=1 \
		'$(PYTHON_CHECK)' bench/python_data.py

bench/bench: bench/bench.c bench/gen.c bench/gen.h $(STATIC_LIB)
	$(call msg,LINK,$@)
	$(Q)$(TEST_COMPILE) -O2 -Ibench -o $@ bench/bench.c bench/gen.c $(STATIC_LIB) \
		$(LDFLAGS) $(DEPS_LIBS)


# ---- Project self-evaluation sheets (docs/projects.md) ------------------------
# examples/jx-project writes xlsx with libxlsxwriter when pkg-config finds it
# (the library never links it); without it --xlsx says it is unavailable.
# The unit tests are in tests/test_project.c; check-project-html renders the
# printable sheet in headless chromium and reads the PDF back with pdftotext.
XLSX_CFLAGS = $(eval XLSX_CFLAGS := $$(shell $$(PKG_CONFIG) --exists xlsxwriter 2>/dev/null && \
	echo "-DJX_HAVE_XLSXWRITER $$$$($$(PKG_CONFIG) --cflags xlsxwriter)"))$(XLSX_CFLAGS)
XLSX_LIBS = $(eval XLSX_LIBS := $$(shell $$(PKG_CONFIG) --exists xlsxwriter 2>/dev/null && \
	$$(PKG_CONFIG) --libs xlsxwriter))$(XLSX_LIBS)
# Its parts are in examples/project/ (the xlsx writer, the helpers the
# writers share).
JX_PROJECT_OBJS := $(patsubst examples/%.c,build/examples/%.o,$(wildcard examples/project/*.c))
$(JX_PROJECT_OBJS): build/examples/%.o: examples/%.c build/examples.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(EXAMPLE_COMPILE) -MMD -MP -c -o $@ $<
build/examples/jx-project.o $(JX_PROJECT_OBJS): EXAMPLE_COMPILE += $(XLSX_CFLAGS)
examples/jx-project: $(JX_PROJECT_OBJS)
examples/jx-project: EXAMPLE_LIBS += $(XLSX_LIBS)

PROJECT_FIXTURE := tests/data/projects/projects.csv

.PHONY: check-project-html check-project-xlsx bench-project
check-project-html:
	@echo
	@echo "==> $${JX_STEP:-[project-html]}"' jx-project --html rendered by headless chromium, PDF text checked with pdftotext'
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS='--with-chromium'
	+$(Q)$(MAKE) --no-print-directory examples/jx-project
	$(Q)$(SHELL) scripts/check-project-html.sh examples/jx-project $(PROJECT_FIXTURE)

# jx-project --xlsx (libxlsxwriter) read back with openpyxl.
check-project-xlsx:
	@echo
	@echo "==> $${JX_STEP:-[project-xlsx]}"' jx-project --xlsx read back with openpyxl: every sheet, block and figure'
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS='--with-xlsx'
	+$(Q)$(MAKE) --no-print-directory examples/jx-project
	$(Q)$(PYTHON_CHECK) scripts/check-project-xlsx.py examples/jx-project $(PROJECT_FIXTURE)

# 10,000 projects x 12 indicators read from CSV and scored on one core.
bench-project: bench/project
	$(Q)bench/project

bench/project: bench/project.c $(STATIC_LIB)
	$(call msg,LINK,$@)
	$(Q)$(TEST_COMPILE) -O2 -o $@ $< $(STATIC_LIB) $(LDFLAGS) $(DEPS_LIBS)

# ---- Check -----------------------------------------------------------------
# `make check` runs the steps one after another (each may build in parallel);
# the first failure stops it. Every step can also be run on its own.

CHECK_STEPS := check-unit check-layout check-exports check-install check-asan check-locale
CHECK_STEPS += check-python
CHECK_STEPS += check-tsan
CHECK_STEPS += check-amalgamation check-noextract
CHECK_STEPS += check-project-html check-project-xlsx
# The PostgreSQL extension (mk/postgresql.mk).
CHECK_STEPS += check-postgresql

.PHONY: check $(CHECK_STEPS)
check:
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS='--with-locales --with-python --with-python-data --with-xlsx $(DEPS_ARGS)'
	+$(Q)n=0; for step in $(CHECK_STEPS); do \
		n=$$((n + 1)); \
		JX_STEP="[$$n/$(words $(CHECK_STEPS))] $$step:" $(MAKE) --no-print-directory WERROR=1 $$step || exit 1; \
	done
	@echo
	@echo '==> make check: all $(words $(CHECK_STEPS)) steps passed'

check-unit:
	@echo
	@echo "==> $${JX_STEP:-[unit]}"' Unit tests: $(TEST_RUNNER) (Check, static library)'
	+$(Q)$(MAKE) --no-print-directory all $(TEST_RUNNER)
	$(Q)$(TEST_ENV) $(TEST_RUNNER)

# lib/'s stages (docs/architecture.md): includes only from the same or an
# earlier stage, a README per folder, no file over 800 lines; then each
# rule shown failing on a copy of the tree broken on purpose.
.PHONY: check-layout
check-layout:
	@echo
	@echo "==> $${JX_STEP:-[layout]}"' lib/ stages: includes, READMEs, file sizes (scripts/check-layout.py)'
	$(Q)$(PYTHON_CHECK) scripts/check-layout.py .
	$(Q)$(PYTHON_CHECK) scripts/check-layout.py --self-test .

check-exports:
	@echo
	@echo "==> $${JX_STEP:-[exports]}"' Exported symbols: $(SHARED_LIB) against tests/exports.txt'
	+$(Q)$(MAKE) --no-print-directory shared
	$(Q)NM='$(NM)' $(SHELL) scripts/exports.sh check $(SHARED_LIB) $(HEADER) tests/exports.txt

check-install:
	@echo
	@echo "==> $${JX_STEP:-[install]}"' Install into a DESTDIR, build tests/pkgconfig/consumer.c with pkg-config (shared and static), uninstall; then the README custom-prefix install in a fresh copy'
	+$(Q)$(MAKE) --no-print-directory all
	+$(Q)MAKE='$(MAKE)' CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' \
		JX_VERSION='$(VERSION)' JX_ABI_MAJOR='$(ABI_MAJOR)' JX_PREFIX='$(prefix)' JX_LIBDIR='$(libdir)' \
		JX_INCLUDEDIR='$(includedir)' JX_BINDIR='$(bindir)' \
		JX_PKGCONFIGDIR='$(pkgconfigdir)' JX_SCHEMEDIR='$(schemedir)' \
		$(SHELL) scripts/check-install.sh '$(EXAMPLE_SCHEME)' '$(EXAMPLE_METRICS)'

check-asan:
	@echo
	@echo "==> $${JX_STEP:-[asan]}"' Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (build/asan)'
	+$(Q)$(MAKE) --no-print-directory $(ASAN_RUNNER)
	$(Q)$(TEST_ENV) CK_FORK=no \
		ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:check_initialization_order=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(ASAN_RUNNER)

check-locale:
	@echo
	@echo "==> $${JX_STEP:-[locale]}"' Locales: unit tests and jx-score under LC_ALL=de_DE.UTF-8 and LC_ALL=C'
	+$(Q)$(MAKE) --no-print-directory all $(TEST_RUNNER)
	$(Q)$(TEST_ENV) $(SHELL) scripts/check-locales.sh $(TEST_RUNNER) examples/jx-score \
		'$(EXAMPLE_SCHEME)' '$(EXAMPLE_METRICS)'

# The Python binding (bindings/python): its unittest suite, run against the
# library and jx-score just built (JIXIAO_LIBRARY), importing the in-tree
# package. PYTHON names the interpreter; PYTHON_TEST_ARGS adds unittest
# arguments (e.g. -v).
PYTHON ?= python3
PYTHON_TEST_ENV = $(TEST_ENV) JIXIAO_LIBRARY='$(CURDIR)/lib/$(LIB_SONAME)' \
	JX_SCORE='$(CURDIR)/examples/jx-score' JX_EXTRACT='$(CURDIR)/examples/jx-extract' \
	JX_PROJECT='$(CURDIR)/examples/jx-project' \
	PYTHONDONTWRITEBYTECODE=1

# ---- issue 16: the data tests need numpy/pandas/dask/cloudpickle ----
# Debian's python3-numpy etc. serve /usr/bin/python3 (another python3 on
# PATH may not see them), so the suite runs with it when it exists;
# PYTHON_CHECK=... overrides.
PYTHON_CHECK ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,$(PYTHON))

.PHONY: check-python
check-python:
	@echo
	@echo "==> $${JX_STEP:-[python]}"' Python binding: unittest suite of bindings/python against $(SHARED_LIB) ($(PYTHON_CHECK))'
	+$(Q)$(MAKE) --no-print-directory all
	$(Q)command -v '$(PYTHON_CHECK)' >/dev/null 2>&1 || { echo "check-python: $(PYTHON_CHECK) not found" \
		"(make deps DEPS_ARGS=--with-python installs python3)" >&2; exit 1; }
	$(Q)for m in numpy pandas distributed cloudpickle; do \
		'$(PYTHON_CHECK)' -c "import $$m" >/dev/null 2>&1 || echo "check-python: $(PYTHON_CHECK)" \
			"lacks $$m: its tests are skipped (make deps DEPS_ARGS=--with-python-data)"; done
	$(Q)'$(PYTHON_CHECK)' -c "import openpyxl" >/dev/null 2>&1 || echo "check-python: $(PYTHON_CHECK)" \
		"lacks openpyxl: the xlsx tests are skipped (make deps DEPS_ARGS=--with-xlsx)"
	$(Q)$(PYTHON_TEST_ENV) PYTHONPATH='$(CURDIR)/bindings/python' '$(PYTHON_CHECK)' -m unittest \
		discover -s bindings/python/tests -t bindings/python $(PYTHON_TEST_ARGS)

# ThreadSanitizer: the library and tests/tsan.c (4 threads scoring with one
# shared scheme, through jx_score and the batch API; jx_csv_score on 4
# workers), built with -fsanitize=thread in build/tsan.
TSAN_LIB_OBJS := $(LIB_SRCS:lib/%.c=build/tsan/lib/%.o)
TSAN_RUNNER := build/tsan/tsan-threads

$(TSAN_LIB_OBJS): build/tsan/lib/%.o: lib/%.c build/tsan.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(TSAN_LIB_COMPILE) -MMD -MP -c -o $@ $<

$(TSAN_RUNNER): tests/tsan.c $(TSAN_LIB_OBJS) build/tsan.flags
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(TSAN_TEST_COMPILE) -o $@ tests/tsan.c $(TSAN_LIB_OBJS) $(LDFLAGS) $(DEPS_LIBS)

.PHONY: check-tsan
check-tsan:
	@echo
	@echo "==> $${JX_STEP:-[tsan]}"' 4 threads sharing one scheme (jx_score, the batch API, jx_csv_score) under ThreadSanitizer (build/tsan)'
	+$(Q)$(MAKE) --no-print-directory $(TSAN_RUNNER)
	$(Q)$(TEST_ENV) TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(TSAN_RUNNER)

# ---- Exports ---------------------------------------------------------------

.PHONY: update-exports
update-exports: shared
	$(Q)NM='$(NM)' $(SHELL) scripts/exports.sh library $(SHARED_LIB) >tests/exports.txt.new
	$(Q)mv -f tests/exports.txt.new tests/exports.txt
	@echo "tests/exports.txt: $$(wc -l <tests/exports.txt) symbols"

# ---- Later -----------------------------------------------------------------
# Room for: fuzz (fuzz/), coverage, abi-check (against a
# saved ABI dump of $(SHARED_LIB)), amalgamation (one jixiao.c).

# ---- Clean -----------------------------------------------------------------

.PHONY: clean
clean:
	$(call msg,CLEAN,build lib tests examples)
	$(Q)rm -rf build
	$(Q)rm -f lib/$(LIB_NAME) lib/$(LIB_NAME).* $(STATIC_LIB) $(TEST_RUNNER) $(EXAMPLES) \
		tests/exports.txt.new bench/bench bench/recall bench/project

.PHONY: FORCE
FORCE:

include mk/hardening.mk
include mk/postgresql.mk
# Header dependencies, down to build/asan/lib/STAGE/FILE.d (sanitizer builds).
-include $(wildcard build/*/*.d build/*/*/*.d build/*/*/*/*.d)
