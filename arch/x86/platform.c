// SPDX-License-Identifier: Apache-2.0
/* The x86 platform: local and I/O APICs from the DT, timers, the virtualisation backend. */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/platform.h>

#include <arch/x86.h>

enum bh_err arch_platform_parse(const void *fdt, struct platform *p)
{
	p->arch.tsc_hz = x86_tsc_hz();
	platform_x86_guests(p); /* 32-bit start below 4 GiB, vector doorbells */
	TRY(x86_check_ram(p));
	TRY(apic_platform_init(fdt, &p->arch));
	enum bh_err err = mmu_init(p);

	if (err != BH_OK) {
		log_printf("error: the hypervisor's page tables: %s\n", bh_err_name(err));
		return err;
	}
	TRY(x86_virt()->init_platform(&p->arch));
	x86_virt()->cpu_init(0);
	return BH_OK;
}

void arch_platform_report(const struct platform *p)
{
	const struct platform_arch *a = &p->arch;

	log_printf("apic: local APIC 0x%llx, I/O APIC 0x%llx (%u pins, all masked), "
		   "legacy PICs masked\n", (unsigned long long)a->lapic_base,
		   (unsigned long long)a->ioapic_base, a->ioapic_pins);
	log_printf("timer: TSC %llu kHz, local APIC timer %llu kHz\n",
		   (unsigned long long)(a->tsc_hz / 1000),
		   (unsigned long long)(a->lapic_timer_hz / 1000));
	log_printf("x86: own page tables, W^X, stack guard pages (%u table pages)\n",
		   mmu_pages_used());
	x86_virt()->report(a);
}
