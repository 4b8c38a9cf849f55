// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzzing the virtual GIC (arch/arm64/vgic.c, vspi.c, and the GICv2
 * distributor of vgicv2_dist.c for half the inputs: the top bit of the
 * first byte) on the host against
 * the fake GIC of the unit tests: a partition of 1 to 4 vCPUs owning up to
 * four SPIs, a virtual UART SPI and two doorbells, driven by the input as a sequence of
 * operations (distributor and redistributor accesses of any offset, value
 * and size, SGIs, timer and SPI injections, the guest acknowledging and
 * ending list-register entries, flushes, maintenance, resets).
 *
 * Oracles besides the sanitizers: the physical GIC never has an SPI the
 * partition does not own enabled or routed, nor a private interrupt other
 * than the guest timers enabled by the vGIC; no list register ever holds
 * an SPI the partition does not own; a doorbell is never in two list
 * registers (rings coalesce).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/fake.h>
#include <arch/gic_ich.h>
#include <arch/gic.h>
#include <arch/guest.h>
#include <bulkhead/partition.h>

#include "../unit/fake_gic.h"
#include "fuzz.h"

#define GICD_BASE 0x08000000ull
#define GICR_BASE 0x080a0000ull
#define GICR_FRAME 0x20000ull
#define VUART_SPI 33
/* Two channels' doorbells: purely virtual edge SPIs, above the owned ones. */
#define DOORBELL_SPI 100
#define DOORBELLS 2
#define MAX_FUZZ_VCPUS 4
#define MAX_FUZZ_SPIS 4

static struct partition_config cfg;
static struct partition part;
static struct vcpu vcpus[MAX_FUZZ_VCPUS];
static bool owned[FAKE_GIC_INTIDS];

static void fail(const char *what, unsigned int intid)
{
	fprintf(stderr, "vgic invariant broken: %s (INTID %u)\n", what, intid);
	abort();
}

static void check_invariants(void)
{
	for (unsigned int intid = 32; intid < FAKE_GIC_INTIDS; intid++) {
		if (owned[intid])
			continue;
		if (fake_gic.spi_enabled[intid])
			fail("an SPI the partition does not own is enabled", intid);
		if (fake_gic.spi_routed[intid])
			fail("an SPI the partition does not own is routed", intid);
	}
	for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (fake_gic.ppi_enabled[cpu] & ~(uint32_t)GIC_GUEST_TIMER_PPIS)
			fail("a private interrupt other than the guest timers is enabled", cpu);
	}
	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++) {
		unsigned int vintid = (unsigned int)(fake_gic.lr[n] & 0x3ff);

		bool doorbell = vintid >= DOORBELL_SPI && vintid < DOORBELL_SPI + DOORBELLS;

		if ((fake_gic.lr[n] & ICH_LR_STATE_MASK) && vintid >= 32 && vintid != VUART_SPI &&
		    !doorbell && !owned[vintid])
			fail("a list register holds an SPI the partition does not own", vintid);
		/* Only doorbells: the fake's one set of list registers serves
		 * every vCPU here, and only vCPU 0 ever flushes doorbells. */
		for (unsigned int m = 0; doorbell && m < n; m++) {
			if ((fake_gic.lr[n] & ICH_LR_STATE_MASK) && (fake_gic.lr[m] & ICH_LR_STATE_MASK) &&
			    (fake_gic.lr[m] & 0x3ff) == vintid)
				fail("a doorbell in two list registers", vintid);
		}
	}
}

static void setup(struct fuzz_input *in)
{
	uint64_t first = fuzz_take(in, 1);
	unsigned int n = 1 + (unsigned int)(first % MAX_FUZZ_VCPUS);
	unsigned int spis = (unsigned int)(fuzz_take(in, 1) % (MAX_FUZZ_SPIS + 1));

	memset(&cfg, 0, sizeof(cfg));
	memset(&part, 0, sizeof(part));
	memset(vcpus, 0, sizeof(vcpus));
	memset(owned, 0, sizeof(owned));
	fake_gic_reset();
	cfg.cpu_count = n;
	part.cfg = &cfg;
	part.state = PARTITION_RUNNING;
	part.arch.vgicd_base = GICD_BASE;
	part.arch.vgicr_base = GICR_BASE;
	part.arch.vgic_v2 = (first >> 7) & 1;
	for (unsigned int i = 0; i < n; i++) {
		cfg.cpus[i] = i + 1;
		vcpus[i] = (struct vcpu){.part = &part, .index = i, .pcpu = i + 1,
					 .state = VCPU_RUNNING};
		part.vcpus[i] = &vcpus[i];
	}
	for (unsigned int i = 0; i < spis; i++) {
		unsigned int intid = 34 + (unsigned int)(fuzz_take(in, 1) % 64); /* never the vUART's */

		owned[intid] = true;
		vgic_add_spi(&part, intid, fuzz_take(in, 1) & 1, 0x1);
	}
	vgic_add_virtual_spi(&part, VUART_SPI);
	for (unsigned int i = 0; i < DOORBELLS; i++)
		vgic_add_doorbell_spi(&part, DOORBELL_SPI + i);
	for (unsigned int i = 0; i < n; i++)
		vgic_vcpu_reset(&vcpus[i]);
}

/* The guest acknowledging (pending -> active) or ending (active -> gone) a
 * list register entry, as the CPU interface would. */
static void guest_touches_lr(unsigned int n, bool end)
{
	uint64_t *lr = &fake_gic.lr[n % FAKE_ICH_LRS];

	if (!end && (*lr & ICH_LR_STATE_MASK) == ICH_LR_PENDING)
		*lr = (*lr & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	else if (end && (*lr & ICH_LR_ACTIVE))
		*lr &= ~ICH_LR_STATE_MASK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};

	setup(&in);
	for (unsigned int steps = 0; in.left > 0 && steps < 256; steps++) {
		unsigned int op = (unsigned int)fuzz_take(&in, 1);
		struct vcpu *v = &vcpus[fuzz_take(&in, 1) % cfg.cpu_count];
		uint64_t value;

		switch (op % 10) {
		case 0:
		case 1: { /* distributor or redistributor access */
			uint64_t base = op % 10 == 0 ? GICD_BASE : GICR_BASE;
			uint64_t span = op % 10 == 0 ? 0x10000 : GICR_FRAME * MAX_FUZZ_VCPUS;
			uint64_t off = fuzz_take(&in, 4) % span;
			unsigned int bytes = 1u << (fuzz_take(&in, 1) % 4);

			value = fuzz_take(&in, 8);
			vgic_mmio(v, base + (off & ~(uint64_t)(bytes - 1)), (op & 0x10) != 0, &value,
				  bytes);
			break;
		}
		case 2:
			vgic_send_sgi(v, fuzz_take(&in, 8));
			break;
		case 3:
			vgic_inject_hw(v, (fuzz_take(&in, 1) & 1) ? 27 : 30);
			break;
		case 4:
			vgic_inject_spi(v, 32 + (unsigned int)(fuzz_take(&in, 1) % 100));
			break;
		case 5:
			guest_touches_lr((unsigned int)fuzz_take(&in, 1), (op & 0x10) != 0);
			break;
		case 6:
			vgic_flush(v);
			break;
		case 7:
			vgic_maintenance(v);
			break;
		case 8:
			if (op & 0x20)
				vgic_raise_doorbell(&part, DOORBELL_SPI + (op & 0x10 ? 1 : 0));
			else
				vgic_set_virtual_spi_level(&part, (op & 0x10) != 0);
			break;
		default:
			if ((op & 0xf0) == 0xf0)
				vgic_vcpu_reset(v);
			break;
		}
		check_invariants();
	}
	return 0;
}
