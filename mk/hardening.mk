# Hardening targets (included by the Makefile; GNU make). Each builds in its
# own directory under build/ and leaves the normal build alone.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="scheme expr"]
#                       each fuzz target (fuzz/NAME.c, fuzz/README.md) for
#                       FUZZ_SECONDS under libFuzzer with ASan + UBSan
#                       (clang; FUZZ_CC), seeded from the tree's fixtures
#                       (fuzz/seeds.sh) and fuzz/regressions/; the corpus
#                       grows in build/fuzz/corpus/; a crash, leak or timeout
#                       fails, its input in build/fuzz/artifacts/.
#                       `make -j2 fuzz` runs two at a time. FUZZ_ARGS adds
#                       libFuzzer options.
#   make fuzz-replay    the same targets built without libFuzzer ($(CC), ASan
#                       + UBSan), replaying the seeds, the regressions and
#                       whatever corpus build/fuzz/corpus/ holds
#   make check-alloc    the allocation-failure test (tests/test_alloc.c)
#                       against a library built with -DJX_ALLOC_TESTING,
#                       under ASan + LeakSanitizer
#   make check-valgrind the Check runner with CK_FORK=no under memcheck:
#                       no error, no leak (definite, indirect or possible);
#                       without the test cases tagged "large" (VALGRIND_CK_ENV);
#                       mk/valgrind.supp hides pcre2 JIT's reads past a subject
#   make coverage       line and branch coverage of lib/ (gcc --coverage,
#                       gcov -b): the Check suites, with the allocation-
#                       failure test compiled in; figures per file and
#                       in total, beside the targets (90 % lines, 80 %
#                       branches). COVERAGE_MIN_LINES / _BRANCHES make it fail
#                       below other figures (default: report only).
#   make abi-check      the ABI of a -g build of libjixiao.so.1 against the
#                       baseline in abi/ (scripts/abi-check.sh, docs/abi.md)
#   make abi-baseline   rewrite abi/ from the current tree (only for a
#                       release; scripts/abi-baseline.sh)

.PHONY: fuzz fuzz-all fuzz-build fuzz-replay fuzz-replay-all fuzz-seeds check-alloc check-valgrind coverage \
	abi-check abi-baseline abi-dump fuzz-deps

# What only these targets need (scripts/deps.sh: clang's libFuzzer,
# valgrind, libabigail); JX_NO_DEPS=1 skips the check as for `make deps`.
fuzz-deps:
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS="--with-fuzz $(DEPS_ARGS)"

HARDEN_FLAGS_FILES := $(patsubst %,build/%.flags,fuzz alloc cov abi)
$(HARDEN_FLAGS_FILES): build/%.flags: FORCE
	$(shell mkdir -p $(@D))$(file >$@.new,$(FLAGS_$*))
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

# ---- Fuzzing ------------------------------------------------------------------

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= scheme expr input extract score num json csv
# Per-input time limit (a hang is a failure) and memory limit.
FUZZ_TIMEOUT ?= 10
FUZZ_RSS_MB ?= 2560
FUZZ_ARGS ?=
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_LIB_COMPILE = $(FUZZ_CC) $(JX_CPPFLAGS) $(CPPFLAGS) $(DEPS_CFLAGS) $(JX_WARN) -g -O1 \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_TARGET_COMPILE = $(FUZZ_CC) $(JX_CPPFLAGS) -Ifuzz $(CPPFLAGS) $(DEPS_CFLAGS) $(JX_WARN) \
	-g -O1 $(FUZZ_SAN)
FLAGS_fuzz = $(FUZZ_LIB_COMPILE) | $(FUZZ_TARGET_COMPILE) | $(LDFLAGS) | $(DEPS_LIBS)

FUZZ_LIB_OBJS := $(LIB_SRCS:lib/%.c=build/fuzz/lib/%.o)
FUZZ_LIB := build/fuzz/libjixiao.a
FUZZ_COMMON := fuzz/common.c fuzz/fuzz.h
FUZZ_ENV := JX_SCHEMES_DIR=schemes
FUZZ_SEEDS := build/fuzz/seeds

$(FUZZ_LIB_OBJS): build/fuzz/lib/%.o: lib/%.c build/fuzz.flags | fuzz-deps
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(FUZZ_LIB_COMPILE) -MMD -MP -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $(FUZZ_LIB_OBJS)

build/fuzz/fuzz-%: fuzz/%.c $(FUZZ_COMMON) $(FUZZ_LIB) build/fuzz.flags | fuzz-deps
	$(call msg,LINK,$@)
	$(Q)$(FUZZ_TARGET_COMPILE) -fsanitize=fuzzer -o $@ $< fuzz/common.c $(FUZZ_LIB) \
		$(LDFLAGS) $(DEPS_LIBS)

# Replay builds: the normal compiler, the ASan library of `make check-asan`.
build/fuzz/replay-%: fuzz/%.c fuzz/replay.c $(FUZZ_COMMON) $(ASAN_STATIC_LIB) build/asan.flags
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(TEST_COMPILE) -Ifuzz $(JX_SANITIZE) -o $@ $< fuzz/common.c fuzz/replay.c \
		$(ASAN_STATIC_LIB) $(LDFLAGS) $(DEPS_LIBS)

fuzz-seeds:
	$(Q)$(SHELL) fuzz/seeds.sh $(FUZZ_SEEDS)

fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/fuzz-%)

# One target: its log in build/fuzz/NAME.log, a summary line on success,
# the log's end and the failing input otherwise.
.PHONY: $(FUZZ_TARGETS:%=fuzz-run-%)
$(FUZZ_TARGETS:%=fuzz-run-%): fuzz-run-%: build/fuzz/fuzz-% fuzz-seeds
	@mkdir -p build/fuzz/corpus/$* build/fuzz/artifacts/$*
	$(Q)dict=; [ -f fuzz/$*.dict ] && dict=-dict=fuzz/$*.dict; \
	reg=; [ -d fuzz/regressions/$* ] && reg=fuzz/regressions/$*; \
	$(FUZZ_ENV) ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		build/fuzz/fuzz-$* -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
		-rss_limit_mb=$(FUZZ_RSS_MB) -print_final_stats=1 \
		-artifact_prefix=build/fuzz/artifacts/$*/ $$dict $(FUZZ_ARGS) \
		build/fuzz/corpus/$* $(FUZZ_SEEDS)/$* $$reg >build/fuzz/$*.log 2>&1; \
	rc=$$?; \
	execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/$*.log | tail -1); \
	cov=$$(grep -o 'cov: [0-9]*' build/fuzz/$*.log | tail -1); \
	n=$$(ls build/fuzz/corpus/$* | wc -l); \
	if [ $$rc -ne 0 ]; then \
		echo "fuzz-$*: FAILED (exit $$rc) after $${execs:-?} executions; end of build/fuzz/$*.log:" >&2; \
		tail -n 60 build/fuzz/$*.log >&2; \
		ls -l build/fuzz/artifacts/$*/ >&2; \
		exit 1; \
	fi; \
	printf 'fuzz-%-8s %10s executions in %ss, %s, corpus %s files: no crash, leak or timeout\n' \
		$* "$${execs:-?}" $(FUZZ_SECONDS) "$$cov" "$$n"

# The libraries first, in a make of their own: the flags of the sub-make
# (pkg-config) are read only once they are installed.
fuzz: fuzz-deps
	+$(Q)$(MAKE) --no-print-directory fuzz-all

fuzz-all: $(FUZZ_TARGETS:%=fuzz-run-%)
	@echo "==> make fuzz: $(words $(FUZZ_TARGETS)) targets, $(FUZZ_SECONDS) s each, clean"

fuzz-replay:
	+$(Q)$(MAKE) --no-print-directory deps
	+$(Q)$(MAKE) --no-print-directory fuzz-replay-all

fuzz-replay-all: fuzz-seeds $(FUZZ_TARGETS:%=build/fuzz/replay-%)
	@echo
	@echo '==> Fuzz targets without libFuzzer (ASan + UBSan): seeds, regressions, corpus'
	$(Q)for t in $(FUZZ_TARGETS); do \
		dirs="$(FUZZ_SEEDS)/$$t"; \
		[ -d fuzz/regressions/$$t ] && dirs="$$dirs fuzz/regressions/$$t"; \
		[ -d build/fuzz/corpus/$$t ] && dirs="$$dirs build/fuzz/corpus/$$t"; \
		$(FUZZ_ENV) ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			build/fuzz/replay-$$t $$dirs || exit 1; \
	done

# ---- Allocation failures ----------------------------------------------------------

ALLOC_LIB_COMPILE = $(LIB_COMPILE) -DJX_ALLOC_TESTING $(JX_SANITIZE)
ALLOC_TEST_COMPILE = $(TEST_COMPILE) -DJX_ALLOC_TESTING $(JX_SANITIZE)
FLAGS_alloc = $(ALLOC_LIB_COMPILE) | $(ALLOC_TEST_COMPILE) | $(LDFLAGS) | $(CHECK_LIBS) $(DEPS_LIBS)
ALLOC_LIB_OBJS := $(LIB_SRCS:lib/%.c=build/alloc/lib/%.o)
ALLOC_TEST_OBJS := $(TEST_SRCS:tests/%.c=build/alloc/tests/%.o)
ALLOC_RUNNER := build/alloc/jixiao-tests

$(ALLOC_LIB_OBJS): build/alloc/lib/%.o: lib/%.c build/alloc.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(ALLOC_LIB_COMPILE) -MMD -MP -c -o $@ $<

$(ALLOC_TEST_OBJS): build/alloc/tests/%.o: tests/%.c build/alloc.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(ALLOC_TEST_COMPILE) -MMD -MP -c -o $@ $<

$(ALLOC_RUNNER): $(ALLOC_TEST_OBJS) $(ALLOC_LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(JX_SANITIZE) $(LDFLAGS) -o $@ $(ALLOC_TEST_OBJS) $(ALLOC_LIB_OBJS) \
		$(CHECK_LIBS) $(DEPS_LIBS)

check-alloc:
	@echo
	@echo '==> Allocation failures: every allocation of load, score, export, lint and extraction made to fail in turn (build/alloc, ASan + LSan)'
	+$(Q)$(MAKE) --no-print-directory deps
	+$(Q)$(MAKE) --no-print-directory $(ALLOC_RUNNER)
	$(Q)$(TEST_ENV) CK_FORK=no CK_RUN_SUITE=alloc \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(ALLOC_RUNNER)

# ---- valgrind -----------------------------------------------------------------------

# VALGRIND_ARGS: add --track-origins=yes to find where an uninitialised
# value comes from (twice as slow). mk/valgrind.supp: pcre2 JIT's reads past
# the subject, a known false positive.
# VALGRIND_CK_ENV: the test cases tagged "large" (tests/test_limits.c: many
# MiB, minutes under valgrind; make check runs them under ASan) are left
# out; VALGRIND_CK_ENV= runs them too.
VALGRIND_CK_ENV ?= CK_EXCLUDE_TAGS=large
VALGRIND ?= valgrind
VALGRIND_ARGS ?= --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible --suppressions=mk/valgrind.supp

check-valgrind:
	@echo
	@echo '==> valgrind memcheck: $(TEST_RUNNER) with CK_FORK=no $(VALGRIND_CK_ENV) (no error, no leak)'
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS="--with-valgrind $(DEPS_ARGS)"
	+$(Q)$(MAKE) --no-print-directory $(TEST_RUNNER)
	$(Q)command -v $(VALGRIND) >/dev/null 2>&1 || { echo "check-valgrind: $(VALGRIND) not found" \
		"(make deps DEPS_ARGS=--with-valgrind installs it)" >&2; exit 1; }
	$(Q)$(TEST_ENV) CK_FORK=no $(VALGRIND_CK_ENV) $(VALGRIND) -q $(VALGRIND_ARGS) $(TEST_RUNNER)

# ---- Coverage ----------------------------------------------------------------------

COV_COMPILE = $(CC) $(JX_CPPFLAGS) -Itests $(CPPFLAGS) $(DEPS_CFLAGS) $(CHECK_CFLAGS) $(JX_WARN) \
	-g -O0 --coverage -DJX_ALLOC_TESTING
FLAGS_cov = $(COV_COMPILE) | $(LDFLAGS) | $(CHECK_LIBS) $(DEPS_LIBS)
COV_LIB_OBJS := $(LIB_SRCS:lib/%.c=build/cov/lib/%.o)
COV_TEST_OBJS := $(TEST_SRCS:tests/%.c=build/cov/tests/%.o)
COV_RUNNER := build/cov/jixiao-tests
COVERAGE_MIN_LINES ?= 0
COVERAGE_MIN_BRANCHES ?= 0

$(COV_LIB_OBJS): build/cov/lib/%.o: lib/%.c build/cov.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(COV_COMPILE) -MMD -MP -c -o $@ $<

$(COV_TEST_OBJS): build/cov/tests/%.o: tests/%.c build/cov.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(COV_COMPILE) -MMD -MP -c -o $@ $<

$(COV_RUNNER): $(COV_TEST_OBJS) $(COV_LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) --coverage $(LDFLAGS) -o $@ $(COV_TEST_OBJS) $(COV_LIB_OBJS) $(CHECK_LIBS) $(DEPS_LIBS)

coverage:
	@echo
	@echo '==> Coverage of lib/: the Check suites (with the allocation-failure test) built with gcc --coverage (build/cov)'
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS="--with-python $(DEPS_ARGS)"
	+$(Q)$(MAKE) --no-print-directory $(COV_RUNNER)
	$(Q)find build/cov -name '*.gcda' -delete
	$(Q)$(TEST_ENV) CK_FORK=no $(COV_RUNNER) >build/cov/tests.log 2>&1 || \
		{ tail -n 30 build/cov/tests.log >&2; echo "coverage: the tests failed (build/cov/tests.log);" \
		"figures follow" >&2; }
	$(Q)GCOV='$(GCOV)' $(PYTHON) scripts/coverage.py build/cov/lib lib $(COVERAGE_MIN_LINES) \
		$(COVERAGE_MIN_BRANCHES)

GCOV ?= gcov

# ---- ABI ----------------------------------------------------------------------------
# A -g -Og build of the shared library, only for the ABI dump (abidw needs
# the debug information; the optimisation level does not change the ABI).

ABI_COMPILE = $(CC) $(JX_CPPFLAGS) $(CPPFLAGS) $(DEPS_CFLAGS) $(JX_WARN) -g -Og -fPIC \
	-fvisibility=hidden
FLAGS_abi = $(ABI_COMPILE) | $(LDFLAGS) | $(DEPS_LIBS)
ABI_OBJS := $(LIB_SRCS:lib/%.c=build/abi/lib/%.o)
ABI_LIB := build/abi/$(LIB_SONAME)
ABI_DUMP := build/abi/$(LIB_SONAME).abi
ABI_SYMBOLS := build/abi/symbols.txt
ABI_BASELINE := abi/$(LIB_SONAME).abi
ABI_BASELINE_SYMBOLS := abi/symbols.txt
ABIDW ?= abidw
ABIDIFF ?= abidiff

$(ABI_OBJS): build/abi/lib/%.o: lib/%.c build/abi.flags
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(ABI_COMPILE) -MMD -MP -c -o $@ $<

$(ABI_LIB): $(ABI_OBJS) $(LIB_MAP) build/abi.flags
	$(call msg,LINK,$@)
	$(Q)$(CC) -g -shared -fPIC -Wl,-soname,$(LIB_SONAME) -Wl,--version-script=$(LIB_MAP) \
		-Wl,--no-undefined $(LDFLAGS) -o $@ $(ABI_OBJS) $(DEPS_LIBS)

$(ABI_DUMP): $(ABI_LIB) $(HEADER)
	$(call msg,ABIDW,$@)
	$(Q)$(ABIDW) --headers-dir include --drop-private-types --no-corpus-path \
		--type-id-style hash --out-file $@ $(ABI_LIB)

# "name@@NODE", one a line; the symbols that name the version nodes (type A)
# are left out.
$(ABI_SYMBOLS): $(ABI_LIB)
	$(Q)$(NM) -D --defined-only --with-symbol-versions $(ABI_LIB) | \
		awk 'NF >= 3 && $$2 != "A" { print $$3 }' | LC_ALL=C sort -u >$@

abi-dump: $(ABI_DUMP) $(ABI_SYMBOLS)

abi-check:
	@echo
	@echo '==> ABI: $(ABI_LIB) (-g -Og) against the baseline $(ABI_BASELINE) and $(ABI_BASELINE_SYMBOLS)'
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS="--with-abi $(DEPS_ARGS)"
	+$(Q)$(MAKE) --no-print-directory abi-dump
	$(Q)ABIDIFF='$(ABIDIFF)' $(SHELL) scripts/abi-check.sh $(ABI_BASELINE) $(ABI_BASELINE_SYMBOLS) \
		$(ABI_DUMP) $(ABI_SYMBOLS)

abi-baseline:
	+$(Q)MAKE='$(MAKE)' $(SHELL) scripts/abi-baseline.sh
