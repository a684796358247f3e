# anjian — the two commands of the README are `make run` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps build build-server web build-asan build-fuzz run run-federation test fuzz bench format lint clean install

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DANJIAN_WERROR=ON

build: deps $(BUILD)/build.ninja web
	cmake --build $(BUILD) -j $(JOBS)

# What `make run` needs: the server and the console (not the tests, the sanitizer build or the fuzzers).
build-server: deps $(BUILD)/build.ninja web
	cmake --build $(BUILD) -j $(JOBS) --target anjian

# The web console: npm ci when the lock file changed, then vite build into web/dist.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web: web/node_modules/.package-lock.json
	cd web && npx vite build --logLevel warn

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DANJIAN_WERROR=ON -DANJIAN_SANITIZE=ON

# GCC's sanitizers over the unit tests (no server), for a developer; `make test` uses the clang
# build below, which has the same sanitizers.
build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target unit_tests

# The parsers of what the outside sends, under libFuzzer (clang) with ASan and UBSan: `make test`
# runs each briefly, `make fuzz` for FUZZ_SECONDS each. The same build runs the unit tests under
# the sanitizers, so that the pure code is compiled once for both.
$(FUZZ_BUILD)/build.ninja:
	cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DANJIAN_WERROR=ON -DANJIAN_FUZZ=ON

build-fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets unit_tests

fuzz: build-fuzz
	scripts/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

run: build-server
	$(BUILD)/anjian demo --data var --listen $(LISTEN) --web web/dist

# A province node on LISTEN's port and its first county's node on the next, exchanging data.
run-federation: build-server
	$(BUILD)/anjian demo --federation --data var/federation --listen $(LISTEN) --web web/dist

test: build build-fuzz
	scripts/run-tests $(BUILD) $(FUZZ_BUILD) $(FUZZ_BUILD)

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target anjian_bench
	@echo "see bench/README.md and docs/PERFORMANCE.md"

format:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

lint:
	run-clang-tidy -p $(BUILD) src

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) web/dist

# Puts anjian where an installed program lives (FHS): the binary in $(PREFIX)/bin, the console
# in $(PREFIX)/share/anjian/web, the service, site and log rotation under /etc, and — on the
# machine itself (no DESTDIR) — the anjian user and its folders. docs/DEPLOY.md goes on from there.
PREFIX ?= /usr/local
install: build-server
	install -D -m 0755 $(BUILD)/anjian $(DESTDIR)$(PREFIX)/bin/anjian
	install -d $(DESTDIR)$(PREFIX)/share/anjian/web $(DESTDIR)$(PREFIX)/share/doc/anjian
	cp -r web/dist/. $(DESTDIR)$(PREFIX)/share/anjian/web/
	install -m 0644 docs/DEPLOY.md docs/SECURITY.md $(DESTDIR)$(PREFIX)/share/doc/anjian/
	install -D -m 0644 deploy/anjian.service $(DESTDIR)/etc/systemd/system/anjian.service
	sed -i 's#/usr/local/#$(PREFIX)/#g' $(DESTDIR)/etc/systemd/system/anjian.service
	install -D -m 0644 deploy/nginx-anjian.conf $(DESTDIR)/etc/nginx/sites-available/anjian
	install -D -m 0644 deploy/logrotate-anjian $(DESTDIR)/etc/logrotate.d/anjian
	[ -e $(DESTDIR)/etc/anjian/anjian.toml ] || install -D -m 0640 deploy/anjian.toml $(DESTDIR)/etc/anjian/anjian.toml
	if [ -z "$(DESTDIR)" ]; then \
	  id anjian >/dev/null 2>&1 || useradd --system --home-dir /var/lib/anjian --shell /usr/sbin/nologin anjian; \
	  install -d -o anjian -g anjian -m 0750 /var/lib/anjian /var/log/anjian /var/backups/anjian; \
	  chgrp anjian /etc/anjian /etc/anjian/anjian.toml; \
	  systemctl daemon-reload 2>/dev/null || true; \
	fi
