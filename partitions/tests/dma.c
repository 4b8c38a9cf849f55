// SPDX-License-Identifier: Apache-2.0
/*
 * DMA through the SMMU (docs/smmu.md). The partition owns QEMU's PCIe host
 * bridge with two `edu` devices on it, only the first listed in its
 * `pci-functions`. It finds them in its own DT and ECAM, gives them BARs,
 * then has them copy memory:
 *  - edu 0 to and from its own memory: the data must arrive;
 *  - edu 0 into another partition's memory (bootargs victim=, a physical
 *    address this partition does not map) and into the hypervisor's
 *    (hyp=): must be blocked, which the neighbour and the log confirm;
 *  - edu 0 reading the hypervisor's memory: must bring nothing back;
 *  - edu 1, a function nobody owns, into this partition's own memory: must
 *    be blocked all the same.
 * Linked at 0x80000000, away from every physical address it aims at.
 *
 * With bench=N in its bootargs it only times N round trips of 2 KiB through
 * edu 0 (memory to device, device to memory) and reports the throughput,
 * for make bench (with and without the SMMU).
 *
 * With storm=N it only makes a storm of DMA faults: an e1000 on the bus
 * (also in its pci-functions) gets a transmit ring at the victim= address,
 * outside the partition, and is told N times that 255 descriptors are
 * ready: each descriptor fetch is blocked by the SMMU, one event each.
 */

#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "ecam_bridge.h"
#include "rt.h"

#define EDU_VENDOR_DEVICE 0x11e81234u
#define EDU_ID 0x00
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_ACK 0x64
#define EDU_DMA_RUN 1u
#define EDU_DMA_IRQ 4u
#define EDU_DMA_TO_RAM 2u /* direction: device buffer to memory (clear: memory to buffer) */
#define EDU_BUFFER 0x40000ull /* the device's own 4 KiB, in its DMA space */
#define XFER 256

/* Intel 82540EM (QEMU's e1000): the transmit ring's registers in BAR 0. */
#define E1000_VENDOR_DEVICE 0x100e8086u
#define E1000_IMC 0x00d8
#define E1000_TCTL 0x0400
#define E1000_TCTL_EN 0x2u
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_RING 256 /* descriptors of 16 bytes: one 4 KiB ring */

#define MAX_EDUS 2

static uint64_t edus[MAX_EDUS];
static unsigned int edu_devfn[MAX_EDUS];
static unsigned int edu_count;
static uint64_t e1000; /* its BAR 0, if there is one */

static uint8_t source[XFER] __attribute__((aligned(64)));
static uint8_t target[XFER] __attribute__((aligned(64)));

/* The bridge's legacy interrupts (INTA-D of every slot), all enabled: the
 * edu raises its INTx when a transfer is done. */
static void enable_intx(int node)
{
	int len;
	const fdt32_t *map = fdt_getprop(rt_fdt, node, "interrupt-map", &len);

	/* Entries: PCI address (3), pin (1), GIC phandle (1), GIC triple (3). */
	for (int i = 0; map != NULL && i < len / 32; i++)
		rt_gic_enable_spi(fdt32_to_cpu(map[8 * i + 6]) + 32, 0x80);
}

/* ECAM and the 32-bit memory window, from the bridge node in our DT. */
static bool find_bridge(void)
{
	int node = ecam_find_bridge();

	if (node < 0)
		return false;
	enable_intx(node);
	return window != 0;
}

/* Every edu on bus 0 (up to two), and an e1000 if there is one. */
static void enumerate(void)
{
	uint64_t next = window;

	for (unsigned int devfn = 0; devfn < 256; devfn++) {
		uint32_t id = *config(devfn, 0);

		if (id == EDU_VENDOR_DEVICE && edu_count < MAX_EDUS) {
			edus[edu_count] = assign_bar0(devfn, &next);
			if (edus[edu_count] != 0)
				edu_devfn[edu_count++] = devfn;
		} else if (id == E1000_VENDOR_DEVICE && e1000 == 0) {
			e1000 = assign_bar0(devfn, &next);
		}
	}
}

static volatile uint32_t *nic_reg(unsigned int offset)
{
	return (volatile uint32_t *)(uintptr_t)(e1000 + offset);
}

/* The e1000's transmit ring at @ring (outside the partition): every
 * descriptor fetch a blocked DMA read. Each round moves the tail 255
 * descriptors on, which the device fetches at once. */
static void dma_storm(uint64_t ring, uint64_t rounds)
{
	unsigned int tail = 0;

	*nic_reg(E1000_IMC) = ~0u; /* no interrupts: the partition has no handler for them */
	*nic_reg(E1000_TDBAL) = (uint32_t)ring;
	*nic_reg(E1000_TDBAH) = (uint32_t)(ring >> 32);
	*nic_reg(E1000_TDLEN) = E1000_RING * 16;
	*nic_reg(E1000_TDH) = 0;
	*nic_reg(E1000_TDT) = 0;
	*nic_reg(E1000_TCTL) = E1000_TCTL_EN;
	for (uint64_t i = 0; i < rounds; i++) {
		tail = (tail + E1000_RING - 1) % E1000_RING;
		*nic_reg(E1000_TDT) = tail;
	}
	printf("dma: storm: %llu descriptor fetches asked for, the device's head at %u\n",
	       (unsigned long long)(rounds * (E1000_RING - 1)), (unsigned int)*nic_reg(E1000_TDH));
}

static volatile uint64_t *edu_reg(unsigned int edu, unsigned int offset)
{
	return (volatile uint64_t *)(uintptr_t)(edus[edu] + offset);
}

static void on_irq(unsigned int intid)
{
	(void)intid;
	for (unsigned int i = 0; i < edu_count; i++) {
		uint32_t status = *(volatile uint32_t *)(uintptr_t)(edus[i] + EDU_IRQ_STATUS);

		*(volatile uint32_t *)(uintptr_t)(edus[i] + EDU_IRQ_ACK) = status;
	}
}

/* One transfer, waited for in WFI until the edu's interrupt says it is
 * done (it takes 100 ms of virtual time). */
static void edu_dma(unsigned int edu, uint64_t src, uint64_t dst, uint64_t count, bool from_ram)
{
	*edu_reg(edu, EDU_DMA_SRC) = src;
	*edu_reg(edu, EDU_DMA_DST) = dst;
	*edu_reg(edu, EDU_DMA_COUNT) = count;
	__asm__ volatile("dsb sy" : : : "memory");
	*edu_reg(edu, EDU_DMA_CMD) = EDU_DMA_RUN | EDU_DMA_IRQ | (from_ram ? 0 : EDU_DMA_TO_RAM);
	while (*edu_reg(edu, EDU_DMA_CMD) & EDU_DMA_RUN)
		__asm__ volatile("wfi" : : : "memory");
}

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void fill(uint8_t *buf, uint8_t seed)
{
	for (unsigned int i = 0; i < XFER; i++)
		buf[i] = (uint8_t)(seed + 7 * i);
}

static bool all_zero(const uint8_t *buf)
{
	for (unsigned int i = 0; i < XFER; i++) {
		if (buf[i] != 0)
			return false;
	}
	return true;
}

int main(void)
{
	uint64_t victim = rt_bootarg_u64("victim", 0);
	uint64_t hyp = rt_bootarg_u64("hyp", 0);

	rt_set_irq_handler(on_irq);
	if (!rt_gic_init() || !find_bridge()) {
		printf("dma: no PCIe host bridge in the device tree\n");
		psci_system_off();
	}
	enumerate();
	printf("dma: ECAM 0x%llx, %u edu device(s):", (unsigned long long)ecam, edu_count);
	for (unsigned int i = 0; i < edu_count; i++)
		printf(" %02x.%x", edu_devfn[i] >> 3, edu_devfn[i] & 7);
	printf("\n");
	uint64_t storm = rt_bootarg_u64("storm", 0);

	if (storm != 0) {
		if (e1000 == 0)
			printf("dma: storm: no e1000 on the bus\n");
		else
			dma_storm(victim, storm);
		psci_system_off();
	}
	if (edu_count == 0)
		psci_system_off();
	rt_irq_enable();
	uint64_t rounds = rt_bootarg_u64("bench", 0);

	if (rounds != 0) {
		const uint64_t chunk = 2048; /* within the edu's 4 KiB buffer */
		static uint8_t bulk[2048] __attribute__((aligned(64)));
		uint64_t start = rt_counter();

		for (uint64_t i = 0; i < rounds; i++) {
			edu_dma(0, addr(bulk), EDU_BUFFER, chunk, true);
			edu_dma(0, EDU_BUFFER, addr(bulk), chunk, false);
		}
		uint64_t ticks = rt_counter() - start;

		printf("dma: bench: %llu bytes in %llu ticks at %llu Hz\n",
		       (unsigned long long)(2 * rounds * chunk), (unsigned long long)ticks,
		       (unsigned long long)rt_counter_hz());
		psci_system_off();
	}

	/* Own memory, both ways: RAM -> device -> RAM. */
	fill(source, 0x11);
	memset(target, 0, sizeof(target));
	edu_dma(0, addr(source), EDU_BUFFER, XFER, true);
	edu_dma(0, EDU_BUFFER, addr(target), XFER, false);
	printf("dma: own memory: %s\n", memcmp(source, target, XFER) == 0 ? "arrived" : "LOST");

	/* Into the neighbour and into the hypervisor: the device's buffer
	 * still holds the pattern above. */
	if (victim != 0)
		edu_dma(0, EDU_BUFFER, victim, XFER, false);
	if (hyp != 0)
		edu_dma(0, EDU_BUFFER, hyp, XFER, false);
	printf("dma: wrote to the neighbour at 0x%llx and the hypervisor at 0x%llx\n",
	       (unsigned long long)victim, (unsigned long long)hyp);

	/* Reading the hypervisor: a blocked read gives the device zeros (QEMU)
	 * or leaves its buffer as it was; anything else is the hypervisor's. */
	if (hyp != 0) {
		memset(target, 0xee, sizeof(target));
		edu_dma(0, hyp, EDU_BUFFER, XFER, true);
		edu_dma(0, EDU_BUFFER, addr(target), XFER, false);
		printf("dma: read of the hypervisor: %s\n",
		       all_zero(target) || memcmp(source, target, XFER) == 0 ? "nothing came back"
									 : "LEAKED");
	}

	/* A function nobody owns, into our own memory. */
	if (edu_count > 1) {
		memset(target, 0, sizeof(target));
		edu_dma(1, addr(source), EDU_BUFFER, XFER, true);
		edu_dma(1, EDU_BUFFER, addr(target), XFER, false);
		printf("dma: unowned device: %s\n", all_zero(target) ? "blocked" : "GOT THROUGH");
	}
	printf("dma: done\n");
	psci_system_off();
}
