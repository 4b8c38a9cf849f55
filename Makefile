# SPDX-License-Identifier: Apache-2.0
#
# Bulkhead build. `make` builds the hypervisor; `make run` boots the demo
# under QEMU (`make run-passthrough`: the device-passthrough example);
# `make test` runs every test (host unit tests and QEMU
# integration tests). Both install missing Debian packages via tools/setup.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
# Keep intermediate objects of chained pattern rules (no rebuild churn).
.SECONDARY:
.SUFFIXES:

BUILD ?= build
CROSS_COMPILE ?= aarch64-linux-gnu-
HOSTCC ?= gcc
CLANG ?= clang
PYTHON ?= python3
LIBFDT_SRC ?= .deps/libfdt
Q := $(if $(V),,@)

# Version: the VERSION file of a release tarball (`make dist`), else
# `git describe` in a checkout. The file comes first: a tarball unpacked
# inside some other git checkout must not take that checkout's version.
VERSION := $(shell cat VERSION 2>/dev/null || git describe --tags --always --dirty 2>/dev/null || echo unknown)

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wvla -Wmissing-prototypes -Wstrict-prototypes -Wconversion
# Build options: which optional parts the images and bulkhead-check have.
include mk/options.mk
ALL_CORE_SRCS := $(wildcard core/*.c)
# system_check.c is bulkhead-check's verdict: the images link it only in
# the verdict build, which gives that verdict at EL2.
CORE_SRCS := $(filter-out $(OPTION_OUT_SRCS) core/system_check.c,$(ALL_CORE_SRCS))
# Device drivers both ports (and the host build) use: drivers/uart.
ALL_DRIVER_SRCS := $(wildcard drivers/uart/*.c)
DRIVER_SRCS := $(filter-out $(OPTION_OUT_SRCS),$(ALL_DRIVER_SRCS))
CORE_INCLUDES := -Icore/include -Idrivers

# ---------------------------------------------------------------------------
# Dependencies: tools/setup installs packages and unpacks libfdt's sources.
# ---------------------------------------------------------------------------
# Every rule that needs setup depends on this one target, so that one make
# runs tools/setup once however many jobs it has (two rules running it at
# once unpacked over each other); tools/setup also takes a lock on .deps,
# for separate makes (`make -j2 setup all`, two worktrees sharing .deps).
# When the cross compiler is missing, the stamp alone does not prove setup
# has run: the rule is then forced.
SETUP_STAMP := $(LIBFDT_SRC)/libfdt.h
HAVE_ARM64_CC := $(shell command -v $(CROSS_COMPILE)gcc)
NEED_SETUP := $(if $(and $(wildcard $(SETUP_STAMP)),$(HAVE_ARM64_CC)),,yes)

$(SETUP_STAMP): $(if $(NEED_SETUP),FORCE)
	$(Q)tools/setup

# libfdt's sources come from tools/setup: on a fresh clone a rule that
# compiles them must find a way to make them, or make gives up on it.
$(LIBFDT_SRC)/%.c: | $(SETUP_STAMP) ;

.PHONY: setup
setup:
	$(Q)tools/setup

# ---------------------------------------------------------------------------
# arm64 hypervisor
# ---------------------------------------------------------------------------
ARM64_CC := $(CROSS_COMPILE)gcc
ARM64_LD := $(CROSS_COMPILE)ld
ARM64_OBJCOPY := $(CROSS_COMPILE)objcopy
ARM64_READELF := $(CROSS_COMPILE)readelf
ARM64_SIZE := $(CROSS_COMPILE)size

# -Os: smaller (43 vs 46 KB when measured at the boot-foundation stage) and
# fewer instructions to boot than -O2
ARM64_OPT ?= -Os
# The tiny code model: the image and its reserved memory (stacks, page
# pool) fit in 1 MiB, so one ADR or LDR (literal) reaches any of it where
# the small model needs ADRP and ADD: 3.6 KB less code, and an instruction
# less on every path that takes a global's address. Should the image ever
# outgrow it, the link fails (a relocation out of range), never the boot.
ARM64_CODE_MODEL := -mcmodel=tiny
# No frame records: gcc's AArch64 default keeps x29 as a frame pointer even
# at -Os, and nothing here walks frames (debuggers use .debug_frame): 2.6 KB
# less code, and two instructions less on most calls.
ARM64_FRAME := -fomit-frame-pointer
ARM64_CFLAGS := -std=gnu11 $(ARM64_OPT) -g -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(ARM64_CC) -print-file-name=include 2>/dev/null) \
	-mgeneral-regs-only -mno-outline-atomics -fpie $(ARM64_CODE_MODEL) $(ARM64_FRAME) \
	-fno-stack-protector -fno-common -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -ffunction-sections -fdata-sections \
	-ffile-prefix-map=$(CURDIR)=. -MMD -MP -include core/include/bulkhead/visibility.h \
	$(WARNINGS) $(CORE_INCLUDES) -Icore/libc/include -Iarch/arm64/include -isystem $(LIBFDT_SRC)
# Per-function stack usage and the call graph (.su, .ci beside each object)
# for tools/stack-bound; gcc only, so kept out of the flags clang also reads.
STACK_INFO_FLAGS := -fstack-usage -fcallgraph-info=su
# Link-time optimisation (docs/building.md, "Size choices"): the C objects
# carry gcc's intermediate code and the link compiles them as one unit, so
# calls across files are inlined and what no path reaches goes. One
# partition: the image is small, and one unit gives the smallest code and one
# call graph (.ci) for tools/stack-bound. core/libc/string.c stays out of it:
# code generation itself emits the memcpy and memset calls it defines, after
# LTO would have dropped them as unused. LTO=n: the objects linked as they
# are (make size then attributes bytes to objects from the link map).
LTO ?= y
ifneq ($(filter-out y n,$(LTO)),)
$(error LTO=$(LTO): expected y or n)
endif
ARM64_LTO_FLAGS := $(if $(filter y,$(LTO)),-flto=auto -flto-partition=one -ffat-lto-objects)
ARM64_NO_LTO_SRCS := core/libc/string.c
ARM64_ASFLAGS := -D__ASSEMBLY__ -Icore/include -Iarch/arm64/include -MMD -MP
ARM64_LDFLAGS := --gc-sections -pie --no-dynamic-linker -z norelro -z max-page-size=4096 -z noexecstack \
	--build-id=none --no-undefined --fatal-warnings -nostdlib

# The LTO link: through gcc, which compiles the intermediate code with the
# objects' flags (and the stack usage and call graph of that code:
# bulkhead.elf.ltrans0.ltrans.ci).
ARM64_LTO_LINK = $(ARM64_CC) $(filter-out -MMD -MP,$(ARM64_CFLAGS)) $(STACK_INFO_FLAGS) $(ARM64_LTO_FLAGS) \
	-nostdlib -nostartfiles -fuse-linker-plugin $(addprefix -Xlinker ,$(ARM64_LDFLAGS))
# The link (the map's -Map=FILE follows).
ARM64_LINK = $(if $(ARM64_LTO_FLAGS),$(ARM64_LTO_LINK) -Xlinker,$(ARM64_LD) $(ARM64_LDFLAGS))

ARM64_SRCS := $(CORE_SRCS) $(DRIVER_SRCS) core/libc/string.c $(wildcard arch/arm64/*.c) $(wildcard arch/arm64/*.S)
ARM64_SRCS := $(filter-out arch/arm64/fault_test.c arch/arm64/verdict_test.c $(OPTION_OUT_SRCS),$(ARM64_SRCS))
# The parts of libfdt the hypervisor uses (no overlays: they need strtoul).
LIBFDT_FILES := fdt.c fdt_ro.c fdt_rw.c fdt_sw.c fdt_wip.c fdt_strerror.c fdt_addresses.c
LIBFDT_CFLAGS := -Wno-sign-compare -Wno-missing-prototypes -Wno-shadow -Wno-conversion

# $(call arm64_image,variant,extra sources)
define arm64_image
$(1)_DIR := $(BUILD)/$(1)
$(1)_OBJS := $$(patsubst %,$$($(1)_DIR)/obj/%.o,$(ARM64_SRCS) $(2)) \
	$$(patsubst %,$$($(1)_DIR)/obj/libfdt/%.o,$(LIBFDT_FILES)) $$($(1)_DIR)/obj/version.c.o

# Objects depend on the flags they were built with: changing ARM64_OPT
# or any flag rebuilds everything.
$$($(1)_DIR)/flags: FORCE
	@mkdir -p $$(@D)
	$(Q)echo '$(ARM64_CFLAGS) $(STACK_INFO_FLAGS) $(ARM64_LTO_FLAGS) $(2)' > $$@.tmp
	$(Q)cmp -s $$@.tmp $$@ && rm -f $$@.tmp || mv $$@.tmp $$@

$$($(1)_DIR)/obj/%.c.o: %.c $$($(1)_DIR)/flags | $(SETUP_STAMP)
	@mkdir -p $$(@D)
	@echo "  CC      $$<"
	$(Q)$(ARM64_CC) $(ARM64_CFLAGS) $(STACK_INFO_FLAGS) \
		$$(if $$(filter $(ARM64_NO_LTO_SRCS),$$<),,$(ARM64_LTO_FLAGS)) -c $$< -o $$@

$$($(1)_DIR)/obj/%.S.o: %.S $$($(1)_DIR)/flags
	@mkdir -p $$(@D)
	@echo "  AS      $$<"
	$(Q)$(ARM64_CC) $(ARM64_ASFLAGS) -c $$< -o $$@

$$($(1)_DIR)/obj/libfdt/%.c.o: $(LIBFDT_SRC)/%.c $$($(1)_DIR)/flags | $(SETUP_STAMP)
	@mkdir -p $$(@D)
	@echo "  CC      libfdt/$$*.c"
	$(Q)$(ARM64_CC) $(ARM64_CFLAGS) $(STACK_INFO_FLAGS) $(ARM64_LTO_FLAGS) $(LIBFDT_CFLAGS) -c $$< -o $$@

$$($(1)_DIR)/obj/version.c.o: $$($(1)_DIR)/version.c $$($(1)_DIR)/flags
	$(Q)$(ARM64_CC) $(ARM64_CFLAGS) $(ARM64_LTO_FLAGS) -c $$< -o $$@

$$($(1)_DIR)/version.c: FORCE
	@mkdir -p $$(@D)
	$(Q)printf '// SPDX-License-Identifier: Apache-2.0\n#include <bulkhead/boot.h>\nconst char bulkhead_version[] = "%s";\nconst char *const bulkhead_parts = "%s";\n' \
		'$(VERSION)' '$(BUILD_PARTS)' > $$@.tmp
	$(Q)cmp -s $$@.tmp $$@ && rm -f $$@.tmp || mv $$@.tmp $$@

$$($(1)_DIR)/linker.ld: arch/arm64/linker.ld.in core/include/bulkhead/config.h
	@mkdir -p $$(@D)
	$(Q)$(ARM64_CC) -E -P -x c -D__ASSEMBLY__ -Icore/include $$< -o $$@

$$($(1)_DIR)/linker-rela.ld: arch/arm64/linker.ld.in core/include/bulkhead/config.h
	@mkdir -p $$(@D)
	$(Q)$(ARM64_CC) -E -P -x c -D__ASSEMBLY__ -DBULKHEAD_RELA_LINK -Icore/include $$< -o $$@

# Linked twice (tools/pack-relocs): the first link's .rela.dyn becomes the
# packed list relr.o, which the second link has in its place.
$$($(1)_DIR)/rela/bulkhead.elf: $$($(1)_OBJS) $$($(1)_DIR)/linker-rela.ld
	@mkdir -p $$(@D)
	$(Q)$(ARM64_LINK) -Map=$$(@D)/bulkhead.map -T $$($(1)_DIR)/linker-rela.ld $$($(1)_OBJS) -o $$@

$$($(1)_DIR)/relr.S: $$($(1)_DIR)/rela/bulkhead.elf tools/pack-relocs
	$(Q)tools/pack-relocs $(ARM64_READELF) $$< $$@

$$($(1)_DIR)/relr.o: $$($(1)_DIR)/relr.S
	$(Q)$(ARM64_CC) -c $$< -o $$@

$$($(1)_DIR)/bulkhead.elf: $$($(1)_OBJS) $$($(1)_DIR)/linker.ld $$($(1)_DIR)/relr.o
	@echo "  LD      $$@"
	$(Q)$(ARM64_LINK) -Map=$$($(1)_DIR)/bulkhead.map -T $$($(1)_DIR)/linker.ld \
		$$($(1)_OBJS) $$($(1)_DIR)/relr.o -o $$@
	$(Q)tools/pack-relocs --check $(ARM64_READELF) $$($(1)_DIR)/rela/bulkhead.elf $$@

# make size's view by object: the same objects (fat: they carry their own
# code too) linked without LTO, which merges them.
$$($(1)_DIR)/nolto/bulkhead.elf: $$($(1)_OBJS) $$($(1)_DIR)/linker-rela.ld
	@mkdir -p $$(@D)
	$(Q)$(ARM64_LD) $(ARM64_LDFLAGS) -Map=$$(@D)/bulkhead.map -T $$($(1)_DIR)/linker-rela.ld $$($(1)_OBJS) -o $$@

$$($(1)_DIR)/bulkhead.bin: $$($(1)_DIR)/bulkhead.elf
	@echo "  OBJCOPY $$@"
	$(Q)$(ARM64_OBJCOPY) -O binary $$< $$@

-include $$($(1)_OBJS:.o=.d)
endef

$(eval $(call arm64_image,arm64,))
$(eval $(call arm64_image,arm64-faulttest,arch/arm64/fault_test.c))
$(eval $(call arm64_image,arm64-verdict,arch/arm64/verdict_test.c core/system_check.c))

# ---------------------------------------------------------------------------
# x86-64 hypervisor: the host gcc, freestanding, identity mapped at 1 MiB.
# bulkhead.elf (ELF64) is for GRUB's multiboot2; QEMU's -kernel takes only
# 32-bit multiboot ELFs, so bulkhead32.elf is the same image in an ELF32
# container (the entry is 32-bit code and everything sits below 4 GiB).
# ---------------------------------------------------------------------------
X86_CC := $(HOSTCC)
X86_LD := ld
X86_OBJCOPY := objcopy
X86_DIR := $(BUILD)/x86
X86_CFLAGS := -std=gnu11 -Os -g -m64 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(X86_CC) -print-file-name=include 2>/dev/null) \
	-mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 -mcmodel=small \
	-fno-pic -fno-pie -fno-stack-protector -fno-common -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none \
	-ffile-prefix-map=$(CURDIR)=. -MMD -MP \
	$(WARNINGS) $(CORE_INCLUDES) -Icore/libc/include -Iarch/x86/include -isystem $(LIBFDT_SRC)
X86_ASFLAGS := -m64 -D__ASSEMBLY__ -Icore/include -Iarch/x86/include -MMD -MP
X86_LDFLAGS := -m elf_x86_64 -static -nostdlib -z max-page-size=4096 -z noexecstack \
	--build-id=none --no-undefined --fatal-warnings --no-warn-rwx-segments
X86_SRCS := $(CORE_SRCS) $(DRIVER_SRCS) core/libc/string.c $(wildcard arch/x86/*.c) $(wildcard arch/x86/*.S)
X86_SRCS := $(filter-out arch/x86/fault_test.c $(OPTION_OUT_SRCS),$(X86_SRCS))
X86_OBJS := $(patsubst %,$(X86_DIR)/obj/%.o,$(X86_SRCS)) \
	$(patsubst %,$(X86_DIR)/obj/libfdt/%.o,$(LIBFDT_FILES)) $(X86_DIR)/obj/version.c.o

$(X86_DIR)/flags: FORCE
	@mkdir -p $(@D)
	$(Q)echo '$(X86_CFLAGS) $(STACK_INFO_FLAGS)' > $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(X86_DIR)/obj/%.c.o: %.c $(X86_DIR)/flags | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $< (x86)"
	$(Q)$(X86_CC) $(X86_CFLAGS) $(STACK_INFO_FLAGS) -c $< -o $@

$(X86_DIR)/obj/%.S.o: %.S $(X86_DIR)/flags
	@mkdir -p $(@D)
	@echo "  AS      $< (x86)"
	$(Q)$(X86_CC) $(X86_ASFLAGS) -c $< -o $@

$(X86_DIR)/obj/libfdt/%.c.o: $(LIBFDT_SRC)/%.c $(X86_DIR)/flags | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_CFLAGS) $(STACK_INFO_FLAGS) $(LIBFDT_CFLAGS) -c $< -o $@

$(X86_DIR)/obj/version.c.o: $(BUILD)/arm64/version.c $(X86_DIR)/flags
	$(Q)$(X86_CC) $(X86_CFLAGS) -c $< -o $@

$(X86_DIR)/linker.ld: arch/x86/linker.ld.in core/include/bulkhead/config.h
	@mkdir -p $(@D)
	$(Q)$(X86_CC) -E -P -x c -D__ASSEMBLY__ -Icore/include $< -o $@

$(X86_DIR)/bulkhead.elf: $(X86_OBJS) $(X86_DIR)/linker.ld
	@echo "  LD      $@"
	$(Q)$(X86_LD) $(X86_LDFLAGS) -T $(X86_DIR)/linker.ld $(X86_OBJS) -o $@

$(X86_DIR)/bulkhead32.elf: $(X86_DIR)/bulkhead.elf
	@echo "  OBJCOPY $@"
	$(Q)$(X86_OBJCOPY) -O elf32-i386 $< $@

# The fault-test build: the same objects and arch/x86/fault_test.c.
X86_FAULT_DIR := $(BUILD)/x86-faulttest
$(X86_FAULT_DIR)/bulkhead.elf: $(X86_OBJS) $(X86_DIR)/obj/arch/x86/fault_test.c.o $(X86_DIR)/linker.ld
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(X86_LD) $(X86_LDFLAGS) -T $(X86_DIR)/linker.ld $(filter %.o,$^) -o $@

$(X86_FAULT_DIR)/bulkhead32.elf: $(X86_FAULT_DIR)/bulkhead.elf
	$(Q)$(X86_OBJCOPY) -O elf32-i386 $< $@

-include $(X86_OBJS:.o=.d) $(X86_DIR)/obj/arch/x86/fault_test.c.d

# System device trees for QEMU q35: examples and the tests' own.
X86_DTBS := $(patsubst dts/qemu-x86/%.dts,$(X86_DIR)/dtb/%.dtb,$(wildcard dts/qemu-x86/*.dts)) \
	$(patsubst tests/x86/%.dts,$(X86_DIR)/dtb/%.dtb,$(wildcard tests/x86/*.dts))

$(X86_DIR)/dtb/%.dtb: dts/qemu-x86/%.dts $(wildcard dts/qemu-x86/*.dtsi) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(Q)dtc -q -@ -i dts/qemu-x86 -I dts -O dtb -o $@ $<

$(X86_DIR)/dtb/%.dtb: tests/x86/%.dts $(wildcard dts/qemu-x86/*.dts*) $(wildcard tests/x86/*.dts) \
		| $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(Q)dtc -q -@ -i dts/qemu-x86 -I dts -O dtb -o $@ $<

# The example system behind `make run-x86`, its modules sized to hello.bin.
X86_HELLO_DTB := $(X86_DIR)/dtb/two-partitions.dtb
$(X86_HELLO_DTB): dts/qemu-x86/two-partitions.dts $(wildcard dts/qemu-x86/*.dtsi) \
		$(X86_DIR)/partitions/hello.bin | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  DTC     $@"
	$(Q)dtc -q -@ -i dts/qemu-x86 -I dts -O dtb -o $@.tmp $<
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/hello-a/module@8000000,0x8000000,$(X86_DIR)/partitions/hello.bin)
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/hello-b/module@8100000,0x8100000,$(X86_DIR)/partitions/hello.bin)
	$(Q)mv $@.tmp $@

.PHONY: run-x86
run-x86: x86
	$(Q)qemu-system-x86_64 -M q35 -accel tcg -cpu qemu64,+svm,+npt -smp 4 -m 1G \
		-display none -serial mon:stdio -nic none \
		-kernel $(X86_DIR)/bulkhead32.elf -initrd "$(X86_HELLO_DTB) dtb" \
		-device loader,file=$(X86_DIR)/partitions/hello.bin,addr=0x8000000,force-raw=on \
		-device loader,file=$(X86_DIR)/partitions/hello.bin,addr=0x8100000,force-raw=on

# x86-64 partition programs (partitions/x86): flat images linked at
# X86_RT_BASE, the guest-physical address the partitions' `load-offset`
# puts them at. Their printf is the hypervisor's own formatter.
X86_RT_BASE ?= 0x100000
X86_RT_DIR := $(X86_DIR)/partitions
X86_RT_CFLAGS := $(filter-out -Iarch/x86/include,$(X86_CFLAGS)) -Ipartitions/x86 -Ipartitions/include
X86_RT_LIB_OBJS := $(patsubst %,$(X86_RT_DIR)/obj/%.o,partitions/x86/start.S \
	partitions/x86/traps.S partitions/x86/rt.c partitions/x86/sipi.S partitions/x86/sipi.c \
	partitions/common/rt_api.c \
	core/format.c core/libc/string.c) $(patsubst %,$(X86_RT_DIR)/obj/libfdt/%.o,fdt.c fdt_ro.c)
# partitions/samples: programs written once against rt_api.h, built for both arches.
SAMPLE_PROGRAMS := $(notdir $(basename $(wildcard partitions/samples/*.c)))
X86_PARTITION_PROGRAMS := hello xbench $(notdir $(basename $(wildcard partitions/x86/tests/*.c))) \
	$(SAMPLE_PROGRAMS)

# A bootable ISO for PCs and QEMU's -cdrom: GRUB (grub-mkrescue, BIOS)
# loads bulkhead.elf by multiboot2, the demo's system DT and its programs
# (boot/x86-grub.cfg).
X86_ISO := $(X86_DIR)/bulkhead.iso
$(X86_ISO): $(X86_DIR)/bulkhead.elf $(X86_HELLO_DTB) $(X86_RT_DIR)/hello.bin boot/x86-grub.cfg \
		| $(SETUP_STAMP)
	@echo "  ISO     $@"
	$(Q)rm -rf $(X86_DIR)/iso && mkdir -p $(X86_DIR)/iso/boot/grub
	$(Q)cp $(X86_DIR)/bulkhead.elf $(X86_RT_DIR)/hello.bin $(X86_DIR)/iso/boot/
	$(Q)cp $(X86_HELLO_DTB) $(X86_DIR)/iso/boot/system.dtb
	$(Q)grep -v '^#' boot/x86-grub.cfg > $(X86_DIR)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@.tmp $(X86_DIR)/iso > $(X86_DIR)/iso.log 2>&1 || { cat $(X86_DIR)/iso.log; exit 1; }
	$(Q)mv $@.tmp $@

.PHONY: x86-iso run-x86-iso run-x86-vmx
x86-iso: $(X86_ISO)

# The demo ISO on Intel VMX under bochs (docs/x86.md, "Under bochs"): the
# serial console (a file, followed) on stdout, bochs' own messages in
# build/x86/bochs.log; quit with Ctrl-C.
run-x86-vmx: $(X86_ISO)
	$(Q)printf '%s\n' 'megs: 1024' 'cpu: model=corei7_skylake_x, count=4, ips=50000000' \
		'romimage: file=/usr/share/bochs/BIOS-bochs-latest' \
		'vgaromimage: file=/usr/share/vgabios/vgabios.bin' 'display_library: term' \
		'ata0-master: type=cdrom, path=$(X86_ISO), status=inserted' 'boot: cdrom' \
		'com1: enabled=1, mode=file, dev=$(X86_DIR)/serial-vmx.txt' 'log: $(X86_DIR)/bochs.log' \
		'error: action=ignore' 'info: action=ignore' > $(X86_DIR)/bochsrc-vmx
	$(Q)echo c > $(X86_DIR)/bochs-continue.rc
	$(Q): > $(X86_DIR)/serial-vmx.txt; \
	TERM=dumb bochs -q -f $(X86_DIR)/bochsrc-vmx -rc $(X86_DIR)/bochs-continue.rc \
		< /dev/null > /dev/null 2>&1 & tail -f --pid=$$! $(X86_DIR)/serial-vmx.txt

run-x86-iso: $(X86_ISO)
	$(Q)qemu-system-x86_64 -M q35 -accel tcg -cpu qemu64,+svm,+npt -smp 4 -m 1G \
		-display none -serial mon:stdio -nic none -cdrom $(X86_ISO)

$(X86_RT_DIR)/obj/%.c.o: %.c $(X86_DIR)/flags | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $< (x86 partition)"
	$(Q)$(X86_CC) $(X86_RT_CFLAGS) -c $< -o $@

$(X86_RT_DIR)/obj/%.S.o: %.S
	@mkdir -p $(@D)
	$(Q)$(X86_CC) -m64 -c $< -o $@

$(X86_RT_DIR)/obj/libfdt/%.c.o: $(LIBFDT_SRC)/%.c $(X86_DIR)/flags | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_RT_CFLAGS) $(LIBFDT_CFLAGS) -c $< -o $@

$(X86_RT_DIR)/%.elf: $(X86_RT_LIB_OBJS) partitions/x86/partition.ld
	@echo "  LD      $@"
	$(Q)$(X86_LD) -m elf_x86_64 -static -nostdlib -T partitions/x86/partition.ld \
		--defsym=RT_BASE=$(X86_RT_BASE) --build-id=none --no-warn-rwx-segments -z noexecstack \
		$(filter %.o,$^) -o $@

$(X86_RT_DIR)/%.bin: $(X86_RT_DIR)/%.elf
	$(Q)$(X86_OBJCOPY) -O binary $< $@

$(X86_RT_DIR)/hello.elf: $(X86_RT_DIR)/obj/partitions/x86/hello.c.o
$(X86_RT_DIR)/xbench.elf: $(patsubst %,$(X86_RT_DIR)/obj/%.o,partitions/x86/bench.c \
	partitions/bench/bench_stats.c)
$(foreach t,$(notdir $(basename $(wildcard partitions/x86/tests/*.c))),\
	$(eval $(X86_RT_DIR)/$(t).elf: $(X86_RT_DIR)/obj/partitions/x86/tests/$(t).c.o))
$(X86_RT_DIR)/attack.elf: $(X86_RT_DIR)/obj/partitions/common/console_spoof.c.o
$(X86_RT_DIR)/msibench.elf: $(X86_RT_DIR)/obj/partitions/bench/bench_stats.c.o
$(X86_RT_DIR)/msixbench.elf: $(X86_RT_DIR)/obj/partitions/bench/bench_stats.c.o
$(foreach t,$(SAMPLE_PROGRAMS),\
	$(eval $(X86_RT_DIR)/$(t).elf: $(X86_RT_DIR)/obj/partitions/samples/$(t).c.o))

-include $(wildcard $(X86_RT_DIR)/obj/*/*/*.d $(X86_RT_DIR)/obj/*/*/*/*.d)

.PHONY: x86
x86: $(X86_DIR)/bulkhead.elf $(X86_DIR)/bulkhead32.elf $(X86_FAULT_DIR)/bulkhead32.elf $(X86_DTBS) \
	$(patsubst %,$(X86_RT_DIR)/%.bin,$(X86_PARTITION_PROGRAMS))

# make size: the image's bytes per part (docs/building.md) and per object
# file, from the link map: what --gc-sections kept, not what was compiled.
# SIZE_VARIANT=arm64-minimal: another build variant's image.
# With LTO, which merges the objects, the parts and objects are those of
# the objects linked without it, and the image's own figures follow.
SIZE_VARIANT ?= arm64
size_report = tools/size-report --objects --image $(1)/bulkhead.bin \
	$(if $(ARM64_LTO_FLAGS),--lto-map $(1)/bulkhead.map $(1)/nolto/bulkhead.map,$(1)/bulkhead.map)
.PHONY: size size-minimal
size: $(BUILD)/$(SIZE_VARIANT)/bulkhead.bin $(if $(ARM64_LTO_FLAGS),$(BUILD)/$(SIZE_VARIANT)/nolto/bulkhead.elf)
	$(Q)$(call size_report,$(BUILD)/$(SIZE_VARIANT))
# The same of the minimal build (make minimal, below).
size-minimal: minimal
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/minimal $(MINIMAL_OPTIONS) size

# make minimal: the hypervisor (both ports) and bulkhead-check with every
# optional part left out, in their own build directory ($(BUILD)/minimal):
# what `make bench` measures as image_bytes_minimal, and what the tests
# boot and refuse configurations with (tests/qemu/test_slim.py).
# An arm64 image needs one GIC version and a console driver: the minimal
# build keeps the GICv3 and the PL011 (QEMU's virt machine, most boards).
MINIMAL_KEEP := GICV3 UART_PL011
MINIMAL_OPTIONS := $(foreach o,$(OPTIONS),$(o)=$(if $(filter $(o),$(MINIMAL_KEEP)),y,n))
.PHONY: minimal
minimal:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/minimal $(MINIMAL_OPTIONS) \
		$(BUILD)/minimal/arm64/bulkhead.bin $(BUILD)/minimal/x86/bulkhead32.elf \
		$(BUILD)/minimal/tools/bulkhead-check

# make minimal-zynqmp: the other way round for the parts the minimal build
# keeps, the GICv2 and the Cadence UART instead of the GICv3 and the PL011
# (the ZCU102: tests/qemu/test_slim.py boots its configuration).
MINIMAL_ZYNQMP_KEEP := GICV2 UART_CADENCE
MINIMAL_ZYNQMP_OPTIONS := $(foreach o,$(OPTIONS),$(o)=$(if $(filter $(o),$(MINIMAL_ZYNQMP_KEEP)),y,n))
.PHONY: minimal-zynqmp
minimal-zynqmp:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/minimal-zynqmp $(MINIMAL_ZYNQMP_OPTIONS) \
		$(BUILD)/minimal-zynqmp/arm64/bulkhead.bin $(BUILD)/minimal-zynqmp/tools/bulkhead-check

# ---------------------------------------------------------------------------
# Stack bound: every entry point's worst stack depth from gcc's call graph
# (.ci beside each C object) and tools/stack-bound.table, checked against the
# per-CPU stack whenever the images are built. The report: build/stack-bound/.
# ---------------------------------------------------------------------------
STACK_BOUND_DIR := $(BUILD)/stack-bound
STACK_BOUND_DEPS := tools/stack-bound tools/stack-bound.table core/include/bulkhead/config.h arch/x86/mmu.c
STACK_BOUND_ARGS := --table tools/stack-bound.table --stack-size core/include/bulkhead/config.h:CPU_STACK_SIZE
# The C objects of an image (version.c.o has no functions and no .ci).
stack_cis = $(patsubst %.o,%.ci,$(filter-out %/version.c.o %.S.o,$(1)))
# With LTO, the arm64 image's graph is the link's (one partition: one .ci,
# the functions as the image has them) and the objects kept out of LTO.
ARM64_STACK_CIS := $(if $(ARM64_LTO_FLAGS),$(BUILD)/arm64/bulkhead.elf.ltrans0.ltrans.ci \
	$(call stack_cis,$(patsubst %,$(BUILD)/arm64/obj/%.o,$(ARM64_NO_LTO_SRCS))),$(call stack_cis,$(arm64_OBJS)))

$(STACK_BOUND_DIR)/arm64.json: $(arm64_OBJS) $(BUILD)/arm64/bulkhead.elf $(STACK_BOUND_DEPS)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/stack-bound --arch arm64 $(STACK_BOUND_ARGS) --json $@.tmp \
		$(ARM64_STACK_CIS) > $(@D)/arm64.txt 2>&1 || { cat $(@D)/arm64.txt; rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@
	@tail -n 1 $(@D)/arm64.txt

$(STACK_BOUND_DIR)/x86.json: $(X86_OBJS) $(STACK_BOUND_DEPS)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/stack-bound --arch x86 $(STACK_BOUND_ARGS) --json $@.tmp \
		$(call stack_cis,$(X86_OBJS)) > $(@D)/x86.txt 2>&1 || { cat $(@D)/x86.txt; rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@
	@tail -n 1 $(@D)/x86.txt

.PHONY: stack-bound
stack-bound: $(STACK_BOUND_DIR)/arm64.json $(STACK_BOUND_DIR)/x86.json
	@cat $(STACK_BOUND_DIR)/arm64.txt $(STACK_BOUND_DIR)/x86.txt

.PHONY: all hypervisor fault-test FORCE
FORCE:
# On a fresh machine the cross compiler is missing when this Makefile is
# parsed (its flags name its include directory), so set up first and build
# in a fresh make that sees it. Otherwise no second make: one running beside
# this one's other goals (`make -j2 all tools`) would write the files both
# need (version.c) at the same time.
ifeq ($(HAVE_ARM64_CC),)
all: | $(SETUP_STAMP)
	$(Q)$(MAKE) --no-print-directory hypervisor
else
all: hypervisor
endif
hypervisor: $(BUILD)/arm64/bulkhead.bin x86 $(STACK_BOUND_DIR)/arm64.json $(STACK_BOUND_DIR)/x86.json
fault-test: $(BUILD)/arm64-faulttest/bulkhead.bin $(BUILD)/arm64-verdict/bulkhead.bin

# ---------------------------------------------------------------------------
# Host: core + fake arch + unit tests, under ASan and UBSan
# ---------------------------------------------------------------------------
HOST_DIR := $(BUILD)/host
# arch/fake/include comes before the ports' includes: <arch/types.h> is the
# fake one, while the pure table code (arm64 pgtable.c, stage2.c, x86 npt.c)
# is tested as is.
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(WARNINGS) $(CORE_INCLUDES) -Iarch/fake/include \
	-Iarch/arm64/include -Iarch/x86/include -Itests/unit -MMD -MP
HOST_ARCH_SRCS := arch/arm64/pgtable.c arch/arm64/stage2.c arch/arm64/smmuv3_tables.c arch/arm64/vgic.c arch/arm64/vspi.c \
	arch/arm64/vgicv2_dist.c arch/arm64/vgic_level.c arch/arm64/vgic_spi_state.c arch/arm64/vgic_spis.c \
	arch/arm64/vits_lr.c arch/x86/npt.c arch/x86/decode.c
# Every part (never the stubs), whatever the build options: the host tests
# and fuzz targets test the parts themselves.
HOST_CORE_SRCS := $(filter-out $(OPTION_STUB_SRCS),$(ALL_CORE_SRCS) $(ALL_DRIVER_SRCS))
HOST_SRCS := $(HOST_CORE_SRCS) $(filter-out $(OPTION_STUB_SRCS),$(wildcard arch/fake/*.c)) $(HOST_ARCH_SRCS) $(wildcard tests/unit/*.c)
# The virtual GIC and its tests see arm64's <arch/types.h> (the vGIC state in
# struct vcpu and struct partition) instead of the fake one. They share no
# core structure with the objects built against the fake arch: the tests
# build their partitions and vCPUs by hand, and the ICH_*_EL2 registers and
# the physical GIC driver are faked (tests/unit/fake_gic.c).
HOST_ARM64_VIEW_SRCS := arch/arm64/vgic.c arch/arm64/vspi.c arch/arm64/vgicv2_dist.c arch/arm64/vgic_level.c \
	arch/arm64/vgic_spi_state.c arch/arm64/vgic_spis.c arch/arm64/vits_lr.c tests/unit/test_vgic.c \
	tests/unit/test_vgic_access.c tests/unit/test_vgicv2.c tests/unit/test_vgic_level.c tests/unit/vgic_fixture.c
HOST_ARM64_VIEW_CFLAGS := $(subst -Iarch/fake/include -Iarch/arm64/include,-Iarch/arm64/include -Iarch/fake/include,$(HOST_CFLAGS))
host_cflags_for = $(if $(filter $(1),$(HOST_ARM64_VIEW_SRCS)),$(HOST_ARM64_VIEW_CFLAGS),$(HOST_CFLAGS))
HOST_OBJS := $(patsubst %,$(HOST_DIR)/obj/%.o,$(HOST_SRCS)) $(HOST_DIR)/obj/libc_string.o
UNIT_DTS := $(wildcard tests/unit/dts/*.dts)
UNIT_DTBS := $(patsubst tests/unit/dts/%.dts,$(HOST_DIR)/dtb/%.dtb,$(UNIT_DTS))

$(HOST_DIR)/obj/%.c.o: %.c | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(call host_cflags_for,$<) -c $< -o $@

# The freestanding string functions, renamed so they can be checked against libc.
$(HOST_DIR)/obj/libc_string.o: core/libc/string.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -fno-builtin -Wno-missing-prototypes -DBH_LIBC_PREFIX -c $< -o $@

$(HOST_DIR)/dtb/%.dtb: tests/unit/dts/%.dts | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(HOST_DIR)/unit-tests: $(HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $^ -lfdt -o $@

-include $(HOST_OBJS:.o=.d)

.PHONY: unit-tests
unit-tests: $(HOST_DIR)/unit-tests $(UNIT_DTBS)
	$(Q)$(HOST_DIR)/unit-tests $(HOST_DIR)/dtb

# ---------------------------------------------------------------------------
# Static checks: clang warnings over core and arm64, cppcheck
# ---------------------------------------------------------------------------
.PHONY: check-clang cppcheck misra
check-clang: | $(SETUP_STAMP)
	$(Q)for f in $(ALL_CORE_SRCS) $(ALL_DRIVER_SRCS) core/libc/string.c $(wildcard arch/arm64/*.c); do \
		$(CLANG) --target=aarch64-linux-gnu $(filter-out -mno-outline-atomics -fno-tree-loop-distribute-patterns -MMD -MP,$(ARM64_CFLAGS)) \
			-fsyntax-only $$f || exit 1; \
	done
	$(Q)for f in $(filter-out $(HOST_ARM64_VIEW_SRCS),$(HOST_SRCS)); do \
		$(CLANG) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -fsyntax-only $$f || exit 1; \
	done
	$(Q)for f in $(HOST_ARM64_VIEW_SRCS); do \
		$(CLANG) $(filter-out -MMD -MP,$(HOST_ARM64_VIEW_CFLAGS)) -fsyntax-only $$f || exit 1; \
	done
	$(Q)for f in $(wildcard tools/bulkhead-check/*.c); do \
		$(CLANG) $(CHECK_CFLAGS) -fsyntax-only $$f || exit 1; \
	done
	$(Q)for f in $(ALL_CORE_SRCS) $(ALL_DRIVER_SRCS) core/libc/string.c $(wildcard arch/x86/*.c); do \
		$(CLANG) --target=x86_64-unknown-none-elf $(filter-out -mgeneral-regs-only -fno-tree-loop-distribute-patterns -MMD -MP,$(X86_CFLAGS)) \
			-fsyntax-only $$f || exit 1; \
	done
	@echo "clang: core, arch/arm64, arch/x86, host tests and tools build without warnings"

cppcheck:
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --std=c11 -Icore/include -Idrivers -Iarch/arm64/include \
		core drivers arch/arm64 arch/fake tests/unit tests/fuzz
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --std=c11 -Icore/include -Idrivers -Iarch/fake/include tools/bulkhead-check
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --std=c11 -Icore/include -Idrivers -Iarch/x86/include arch/x86
	@echo "cppcheck: clean"

# MISRA C:2012 through cppcheck's addon, held to docs/misra.md's deviations.
misra:
	$(Q)tools/misra-check --build-dir $(BUILD)/misra

# docs/requirements.md against the tests' reqs (docs/testing.md#traceability).
.PHONY: trace
trace:
	$(Q)$(PYTHON) tools/trace --out $(BUILD)/trace

# ---------------------------------------------------------------------------
# Running and testing (run-passthrough: below, with its example)
# ---------------------------------------------------------------------------
.PHONY: run test test-qemu test-bochs bench bench-boot bench-compare clean distclean
# run and test always pass through tools/setup: it installs whatever is
# missing and costs a second when nothing is.
# BOOT=uboot boots through U-Boot's booti instead of QEMU's -kernel; with
# -bios, QEMU hands the same -dtb to U-Boot, which passes it on.
BOOT ?= kernel
# make run BOARD=zcu102: QEMU's model of the ZCU102 with dts/zcu102's
# configuration (docs/boards/zcu102.md), the Linux partition's shell on its
# own UART.
run: setup
ifeq ($(BOARD),zcu102)
	$(Q)$(MAKE) --no-print-directory hypervisor boards linux-guest $(RT_DIR)/heartbeat.bin
	$(Q)tools/run-qemu --board zcu102 $(BUILD)/arm64/bulkhead.bin
else
	$(Q)$(MAKE) --no-print-directory hypervisor demo $(if $(filter uboot,$(BOOT)),uboot-env)
	$(Q)tools/run-qemu --boot $(BOOT) --uboot-env $(UBOOT_ENV_IMG) \
		--smp 4 $(BUILD)/arm64/bulkhead.bin -- $(DEMO_QEMU_ARGS)
endif

test: setup
	$(Q)$(MAKE) --no-print-directory hypervisor x86 x86-iso fault-test partitions demo uboot-env tools configs linux-guest minimal \
		minimal-zynqmp $(HOST_DIR)/unit-tests $(UNIT_DTBS)
	$(Q)$(MAKE) --no-print-directory check-clang cppcheck misra stack-bound fuzz-smoke coverage-check trace
	$(Q)$(PYTHON) tests/run.py --build $(BUILD)

# The x86 tests' second parameter, Intel VMX (and SVM) under bochs, alone:
# make test runs them too (BULKHEAD_BOCHS=0 leaves them out; docs/testing.md).
test-bochs: $(SETUP_STAMP) x86 x86-iso
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --only qemu --filter "(bochs "

test-qemu: $(SETUP_STAMP) hypervisor fault-test partitions demo uboot-env tools configs minimal \
	minimal-zynqmp
	$(Q)$(PYTHON) tests/run.py --build $(BUILD) --only qemu

# make bench also refreshes docs/perf.md's table and docs/perf.svg;
# BENCH_ARGS=--no-linux skips the Linux boots (see tests/bench.py --help).
bench bench-boot: $(SETUP_STAMP) hypervisor minimal partitions linux-guest $(LLC_PLUGIN)
	$(Q)$(PYTHON) tests/bench.py --build $(BUILD) --update-docs $(BENCH_ARGS)

# make bench-compare BASE=<git rev> [BENCH_ARGS=--no-linux]: ratio per figure.
bench-compare: $(SETUP_STAMP)
	$(Q)test -n "$(BASE)" || { echo "usage: make bench-compare BASE=<git rev>"; exit 2; }
	$(Q)$(PYTHON) tests/bench_compare.py $(BASE) $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf .deps

# ---------------------------------------------------------------------------
# Partitions: the bare-metal runtime (partitions/lib) with picolibc, and the
# programs built on it. Each is linked at RT_BASE, the guest-physical base
# of its partition's RAM (see dts/qemu-virt), and is an arm64 Image.
# ---------------------------------------------------------------------------
PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
LINUX_DIR := $(BUILD)/linux
LINUX_INITRAMFS := $(LINUX_DIR)/initramfs.cpio.gz
RT_BASE ?= 0x40000000
RT_DIR := $(BUILD)/partitions
RT_CFLAGS := -std=gnu11 -Os -g -ffreestanding -nostdinc -isystem $(PICOLIBC)/include \
	-isystem $(shell $(ARM64_CC) -print-file-name=include 2>/dev/null) \
	-mno-outline-atomics -fno-pic -fno-pie -fno-stack-protector \
	-ffile-prefix-map=$(CURDIR)=. $(WARNINGS) -Ipartitions/lib -Ipartitions/include -isystem $(LIBFDT_SRC) -MMD -MP
RT_LIB_OBJS := $(patsubst %,$(RT_DIR)/obj/%.o,$(wildcard partitions/lib/*.c partitions/lib/*.S) \
	partitions/common/rt_api.c) \
	$(patsubst %,$(RT_DIR)/obj/libfdt/%.o,$(LIBFDT_FILES))
PARTITION_PROGRAMS := hello $(notdir $(basename $(wildcard partitions/tests/*.c partitions/hostile/*.c))) irqbench \
	chanbench $(SAMPLE_PROGRAMS)

$(RT_DIR)/obj/%.c.o: %.c | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(ARM64_CC) $(RT_CFLAGS) -c $< -o $@

$(RT_DIR)/obj/%.S.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(ARM64_CC) -c $< -o $@

$(RT_DIR)/obj/libfdt/%.c.o: $(LIBFDT_SRC)/%.c | $(SETUP_STAMP)
	@mkdir -p $(@D)
	$(Q)$(ARM64_CC) $(RT_CFLAGS) $(LIBFDT_CFLAGS) -c $< -o $@

$(RT_DIR)/%.elf: $(RT_LIB_OBJS) partitions/lib/partition.ld
	@echo "  LD      $@"
	$(Q)$(ARM64_LD) -T partitions/lib/partition.ld --defsym=RT_BASE=$(RT_BASE) --build-id=none --no-warn-rwx-segments \
		-z noexecstack $(filter %.o,$^) $(PICOLIBC)/lib/libc.a \
		$(shell $(ARM64_CC) -print-libgcc-file-name 2>/dev/null) -o $@

$(RT_DIR)/hello.elf: $(RT_DIR)/obj/partitions/hello/hello.c.o
# The bench guests (make bench): each its C file and the stamping vectors.
$(RT_DIR)/irqbench.elf: $(patsubst %,$(RT_DIR)/obj/%.o,partitions/bench/irqbench.c partitions/bench/bench.c partitions/bench/bench_stats.c partitions/bench/stamp_vectors.S)
$(RT_DIR)/chanbench.elf: $(patsubst %,$(RT_DIR)/obj/%.o,partitions/bench/chanbench.c partitions/bench/bench.c partitions/bench/bench_stats.c partitions/bench/stamp_vectors.S)
$(foreach t,$(notdir $(basename $(wildcard partitions/tests/*.c))),\
	$(eval $(RT_DIR)/$(t).elf: $(RT_DIR)/obj/partitions/tests/$(t).c.o))
$(foreach t,$(notdir $(basename $(wildcard partitions/hostile/*.c))),\
	$(eval $(RT_DIR)/$(t).elf: $(RT_DIR)/obj/partitions/hostile/$(t).c.o))
# smccc: its register-checking calls are assembly.
$(RT_DIR)/smccc.elf: $(RT_DIR)/obj/partitions/tests/smccc_regs.S.o
# The attackers' report line and dispatch (the victim has neither).
$(RT_DIR)/attacker.elf $(RT_DIR)/racer.elf: $(RT_DIR)/obj/partitions/hostile/common/attack.c.o
$(foreach t,$(SAMPLE_PROGRAMS),$(eval $(RT_DIR)/$(t).elf: $(RT_DIR)/obj/partitions/samples/$(t).c.o))
# The attacker lives away from every physical address it aims at.
$(RT_DIR)/attacker.elf: RT_BASE := 0x80000000
$(RT_DIR)/racer.elf: RT_BASE := 0x80000000
$(RT_DIR)/attacker.elf: $(RT_DIR)/obj/partitions/common/console_spoof.c.o
$(RT_DIR)/dma.elf: RT_BASE := 0x80000000
$(RT_DIR)/msi.elf: RT_BASE := 0x80000000
# msi's bench mode stamps its interrupts as irqbench does.
$(RT_DIR)/msi.elf: $(patsubst %,$(RT_DIR)/obj/%.o,partitions/bench/bench.c partitions/bench/bench_stats.c partitions/bench/stamp_vectors.S)

$(RT_DIR)/%.bin: $(RT_DIR)/%.elf
	$(Q)$(ARM64_OBJCOPY) -O binary $< $@

-include $(wildcard $(RT_DIR)/obj/*/*/*.d $(RT_DIR)/obj/*/*.d)

.PHONY: partitions
partitions: $(patsubst %,$(RT_DIR)/%.bin,$(PARTITION_PROGRAMS))

# The demo behind `make run`: dts/qemu-virt/linux-rt.dts, Linux beside a
# real-time heartbeat, each module's size set to that of the image the loader
# puts there. (The two-partition hello system is built too, for the tests.)
DEMO_DTB := $(BUILD)/dts/linux-rt.dtb
LINUX_IMAGE := .deps/linux/Image
DEMO_QEMU_ARGS := -dtb $(DEMO_DTB) \
	-device loader,file=$(LINUX_IMAGE),addr=0x44000000,force-raw=on \
	-device loader,file=$(LINUX_INITRAMFS),addr=0x46400000,force-raw=on \
	-device loader,file=$(RT_DIR)/heartbeat.bin,addr=0x46800000,force-raw=on
HELLO_DTB := $(BUILD)/dts/two-partitions.dtb

size_of = $$(printf 0x%x $$(stat -c %s $(1)))
# set_module DTB,NODE,ADDRESS,FILE: the module node's reg = <ADDRESS, FILE's size>.
set_module = fdtput -t x $(1) $(2) reg 0 $(3) 0 $(call size_of,$(4))

$(DEMO_DTB): dts/qemu-virt/linux-rt.dts dts/qemu-virt/virt-4cpu-1g.dtsi $(RT_DIR)/heartbeat.bin \
		$(LINUX_INITRAMFS) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  DTC     $@"
	$(Q)dtc -q -@ -i dts/qemu-virt -I dts -O dtb -o $@.tmp $<
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/linux/module@44000000,0x44000000,$(LINUX_IMAGE))
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/linux/module@46400000,0x46400000,$(LINUX_INITRAMFS))
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/rt/module@46800000,0x46800000,$(RT_DIR)/heartbeat.bin)
	$(Q)mv $@.tmp $@

$(HELLO_DTB): dts/qemu-virt/two-partitions.dts dts/qemu-virt/virt-4cpu-1g.dtsi $(RT_DIR)/hello.bin
	@mkdir -p $(@D)
	@echo "  DTC     $@"
	$(Q)dtc -q -@ -i dts/qemu-virt -I dts -O dtb -o $@.tmp $<
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/hello-a/module@44000000,0x44000000,$(RT_DIR)/hello.bin)
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/hello-b/module@44400000,0x44400000,$(RT_DIR)/hello.bin)
	$(Q)mv $@.tmp $@

# The passthrough example (docs/passthrough.md): dts/qemu-virt/passthrough.dts
# with a small disk whose first sector says what it is.
PASSTHROUGH_DTB := $(BUILD)/dts/passthrough.dtb
PASSTHROUGH_DISK := $(BUILD)/passthrough/disk.img
PASSTHROUGH_QEMU_ARGS := -dtb $(PASSTHROUGH_DTB) \
	-device loader,file=$(LINUX_IMAGE),addr=0x44000000,force-raw=on \
	-device loader,file=$(LINUX_INITRAMFS),addr=0x46400000,force-raw=on \
	-device loader,file=$(RT_DIR)/gpioirq.bin,addr=0x46800000,force-raw=on \
	-drive if=none,id=disk0,format=raw,readonly=on,file=$(PASSTHROUGH_DISK) \
	-device virtio-blk-device,drive=disk0

$(PASSTHROUGH_DTB): dts/qemu-virt/passthrough.dts dts/qemu-virt/virt-4cpu-1g.dtsi $(RT_DIR)/gpioirq.bin \
		$(LINUX_INITRAMFS) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  DTC     $@"
	$(Q)dtc -q -@ -i dts/qemu-virt -I dts -O dtb -o $@.tmp $<
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/linux/module@44000000,0x44000000,$(LINUX_IMAGE))
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/linux/module@46400000,0x46400000,$(LINUX_INITRAMFS))
	$(Q)$(call set_module,$@.tmp,/chosen/bulkhead/gpio/module@46800000,0x46800000,$(RT_DIR)/gpioirq.bin)
	$(Q)mv $@.tmp $@

$(PASSTHROUGH_DISK):
	@mkdir -p $(@D)
	$(Q)printf 'BULKHEAD-DISK: the passthrough example disk\n' > $@.tmp
	$(Q)truncate -s 1M $@.tmp
	$(Q)mv $@.tmp $@

.PHONY: demo run-passthrough
demo: $(DEMO_DTB) $(HELLO_DTB) $(RT_DIR)/hello.bin $(RT_DIR)/heartbeat.bin \
	$(PASSTHROUGH_DTB) $(PASSTHROUGH_DISK) $(RT_DIR)/gpioirq.bin

# Interactive: Ctrl-A C, then system_powerdown, presses the power button.
run-passthrough: setup
	$(Q)$(MAKE) --no-print-directory hypervisor demo
	$(Q)tools/run-qemu --smp 4 $(BUILD)/arm64/bulkhead.bin -- $(PASSTHROUGH_QEMU_ARGS)

# ---------------------------------------------------------------------------
# Booting through U-Boot under QEMU: the environment flash image
# ---------------------------------------------------------------------------
# Debian's qemu_arm64 U-Boot keeps its environment in CFI flash at
# 0x04000000 (CONFIG_ENV_ADDR), the start of virt's second flash bank:
# 0x40000 bytes (CONFIG_ENV_SIZE), one copy, a CRC32 in front. QEMU wants
# the bank's backing file to be exactly 64 MiB. See boot/README.md.
UBOOT_ENV_SIZE := 0x40000
UBOOT_FLASH_BANK_SIZE := 64M
UBOOT_ENV_IMG := $(BUILD)/boot/qemu-uboot-env.img

$(UBOOT_ENV_IMG): boot/qemu-uboot-env.txt | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  ENVIMG  $@"
	$(Q)mkenvimage -s $(UBOOT_ENV_SIZE) -o $@.tmp $<
	$(Q)truncate -s $(UBOOT_FLASH_BANK_SIZE) $@.tmp
	$(Q)mv $@.tmp $@

.PHONY: uboot-env
uboot-env: $(UBOOT_ENV_IMG)

# ---------------------------------------------------------------------------
# Boot media for the two-partition example (docs/boot.md): FIT, boot.scr and
# an SD-card image in $(BUILD)/bootmedia, from tools/bulkhead-image.
# ---------------------------------------------------------------------------
.PHONY: sdcard
sdcard: hypervisor $(RT_DIR)/hello.bin $(CHECK_TOOL)
	$(Q)tools/bulkhead-image -o $(BUILD)/bootmedia --hypervisor $(BUILD)/arm64/bulkhead.bin \
		--checker $(CHECK_TOOL) dts/qemu-virt/two-partitions.dts \
		-m hello-a=$(RT_DIR)/hello.bin -m hello-b=$(RT_DIR)/hello.bin

# ---------------------------------------------------------------------------
# Host tools: bulkhead-check runs the hypervisor's own configuration code.
# ---------------------------------------------------------------------------
# The configuration code of the parts built in, the stubs of those left out.
CHECK_CORE := $(filter-out $(OPTION_OUT_SRCS),core/arm_platform.c core/build_parts.c core/dt_irq.c core/console.c \
	core/console_ring.c $(DRIVER_SRCS) core/dt.c core/dt_check.c core/dt_gic.c core/error.c core/format.c \
	core/platform.c core/system_check.c \
	core/partition_config.c core/health_config.c core/pmu_config.c core/config_validate.c core/config_prop.c core/config_pci.c core/config_rid_map.c core/config_streams.c \
	core/channel_config.c core/config_reserved.c core/colour_config.c core/colour.c core/firmware_config.c core/dt_address_config.c core/vits_config.c core/table_carve.c arch/fake/fake.c arch/fake/iommu_smmuv3.c \
	$(filter core/% drivers/% arch/fake/%,$(OPTION_STUB_SRCS)))
CHECK_TOOL := $(BUILD)/tools/bulkhead-check
CHECK_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) $(CORE_INCLUDES) -Iarch/fake/include \
	-DBULKHEAD_VERSION='"$(VERSION)"' -DBULKHEAD_PARTS='"$(BUILD_PARTS)"'

# version.c changes exactly when the version does.
$(CHECK_TOOL): $(CHECK_CORE) $(wildcard tools/bulkhead-check/*.c tools/bulkhead-check/*.h) $(wildcard core/*.h core/include/bulkhead/*.h arch/fake/include/arch/*.h drivers/uart/*.h) \
		$(BUILD)/arm64/version.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(CHECK_CFLAGS) $(filter-out %/version.c,$(filter %.c,$^)) -lfdt -o $@

.PHONY: tools
tools: $(CHECK_TOOL)

# The shared last-level cache model make bench measures colouring with
# (a QEMU TCG plugin, docs/colouring.md).
LLC_PLUGIN := $(BUILD)/tools/llc.so
$(LLC_PLUGIN): tools/llc-plugin/llc.c tools/llc-plugin/qemu_plugin_api.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=gnu11 -O2 $(WARNINGS) -fPIC -shared -fvisibility=hidden -o $@ $< -lpthread

tools: $(LLC_PLUGIN)

# Records the instructions of one path, for tools/path-profile's
# breakdowns of the benchmarks (docs/benchmarks.md).
PATHTRACE_PLUGIN := $(BUILD)/tools/pathtrace.so
$(PATHTRACE_PLUGIN): tools/path-trace/pathtrace.c tools/llc-plugin/qemu_plugin_api.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=gnu11 -O2 $(WARNINGS) -fPIC -shared -fvisibility=hidden -o $@ $<

tools: $(PATHTRACE_PLUGIN)

# The bad-configuration catalogue: one DTS per error class.
BAD_CONFIGS := $(patsubst tests/configs/bad/%.dts,$(BUILD)/configs/bad/%.dtb,$(wildcard tests/configs/bad/*.dts))

$(BUILD)/configs/bad/%.dtb: tests/configs/bad/%.dts dts/qemu-virt/virt-4cpu-1g.dtsi
	@mkdir -p $(@D)
	$(Q)dtc -q -@ -i dts/qemu-virt -I dts -O dtb -o $@ $<

.PHONY: configs
configs: $(BAD_CONFIGS)

# Every example system configuration compiles and passes bulkhead-check.
EXAMPLE_DTBS := $(patsubst dts/qemu-virt/%.dts,$(BUILD)/dts/examples/%.dtb,$(wildcard dts/qemu-virt/*.dts))

$(BUILD)/dts/examples/%.dtb: dts/qemu-virt/%.dts dts/qemu-virt/virt-4cpu-1g.dtsi
	@mkdir -p $(@D)
	$(Q)dtc -q -@ -i dts/qemu-virt -I dts -O dtb -o $@ $<

configs: $(EXAMPLE_DTBS)

# Real boards (dts/<board>/<board>.dts; dts/qemu-* are QEMU machines): each includes its board's device
# tree from Linux 6.1, which is not copied into this repository. It comes
# from Debian's linux-source-6.1 package (a build dependency, installed by
# tools/setup: /usr/src/linux-source-6.1.tar.xz), of which only the needed
# files are unpacked into $(BUILD)/linux-dts, or from any kernel tree:
# `make LINUX_DTS=~/src/linux`. See docs/boards/.
LINUX_SOURCE_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
LINUX_DTS ?= $(BUILD)/linux-dts
BOARDS := $(filter-out qemu-%,$(patsubst dts/%/,%,$(wildcard dts/*/)))
BOARD_DTBS := $(patsubst %,$(BUILD)/dts/boards/%.dtb,$(BOARDS))
LINUX_DTS_STAMP := $(if $(filter $(BUILD)/linux-dts,$(LINUX_DTS)),$(BUILD)/linux-dts/.unpacked-all)

# Every arm and arm64 board tree (a board's .dts may include the 32-bit
# tree: the RPi 4's is "arm/bcm2711-rpi-4-b.dts"), the dt-bindings headers,
# the one uapi header they link to (dt-bindings/input/linux-event-codes.h
# is a symlink to include/uapi/linux/input-event-codes.h) and the kernel's
# include prefixes (arm/, arm64/, dt-bindings/: symlinks into the above).
# One pass over the tarball, once per build directory.
# The stamp names what is unpacked: a build directory from before every
# board tree was unpacked (the stamp .unpacked) unpacks again.
$(BUILD)/linux-dts/.unpacked-all: | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  UNTAR   board device trees from $(LINUX_SOURCE_TARBALL)"
	$(Q)tar -xJf $(LINUX_SOURCE_TARBALL) -C $(@D) --strip-components=1 --wildcards \
		'linux-source-6.1/arch/arm/boot/dts/*' 'linux-source-6.1/arch/arm64/boot/dts/*' \
		'linux-source-6.1/include/dt-bindings/*' \
		linux-source-6.1/include/uapi/linux/input-event-codes.h \
		'linux-source-6.1/scripts/dtc/include-prefixes/*'
	$(Q)touch $@

# As the kernel builds its DTs: the C preprocessor (for dt-bindings), then dtc,
# with the kernel's include paths (scripts/dtc/include-prefixes gives arm/,
# arm64/ and dt-bindings/).
BOARD_CPP_INCLUDES = -I $(LINUX_DTS)/arch/arm64/boot/dts -I $(LINUX_DTS)/scripts/dtc/include-prefixes \
	-I $(LINUX_DTS)/include -I $(LINUX_DTS)/include/uapi

$(BUILD)/dts/boards/%.dtb: dts/%/*.dts $(LINUX_DTS_STAMP)
	@mkdir -p $(@D)
	@echo "  DTC     $@"
	$(Q)$(HOSTCC) -E -nostdinc -undef -D__DTS__ -x assembler-with-cpp -P \
		$(BOARD_CPP_INCLUDES) -I dts/$* dts/$*/$*.dts -o $@.pre.dts
	$(Q)dtc -q -@ -I dts -O dtb -o $@ $@.pre.dts
	$(Q)rm -f $@.pre.dts

# Broken variants of the board configurations (tests/configs/boards), each
# refused by bulkhead-check with the message it names (tests/qemu/test_boards.py).
BOARD_VARIANT_DTBS := $(patsubst tests/configs/boards/%.dts,$(BUILD)/configs/boards/%.dtb,\
	$(wildcard tests/configs/boards/*.dts))

$(BUILD)/configs/boards/%.dtb: tests/configs/boards/%.dts $(wildcard dts/*/*.dts) $(LINUX_DTS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -E -nostdinc -undef -D__DTS__ -x assembler-with-cpp -P \
		$(BOARD_CPP_INCLUDES) -I dts $< -o $@.pre.dts
	$(Q)dtc -q -@ -I dts -O dtb -o $@ $@.pre.dts
	$(Q)rm -f $@.pre.dts

.PHONY: boards
boards: $(BOARD_DTBS) $(BOARD_VARIANT_DTBS)
configs: $(BOARD_DTBS) $(BOARD_VARIANT_DTBS)

# ---------------------------------------------------------------------------
# The Linux test partition: Debian's arm64 kernel (tools/setup puts it in
# .deps/linux) with a busybox initramfs built here, reproducibly.
# ---------------------------------------------------------------------------
# /bin/cntvct: the counter for make bench's boot timing (partitions/linux/cntvct.c).
LINUX_CNTVCT := $(LINUX_DIR)/cntvct

$(LINUX_CNTVCT): partitions/linux/cntvct.c | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(ARM64_CC) -std=gnu11 -Os -static -nostdlib -ffreestanding -fno-stack-protector \
		-fno-pic -no-pie -mgeneral-regs-only $(WARNINGS) -Wl,--build-id=none $< -o $@

# /bin/perfstat: perf stat -e cycles,instructions in a partition that owns
# the PMU (partitions/linux/perfstat.c; no perf in the initramfs).
LINUX_PERFSTAT := $(LINUX_DIR)/perfstat

$(LINUX_PERFSTAT): partitions/linux/perfstat.c | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(ARM64_CC) -std=gnu11 -Os -static -nostdlib -ffreestanding -fno-stack-protector \
		-fno-pic -no-pie -mgeneral-regs-only $(WARNINGS) -Wl,--build-id=none $< -o $@

# The modules (tools/setup: .deps/linux/modules, uncompressed, with their
# load order) go to /lib/modules, where /init loads them.
LINUX_MODULES := $(wildcard .deps/linux/modules/*.ko) .deps/linux/modules/load-order

# On a fresh clone they do not exist yet: tools/setup makes them.
$(LINUX_MODULES): | $(SETUP_STAMP) ;

$(LINUX_INITRAMFS): partitions/linux/init $(LINUX_MODULES) $(LINUX_CNTVCT) $(LINUX_PERFSTAT) | $(SETUP_STAMP)
	@rm -rf $(LINUX_DIR)/root
	@mkdir -p $(LINUX_DIR)/root/bin $(LINUX_DIR)/root/proc $(LINUX_DIR)/root/sys $(LINUX_DIR)/root/dev \
		$(LINUX_DIR)/root/lib/modules
	@echo "  CPIO    $@"
	$(Q)cp .deps/linux/busybox $(LINUX_DIR)/root/bin/busybox
	$(Q)cp .deps/linux/modules/*.ko .deps/linux/modules/load-order $(LINUX_DIR)/root/lib/modules/
	$(Q)cp $(LINUX_CNTVCT) $(LINUX_DIR)/root/bin/cntvct
	$(Q)cp $(LINUX_PERFSTAT) $(LINUX_DIR)/root/bin/perfstat
	$(Q)cp partitions/linux/init $(LINUX_DIR)/root/init
	$(Q)find $(LINUX_DIR)/root -exec touch -h -d @0 {} +
	$(Q)cd $(LINUX_DIR)/root && find . | LC_ALL=C sort | \
		cpio --quiet -o -H newc --reproducible --owner=0:0 | gzip -n -9 > $(CURDIR)/$@.tmp
	$(Q)mv $@.tmp $@

.PHONY: linux-guest
linux-guest: $(LINUX_INITRAMFS)

# ---------------------------------------------------------------------------
# Fuzzing (libFuzzer, clang): `make fuzz` runs each target FUZZ_SECONDS;
# `make fuzz-smoke` (part of `make test`) first replays every input of
# tests/fuzz/regressions/<target>/ (each once: none may crash), then a fixed,
# seeded number of runs. Seeds: every system DT the build makes; corpora
# grow in build/fuzz/. Every run names -artifact_prefix under build/fuzz/, so
# a crash never lands in the working directory (`make fuzz-replay` replays
# the regressions alone).
# ---------------------------------------------------------------------------
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_TARGETS := dt config vgic decode hypercall cfi vits
FUZZ_BINS := $(patsubst %,$(FUZZ_DIR)/fuzz-%,$(FUZZ_TARGETS))
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(WARNINGS) $(CORE_INCLUDES) -Iarch/fake/include
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_RUNS ?= 10000
# Inputs that once crashed a target (found by it, or a planted bug's
# expected crash): kept as regression inputs, one directory per target.
FUZZ_REGRESSIONS := tests/fuzz/regressions

$(FUZZ_DIR)/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_blob.c tests/fuzz/fuzz.h $(HOST_CORE_SRCS) arch/fake/fake.c arch/fake/iommu_smmuv3.c \
		$(wildcard core/*.h core/include/bulkhead/*.h arch/fake/include/arch/*.h) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  FUZZ-CC $@"
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter %.c,$^) -lfdt -o $@

# The vGIC's target compiles vgic.c as the unit tests do, against arm64's
# <arch/types.h> with the fake GIC; the rest against the fake arch's.
FUZZ_VGIC_ARM64_VIEW := tests/fuzz/fuzz_vgic.c arch/arm64/vgic.c arch/arm64/vspi.c arch/arm64/vgicv2_dist.c \
	arch/arm64/vgic_level.c arch/arm64/vgic_spi_state.c arch/arm64/vgic_spis.c arch/arm64/vits_lr.c \
	tests/unit/fake_gic.c \
	tests/unit/version.c
FUZZ_OBJ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer $(WARNINGS) $(CORE_INCLUDES)

$(FUZZ_DIR)/fuzz-vgic: $(FUZZ_VGIC_ARM64_VIEW) $(HOST_CORE_SRCS) arch/fake/fake.c arch/fake/iommu_smmuv3.c \
		$(wildcard core/include/bulkhead/*.h arch/fake/include/arch/*.h arch/arm64/include/arch/*.h \
		tests/unit/fake_gic.h) tests/fuzz/fuzz.h | $(SETUP_STAMP)
	@echo "  FUZZ-CC $@"
	$(Q)rm -rf $(FUZZ_DIR)/obj-vgic && mkdir -p $(FUZZ_DIR)/obj-vgic # no object of a renamed file
	$(Q)for f in $(FUZZ_VGIC_ARM64_VIEW); do \
		$(CLANG) $(FUZZ_OBJ_CFLAGS) -Iarch/arm64/include -Iarch/fake/include \
			-c $$f -o $(FUZZ_DIR)/obj-vgic/$$(basename $$f).o || exit 1; \
	done
	$(Q)for f in $(HOST_CORE_SRCS) arch/fake/fake.c arch/fake/iommu_smmuv3.c; do \
		$(CLANG) $(FUZZ_OBJ_CFLAGS) -Iarch/fake/include -c $$f \
			-o $(FUZZ_DIR)/obj-vgic/$$(basename $$f).o || exit 1; \
	done
	$(Q)$(CLANG) -fsanitize=fuzzer,address,undefined $(FUZZ_DIR)/obj-vgic/*.o -lfdt -o $@

# The hypercall target brings its own partition registry instead of
# core/partition.c (tests/fuzz/fuzz_hypercall.c says why).
$(FUZZ_DIR)/fuzz-hypercall: tests/fuzz/fuzz_hypercall.c tests/fuzz/fuzz_blob.c tests/fuzz/fuzz.h \
		$(HOST_CORE_SRCS) arch/fake/fake.c arch/fake/iommu_smmuv3.c \
		$(wildcard core/include/bulkhead/*.h arch/fake/include/arch/*.h) | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  FUZZ-CC $@"
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter-out core/partition.c,$(filter %.c,$^)) -lfdt -o $@

# The x86 MMIO decoder is pure code: it needs nothing else.
$(FUZZ_DIR)/fuzz-decode: tests/fuzz/fuzz_decode.c arch/x86/decode.c arch/x86/include/arch/decode.h \
		tests/fuzz/fuzz.h | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  FUZZ-CC $@"
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -Iarch/x86/include $(filter %.c,$^) -o $@

# A virtual ITS's command checks are pure core code too.
$(FUZZ_DIR)/fuzz-vits: tests/fuzz/fuzz_vits.c core/vits_cmd.c core/include/bulkhead/vits.h \
		tests/fuzz/fuzz.h | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  FUZZ-CC $@"
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@

# Seeds are copied, so a run never writes into the build's own DTBs.
$(FUZZ_DIR)/seeds/.stamp: $(DEMO_DTB) $(HELLO_DTB) $(EXAMPLE_DTBS) $(BAD_CONFIGS) $(UNIT_DTBS)
	@mkdir -p $(@D)
	$(Q)for f in $(filter %.dtb,$^); do cp $$f $(@D)/$$(echo $$f | tr / _); done
	$(Q)touch $@

.PHONY: fuzz fuzz-smoke fuzz-replay
fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.stamp
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus-$$t; \
		timeout $$(($(FUZZ_SECONDS) + 60)) $(FUZZ_DIR)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
			-max_len=65536 -artifact_prefix=$(FUZZ_DIR)/crash-$$t- \
			$(FUZZ_DIR)/corpus-$$t $(FUZZ_DIR)/seeds $$(ls -d $(FUZZ_REGRESSIONS)/$$t 2>/dev/null) \
			> $(FUZZ_DIR)/fuzz-$$t.log 2>&1 \
			|| { tail -n 40 $(FUZZ_DIR)/fuzz-$$t.log; echo "fuzz: $$t FAILED"; exit 1; }; \
		echo "fuzz: $$t: $$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' $(FUZZ_DIR)/fuzz-$$t.log)"; \
	done

# Each file given to a libFuzzer binary is run once; an input that crashes
# fails the replay (and its artifact goes to build/fuzz/, not here).
fuzz-replay: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		inputs=$$(find $(FUZZ_REGRESSIONS)/$$t -type f 2>/dev/null | sort); \
		[ -n "$$inputs" ] || continue; \
		timeout 600 $(FUZZ_DIR)/fuzz-$$t -artifact_prefix=$(FUZZ_DIR)/crash-$$t- $$inputs \
			> $(FUZZ_DIR)/replay-$$t.log 2>&1 \
			|| { tail -n 30 $(FUZZ_DIR)/replay-$$t.log; echo "fuzz-replay: $$t FAILED"; exit 1; }; \
		echo "fuzz-replay: $$t: $$(echo $$inputs | wc -w) regression input(s), no crash"; \
	done

fuzz-smoke: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.stamp fuzz-replay
	$(Q)for t in $(FUZZ_TARGETS); do \
		timeout 600 $(FUZZ_DIR)/fuzz-$$t -runs=$(FUZZ_SMOKE_RUNS) -seed=1 -max_len=65536 \
			-artifact_prefix=$(FUZZ_DIR)/crash-$$t- $(FUZZ_DIR)/seeds > $(FUZZ_DIR)/smoke-$$t.log 2>&1 \
			|| { tail -n 30 $(FUZZ_DIR)/smoke-$$t.log; echo "fuzz-smoke: $$t FAILED"; exit 1; }; \
		echo "fuzz-smoke: $$t: $$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' $(FUZZ_DIR)/smoke-$$t.log)"; \
	done

# ---------------------------------------------------------------------------
# Coverage (tools/coverage): gcov line and branch coverage of core/ and
# drivers/ under the host unit tests and the fuzz targets' seed inputs
# (replayed without libFuzzer, tests/fuzz/fuzz_replay.c), both built with
# gcc --coverage at -O0 (no sanitizers: they add branches of their own);
# and the hypervisor's lines executed under QEMU (tools/coverage hyp: the
# translated blocks of a few runs, mapped to lines by the image's DWARF).
# `make coverage` writes build/coverage/index.html and summary.{txt,json};
# `make coverage-check` (in make test) fails when core/'s line coverage
# under the unit tests falls below the figure in docs/testing.md.
# ---------------------------------------------------------------------------
COV_DIR := $(BUILD)/coverage
# -Wno-format-truncation: at -O0 gcc cannot see the value ranges that show
# the tests' snprintf calls fit (the -O1 build checks them).
COV_FLAGS := -O0 --coverage -Wno-format-truncation
cov_cflags = $(filter-out -O1 -fsanitize=% -fno-sanitize-recover=all,$(call host_cflags_for,$(1))) $(COV_FLAGS)
COV_UNIT_OBJS := $(patsubst %,$(COV_DIR)/unit/obj/%.o,$(HOST_SRCS)) $(COV_DIR)/unit/obj/libc_string.o

$(COV_DIR)/unit/obj/%.c.o: %.c | $(SETUP_STAMP)
	@mkdir -p $(@D)
	@echo "  COV-CC  $<"
	$(Q)$(HOSTCC) $(call cov_cflags,$<) -c $< -o $@

$(COV_DIR)/unit/obj/libc_string.o: core/libc/string.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(call cov_cflags,$<) -fno-builtin -Wno-missing-prototypes -DBH_LIBC_PREFIX -c $< -o $@

$(COV_DIR)/unit/unit-tests: $(COV_UNIT_OBJS)
	@echo "  COV-LD  $@"
	$(Q)$(HOSTCC) $(COV_FLAGS) $^ -lfdt -o $@

-include $(COV_UNIT_OBJS:.o=.d)

# Fuzz targets whose seeds reach core/ (the DT index, configuration,
# hypercalls); the others test arch code.
COV_FUZZ_TARGETS := dt config hypercall
COV_FUZZ_CFLAGS := -std=gnu11 -g $(COV_FLAGS) $(WARNINGS) $(CORE_INCLUDES) -Iarch/fake/include
cov_fuzz_srcs = tests/fuzz/fuzz_$(1).c tests/fuzz/fuzz_blob.c tests/fuzz/fuzz_replay.c \
	$(if $(filter hypercall,$(1)),$(filter-out core/partition.c,$(HOST_CORE_SRCS)),$(HOST_CORE_SRCS)) \
	arch/fake/fake.c arch/fake/iommu_smmuv3.c

$(COV_DIR)/fuzz-%/replay: $(HOST_CORE_SRCS) arch/fake/fake.c arch/fake/iommu_smmuv3.c tests/fuzz/fuzz_%.c tests/fuzz/fuzz_blob.c \
		tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h $(wildcard core/*.h core/include/bulkhead/*.h) | $(SETUP_STAMP)
	@echo "  COV-CC  fuzz-$*"
	$(Q)rm -rf $(@D)/obj && mkdir -p $(@D)/obj # all compiled again: no object of a file since renamed
	$(Q)for f in $(call cov_fuzz_srcs,$*); do \
		$(HOSTCC) $(COV_FUZZ_CFLAGS) -c $$f -o $(@D)/obj/$$(echo $$f | tr / _).o || exit 1; \
	done
	$(Q)$(HOSTCC) $(COV_FLAGS) $(@D)/obj/*.o -lfdt -o $@

COV_TOOL := $(PYTHON) tools/coverage --build $(BUILD)

.PHONY: coverage coverage-unit coverage-check coverage-hyp
# The unit tests' counters, from zero.
coverage-unit: $(COV_DIR)/unit/unit-tests $(UNIT_DTBS)
	$(Q)find $(COV_DIR)/unit -name '*.gcda' -delete
	$(Q)$(COV_DIR)/unit/unit-tests $(HOST_DIR)/dtb > $(COV_DIR)/unit/run.log 2>&1 \
		|| { tail -n 30 $(COV_DIR)/unit/run.log; exit 1; }

coverage-check: coverage-unit
	$(Q)$(COV_TOOL) check --docs docs/testing.md

# The hypervisor under QEMU: its translated blocks in a few runs.
coverage-hyp: $(BUILD)/arm64/bulkhead.bin partitions demo
	$(Q)$(COV_TOOL) hyp

coverage: coverage-unit coverage-hyp $(patsubst %,$(COV_DIR)/fuzz-%/replay,$(COV_FUZZ_TARGETS)) \
		$(FUZZ_DIR)/seeds/.stamp
	$(Q)for t in $(COV_FUZZ_TARGETS); do \
		find $(COV_DIR)/fuzz-$$t -name '*.gcda' -delete; \
		$(COV_DIR)/fuzz-$$t/replay $(FUZZ_DIR)/seeds/*.dtb $$(find $(FUZZ_REGRESSIONS)/$$t -type f 2>/dev/null) \
			> $(COV_DIR)/fuzz-$$t/run.log 2>&1 || { tail -n 30 $(COV_DIR)/fuzz-$$t/run.log; exit 1; }; \
	done
	$(Q)$(COV_TOOL) report $(patsubst %,--fuzz %,$(COV_FUZZ_TARGETS))

# ---------------------------------------------------------------------------
# Installing and releasing
# ---------------------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]: the hypervisor image and the
# example configurations in share/bulkhead, the host tools in bin, the docs
# in share/doc/bulkhead. Builds what is missing first.
PREFIX ?= /usr/local
INSTALL ?= install
SHARE_DIR = $(DESTDIR)$(PREFIX)/share/bulkhead
DOC_DIR = $(DESTDIR)$(PREFIX)/share/doc/bulkhead
INSTALL_DTS := $(wildcard dts/*/*.dts dts/*/*.dtsi) dts/README.md
INSTALL_DOCS := README.md LICENSE $(wildcard docs/*.md docs/*/*.md)
# Host tools that are scripts are installed as they are (if present).
INSTALL_SCRIPTS := $(wildcard tools/bulkhead-image)

.PHONY: install dist
install: $(BUILD)/arm64/bulkhead.bin $(CHECK_TOOL)
	$(Q)$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(SHARE_DIR) $(DOC_DIR)
	$(Q)$(INSTALL) -m 644 $(BUILD)/arm64/bulkhead.bin $(SHARE_DIR)/bulkhead.bin
	$(Q)$(INSTALL) -m 755 $(CHECK_TOOL) $(INSTALL_SCRIPTS) $(DESTDIR)$(PREFIX)/bin/
	$(Q)for f in $(INSTALL_DTS); do \
		$(INSTALL) -D -m 644 $$f $(SHARE_DIR)/$$f || exit 1; \
	done
	$(Q)for f in $(INSTALL_DOCS); do \
		$(INSTALL) -D -m 644 $$f $(DOC_DIR)/$${f#docs/} || exit 1; \
	done
	@echo "installed into $(DESTDIR)$(PREFIX)"

# make dist: build/bulkhead-VERSION.tar.gz, the committed tree (git archive
# of HEAD) plus a VERSION file, so it builds without git. Reproducible: the
# files carry the commit's time, owner 0, sorted, gzip without a timestamp.
# The tarball holds HEAD, so its version is HEAD's, never "-dirty".
DIST_VERSION = $(shell git describe --tags --always HEAD)
DIST_NAME = bulkhead-$(DIST_VERSION)
DIST_TARBALL = $(BUILD)/$(DIST_NAME).tar.gz

dist:
	@mkdir -p $(BUILD)/dist
	$(Q)git diff --quiet HEAD -- || echo "dist: warning: uncommitted changes are not in the tarball"
	$(Q)git archive --format=tar --prefix=$(DIST_NAME)/ HEAD > $(BUILD)/dist/$(DIST_NAME).tar
	$(Q)rm -rf $(BUILD)/dist/$(DIST_NAME) && mkdir -p $(BUILD)/dist/$(DIST_NAME)
	$(Q)echo '$(DIST_VERSION)' > $(BUILD)/dist/$(DIST_NAME)/VERSION
	$(Q)tar -rf $(BUILD)/dist/$(DIST_NAME).tar -C $(BUILD)/dist --owner=0 --group=0 --numeric-owner \
		--mtime=@$$(git log -1 --format=%ct HEAD) $(DIST_NAME)/VERSION
	$(Q)gzip -n -9 -c $(BUILD)/dist/$(DIST_NAME).tar > $(DIST_TARBALL)
	$(Q)rm -rf $(BUILD)/dist
	@echo "  DIST    $(DIST_TARBALL)"
