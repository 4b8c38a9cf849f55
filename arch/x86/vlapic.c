// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual local APIC of each vCPU: the xAPIC registers at guest-physical
 * 0xfee00000, emulated on nested page faults (the window is never mapped)
 * with the instruction decoder. It has an ID (the vCPU number), a timer
 * counting at 1 GHz before its divider, fixed IPIs to the vCPUs of the same
 * partition, INIT and start-up IPIs that start a vCPU the way a BIOS-era AP
 * starts (real mode at the SIPI vector's page), and in-service tracking with
 * EOI. Interrupts are offered to the
 * guest one at a time with V_IRQ, highest priority class first; the
 * partition's device interrupts arrive here too. The timer is checked each
 * time the vCPU leaves its guest; before each entry the host's local APIC
 * timer is brought forward to the guest's deadline, so the guest's timer
 * fires when due (its resolution is the host timer's, not the 1 kHz tick).
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/vmcb.h>
#include <arch/x86.h>

#define REG_ID 0x20
#define REG_VERSION 0x30
#define REG_TPR 0x80
#define REG_PPR 0xa0
#define REG_EOI 0xb0
#define REG_LDR 0xd0
#define REG_DFR 0xe0
#define REG_SVR 0xf0
#define REG_ISR 0x100
#define REG_IRR 0x200
#define REG_ESR 0x280
#define REG_ICR_LOW 0x300
#define REG_ICR_HIGH 0x310
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE 0x3e0

#define VERSION 0x00050014 /* xAPIC, 6 LVT entries */
#define LVT_MASKED 0x10000u
#define LVT_PERIODIC 0x20000u
#define LVT_TSC_DEADLINE 0x40000u
#define LVT_TIMER_MODE (LVT_PERIODIC | LVT_TSC_DEADLINE)
#define SVR_ENABLED (1u << 8)
#define ICR_SHORTHAND_SHIFT 18
#define ICR_DELIVERY_SHIFT 8
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_TRIGGER_LEVEL (1u << 15)
#define ICR_DEST_BROADCAST 0xffu

#define DELIVERY_FIXED 0u
#define DELIVERY_LOWEST_PRIORITY 1u
#define DELIVERY_INIT 5u
#define DELIVERY_STARTUP 6u

void vlapic_reset(struct vcpu *v)
{
	struct vlapic *l = &v->arch.lapic;

	*l = (struct vlapic){0};
	l->lvt_timer = LVT_MASKED;
	l->svr = 0xff;
	l->offered = -1;
}

void vlapic_raise(struct vcpu *v, unsigned int vector)
{
	struct vlapic *l = &v->arch.lapic;

	if (vector < 16)
		return; /* reserved vectors: an illegal vector error on hardware */
	__atomic_fetch_or(&l->irr[vector / 32], 1u << (vector % 32), __ATOMIC_SEQ_CST);
}

static int highest(const uint32_t *bits)
{
	for (int w = 7; w >= 0; w--) {
		uint32_t word = __atomic_load_n(&bits[w], __ATOMIC_ACQUIRE);

		if (word != 0)
			return w * 32 + 31 - __builtin_clz(word);
	}
	return -1;
}

static unsigned int divisor(uint32_t divide)
{
	unsigned int v = (divide & 3) | ((divide & 8) >> 1);

	return v == 7 ? 1 : 2u << v;
}

static void timer_start(struct vlapic *l)
{
	if ((l->lvt_timer & LVT_TIMER_MODE) == LVT_TSC_DEADLINE)
		return; /* the initial count is ignored in TSC-deadline mode */
	l->timer_period_ns = (uint64_t)l->timer_initial * divisor(l->divide);
	l->timer_deadline_ns = l->timer_initial != 0 ? arch_time_ns() + l->timer_period_ns : 0;
}

static uint32_t timer_current(const struct vlapic *l)
{
	uint64_t now = arch_time_ns();

	if (l->timer_deadline_ns == 0 || now >= l->timer_deadline_ns ||
	    (l->lvt_timer & LVT_TIMER_MODE) == LVT_TSC_DEADLINE)
		return 0;
	return (uint32_t)((l->timer_deadline_ns - now) / divisor(l->divide));
}

/* A due timer raises its vector; a periodic one skips the periods it missed. */
static void timer_check(struct vlapic *l, struct vcpu *v)
{
	uint64_t now = arch_time_ns();

	if (l->timer_deadline_ns == 0 || now < l->timer_deadline_ns)
		return;
	if (!(l->lvt_timer & LVT_MASKED) && (l->svr & SVR_ENABLED))
		vlapic_raise(v, l->lvt_timer & 0xff);
	l->tsc_deadline = 0;
	if ((l->lvt_timer & LVT_TIMER_MODE) == LVT_PERIODIC && l->timer_period_ns != 0) {
		uint64_t missed = (now - l->timer_deadline_ns) / l->timer_period_ns;

		l->timer_deadline_ns += (missed + 1) * l->timer_period_ns;
	} else {
		l->timer_deadline_ns = 0;
	}
}

/* INIT: a vCPU that is off waits for a start-up IPI, as an AP does after
 * reset. A running vCPU ignores it: resetting one would need the guest's
 * state to be thrown away mid-flight, which no guest start-up sequence asks
 * for. The de-assert form (level 0, level-triggered) is a no-op on xAPICs. */
static void deliver_init(struct vcpu *target, uint32_t icr_low)
{
	bool pending;

	if ((icr_low & ICR_TRIGGER_LEVEL) != 0u && (icr_low & ICR_LEVEL_ASSERT) == 0u)
		return;
	if (!vcpu_is_on(target->part, target->index, &pending))
		__atomic_store_n(&target->arch.wait_for_sipi, true, __ATOMIC_RELEASE);
}

/* Start-up: a vCPU waiting since an INIT starts in real mode at
 * vector * 4 KiB; once running, later SIPIs are ignored (the second of the
 * usual pair among them). */
static void deliver_startup(struct vcpu *target, uint32_t icr_low)
{
	uint32_t vector = icr_low & 0xffu;

	if (!__atomic_exchange_n(&target->arch.wait_for_sipi, false, __ATOMIC_ACQ_REL))
		return;
	(void)vcpu_power_on(target->part, target->index, (uint64_t)vector << 12,
			    VCPU_CONTEXT_SIPI | vector);
}

static bool ipi_targets(const struct vcpu *v, const struct vcpu *target, unsigned int shorthand,
			uint32_t dest)
{
	switch (shorthand) {
	case 0u:
		return dest == ICR_DEST_BROADCAST || target->index == dest;
	case 1u:
		return target == v;
	case 2u:
		return true;
	default:
		return target != v;
	}
}

static void send_ipi(struct vcpu *v, uint32_t icr_low, uint32_t dest)
{
	struct partition *part = v->part;
	unsigned int shorthand = (icr_low >> ICR_SHORTHAND_SHIFT) & 3u;
	unsigned int delivery = (icr_low >> ICR_DELIVERY_SHIFT) & 7u;

	for (unsigned int i = 0; i < part->cfg->cpu_count; i++) {
		struct vcpu *target = part->vcpus[i];

		if (!ipi_targets(v, target, shorthand, dest))
			continue;
		switch (delivery) {
		case DELIVERY_FIXED:
		case DELIVERY_LOWEST_PRIORITY: /* to each target: there is no arbitration to win */
			vlapic_raise(target, icr_low & 0xffu);
			if (target != v)
				arch_cpu_kick(target->pcpu);
			break;
		case DELIVERY_INIT:
			if (target != v)
				deliver_init(target, icr_low);
			break;
		case DELIVERY_STARTUP:
			if (target != v)
				deliver_startup(target, icr_low);
			break;
		default:
			break; /* SMI, NMI, ExtINT: not modelled */
		}
	}
}

uint32_t vlapic_read(struct vcpu *v, unsigned int offset)
{
	struct vlapic *l = &v->arch.lapic;

	if (offset >= REG_ISR && offset < REG_ISR + 0x80)
		return l->isr[(offset - REG_ISR) / 16];
	if (offset >= REG_IRR && offset < REG_IRR + 0x80)
		return __atomic_load_n(&l->irr[(offset - REG_IRR) / 16], __ATOMIC_ACQUIRE);
	switch (offset) {
	case REG_ID:
		return v->index << 24;
	case REG_VERSION:
		return VERSION;
	case REG_TPR:
	case REG_PPR:
		return l->tpr;
	case REG_LDR:
	case REG_ESR:
		return 0;
	case REG_DFR:
		return 0xffffffffu;
	case REG_SVR:
		return l->svr;
	case REG_ICR_HIGH:
		return l->icr_high;
	case REG_LVT_TIMER:
		return l->lvt_timer;
	case REG_TIMER_INITIAL:
		return l->timer_initial;
	case REG_TIMER_CURRENT:
		return timer_current(l);
	case REG_TIMER_DIVIDE:
		return l->divide;
	default:
		return 0;
	}
}

void vlapic_write(struct vcpu *v, unsigned int offset, uint32_t value)
{
	struct vlapic *l = &v->arch.lapic;
	int in_service;

	switch (offset) {
	case REG_TPR:
		l->tpr = value & 0xff;
		break;
	case REG_EOI:
		in_service = highest(l->isr);
		if (in_service >= 0) {
			l->isr[in_service / 32] &= ~(1u << (in_service % 32));
			irq_guest_eoi(v, (unsigned int)in_service);
		}
		break;
	case REG_SVR:
		l->svr = value & 0x3ff;
		break;
	case REG_ICR_HIGH:
		l->icr_high = value & 0xff000000u;
		break;
	case REG_ICR_LOW:
		send_ipi(v, value, l->icr_high >> 24);
		break;
	case REG_LVT_TIMER:
		/* A change of mode disarms the timer, as on hardware. */
		if (((value ^ l->lvt_timer) & LVT_TIMER_MODE) != 0u) {
			l->timer_deadline_ns = 0;
			l->tsc_deadline = 0;
		}
		l->lvt_timer = value & (LVT_MASKED | LVT_TIMER_MODE | 0xffu);
		break;
	case REG_TIMER_INITIAL:
		l->timer_initial = value;
		timer_start(l);
		break;
	case REG_TIMER_DIVIDE:
		l->divide = value & 0xb;
		break;
	default:
		break; /* read-only or not modelled: ignored, as a write to a reserved register */
	}
}

/* IA32_TSC_DEADLINE: in TSC-deadline mode, the TSC value at which the
 * timer fires (0 disarms it); in the other modes writes are ignored. The
 * guest's TSC is the host's (no offset), so the deadline converts with the
 * hypervisor's own calibration. */
void vlapic_write_tsc_deadline(struct vcpu *v, uint64_t value)
{
	struct vlapic *l = &v->arch.lapic;

	if ((l->lvt_timer & LVT_TIMER_MODE) != LVT_TSC_DEADLINE)
		return;
	l->tsc_deadline = value;
	l->timer_deadline_ns = value != 0u ? ticks_to_ns(value, x86_tsc_hz()) : 0u;
	if (value != 0u && l->timer_deadline_ns == 0u)
		l->timer_deadline_ns = 1; /* TSC 0 was long ago: due at once */
}

uint64_t vlapic_read_tsc_deadline(const struct vcpu *v)
{
	return v->arch.lapic.tsc_deadline;
}

/* Right after an exit, before it is handled (it may be the guest's EOI):
 * the interrupt offered is in service once the CPU has cleared V_IRQ. */
void vlapic_after_exit(struct vcpu *v, const struct vmcb_control *c)
{
	struct vlapic *l = &v->arch.lapic;

	if (l->offered >= 0 && !(c->int_ctl & INT_CTL_V_IRQ)) {
		l->isr[l->offered / 32] |= 1u << (l->offered % 32);
		/* Atomic: a doorbell on another CPU reads it (arch_doorbell_raise). */
		__atomic_store_n(&l->offered, -1, __ATOMIC_RELAXED);
	}
}

/* Before entering the guest: raise a due timer, offer the next interrupt. */
void vlapic_before_entry(struct vcpu *v, struct vmcb_control *c)
{
	struct vlapic *l = &v->arch.lapic;

	timer_check(l, v);
	if (l->timer_deadline_ns != 0)
		apic_timer_wake_at(l->timer_deadline_ns);
	if (l->offered >= 0)
		return;
	int request = highest(l->irr);
	int in_service = highest(l->isr);

	if (request < 0 || (in_service >= 0 && request / 16 <= in_service / 16))
		return;
	/* Offered first, taken out of the request second: a doorbell rung on
	 * another CPU in between finds either its request bit still set or
	 * the vector offered, so it never counts (and kicks for) a newly
	 * pending interrupt that is the one being offered. The other order
	 * left a window, hit under bochs where the CPUs interleave a few
	 * instructions at a time: an extra kick per burst. */
	__atomic_store_n(&l->offered, request, __ATOMIC_SEQ_CST);
	__atomic_fetch_and(&l->irr[request / 32], ~(1u << (request % 32)), __ATOMIC_SEQ_CST);
	c->int_ctl = (c->int_ctl & ~INT_CTL_V_INTR_VECTOR_MASK) | INT_CTL_V_IRQ |
		     INT_CTL_V_INTR_PRIO(0xf) | INT_CTL_V_IGN_TPR |
		     INT_CTL_V_INTR_VECTOR((unsigned int)request);
}

/* Whether a HLT should return at once: something is offered or ready. */
bool vlapic_pending(struct vcpu *v)
{
	struct vlapic *l = &v->arch.lapic;

	return l->offered >= 0 || highest(l->irr) >= 0 ||
	       (l->timer_deadline_ns != 0 && arch_time_ns() >= l->timer_deadline_ns);
}

/* Request a doorbell's @vector: whether that made an interrupt newly
 * pending, its request bit having been clear and the vector not the one
 * offered (whose delivery, or its EOI's exit, brings the request in). */
static bool request_edge(struct vcpu *v, unsigned int vector)
{
	struct vlapic *l = &v->arch.lapic;
	uint32_t bit = 1u << (vector % 32u);
	uint32_t old = __atomic_fetch_or(&l->irr[vector / 32u], bit, __ATOMIC_SEQ_CST);

	return (old & bit) == 0u && __atomic_load_n(&l->offered, __ATOMIC_RELAXED) != (int)vector;
}

/*
 * A channel's doorbell (core/channel.c): @vector in the local APIC of the
 * partition's vCPU 0. Its CPU is kicked only when the ring makes an
 * interrupt newly pending and the vCPU runs (in its guest or in HLT):
 * then the exit offers it, or the HLT ends. A ring that finds the vector
 * already requested or offered, or vCPU 0 not running (its start takes the
 * request), needs none: at most one kick per interrupt delivered, as on
 * arm64 (a rising edge of an enabled doorbell), however fast the peer rings.
 */
void arch_doorbell_raise(struct partition *part, uint32_t vector)
{
	struct vcpu *target = part->vcpus[0];
	bool running = __atomic_load_n(&target->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING;

	/* Latched first, raised second: a reset between the two finds it. */
	if (!running)
		__atomic_fetch_or(&part->arch.early_doorbells[vector / 32u], 1u << (vector % 32u),
				  __ATOMIC_SEQ_CST);
	(void)__atomic_fetch_add(&part->arch.doorbells_raised, 1u, __ATOMIC_RELAXED);
	if (vector < 16u)
		return; /* reserved vectors: never requested (vlapic_raise) */
	if (request_edge(target, vector) && running && target->pcpu != arch_cpu_index()) {
		(void)__atomic_fetch_add(&part->arch.doorbell_kicks, 1u, __ATOMIC_RELAXED);
		arch_cpu_kick(target->pcpu);
	}
}

/* When vCPU 0 leaves for a stop or restart: the doorbells raised since
 * the last report against the kicks they cost (the tests check the bound
 * above). */
void vlapic_report_doorbells(struct partition *part)
{
	unsigned int raised = __atomic_exchange_n(&part->arch.doorbells_raised, 0u,
						  __ATOMIC_RELAXED);
	unsigned int kicks = __atomic_exchange_n(&part->arch.doorbell_kicks, 0u, __ATOMIC_RELAXED);

	if (raised != 0u)
		log_printf("partition %s: doorbells: %u raised, %u kick(s)\n", part->cfg->name,
			   raised, kicks);
}

/* vCPU 0 (re)starts with a clear local APIC: the doorbells rung while it
 * was not running are requested again, as the peer's ring promised. */
void vlapic_take_early_doorbells(struct vcpu *v)
{
	uint32_t *early = v->part->arch.early_doorbells;


	for (unsigned int w = 0; w < 8u; w++)
		__atomic_fetch_or(&v->arch.lapic.irr[w],
				  __atomic_exchange_n(&early[w], 0u, __ATOMIC_SEQ_CST), __ATOMIC_SEQ_CST);
}
