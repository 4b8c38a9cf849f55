// SPDX-License-Identifier: Apache-2.0
/*
 * The physical GICv3 ITS, as far as partitions' virtual ITSs need it
 * (docs/passthrough.md, "MSI"). Set up on the boot CPU when the first
 * partition with MSI is built, from tables carved out of free RAM
 * (core/table_carve.c): a flat device table up to the highest DeviceID a
 * partition owns, a collection table with one collection per physical CPU
 * (its index), a command queue, the LPI configuration table (14 ID bits,
 * shared by the redistributors) and a pending table for each CPU that runs
 * such a partition. Each owned function is mapped once, at boot, with an
 * ITT of 32 events and a fixed block of 32 physical LPIs, so the hot path
 * (an LPI taken at EL2) needs no allocation and nothing a guest does can
 * run the pool dry. Commands are issued under a lock from whichever CPU
 * traps the guest's command and waited for (CREADR reaching CWRITER, as the
 * distributor's RWP is), so a guest's SYNC has nothing left to wait for.
 *
 * On a GICv4.0 (GITS_TYPER.Virtual, redistributors with VLPIS) the same
 * ITS also injects vLPIs (docs/passthrough.md, "GICv4"): each such CPU is
 * a vPE, its index the vPE ID, mapped by VMAPP with a virtual pending
 * table next to its own; the v-commands and the vPE's residency on its
 * redistributor (GICR_VPROPBASER/VPENDBASER) are here too, since they are
 * this ITS's tables and queue.
 */

#include <string.h>

#include <bulkhead/compiler.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/page_pool.h>
#include <bulkhead/spinlock.h>
#include <bulkhead/table_carve.h>

#include <arch/arm64.h>
#include <arch/gicv3.h>
#include <arch/gicv3_its.h>
#include <arch/mmio.h>

#define GITS_CTLR 0x0000u
#define GITS_CTLR_ENABLED 1u
#define GITS_TYPER 0x0008u
#define GITS_CBASER 0x0080u
#define GITS_CWRITER 0x0088u
#define GITS_CREADR 0x0090u
#define GITS_BASER 0x0100u
#define GITS_BASERS 8u
#define GITS_SIZE 0x20000u

#define BASER_VALID (1ull << 63)
#define BASER_TYPE_SHIFT 56
#define BASER_TYPE_DEVICE 1u
#define BASER_TYPE_VPE 2u
#define BASER_TYPE_COLLECTION 4u
#define BASER_ENTRY_SHIFT 48
/* Normal memory, inner write-back cacheable, inner shareable: as the
 * hypervisor maps the tables, so no cache maintenance is needed. */
#define CACHE_WAWB 7ull
#define TABLE_ATTRS ((CACHE_WAWB << 59) | (1ull << 10))
#define CBASER_ATTRS ((CACHE_WAWB << 59) | (1ull << 10))
#define RD_ATTRS ((CACHE_WAWB << 7) | (1ull << 10))

#define GICR_CTLR 0x0000u
#define GICR_CTLR_ENABLE_LPIS 1u
#define GICR_TYPER 0x0008u
#define GICR_PROPBASER 0x0070u
#define GICR_PENDBASER 0x0078u

#define TYPER_ITT_ENTRY(t) ((unsigned int)(((t) >> 4) & 0xfu) + 1u)
#define TYPER_PTA (1ull << 19)
#define TYPER_VIRTUAL (1ull << 1)

/* A GICv4 redistributor's vLPI frame (the third 64 KiB one). */
#define GICR_VLPI_FRAME 0x20000u
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_RVPEID (1ull << 7)
#define GICR_VPROPBASER 0x0070u
#define GICR_VPENDBASER 0x0078u
#define VPENDBASER_VALID (1ull << 63)
#define VPENDBASER_DIRTY (1ull << 60)
/* Doorbell pINTID 1023: none (each vCPU is always resident on its CPU). */
#define NO_DOORBELL 1023ull
#define VLPI_ID_BITS 14u

#define CMD_QUEUE_PAGES 1u
#define CMD_COUNT (CMD_QUEUE_PAGES * PAGE_SIZE / 32u)
#define LPI_PRIORITY 0xa0u /* the hypervisor's priority for guest interrupts */
#define LPI_GROUP1 0x2u    /* configuration byte bit 1: RES1 */
#define LPI_ENABLE 0x1u
#define CMD_SPINS 10000000u

static uint64_t its;
static uint64_t typer;
static uint64_t *cmdq;
static uint8_t *lpi_config;
static bool virt; /* GICv4: GITS_TYPER.Virtual and every redistributor's VLPIS */
static uint64_t vpt[MAX_CPUS]; /* each CPU's virtual pending table (its vPE's) */

static void *carve(size_t pages)
{
	return page_pool_alloc_added(&hyp_page_pool, pages);
}

/* Issue @w and wait until the ITS has read it. */
static void its_command(const uint64_t w[4])
{
	static struct spinlock its_lock = SPINLOCK_INIT;
	static unsigned int cmd_next;

	spin_lock(&its_lock);
	uint64_t *slot = &cmdq[(size_t)cmd_next * 4u];

	for (unsigned int i = 0; i < 4u; i++)
		slot[i] = w[i];
	cmd_next = (cmd_next + 1u) % CMD_COUNT;
	__asm__ volatile("dsb ishst" : : : "memory");
	mmio_write64(its + GITS_CWRITER, (uint64_t)cmd_next * 32u);
	/* The ITS reads the queue at its own pace; a bounded wait, as for the
	 * distributor's RWP, and a line if it never finishes. */
	unsigned int spins = 0;

	while (mmio_read64(its + GITS_CREADR) != (uint64_t)cmd_next * 32u && spins < CMD_SPINS)
		spins++;
	spin_unlock(&its_lock);
	if (spins == CMD_SPINS)
		log_printf("its: command 0x%llx not consumed\n", (unsigned long long)(w[0] & 0xffu));
}

static uint64_t rdbase(const struct platform_arch *a, unsigned int cpu)
{
	uint64_t rd = gicv3_find_redistributor(a, cpus[cpu].hwid);

	/* PTA: the redistributor's address in 64 KiB units; else its number. */
	if ((typer & TYPER_PTA) != 0u)
		return rd >> 16;
	return (mmio_read64(rd + GICR_TYPER) >> 8) & 0xffffu;
}

static uint64_t pow2_pages(uint64_t bytes)
{
	uint64_t p = 1;

	while (p * PAGE_SIZE < bytes)
		p <<= 1;
	return p;
}

/* A table BASERn of @type for @entries entries (their size read from the
 * register), in zeroed memory. */
static enum bh_err its_table(unsigned int type, uint64_t entries)
{
	for (unsigned int n = 0; n < GITS_BASERS; n++) {
		uint64_t at = its + GITS_BASER + (8ull * n);
		uint64_t b = mmio_read64(at);

		if (((b >> BASER_TYPE_SHIFT) & 7u) != type)
			continue;
		uint64_t pages = pow2_pages(entries * (((b >> BASER_ENTRY_SHIFT) & 0x1fu) + 1u));
		void *t = carve((size_t)pages);

		if (t == NULL)
			return BH_ERR_NO_MEMORY;
		mmio_write64(at, BASER_VALID | TABLE_ATTRS | ((uint64_t)type << BASER_TYPE_SHIFT) |
				  (uint64_t)(uintptr_t)t | (pages - 1u));
		return BH_OK;
	}
	return BH_OK; /* the ITS keeps these itself */
}

/* The ITS itself, once: its tables, its queue, the LPI configuration. */
static enum bh_err its_init(const struct platform_arch *a)
{
	if (its != 0u)
		return BH_OK;
	if (a->its_base == 0u)
		return BH_ERR_NOT_FOUND;
	TRY(mmu_map(a->its_base, GITS_SIZE, MMU_DEVICE));
	typer = mmio_read64(a->its_base + GITS_TYPER);
	lpi_config = carve(LPI_PROP_PAGES);
	cmdq = carve(CMD_QUEUE_PAGES);
	if (lpi_config == NULL || cmdq == NULL)
		return BH_ERR_NO_MEMORY;
	its = a->its_base;
	mmio_write32(its + GITS_CTLR, 0);
	TRY(its_table(BASER_TYPE_DEVICE, LPI_MAX_DEVID + 1u));
	TRY(its_table(BASER_TYPE_COLLECTION, MAX_CPUS));
	/* GICv4: one vPE per physical CPU (its vPE ID), for the vCPU pinned
	 * there. The first redistributor speaks for all (a GICv4 has vLPIs on
	 * every one; gicv3_its_cpu_enable checks each it uses). */
	uint64_t rd_typer = mmio_read64(a->gicr_base[0] + GICR_TYPER);

	/* GICv4.0 only: a GICv4.1 (RVPEID) lays VMAPP and GICR_VPROPBASER
	 * out otherwise; it keeps the emulated path. */
	virt = (typer & TYPER_VIRTUAL) != 0u && (rd_typer & GICR_TYPER_VLPIS) != 0u &&
	       (rd_typer & GICR_TYPER_RVPEID) == 0u;
	if (virt)
		TRY(its_table(BASER_TYPE_VPE, MAX_CPUS));
	mmio_write64(its + GITS_CBASER, BASER_VALID | CBASER_ATTRS | (uint64_t)(uintptr_t)cmdq |
				       (CMD_QUEUE_PAGES - 1u));
	mmio_write64(its + GITS_CWRITER, 0);
	mmio_write32(its + GITS_CTLR, GITS_CTLR_ENABLED);
	log_printf("its: ITS at 0x%llx for partitions' MSI, LPIs %u-%u%s\n",
		   (unsigned long long)its, ITS_LPI_FIRST,
		   ITS_LPI_FIRST + ITS_MAX_DEVICES * ITS_EVENTS - 1u,
		   virt ? ", GICv4: vLPIs injected directly" : "");
	return BH_OK;
}

enum bh_err gicv3_its_cpu_enable(const struct platform_arch *a, unsigned int cpu)
{
	uint64_t rd = gicv3_find_redistributor(a, cpus[cpu].hwid);

	if (its == 0u || rd == 0u)
		return BH_ERR_NOT_FOUND;
	if (virt && (mmio_read64(rd + GICR_TYPER) & GICR_TYPER_VLPIS) == 0u)
		return BH_ERR_NOT_FOUND; /* a GICv4 without vLPIs on this CPU */
	if ((mmio_read32(rd + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS) != 0u)
		return BH_OK; /* another partition's vCPU was here first: impossible, harmless */
	/* GICv4: the vPE's pending table in the same aligned run. */
	uint8_t *pend = carve(virt ? 2u * LPI_PEND_PAGES : LPI_PEND_PAGES);

	if (pend == NULL)
		return BH_ERR_NO_MEMORY;
	mmio_write64(rd + GICR_PROPBASER, (uint64_t)(uintptr_t)lpi_config | RD_ATTRS | (14u - 1u));
	mmio_write64(rd + GICR_PENDBASER, (uint64_t)(uintptr_t)pend | RD_ATTRS);
	__asm__ volatile("dsb sy" : : : "memory");
	mmio_write32(rd + GICR_CTLR, mmio_read32(rd + GICR_CTLR) | GICR_CTLR_ENABLE_LPIS);
	/* Collection @cpu: this CPU's redistributor. */
	uint64_t mapc[4] = {0x09u, 0, (1ull << 63) | rdbase(a, cpu) << 16 | cpu, 0};
	uint64_t sync[4] = {0x05u, 0, rdbase(a, cpu) << 16, 0};

	its_command(mapc);
	its_command(sync);
	if (virt) {
		/* vPE @cpu on this redistributor, its table (zeroed: no vLPI
		 * pending, the IMPDEF first 1 KiB as the architecture wants). */
		vpt[cpu] = (uint64_t)(uintptr_t)(pend + LPI_PEND_PAGES * PAGE_SIZE);
		uint64_t vmapp[4] = {0x29u, (uint64_t)cpu << 32, (1ull << 63) | rdbase(a, cpu) << 16,
				     vpt[cpu] | (VLPI_ID_BITS - 1u)};
		uint64_t vsync[4] = {0x25u, (uint64_t)cpu << 32, 0, 0};

		its_command(vmapp);
		its_command(vsync);
	}
	return BH_OK;
}

bool gicv3_its_virtual(void)
{
	return virt;
}

enum bh_err gicv3_its_add_device(const struct platform_arch *a, uint32_t devid, unsigned int *slot)
{
	static unsigned int devices;

	TRY(its_init(a));
	if (devid > LPI_MAX_DEVID)
		return BH_ERR_INVALID;
	if (devices == ITS_MAX_DEVICES)
		return BH_ERR_TOO_MANY;
	void *itt = carve(1);

	if (itt == NULL)
		return BH_ERR_NO_MEMORY;
	_Static_assert(ITS_EVENTS == 32u, "MAPD's size below is for 5 event bits");
	uint64_t mapd[4] = {0x08u | (uint64_t)devid << 32, 5u - 1u,
			    (1ull << 63) | (uint64_t)(uintptr_t)itt, 0};

	its_command(mapd);
	*slot = devices;
	devices++;
	return BH_OK;
}

void gicv3_its_map(uint32_t devid, unsigned int event, unsigned int lpi, unsigned int cpu)
{
	uint64_t w[4] = {0x0au | (uint64_t)devid << 32, event | (uint64_t)lpi << 32, cpu, 0};

	its_command(w);
}

static void event_command(uint8_t op, uint32_t devid, unsigned int event)
{
	uint64_t w[4] = {op | (uint64_t)devid << 32, event, 0, 0};

	its_command(w);
}

void gicv3_its_discard(uint32_t devid, unsigned int event)
{
	event_command(0x0fu, devid, event);
}

void gicv3_its_clear(uint32_t devid, unsigned int event)
{
	event_command(0x04u, devid, event);
}

void gicv3_its_move(uint32_t devid, unsigned int event, unsigned int cpu)
{
	uint64_t w[4] = {0x01u | (uint64_t)devid << 32, event, cpu, 0};

	its_command(w);
}

void gicv3_its_set_enabled(uint32_t devid, unsigned int event, unsigned int lpi, bool enabled)
{
	lpi_config[lpi - ITS_LPI_FIRST] = (uint8_t)(LPI_PRIORITY | LPI_GROUP1 | (enabled ? LPI_ENABLE : 0u));
	__asm__ volatile("dsb ishst" : : : "memory");
	event_command(0x0cu, devid, event);
}

void gicv3_its_vmap(uint32_t devid, unsigned int event, unsigned int vlpi, unsigned int cpu)
{
	uint64_t w[4] = {0x2au | (uint64_t)devid << 32, event | (uint64_t)cpu << 32,
			 vlpi | NO_DOORBELL << 32, 0};

	its_command(w);
}

void gicv3_its_vmove(uint32_t devid, unsigned int event, unsigned int cpu)
{
	uint64_t w[4] = {0x21u | (uint64_t)devid << 32, event | (uint64_t)cpu << 32, 0, 0};

	its_command(w);
}

void gicv3_its_int(uint32_t devid, unsigned int event)
{
	event_command(0x03u, devid, event);
}

void gicv3_its_set_vconfig(uint8_t *vprop, uint32_t devid, unsigned int event, unsigned int vlpi,
			   uint8_t byte)
{
	/* The guest's priority and enable; bit 1 is RES1. */
	vprop[vlpi - ITS_LPI_FIRST] = (uint8_t)((byte & 0xfdu) | LPI_GROUP1);
	__asm__ volatile("dsb ishst" : : : "memory");
	event_command(0x0cu, devid, event);
}

void gicv3_its_vpe_resident(uint64_t rd, const uint8_t *vprop, unsigned int cpu, bool resident)
{
	uint64_t at = rd + GICR_VLPI_FRAME;

	if (!resident) {
		mmio_write64(at + GICR_VPENDBASER, mmio_read64(at + GICR_VPENDBASER) & ~VPENDBASER_VALID);
		/* Dirty: the redistributor still writing the table back. */
		for (unsigned int spins = 0; spins < CMD_SPINS; spins++) {
			if ((mmio_read64(at + GICR_VPENDBASER) & VPENDBASER_DIRTY) == 0u)
				break;
		}
		return;
	}
	mmio_write64(at + GICR_VPROPBASER, (uint64_t)(uintptr_t)vprop | RD_ATTRS | (VLPI_ID_BITS - 1u));
	__asm__ volatile("dsb sy" : : : "memory");
	mmio_write64(at + GICR_VPENDBASER, VPENDBASER_VALID | vpt[cpu] | RD_ATTRS);
}

void gicv3_its_vpt_clear(unsigned int cpu)
{
	if (vpt[cpu] != 0u)
		(void)memset((void *)(uintptr_t)vpt[cpu], 0, LPI_PEND_PAGES * PAGE_SIZE);
}
