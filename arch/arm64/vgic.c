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
 * moved into free list registers before the target next enters its guest
 * (a running target on another CPU is kicked); with no list register free,
 * the underflow maintenance interrupt brings the vCPU back to flush more.
 *
 * Pending and active views (GICR_I[SC]PENDR0, I[SC]ACTIVER0) combine the
 * software-pending bits, this CPU's list registers (for a vCPU's own frame)
 * and, for the timers, the physical pending state, so a timer that fired
 * while disabled shows as pending.
 *
 * Passthrough SPIs are routed to the physical CPU of the partition's vCPU 0,
 * enabled physically exactly while the guest enables them, and injected
 * with the HW bit; the distributor shows and changes only the SPIs the
 * partition owns.
 *
 * Not yet: SPI pending/active views, routing SPIs to other vCPUs.
 */

#include <bulkhead/arch.h>
#include <bulkhead/partition.h>

#include <arch/gicv3.h>
#include <arch/guest.h>
#include <arch/sysreg.h>

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

#define ICH_HCR_EN 1ull
#define ICH_HCR_UIE (1ull << 1)
#define LR_STATE_MASK (3ull << 62)
#define LR_PENDING (1ull << 62)
#define LR_ACTIVE (1ull << 63)
#define LR_HW (1ull << 61)
#define LR_GROUP1 (1ull << 60)
#define LR_PRIORITY_SHIFT 48
#define LR_PINTID_SHIFT 32

/* Private interrupts whose physical twin follows the guest's enable. */
#define MIRRORED_PPIS GIC_GUEST_TIMER_PPIS

static void write_any_lr(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	case 8: write_sysreg(S3_4_C12_C13_0, v); break;
	case 9: write_sysreg(S3_4_C12_C13_1, v); break;
	case 10: write_sysreg(S3_4_C12_C13_2, v); break;
	case 11: write_sysreg(S3_4_C12_C13_3, v); break;
	case 12: write_sysreg(S3_4_C12_C13_4, v); break;
	case 13: write_sysreg(S3_4_C12_C13_5, v); break;
	case 14: write_sysreg(S3_4_C12_C13_6, v); break;
	default: write_sysreg(S3_4_C12_C13_7, v); break;
	}
}

/* List register 0 is the one free whenever the guest has nothing in
 * flight, so interrupts to an idle guest skip the switch. */
static inline __attribute__((always_inline)) void write_lr(unsigned int n, uint64_t v)
{
	if (n == 0)
		write_sysreg(S3_4_C12_C12_0, v);
	else
		write_any_lr(n, v);
}

static uint64_t read_lr(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	default: return read_sysreg(S3_4_C12_C13_7);
	}
}

static unsigned int list_registers(void)
{
	return (unsigned int)(read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2 */
}

void vgic_vcpu_reset(struct vcpu *v)
{
	struct vgic_spis *spis = &v->part->arch.spis;

	v->arch.gicr = (struct vgicr){.waker = GICR_WAKER_SLEEP};
	/* An interrupt handed over with the HW bit stays active in the GIC
	 * until the guest ends it: a guest that stopped never will. */
	for (unsigned int n = 0; n < list_registers(); n++) {
		uint64_t lr = read_lr(n);

		if ((lr & LR_HW) && (lr & LR_STATE_MASK))
			gicv3_deactivate((unsigned int)(lr >> LR_PINTID_SHIFT) & 0x3ff);
		write_lr(n, 0);
	}
	if (v->index == 0) {
		for (unsigned int i = 0; i < spis->count; i++)
			gicv3_spi_enable(spis->intid[i], false);
		spis->enabled = 0;
		v->part->arch.vgicd_ctlr = 0;
	}
	write_sysreg(S3_4_C12_C11_7, 0);          /* ICH_VMCR_EL2: the guest sets it */
	write_sysreg(S3_4_C12_C11_0, ICH_HCR_EN); /* ICH_HCR_EL2 */
	gicv3_set_ppi_enabled(v->pcpu, GIC_PPI_VTIMER, false);
	gicv3_set_ppi_enabled(v->pcpu, GIC_PPI_PTIMER, false);
	isb();
}

/* A free list register, or -1. ICH_ELRSR_EL2 bits of list registers
 * that are not implemented read as zero. */
static inline __attribute__((always_inline)) int free_lr(void)
{
	uint64_t empty = read_sysreg(S3_4_C12_C11_5) & 0xffff;

	return empty != 0 ? __builtin_ctzll(empty) : -1;
}

/* The list register holding @intid (pending and/or active), or -1. */
static int lr_of(unsigned int intid)
{
	uint64_t empty = read_sysreg(S3_4_C12_C11_5);

	for (unsigned int n = 0; n < list_registers(); n++) {
		if (!(empty & (1ull << n)) && (read_lr(n) & 0xffffffffu) == intid)
			return (int)n;
	}
	return -1;
}

/* INTIDs 0-31 in this CPU's list registers with state @bit. */
static uint32_t lr_state(uint64_t bit)
{
	uint64_t empty = read_sysreg(S3_4_C12_C11_5);
	uint32_t set = 0;

	for (unsigned int n = 0; n < list_registers(); n++) {
		uint64_t lr = read_lr(n);

		if (!(empty & (1ull << n)) && (lr & bit) && (lr & 0xffffffffu) < 32)
			set |= 1u << (lr & 31);
	}
	return set;
}

/* A guest clearing the active state (GICR_ICACTIVER0) of its own interrupts:
 * drop them from the list registers and deactivate their physical twins. */
static void clear_active(uint32_t which)
{
	uint64_t empty = read_sysreg(S3_4_C12_C11_5);

	for (unsigned int n = 0; n < list_registers(); n++) {
		uint64_t lr = read_lr(n);
		unsigned int intid = (unsigned int)(lr & 0xffffffffu);

		if ((empty & (1ull << n)) || intid >= 32 || !(which & (1u << intid)) ||
		    !(lr & LR_ACTIVE))
			continue;
		write_lr(n, 0);
		if (lr & LR_HW)
			gicv3_deactivate(intid);
	}
	isb();
}

bool vgic_inject_hw(struct vcpu *v, unsigned int intid)
{
	int n = free_lr();

	if (!(v->arch.gicr.enabled & (1u << intid)) || n < 0)
		return false;
	write_lr((unsigned int)n, LR_PENDING | LR_HW | LR_GROUP1 |
		 (uint64_t)v->arch.gicr.priority[intid] << LR_PRIORITY_SHIFT |
		 (uint64_t)intid << LR_PINTID_SHIFT | intid);
	isb();
	return true;
}

/* Index of @intid among the partition's SPIs, or -1. */
static int spi_index(const struct vgic_spis *spis, unsigned int intid)
{
	for (unsigned int i = 0; i < spis->count; i++) {
		if (spis->intid[i] == intid)
			return (int)i;
	}
	return -1;
}

void vgic_add_spi(struct partition *part, unsigned int intid, uint64_t route_mpidr)
{
	struct vgic_spis *spis = &part->arch.spis;

	if (spi_index(spis, intid) >= 0 || spis->count == VGIC_MAX_SPIS)
		return;
	spis->intid[spis->count] = (uint16_t)intid;
	spis->priority[spis->count] = 0xa0;
	spis->count++;
	spis->route_mpidr = route_mpidr;
	gicv3_spi_route(intid, route_mpidr);
}

bool vgic_inject_spi(struct vcpu *v, unsigned int intid)
{
	const struct vgic_spis *spis = &v->part->arch.spis;
	int i = spi_index(spis, intid);
	int n = i >= 0 && ((spis->enabled >> i) & 1) ? free_lr() : -1;

	if (n < 0)
		return false;
	write_lr((unsigned int)n, LR_PENDING | LR_HW | LR_GROUP1 |
		 (uint64_t)spis->priority[i] << LR_PRIORITY_SHIFT |
		 (uint64_t)intid << LR_PINTID_SHIFT | intid);
	isb();
	return true;
}

void vgic_flush(struct vcpu *v)
{
	/* Before every eret, so the usual case is quick: nothing pending and
	 * no underflow interrupt to disarm. Anything another CPU sets pending
	 * after this look comes with a kick, which flushes again. */
	if (__atomic_load_n(&v->arch.gicr.pending, __ATOMIC_RELAXED) == 0 &&
	    !(read_sysreg(S3_4_C12_C11_0) & ICH_HCR_UIE))
		return;

	uint32_t pending = __atomic_exchange_n(&v->arch.gicr.pending, 0, __ATOMIC_ACQUIRE);
	uint32_t left = 0;

	for (unsigned int intid = 0; pending != 0 && intid < 32; intid++) {
		uint32_t bit = 1u << intid;

		if (!(pending & bit))
			continue;
		pending &= ~bit;
		if (!(v->arch.gicr.enabled & bit)) {
			left |= bit; /* disabled: stays pending until enabled */
			continue;
		}
		int n = lr_of(intid);

		if (n >= 0) {
			/* Already in flight: an active one becomes active and
			 * pending; a pending one absorbs this one, as SGIs do. */
			write_lr((unsigned int)n, read_lr((unsigned int)n) | LR_PENDING);
			continue;
		}
		n = free_lr();
		if (n < 0) {
			left |= bit; /* no room: the underflow interrupt brings us back */
			continue;
		}
		write_lr((unsigned int)n, LR_PENDING | LR_GROUP1 |
			 (uint64_t)v->arch.gicr.priority[intid] << LR_PRIORITY_SHIFT | intid);
	}
	if (left != 0)
		__atomic_fetch_or(&v->arch.gicr.pending, left, __ATOMIC_RELEASE);
	/* Come back when list registers drain if something enabled still waits. */
	bool waiting = (left & v->arch.gicr.enabled) != 0;

	write_sysreg(S3_4_C12_C11_0, ICH_HCR_EN | (waiting ? ICH_HCR_UIE : 0));
	isb();
}

void vgic_send_sgi(struct vcpu *from, uint64_t sgi1r)
{
	struct partition *part = from->part;
	unsigned int intid = (unsigned int)(sgi1r >> 24) & 0xf;
	bool broadcast = (sgi1r >> 40) & 1;
	/* vCPU n is Aff0 = n with Aff1-3 zero: other affinities name no vCPU. */
	bool ours = ((sgi1r >> 16) & 0xff) == 0 && ((sgi1r >> 32) & 0xff) == 0 &&
		    ((sgi1r >> 48) & 0xff) == 0 && ((sgi1r >> 44) & 0xf) == 0;
	uint32_t targets = broadcast ? ~(1u << from->index) : ours ? (uint32_t)(sgi1r & 0xffff) : 0;

	for (unsigned int i = 0; i < part->cfg->cpu_count; i++) {
		struct vcpu *to = part->vcpus[i];

		if (!(targets & (1u << i)))
			continue;
		__atomic_fetch_or(&to->arch.gicr.pending, 1u << intid, __ATOMIC_RELEASE);
		if (to != from && __atomic_load_n(&to->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING)
			arch_cpu_kick(to->pcpu);
	}
}

#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000

/* Bits of register word @word (32 INTIDs each) for SPIs the partition owns. */
static uint32_t owned_bits(const struct vgic_spis *spis, unsigned int word, bool enabled_only)
{
	uint32_t bits = 0;

	for (unsigned int i = 0; i < spis->count; i++) {
		if (spis->intid[i] / 32 == word && (!enabled_only || ((spis->enabled >> i) & 1)))
			bits |= 1u << (spis->intid[i] % 32);
	}
	return bits;
}

/* The guest enabling or disabling its SPIs: mirrored onto the physical
 * distributor; bits of interrupts it does not own have no effect. */
static void gicd_set_enables(struct partition *part, unsigned int word, uint32_t bits, bool on)
{
	struct vgic_spis *spis = &part->arch.spis;

	for (unsigned int i = 0; i < spis->count; i++) {
		if (spis->intid[i] / 32 != word || !(bits & (1u << (spis->intid[i] % 32))))
			continue;
		if (on)
			spis->enabled |= 1ull << i;
		else
			spis->enabled &= ~(1ull << i);
		gicv3_spi_enable(spis->intid[i], on);
	}
}

static uint64_t gicd_read(const struct partition *part, uint64_t off)
{
	const struct vgic_spis *spis = &part->arch.spis;

	if (off >= GICD_IGROUPR + 4 && off < GICD_IGROUPR + 0x80)
		return owned_bits(spis, (unsigned int)(off - GICD_IGROUPR) / 4, false);
	if ((off >= GICD_ISENABLER + 4 && off < GICD_ISENABLER + 0x80) ||
	    (off >= GICD_ICENABLER + 4 && off < GICD_ICENABLER + 0x80))
		return owned_bits(spis, (unsigned int)(off & 0x7f) / 4, true);
	if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + 1020) {
		uint64_t v = 0;

		for (unsigned int b = 0; b < 4; b++) {
			int i = spi_index(spis, (unsigned int)(off - GICD_IPRIORITYR) + b);

			if (i >= 0)
				v |= (uint64_t)spis->priority[i] << (8 * b);
		}
		return v;
	}
	switch (off) {
	case GICD_CTLR:
		return part->arch.vgicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	case GICD_TYPER:
		return (9u << 19) | 31u; /* 10 ID bits; INTIDs up to 1019 */
	case GICD_IIDR:
		return IIDR_ARM;
	case GICx_PIDR2:
		return PIDR2_GICV3;
	default:
		return 0;
	}
}

static void gicd_write(struct partition *part, uint64_t off, uint64_t value, unsigned int size)
{
	struct vgic_spis *spis = &part->arch.spis;

	if (off == GICD_CTLR) {
		part->arch.vgicd_ctlr = (uint32_t)value & GICD_CTLR_ENABLE_MASK;
	} else if (off >= GICD_ISENABLER + 4 && off < GICD_ISENABLER + 0x80) {
		gicd_set_enables(part, (unsigned int)(off - GICD_ISENABLER) / 4, (uint32_t)value, true);
	} else if (off >= GICD_ICENABLER + 4 && off < GICD_ICENABLER + 0x80) {
		gicd_set_enables(part, (unsigned int)(off - GICD_ICENABLER) / 4, (uint32_t)value, false);
	} else if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + 1020) {
		for (unsigned int b = 0; b < size; b++) {
			int i = spi_index(spis, (unsigned int)(off - GICD_IPRIORITYR) + b);

			if (i >= 0)
				spis->priority[i] = (uint8_t)(value >> (8 * b));
		}
	}
	/* IROUTER: every SPI goes to vCPU 0; other registers: no effect. */
}

/* Guest enables changing: mirror the ones with a physical twin. */
static void set_enabled(struct vcpu *owner, uint32_t now)
{
	uint32_t changed = (owner->arch.gicr.enabled ^ now) & MIRRORED_PPIS;

	owner->arch.gicr.enabled = now;
	for (unsigned int intid = 16; intid < 32; intid++) {
		if (changed & (1u << intid))
			gicv3_set_ppi_enabled(owner->pcpu, intid, (now >> intid) & 1);
	}
}

static uint64_t gicr_read(const struct partition *part, unsigned int i, uint64_t off,
			  unsigned int size, bool own)
{
	const struct vcpu *owner = part->vcpus[i];
	const struct vgicr *r = &owner->arch.gicr;
	uint64_t typer = (uint64_t)i << 32 | (uint64_t)i << 8 |
			 (i + 1 == part->cfg->cpu_count ? 1u << 4 : 0);

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
		return __atomic_load_n(&r->pending, __ATOMIC_ACQUIRE) |
		       (own ? lr_state(LR_PENDING) : 0) |
		       (gicv3_ppi_pending(owner->pcpu) & MIRRORED_PPIS);
	case GICR_ISACTIVER0:
	case GICR_ICACTIVER0:
		return own ? lr_state(LR_ACTIVE) : 0;
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
			r->priority[off - GICR_IPRIORITYR + b] = (uint8_t)(value >> (8 * b));
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
		r->cfg1 = v;
		break;
	case GICR_ISPENDR0:
		__atomic_fetch_or(&r->pending, v & 0xffffu, __ATOMIC_RELEASE); /* SGIs only */
		break;
	case GICR_ICPENDR0:
		__atomic_fetch_and(&r->pending, ~v, __ATOMIC_RELEASE);
		break;
	case GICR_ICACTIVER0:
		if (own)
			clear_active(v);
		break;
	default:
		break;
	}
}

bool vgic_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	struct partition *part = v->part;
	const struct partition_arch *a = &part->arch;

	if (a->vgicd_base != 0 && ipa >= a->vgicd_base && ipa - a->vgicd_base < GICD_SIZE) {
		if (write)
			gicd_write(part, ipa - a->vgicd_base, *value, size);
		else
			*value = gicd_read(part, ipa - a->vgicd_base);
		return true;
	}
	uint64_t frames = (uint64_t)GICR_FRAME * part->cfg->cpu_count;

	if (a->vgicr_base == 0 || ipa < a->vgicr_base || ipa - a->vgicr_base >= frames)
		return false;
	unsigned int i = (unsigned int)((ipa - a->vgicr_base) / GICR_FRAME);
	uint64_t off = (ipa - a->vgicr_base) % GICR_FRAME;

	bool own = part->vcpus[i] == v;

	if (write)
		gicr_write(part, i, off, *value, size, own);
	else
		*value = gicr_read(part, i, off, size, own);
	return true;
}
