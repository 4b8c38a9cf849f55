// SPDX-License-Identifier: Apache-2.0
/*
 * Traps from guests. Each is decoded completely before anything is done;
 * whatever a guest does, the outcome is emulation, an exception injected
 * into that guest, or its partition stopping: never a hypervisor fault.
 */

#include <bulkhead/channel.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/arm64.h>
#include <arch/frame.h>
#include <arch/gic.h>
#include <arch/icc.h>
#include <arch/guest.h>
#include <arch/guest_skip.h>
#include <arch/hyp_timer.h>
#include <arch/smmuv3.h>
#include <arch/vits.h>
#include <arch/sysreg.h>
#include <arch/vflash.h>

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25

#define ISS_DABT_ISV (1u << 24)
#define ISS_DABT_WNR (1u << 6)
#define ISS_DABT_SSE (1u << 21) /* sign-extend the loaded value */
#define ISS_DABT_SF (1u << 15)  /* the register is 64 bits wide (else W) */
#define FSC_SYNC_EXTERNAL 0x10

#define PSR_MODE_MASK 0xfull
#define PSR_MODE_EL0T 0x0ull
#define PSR_MODE_EL1T 0x4ull
#define PSR_MODE_EL1H 0x5ull
#define PSR_DAIF (0xfull << 6)

/* At most this many abort reports per partition, then silence. */
#define ABORT_REPORT_LIMIT 8

/* From EL0: AArch64's EL0t, or AArch32 (only its EL0 can be: EL1 is AArch64). */
static bool from_el0(uint64_t spsr)
{
	return (spsr & PSR_AA32) != 0u || (spsr & PSR_MODE_MASK) == PSR_MODE_EL0T;
}

/*
 * Deliver a synchronous exception to the guest's EL1 as the hardware would:
 * save its PC and PSTATE in ELR/SPSR_EL1 and continue at its vector, the
 * one for where it came from: EL1 with SP_EL0 or SP_EL1, or a lower EL in
 * AArch64 or in AArch32.
 */
static void inject_sync(struct exception_frame *f, uint64_t esr, uint64_t far)
{
	uint64_t mode = f->spsr & PSR_MODE_MASK;
	uint64_t offset = (f->spsr & PSR_AA32) != 0u ? 0x600
			  : mode == PSR_MODE_EL0T ? 0x400 : mode == PSR_MODE_EL1T ? 0x000 : 0x200;

	write_sysreg(elr_el1, f->elr);
	write_sysreg(spsr_el1, f->spsr);
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	f->elr = read_sysreg(vbar_el1) + offset;
	f->spsr = PSR_DAIF | PSR_MODE_EL1H;
}

static void inject_undef(struct exception_frame *f)
{
	inject_sync(f, (uint64_t)EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL, 0);
}

static void inject_external_abort(struct exception_frame *f, bool instruction, uint64_t va)
{
	bool lower = from_el0(f->spsr);
	uint64_t ec = instruction ? (lower ? EC_IABT_LOW : EC_IABT_CUR)
				  : (lower ? EC_DABT_LOW : EC_DABT_CUR);

	inject_sync(f, ec << ESR_EC_SHIFT | ESR_IL | FSC_SYNC_EXTERNAL, va);
}

static void report_abort(struct vcpu *v, const char *what, uint64_t ipa, uint64_t va,
			 uint64_t pc)
{
	struct partition_arch *a = &v->part->arch;

	if (a->abort_reports >= ABORT_REPORT_LIMIT) {
		partition_fault(v->part, what);
		return;
	}
	a->abort_reports++;
	log_printf("partition %s: vCPU %u: %s at IPA 0x%llx (VA 0x%llx, PC 0x%llx): "
		   "external abort injected%s\n", v->part->cfg->name, v->index, what,
		   (unsigned long long)ipa, (unsigned long long)va, (unsigned long long)pc,
		   a->abort_reports == ABORT_REPORT_LIMIT ? "; further aborts not reported" : "");
	partition_fault(v->part, what); /* after the report: its policy may log the outcome */
}

static uint64_t fault_ipa(uint64_t far)
{
	uint64_t hpfar = read_sysreg(hpfar_el2);

	return ((hpfar >> 4) << 12) | (far & 0xfff);
}

/* Emulated devices: the virtual UART, the virtual GIC, channels' doorbell pages. */
static bool emulate(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	uint64_t offset;

	if (guest_vuart_hit(v->part, ipa, &offset)) {
		if (write)
			vpl011_write(v, offset, *value, size);
		else
			*value = vpl011_read(v->part, offset, size);
		return true;
	}
	/* A virtual ITS (its frame, the redistributors' LPI registers, which
	 * the vGIC leaves to it) after the vGIC; the test inline: most
	 * partitions have none. */
	return vgic_mmio(v, ipa, write, value, size) ||
	       (v->part->arch.vits != NULL && vits_mmio(v, ipa, write, value, size)) ||
	       channel_doorbell_access(v->part, ipa, write, value); /* out of line: keeps the GIC's trap short */
}

/*
 * A store to a read-only flash region: ignored, as a flash chip ignores a
 * write it does not take as a command. EDK2's early code stores into its
 * own flash, which QEMU's flash ignores, so an abort here would stop
 * working firmware; the region stays as it was either way. Logged once per
 * partition, never counted as a fault.
 */
static void rom_write_ignored(struct vcpu *v, struct exception_frame *f, uint64_t ipa)
{
	struct partition_arch *a = &v->part->arch;

	if (a->rom_writes++ == 0u)
		log_printf("partition %s: vCPU %u: write to its read-only flash at IPA 0x%llx "
			   "(PC 0x%llx) ignored; further ones not reported\n", v->part->cfg->name,
			   v->index, (unsigned long long)ipa, (unsigned long long)f->elr);
	guest_skip_instruction(f);
}

/* A load's result into its register: only its own bytes of what the
 * device returned, zero- or sign-extended to the register's width. The
 * syndrome is read again from the frame rather than kept live across the
 * emulation, which would cost callee-saved registers on every trap. */
static void complete_load(struct exception_frame *f, uint64_t loaded)
{
	uint32_t iss = (uint32_t)(f->esr & 0x1ffffffu);
	unsigned int bits = 8u << ((iss >> 22) & 3u);
	unsigned int reg = (iss >> 16) & 31u;
	uint64_t value = loaded;

	if (bits < 64u)
		value &= (1ULL << bits) - 1ULL;
	if ((iss & ISS_DABT_SSE) != 0u && bits < 64u) {
		unsigned int top = bits - 1u;
		uint64_t sign = 1ULL << top;

		if ((value & sign) != 0ULL)
			value |= ~0ull << bits; /* sign-extended */
	}
	if ((iss & ISS_DABT_SF) == 0u)
		value &= 0xffffffffull;
	if (reg != 31u)
		f->x[reg] = value;
}

/* An access that cannot be emulated: contained, as an external abort
 * injected into the guest (a store to its read-only flash excepted).
 * Out of line: the emulated accesses around it then save fewer registers. */
static __attribute__((noinline, cold)) void abort_outside(struct vcpu *v, struct exception_frame *f,
							   uint32_t iss, uint64_t ipa)
{
	/* A CFI flash bank's command, or a load while it is out of its
	 * array mode: emulated (only with a syndrome, as for any device). */
	if ((iss & ISS_DABT_ISV) != 0u && v->part->cfg->flash_count != 0u) {
		bool write = (iss & ISS_DABT_WNR) != 0u;
		unsigned int reg = (iss >> 16) & 31u;
		uint64_t value = write && reg != 31u ? f->x[reg] : 0u;
		enum vflash_result r = vflash_access(v->part, ipa, write, &value,
						     1u << ((iss >> 22) & 3u));

		if (r == VFLASH_DONE) {
			if (!write)
				complete_load(f, value);
			guest_skip_instruction(f);
			return;
		}
		if (r == VFLASH_OUTSIDE) {
			report_abort(v, "access past the end of its flash", ipa, f->far, f->elr);
			inject_external_abort(f, false, f->far);
			return;
		}
	}
	if ((iss & ISS_DABT_WNR) != 0u && config_ipa_in_rom(v->part->cfg, ipa)) {
		rom_write_ignored(v, f, ipa);
		return;
	}
	report_abort(v, channel_read_only_at(v->part, ipa) && (iss & ISS_DABT_WNR)
				? "write to a read-only channel" : "data access outside the partition",
		     ipa, f->far, f->elr);
	inject_external_abort(f, false, f->far);
}

/* Out of line and straight from guest_trap: the trap of every emulated
 * device register (the GIC's above all) pays for no other trap's decoding. */
static __attribute__((noinline)) void data_abort(struct vcpu *v, struct exception_frame *f)
{
	uint32_t iss = (uint32_t)(f->esr & 0x1ffffff);

	/* Without a syndrome (ISV) an access cannot be emulated safely. */
	if (iss & ISS_DABT_ISV) {
		unsigned int size = 1u << ((iss >> 22) & 3);
		unsigned int reg = (iss >> 16) & 31;
		bool write = (iss & ISS_DABT_WNR) != 0;
		uint64_t value = write && reg != 31 ? f->x[reg] : 0;

		if (emulate(v, fault_ipa(f->far), write, &value, size)) {
			if (!(f->esr & ISS_DABT_WNR))
				complete_load(f, value);
			guest_skip_instruction(f); /* a T32 load or store may be 16 bits */
			return;
		}
	}
	abort_outside(v, f, iss, fault_ipa(f->far)); /* HPFAR_EL2 still holds it */
}

/*
 * Physical interrupts while a guest runs: the kick only needs its exit
 * check; the guest's timer goes to it through a list register, staying
 * active until the guest's EOI deactivates it.
 */
/* The hypervisor's own interrupts, wherever they arrive (a CPU running a
 * guest, or an idle one): the watchdog timer, console input, the SMMUs'
 * events. Each handler ignores an INTID that is not its own. */
static void hypervisor_interrupt(unsigned int intid)
{
	if (intid == GIC_PPI_HYP_TIMER)
		hyp_timer_interrupt(); /* the watchdog's (vCPU 0 may be off, the partition not), the vGIC's */
	console_input_interrupt(intid);
	smmuv3_interrupt(intid);
}

/* One acknowledged physical interrupt (@intid) on @v's CPU; false when
 * there was none (spurious), which ends physical_irq's loop. */
static inline __attribute__((always_inline)) bool physical_irq_one(struct vcpu *v, bool v2, unsigned int intid)
{
	if (intid >= GIC_SPURIOUS) {
		if (intid < GIC_LPI_FIRST) {
			/* None (1023). Any interrupt is a chance to move
			 * console output on, without waiting for the UART. */
			console_drain();
			return false;
		}
		/* An LPI: a partition's MSI (vits.c; one no device of
		 * this partition owns is dropped). It has no active
		 * state: nothing to deactivate. */
		icc_priority_drop_on(v2, intid);
		(void)vits_lpi(v, intid);
		return true;
	}
	icc_priority_drop_on(v2, intid);
	if (intid < 32 && ((1u << intid) & GIC_GUEST_TIMER_PPIS) && vgic_inject_hw(v, intid))
		return true;
	if (intid >= 32 && vgic_inject_spi(v, intid))
		return true;
	/* The PMU's overflow PPI, on the CPU of a vCPU that owns it. */
	if (intid < 32U && ((v->part->arch.pmu_ppi >> intid) & 1U) != 0U && vgic_inject_hw(v, intid))
		return true;
	/* The maintenance interrupt is a level: it stays asserted, and would
	 * be taken again at once, until what raised it is ended (EOI'd list
	 * registers cleared, underflow off); the flush before eret refills
	 * the list registers and re-arms underflow if still needed. */
	if (intid == GIC_PPI_MAINTENANCE)
		vgic_maintenance(v);
	else if (intid != GIC_SGI_KICK)
		hypervisor_interrupt(intid); /* here with no CPU free for it */
	else {
		/* the kick: no device's, nothing to hand on */
	}
	/* The kick and maintenance interrupts just bring us here: the
	 * flush on the way back into the guest does the work. */
	icc_deactivate_on(v2, intid);
	return true;
}

/* Every physical interrupt pending on @v's CPU, acknowledged in turn. */
static inline __attribute__((always_inline)) void physical_irq(struct vcpu *v)
{
	bool v2 = gic_v2;

	while (physical_irq_one(v, v2, icc_ack_on(v2))) {
		/* the next */
	}
}

/* Interrupts that woke an idle CPU: the hypervisor's own have work to do;
 * the others (a stray kick) only woke it. A guest timer (or PMU) PPI still
 * enabled here belongs to a vCPU that left with it armed: being a
 * level, it would fire again at once for ever, so it is disabled (the next
 * vCPU to start here resets it). */
void arm64_idle_interrupts(void)
{
	for (;;) {
		unsigned int intid = icc_ack();

		if (intid >= GIC_SPURIOUS && intid < GIC_LPI_FIRST) {
			/* Any interrupt is a chance to move console output
			 * on, without waiting for the UART. */
			console_drain();
			return;
		}
		/* An LPI here (a stopped partition's device) is only dropped. */
		icc_priority_drop(intid);
		if (intid >= 16U && intid < 32U && intid != GIC_PPI_HYP_TIMER &&
		    intid != GIC_PPI_MAINTENANCE)
			gic_set_ppi_enabled(arch_cpu_index(), intid, false);
		hypervisor_interrupt(intid);
		icc_deactivate(intid);
	}
}

/* Out of line: the usual answer is "stay", which guest_resume finds alone. */
static __attribute__((noinline)) uint64_t guest_exit_reason(struct vcpu *v)
{
	if (v->exit != VCPU_EXIT_NONE)
		return 1;
	switch (__atomic_load_n(&v->part->state, __ATOMIC_ACQUIRE)) {
	case PARTITION_RUNNING:
		return 0;
	case PARTITION_RESTARTING:
		v->exit = VCPU_EXIT_RESTART;
		return 1;
	default:
		v->exit = VCPU_EXIT_STOP;
		return 1;
	}
}

/* Out of line: its many paths would otherwise make every trap, and so
 * every interrupt a guest receives, save registers only they need. */
static __attribute__((noinline)) void sync_trap(struct vcpu *v, struct exception_frame *f)
{
	switch (ESR_EC(f->esr)) {
	case EC_HVC64:
		guest_firmware_call(v, f);
		break;
	case EC_SMC64:
		/* Trapped by HCR_EL2.TSC before executing: step over it. */
		guest_skip_instruction(f);
		guest_firmware_call(v, f);
		break;
	case EC_IABT_LOW:
		report_abort(v, "instruction fetch outside the partition", fault_ipa(f->far), f->far,
			     f->elr);
		inject_external_abort(f, true, f->far);
		break;
	case EC_SYS64:
		if (!guest_sysreg(v, f))
			inject_undef(f);
		break;
	case EC_WFX:
		/* Not trapped (guest_hcr(): TWI and TWE clear). Should one be,
		 * stepping over it is a spurious wake-up, which the architecture
		 * allows (a T32 WFE from AArch32 EL0 is 16 or 32 bits). */
		guest_skip_instruction(f);
		break;
	default:
		inject_undef(f);
		break;
	}
}

/* A trap from a lower EL always finds a vCPU on its CPU; if not, the
 * hypervisor is confused about this CPU, which can only stop. */
static __attribute__((noinline, cold)) NORETURN void no_vcpu(unsigned int cpu, uint64_t kind)
{
	log_printf("cpu %u: trap from a lower EL with no vCPU here (kind %llu)\n", cpu,
		   (unsigned long long)kind);
	arch_cpu_halt();
}

static inline __attribute__((always_inline)) struct vcpu *trapped_vcpu(uint64_t kind)
{
	/* From a guest, so at EL2 with TPIDR_EL2 set: no need to ask
	 * arch_cpu_index(), which also serves the EL1 refusal path. */
	const struct cpu *cpu = (const struct cpu *)(uintptr_t)read_sysreg(tpidr_el2);
	struct vcpu *v = cpu->arch.vcpu;

	if (v == NULL)
		no_vcpu(cpu->index, kind);
	v->exits++; /* the VCPU_EXITS hypercall's count (docs/hypercalls.md) */
	return v;
}

/* The end of every trap: leave the guest, or put whatever became pending
 * into list registers before the eret. */
static inline __attribute__((always_inline)) uint64_t guest_resume(struct vcpu *v)
{
	if (__builtin_expect(v->exit == VCPU_EXIT_NONE &&
			     __atomic_load_n(&v->part->state, __ATOMIC_ACQUIRE) == PARTITION_RUNNING, 1)) {
		vgic_flush(v);
		return 0;
	}
	uint64_t leave = guest_exit_reason(v);

	if (!leave)
		vgic_flush_slow(v); /* the partition started running meanwhile: rare */
	return leave;
}

/* The guest's IRQ vector, with the short frame (vectors.S): physical
 * interrupts read no guest register. Also what the kick's path
 * (irq_kick.S) leaves to C. */
uint64_t guest_irq(struct exception_frame *f)
{
	struct vcpu *v = trapped_vcpu(EXC_LOWER_IRQ);

	(void)f;
	physical_irq(v);
	return guest_resume(v);
}

/* The same when irq_kick.S, expecting the kick, acknowledged @intid
 * instead (it became the most urgent in between): GICv3 only, rare. */
uint64_t guest_irq_acked(struct exception_frame *f, unsigned int intid)
{
	struct vcpu *v = trapped_vcpu(EXC_LOWER_IRQ);
	bool more = physical_irq_one(v, false, intid);

	(void)f;
	while (more)
		more = physical_irq_one(v, false, icc_ack_on(false));
	return guest_resume(v);
}

/* HVC #0 from AArch64, with the short frame (vectors.S): a call whose
 * owner's entry in smccc_owners is C (PSCI, the architecture's), which
 * reads and writes x0-x3 only; an HVC's return address is already the next
 * instruction. The same entry as by SMC or another immediate, through
 * guest_trap: only the register saving differs. */
uint64_t guest_smccc(struct exception_frame *f, smccc_owner_fn owner)
{
	struct vcpu *v = trapped_vcpu(EXC_LOWER_SYNC);

	if (!owner(v, f))
		return 0; /* nothing changed here: as after SMCCC_VERSION */
	return guest_resume(v);
}

uint64_t guest_smccc_resume(struct vcpu *v)
{
	return guest_resume(v);
}

uint64_t guest_trap(struct exception_frame *f, uint64_t kind)
{
	struct vcpu *v = trapped_vcpu(kind);

	/* EXC_LOWER_IRQ goes to guest_irq; a FIQ (not routed here) and
	 * anything else of no interest leave the guest as it was. */
	if (kind == EXC_LOWER_SYNC) {
		if (ESR_EC(f->esr) == EC_DABT_LOW)
			data_abort(v, f);
		else
			sync_trap(v, f);
	} else if (kind == EXC_LOWER_SERROR) {
		partition_stop(v->part, "SError from the partition");
	} else if (kind >= EXC_LOWER32_FIRST) {
		partition_stop(v->part, "AArch32 is not supported");
	} else {
		/* FIQ: every interrupt Bulkhead uses is Group 1 (IRQ); resume */
	}
	return guest_resume(v);
}
