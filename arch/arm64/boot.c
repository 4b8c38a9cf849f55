// SPDX-License-Identifier: Apache-2.0
/*
 * arm64 boot: from head.S (MMU off, stack set, .bss clear) to the
 * architecture-neutral boot_primary_main().
 */

#include <libfdt.h>

#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/dt.h>

#include <arch/arm64.h>
#include <arch/sysreg.h>

static void refuse(const char *why)
{
	log_printf("fatal: %s\n", why);
	log_printf("Bulkhead must be started at EL2 with virtualization enabled "
		   "(QEMU: -M virt,virtualization=on); halting\n");
	arch_cpu_halt();
}

/*
 * Turn the MMU on before walking the device tree: libfdt's lookups are
 * cheaper with caches on, and unaligned loads are then harmless. Only the
 * DT header has been read so far (aligned fields).
 */
static enum bh_err mmu_enable_boot(const void *fdt)
{
	TRY(mmu_map_hypervisor());
	TRY(mmu_map((uint64_t)(uintptr_t)fdt, fdt_totalsize(fdt), MMU_RODATA));
	arm64_dcache_inval_range((uint64_t)(uintptr_t)__image_start,
				 (uint64_t)(uintptr_t)__reserved_end);
	arm64_mmu_on(mmu_root());
	return BH_OK;
}

NORETURN void arm64_primary_main(uint64_t fdt_pa);
NORETURN void arm64_primary_main(uint64_t fdt_pa)
{
	uint64_t entry_ns = arch_time_ns();
	const void *fdt = (const void *)(uintptr_t)fdt_pa;
	unsigned int el = current_el();

	/* Without a device tree there is no console to complain on. */
	if (fdt_pa == 0 || fdt_check_header(fdt) != 0 || !dt_structure_sound(fdt))
		arch_cpu_halt();
	if (el == 2) {
		arm64_cpu_local_init(0);
		if (mmu_enable_boot(fdt) != BH_OK)
			arch_cpu_halt(); /* too early to print: no console yet */
	}
	(void)dt_index_build(fdt); /* if the tree is too big, lookups just stay slower */
	if (console_init(fdt) != BH_OK)
		arch_cpu_halt();
	boot_banner();
	if (el == 1)
		refuse("entered at EL1: the loader dropped to EL1 or the CPU has no EL2");
	if (el != 2)
		refuse("entered at EL3: Bulkhead runs at EL2 under the firmware");

	uint64_t mpidr = read_sysreg(mpidr_el1) & MPIDR_AF_MASK_ALL;

	log_printf("arm64: entered at EL2 on MPIDR 0x%llx at %llu ns since reset, "
		   "device tree at 0x%llx\n", (unsigned long long)mpidr,
		   (unsigned long long)entry_ns, (unsigned long long)fdt_pa);
	log_printf("arm64: EL2 MMU on, identity map, W^X (%u table pages)\n", mmu_pages_used());
	boot_primary_main(fdt, mpidr, (uint64_t)(uintptr_t)__image_start,
			  (uint64_t)(uintptr_t)__reserved_end);
}

NORETURN void arm64_secondary_main(uint64_t index);
NORETURN void arm64_secondary_main(uint64_t index)
{
	arm64_cpu_local_init((unsigned int)index);
	arm64_secondary_platform_init((unsigned int)index);
	cpu_secondary_main(&cpus[index]);
}
