// SPDX-License-Identifier: Apache-2.0
/*
 * The attacker of the hostile-guest suite: runs the one attack named by
 * "attack=NAME" in its bootargs, prints what it got back, and powers its
 * partition off. Addresses it aims at come from the bootargs too
 * ("victim=PA hyp=PA self=PA": where the victim's memory, the hypervisor
 * and its own memory are in physical memory). It is linked at 0x80000000,
 * away from all of those, so any of them as a guest-physical address lies
 * outside its own memory.
 *
 * Output: "hostile: NAME: RESULT" then "hostile: NAME: done". Exceptions
 * it provokes are counted by its synchronous handler and skipped.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "console_spoof.h"
#include "rt.h"

#include "common/attack.h"

#define EC_UNKNOWN 0x00
#define EC_SVC32 0x11
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define GICD_BASE 0x08000000ull
#define GICR_BASE 0x080a0000ull
#define GICR_FRAME 0x20000ull
#define VICTIM_SPI 34
#define PL031_BASE 0x09010000ull
#define PL061_SPI 39 /* the attacker's own PL061, when it is given one */

static volatile unsigned int aborts, undefs;
static uint64_t victim_pa, hyp_pa, self_pa;

static bool el0_exception(struct rt_frame *f, uint64_t esr);

static bool on_sync(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	if (rt_sync_vector() >= 0x400)
		return el0_exception(f, esr);
	switch (esr >> 26) {
	case EC_DABT_CUR:
		aborts++;
		break;
	case EC_UNKNOWN:
		undefs++;
		break;
	default:
		return false;
	}
	f->elr += 4;
	return true;
}

static uint64_t read64(uint64_t ipa)
{
	return *(volatile uint64_t *)(uintptr_t)ipa;
}

static void write64(uint64_t ipa, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)ipa = v;
}

static volatile uint32_t *reg32(uint64_t ipa)
{
	return (volatile uint32_t *)(uintptr_t)ipa;
}

/* @count accesses, @stride apart from @base; reports how many aborted. */
static void sweep(const char *name, uint64_t base, uint64_t stride, unsigned int count, bool write)
{
	aborts = 0;
	for (unsigned int i = 0; i < count; i++) {
		if (write)
			write64(base + i * stride, 0xdeadbeefdeadbeefull);
		else
			(void)read64(base + i * stride);
	}
	report(name, "aborted %u/%u", aborts, count);
}

static void victim_memory_read(const char *n) { sweep(n, victim_pa, 0x10000, 256, false); }
static void victim_memory_write(const char *n) { sweep(n, victim_pa, 0x10000, 256, true); }
static void hypervisor_memory_read(const char *n) { sweep(n, hyp_pa, 0x1000, 256, false); }
static void hypervisor_memory_write(const char *n) { sweep(n, hyp_pa, 0x1000, 256, true); }
static void own_physical_alias(const char *n) { sweep(n, self_pa, 0x10000, 256, true); }
static void victim_device(const char *n) { sweep(n, PL031_BASE, 0x8, 8, true); }

/* GICD registers of the victim's SPI: write all ones (or zeros) to the
 * word holding it, then read back the victim's field of that word (the
 * word also holds the attacker's own virtual UART interrupt, INTID 33). */
static void gicd_victim_spi(const char *n, uint64_t set_off, uint64_t see_off, uint32_t value,
			    unsigned int bits_per_irq)
{
	uint64_t word = (uint64_t)VICTIM_SPI * bits_per_irq / 32 * 4;
	unsigned int shift = VICTIM_SPI * bits_per_irq % 32;
	uint32_t field_mask = bits_per_irq == 32 ? ~0u : (1u << bits_per_irq) - 1;

	aborts = 0;
	*reg32(GICD_BASE + set_off + word) = value;
	uint32_t seen = *reg32(GICD_BASE + see_off + word) >> shift & field_mask;

	report(n, "victim's field reads back 0x%x, aborts %u", (unsigned int)seen, aborts);
}

static void gicd_disable(const char *n) { gicd_victim_spi(n, 0x180, 0x100, ~0u, 1); }
static void gicd_priority(const char *n) { gicd_victim_spi(n, 0x400, 0x400, ~0u, 8); }
static void gicd_pending(const char *n) { gicd_victim_spi(n, 0x200, 0x200, ~0u, 1); }
static void gicd_active(const char *n) { gicd_victim_spi(n, 0x300, 0x300, ~0u, 1); }
static void gicd_group(const char *n) { gicd_victim_spi(n, 0x080, 0x080, 0, 1); }

static void byte_at(uint64_t ipa, uint8_t v) { *(volatile uint8_t *)(uintptr_t)ipa = v; }
static void half_at(uint64_t ipa, uint16_t v) { *(volatile uint16_t *)(uintptr_t)ipa = v; }

/*
 * Byte and halfword writes across the victim's SPI 34 in the distributor,
 * where the GICv3 architecture allows only words (IPRIORITYR: bytes too,
 * IROUTER: doublewords too). Then one that would have mattered if the
 * hypervisor took a byte for the word: 0x80 at ISENABLER + 5 (INTIDs
 * 40-47) read as word 1 enables INTID 39, its own PL061's SPI.
 */
static void gicd_sub_word(const char *n)
{
	static const uint64_t regs[] = {0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380};
	uint32_t seen = 0;

	aborts = 0;
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		byte_at(GICD_BASE + regs[i] + 4, regs[i] == 0x080 ? 0 : 0xff);
		half_at(GICD_BASE + regs[i] + 4, regs[i] == 0x080 ? 0 : 0xffff);
		half_at(GICD_BASE + regs[i] + 6, regs[i] == 0x080 ? 0 : 0xffff);
	}
	half_at(GICD_BASE + 0x400 + VICTIM_SPI, 0xffff);   /* IPRIORITYR */
	byte_at(GICD_BASE + 0x400 + VICTIM_SPI, 0xff);     /* allowed, but not its interrupt */
	byte_at(GICD_BASE + 0xc08, 0xff);                  /* ICFGR2: SPIs 32-47 */
	half_at(GICD_BASE + 0xc08, 0xffff);
	half_at(GICD_BASE + 0x6000 + 8 * VICTIM_SPI, 2);   /* IROUTER */
	byte_at(GICD_BASE + 0x6000 + 8 * VICTIM_SPI, 2);
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		seen |= *reg32(GICD_BASE + regs[i] + 4) >> (VICTIM_SPI % 32) & 1;
	seen |= *reg32(GICD_BASE + 0x400 + VICTIM_SPI / 4 * 4) >> (VICTIM_SPI % 4 * 8) & 0xff;
	seen |= *reg32(GICD_BASE + 0xc08) >> (VICTIM_SPI % 16 * 2) & 3;

	*reg32(GICD_BASE + 0x180 + 4) = 1u << (PL061_SPI - 32); /* its own SPI off, by word */
	byte_at(GICD_BASE + 0x100 + 5, 1u << (PL061_SPI - 32));
	bool stray = (*reg32(GICD_BASE + 0x100 + 4) >> (PL061_SPI - 32)) & 1;

	report(n, "victim's fields read back 0x%x, own SPI %u enabled by a stray byte: %s, aborts %u",
	       (unsigned int)seen, PL061_SPI, stray ? "yes" : "no", aborts);
}

static void gicd_route(const char *n)
{
	uint64_t router = GICD_BASE + 0x6000 + 8ull * VICTIM_SPI;

	aborts = 0;
	write64(router, 2); /* the victim's physical CPU's affinity */
	report(n, "reads back 0x%llx, aborts %u", (unsigned long long)read64(router), aborts);
}

static void gicd_ctlr(const char *n)
{
	*reg32(GICD_BASE) = 0;
	report(n, "own distributor off, reads 0x%x", (unsigned int)(*reg32(GICD_BASE) & 3));
}

static void gicr_other_frames(const char *n)
{
	aborts = 0;
	for (unsigned int frame = 1; frame < 4; frame++) {
		*reg32(GICR_BASE + frame * GICR_FRAME + 0x10000 + 0x180) = ~0u; /* ICENABLER0 */
		(void)*reg32(GICR_BASE + frame * GICR_FRAME + 0x8);             /* TYPER */
	}
	report(n, "aborted %u/%u", aborts, 6u);
}

static void sgi1r(uint64_t v)
{
	__asm__ volatile("msr S3_0_C12_C11_5, %0\n\tisb" : : "r"(v) : "memory");
}

static void sgi_target_list(const char *n)
{
	for (unsigned int sgi = 0; sgi < 16; sgi++)
		sgi1r((uint64_t)sgi << 24 | 0xffff);
	report(n, "sent %u", 16u);
}

static void sgi_broadcast(const char *n)
{
	for (unsigned int sgi = 0; sgi < 16; sgi++)
		sgi1r(1ull << 40 | (uint64_t)sgi << 24);
	report(n, "sent %u", 16u);
}

static void sgi_other_affinity(const char *n)
{
	unsigned int sent = 0;

	for (unsigned int aff = 1; aff < 256; aff += 17) {
		sgi1r((uint64_t)aff << 16 | 1ull << 24 | 0xffff);           /* Aff1 */
		sgi1r((uint64_t)aff << 32 | 1ull << 24 | 0xffff);           /* Aff2 */
		sgi1r((uint64_t)aff << 48 | 1ull << 24 | 0xffff);           /* Aff3 */
		sgi1r(0xfull << 44 | 1ull << 24 | 0xffff);                 /* RS */
		sent += 4;
	}
	report(n, "sent %u", sent);
}

/* GICv2 only (the DT's GIC is a GIC-400). GICD_SGIR: every SGI to every
 * CPU interface (the list, filter 0) and to all others (filter 1); the
 * neighbour's vCPU must see none. */
#define GICD_SGIR 0xf00
#define GICD_ITARGETSR 0x800
#define GICV2_GICC 0x08010000ull  /* the partition's GICC: the GICV, 8 KiB */
#define GICV2_GICH 0x08030000ull  /* QEMU virt's physical GICH */
#define GICV2_GICV 0x08040000ull  /* ... and GICV */

static void gicv2_sgir(const char *n)
{
	for (unsigned int sgi = 0; sgi < 16; sgi++) {
		*reg32(GICD_BASE + GICD_SGIR) = 0xffu << 16 | sgi;
		*reg32(GICD_BASE + GICD_SGIR) = 1u << 24 | sgi;
	}
	report(n, "sent %u", 32u);
}

/* The victim's SPI aimed at every CPU interface, byte and word. */
static void gicv2_itargetsr(const char *n)
{
	volatile uint8_t *byte = (volatile uint8_t *)(uintptr_t)(GICD_BASE + GICD_ITARGETSR + VICTIM_SPI);

	aborts = 0;
	*byte = 0xff;
	*reg32(GICD_BASE + GICD_ITARGETSR + VICTIM_SPI / 4 * 4) = ~0u;
	report(n, "reads back 0x%x, aborts %u", (unsigned int)*byte, aborts);
}

static void gicv2_isenabler(const char *n) { gicd_victim_spi(n, 0x100, 0x100, ~0u, 1); }

/* Past the 8 KiB virtual CPU interface, up to the end of its 64 KiB. */
static void gicv2_past_gicv(const char *n)
{
	aborts = 0;
	for (unsigned int page = 2; page < 16; page++) {
		*reg32(GICV2_GICC + page * 0x1000ull) = ~0u;
		(void)*reg32(GICV2_GICC + page * 0x1000ull + 0xc);
	}
	report(n, "aborted %u/%u", aborts, 28u);
}

/* The physical GICH and GICV, and the distributor past its 4 KiB: none
 * is mapped for a partition. */
static void gicv2_frames(const char *n)
{
	static const uint64_t at[] = {GICV2_GICH, GICV2_GICH + 0x100, GICV2_GICH + 0x1000,
				      GICV2_GICV, GICV2_GICV + 0x1000, GICD_BASE + 0x1000,
				      GICD_BASE + 0x6000 + 8ull * VICTIM_SPI, GICD_BASE + 0xf000};

	aborts = 0;
	for (unsigned int i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		(void)*reg32(at[i]);
		*reg32(at[i]) = 0;
	}
	report(n, "aborted %u/%u", aborts, 2u * (unsigned int)(sizeof(at) / sizeof(at[0])));
}

static void psci_cpu_on_victim(const char *n)
{
	int64_t worst = 0;
	static const uint64_t targets[] = {1, 2, 3, 0x100, 0x10000, 0x100000000ull};

	for (unsigned int i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		int64_t r = psci_call(0xc4000003, targets[i], 0x80000000, 0);

		if (r >= 0 || worst == 0)
			worst = r;
	}
	report(n, "worst result %lld", (long long)worst);
}

static void psci_affinity_info_victim(const char *n)
{
	int64_t worst = 0;

	for (uint64_t mpidr = 1; mpidr < 4; mpidr++) {
		int64_t r = psci_affinity_info(mpidr);

		if (r >= 0 || worst == 0)
			worst = r;
	}
	report(n, "worst result %lld", (long long)worst);
}

/* Targets whose Aff0 names the attacker's own vCPU 0 but with bits PSCI
 * wants zero (24-31, 40-63): each must be INVALID_PARAMETERS (-2), not
 * taken for vCPU 0 (CPU_ON's ALREADY_ON, AFFINITY_INFO's ON). */
static void psci_mpidr_reserved_bits(const char *n)
{
	static const uint64_t targets[] = {1ull << 24, 1ull << 31, 1ull << 40, 1ull << 63};
	unsigned int invalid = 0, calls = 0;

	for (unsigned int i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		invalid += psci_call(0xc4000003, targets[i], 0x80000000, 0) == -2; /* CPU_ON */
		invalid += psci_call(0xc4000004, targets[i], 0, 0) == -2;          /* AFFINITY_INFO */
		calls += 2;
	}
	report(n, "invalid parameters %u/%u", invalid, calls);
}

/* CPU_SUSPEND to a power-down state (power_state bit 16) with entry points
 * outside its memory (the victim's, the hypervisor's, IPA 0) and one not
 * aligned: each INVALID_ADDRESS (-9); its own entry point is accepted (0). */
static void psci_cpu_suspend_entry(const char *n)
{
	const uint64_t bad[] = {victim_pa, hyp_pa, 0, 0x80000002};
	unsigned int refused = 0;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused += psci_call(0xc4000001, 1u << 16, bad[i], 0) == -9;
	report(n, "invalid address %u/%u, own entry %lld", refused,
	       (unsigned int)(sizeof(bad) / sizeof(bad[0])),
	       (long long)psci_call(0xc4000001, 1u << 16, 0x80000000, 0));
}

static void raw_smc(const char *n)
{
	/* SiP, OEM, standard secure (not PSCI), trusted OS, and arch calls. */
	static const uint64_t ids[] = {0xc2000000, 0x82000001, 0xc3000000, 0x84000040,
				       0xc4000040, 0xf2000000, 0xb2000000, 0x80008000,
				       0x80007fff, 0xbf00ff01};
	unsigned int refused = 0;

	for (unsigned int i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		register uint64_t x0 __asm__("x0") = ids[i];
		register uint64_t x1 __asm__("x1") = 0x40000000;
		register uint64_t x2 __asm__("x2") = 0;
		register uint64_t x3 __asm__("x3") = 0;

		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
		/* NOT_SUPPORTED is -1 in w0 (SMC32 calls leave x0's top half open). */
		if ((int32_t)x0 == -1)
			refused++;
	}
	report(n, "refused %u/%u", refused, (unsigned int)(sizeof(ids) / sizeof(ids[0])));
}

/* Every function ID class with random arguments, except the PSCI calls that
 * would stop or restart this partition. */
static void hvc_fuzz(const char *n)
{
	uint64_t seed = 0x2545f4914f6cdd1dull;
	unsigned int calls = 0;

	for (unsigned int i = 0; i < 4000; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		uint32_t id = (uint32_t)seed;

		if ((id & 0xbfffffe0u) == 0x84000000u) /* PSCI 0x84/0xc4000000-1f */
			continue;
		register uint64_t x0 __asm__("x0") = id;
		register uint64_t x1 __asm__("x1") = seed >> 3;
		register uint64_t x2 __asm__("x2") = ~seed;
		register uint64_t x3 __asm__("x3") = seed * 3;

		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
		calls++;
	}
	report(n, "survived %u calls, undefs %u", calls, undefs);
}

static void set_way(const char *n)
{
	undefs = 0;
	for (uint64_t set = 0; set < 256; set++) {
		for (uint64_t way = 0; way < 4; way++) {
			uint64_t sw = way << 30 | set << 6;

			__asm__ volatile("dc cisw, %0\n\tdc isw, %0\n\tdc csw, %0" : : "r"(sw) : "memory");
		}
	}
	report(n, "undefs %u", undefs);
}

static void tlb_maintenance(const char *n)
{
	undefs = 0;
	__asm__ volatile("tlbi vmalle1is\n\ttlbi vmalle1\n\tdsb ish\n\tisb" : : : "memory");
	unsigned int own = undefs;

	__asm__ volatile("tlbi alle2\n\ttlbi alle2is\n\ttlbi alle1is" : : : "memory"); /* EL2 only */
	report(n, "own-VMID undefs %u, EL2 undefs %u", own, undefs - own);
}

static void debug_registers(const char *n)
{
	undefs = 0;
	__asm__ volatile("msr dbgbvr0_el1, %0\n\tmsr dbgbcr0_el1, %1\n\tmsr mdscr_el1, %2\n\tisb"
			 : : "r"(0x40200000ull), "r"(0x1e7ull), "r"(1ull << 15) : "memory");
	__asm__ volatile("msr mdscr_el1, xzr\n\tmsr dbgbcr0_el1, xzr\n\tisb" : : : "memory");
	report(n, "undefs %u", undefs);
}

static void pmu_registers(const char *n)
{
	uint64_t v = 0;

	undefs = 0;
	__asm__ volatile("mrs %0, pmcr_el0" : "+r"(v));
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(1ull));
	__asm__ volatile("mrs %0, pmccntr_el0" : "+r"(v));
	__asm__ volatile("msr pmcntenset_el0, %0" : : "r"(~0ull));
	report(n, "undefs %u/%u", undefs, 4u);
}

static void el2_registers(const char *n)
{
	uint64_t v = 0;

	undefs = 0;
	__asm__ volatile("mrs %0, hcr_el2" : "+r"(v));
	__asm__ volatile("mrs %0, vbar_el2" : "+r"(v));
	__asm__ volatile("msr vttbr_el2, %0" : : "r"(v) : "memory");
	__asm__ volatile("msr sctlr_el2, %0" : : "r"(v) : "memory");
	report(n, "undefs %u/%u", undefs, 4u);
}

static void el3_registers(const char *n)
{
	uint64_t v = 0;

	undefs = 0;
	__asm__ volatile("mrs %0, scr_el3" : "+r"(v));
	__asm__ volatile("msr scr_el3, %0" : : "r"(v) : "memory");
	__asm__ volatile("mrs %0, vbar_el3" : "+r"(v));
	report(n, "undefs %u/%u", undefs, 3u);
}

/* The RAS error records (FEAT_RAS: QEMU's max CPU has it, with no records):
 * every access must be refused, reads and writes alike. */
static void ras_registers(const char *n)
{
	uint64_t v = 0;

	undefs = 0;
	__asm__ volatile("mrs %0, S3_0_C5_C3_0" : "+r"(v));              /* ERRIDR_EL1 */
	__asm__ volatile("mrs %0, S3_0_C5_C3_1" : "+r"(v));              /* ERRSELR_EL1 */
	__asm__ volatile("msr S3_0_C5_C3_1, %0\n\tisb" : : "r"(0ull));  /* ERRSELR_EL1 */
	__asm__ volatile("mrs %0, S3_0_C5_C4_0" : "+r"(v));              /* ERXFR_EL1 */
	__asm__ volatile("mrs %0, S3_0_C5_C4_2" : "+r"(v));              /* ERXSTATUS_EL1 */
	__asm__ volatile("msr S3_0_C5_C4_2, %0" : : "r"(~0ull));         /* ERXSTATUS_EL1: clear */
	__asm__ volatile("msr S3_0_C5_C4_1, %0" : : "r"(0ull));          /* ERXCTLR_EL1: off */
	__asm__ volatile("mrs %0, S3_0_C5_C4_3" : "+r"(v));              /* ERXADDR_EL1 */
	__asm__ volatile("mrs %0, S3_0_C5_C5_0" : "+r"(v));              /* ERXMISC0_EL1 */
	__asm__ volatile("msr S3_0_C5_C5_0, %0\n\tisb" : : "r"(0ull));  /* ERXMISC0_EL1 */
	unsigned int refused = undefs;
	uint64_t pfr0, pfr1;

	__asm__ volatile("mrs %0, id_aa64pfr0_el1\n\tmrs %1, id_aa64pfr1_el1" : "=r"(pfr0), "=r"(pfr1));
	report(n, "undefs %u/%u, ID registers show RAS %u.%u", refused, 10u,
	       (unsigned int)(pfr0 >> 28 & 0xf), (unsigned int)(pfr1 >> 12 & 0xf));
}

/* Accesses to emulated registers the hypervisor cannot decode (no ISV). */
static void emulated_register_odd_access(const char *n)
{
	uint64_t a = GICD_BASE + 0x100, b = 0, c = 0;

	aborts = 0;
	__asm__ volatile("ldxr %w0, [%1]" : "=r"(b) : "r"(a) : "memory");
	__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(b), "=r"(c) : "r"(a) : "memory");
	__asm__ volatile("stp %w0, %w1, [%2]" : : "r"(b), "r"(c), "r"(a) : "memory");
	__asm__ volatile("ldr %w0, [%1], #4" : "=r"(b), "+r"(a) : : "memory"); /* writeback */
	report(n, "aborted %u/%u", aborts, 4u);
}

/*
 * AArch32 at EL0. The toolchain assembles no T32, so the probe is given as
 * halfwords. With r0 = the GIC distributor and r1 = an address outside the
 * partition, it counts in r2 the instructions after each trapped one; one
 * skipped or run twice changes the count (8 when all is right).
 */
__asm__(".text\n"
	".balign 4\n"
	"t32_probe:\n"
	".hword 0x2200\n"         /* movs r2, #0 */
	".hword 0x6843\n"         /* ldr r3, [r0, #4]: GICD_TYPER, 16-bit, emulated */
	".hword 0x3201\n"         /* adds r2, #1 */
	".hword 0x2700\n"         /* movs r7, #0 */
	".hword 0x6007\n"         /* str r7, [r0]: GICD_CTLR (its own, unused here), 16-bit */
	".hword 0x3201\n"         /* adds r2, #1 */
	".hword 0xf8d0, 0x5004\n" /* ldr.w r5, [r0, #4]: GICD_TYPER, 32-bit */
	".hword 0x3201\n"         /* adds r2, #1 */
	".hword 0xbf20\n"         /* wfe: 16-bit, trapped (HCR_EL2.TWE) */
	".hword 0x3201\n"         /* adds r2, #1 */
	".hword 0xf3af, 0x8002\n" /* wfe.w: 32-bit */
	".hword 0x3201\n"         /* adds r2, #1 */
	".hword 0x4292\n"         /* cmp r2, r2: Z set */
	".hword 0xbf0c\n"         /* ite eq */
	".hword 0x6846\n"         /*  ldreq r6, [r0, #4]: emulated inside an IT block */
	".hword 0x3201\n"         /*  addne r2, #1: must not run */
	".hword 0x3202\n"         /* adds r2, #2: must run */
	".hword 0x680c\n"         /* ldr r4, [r1]: outside the partition, an abort */
	".hword 0x3201\n"         /* adds r2, #1: after the handler's step over it */
	".hword 0xdf00\n"         /* svc #0: back to EL1 */
	".hword 0xe7fe\n"         /* b . */
	/* el0_run(entry, r0, r1): eret to T32 EL0 at entry; el0_exception()
	 * sends the SVC to el0_back, which returns from el0_run. */
	".balign 4\n"
	"el0_run:\n"
	"stp x29, x30, [sp, #-96]!\n"
	"stp x19, x20, [sp, #16]\n"
	"stp x21, x22, [sp, #32]\n"
	"stp x23, x24, [sp, #48]\n"
	"stp x25, x26, [sp, #64]\n"
	"stp x27, x28, [sp, #80]\n"
	"adrp x9, el0_sp\n"
	"mov x10, sp\n"
	"str x10, [x9, :lo12:el0_sp]\n"
	"msr elr_el1, x0\n"
	"mov x9, #0x1f0\n" /* AArch32 User, T32, A, I and F masked */
	"msr spsr_el1, x9\n"
	"mov x0, x1\n"
	"mov x1, x2\n"
	"eret\n"
	"el0_back:\n"
	"adrp x9, el0_sp\n"
	"ldr x10, [x9, :lo12:el0_sp]\n"
	"mov sp, x10\n"
	"ldp x19, x20, [sp, #16]\n"
	"ldp x21, x22, [sp, #32]\n"
	"ldp x23, x24, [sp, #48]\n"
	"ldp x25, x26, [sp, #64]\n"
	"ldp x27, x28, [sp, #80]\n"
	"ldp x29, x30, [sp], #96\n"
	"ret\n"
	".data\n"
	".balign 8\n"
	"el0_sp: .quad 0\n"
	".text\n");

extern const uint16_t t32_probe[];
extern const char el0_back[];
void el0_run(uint64_t entry, uint64_t r0, uint64_t r1);

static volatile uint32_t el0_regs[8];
static volatile unsigned int el0_abort_vector, el0_aborts;

/* From the probe: its abort (stepped over: a 16-bit load), or its SVC,
 * which ends the run: its registers are kept and EL1 resumes at el0_back. */
static bool el0_exception(struct rt_frame *f, uint64_t esr)
{
	switch (esr >> 26) {
	case EC_DABT_LOW:
		el0_abort_vector = rt_sync_vector();
		el0_aborts++;
		f->elr += 2;
		return true;
	case EC_SVC32:
		for (unsigned int i = 0; i < 8; i++)
			el0_regs[i] = (uint32_t)f->x[i];
		f->elr = (uint64_t)(uintptr_t)el0_back;
		f->spsr = 0x3c5; /* EL1h, DAIF masked, as el0_run left it */
		return true;
	default:
		return false;
	}
}

#define SCTLR_NTWE (1ull << 18)   /* EL0's WFE not trapped to EL1 (then EL2 may) */
#define BLOCK_EL0 (1ull << 6)     /* AP[1]: EL0 may access */
#define EL0_ALIAS 0xc0000000ull   /* the fourth 1 GiB of VA: the attacker's own 1 GiB for EL0 */
#define BLOCK_NORMAL_EL0 0x741ull /* valid block, Normal WB, EL0 RW, inner shareable, AF */

static void flush_tlb(void)
{
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
}

static void aarch32_el0(const char *n)
{
	uint64_t ttbr, sctlr;

	__asm__ volatile("mrs %0, ttbr0_el1\n\tmrs %1, sctlr_el1" : "=r"(ttbr), "=r"(sctlr));
	volatile uint64_t *l1 = (volatile uint64_t *)(uintptr_t)(ttbr & 0xfffffffff000ull);
	uint64_t saved0 = l1[0], saved3 = l1[3];
	uint32_t typer = *reg32(GICD_BASE + 4);

	/* EL1 must not run what EL0 may write: EL0 gets its own view of the
	 * attacker's memory, and the device block. */
	l1[0] = saved0 | BLOCK_EL0;
	l1[3] = 0x80000000ull | BLOCK_NORMAL_EL0;
	flush_tlb();
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr | SCTLR_NTWE));
	el0_run((uint64_t)(uintptr_t)t32_probe - 0x80000000ull + EL0_ALIAS, GICD_BASE, PL031_BASE);
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr));
	l1[0] = saved0;
	l1[3] = saved3;
	flush_tlb();
	bool loads = el0_regs[3] == typer && el0_regs[5] == typer && el0_regs[6] == typer;

	report(n, "counted %u, emulated loads %s, %u abort(s) at vector 0x%x",
	       (unsigned int)el0_regs[2], loads ? "right" : "wrong", el0_aborts, el0_abort_vector);
}

static void irq_masked_spin(const char *n)
{
	uint64_t end = rt_counter() + rt_counter_hz() / 5; /* 200 ms */

	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	while (rt_counter() < end)
		;
	__asm__ volatile("msr daifclr, #0xf" : : : "memory");
	report(n, "spun 200 ms with interrupts masked");
}

#define STORM_IRQS 20000

static volatile unsigned int storm_irqs;

/* Leaves the timer firing (level-triggered, always expired) for STORM_IRQS
 * interrupts: the guest's own handler is all it runs meanwhile. */
static volatile bool storm_for_ever;

static void on_storm(unsigned int intid)
{
	if (intid == 27 && ++storm_irqs == STORM_IRQS && !storm_for_ever)
		rt_vtimer_stop();
}

static void timer_storm(const char *n)
{
	rt_gic_init();
	rt_set_irq_handler(on_storm);
	rt_gic_enable(27, 0x80);
	rt_vtimer_arm(0);
	rt_irq_enable();
	while (storm_irqs < STORM_IRQS)
		rt_wait_event();
	__asm__ volatile("msr daifset, #2" : : : "memory");
	report(n, "took %u timer interrupts", storm_irqs);
}

/* The attacker's own PL061 (passthrough, SPI 39): pin 0 is an input that
 * reads 0 and set to interrupt on a low level, so the line stays up until
 * the mask is cleared; the handler never clears it. */
#define PL061_BASE 0x09030000ul
#define PL061_IS 0x404
#define PL061_IEV 0x40c
#define PL061_IE 0x410
#define PL061_MIS 0x418
#define PL061_INTID 39

static volatile unsigned int device_irqs;

static void pl061_write(unsigned int offset, uint32_t value)
{
	*(volatile uint32_t *)(PL061_BASE + offset) = value;
}

static void on_device_storm(unsigned int intid)
{
	if (intid == PL061_INTID && ++device_irqs == STORM_IRQS)
		pl061_write(PL061_IE, 0);
}

static void device_irq_storm(const char *n)
{
	rt_gic_init();
	rt_set_irq_handler(on_device_storm);
	rt_gic_enable_spi(PL061_INTID, 0x80);
	pl061_write(PL061_IS, 1);  /* pin 0 level-sensitive */
	pl061_write(PL061_IEV, 0); /* on a low level: the idle input */
	pl061_write(PL061_IE, 1);
	rt_irq_enable();
	while (device_irqs < STORM_IRQS)
		rt_wait_event();
	__asm__ volatile("msr daifset, #2" : : : "memory");
	report(n, "took %u device interrupts, line %s", device_irqs,
	       *(volatile uint32_t *)(PL061_BASE + PL061_MIS) ? "still up" : "masked");
}

/* The same storm without end: the attacker never runs anything but its
 * handler again, and the test watches the victim for a while instead. */
static void timer_storm_for_ever(const char *n)
{
	storm_for_ever = true;
	report(n, "storming for ever");
	rt_gic_init();
	rt_set_irq_handler(on_storm);
	rt_gic_enable(27, 0x80);
	rt_vtimer_arm(0);
	rt_irq_enable();
	for (;;)
		rt_wait_event();
}

static void console_flood(const char *n)
{
	for (unsigned int i = 0; i < 8192; i++)
		putchar('A' + (int)(i % 26));
	putchar('\n');
	report(n, "wrote 8192 bytes in one line");
}

/* Terminal control through both console paths (console_spoof.c): the test
 * reads what arrives on the serial port byte by byte. */
static void console_spoof(const char *n)
{
	struct console_spoof_sent uart, call;

	report(n, "by the UART");
	console_spoof_uart(&uart);
	report(n, "by CONSOLE_WRITE");
	console_spoof_hypercall(&call);
	report(n, "sent %u and %u bytes, fnv1a %08x and %08x, call errors %u", uart.bytes,
	       call.bytes, (unsigned int)uart.fnv1a, (unsigned int)call.fnv1a, call.call_errors);
}

static void system_off(const char *n)
{
	report(n, "calling SYSTEM_OFF");
	psci_system_off();
}

static void cpu_off(const char *n)
{
	report(n, "calling CPU_OFF on its only vCPU");
	psci_cpu_off();
}

static void system_reset(const char *n)
{
	if (rt_boot_count() > 1) {
		report(n, "restarted, boot %u", (unsigned int)rt_boot_count());
		return;
	}
	report(n, "calling SYSTEM_RESET");
	psci_system_reset();
}

static const struct attack attacks[] = {
	{"victim-memory-read", victim_memory_read},
	{"victim-memory-write", victim_memory_write},
	{"hypervisor-memory-read", hypervisor_memory_read},
	{"hypervisor-memory-write", hypervisor_memory_write},
	{"own-physical-alias", own_physical_alias},
	{"victim-device", victim_device},
	{"gicd-disable-victim-spi", gicd_disable},
	{"gicd-priority-victim-spi", gicd_priority},
	{"gicd-pend-victim-spi", gicd_pending},
	{"gicd-activate-victim-spi", gicd_active},
	{"gicd-group-victim-spi", gicd_group},
	{"gicd-route-victim-spi", gicd_route},
	{"gicd-ctlr-off", gicd_ctlr},
	{"gicd-sub-word-writes", gicd_sub_word},
	{"gicr-other-frames", gicr_other_frames},
	{"sgi-target-list", sgi_target_list},
	{"sgi-broadcast", sgi_broadcast},
	{"sgi-other-affinity", sgi_other_affinity},
	{"psci-cpu-on-victim", psci_cpu_on_victim},
	{"psci-affinity-info-victim", psci_affinity_info_victim},
	{"psci-mpidr-reserved-bits", psci_mpidr_reserved_bits},
	{"psci-cpu-suspend-entry", psci_cpu_suspend_entry},
	{"psci-cpu-off", cpu_off},
	{"psci-system-off", system_off},
	{"psci-system-reset", system_reset},
	{"raw-smc", raw_smc},
	{"hvc-fuzz", hvc_fuzz},
	{"set-way-maintenance", set_way},
	{"tlb-maintenance", tlb_maintenance},
	{"debug-registers", debug_registers},
	{"pmu-registers", pmu_registers},
	{"el2-registers", el2_registers},
	{"el3-registers", el3_registers},
	{"ras-registers", ras_registers},
	{"emulated-register-odd-access", emulated_register_odd_access},
	{"aarch32-el0", aarch32_el0},
	{"irq-masked-spin", irq_masked_spin},
	{"timer-storm", timer_storm},
	{"device-irq-storm", device_irq_storm},
	{"timer-storm-for-ever", timer_storm_for_ever},
	{"console-flood", console_flood},
	{"console-spoof", console_spoof},
	{"gicv2-sgir-neighbour", gicv2_sgir},
	{"gicv2-itargetsr-victim-spi", gicv2_itargetsr},
	{"gicv2-isenabler-victim-spi", gicv2_isenabler},
	{"gicv2-past-gicv", gicv2_past_gicv},
	{"gicv2-gich-gicv-gicd-frames", gicv2_frames},
};

int main(void)
{
	rt_set_sync_handler(on_sync);
	victim_pa = rt_bootarg_u64("victim", 0);
	hyp_pa = rt_bootarg_u64("hyp", 0);
	self_pa = rt_bootarg_u64("self", 0);
	run_named_attack(attacks, sizeof(attacks) / sizeof(attacks[0]));
}
