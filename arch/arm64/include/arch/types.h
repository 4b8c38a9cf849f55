/* SPDX-License-Identifier: Apache-2.0 */
/* arm64 halves of core structures (see core/include/bulkhead/arch.h). */
#ifndef ARCH_ARM64_TYPES_H
#define ARCH_ARM64_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/stage2.h>
#include <bulkhead/arm_platform.h>

struct vits_arch;

struct cpu_arch {
	/* Lowest usable address of this CPU's EL2 stack (the guard page is
	 * below it); the EL2 vectors check it (CPU_ARCH_STACK_BOTTOM). */
	uint64_t stack_bottom;
	/* The vCPU this CPU last entered (vcpu.c): the one any trap from a
	 * lower EL belongs to, found in two loads from TPIDR_EL2. */
	struct vcpu *vcpu;
	/* The ICC_SGI1R_EL1 value that kicks this CPU (GICv3), set by the
	 * CPU at its GIC's init: sgi_trap.S sends it in one load. */
	uint64_t kick_sgi1r;
};

/* A vCPU's emulated GICv3 redistributor: its SGIs and PPIs. */
struct vgicr {
	uint32_t pending; /* software-pending SGIs/PPIs, set by any CPU */
	uint32_t enabled;
	uint32_t group;
	uint32_t cfg1; /* ICFGR1: PPI trigger modes */
	uint32_t waker;
	/* Guest timers that fired with every list register taken: left
	 * active physically (so they cannot fire again) until one frees. */
	uint32_t held;
	uint8_t priority[32];
};

/* A vCPU's general registers while it is in its guest are in the CPU
 * itself; on a trap they are in the exception frame on the CPU's stack. */
#define VGIC_MAX_WAITING_LPIS 8u

struct vcpu_arch {
	uint64_t vmpidr; /* what MPIDR_EL1 reads in the guest */
	struct vgicr gicr;
	/* ICH_HCR_EL2.UIE (GICH_HCR's) as the vGIC last wrote it on this
	 * vCPU's CPU: vgic_flush reads this, not the register. */
	bool uie_armed;
	/* vLPIs waiting for a free list register (vits_lr.c): slots of
	 * INTID | priority << 16 (0: free) that another CPU's INT command may
	 * fill, and a count that tells the flush to look. */
	uint32_t lpi_count;
	uint32_t lpi_slot[VGIC_MAX_WAITING_LPIS];
};

/* The emulated PL011 behind a partition's virtual UART (under the
 * partition's uart_lock). */
struct vpl011 {
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
};

/* The partition's virtual UART interrupt: a purely virtual, level-sensitive
 * SPI (no physical twin), delivered to vCPU 0. */
struct vgic_vspi {
	uint32_t intid; /* 0: none */
	uint8_t priority;
	bool edge;    /* a channel's doorbell; else the virtual UART's line */
	bool enabled; /* by the guest; read by vCPU 0's flush */
	bool level;   /* the line (level), or the latched ring (edge); any CPU sets it */
};

/* Slot 0: the virtual UART's interrupt (intid 0 if none); then doorbells. */
#define VGIC_MAX_VSPIS 5

/* Shared peripheral interrupts a partition owns (its passthrough devices'). */
#define VGIC_MAX_SPIS 64

struct vgic_spis {
	uint16_t intid[VGIC_MAX_SPIS];
	uint8_t priority[VGIC_MAX_SPIS];
	uint64_t enabled; /* bit i: intid[i] enabled by the guest */
	uint64_t held;    /* bit i: intid[i] waiting for a list register */
	/* bit i: intid[i], level-triggered, ended by the guest while its line
	 * was high: kept active in the GIC until its line is looked at again
	 * (vgic_level.c) */
	uint64_t recheck;
	/* bit i: intid[i]'s line was still high when looked at again: until
	 * an end finds it low, its ends deactivate it at once */
	uint64_t stays_high;
	uint64_t edge;    /* bit i: intid[i] edge-triggered (guest's GICD_ICFGR) */
	uint64_t edge_at_boot; /* ... as the system DT says: restored on restart */
	unsigned int count;
	uint64_t route_mpidr; /* the physical CPU of vCPU 0 */
};

struct partition_arch {
	struct stage2 s2;
	struct vpl011 uart;
	uint64_t uart_base; /* guest-physical window of the virtual UART, */
	uint64_t uart_size; /* trapped and emulated (size 0: no UART) */
	uint64_t vgicd_base; /* guest-physical GIC windows, trapped and emulated */
	uint64_t vgicr_base;
	bool vgic_v2; /* a GICv2 distributor at vgicd_base, no redistributors */
	uint32_t vgicd_ctlr;
	struct vgic_spis spis;
	struct vgic_vspi vspi[VGIC_MAX_VSPIS];
	unsigned int vspi_count; /* slots in use, the UART's counted */
	/* The highest INTID among spis and vspi (31 with none): GICD_TYPER's
	 * line count, kept as they are added rather than found by a walk of
	 * both on every read (vgic_it_lines). */
	unsigned int last_intid;
	unsigned int abort_reports; /* rate limit for abort messages */
	/* The PMU's PPI (one bit, INTID) if the partition owns its CPUs' PMU,
	 * else 0; mirrored and HW-injected like the guest timers. */
	uint32_t pmu_ppi;
	bool pmu_trap; /* PMUv3 before v3p5: owner's accesses trapped (vpmu.c) */
	unsigned int rom_writes;    /* writes to its read-only flash, ignored */
	struct pgtable dma_s1; /* SMMU stage-1 tables (SMMUs without stage 2) */
	struct vits_arch *vits; /* its virtual ITS (vits.c), NULL if none */
	uint32_t gicd_typer_lpis; /* GICD_TYPER's LPI bits with one, else 0 */
};

enum psci_conduit {
	PSCI_CONDUIT_NONE = 0,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

/* Redistributor regions the DT may list (#redistributor-regions). */
#define GICR_MAX_REGIONS ARM_GICR_MAX_REGIONS

struct platform_arch {
	unsigned int gic_version; /* 2 or 3 */
	/* GICv3; the distributor also a GICv2's */
	uint64_t gicd_base;
	uint64_t gicd_size;
	uint64_t gicr_base[GICR_MAX_REGIONS]; /* redistributor regions */
	uint64_t gicr_size[GICR_MAX_REGIONS];
	unsigned int gicr_regions;
	/* GICv2: the CPU interface, the virtual interface control and the
	 * virtual CPU interface, each 8 KiB contiguous (past any 64 KiB
	 * aliasing); the CPU interface's address in the DT is where partitions
	 * find their virtual one. */
	uint64_t gicc_base;
	uint64_t gicc_dt_base;
	uint64_t gicc_size; /* as the DT gives them */
	uint64_t gich_base;
	uint64_t gicv_base;
	uint64_t gicv_size;
	uint64_t its_base; /* the ITS behind partitions' virtual ones, 0 if none */
	/* PSCI */
	enum psci_conduit psci_conduit;
	uint32_t psci_version;
	/* Generic timer */
	uint64_t timer_hz;
	uint32_t timer_irq_hyp; /* EL2 physical timer PPI (INTID) */
	/* PPIs a guest may own, one bit per INTID: the guest timers', and the
	 * PMU's when it is a PPI (platform.pmu_irq). Group 1, enabled only
	 * while a guest that owns them enables them. */
	uint32_t guest_ppis;
};

#endif
