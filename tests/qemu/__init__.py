# SPDX-License-Identifier: Apache-2.0
"""QEMU integration tests; each module registers its tests on import."""

from . import (test_boot, test_build, test_partitions, test_uboot, test_configs,  # noqa: F401
               test_linux, test_bootmedia, test_passthrough, test_uefi, test_hostile,
               test_x86, test_x86_hostile, test_smmu, test_health, test_bench,  # noqa: F401
               test_channels, test_consoles, test_boards, test_stack_bound,  # noqa: F401
               test_coverage, test_slim, test_trace, test_misra, test_colouring,  # noqa: F401
               test_wfe, test_pmu, test_firmware)  # noqa: F401
from . import test_smccc  # noqa: F401
from . import test_colour_hyp  # noqa: F401
from . import test_firmware_cfi  # noqa: F401
from . import test_msi  # noqa: F401
from . import test_pack_relocs  # noqa: F401
