# vfstack: top-level build. `make demo` and `make test` are the two entry points;
# both run `deps` first, which installs and fetches everything idempotently.
# Third-party sources and builds live in $(VFSTACK_CACHE), outside the clone.

VFSTACK_CACHE ?= $(HOME)/.cache/vfstack
export VFSTACK_CACHE

QEMU_BIN := $(VFSTACK_CACHE)/qemu/build/qemu-system-x86_64
export VFSTACK_QEMU := $(QEMU_BIN)

.PHONY: all deps qemu unit qtest guest-test bench-smoke fuzz fuzz-smoke fuzz-model-smoke test demo bench stress clean

all: qemu
	$(MAKE) -C mailbox
	$(MAKE) -C pf_driver
	$(MAKE) -C tests/vfclient
	$(MAKE) -C provisioner
	$(MAKE) -C vf_driver
	$(MAKE) -C tests/apps

deps:
	@bash scripts/deps.sh

qemu:
	@bash scripts/build-qemu.sh

unit:
	$(MAKE) -C mailbox test
	$(MAKE) -C provisioner test
	$(MAKE) -C vf_driver test
	python3 -B tests/unit/test_bench_report.py

qtest: qemu
	$(MAKE) -C tests/qtest test

guest-test: qemu
	@bash tests/guest/run-all

# 100 cycles of sriov_numvfs 64 -> 0 (make test runs 5): docs/security.md section 4.
stress: all
	@VFSTACK_GUEST_TIMEOUT=$${VFSTACK_GUEST_TIMEOUT:-5400} \
		bash tests/guest/run-in-guest tests/guest/test_sriov_cycles.sh 100

# libFuzzer harnesses (docs/fuzzing.md): FUZZ_TIME seconds each, or a
# short replay-and-fuzz run of the mailbox's and of the model's built
# outside QEMU (it needs QEMU's headers: after `all`) inside make test. The
# in-QEMU model harness needs its own instrumented QEMU build (scripts/build-qemu-fuzz.sh,
# cached; the first one is about 1500 steps, 1.5 h or more on a busy 2-core
# machine, more than make test's budget on a fresh machine): make
# fuzz-model-smoke runs it.
fuzz: deps
	$(MAKE) -C tests/fuzz run

fuzz-smoke:
	$(MAKE) -C tests/fuzz smoke-mailbox
	$(MAKE) -C tests/fuzz smoke-stub

fuzz-model-smoke: deps
	$(MAKE) -C tests/fuzz smoke-model

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) fuzz-smoke
	$(MAKE) qtest
	$(MAKE) guest-test
	$(MAKE) bench-smoke

demo: deps
	$(MAKE) all
	@bash scripts/demo.sh

# The benchmark: one boot of the emulated host, ~30 min on a shared 2-core machine; results,
# table and plots in docs/bench/. bench-smoke is make test's quick run of it (1 short
# repetition of a subset, results checked against the schema, never a rate).
bench: deps all
	@bash scripts/bench.sh

bench-smoke: qemu
	@bash scripts/bench.sh --quick --out build/bench-smoke

clean:
	$(MAKE) -C mailbox clean
	$(MAKE) -C pf_driver clean
	$(MAKE) -C provisioner clean
	$(MAKE) -C vf_driver clean
	$(MAKE) -C tests/apps clean
	$(MAKE) -C tests/qtest clean
	$(MAKE) -C tests/fuzz clean
	rm -rf build
