# ---- PostgreSQL extension (bindings/postgresql, docs/postgresql.md) --------
#
#   make postgresql         build bindings/postgresql/jixiao.so with PGXS
#   make check-postgresql   a throwaway server: regression tests, bad input,
#                           memory over 100,000 calls, results against
#                           jx-score on the bundled examples
#   make bench-postgresql   rows/s for 1,000,000 rows: jx_score_rows against
#                           per-row jx_score (figures, not a test)
#
# PG_CONFIG names the server's pg_config (default: PostgreSQL 15's).

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
# The extension is compiled with the server's compiler and flags (pg_config
# --cc, --cflags), whatever CC the library is built with: PGXS's flags are
# that compiler's.
PG_EXT_MAKE = $(MAKE) --no-print-directory -C bindings/postgresql PG_CONFIG='$(PG_CONFIG)' \
	CC="$$('$(PG_CONFIG)' --cc)" \
	JX_PKGS='$(JX_PKGS)' PKG_CONFIG='$(PKG_CONFIG)' WERROR='$(WERROR)'

.PHONY: postgresql check-postgresql bench-postgresql
postgresql: shared
	+$(Q)$(PG_EXT_MAKE)

check-postgresql:
	@echo
	@echo "==> $${JX_STEP:-[postgresql]}"' PostgreSQL extension: a throwaway server, SQL regression tests, bad input, memory, jx-score agreement'
	+$(Q)if ! $(MAKE) --no-print-directory deps DEPS_ARGS='--with-postgresql --with-locales $(DEPS_ARGS)'; then \
		echo 'check-postgresql: SKIPPED: the PostgreSQL 15 server packages are missing and could not be installed (see above)'; \
	else \
		$(MAKE) --no-print-directory all postgresql && \
		PG_CONFIG='$(PG_CONFIG)' MAKE='$(MAKE)' $(SHELL) bindings/postgresql/test/run.sh check; \
	fi

bench-postgresql:
	+$(Q)$(MAKE) --no-print-directory deps DEPS_ARGS='--with-postgresql --with-locales $(DEPS_ARGS)'
	+$(Q)$(MAKE) --no-print-directory all postgresql
	$(Q)PG_CONFIG='$(PG_CONFIG)' MAKE='$(MAKE)' $(SHELL) bindings/postgresql/test/run.sh bench

clean: clean-postgresql
.PHONY: clean-postgresql
clean-postgresql:
	$(Q)rm -f bindings/postgresql/*.o bindings/postgresql/*.so bindings/postgresql/*.bc \
		bindings/postgresql/regression.diffs bindings/postgresql/regression.out
	$(Q)rm -rf bindings/postgresql/results
