# anjian — the two commands of the README are `make run` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps build build-server web build-asan build-fuzz run run-federation test fuzz bench format lint clean

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

# The sanitizer build compiles only the unit tests (no server), so it stays cheap.
build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target unit_tests

# The parsers of what the outside sends, under libFuzzer (clang): `make test` runs each briefly,
# `make fuzz` for FUZZ_SECONDS each.
$(FUZZ_BUILD)/build.ninja:
	cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DANJIAN_WERROR=ON -DANJIAN_FUZZ=ON

build-fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

fuzz: build-fuzz
	scripts/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

run: build-server
	$(BUILD)/anjian demo --data var --listen $(LISTEN) --web web/dist

# A province node on LISTEN's port and its first county's node on the next, exchanging data.
run-federation: build-server
	$(BUILD)/anjian demo --federation --data var/federation --listen $(LISTEN) --web web/dist

test: build build-asan build-fuzz
	scripts/run-tests $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target anjian_bench
	@echo "see bench/README.md and docs/PERFORMANCE.md"

format:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

lint:
	run-clang-tidy -p $(BUILD) src

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) web/dist
