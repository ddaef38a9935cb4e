# SPDX-License-Identifier: GPL-2.0-only
#
# MultiOS for Linux: top-level driver.
#
#   make run     build the x86_64 kernel and modules, boot, show what they report
#   make check   every test of the project; ends with "N passed, N failed"
#   make help    every target
#
# Everything built goes under $(BUILD); every long step is stamped or left
# to make's own dependency tracking, so a second run redoes nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --no-builtin-rules --no-print-directory
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

TOP     := $(CURDIR)
BUILD   ?= $(TOP)/build
override BUILD := $(abspath $(BUILD))
JOBS    ?= $(shell nproc)
STAMPS  := $(BUILD)/stamps
LOGS    := $(BUILD)/logs
KSRC    := $(BUILD)/linux
TARBALL ?= /usr/src/linux-source-6.1.tar.xz
ARCHES  := x86_64 arm64 riscv64

# Per-architecture facts, looked up as $(karch_$(1)), $(cross_$(1)), ...
karch_x86_64   := x86_64
karch_arm64    := arm64
karch_riscv64  := riscv
cross_x86_64   :=
cross_arm64    := aarch64-linux-gnu-
cross_riscv64  := riscv64-linux-gnu-
image_x86_64   := arch/x86/boot/bzImage
image_arm64    := arch/arm64/boot/Image
image_riscv64  := arch/riscv/boot/Image
# The x86_64 test kernel adds the debug fragment (lockdep, DEBUG_PREEMPT,
# kmemleak); the emulated arm64 and riscv64 guests are slow enough without.
frags_x86_64   := base x86_64 debug
frags_arm64    := base arm64
frags_riscv64  := base riscv64
# The benchmark kernel: x86_64 without the debug options (kconfig/bench.config
# turns off the few that base.config sets), so that bench-sched and
# bench-swap time the code, not lockdep. Not an architecture: only the
# kernel and module rules, and the benchmarks, know it.
karch_x86_64-bench := x86_64
cross_x86_64-bench :=
image_x86_64-bench := $(image_x86_64)
frags_x86_64-bench := base x86_64 bench
# The KASAN kernel: the x86_64 test kernel plus kconfig/kasan.config, for
# make check-kasan (the class's lifetime races under KASAN).
karch_x86_64-kasan := x86_64
cross_x86_64-kasan :=
image_x86_64-kasan := $(image_x86_64)
frags_x86_64-kasan := base x86_64 debug kasan

kout      = $(BUILD)/kernel/$(1)
kmake     = $(MAKE) -C $(KSRC) O=$(call kout,$(1)) ARCH=$(karch_$(1)) \
            CROSS_COMPILE=$(cross_$(1)) CC="ccache $(cross_$(1))gcc" \
            HOSTCC="ccache gcc"
kimage    = $(call kout,$(1))/$(image_$(1))

PATCHES := patches/series $(wildcard patches/*.patch)

export CCACHE_DIR ?= $(HOME)/.cache/ccache
# Kbuild with O= passes the source tree as absolute paths (-I, -include,
# -fmacro-prefix-map), so without a base directory every clone of the
# repository (CI takes a fresh one each time) missed the cache and rebuilt
# all three kernels from scratch: 13 of CI's 64 minutes. ccache rewrites
# paths under CCACHE_BASEDIR to relative ones before hashing them.
export CCACHE_BASEDIR ?= $(TOP)

.PHONY: all help deps source kernels modules modules-distro initrd-distro distro-test \
        host-build host-test run check clean distclean selftests patch-tree patches bench-swap bench-swap-host bench-sched scale-sched \
        $(addprefix initrd-,$(ARCHES)) \
        $(addprefix kernel-,$(ARCHES)) $(addprefix modules-,$(ARCHES)) \
        kernel-x86_64-bench modules-x86_64-bench kernel-x86_64-kasan modules-x86_64-kasan check-kasan

all: kernel-x86_64 modules-x86_64 ## build the x86_64 kernel and modules (default)

help: ## list every target
	@echo "MultiOS for Linux — make targets:"
	@grep -hE '^[a-zA-Z0-9_%.-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{ printf "  %-15s %s\n", $$1, $$2 }'
	@echo "  per architecture (ARCH = $(ARCHES)):"
	@echo "    kernel-ARCH     configure (kconfig/*.config) and build that kernel"
	@echo "    modules-ARCH    build the modules against it and check their objects"
	@echo "    initrd-ARCH     pack mini-init and the modules into an initramfs"

deps: ## install missing Debian packages (tools/apt-packages.txt)
	@tools/install-packages.sh

# ---------------------------------------------------------------------------
# Kernel source: Debian's linux-source-6.1 plus patches/series. Any change
# to the series re-extracts the tree, so a patch edited after it was
# applied never meets a half-patched tree.
# ---------------------------------------------------------------------------
source: $(STAMPS)/source ## extract the kernel source and apply patches/series

# A newer linux-source-6.1 (a Debian point release) re-extracts too.
$(TARBALL): | deps ;

$(STAMPS)/source: $(TARBALL) $(PATCHES) tools/apply-patches.sh | deps
	@mkdir -p $(STAMPS) $(BUILD)
	@echo ">>> extracting $(notdir $(TARBALL)) into $(KSRC)"
	@rm -rf $(KSRC) $(KSRC).tmp && mkdir -p $(KSRC).tmp
	@# -m: files get the time of extraction, so a file that changes back to
	@# an older version (a patch dropped, a Debian point release) is still
	@# newer than its object and gets rebuilt; ccache absorbs the rest.
	@tar -xmf $(TARBALL) -C $(KSRC).tmp --strip-components=1
	@mv $(KSRC).tmp $(KSRC)
	@echo ">>> applying patches/series"
	@tools/apply-patches.sh $(KSRC) $(TOP)/patches
	@touch $@

# The series as a git repository, one commit per patch, for editing it
# (Documentation/dev/sched-class-patch.rst, "Changing a patch"); `make
# patches` writes the commits back and fails if they no longer apply.
PATCH_TREE := $(BUILD)/patch-tree

patch-tree: | deps ## the series as git commits on the tarball, in build/patch-tree
	@tools/patch-tree.sh $(TARBALL) $(TOP)/patches $(PATCH_TREE)

patches: ## write build/patch-tree's commits back into patches/ (checked)
	@tools/format-patches.sh $(PATCH_TREE) $(TOP)/patches $(TARBALL)

# ---------------------------------------------------------------------------
# Kernels
# ---------------------------------------------------------------------------
kernels: $(addprefix kernel-,$(ARCHES)) ## build the kernel for all three architectures

define kernel_rules
$(call kout,$(1))/.config: $(STAMPS)/source $(addprefix kconfig/,$(addsuffix .config,$(frags_$(1)))) tools/kconfig.sh
	@echo ">>> configuring $(1) kernel ($(frags_$(1)))"
	@tools/kconfig.sh $(KSRC) $(call kout,$(1)) $(karch_$(1)) '$(cross_$(1))' \
	    $(addprefix $(TOP)/kconfig/,$(addsuffix .config,$(frags_$(1))))

# The stamp is touched only after a complete build, so a failed or
# interrupted build is never trusted, and an unchanged kernel is not
# even handed to Kbuild again. A stamp without its image is forgotten.
$(if $(wildcard $(call kimage,$(1))),,$(shell rm -f $(STAMPS)/kernel-$(1)))
$(STAMPS)/kernel-$(1): $(call kout,$(1))/.config
	@mkdir -p $(LOGS)
	@echo ">>> building $(1) kernel (log: $(LOGS)/kernel-$(1).log)"
	@$(call kmake,$(1)) -j$(JOBS) 2>&1 | tools/progress.py "$(1) kernel" $(LOGS)/kernel-$(1).log || \
	    { tail -30 $(LOGS)/kernel-$(1).log; echo "error: $(1) kernel build failed" >&2; exit 1; }
	@test -f $(call kimage,$(1))
	@touch $$@

kernel-$(1): $(STAMPS)/kernel-$(1) ## build the $(1) kernel
endef
$(foreach a,$(ARCHES) x86_64-bench x86_64-kasan,$(eval $(call kernel_rules,$(a))))

# ---------------------------------------------------------------------------
# Modules. Kbuild in 6.1 writes objects next to the sources of an external
# module, so the repository is copied (rsync, keeping timestamps) into
# build/modules/<target> and built there: the work tree stays clean and
# each architecture keeps its own objects.
# ---------------------------------------------------------------------------
# Load order: multios_core first, the rest need its runtime.
MODULE_KOS  := modules/core/multios_core.ko modules/swap/multios_swap.ko \
               modules/sched/multios_sched_kunit.ko modules/swap/multios_swap_kunit.ko \
               modules/numa/multios_numa.ko modules/numa/multios_numa_kunit.ko \
               modules/sched/multios_sched.ko modules/sched_fifo/multios_sched_fifo.ko
moddir       = $(BUILD)/modules/$(1)

# --delete drops sources removed from the repository (a stale .cpp would
# still be built); the protect rules keep Kbuild's outputs. Files are
# compared by content and written with the current time (no -t), so a
# changed file is always newer than its object, whatever its own date.
KBUILD_OUTPUTS := *.o *.ko *.mod *.mod.c .*.cmd .*.d *.symvers modules.order
define sync_modules
	@mkdir -p $(1)
	@rsync -rlp --checksum --delete $(foreach o,$(KBUILD_OUTPUTS),--filter='protect $(o)') \
	    --exclude=/build --exclude=/.git --exclude='*.o' --exclude='*.ko' \
	    --include=Kbuild --include='modules/***' --include='include/***' \
	    --include='support/***' --include='tools/' --include='tools/kbuild/***' \
	    --exclude='*' $(TOP)/ $(1)/
endef

modules: $(addprefix modules-,$(ARCHES)) ## build the modules for all three architectures

define module_rules
modules-$(1): $(STAMPS)/kernel-$(1) ## build the $(1) modules and check their objects
	@echo ">>> building $(1) modules"
	$(call sync_modules,$(call moddir,$(1)))
	@$(call kmake,$(1)) -s M=$(call moddir,$(1)) MULTIOS_ROOT=$(call moddir,$(1)) modules
	@tools/kbuild/check-module.sh $(if $(filter x86_64%,$(1)),--require-orc) $(if $(filter %-kasan,$(1)),--kasan) $(firstword $(subst -, ,$(1))) '$(cross_$(1))' \
	    $(addprefix $(call moddir,$(1))/,$(MODULE_KOS))
endef
$(foreach a,$(ARCHES) x86_64-bench x86_64-kasan,$(eval $(call module_rules,$(a))))

# Debian's own kernel: the modules that need no patch, built against
# linux-headers-<abi>-amd64 and booted on the matching linux-image.
# Recursive (=): looked up when a recipe runs, after `deps` installed the
# headers, and always the version linux-headers-amd64 points at now.
comma := ,
space := $(subst ,, )
DISTRO_ABI      = $(shell tools/distro-kernel.sh abi)
DISTRO_HEADERS  = /usr/src/linux-headers-$(DISTRO_ABI)-amd64
DISTRO_MODULES := modules/core/multios_core.ko modules/swap/multios_swap.ko modules/numa/multios_numa.ko
# Debian's kernel has virtio and 9p as modules: the guest's initramfs
# (mini-init) loads these, in this order, to reach the 9p root, then
# hands over to it. Everything else the tests need (zsmalloc, the
# compressors, loop) modprobe loads from the package's own module tree.
DISTRO_9P := drivers/virtio/virtio_ring.ko drivers/virtio/virtio.ko \
	     drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci_legacy_dev.ko \
	     drivers/virtio/virtio_pci.ko net/9p/9pnet.ko net/9p/9pnet_virtio.ko \
	     fs/netfs/netfs.ko fs/fscache/fscache.ko fs/9p/9p.ko
# The kselftests that need no patch: the modules, as users load them there.
DISTRO_TESTS := multios_core_test.sh multios_swap_test.sh multios_numa_test.sh

modules-distro: deps ## build the modules against Debian's linux-headers-amd64
	@test -d "$(DISTRO_HEADERS)" || { echo "error: $(DISTRO_HEADERS) missing" >&2; exit 1; }
	@echo ">>> building modules for Debian's kernel $(DISTRO_ABI)-amd64"
	$(call sync_modules,$(call moddir,distro))
	@$(MAKE) -C $(DISTRO_HEADERS) -s M=$(call moddir,distro) MULTIOS_ROOT=$(call moddir,distro) \
	    CC="ccache gcc" modules
	@tools/kbuild/check-module.sh --require-orc x86_64 '' \
	    $(addprefix $(call moddir,distro)/,$(DISTRO_MODULES))

# ---------------------------------------------------------------------------
# Guests
# ---------------------------------------------------------------------------
GUEST       := tools/guest.py
GUEST_CPUS  ?= 8
GUEST_NUMA  ?= 2
init_bin     = $(BUILD)/guest/$(1)/mini-init
initrd       = $(BUILD)/guest/$(1)/initrd.cpio

# The initramfs also carries swap_integrity (the kselftest's swap
# integrity program, built for the architecture), run by mini-init's
# multios.run= with its -D option: make check swaps pages of the arm64
# kernel's 64 KiB size through multios_swap that way.
guest_prog   = $(BUILD)/guest/$(1)/$(2)
define guest_rules
$(call init_bin,$(1)): tools/guest/mini-init.c
	@mkdir -p $$(@D)
	@$(cross_$(1))gcc -static -Os -Wall -Werror -o $$@ $$<

$(call guest_prog,$(1),swap_integrity): selftests/multios/swap_integrity.c selftests/multios/swap_pages.h
	@mkdir -p $$(@D)
	@$(cross_$(1))gcc -static -O2 -Wall -Werror -o $$@ $$<

initrd-$(1): modules-$(1) $(call init_bin,$(1)) $(call guest_prog,$(1),swap_integrity) ## pack the $(1) initramfs (mini-init + modules)
	@tools/guest/mkinitrd.sh $(call initrd,$(1)) $(call init_bin,$(1)) \
	    $(addprefix $(call moddir,$(1))/,$(MODULE_KOS)) $(call guest_prog,$(1),swap_integrity)
endef
$(foreach a,arm64 riscv64,$(eval $(call guest_rules,$(a))))
$(eval $(call guest_rules,x86_64))

# The kselftest target selftests/multios, installed into the patched
# kernel tree and built and installed from there by the kernel's own
# kselftest Makefile, as a kernel developer runs any selftest; the guests
# run $(KSFT)/run_kselftest.sh. Its programs (mos_sched_tool,
# swap_integrity) are static, so the benchmarks and Debian's initramfs use
# them too. MAKEFLAGS and friends are dropped: ours (--no-builtin-rules,
# BUILD=) would change how the kselftest Makefiles build.
KSFT         := $(BUILD)/kselftest
KSFT_BIN     := $(KSFT)/multios
KSFT_SOURCES := $(wildcard selftests/multios/*)

# The folder too: a file removed from it changes its time.
$(STAMPS)/kselftest: $(STAMPS)/source selftests/multios $(KSFT_SOURCES) tools/install-kselftest.sh
	@echo ">>> installing the multios kselftest (log: $(LOGS)/kselftest.log)"
	@mkdir -p $(LOGS)
	@tools/install-kselftest.sh $(KSRC) >$(LOGS)/kselftest.log
	@rm -rf $(KSFT) $(BUILD)/kselftest-build
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C $(KSRC)/tools/testing/selftests \
	    TARGETS=multios O=$(BUILD)/kselftest-build KSFT_INSTALL_PATH=$(KSFT) USERCFLAGS=-Werror install \
	    >>$(LOGS)/kselftest.log 2>&1 || { tail -20 $(LOGS)/kselftest.log; exit 1; }
	@touch $@

selftests: $(STAMPS)/kselftest ## install the multios kselftest into the kernel tree, build it, install it under build/kselftest

# The swap benchmark (not a test): multios_swap0 against the kernel's zram0
# in one boot of the x86_64 kernel, same algorithm, size, data and method.
BENCH_MIB  ?= 128
BENCH_ALGO ?= lz4
# Each repetition runs every dataset on both devices, the device that goes
# first alternating, so that the guest warming up favours neither; the
# report gives medians and the spread of the per-repetition ratios.
BENCH_REPS ?= 3
# The benchmarks time the kernel without its debug options (x86_64-bench);
# BENCH_KERNEL=x86_64 runs them on the debug test kernel instead.
BENCH_KERNEL ?= x86_64-bench
$(BUILD)/guest/x86_64/swap_bench: selftests/swap/swap_bench.c selftests/multios/swap_pages.h
	@mkdir -p $(@D)
	@gcc -static -O2 -Wall -Werror -o $@ $<

bench-swap: kernel-$(BENCH_KERNEL) modules-$(BENCH_KERNEL) $(BUILD)/guest/x86_64/swap_bench ## bench-swap-host, then multios_swap against zram: table + build/results/bench-swap.json
	@$(MAKE) bench-swap-host
	@mkdir -p $(BUILD)/results
	@echo ">>> multios_swap against zram: $(BENCH_KERNEL) kernel, $(BENCH_ALGO), $(BENCH_MIB) MiB, $(BENCH_REPS) repetitions; load: $$(uptime | sed 's/.*load average: //')"
	@status=0; $(GUEST) --arch x86_64 --kernel $(call kimage,$(BENCH_KERNEL)) --cpus 2 --numa 1 \
	    --timeout 3600 --log $(LOGS)/bench-swap-console.log -- $(TOP)/selftests/swap/bench-swap.sh \
	    $(call moddir,$(BENCH_KERNEL)) $(BUILD)/guest/x86_64/swap_bench $(BENCH_MIB) $(BENCH_ALGO) \
	    $(BENCH_REPS) | tee $(BUILD)/results/bench-swap.out || status=$$?; \
	tools/bench-swap-report.py $(BUILD)/results/bench-swap.out $(BUILD)/results/bench-swap.json; \
	exit $$status

# The swap core's host microbenchmarks (not a test: ctest runs them only
# once, in smoke mode): the dedup index at 1 M and 16 M pages and the
# page store per algorithm and dataset (modules/swap/bench/). Google
# Benchmark's table, a summary, and its JSON. BENCH_HOST_ARGS adds
# options, e.g. --index-pages=1048576 --benchmark_filter=store (the shell
# reads them: quote a filter with a |); --benchmark_repetitions=N makes
# the summary's figures medians of N. Built as users would run the code:
# a Release build (NDEBUG, no sanitizers) of its own in build/host-bench,
# so the Debug/sanitizer unit-test build in build/host stays as it is.
# (libbenchmark's "Library was built as DEBUG" is Debian's build of the
# framework, not of the code timed.)
BENCH_HOST_ARGS ?=
bench-swap-host: | deps ## host microbenchmarks of the swap core: table + build/results/bench-swap-host.json
	@cmake -S $(TOP) -B $(BUILD)/host-bench -DCMAKE_BUILD_TYPE=Release -DMOS_SANITIZE=OFF \
	    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
	@cmake --build $(BUILD)/host-bench -j$(JOBS) --target swap_bench
	@mkdir -p $(BUILD)/results
	@echo ">>> swap core host microbenchmarks; load: $$(uptime | sed 's/.*load average: //')"
	@$(BUILD)/host-bench/swap_bench --benchmark_out=$(BUILD)/results/bench-swap-host.json \
	    --benchmark_out_format=json $(BENCH_HOST_ARGS) | tee $(BUILD)/results/bench-swap-host.out
	@tools/bench-swap-host-report.py $(BUILD)/results/bench-swap-host.json | \
	    tee $(BUILD)/results/bench-swap-host.txt

# The scheduler benchmark (not a test): the multios class against CFS and
# SCHED_DEADLINE in one boot of the benchmark kernel (8 CPUs, 2 nodes).
# A failed boot (a splat, a timeout) still gets its table: the numbers
# printed before it are real; make then fails with the guest's status.
# The balancers' boot: one CPU per node, so that where a task runs is
# which node its memory is local to. On a host with fewer CPUs than
# BAL_CPUS, a third boot with one vCPU (and node) per host CPU, where an
# idle vCPU is an idle CPU (Documentation/dev/sched-bench.rst, run 5).
BAL_CPUS ?= 8
bench-sched: kernel-$(BENCH_KERNEL) modules-$(BENCH_KERNEL) selftests ## multios_sched against CFS/SCHED_DEADLINE, each balancer on 8 nodes (and one vCPU per host CPU): table + build/results/bench-sched.json
	@mkdir -p $(BUILD)/results
	@echo ">>> multios_sched against CFS and SCHED_DEADLINE: $(BENCH_KERNEL) kernel; load: $$(uptime | sed 's/.*load average: //')"
	@status=0; $(GUEST) --arch x86_64 --kernel $(call kimage,$(BENCH_KERNEL)) --cpus $(GUEST_CPUS) \
	    --numa $(GUEST_NUMA) --timeout 3600 --log $(LOGS)/bench-sched-console.log -- \
	    $(TOP)/selftests/sched/bench-sched.sh $(call moddir,$(BENCH_KERNEL)) \
	    $(KSFT_BIN)/mos_sched_tool | tee $(BUILD)/results/bench-sched.out || status=$$?; \
	boots=$(BAL_CPUS) host=$$(nproc); \
	if [ $$host -ge 2 ] && [ $$host -lt $(BAL_CPUS) ]; then boots="$$boots $$host"; fi; \
	for cpus in $$boots; do \
	    echo ">>> balance_algorithm against CFS: $$cpus CPUs on as many NUMA nodes (host: $$host CPUs)"; \
	    $(GUEST) --arch x86_64 --kernel $(call kimage,$(BENCH_KERNEL)) --cpus $$cpus \
	        --numa $$cpus --mem $$(( cpus * 256 )) --timeout 3600 \
	        --log $(LOGS)/bench-balancers-$$cpus-console.log -- \
	        $(TOP)/selftests/sched/bench-balancers.sh $(call moddir,$(BENCH_KERNEL)) \
	        $(KSFT_BIN)/mos_sched_tool | tee -a $(BUILD)/results/bench-sched.out || status=$$?; \
	done; \
	tools/bench-sched-report.py $(BUILD)/results/bench-sched.out $(BUILD)/results/bench-sched.json; \
	exit $$status

# Not in make check: a 64-vCPU TCG guest on a 2-CPU host takes minutes,
# the 255-vCPU one far longer. SCALE_GUESTS picks the sizes (CPUS/NODES);
# SCALE_MODE=cfs runs the same load without the module (the CFS control).
SCALE_GUESTS ?= 64/8 255/128
SCALE_MODE ?= class
scale-sched: kernel-x86_64 modules-x86_64 selftests ## the class on 64-vCPU/8-node and 255-vCPU/128-node guests
	@for g in $(SCALE_GUESTS); do \
	    echo ">>> x86_64 guest: $${g%/*} CPUs, $${g#*/} nodes, $(SCALE_MODE) (class: switch_all; cfs: no module)"; \
	    mem=$$(( $${g#*/} * 128 )); [ $$mem -ge 4096 ] || mem=4096; \
	    $(GUEST) --arch x86_64 --kernel $(call kimage,x86_64) --cpus $${g%/*} --numa $${g#*/} \
	        --mem $$mem --timeout 3000 --log $(LOGS)/scale-sched-$${g%/*}-console.log -- \
	        $(TOP)/selftests/sched/multios_scale_test.sh $(call moddir,x86_64) \
	        $(KSFT_BIN)/mos_sched_tool 20 $(SCALE_MODE) || exit 1; \
	done

# The class's lifetime races (rmmod against error disables, SysRq-M, tasks
# forking, dying and changing policy) on the KASAN kernel: what issue 18
# asks of section 1, too slow under TCG for make check. Splats fail it.
check-kasan: kernel-x86_64-kasan modules-x86_64-kasan selftests ## the class's lifetime race test on a KASAN kernel (not in make check)
	@$(GUEST) --arch x86_64 --kernel $(call kimage,x86_64-kasan) --cpus $(GUEST_CPUS) \
	    --numa $(GUEST_NUMA) --timeout 5400 --log $(LOGS)/kasan-console.log -- \
	    env MULTIOS_MODULES=$(call moddir,x86_64-kasan) $(KSFT)/run_kselftest.sh \
	    -t multios:multios_lifetime_test.sh

DISTRO_DIR := $(BUILD)/distro

initrd-distro: $(call init_bin,x86_64) | deps ## pack the initramfs for Debian's kernel (virtio and 9p modules)
	@root=$$(tools/distro-kernel.sh modules $(DISTRO_DIR)) && \
	tools/guest/mkinitrd.sh $(DISTRO_DIR)/initrd.cpio $(call init_bin,x86_64) \
	    $(addprefix $$root/lib/modules/$(DISTRO_ABI)-amd64/kernel/,$(DISTRO_9P))

distro-test: modules-distro initrd-distro selftests ## the module kselftests on Debian's own kernel in a guest
	@$(GUEST) --arch x86_64 --kernel $$(tools/distro-kernel.sh image $(DISTRO_DIR)) \
	    --initrd $(DISTRO_DIR)/initrd.cpio \
	    --cpus $(GUEST_CPUS) --numa $(GUEST_NUMA) --log $(LOGS)/distro-console.log --timeout 1200 $(GUEST_ARGS) \
	    --append "multios.insmod=$(subst $(space),$(comma),$(notdir $(DISTRO_9P))) \
	              multios.modules=$(DISTRO_DIR)/root" \
	    -- env MULTIOS_MODULES=$(call moddir,distro) $(KSFT)/run_kselftest.sh \
	    $(addprefix -t multios:,$(DISTRO_TESTS))

# ---------------------------------------------------------------------------
# Host: the support library and the C++ cores under GoogleTest.
# ---------------------------------------------------------------------------
host-build: | deps ## build the host unit tests (CMake; ASan+UBSan and TSan)
	@cmake -S $(TOP) -B $(BUILD)/host -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
	@cmake --build $(BUILD)/host -j$(JOBS)

host-test: host-build ## run the host unit tests (ctest)
	@ctest --test-dir $(BUILD)/host -j$(JOBS) --output-on-failure

run: kernel-x86_64 modules-x86_64 ## boot x86_64 (8 CPUs, 2 nodes), load the modules, show what they report
	@echo ">>> booting the x86_64 kernel: $(GUEST_CPUS) CPUs, $(GUEST_NUMA) NUMA nodes (TCG)"
	@$(GUEST) --arch x86_64 --kernel $(call kimage,x86_64) --cpus $(GUEST_CPUS) --numa $(GUEST_NUMA) \
	    --log $(LOGS)/run-console.log --verbose -- tools/guest/show-modules.sh $(call moddir,x86_64)

check: ## every test: host, patches, three kernels, KUnit, selftests, Debian's kernel
	@tools/check.sh

# Anything else is a mistake: say so in one line.
kernel-% modules-% initrd-%:
	@echo "error: unknown architecture '$*' (known: $(ARCHES)$(if $(filter modules-% initrd-%,$@), distro))" >&2; exit 2

.DEFAULT:
	@echo "error: no target '$@' (make help lists them)" >&2; exit 2

clean: ## remove module and test outputs, keep kernels
	rm -rf $(BUILD)/modules $(BUILD)/host $(BUILD)/guest $(BUILD)/results \
	    $(KSFT) $(BUILD)/kselftest-build $(STAMPS)/kselftest

distclean: ## remove everything built
	rm -rf $(BUILD)
