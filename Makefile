# pmemmap - see README.md. `make demo` builds and runs on the example
# bundles; `make test` runs every test (also under ASan/UBSan and valgrind).

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
DATADIR   ?= $(PREFIX)/share/pmemmap
B         := build

CC        ?= cc
PKGS      := libarchive liblzma libzstd libpcre2-8 json-c
HAVE_ISAL := $(shell pkg-config --exists libisal 2>/dev/null && echo yes)
ifeq ($(HAVE_ISAL),yes)
PKGS      += libisal
ISAL_DEF  := -DHAVE_ISAL
endif

WARN      := -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CPPFLAGS  += -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(ISAL_DEF) \
             -DPMEMMAP_VERSION='"$(VERSION)"' -DPMEMMAP_RULES_DIR='"$(DATADIR)/rules"'
CFLAGS    ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -pthread
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS      := $(wildcard analyzer/*.c)
# the collection scripts, embedded in the program (scripts/embed.sh) and installed
COLLECT   := collect/esxi.sh collect/guest.sh
GEN_OBJ   := $(B)/obj/collect_scripts.o
LIB_SRCS  := $(filter-out analyzer/main.c,$(SRCS))
TESTS     := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

.PHONY: all deps demo test check fast unit unit-asan unit-valgrind cases browser batch-test hostile-limits hostile-valgrind fuzz-run install deb deb-test clean fixtures bench fuzz mutate collect-test

all: $(B)/pmemmap

deps:
	@sh scripts/install-deps.sh

# --- the program, plain and sanitized -------------------------------------
# -MMD -MP: each object's header dependencies, in build/*/X.d, read below
$(B)/obj/%.o: analyzer/%.c | $(B)/obj
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<
$(B)/asan/%.o: analyzer/%.c | $(B)/asan
	@echo "  CC-SAN  $<"
	@$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<
-include $(wildcard $(B)/obj/*.d $(B)/asan/*.d)
$(B)/obj $(B)/asan $(B)/tests $(B)/gen:
	mkdir -p $@

# the scripts of `pmemmap collect`, byte for byte (analyzer/collect.h)
$(B)/gen/collect_scripts.c: scripts/embed.sh $(COLLECT) | $(B)/gen
	@echo "  GEN     $@"
	@sh scripts/embed.sh $@ $(foreach f,$(COLLECT),$(basename $(notdir $(f)))=$(f))
$(B)/obj/collect_scripts.o: $(B)/gen/collect_scripts.c analyzer/collect.h | $(B)/obj
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -Ianalyzer -c -o $@ $<
$(B)/asan/collect_scripts.o: $(B)/gen/collect_scripts.c analyzer/collect.h | $(B)/asan
	@echo "  CC-SAN  $<"
	@$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) -Ianalyzer -c -o $@ $<

$(B)/pmemmap: $(SRCS:analyzer/%.c=$(B)/obj/%.o) $(GEN_OBJ)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/pmemmap-asan: $(SRCS:analyzer/%.c=$(B)/asan/%.o) $(GEN_OBJ:$(B)/obj/%=$(B)/asan/%)
	@echo "  LD      $@"
	@$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

# --- tests -----------------------------------------------------------------
$(B)/tests/%: tests/%.c tests/testutil.h tests/modelbuild.h $(LIB_SRCS:analyzer/%.c=$(B)/obj/%.o) | $(B)/tests
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< \
		$(LIB_SRCS:analyzer/%.c=$(B)/obj/%.o) $(PKG_LIBS) -lcmocka
# the same, with LeakSanitizer linked in (no instrumentation: LSan only
# replaces malloc): the fast suite's unit tests notice a leak too
$(B)/tests/%-lsan: tests/%.c tests/testutil.h tests/modelbuild.h $(LIB_SRCS:analyzer/%.c=$(B)/obj/%.o) | $(B)/tests
	@echo "  LD-LSAN $@"
	@$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -fsanitize=leak -o $@ $< \
		$(LIB_SRCS:analyzer/%.c=$(B)/obj/%.o) $(PKG_LIBS) -lcmocka
$(B)/tests/%-asan: tests/%.c tests/testutil.h tests/modelbuild.h $(LIB_SRCS:analyzer/%.c=$(B)/asan/%.o) | $(B)/tests
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -Ianalyzer -o $@ $< \
		$(LIB_SRCS:analyzer/%.c=$(B)/asan/%.o) $(PKG_LIBS) -lcmocka

fixtures: $(B)/fixtures/.stamp
$(B)/fixtures/.stamp: fixtures/pack.sh $(shell find fixtures -type f 2>/dev/null)
	rm -rf $(B)/fixtures && mkdir -p $(B)/fixtures
	sh fixtures/pack.sh $(B)/fixtures >/dev/null
	sh fixtures/hostile/make-corpus.sh $(B)/fixtures/hostile >/dev/null
	touch $@

export PMEMMAP_SRC := $(CURDIR)
export PMEMMAP_FIXTURES := $(CURDIR)/$(B)/fixtures

unit: $(TESTS:%=$(B)/tests/%) fixtures
	@set -e; for t in $(TESTS); do echo "== $$t"; $(B)/tests/$$t; done

unit-asan: $(TESTS:%=$(B)/tests/%-asan) fixtures
	@set -e; for t in $(TESTS); do echo "== $$t (ASan/UBSan)"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(B)/tests/$$t-asan; done

unit-valgrind: $(TESTS:%=$(B)/tests/%) fixtures
	@set -e; for t in $(TESTS); do echo "== $$t (valgrind)"; \
		PMEMMAP_NO_JIT=1 valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect $(B)/tests/$$t; done

# the command-line cases: fixture in, expected outcome out (tests as data)
cases: $(B)/pmemmap $(B)/pmemmap-asan fixtures
	@bash tests/run-cases.sh $(B)/pmemmap
	@bash tests/doc-check.sh $(B)/pmemmap
	@bash tests/completion-test.sh $(B)/pmemmap
	@bash tests/md-check.sh $(B)/pmemmap
	@bash tests/term-check.sh $(B)/pmemmap
	@bash tests/md-lines.sh $(B)/pmemmap
	@bash tests/batch-fast.sh $(B)/pmemmap
	@bash tests/redact-test.sh $(B)/pmemmap
	@bash tests/code-check.sh $(B)/obj
	@PMEMMAP_CASES_SAN=1 bash tests/run-cases.sh $(B)/pmemmap-asan

# the fast suite: unit tests (with LeakSanitizer), the CLI cases, the Markdown
# check, the terminal summary through a pty and batch on 40 bundles with the plain build (under a minute; what `make mutate` runs
# for each mutant, FAST_FOR=analyzer/x.c putting the suites that test x first)
fast: $(B)/pmemmap $(TESTS:%=$(B)/tests/%-lsan) fixtures
	@bash tests/fast.sh $(B)/pmemmap $(FAST_FOR)

# mutation testing (docs/testing.md): one operator change at a time in a
# copy of the tree, `make fast` against each; MUTATE_ONLY=file:line replays
# one, MUTATE_MIN=85 fails below that kill rate (not part of make test)
MUTANTS      ?= 130
MUTATE_SEED  ?= 1
MUTATE_FILES ?= $(addprefix analyzer/,analyze.c bundleinfo.c hostside.c guestside.c pair.c chain.c \
	findings.c timeline.c history.c ndctl.c extract.c ingest.c uuid.c report_md.c report_json.c \
	report_html.c report_index.c report.c writers.c batch.c)
mutate:
	@MUTANTS='$(MUTANTS)' MUTATE_SEED='$(MUTATE_SEED)' MUTATE_FILES='$(MUTATE_FILES)' \
		MUTATE_ONLY='$(MUTATE_ONLY)' MUTATE_MIN='$(MUTATE_MIN)' perl tests/mutate.pl

# the HTML report in a real headless browser (Debian's chromium)
browser: $(B)/pmemmap
	@PMEMMAP_DEPS_EXTRA="chromium poppler-utils" sh scripts/install-deps.sh
	@bash tests/browser-test.sh $(B)/pmemmap

# batch over a generated archive of 500 bundles (kept in build/batchset)
batch-test: $(B)/pmemmap
	@bash tests/batch-test.sh $(B)/pmemmap

# the collection scripts under busybox sh and dash, against stub commands
# and fake host and guest trees: their archives must map as the fixtures do
collect-test: $(B)/pmemmap fixtures
	@bash tests/collect-test.sh $(B)/pmemmap

# hostile corpus: every input under 10 s and 64 MiB, inputs untouched
hostile-limits: $(B)/pmemmap fixtures
	@bash tests/hostile-limits.sh $(B)/pmemmap

hostile-valgrind: $(B)/pmemmap fixtures
	@bash tests/hostile-limits.sh --valgrind $(B)/pmemmap

# libFuzzer harnesses (clang); make fuzz-run SECS=600 is the long run
SECS ?= 20
fuzz:
	@PMEMMAP_DEPS_EXTRA="clang libclang-rt-14-dev" sh scripts/install-deps.sh
	@sh tests/fuzz/build.sh
fuzz-run: fuzz fixtures
	@bash tests/fuzz/run.sh $(SECS)

# speed and memory targets, measured in one run (not part of make test)
bench: $(B)/pmemmap
	@bash tests/bench.sh

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit unit-asan cases collect-test deb-test unit-valgrind hostile-limits hostile-valgrind browser batch-test
	@$(MAKE) --no-print-directory fuzz-run SECS=$(SECS)
	@echo "make test: all suites passed"

check: test

DEMO_INPUTS := $(B)/fixtures/esx-esx01-2026-03-05--10.12-2107676.tgz \
	$(B)/fixtures/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz \
	$(B)/fixtures/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz

demo: deps
	@$(MAKE) --no-print-directory all fixtures
	@mkdir -p $(B)/demo
	$(B)/pmemmap extract --quiet -o $(B)/demo/facts.json $(DEMO_INPUTS)
	$(B)/pmemmap analyze --quiet -o $(B)/demo/report.html $(DEMO_INPUTS)
	$(B)/pmemmap analyze --quiet -o $(B)/demo/report.json $(DEMO_INPUTS)
	$(B)/pmemmap analyze --stats -o $(B)/demo/report.md $(DEMO_INPUTS)
	@$(B)/pmemmap analyze --quiet -f term $(DEMO_INPUTS) || [ $$? -eq 1 ]
	@echo "demo: reports in $(B)/demo/ (report.html, report.md, report.json, facts.json)"

# where `man pmemmap`, bash-completion and --help (share/doc/pmemmap) look;
# the binary finds share/pmemmap/rules beside itself, so a DESTDIR or a
# moved prefix works as installed. GZIP_MAN=1 compresses the man page.
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/pmemmap
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
USER_DOCS  := README.md docs/guide.md docs/rules.md docs/sources.md docs/json-schema.md docs/batch.md
install: $(B)/pmemmap
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(B)/pmemmap $(DESTDIR)$(PREFIX)/bin/pmemmap
	install -m 644 rules/*.rules $(DESTDIR)$(DATADIR)/rules/
	install -m 644 docs/pmemmap.1 $(DESTDIR)$(MANDIR)/man1/pmemmap.1
	$(if $(GZIP_MAN),gzip -9nf $(DESTDIR)$(MANDIR)/man1/pmemmap.1)
	install -m 644 $(USER_DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 644 completion/pmemmap.bash $(DESTDIR)$(BASHCOMPDIR)/pmemmap
	@# the collection scripts, also printed by pmemmap collect
	install -d $(DESTDIR)$(DATADIR)/collect
	install -m 755 $(COLLECT) $(DESTDIR)$(DATADIR)/collect/

# the Debian package (debian/), built from a copy of the tree in build/deb/src
# so that dpkg-buildpackage's outputs land in build/deb/, not beside the clone;
# deb-test unpacks it into a scratch root and runs it on the example bundles
deb: deps
	@sh scripts/build-deb.sh $(B)/deb $(VERSION)
deb-test: deb $(B)/pmemmap fixtures
	@bash tests/deb-test.sh $(B)/deb $(B)/pmemmap

clean:
	rm -rf $(B)
