// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual GICv3 of a partition, first slice: the guest's distributor and
 * redistributors are trapped and emulated, the CPU interface is the
 * hardware's virtual one (ICH_*_EL2), and the virtual timer's interrupt is
 * injected through a list register with the HW bit, so the guest's EOI
 * deactivates the physical interrupt with no second trap. A private
 * interrupt the guest enables is enabled on its physical CPU, and disabled
 * when the guest disables it, so a disabled one can never storm EL2.
 *
 * SGIs a guest sends (trapped ICC_SGI1R_EL1 writes) reach only vCPUs of its
 * own partition: they are set pending in the target's software state and
 * moved into list registers before the target next enters its guest (a
 * running target on another CPU is kicked). With more pending than list
 * registers, the most urgent go in (SGIs only pending in a list register
 * compete again), and the underflow maintenance interrupt brings the vCPU
 * back to flush the rest as the list registers drain. A physical interrupt
 * (timer, SPI) that finds every list register taken makes room by taking
 * pending SGIs back; if all are active or HW, it is held: left active in the
 * physical GIC, so that it cannot fire again, until a list register frees.
 *
 * The list registers and ICH_HCR/VMCR are reached through arch/gic_ich.h,
 * so this file also runs in the host unit tests against a fake GIC, and
 * serves a GICv2 unchanged (gich.c translates to its GICH registers). A
 * GICv2 partition's distributor is vgicv2_dist.c, which reaches the SPI
 * registers and the vCPU's own SGIs and PPIs through vgic_spis_*() and
 * vgic_banked_*() here, and sends SGIs through vgic_sgi_deliver().
 *
 * Pending and active views (GICR_I[SC]PENDR0, I[SC]ACTIVER0) combine the
 * software-pending bits, this CPU's list registers (for a vCPU's own frame)
 * and, for the timers, the physical pending state, so a timer that fired
 * while disabled shows as pending.
 *
 * Passthrough SPIs are routed to the physical CPU of the partition's vCPU 0,
 * enabled physically exactly while the guest enables them, triggered by
 * level or edge as the guest configures them (the system DT's choice until
 * it does); the distributor (vgic_spis.c) shows and changes only the SPIs
 * the partition owns. An edge-triggered one is injected with the HW bit; a
 * level one with the EOI bit instead, so that its end comes to EL2, which
 * looks at the line before the physical interrupt may fire again
 * (vgic_level.c): its pending state follows the line, as on the hardware.
 * Their pending and active views are vgic_spi_state.c's.
 *
 * Each partition with a virtual UART also owns one purely virtual SPI,
 * level-sensitive and with no physical twin (vspi.c).
 *
 * Not yet: routing SPIs to other vCPUs.
 */

#include <bulkhead/arch.h>
#include <bulkhead/partition.h>

#include <arch/gic_ich.h>
#include <arch/gic.h>
#include <arch/guest.h>

#define GICD_SIZE 0x10000
#define GICR_FRAME 0x20000
#define GICR_SGI 0x10000

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICx_PIDR2 0xffe8
#define GICD_CTLR_ENABLE_MASK 0x3u
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_IGROUPR0 (GICR_SGI + 0x080)
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_ICENABLER0 (GICR_SGI + 0x180)
#define GICR_ISPENDR0 (GICR_SGI + 0x200)
#define GICR_ICPENDR0 (GICR_SGI + 0x280)
#define GICR_ISACTIVER0 (GICR_SGI + 0x300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x380)
#define GICR_IPRIORITYR (GICR_SGI + 0x400)
#define GICR_ICFGR0 (GICR_SGI + 0xc00)
#define GICR_ICFGR1 (GICR_SGI + 0xc04)

#define IIDR_ARM 0x43b
#define PIDR2_GICV3 0x3b

/* Private interrupts whose physical twin follows the guest's enable: the
 * timers', and the PMU's for a partition that owns it. */
static inline uint32_t mirrored_ppis(const struct partition *part)
{
	return GIC_GUEST_TIMER_PPIS | part->arch.pmu_ppi;
}

void vgic_vcpu_reset(struct vcpu *v)
{
	struct vgic_spis *spis = &v->part->arch.spis;
	bool v2 = ich_v2();
	unsigned int lrs = ich_lr_count(v2);

	/* An interrupt handed over with the HW bit, or held for one, stays
	 * active in the GIC until the guest ends it: a guest that stopped
	 * never will. */
	for (uint32_t held = v->arch.gicr.held; held != 0; held &= held - 1)
		gic_deactivate((unsigned int)__builtin_ctz(held));
	v->arch.gicr = (struct vgicr){.waker = GICR_WAKER_SLEEP};
	for (unsigned int n = 0; n < lrs; n++) {
		uint64_t lr = ich_lr_read(v2, n);

		if ((lr & ICH_LR_HW) && (lr & ICH_LR_STATE_MASK)) {
			gic_deactivate((unsigned int)(lr >> ICH_LR_PINTID_SHIFT & ICH_LR_PINTID_MASK));
		} else if ((lr & ICH_LR_HW) == 0U && (lr & ICH_LR_EOI) != 0U && v->index == 0U &&
			   vgic_spi_index(spis, (unsigned int)(lr & ICH_LR_VINTID_MASK)) >= 0) {
			/* A level passthrough SPI is active in the GIC from its
			 * injection until EL2 sees its end, which may be in this
			 * list register still (ended, the maintenance interrupt
			 * not yet taken). */
			gic_deactivate((unsigned int)(lr & ICH_LR_VINTID_MASK));
		} else {
			/* Nothing active in the GIC for it. */
		}
		ich_lr_write(v2, n, 0);
	}
	if (v->index == 0) {
		for (unsigned int i = 0; i < spis->count; i++) {
			gic_spi_enable(spis->intid[i], false);
			if ((((spis->held | spis->recheck) >> i) & 1U) != 0U)
				gic_deactivate(spis->intid[i]);
			gic_spi_set_edge(spis->intid[i], (spis->edge_at_boot >> i) & 1);
		}
		spis->enabled = 0;
		spis->held = 0;
		spis->recheck = 0;
		spis->stays_high = 0;
		spis->edge = spis->edge_at_boot;
		v->part->arch.vgicd_ctlr = 0;
		vgic_vspi_reset(v->part);
	}
	ich_vmcr_write(v2, 0); /* the guest sets it */
	ich_apr_clear(v2);
	ich_hcr_write(v2, ICH_HCR_EN);
	v->arch.uie_armed = false;
	for (uint32_t ppis = mirrored_ppis(v->part); ppis != 0u; ppis &= ppis - 1u)
		gic_set_ppi_enabled(v->pcpu, (unsigned int)__builtin_ctz(ppis), false);
	ich_sync(v2);
}

/* The list registers this CPU has, one bit each. Inline: a register read
 * and two operations, on every walk of the list registers. */
static inline __attribute__((always_inline)) uint64_t all_lrs(bool v2)
{
	return (1ull << ich_lr_count(v2)) - 1;
}


/* The list register holding @intid (pending and/or active), or -1. */
static inline __attribute__((always_inline)) int lr_of(bool v2, unsigned int intid)
{
	for (uint64_t used = ~ich_empty_lrs(v2) & all_lrs(v2); used != 0; used &= used - 1) {
		unsigned int n = (unsigned int)__builtin_ctzll(used);

		if ((ich_lr_read(v2, n) & ICH_LR_VINTID_MASK) == intid)
			return (int)n;
	}
	return -1;
}

int vgic_lr_of(bool v2, unsigned int intid)
{
	return lr_of(v2, intid);
}

/* INTIDs 0-31 in this CPU's list registers with state @bit. */
static uint32_t lr_state(bool v2, uint64_t bit)
{
	uint32_t set = 0;

	for (uint64_t used = ~ich_empty_lrs(v2) & all_lrs(v2); used != 0; used &= used - 1) {
		uint64_t lr = ich_lr_read(v2, (unsigned int)__builtin_ctzll(used));

		if ((lr & bit) && (lr & ICH_LR_VINTID_MASK) < 32)
			set |= 1u << (lr & 31);
	}
	return set;
}

/* A guest clearing the active state (GICR_ICACTIVER0) of its own interrupts:
 * drop them from the list registers and deactivate their physical twins. */
static void clear_active(bool v2, uint32_t which)
{
	for (uint64_t used = ~ich_empty_lrs(v2) & all_lrs(v2); used != 0; used &= used - 1) {
		unsigned int n = (unsigned int)__builtin_ctzll(used);
		uint64_t lr = ich_lr_read(v2, n);
		unsigned int intid = (unsigned int)(lr & ICH_LR_VINTID_MASK);

		if (intid >= 32 || !(which & (1u << intid)) || !(lr & ICH_LR_ACTIVE))
			continue;
		ich_lr_write(v2, n, 0);
		if ((lr & ICH_LR_HW) != 0u)
			gic_deactivate(intid);
	}
	ich_sync(v2);
}

/* Take the interrupts that are only pending (not active, no physical twin:
 * SGIs) out of the list registers; they are returned. */
static inline __attribute__((always_inline)) uint32_t take_back_pending_lrs(bool v2)
{
	uint32_t taken = 0;

	for (uint64_t used = ~ich_empty_lrs(v2) & all_lrs(v2); used != 0; used &= used - 1) {
		unsigned int n = (unsigned int)__builtin_ctzll(used);
		uint64_t lr = ich_lr_read(v2, n);

		if ((lr & (ICH_LR_STATE_MASK | ICH_LR_HW)) != ICH_LR_PENDING ||
		    (lr & ICH_LR_VINTID_MASK) >= 32)
			continue;
		taken |= 1u << (lr & 31);
		ich_lr_write(v2, n, 0);
	}
	return taken;
}

/* Hand physical interrupt @intid to the guest as the same virtual one, with
 * the HW bit: its EOI deactivates the physical one; or, for a @level one,
 * with the EOI bit, so that EL2 ends it (vgic_level.c). It cannot wait
 * outside the list registers (it would fire again at once), SGIs can:
 * pending ones make room, and the flush before entry puts the most urgent
 * back. False if every list register holds an active or a hardware
 * interrupt. One copy for both interfaces and every caller: the usual case
 * is inject_in_lr0()'s. */
static __attribute__((noinline)) bool inject_in_any_lr(bool v2, struct vcpu *v, unsigned int intid,
						       uint8_t priority, bool level)
{
	int n = vgic_free_lr(v2);

	if (n < 0) {
		__atomic_fetch_or(&v->arch.gicr.pending, take_back_pending_lrs(v2), __ATOMIC_RELEASE);
		n = vgic_free_lr(v2);
	}
	if (n < 0)
		return false;
	ich_lr_write_pending(v2, (unsigned int)n, intid, priority, level ? ICH_LR_EOI : ICH_LR_HW);
	ich_sync(v2);
	return true;
}

/* inject_in_any_lr() for private interrupt @intid, or held (below); true. */
static __attribute__((noinline)) bool inject_ppi_in_any_lr(bool v2, struct vcpu *v, unsigned int intid)
{
	struct vgicr *r = &v->arch.gicr;

	if (!inject_in_any_lr(v2, v, intid, r->priority[intid], false))
		r->held |= 1u << intid;
	return true;
}

/* The usual case of an injection, inline: list register 0 is free whenever
 * the guest has nothing in flight, and it is the one inject_in_any_lr()
 * would take (the lowest free). A constant index is one MSR. False, with
 * nothing done, if it is taken: the callers then call inject_in_any_lr()'s
 * wrappers last, so that the fast path is a leaf that saves no registers. */
static inline __attribute__((always_inline)) bool inject_in_lr0(bool v2, unsigned int intid,
								uint8_t priority, bool level)
{
	if ((ich_empty_lrs(v2) & 1u) == 0u)
		return false;
	ich_lr_write_pending(v2, 0, intid, priority, level ? ICH_LR_EOI : ICH_LR_HW);
	ich_sync(v2);
	return true;
}

bool vgic_inject_hw(struct vcpu *v, unsigned int intid)
{
	struct vgicr *r = &v->arch.gicr;
	bool v2 = ich_v2();

	if (!(r->enabled & (1u << intid)))
		return false;
	/* A copy for each interface, as vgic_flush_slow(). */
	if (v2 ? inject_in_lr0(true, intid, r->priority[intid], false)
	       : inject_in_lr0(false, intid, r->priority[intid], false))
		return true;
	return inject_ppi_in_any_lr(v2, v, intid);
}

/* Index of @intid among the partition's SPIs, or -1. */
int vgic_spi_index(const struct vgic_spis *spis, unsigned int intid)
{
	for (unsigned int i = 0; i < spis->count; i++) {
		if (spis->intid[i] == intid)
			return (int)i;
	}
	return -1;
}

void vgic_add_spi(struct partition *part, unsigned int intid, bool edge, uint64_t route_mpidr)
{
	struct vgic_spis *spis = &part->arch.spis;

	if (vgic_spi_index(spis, intid) >= 0 || spis->count == VGIC_MAX_SPIS)
		return;
	spis->intid[spis->count] = (uint16_t)intid;
	spis->priority[spis->count] = 0xa0;
	if (edge) {
		spis->edge |= 1ull << spis->count;
		spis->edge_at_boot |= 1ull << spis->count;
	}
	spis->count++;
	vgic_note_intid(part, intid);
	spis->route_mpidr = route_mpidr;
	gic_spi_route(intid, route_mpidr);
	gic_spi_set_edge(intid, edge);
}

bool vgic_inject_spi(struct vcpu *v, unsigned int intid)
{
	struct vgic_spis *spis = &v->part->arch.spis;
	int i = vgic_spi_index(spis, intid);

	if (i < 0 || !((spis->enabled >> i) & 1))
		return false;
	vgic_spi_inject(ich_v2(), v, (unsigned int)i);
	return true;
}

/* inject_in_any_lr() for SPI @i, or held (below). */
static __attribute__((noinline)) void inject_spi_in_any_lr(bool v2, struct vcpu *v, unsigned int i)
{
	struct vgic_spis *spis = &v->part->arch.spis;
	bool level = ((spis->edge >> i) & 1U) == 0U;

	if (!inject_in_any_lr(v2, v, spis->intid[i], spis->priority[i], level))
		spis->held |= 1ULL << i;
}

void vgic_spi_inject(bool v2, struct vcpu *v, unsigned int i)
{
	struct vgic_spis *spis = &v->part->arch.spis;
	bool level = ((spis->edge >> i) & 1U) == 0U;

	/* A copy for each interface, as vgic_flush_slow(). */
	if (!(v2 ? inject_in_lr0(true, spis->intid[i], spis->priority[i], level)
		 : inject_in_lr0(false, spis->intid[i], spis->priority[i], level)))
		inject_spi_in_any_lr(v2, v, i);
}

/* Held physical interrupts go into list registers as they free; one the
 * guest disabled meanwhile is deactivated (its physical twin is disabled
 * too). True if some are still held. */
static bool inject_held(bool v2, struct vcpu *v)
{
	struct vgicr *r = &v->arch.gicr;
	struct vgic_spis *spis = &v->part->arch.spis;

	for (uint32_t set = r->held; set != 0; set &= set - 1) {
		unsigned int intid = (unsigned int)__builtin_ctz(set);

		if (!(r->enabled & (1u << intid)))
			gic_deactivate(intid);
		else if (!inject_in_any_lr(v2, v, intid, r->priority[intid], false))
			continue;
		else {
			/* injected: no longer held */
		}
		r->held &= ~(1u << intid);
	}
	/* SPIs are routed to vCPU 0's CPU only. A level one whose line fell
	 * while it waited is no longer pending: it is not injected. */
	for (uint64_t set = v->index == 0 ? spis->held : 0; set != 0; set &= set - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(set);
		bool level = ((spis->edge >> i) & 1U) == 0U;

		if (((spis->enabled >> i) & 1U) == 0U || (level && !gic_spi_pending(spis->intid[i])))
			gic_deactivate(spis->intid[i]);
		else if (!inject_in_any_lr(v2, v, spis->intid[i], spis->priority[i], level))
			continue;
		else {
			/* injected: no longer held */
		}
		spis->held &= ~(1ull << i);
	}
	return r->held != 0 || (v->index == 0 && spis->held != 0);
}

/* The most urgent of the private interrupts in @set (non-empty): lowest
 * priority value, and among equals the lowest INTID. */
static unsigned int most_urgent(const struct vgicr *r, uint32_t set)
{
	unsigned int best = (unsigned int)__builtin_ctz(set);

	for (; set != 0; set &= set - 1) {
		unsigned int intid = (unsigned int)__builtin_ctz(set);

		if (r->priority[intid] < r->priority[best])
			best = intid;
	}
	return best;
}

/* One new interrupt and a free list register for it: nothing waits
 * outside the list registers, so none need compete again (the usual case
 * of an SGI or a kick). */
static inline __attribute__((always_inline)) bool fits_alone(bool v2, uint32_t pending)
{
	return (pending & (pending - 1u)) == 0u && ich_empty_lrs(v2) != 0u;
}

static inline __attribute__((always_inline)) void flush_slow(bool v2, struct vcpu *v)
{
	struct vgicr *r = &v->arch.gicr;
	bool vspi_waiting = vgic_vspi_flush(v2, v);
	bool lpis_waiting = __atomic_load_n(&v->arch.lpi_count, __ATOMIC_ACQUIRE) != 0u &&
			    vgic_lpi_flush(v2, v);
	/* Before the SGIs: pending ones it takes back join them. */
	bool holding = (r->held != 0 || v->part->arch.spis.held != 0) && inject_held(v2, v);
	uint32_t pending = __atomic_exchange_n(&r->pending, 0, __ATOMIC_ACQUIRE);

	/* With more pending than list registers, what waits outside them must
	 * be no more urgent than what is in them: the ones only pending there
	 * compete again with the new ones, and the most urgent go in. */
	if (pending != 0 && !fits_alone(v2, pending))
		pending |= take_back_pending_lrs(v2);

	uint32_t left = pending & ~r->enabled; /* disabled: stays pending until enabled */

	pending &= r->enabled;
	while (pending != 0) {
		unsigned int intid = most_urgent(r, pending);
		int n = lr_of(v2, intid);

		pending &= ~(1u << intid);
		if (n >= 0) {
			/* Active: it becomes active and pending, as SGIs do. */
			ich_lr_write(v2, (unsigned int)n, ich_lr_read(v2, (unsigned int)n) | ICH_LR_PENDING);
			continue;
		}
		n = vgic_free_lr(v2);
		if (n < 0) {
			left |= 1u << intid; /* no room: the underflow interrupt brings us back */
			continue;
		}
		ich_lr_write_pending(v2, (unsigned int)n, intid, r->priority[intid], 0);
	}
	if (left != 0)
		__atomic_fetch_or(&r->pending, left, __ATOMIC_RELEASE);
	/* Come back when list registers drain if something enabled still waits. */
	bool waiting = (left & r->enabled) != 0 || holding || vspi_waiting || lpis_waiting;

	ich_hcr_write(v2, ICH_HCR_EN | (waiting ? ICH_HCR_UIE : 0));
	v->arch.uie_armed = waiting;
	ich_sync(v2);
}

/* Specialised for each interface: the version is a constant in each copy,
 * so the GICv3's path has no GICv2 test left in it. */
void vgic_flush_slow(struct vcpu *v)
{
	if (ich_v2())
		flush_slow(true, v);
	else
		flush_slow(false, v);
}

void vgic_sgi_deliver(struct vcpu *from, uint32_t targets, unsigned int intid)
{
	struct partition *part = from->part;
	unsigned int count = part->cfg->cpu_count;
	/* Only the targets are visited (usually one), lowest first. */
	uint32_t left = targets & (count >= 32u ? ~0u : (1u << count) - 1u);

	while (left != 0u) {
		unsigned int i = (unsigned int)__builtin_ctz(left);
		struct vcpu *to = part->vcpus[i];

		left &= left - 1u;
		__atomic_fetch_or(&to->arch.gicr.pending, 1u << intid, __ATOMIC_RELEASE);
		if (to != from && __atomic_load_n(&to->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING)
			arch_cpu_kick(to->pcpu);
	}
}

void vgic_send_sgi(struct vcpu *from, uint64_t sgi1r)
{
	unsigned int intid = (unsigned int)(sgi1r >> 24) & 0xf;
	bool broadcast = (sgi1r >> 40) & 1;
	/* vCPU n is Aff0 = n with Aff1-3 zero: other affinities name no vCPU. */
	bool ours = ((sgi1r >> 16) & 0xff) == 0 && ((sgi1r >> 32) & 0xff) == 0 &&
		    ((sgi1r >> 48) & 0xff) == 0 && ((sgi1r >> 44) & 0xf) == 0;
	uint32_t targets = broadcast ? ~(1u << from->index) : ours ? (uint32_t)(sgi1r & 0xffff) : 0;

	vgic_sgi_deliver(from, targets, intid);
}

/* A distributor read: the control and identification registers alone
 * (drivers poll them, and no interrupt's state is in them); any other
 * register is the union of what the passthrough SPIs, the virtual SPIs and
 * the passthrough SPIs' pending and active views put in it, each source
 * zero outside its own bits. */
static uint64_t gicd_read(const struct vcpu *v, uint64_t off, unsigned int size)
{
	const struct partition *part = v->part;

	switch (off) {
	case GICD_CTLR:
		return part->arch.vgicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	case GICD_TYPER:
		/* 10 ID bits; with a virtual ITS, LPIs and 14 (vits.c sets them). */
		return part->arch.gicd_typer_lpis | (9u << 19) | vgic_it_lines(part);
	case GICD_IIDR:
		return IIDR_ARM;
	case GICx_PIDR2:
		return PIDR2_GICV3;
	default:
		return vgic_spis_read(part, off) | vgic_vspi_gicd_read(v, off, size) |
		       vgic_spi_state_read(v, off);
	}
}

static void gicd_write(struct partition *part, uint64_t off, uint64_t value, unsigned int size)
{
	if (off == GICD_CTLR)
		part->arch.vgicd_ctlr = (uint32_t)value & GICD_CTLR_ENABLE_MASK;
	else
		vgic_spis_write(part, off, value, size);
	/* IROUTER: every SPI goes to vCPU 0; other registers: no effect. */
}

/* Guest enables changing: mirror the ones with a physical twin. */
static void set_enabled(struct vcpu *owner, uint32_t now)
{
	uint32_t changed = (owner->arch.gicr.enabled ^ now) & mirrored_ppis(owner->part);

	owner->arch.gicr.enabled = now;
	for (unsigned int intid = 16; intid < 32; intid++) {
		if (changed & (1u << intid))
			gic_set_ppi_enabled(owner->pcpu, intid, (now >> intid) & 1);
	}
}

static uint64_t gicr_read(const struct partition *part, unsigned int i, uint64_t off,
			  unsigned int size, bool own)
{
	const struct vcpu *owner = part->vcpus[i];
	const struct vgicr *r = &owner->arch.gicr;
	uint64_t typer = (uint64_t)i << 32 | (uint64_t)i << 8 |
			 (i + 1 == part->cfg->cpu_count ? 1u << 4 : 0) |
			 (part->arch.vits != NULL ? 1u : 0u); /* PLPIS */

	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
		uint64_t v = 0;

		for (unsigned int b = 0; b < size && off - GICR_IPRIORITYR + b < 32; b++)
			v |= (uint64_t)r->priority[off - GICR_IPRIORITYR + b] << (8 * b);
		return v;
	}
	switch (off) {
	case GICR_IIDR:
		return IIDR_ARM;
	case GICR_TYPER:
		return size == 8 ? typer : (uint32_t)typer;
	case GICR_TYPER + 4:
		return typer >> 32;
	case GICR_WAKER:
		return r->waker & GICR_WAKER_SLEEP ? GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP : 0;
	case GICx_PIDR2:
		return PIDR2_GICV3;
	case GICR_IGROUPR0:
		return r->group;
	case GICR_ISENABLER0:
	case GICR_ICENABLER0:
		return r->enabled;
	case GICR_ISPENDR0:
	case GICR_ICPENDR0:
		/* Software-pending, in a list register (own CPU only), or a
		 * guest timer pending on the physical CPU while disabled. */
		return __atomic_load_n(&r->pending, __ATOMIC_ACQUIRE) | r->held |
		       (own ? lr_state(ich_v2(), ICH_LR_PENDING) : 0) |
		       (gic_ppi_pending(owner->pcpu) & mirrored_ppis(part));
	case GICR_ISACTIVER0:
	case GICR_ICACTIVER0:
		return own ? lr_state(ich_v2(), ICH_LR_ACTIVE) : 0;
	case GICR_ICFGR0:
		return 0xaaaaaaaau; /* SGIs are edge-triggered */
	case GICR_ICFGR1:
		return r->cfg1;
	default:
		return 0; /* CTLR and reserved registers */
	}
}

static void gicr_write(struct partition *part, unsigned int i, uint64_t off, uint64_t value,
		       unsigned int size, bool own)
{
	struct vcpu *owner = part->vcpus[i];
	struct vgicr *r = &owner->arch.gicr;
	uint32_t v = (uint32_t)value;

	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
		for (unsigned int b = 0; b < size && off - GICR_IPRIORITYR + b < 32; b++)
			r->priority[off - GICR_IPRIORITYR + b] =
				(uint8_t)(value >> (8 * b)) & VGIC_PRIORITY_MASK;
		return;
	}
	switch (off) {
	case GICR_WAKER:
		r->waker = v & GICR_WAKER_SLEEP;
		break;
	case GICR_IGROUPR0:
		r->group = v;
		break;
	case GICR_ISENABLER0:
		set_enabled(owner, r->enabled | v);
		break;
	case GICR_ICENABLER0:
		set_enabled(owner, r->enabled & ~v);
		break;
	case GICR_ICFGR1:
		r->cfg1 = v & 0xaaaaaaaau; /* each field's low bit is RES0 */
		break;
	case GICR_ISPENDR0:
		__atomic_fetch_or(&r->pending, v & 0xffffu, __ATOMIC_RELEASE); /* SGIs only */
		break;
	case GICR_ICPENDR0:
		__atomic_fetch_and(&r->pending, ~v, __ATOMIC_RELEASE);
		break;
	case GICR_ICACTIVER0:
		if (own)
			clear_active(ich_v2(), v);
		break;
	default:
		break;
	}
}

uint64_t vgic_banked_read(const struct vcpu *v, uint64_t off, unsigned int size)
{
	return gicr_read(v->part, v->index, (uint64_t)GICR_SGI + off, size, true);
}

void vgic_banked_write(struct vcpu *v, uint64_t off, uint64_t value, unsigned int size)
{
	gicr_write(v->part, v->index, (uint64_t)GICR_SGI + off, value, size, true);
}

/*
 * The access sizes the GICv3 architecture gives each register, naturally
 * aligned: the byte-accessible ones (GICD_IPRIORITYR, GICD_ITARGETSR,
 * GICD_[CS]PENDSGIR, GICR_IPRIORITYR) by byte or word; the 64-bit ones
 * (GICD_IROUTER, GICR_TYPER, GICR_PROPBASER/PENDBASER) by doubleword or
 * word; all others by word only. Any other access (a halfword, a byte or a
 * doubleword elsewhere, an unaligned one) is one the architecture does not
 * define: it reads as zero and its write is ignored, so that a value is
 * never taken for bits of other interrupts. An external abort would be
 * allowed too; RAZ/WI tells a guest nothing and costs it nothing. A
 * GICv2 distributor gives its registers (all below 0x1000) the same sizes,
 * without the 64-bit ones (vgicv2_dist.c).
 */
#define GICD_BYTE_FIRST 0x0400u /* IPRIORITYR and ITARGETSR: 0x400-0xbff */
#define GICD_BYTE_END 0x0c00u
#define GICD_CPENDSGIR 0x0f10u
#define GICD_SGIR_END 0x0f30u /* CPENDSGIR and SPENDSGIR: 0xf10-0xf2f */
#define GICD_IROUTER_FIRST 0x6000u
#define GICD_IROUTER_END 0x8000u
#define GICR_BYTE_FIRST 0x10400u /* GICR_IPRIORITYR, in the SGI frame */
#define GICR_BYTE_END 0x10420u
#define GICR_TYPER_OFF 0x0008u
#define GICR_PROPBASER 0x0070u
#define GICR_PENDBASER 0x0078u

static inline __attribute__((always_inline)) bool gicd_access_ok(uint64_t off, unsigned int size)
{
	if ((off & (size - 1u)) != 0u)
		return false;
	switch (size) {
	case 4:
		return true;
	case 1:
		return (off >= GICD_BYTE_FIRST && off < GICD_BYTE_END) ||
		       (off >= GICD_CPENDSGIR && off < GICD_SGIR_END);
	case 8:
		return off >= GICD_IROUTER_FIRST && off < GICD_IROUTER_END;
	default:
		return false;
	}
}

bool vgic_gicd_access_ok(uint64_t off, unsigned int size)
{
	return gicd_access_ok(off, size);
}

static bool gicr_access_ok(uint64_t off, unsigned int size)
{
	if ((off & (size - 1u)) != 0u)
		return false;
	switch (size) {
	case 4:
		return true;
	case 1:
		return off >= GICR_BYTE_FIRST && off < GICR_BYTE_END;
	case 8:
		return off == GICR_TYPER_OFF || off == GICR_PROPBASER || off == GICR_PENDBASER;
	default:
		return false;
	}
}

bool vgic_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	struct partition *part = v->part;
	const struct partition_arch *a = &part->arch;

	if (a->vgic_v2)
		return vgicv2_mmio(v, ipa, write, value, size);

	if (a->vgicd_base != 0 && ipa >= a->vgicd_base && ipa - a->vgicd_base < GICD_SIZE) {
		uint64_t off = ipa - a->vgicd_base;

		if (!gicd_access_ok(off, size)) {
			if (!write)
				*value = 0;
		} else if (write) {
			gicd_write(part, off, *value, size);
			vgic_vspi_gicd_write(v, off, *value, size);
			vgic_spi_state_write(v, off, *value);
		} else {
			*value = gicd_read(v, off, size);
		}
		return true;
	}
	uint64_t frames = (uint64_t)GICR_FRAME * part->cfg->cpu_count;

	if (a->vgicr_base == 0 || ipa < a->vgicr_base || ipa - a->vgicr_base >= frames)
		return false;
	unsigned int i = (unsigned int)((ipa - a->vgicr_base) / GICR_FRAME);
	uint64_t off = (ipa - a->vgicr_base) % GICR_FRAME;

	bool own = part->vcpus[i] == v;

	/* A virtual ITS's LPI registers are its own (vits.c). */
	if (a->vits != NULL && (off == GICR_CTLR || off == GICR_PROPBASER || off == GICR_PENDBASER))
		return false;
	if (!gicr_access_ok(off, size)) {
		if (!write)
			*value = 0;
	} else if (write) {
		gicr_write(part, i, off, *value, size, own);
	} else {
		*value = gicr_read(part, i, off, size, own);
	}
	return true;
}
