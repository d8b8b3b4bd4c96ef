# Lexstat — build, run and test. `make run` and `make test` do all set-up on a
# fresh Debian 12 machine with the Swift toolchain.

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

# Debian packages the build and the tests need.
DEB_PACKAGES := libuv1-dev libprotobuf-c-dev protobuf-c-compiler libsqlite3-dev pkg-config python3

PROTO_SRC  := $(wildcard Proto/lexstat/v1/*.proto)
WIRE_DIR   := Sources/LexstatWire
# `make proto PROTO_OUT=DIR` writes protoc-c's output to DIR instead (to compare).
PROTO_OUT  ?=

.PHONY: all deps build proto check-proto run test clean install install-files uninstall

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

test: build
	$(SWIFT) build --build-path $(BUILD_DIR) --build-tests
	$(SWIFT) test --build-path $(BUILD_DIR) --skip-build

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
