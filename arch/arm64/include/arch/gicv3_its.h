/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The physical GICv3 ITS (gicv3_its.c), which backs partitions' virtual
 * ITSs (vits.c): LPIs for the functions they own, each mapped to the
 * collection of one physical CPU. Boot CPU only for the setup calls (they
 * take tables from the carve); the command calls may come from any CPU.
 */
#ifndef ARCH_ARM64_GICV3_ITS_H
#define ARCH_ARM64_GICV3_ITS_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/types.h>
#include <bulkhead/error.h>

/* Each device gets a block of 32 physical LPIs from here on. */
#define ITS_LPI_FIRST 8192u
#define ITS_EVENTS 32u
#define ITS_MAX_DEVICES 64u

/* The ITS's tables and LPIs on CPU @cpu (boot CPU; once each). */
enum bh_err gicv3_its_cpu_enable(const struct platform_arch *a, unsigned int cpu);

/* A function's DeviceID mapped with a 32-event ITT: *@slot is its block
 * of LPIs (ITS_LPI_FIRST + slot * ITS_EVENTS + event). Boot CPU. */
enum bh_err gicv3_its_add_device(const struct platform_arch *a, uint32_t devid, unsigned int *slot);

/* Commands, waited for: event @event of @devid to physical LPI @lpi on
 * CPU @cpu's collection; dropped; moved; its pending state cleared. */
void gicv3_its_map(uint32_t devid, unsigned int event, unsigned int lpi, unsigned int cpu);
void gicv3_its_discard(uint32_t devid, unsigned int event);
void gicv3_its_move(uint32_t devid, unsigned int event, unsigned int cpu);
void gicv3_its_clear(uint32_t devid, unsigned int event);
/* LPI @lpi enabled or not (group 1, the hypervisor's priority for guest
 * interrupts), and the ITS told to reread it. */
void gicv3_its_set_enabled(uint32_t devid, unsigned int event, unsigned int lpi, bool enabled);

/* GICv4 (docs/passthrough.md, "GICv4"): the ITS and every redistributor
 * can inject vLPIs. Each physical CPU is a vPE (its index the vPE ID),
 * mapped (VMAPP) with a pending table of its own by gicv3_its_cpu_enable. */
bool gicv3_its_virtual(void);
/* Event @event of @devid to vLPI @vlpi of CPU @cpu's vPE (VMAPTI, no
 * doorbell); moved to another vPE (VMOVI); made pending (INT). */
void gicv3_its_vmap(uint32_t devid, unsigned int event, unsigned int vlpi, unsigned int cpu);
void gicv3_its_vmove(uint32_t devid, unsigned int event, unsigned int cpu);
void gicv3_its_int(uint32_t devid, unsigned int event);
/* The configuration byte of @vlpi in a partition's vLPI table @vprop set
 * from the guest's @byte, and the ITS told to reread it (INV). */
void gicv3_its_set_vconfig(uint8_t *vprop, uint32_t devid, unsigned int event, unsigned int vlpi,
			   uint8_t byte);
/* CPU @cpu's vPE made resident on redistributor @rd with the vLPI table
 * @vprop (GICR_VPROPBASER, GICR_VPENDBASER.Valid), or not. That CPU only. */
void gicv3_its_vpe_resident(uint64_t rd, const uint8_t *vprop, unsigned int cpu, bool resident);
/* CPU @cpu's vPE pending table emptied (not resident: a restart). */
void gicv3_its_vpt_clear(unsigned int cpu);

#endif
