# Lexstat — build, run and test. `make run` and `make test` do all set-up on a
# fresh Debian 12 machine with the Swift toolchain.

# bash: the test recipe needs pipefail.
SHELL      := /bin/bash
SWIFT      ?= swift
CONFIG     ?= release
BUILD_DIR  ?= .build
BIN        := $(BUILD_DIR)/$(CONFIG)
PREFIX     ?= /usr/local
DESTDIR    ?=
# Where `make install` puts things (under DESTDIR, for packaging).
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/lexstat
SYSCONFDIR ?= /etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
INSTALL    ?= install

# Debian packages the build and the tests need (chromium: the headless-browser
# test of the HTML bulletin, Tests/lexstatdTests/AssessmentBrowserTests.swift).
DEB_PACKAGES := libuv1-dev libprotobuf-c-dev protobuf-c-compiler libsqlite3-dev libssl-dev pkg-config python3 sqlite3 util-linux chromium

PROTO_SRC  := $(wildcard Proto/lexstat/v1/*.proto)
WIRE_DIR   := Sources/LexstatWire
# `make proto PROTO_OUT=DIR` writes protoc-c's output to DIR instead (to compare).
PROTO_OUT  ?=

.PHONY: all deps build proto check-proto run test test-sanitize bench soak fuzz clean install install-files uninstall

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) --build-path $(BUILD_DIR)

proto: deps
ifneq ($(PROTO_OUT),)
	mkdir -p $(PROTO_OUT)
	protoc-c -IProto --c_out=$(PROTO_OUT) $(PROTO_SRC)
else
	rm -rf $(WIRE_DIR)/lexstat $(WIRE_DIR)/include/lexstat
	mkdir -p $(WIRE_DIR)/lexstat/v1 $(WIRE_DIR)/include/lexstat/v1
	protoc-c -IProto --c_out=$(WIRE_DIR) $(PROTO_SRC)
	mv $(WIRE_DIR)/lexstat/v1/*.pb-c.h $(WIRE_DIR)/include/lexstat/v1/
	sh Proto/gen-swift-conformances.sh $(WIRE_DIR)/include/lexstat/v1/*.pb-c.h \
	  > Sources/LexstatRPC/Generated/WireMessage+Conformances.swift
endif

# Regenerates into a temporary folder and compares with what is committed.
check-proto: deps
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	protoc-c -IProto --c_out=$$tmp $(PROTO_SRC) || exit 1; \
	status=0; \
	for f in $$tmp/lexstat/v1/*.pb-c.c; do \
	  cmp -s $$f $(WIRE_DIR)/lexstat/v1/$$(basename $$f) || { echo "stale: $$(basename $$f)"; status=1; }; done; \
	for f in $$tmp/lexstat/v1/*.pb-c.h; do \
	  cmp -s $$f $(WIRE_DIR)/include/lexstat/v1/$$(basename $$f) || { echo "stale: $$(basename $$f)"; status=1; }; done; \
	sh Proto/gen-swift-conformances.sh $$tmp/lexstat/v1/*.pb-c.h > $$tmp/conf.swift; \
	cmp -s $$tmp/conf.swift Sources/LexstatRPC/Generated/WireMessage+Conformances.swift || { echo "stale: WireMessage+Conformances.swift"; status=1; }; \
	if [ $$status != 0 ]; then echo "generated code differs from Proto/: run 'make proto' and commit"; fi; exit $$status

run: build
	mkdir -p var
	$(BIN)/lexstatd --db var/lexstat.db --listen 127.0.0.1:7433 --unix var/lexstatd.sock --demo

# End-to-end tests run the release binaries that `build` made (LEXSTAT_BIN_DIR).
# The last line is XCTest's count in the plain form CI reads ("XCTest: N passed,
# N failed, N skipped"): swift test closes with Swift Testing's own line, which
# counts only its tests (none here).
test: build
	$(SWIFT) build --build-path $(BUILD_DIR) --build-tests
	@set -o pipefail; LEXSTAT_BIN_DIR=$(abspath $(BIN)) $(SWIFT) test --build-path $(BUILD_DIR) --skip-build 2>&1 \
	  | tee $(BUILD_DIR)/test-output.log; status=$$?; \
	  bash Tests/xctest-summary.sh $(BUILD_DIR)/test-output.log; exit $$status

# Benchmarks (issue 7): lexstatd on synthetic national data beside the loopback
# ceiling and a grpc-swift-2 server, plus scale figures; writes bench/results.json
# and prints a table. The gRPC package (Bench/GRPCSeries) takes ~8 minutes to
# build the first time; BENCH_SKIP_GRPC=1 leaves it out. See README, "Performance".
bench: build
	@command -v h2load >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client; }
	if [ "$(BENCH_SKIP_GRPC)" != 1 ]; then \
	  $(SWIFT) package --package-path Bench/GRPCSeries resolve && \
	  $(SWIFT) build -c release --package-path Bench/GRPCSeries --product grpc-series-server && \
	  $(SWIFT) build -c release --package-path Bench/GRPCSeries --product grpc-series-client; fi
	python3 Bench/bench.py

# Soak (issue 8): SOAK_SECONDS (default 600) of mixed calls at 32 connections
# against the release lexstatd on synthetic national data; fails on any call
# not answered OK, on resident memory growing more than 5 % after the warm-up,
# or on file descriptors left open. Not part of `test`. See README, "Performance".
SOAK_SECONDS ?= 600
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) python3 Bench/soak.py

# The whole suite with AddressSanitizer over the C core and the Swift layers,
# and UndefinedBehaviorSanitizer over the C code (in trap mode: Swift has no
# UBSan, so its runtime is not linked; undefined behaviour stops the process).
SAN_DIR   ?= .build-sanitize
# Dependencies' C and C++ are left out of UBSan (Tests/sanitize-ignore.txt says why).
SAN_IGNORE := -Xcc -fsanitize-ignorelist=$(abspath Tests/sanitize-ignore.txt)
SAN_FLAGS := --sanitize=address -Xcc -fsanitize=undefined -Xcc -fsanitize-trap=undefined -Xcc -fno-sanitize-recover=undefined $(SAN_IGNORE)
test-sanitize: deps
	$(SWIFT) build --build-path $(SAN_DIR) --build-tests $(SAN_FLAGS)
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 LEXSTAT_BIN_DIR=$(abspath $(SAN_DIR))/debug \
	  $(SWIFT) test --build-path $(SAN_DIR) --skip-build $(SAN_FLAGS)

# Fuzzing (libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer,
# from the Swift toolchain's clang). FUZZ_RUNS bounds each harness.
FUZZ_CC    ?= $(dir $(shell readlink -f $$(command -v swift)))clang
FUZZ_RUNS  ?= 10000000
FUZZ_DIR   := .build/fuzz
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -ISources/LexstatNet/include

FUZZ_TIME  ?= 120
FUZZ_LIB   := $(firstword $(wildcard $(dir $(FUZZ_CC))../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a))
FUZZ_SWIFT := --build-path .build-fuzz -Xswiftc -sanitize=address \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xcc -fsanitize=address -Xcc -fsanitize-coverage=inline-8bit-counters,pc-table,trace-cmp \
  -Xcc -fsanitize=undefined -Xcc -fsanitize-trap=undefined -Xcc -fno-sanitize-recover=undefined $(SAN_IGNORE)

# Runs each harness for a bounded time: the frame reader for FUZZ_RUNS
# executions, every method's decode-and-handle path for FUZZ_TIME seconds.
fuzz: $(FUZZ_DIR)/fuzz_frame
	mkdir -p $(FUZZ_DIR)/corpus-frame $(FUZZ_DIR)/corpus-requests
	$(FUZZ_DIR)/fuzz_frame -runs=$(FUZZ_RUNS) -max_len=4096 -timeout=10 -print_final_stats=1 \
	  $(FUZZ_DIR)/corpus-frame Tests/Fuzz/corpus/frame
	LEXSTAT_FUZZ=1 LEXSTAT_FUZZ_LIB=$(FUZZ_LIB) $(SWIFT) build $(FUZZ_SWIFT) --product lexstat-fuzz-requests
	.build-fuzz/debug/lexstat-fuzz-requests -max_total_time=$(FUZZ_TIME) -max_len=8192 -timeout=10 \
	  -dict=Tests/Fuzz/requests.dict \
	  -rss_limit_mb=4096 -print_final_stats=1 $(FUZZ_DIR)/corpus-requests Tests/Fuzz/corpus/requests

$(FUZZ_DIR)/fuzz_frame: Tests/Fuzz/fuzz_frame.c Sources/LexstatNet/lx_frame.c Sources/LexstatNet/include/lexstat_frame.h
	mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ Tests/Fuzz/fuzz_frame.c Sources/LexstatNet/lx_frame.c

# Installs the binaries, the systemd units (with ExecStart in $(BINDIR)), the
# default configuration (never over an existing one: the new default goes
# beside it as lexstatd.toml.default) and the reference data, which the
# binaries find in ../share/lexstat. `install-files` copies what $(BIN) holds
# without building (tests use it with BIN=the debug build and a DESTDIR).
install: build
	$(MAKE) install-files

install-files:
	@test -x $(BIN)/lexstatd -a -x $(BIN)/lexstat || { echo "no binaries in $(BIN): run make build"; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/lexstat
	$(INSTALL) -m 0755 $(BIN)/lexstatd $(BIN)/lexstat $(DESTDIR)$(BINDIR)/
	for f in $$(cd Sources/LexstatCore/Resources && find . -type f | sort); do \
	  $(INSTALL) -D -m 0644 Sources/LexstatCore/Resources/$$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	$(INSTALL) -m 0644 README.md $(DESTDIR)$(DATADIR)/README.md
	for u in lexstatd.service lexstatd.socket; do \
	  sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/etc/lexstat/|$(SYSCONFDIR)/lexstat/|g' \
	      -e 's|/usr/local/share/lexstat/|$(DATADIR)/|g' Deploy/$$u > $(DESTDIR)$(UNITDIR)/$$u.tmp \
	  && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml ] && ! cmp -s Deploy/lexstatd.toml $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml; then \
	  echo "keeping $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml; the new default is lexstatd.toml.default"; \
	  $(INSTALL) -m 0644 Deploy/lexstatd.toml $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml.default; \
	else \
	  $(INSTALL) -m 0644 Deploy/lexstatd.toml $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml; \
	fi
	@if [ -z "$(DESTDIR)" ]; then echo "installed; now: systemctl daemon-reload && systemctl enable --now lexstatd"; fi

# Removes what install put in place; a configuration changed by hand stays.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lexstatd $(DESTDIR)$(BINDIR)/lexstat
	rm -f $(DESTDIR)$(UNITDIR)/lexstatd.service $(DESTDIR)$(UNITDIR)/lexstatd.socket
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml.default
	@if cmp -s Deploy/lexstatd.toml $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml; then \
	  rm -f $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml; \
	elif [ -e $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml ]; then \
	  echo "keeping $(DESTDIR)$(SYSCONFDIR)/lexstat/lexstatd.toml: it was changed"; \
	fi
	-rmdir $(DESTDIR)$(SYSCONFDIR)/lexstat 2>/dev/null

clean:
	rm -rf $(BUILD_DIR) var
