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

OPTIONS := CHANNELS EFI SMMU

CHANNELS ?= y
CHANNELS_SRCS := core/channel.c core/channel_config.c
CHANNELS_STUBS := core/channel_none.c

# The UEFI application entry (docs/uefi.md); booti and -kernel need none.
EFI ?= y
EFI_SRCS := arch/arm64/efi.c
EFI_STUBS := arch/arm64/efi_none.c

# The SMMUv3 driver (docs/smmu.md): DMA streams of partitions' devices.
# arch/fake's files are bulkhead-check's view of which IOMMUs are driven.
SMMU ?= y
SMMU_SRCS := arch/arm64/smmuv3.c arch/arm64/smmuv3_tables.c arch/fake/iommu_smmuv3.c
SMMU_STUBS := arch/arm64/smmuv3_none.c arch/fake/iommu_none.c

$(foreach o,$(OPTIONS),$(if $(filter-out y n,$($(o))),$(error $(o)=$($(o)): expected y or n)))

# What the options leave out of the hypervisor images and bulkhead-check:
# a part's sources, or its stubs.
OPTION_OUT_SRCS := $(foreach o,$(OPTIONS),$(if $(filter y,$($(o))),$($(o)_STUBS),$($(o)_SRCS)))
# Every stub file: the host unit tests build the parts themselves.
OPTION_STUB_SRCS := $(foreach o,$(OPTIONS),$($(o)_STUBS))
# What the banner and bulkhead-check --version say: "CHANNELS=y ...".
BUILD_PARTS := $(foreach o,$(OPTIONS),$(o)=$($(o)))
