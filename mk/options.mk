# SPDX-License-Identifier: Apache-2.0
#
# Build options (docs/building.md): the optional parts of the hypervisor,
# each a make variable, y (built in, the default) or n (left out):
#   make CHANNELS=n
# A part left out is replaced by a small file of stubs that refuse, at boot
# and in bulkhead-check, any configuration needing it (naming the node,
# the property and the option), so core/ needs no #ifdef. The host unit
# tests always build every part.
#
# For each option NAME: NAME_SRCS, the part's sources; NAME_STUBS, what
# takes their place when it is left out.

OPTIONS := CHANNELS EFI SMMU HEALTH PMU CONSOLE_STATUS GICV2 GICV3 ITS COLOUR FLASH PCI UART_PL011 \
	UART_NS16550 UART_CADENCE UART_IMX UART_LPUART UART_SCIF UART_BCM2835_AUX

CHANNELS ?= y
CHANNELS_SRCS := core/channel.c core/channel_config.c
CHANNELS_STUBS := core/channel_none.c

# The UEFI application entry (docs/uefi.md); booti and -kernel need none.
EFI ?= y
EFI_SRCS := arch/arm64/efi.c
EFI_STUBS := arch/arm64/efi_none.c

# The SMMUv3 driver (docs/smmu.md): DMA streams of partitions' devices.
# arch/fake's files are bulkhead-check's view of which IOMMUs are driven;
# core/config_streams.c decodes the streams (`iommus`, `pci-functions`).
SMMU ?= y
SMMU_SRCS := arch/arm64/smmuv3.c arch/arm64/smmuv3_tables.c arch/fake/iommu_smmuv3.c \
	core/config_streams.c
SMMU_STUBS := arch/arm64/smmuv3_none.c arch/fake/iommu_none.c core/config_streams_none.c

# Health monitoring (docs/bindings/partitions.md, "Health"): the watchdog,
# fault and restart policies, reset-registers, the two health hypercalls.
# Left out, a partition's faults are only counted, PSCI SYSTEM_RESET still
# restarts it and powering off stops it; any health property is refused.
HEALTH ?= y
HEALTH_SRCS := core/health.c core/health_config.c arch/arm64/watchdog.c arch/x86/watchdog.c
HEALTH_STUBS := core/health_none.c arch/arm64/watchdog_none.c arch/x86/watchdog_none.c

# PMU ownership by partitions (`pmu`, docs/bindings/partitions.md): the
# owner's PMU registers passed through. Left out, `pmu` is refused and
# every partition's PMU registers trap to UNDEF, as a non-owner's do.
PMU ?= y
PMU_SRCS := core/pmu_config.c arch/arm64/vpmu.c
PMU_STUBS := core/pmu_none.c arch/arm64/vpmu_none.c

# The console's status table (Ctrl-T s); no configuration needs it.
CONSOLE_STATUS ?= y
CONSOLE_STATUS_SRCS := core/console_status.c
CONSOLE_STATUS_STUBS := core/console_status_none.c

# The physical GIC versions the arm64 image drives (at least one; the x86
# image has neither). A left-out version's interrupt controller is refused
# by core/dt_gic.c, which reads the parts string (build_part_left_out()).
GICV2 ?= y
GICV2_SRCS := arch/arm64/gicv2.c arch/arm64/vgicv2_dist.c
GICV2_STUBS := arch/arm64/gicv2_none.c
GICV3 ?= y
GICV3_SRCS := arch/arm64/gicv3.c arch/arm64/gicv3_its.c
GICV3_STUBS := arch/arm64/gicv3_none.c
ifeq ($(GICV2)$(GICV3),nn)
$(error GICV2=n GICV3=n: the arm64 image needs at least one GIC version)
endif

# Partitions' MSI (docs/passthrough.md, "MSI"): the virtual ITS, the
# physical ITS driver and GICv4 direct injection. gicv3_its.c is also the
# GICv3's: left out with either (gicv3_none.c has its stubs for GICV3=n).
# Left out, a PCI function whose MSI reach an ITS is refused.
ITS ?= y
ITS_SRCS := arch/arm64/vits.c arch/arm64/vits_lr.c arch/arm64/gicv3_its.c core/vits_cmd.c \
	core/vits_config.c
ITS_STUBS := arch/arm64/vits_none.c core/vits_none.c

# Cache colouring (docs/colouring.md): partitions' `bulkhead,colours`
# and the coloured hypervisor's move. core/colour.c stays: it maps
# uncoloured memory too. Left out, any colour property is refused.
COLOUR ?= y
COLOUR_SRCS := core/colour_config.c arch/arm64/mmu_colour.c arch/arm64/colour_switch.S
COLOUR_STUBS := core/colour_none.c arch/arm64/mmu_colour_none.c

# CFI flash for firmware partitions (`bulkhead,flash`,
# docs/partition-firmware.md). Left out, a flash region is refused;
# `device-tree-address` (core/dt_address_config.c) stays.
FLASH ?= y
FLASH_SRCS := core/firmware_config.c core/cfi_flash.c arch/arm64/vflash.c
FLASH_STUBS := core/flash_none.c arch/arm64/vflash_none.c

# PCI passthrough (docs/passthrough.md): host bridges passed whole (their
# windows, legacy interrupts and maps, in the configuration and the guest
# DT) and x86's `bulkhead,pci-function`. Left out, either is refused.
PCI ?= y
PCI_SRCS := core/config_pci.c core/guest_dt_pci.c
PCI_STUBS := core/pci_none.c

# Each console UART driver, UART_<NAME> for drivers/uart/<name>.c. Left
# out, drivers/uart/<name>_none.c keeps its compatibles, so that a console
# it would drive is refused by option rather than as unknown.
UART_DRIVERS := PL011:pl011 NS16550:ns16550 CADENCE:cadence IMX:imx LPUART:lpuart SCIF:scif \
	BCM2835_AUX:bcm2835_aux
uart_option = UART_$(word 1,$(subst :, ,$(1)))
uart_file = drivers/uart/$(word 2,$(subst :, ,$(1)))
$(foreach d,$(UART_DRIVERS),$(eval $(call uart_option,$(d)) ?= y) \
	$(eval $(call uart_option,$(d))_SRCS := $(call uart_file,$(d)).c) \
	$(eval $(call uart_option,$(d))_STUBS := $(call uart_file,$(d))_none.c))
$(foreach o,$(OPTIONS),$(if $(filter-out y n,$($(o))),$(error $(o)=$($(o)): expected y or n)))

# What the options leave out of the hypervisor images and bulkhead-check:
# a part's sources, or its stubs.
OPTION_OUT_SRCS := $(foreach o,$(OPTIONS),$(if $(filter y,$($(o))),$($(o)_STUBS),$($(o)_SRCS)))
# The boot's carve of free RAM (core/table_carve.c) serves coloured
# memory's tables and the ITS's LPI tables: left out only with both.
OPTION_OUT_SRCS += $(if $(filter nn,$(COLOUR)$(ITS)),core/table_carve.c,core/table_carve_none.c)
# Every stub file: the host unit tests build the parts themselves.
OPTION_STUB_SRCS := $(foreach o,$(OPTIONS),$($(o)_STUBS)) core/table_carve_none.c
# What the banner and bulkhead-check --version say: "CHANNELS=y ...".
BUILD_PARTS := $(foreach o,$(OPTIONS),$(o)=$($(o)))
