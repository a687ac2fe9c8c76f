# Axon: the README contract. `make demo` and `make check` work on a fresh Debian bookworm.
BUILD     ?= build
SAN_BUILD ?= build-san
JOBS      ?= 2
CMAKE     ?= cmake

.PHONY: all deps build san demo check check-long bench lint clean fuzz-short

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build $(BUILD) -j$(JOBS)

# The tests run in an AddressSanitizer + UndefinedBehaviorSanitizer build.
san: deps
	@$(CMAKE) -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAXON_SANITIZE=ON -DAXON_BENCH=OFF >/dev/null
	@$(CMAKE) --build $(SAN_BUILD) -j$(JOBS)

# The tutorial network (examples/networks/tutorial.json) on the golden engine: summary,
# results in out/tutorial.h5, raster and heat maps in out/tutorial_*.png.
demo: build
	@mkdir -p out
	@./$(BUILD)/hostlib/axon run examples/networks/tutorial.json --out out/tutorial.h5
	@./$(BUILD)/hostlib/axon plot out/tutorial.h5 --out out/tutorial

check: san fuzz-short
	@cd $(SAN_BUILD) && ctest --output-on-failure -j$(JOBS) --timeout 900

# libFuzzer (clang) on the network-file parser and the expression evaluator, a few seconds
# each (docs/fuzzing.md has the long run). The RTL and the emulator are left out (AXON_RTL=OFF):
# the fuzz targets do not need them, and the C++ link would not take -fsanitize=fuzzer.
FUZZ_BUILD ?= build-fuzz
fuzz-short: deps
	@CC=clang $(CMAKE) -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAXON_FUZZ=ON -DAXON_BENCH=OFF -DAXON_RTL=OFF >/dev/null
	@$(CMAKE) --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_expr fuzz_netfile
	@cd $(FUZZ_BUILD) && ctest --output-on-failure -R '_short$$' 

check-long: san
	@cd $(SAN_BUILD) && AXON_LONG=1 ctest --output-on-failure -j$(JOBS) --timeout 3600

bench: build
	@bench/run.sh $(BUILD)

# C static checks (cppcheck) and, once rtl/ has sources, Verilator lint. Under a minute.
# shiftNegativeLHS: the spec requires arithmetic right shifts of negative values (floor);
# fixed.h asserts the compiler provides them (gcc and clang define it).
lint:
	@mkdir -p $(BUILD)/gen
	@/usr/bin/python3 tools/specgen.py docs/spec/axon_spec.json --c $(BUILD)/gen/axon_spec.h --sv $(BUILD)/gen/axon_pkg.sv
	@cppcheck --quiet --std=c11 --enable=warning,performance,portability --inline-suppr \
	  --error-exitcode=1 -I include -I $(BUILD)/gen -I models -I tests/support \
	  --suppress=missingIncludeSystem --suppress=shiftNegativeLHS -I hostlib -I emulator models hostlib \
	  driver tests/support examples emulator tests/lockstep
	@if [ -n "$$(ls rtl/*.sv rtl/*/*.sv 2>/dev/null)" ]; then scripts/lint-rtl.sh $(BUILD); fi

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)
