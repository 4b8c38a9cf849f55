// SPDX-License-Identifier: Apache-2.0
/*
 * MSI through the virtual ITS (docs/passthrough.md, "MSI"). The partition
 * owns QEMU's PCIe host bridge and, through `pci-functions`, the first
 * `edu`; its DT has an ITS and the bridge's `msi-map` for that function.
 * It sets up LPIs as a GICv3 driver does (configuration and pending tables
 * in its RAM, GICR_PROPBASER/PENDBASER, EnableLPIs), the ITS (a command
 * queue in its RAM, MAPD, MAPC, MAPTI, INV, SYNC), points the edu's MSI
 * capability at the ITS's doorbell, has it raise events=N interrupts one
 * at a time and counts what it takes against what it raised.
 *
 * With hostile=1 it first tries what it must not get: LPI tables and a
 * command queue outside its memory (victim=, a physical address it does
 * not own), MAPD of the second edu's DeviceID (foreign=, a function it
 * does not own), MAPC to a vCPU it does not have, GICv4's VMAPTI to a vPE
 * it was never given; and afterwards an MSI
 * forged to the victim's memory and one with an event it never mapped.
 * Then the count must still come out right.
 *
 * With restart=1 it restarts its partition (PSCI SYSTEM_RESET) after the
 * count, its mappings left in place; the second boot checks that the ITS
 * and LPIs are off and the queue unset, that the edu (still programmed:
 * the hypervisor does not reset it) raising its MSI brings nothing, and
 * counts again after setting everything up anew.
 *
 * With bench=N it times N interrupts from the edu's raise (the store to
 * its register) to the first instruction of the guest's IRQ vector, as
 * irqbench times its interrupts (partitions/bench: stamped vectors, QEMU
 * -icount shift=0), for make bench's msi_latency.
 *
 * Its own exits around the count (the VCPU_EXITS hypercall) say which path
 * the MSI took: one or more each through the emulated virtual ITS, none
 * with GICv4's direct injection (docs/passthrough.md, "GICv4").
 */

#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "ecam_bridge.h"
#include "rt.h"
#include "../bench/bench.h"

#define EDU_VENDOR_DEVICE 0x11e81234u
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64
#define PCI_CAP_PTR 0x34
#define PCI_CAP_MSI 0x05
#define MSI_ENABLE 0x1u
#define MSI_64BIT 0x80u

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_TRANSLATER 0x10040
#define LPI_BASE 8192u
#define LPI_IDBITS 14u
#define EVENT 3u      /* the edu's MSI data: the event it raises */
#define UNMAPPED 7u   /* an event it never maps */
#define LPI_PRIO 0xa0u
#define MAX_EDUS 2
#define VCPU_EXITS 0xc6000004u

static uint64_t its;
static uint64_t edus[MAX_EDUS];
static unsigned int edu_devfn[MAX_EDUS];
static unsigned int edu_count;
static uint32_t devid;
static volatile unsigned int taken, stray;

static uint8_t prop_table[(1u << LPI_IDBITS) - LPI_BASE] __attribute__((aligned(4096)));
static uint8_t pend_table[(1u << LPI_IDBITS) / 8] __attribute__((aligned(65536)));
static uint64_t queue[4096 / 8] __attribute__((aligned(4096)));
static uint8_t itt[4096] __attribute__((aligned(4096)));
static unsigned int cwriter;

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static volatile uint64_t *mmio64(uint64_t a)
{
	return (volatile uint64_t *)(uintptr_t)a;
}

static volatile uint32_t *mmio32(uint64_t a)
{
	return (volatile uint32_t *)(uintptr_t)a;
}

/* ECAM, the 32-bit window and the ITS, from our DT; the DeviceID of
 * requester ID @rid through the bridge's msi-map (-1: none). */
static bool find_bridge(void)
{
	int its_node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,gic-v3-its");
	const fdt32_t *its_reg = its_node >= 0 ? fdt_getprop(rt_fdt, its_node, "reg", NULL) : NULL;

	if (its_reg == NULL || ecam_find_bridge() < 0)
		return false;
	its = reg64(its_reg);
	return window != 0;
}

static int64_t msi_devid(unsigned int rid)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "pci-host-ecam-generic");
	int len;
	const fdt32_t *map = fdt_getprop(rt_fdt, node, "msi-map", &len);

	for (int i = 0; map != NULL && i < len / 16; i++) {
		uint32_t base = fdt32_to_cpu(map[4 * i]), count = fdt32_to_cpu(map[4 * i + 3]);

		if (rid >= base && rid - base < count)
			return fdt32_to_cpu(map[4 * i + 2]) + (rid - base);
	}
	return -1;
}

static void enumerate(void)
{
	uint64_t next = window;

	for (unsigned int devfn = 0; devfn < 256 && edu_count < MAX_EDUS; devfn++) {
		if (*config(devfn, 0) != EDU_VENDOR_DEVICE)
			continue;
		edus[edu_count] = assign_bar0(devfn, &next);
		if (edus[edu_count] != 0)
			edu_devfn[edu_count++] = devfn;
	}
}

/* The edu's MSI capability: message to @address with @data, enabled. */
static bool set_msi(unsigned int devfn, uint64_t address, uint32_t data)
{
	unsigned int at = *config(devfn, PCI_CAP_PTR) & 0xfcu;

	while (at != 0 && (*config(devfn, at) & 0xffu) != PCI_CAP_MSI)
		at = (*config(devfn, at) >> 8) & 0xfcu;
	if (at == 0)
		return false;
	uint32_t head = *config(devfn, at);
	bool wide = ((head >> 16) & MSI_64BIT) != 0;

	*config(devfn, at + 4) = (uint32_t)address;
	if (wide)
		*config(devfn, at + 8) = (uint32_t)(address >> 32);
	*config(devfn, at + (wide ? 12 : 8)) = data;
	*config(devfn, at) = head | (MSI_ENABLE << 16);
	return true;
}

static void on_irq(unsigned int intid)
{
	if (intid == LPI_BASE + EVENT) {
		taken++;
	} else {
		stray++;
	}
	for (unsigned int i = 0; i < edu_count; i++) {
		uint32_t status = *mmio32(edus[i] + EDU_IRQ_STATUS);

		*mmio32(edus[i] + EDU_IRQ_ACK) = status;
	}
}

/* This vCPU's exits so far (the VCPU_EXITS hypercall, docs/hypercalls.md):
 * on a GICv4 an MSI takes none. */
static uint64_t exits(void)
{
	uint64_t r[4];

	rt_bulkhead_call(VCPU_EXITS, 0, 0, 0, r);
	return r[0] == 0 ? r[1] : ~0ull;
}

static void on_timer(void)
{
	/* only wakes raise_wait() */
}

/* One ITS command, then CWRITER moved past it; the emulation has run it
 * (or refused it) by the time the write returns: CREADR says so. */
static void command(uint64_t w0, uint64_t w1, uint64_t w2)
{
	uint64_t *slot = &queue[cwriter / 8];

	slot[0] = w0;
	slot[1] = w1;
	slot[2] = w2;
	slot[3] = 0;
	cwriter = (cwriter + 32) % sizeof(queue);
	__asm__ volatile("dsb ishst" : : : "memory");
	*mmio64(its + GITS_CWRITER) = cwriter;
	if (*mmio64(its + GITS_CREADR) != cwriter)
		printf("msi: CREADR 0x%llx, not 0x%x\n", (unsigned long long)*mmio64(its + GITS_CREADR),
		       cwriter);
}

static void mapd(uint32_t dev)
{
	command(0x08u | (uint64_t)dev << 32, 5u - 1u, 1ull << 63 | addr(itt));
}

static void mapc(unsigned int icid, unsigned int vcpu)
{
	command(0x09u, 0, 1ull << 63 | (uint64_t)vcpu << 16 | icid);
}

static uint64_t rd_frame(void)
{
	return (uint64_t)(uintptr_t)rt_gicr_sgi_reg(0) - 0x10000u;
}

static void set_queue(uint64_t base)
{
	*mmio32(its + GITS_CTLR) = 0;
	*mmio64(its + GITS_CBASER) = 1ull << 63 | base; /* one page */
	cwriter = 0;
	*mmio64(its + GITS_CWRITER) = 0;
	*mmio32(its + GITS_CTLR) = 1;
}

/* One interrupt raised and waited for @ticks at most: true if it came. */
static bool raise_wait(unsigned int edu, uint64_t ticks)
{
	unsigned int before = taken;
	uint64_t deadline = rt_counter() + ticks;

	/* The timer wakes the wait when nothing comes. */
	rt_vtimer_arm(deadline);
	*mmio32(edus[edu] + EDU_IRQ_RAISE) = 1;
	for (;;) {
		__asm__ volatile("msr daifset, #2" : : : "memory");
		if (taken != before || rt_counter() >= deadline)
			break;
		__asm__ volatile("wfi" : : : "memory");
		rt_irq_enable();
	}
	rt_irq_enable();
	rt_vtimer_stop();
	return taken != before;
}

static bool raise_one(unsigned int edu)
{
	return raise_wait(edu, rt_counter_hz());
}

/* One that must not arrive: 10 ms is thousands of times what one takes. */
static void raise_forged(unsigned int edu)
{
	(void)raise_wait(edu, rt_counter_hz() / 100);
}

#define MAX_SAMPLES 1000u

static void run_bench(unsigned int samples)
{
	static int64_t buf[MAX_SAMPLES];

	bench_hz = rt_counter_hz();
	__asm__ volatile("msr daifset, #2" : : : "memory");
	int64_t empty = bench_stamp_empty_cost(buf, samples);

	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_vectors));
	rt_irq_enable();
	for (unsigned int i = 0; i < samples; i++) {
		unsigned int before = taken;
		uint64_t sent = bench_store_on_tick(mmio32(edus[0] + EDU_IRQ_RAISE), 1);

		/* IRQs masked around the check: one that comes in between
		 * still ends the WFI. */
		for (;;) {
			__asm__ volatile("msr daifset, #2" : : : "memory");
			if (taken != before)
				break;
			__asm__ volatile("wfi" : : : "memory");
			rt_irq_enable();
		}
		rt_irq_enable();
		buf[i] = (int64_t)(bench_entry_ns(bench_irq_stamps[0].tick, bench_irq_stamps[0].spins) -
				   sent);
	}
	printf("msi: %u raised, %u taken\n", samples, taken);
	bench_report("msi", "msi", buf, samples, empty);
}

static void hostile_tables(uint64_t victim)
{
	uint64_t rd = rd_frame();
	uint64_t page = victim & ~0xfffull;

	/* LPI tables in the neighbour's memory: LPIs must stay off. */
	*mmio64(rd + GICR_PROPBASER) = page | (LPI_IDBITS - 1u);
	*mmio64(rd + GICR_PENDBASER) = addr(pend_table);
	*mmio32(rd + GICR_CTLR) = 1;
	printf("msi: PROPBASER outside: LPIs %s\n", (*mmio32(rd + GICR_CTLR) & 1u) ? "ON" : "off");
	/* A command queue there: refused, CBASER reads back not valid. */
	set_queue(page);
	printf("msi: CBASER outside: %s\n", (*mmio64(its + GITS_CBASER) >> 63) ? "ACCEPTED" : "refused");
}

int main(void)
{
	uint64_t victim = rt_bootarg_u64("victim", 0);
	uint64_t foreign = rt_bootarg_u64("foreign", 0);
	bool hostile = rt_bootarg_u64("hostile", 0) != 0;
	unsigned int events = (unsigned int)rt_bootarg_u64("events", 16);
	uint64_t bench = rt_bootarg_u64("bench", 0);

	rt_set_irq_handler(on_irq);
	rt_set_timer_handler(on_timer);
	if (!rt_gic_init() || !find_bridge()) {
		printf("msi: no PCIe host bridge or ITS in the device tree\n");
		psci_system_off();
	}
	rt_gic_enable(RT_TIMER_INTID, 0x80);
	enumerate();
	int64_t dev = edu_count != 0 ? msi_devid(edu_devfn[0]) : -1;

	if (dev < 0) {
		printf("msi: no edu with an msi-map entry\n");
		psci_system_off();
	}
	devid = (uint32_t)dev;
	printf("msi: ITS 0x%llx, edu %02x.%x DeviceID 0x%x, GITS_TYPER 0x%llx\n",
	       (unsigned long long)its, edu_devfn[0] >> 3, edu_devfn[0] & 7, devid,
	       (unsigned long long)*mmio64(its + GITS_TYPER));
	bool restart = rt_bootarg_u64("restart", 0) != 0;
	uint32_t boot = rt_boot_count();

	if (restart && boot > 1) {
		uint64_t rd0 = rd_frame();

		rt_irq_enable();
		raise_forged(0);
		rt_irq_disable();
		printf("msi: boot %u: GITS_CTLR %u, GITS_CBASER 0x%llx, EnableLPIs %u; stale MSI: %s\n",
		       (unsigned int)boot, (unsigned int)(*mmio32(its + GITS_CTLR) & 1u),
		       (unsigned long long)*mmio64(its + GITS_CBASER),
		       (unsigned int)(*mmio32(rd0 + GICR_CTLR) & 1u),
		       taken == 0 && stray == 0 ? "nothing" : "DELIVERED");
	}
	if (hostile && victim != 0)
		hostile_tables(victim);

	/* LPIs on this vCPU's redistributor, tables in our RAM. */
	uint64_t rd = rd_frame();

	for (unsigned int i = 0; i < sizeof(prop_table); i++)
		prop_table[i] = LPI_PRIO | 0x2u; /* disabled until mapped */
	prop_table[EVENT] = LPI_PRIO | 0x2u | 0x1u;
	__asm__ volatile("dsb ishst" : : : "memory");
	*mmio64(rd + GICR_PROPBASER) = addr(prop_table) | (LPI_IDBITS - 1u);
	*mmio64(rd + GICR_PENDBASER) = addr(pend_table);
	*mmio32(rd + GICR_CTLR) = 1;
	printf("msi: LPIs %s (GICR_TYPER.PLPIS %u)\n", (*mmio32(rd + GICR_CTLR) & 1u) ? "on" : "OFF",
	       (unsigned int)(*mmio64(rd + GICR_TYPER) & 1u));

	set_queue(addr(queue));
	if (hostile) {
		if (foreign != 0)
			mapd((uint32_t)foreign); /* the other edu's: refused */
		mapc(1, 5);                     /* a vCPU we do not have: refused */
		/* GICv4's VMAPTI (its ITS has no GITS_TYPER.Virtual), aimed at
		 * vPE 0, whoever that is on a GICv4 host: refused. */
		command(0x2au | (uint64_t)devid << 32, EVENT,
			(LPI_BASE + EVENT) | 1023ull << 32);
	}
	mapd(devid);
	mapc(0, 0);
	command(0x0au | (uint64_t)devid << 32, EVENT | (uint64_t)(LPI_BASE + EVENT) << 32, 0);
	command(0x0cu | (uint64_t)devid << 32, EVENT, 0); /* INV */
	command(0x05u, 0, 0);                               /* SYNC */
	if (!set_msi(edu_devfn[0], its + GITS_TRANSLATER, EVENT)) {
		printf("msi: the edu has no MSI capability\n");
		psci_system_off();
	}
	rt_irq_enable();

	if (bench != 0) {
		run_bench((unsigned int)(bench < MAX_SAMPLES ? bench : MAX_SAMPLES));
		psci_system_off();
	}

	unsigned int raised = 0;
	uint64_t exits_before = exits();

	for (unsigned int i = 0; i < events; i++) {
		raised++;
		(void)raise_one(0);
	}
	/* Less the second call's own trap. */
	uint64_t exits_taken = exits() - exits_before - 1u;

	printf("msi: %u raised, %u taken\n", raised, taken);
	printf("msi: %llu exits while they came\n", (unsigned long long)exits_taken);
	if (restart && boot == 1) {
		printf("msi: restarting with the ITS set up\n");
		psci_system_reset();
	}

	if (hostile) {
		unsigned int before = taken;

		/* An MSI forged to the neighbour's memory: the SMMU stops it. */
		if (victim != 0) {
			(void)set_msi(edu_devfn[0], victim, EVENT);
			raise_forged(0);
		}
		/* An event it never mapped: the ITS drops it. */
		(void)set_msi(edu_devfn[0], its + GITS_TRANSLATER, UNMAPPED);
		raise_forged(0);
		/* The function it does not own, told to signal our event: its
		 * stream is nobody's, the SMMU stops it. */
		if (edu_count > 1) {
			(void)set_msi(edu_devfn[1], its + GITS_TRANSLATER, EVENT);
			*config(edu_devfn[1], PCI_COMMAND) |= PCI_COMMAND_MASTER;
			raise_forged(1);
		}
		unsigned int forged = taken - before;

		/* Still working afterwards, and nothing forged came late. */
		(void)set_msi(edu_devfn[0], its + GITS_TRANSLATER, EVENT);
		bool after = raise_one(0);

		printf("msi: forged: %u taken\n", forged);
		printf("msi: after: %s\n", after && taken - before == 1 ? "taken" : "WRONG");
	}
	printf("msi: done (%u stray)\n", stray);
	psci_system_off();
}
