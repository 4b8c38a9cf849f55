// SPDX-License-Identifier: Apache-2.0
/*
 * A partition's virtual ITS (docs/passthrough.md, "MSI"), for a partition
 * that owns PCI functions whose MSI reach the physical ITS. Its GITS_*
 * frame sits at the physical ITS's address and traps; the translation
 * frame is not mapped for the guest (only its devices write it, through
 * the SMMU, which maps that one page for them: smmuv3.c). A CWRITER write
 * walks the guest's command queue, read from its own RAM only, and each
 * command is decoded, validated and applied by core/vits_cmd.c before the
 * effect is carried to the physical ITS (gicv3_its.c) here: every event
 * the guest maps is backed by the physical LPI of its device's block,
 * routed to the collection of the physical CPU its vCPU runs on. A refused
 * command is skipped (GITS_TYPER.SEIS = 0: no error is reported to the
 * guest), logged and counted as the partition's fault.
 *
 * The redistributors' LPI registers are here too: GICR_PROPBASER and
 * GICR_PENDBASER are checked against the partition's RAM when the guest
 * sets GICR_CTLR.EnableLPIs, and the configuration byte of a vLPI (its
 * enable and priority) is read from the guest's table, within its RAM,
 * when an INV, INVALL or MAPTI asks for it. The guest's pending table is
 * never read: the pending state is the hardware's and the list registers'.
 *
 * On a GICv4 (gicv3_its_virtual()) the same validated effects become the
 * ITS's v-commands instead: MAPTI/MAPI a VMAPTI of the guest's vLPI to the
 * vPE of its vCPU's CPU, MOVI a VMOVI, INT the physical INT, and the
 * configuration byte goes to the partition's vLPI table (GICR_VPROPBASER)
 * before an INV. The vPE is resident while the vCPU runs, so a vLPI
 * reaches the guest with no exit (docs/passthrough.md, "GICv4").
 */

#include <string.h>

#include <bulkhead/colour.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/page_pool.h>
#include <bulkhead/partition.h>
#include <bulkhead/table_carve.h>
#include <bulkhead/vits.h>

#include <arch/arm64.h>
#include <arch/gic.h>
#include <arch/gicv3.h>
#include <arch/gicv3_its.h>
#include <arch/guest.h>
#include <arch/vits.h>

#define GITS_FRAME 0x10000u
#define GITS_CTLR 0x0000u
#define GITS_CTLR_ENABLED 1u
#define GITS_CTLR_QUIESCENT (1u << 31)
#define GITS_IIDR 0x0004u
#define GITS_TYPER 0x0008u
#define GITS_CBASER 0x0080u
#define GITS_CWRITER 0x0088u
#define GITS_CREADR 0x0090u
#define GITS_PIDR2 0xffe8u
#define CBASER_VALID (1ull << 63)
#define CBASER_PA_MASK 0x000ffffffffff000ull
#define QUEUE_OFFSET_MASK 0xfffe0ull

#define GICR_FRAME 0x20000u
#define GICR_CTLR 0x0000u
#define GICR_CTLR_ENABLE_LPIS 1u
#define GICR_PROPBASER 0x0070u
#define GICR_PENDBASER 0x0078u
#define PROPBASER_PA_MASK 0x000ffffffffff000ull
#define PENDBASER_PA_MASK 0x000fffffffff0000ull

#define IIDR_ARM 0x43bu
#define PIDR2_GICV3 0x3bu
/* Physical, 8-byte ITT entries, 5 event bits, 16 DeviceID bits, HCC. */
#define VITS_TYPER (1ull | (7ull << 4) | ((uint64_t)(VITS_EVENT_BITS - 1u) << 8) | (15ull << 13) | \
		    ((uint64_t)VITS_MAX_COLLECTIONS << 24))
#define REPORT_LIMIT 8u

struct vits_arch {
	struct partition *part;
	struct spinlock lock; /* the queue and the translation state */
	struct vits s;
	uint32_t ctlr;
	uint64_t cbaser;
	uint64_t cwriter;
	uint64_t creadr;
	unsigned int slot[VITS_MAX_DEVICES]; /* each device's block of physical LPIs */
	uint32_t backed[VITS_MAX_DEVICES];   /* events mapped in the physical ITS */
	uint8_t prio[VITS_MAX_DEVICES][VITS_MAX_EVENTS];
	uint64_t propbaser[MAX_CPUS]; /* per vCPU */
	uint64_t pendbaser[MAX_CPUS];
	bool lpis_on[MAX_CPUS];
	bool v4;                  /* GICv4: vLPIs injected by the GIC */
	uint8_t *vprop;           /* GICv4: the vLPI configuration table */
	uint64_t rd[MAX_CPUS];    /* GICv4: each vCPU's CPU's redistributor */
	unsigned int reports;
	unsigned int faults; /* refusals not yet counted (outside the lock) */
	char line[160];      /* the refusal being reported */
};

/* Which partition's device each physical block of LPIs belongs to. */
static struct vits_arch *lpi_owner[ITS_MAX_DEVICES];
static uint8_t lpi_owner_dev[ITS_MAX_DEVICES];
static uint64_t its_ipa; /* the physical ITS's address: the virtual ones sit there too */

static unsigned int plpi(const struct vits_arch *x, unsigned int dev, unsigned int event)
{
	return ITS_LPI_FIRST + x->slot[dev] * ITS_EVENTS + event;
}

static void note(struct vits_arch *x, int len);

/* @size bytes at @ipa lie in the partition's RAM (page by page: coloured
 * memory is not contiguous). */
static bool in_partition_ram(const struct partition *part, uint64_t ipa, uint64_t size)
{
	uint64_t pa;
	uint64_t run;

	if (ipa + size < ipa)
		return false;
	for (uint64_t at = ipa; at < ipa + size; at = (at | (PAGE_SIZE - 1u)) + 1u) {
		if (!colour_ipa_to_pa(part->cfg, at, &pa, &run))
			return false;
	}
	return true;
}

static bool read_guest(const struct partition *part, uint64_t ipa, void *out, uint64_t size)
{
	uint64_t pa;
	uint64_t run;

	if (!colour_ipa_to_pa(part->cfg, ipa, &pa, &run) || run < size)
		return false;
	(void)memcpy(out, (const void *)(uintptr_t)pa, size);
	return true;
}

enum bh_err vits_build(struct partition *part, const struct platform *p)
{
	const struct partition_config *cfg = part->cfg;
	uint32_t devids[VITS_MAX_DEVICES];
	unsigned int count = 0;

	for (unsigned int s = 0; s < cfg->stream_count; s++) {
		if (cfg->streams[s].its_devid < 0)
			continue;
		if (count == VITS_MAX_DEVICES) {
			log_printf("error: partition %s: more than %u PCI functions with MSI\n",
				   cfg->name, VITS_MAX_DEVICES);
			return BH_ERR_TOO_MANY;
		}
		devids[count] = (uint32_t)cfg->streams[s].its_devid;
		count++;
	}
	if (count == 0u)
		return BH_OK;
	/* From the LPI tables' carve (core/table_carve.c counts a page for
	 * it), not .bss: only partitions with MSI pay for their state. */
	_Static_assert(sizeof(struct vits_arch) <= PAGE_SIZE, "a virtual ITS's state fits a page");
	struct vits_arch *x = page_pool_alloc_added(&hyp_page_pool, 1);

	if (x == NULL)
		return BH_ERR_NO_MEMORY;

	x->part = part;
	vits_init(&x->s, devids, count, cfg->cpu_count);
	for (unsigned int i = 0; i < count; i++) {
		enum bh_err err = gicv3_its_add_device(&p->arch, devids[i], &x->slot[i]);

		if (err != BH_OK) {
			log_printf("error: partition %s: DeviceID 0x%x at the ITS: %s\n", cfg->name,
				   devids[i], bh_err_name(err));
			return err;
		}
		lpi_owner[x->slot[i]] = x;
		lpi_owner_dev[x->slot[i]] = (uint8_t)i;
	}
	for (unsigned int c = 0; c < cfg->cpu_count; c++) {
		TRY(gicv3_its_cpu_enable(&p->arch, cfg->cpus[c]));
		x->rd[c] = gicv3_find_redistributor(&p->arch, cpus[cfg->cpus[c]].hwid);
	}
	if (gicv3_its_virtual()) {
		x->vprop = page_pool_alloc_added(&hyp_page_pool, LPI_PROP_PAGES);
		if (x->vprop == NULL)
			return BH_ERR_NO_MEMORY;
		x->v4 = true;
	}
	its_ipa = p->arch.its_base;
	part->arch.vits = x;
	/* GICD_TYPER: LPIS, and IDbits 13 (14 bits) over the vGIC's 9. */
	part->arch.gicd_typer_lpis = (1u << 17) | (4u << 19);
	return BH_OK;
}

uint64_t vits_translater_page(const struct partition *part)
{
	return part->arch.vits != NULL ? its_ipa + GITS_FRAME : 0u;
}

/* The guest's configuration byte of vLPI @vlpi through vCPU @vcpu's
 * GICR_PROPBASER; 0 (disabled) when LPIs are off there or the table does
 * not reach it. */
static uint8_t config_byte(const struct vits_arch *x, unsigned int vcpu, unsigned int vlpi)
{
	uint64_t base = x->propbaser[vcpu];
	unsigned int bits = (unsigned int)(base & 0x1fu) + 1u;
	uint8_t byte = 0;

	if (!x->lpis_on[vcpu] || (bits < VITS_LPI_BITS && vlpi >= (1u << bits)))
		return 0;
	if (!read_guest(x->part, (base & PROPBASER_PA_MASK) + (uint64_t)(vlpi - VITS_LPI_BASE), &byte, 1))
		return 0;
	return byte;
}

static void refresh(struct vits_arch *x, unsigned int dev, unsigned int event)
{
	const struct vits_event *ev = &x->s.dev[dev].ev[event];
	uint8_t byte = config_byte(x, vits_event_vcpu(&x->s, dev, event), ev->vlpi);

	x->prio[dev][event] = byte & 0xfcu;
	if (x->v4) {
		gicv3_its_set_vconfig(x->vprop, x->s.dev[dev].devid, event, ev->vlpi, byte);
		return;
	}
	gicv3_its_set_enabled(x->s.dev[dev].devid, event, plpi(x, dev, event), (byte & 1u) != 0u);
}

static void unback(struct vits_arch *x, unsigned int dev, uint32_t events)
{
	for (uint32_t set = events & x->backed[dev]; set != 0u; set &= set - 1u) {
		unsigned int e = (unsigned int)__builtin_ctz(set);

		/* GICv4: the vLPI's byte may serve another event; the DISCARD
		 * alone ends this one. */
		if (!x->v4)
			gicv3_its_set_enabled(x->s.dev[dev].devid, e, plpi(x, dev, e), false);
		gicv3_its_discard(x->s.dev[dev].devid, e);
	}
	x->backed[dev] &= ~events;
}

static unsigned int pcpu_of(const struct vits_arch *x, unsigned int vcpu)
{
	return x->part->cfg->cpus[vcpu];
}

static void carry_out(struct vcpu *v, struct vits_arch *x, const struct vits_effect *e)
{
	uint32_t devid = x->s.dev[e->dev].devid;
	uint32_t bit = 1u << e->event;

	switch (e->kind) {
	case VITS_MAP:
		unback(x, e->dev, bit);
		if (x->v4)
			gicv3_its_vmap(devid, e->event, x->s.dev[e->dev].ev[e->event].vlpi,
				       pcpu_of(x, e->vcpu));
		else
			gicv3_its_map(devid, e->event, plpi(x, e->dev, e->event), pcpu_of(x, e->vcpu));
		x->backed[e->dev] |= bit;
		refresh(x, e->dev, e->event);
		break;
	case VITS_UNMAP:
		unback(x, e->dev, bit);
		break;
	case VITS_UNMAP_ALL:
		unback(x, e->dev, e->events);
		break;
	case VITS_MOVE:
		if (x->v4)
			gicv3_its_vmove(devid, e->event, pcpu_of(x, e->vcpu));
		else
			gicv3_its_move(devid, e->event, pcpu_of(x, e->vcpu));
		break;
	case VITS_INV:
		refresh(x, e->dev, e->event);
		break;
	case VITS_INV_ALL:
		for (unsigned int d = 0; d < x->s.device_count; d++) {
			for (uint32_t set = x->backed[d]; set != 0u; set &= set - 1u) {
				unsigned int ev = (unsigned int)__builtin_ctz(set);

				if (vits_event_vcpu(&x->s, d, ev) == e->vcpu)
					refresh(x, d, ev);
			}
		}
		break;
	case VITS_RAISE: {
		struct vcpu *to = x->part->vcpus[e->vcpu];
		unsigned int vlpi = x->s.dev[e->dev].ev[e->event].vlpi;

		if (x->v4)
			gicv3_its_int(devid, e->event); /* pending in its vPE's table */
		else if (to == v)
			(void)vgic_lpi_inject(to, vlpi, x->prio[e->dev][e->event]);
		else if (vgic_lpi_post(to, vlpi, x->prio[e->dev][e->event]))
			arch_cpu_kick(to->pcpu);
		else {
			/* its waiting list is full: as a full pending table would not */
		}
		break;
	}
	case VITS_CLEAR:
		gicv3_its_clear(devid, e->event);
		vgic_lpi_forget(x->part->vcpus[e->vcpu], x->s.dev[e->dev].ev[e->event].vlpi);
		break;
	default:
		break;
	}
}

/* The commands between CREADR and CWRITER, each from the guest's RAM. */
static void run_queue(struct vcpu *v, struct vits_arch *x)
{
	uint64_t base = x->cbaser & CBASER_PA_MASK;
	uint64_t size = ((x->cbaser & 0xffu) + 1u) * PAGE_SIZE;

	if ((x->ctlr & GITS_CTLR_ENABLED) == 0u || (x->cbaser & CBASER_VALID) == 0u)
		return;
	if (x->cwriter >= size) {
		note(x, bh_snprintf(x->line, sizeof(x->line), "GITS_CWRITER 0x%llx beyond its %llu-byte queue: ignored",
		       (unsigned long long)x->cwriter, (unsigned long long)size));
		x->cwriter = x->creadr;
		return;
	}
	while (x->creadr != x->cwriter) {
		uint64_t w[4];
		struct its_cmd c;
		struct vits_effect e;

		if (!read_guest(x->part, base + x->creadr, w, sizeof(w))) {
			note(x, bh_snprintf(x->line, sizeof(x->line), "command queue at IPA 0x%llx outside its memory: stalled",
			       (unsigned long long)(base + x->creadr)));
			return;
		}
		its_cmd_decode(w, &c);
		const char *why = vits_apply(&x->s, &c, &e);

		if (why == NULL)
			carry_out(v, x, &e);
		else if (c.op == (uint8_t)ITS_MAPC || c.op == (uint8_t)ITS_SYNC || c.op == (uint8_t)ITS_INVALL)
			note(x, bh_snprintf(x->line, sizeof(x->line), "ITS command 0x%02x (ICID %u, target %u) refused: %s", c.op, c.icid,
			       c.target, why));
		else
			note(x, bh_snprintf(x->line, sizeof(x->line), "ITS command 0x%02x (DeviceID 0x%x, event %u) refused: %s", c.op,
			       c.devid, c.event, why));
		x->creadr = (x->creadr + VITS_CMD_BYTES) % size;
	}
}

static bool queue_ok(struct vits_arch *x, uint64_t cbaser)
{
	uint64_t base = cbaser & CBASER_PA_MASK;
	uint64_t size = ((cbaser & 0xffu) + 1u) * PAGE_SIZE;

	if ((cbaser & CBASER_VALID) == 0u || in_partition_ram(x->part, base, size))
		return true;
	note(x, bh_snprintf(x->line, sizeof(x->line), "GITS_CBASER: queue at IPA 0x%llx-0x%llx outside its memory: not valid",
	       (unsigned long long)base, (unsigned long long)(base + size - 1u)));
	return false;
}

static uint64_t gits_read(const struct vits_arch *x, uint64_t off)
{
	switch (off) {
	case GITS_CTLR:
		return x->ctlr | GITS_CTLR_QUIESCENT;
	case GITS_IIDR:
		return IIDR_ARM;
	case GITS_TYPER:
		return VITS_TYPER;
	case GITS_TYPER + 4u:
		return VITS_TYPER >> 32;
	case GITS_CBASER:
		return x->cbaser;
	case GITS_CWRITER:
		return x->cwriter;
	case GITS_CREADR:
		return x->creadr;
	case GITS_PIDR2:
		return PIDR2_GICV3;
	default:
		return 0; /* GITS_BASERn included: no tables of the guest's (docs) */
	}
}

static void gits_write(struct vcpu *v, struct vits_arch *x, uint64_t off, uint64_t value)
{
	switch (off) {
	case GITS_CTLR:
		x->ctlr = (uint32_t)value & GITS_CTLR_ENABLED;
		run_queue(v, x);
		break;
	case GITS_CBASER:
		/* Only while the ITS is off, as the architecture allows. */
		if ((x->ctlr & GITS_CTLR_ENABLED) == 0u) {
			x->cbaser = queue_ok(x, value) ? value & (CBASER_VALID | CBASER_PA_MASK | 0xffu)
						       : 0u;
			x->creadr = 0;
			x->cwriter = 0;
		}
		break;
	case GITS_CWRITER:
		x->cwriter = value & QUEUE_OFFSET_MASK;
		run_queue(v, x);
		break;
	default:
		break;
	}
}

/* GICR_CTLR.EnableLPIs: only with both tables in the partition's RAM. */
static void enable_lpis(struct vits_arch *x, unsigned int i)
{
	unsigned int bits = (unsigned int)(x->propbaser[i] & 0x1fu) + 1u;
	uint64_t ids = 1ull << (bits < VITS_LPI_BITS ? bits : VITS_LPI_BITS);
	uint64_t prop = x->propbaser[i] & PROPBASER_PA_MASK;
	uint64_t pend = x->pendbaser[i] & PENDBASER_PA_MASK;

	if (bits <= 13u) {
		note(x, bh_snprintf(x->line, sizeof(x->line), "vCPU %u: GICR_PROPBASER.IDbits %u: no LPIs: LPIs stay off", i, bits - 1u));
	} else if (!in_partition_ram(x->part, prop, ids - VITS_LPI_BASE)) {
		note(x, bh_snprintf(x->line, sizeof(x->line), "vCPU %u: GICR_PROPBASER table at IPA 0x%llx outside its memory: LPIs stay off",
		       i, (unsigned long long)prop));
	} else if (!in_partition_ram(x->part, pend, ids / 8u)) {
		note(x, bh_snprintf(x->line, sizeof(x->line), "vCPU %u: GICR_PENDBASER table at IPA 0x%llx outside its memory: LPIs stay off",
		       i, (unsigned long long)pend));
	} else {
		x->lpis_on[i] = true;
	}
}

/* The redistributors' LPI registers (the vGIC leaves them here). */
static bool lpi_regs(struct vits_arch *x, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	const struct partition_arch *a = &x->part->arch;
	uint64_t frames = (uint64_t)GICR_FRAME * x->part->cfg->cpu_count;

	if (a->vgicr_base == 0u || ipa < a->vgicr_base || ipa - a->vgicr_base >= frames)
		return false;
	unsigned int i = (unsigned int)((ipa - a->vgicr_base) / GICR_FRAME);
	uint64_t off = (ipa - a->vgicr_base) % GICR_FRAME;

	switch (off) {
	case GICR_CTLR:
		if (size != 4u) {
			*value = 0; /* not an access the architecture gives it: RAZ/WI */
		} else if (!write) {
			*value = x->lpis_on[i] ? GICR_CTLR_ENABLE_LPIS : 0u;
		} else if ((*value & GICR_CTLR_ENABLE_LPIS) != 0u && !x->lpis_on[i]) {
			enable_lpis(x, i);
		} else {
			/* Once on, LPIs stay on until a restart (allowed). */
		}
		return true;
	case GICR_PROPBASER:
	case GICR_PENDBASER: {
		uint64_t *reg = off == GICR_PROPBASER ? &x->propbaser[i] : &x->pendbaser[i];

		if (size != 8u && size != 4u) {
			*value = 0;
		} else if (!write) {
			*value = size == 8u ? *reg : (*reg & 0xffffffffull);
		} else if (!x->lpis_on[i]) {
			*reg = size == 8u ? *value : (*reg & ~0xffffffffull) | (*value & 0xffffffffull);
		} else {
			/* Fixed while LPIs are on, as the architecture allows. */
		}
		return true;
	}
	default:
		return false;
	}
}

bool vits_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	struct vits_arch *x = v->part->arch.vits;
	bool done;

	if (x == NULL)
		return false;
	spin_lock(&x->lock);
	if (ipa >= its_ipa && ipa - its_ipa < GITS_FRAME) {
		uint64_t off = ipa - its_ipa;

		done = true;
		if ((off & (size - 1u)) != 0u || size < 4u) {
			if (!write)
				*value = 0;
		} else if (write) {
			gits_write(v, x, off, *value);
		} else {
			*value = gits_read(x, off);
		}
	} else {
		done = lpi_regs(x, ipa, write, value, size);
	}
	unsigned int faults = x->faults;

	x->faults = 0;
	spin_unlock(&x->lock);
	/* Each refusal is a fault for the partition's policy, which may stop it. */
	for (unsigned int i = 0; i < faults; i++)
		partition_fault(v->part, "refused ITS access");
	return done;
}

bool vits_lpi(struct vcpu *v, unsigned int intid)
{
	unsigned int slot = (intid - ITS_LPI_FIRST) / ITS_EVENTS;
	unsigned int event = (intid - ITS_LPI_FIRST) % ITS_EVENTS;

	if (intid < ITS_LPI_FIRST || slot >= ITS_MAX_DEVICES || lpi_owner[slot] == NULL)
		return false;
	struct vits_arch *x = lpi_owner[slot];
	unsigned int dev = lpi_owner_dev[slot];
	unsigned int vlpi = x->s.dev[dev].ev[event].vlpi;

	/* Unmapped meanwhile, or (never: each CPU runs one partition) another
	 * partition's: dropped. */
	if (vlpi == 0u || x->part != v->part)
		return true;
	struct vcpu *to = x->part->vcpus[vits_event_vcpu(&x->s, dev, event)];

	if (to == v)
		(void)vgic_lpi_inject(v, vlpi, x->prio[dev][event]);
	else if (vgic_lpi_post(to, vlpi, x->prio[dev][event]))
		arch_cpu_kick(to->pcpu); /* moved while in flight */
	else {
		/* its waiting list is full */
	}
	return true;
}

void vits_reset(struct partition *part)
{
	struct vits_arch *x = part->arch.vits;

	if (x == NULL)
		return;
	spin_lock(&x->lock);
	for (unsigned int d = 0; d < x->s.device_count; d++)
		unback(x, d, ~0u);
	vits_forget(&x->s);
	x->ctlr = 0;
	x->cbaser = 0;
	x->cwriter = 0;
	x->creadr = 0;
	x->reports = 0;
	x->faults = 0;
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		x->propbaser[i] = 0;
		x->pendbaser[i] = 0;
		x->lpis_on[i] = false;
	}
	for (unsigned int i = 0; i < part->cfg->cpu_count; i++) {
		vgic_lpi_forget(part->vcpus[i], 0);
		/* Every vCPU is off, its vPE not resident: no stale vLPI. */
		if (x->v4)
			gicv3_its_vpt_clear(part->cfg->cpus[i]);
	}
	if (x->v4)
		(void)memset(x->vprop, 0, LPI_PROP_PAGES * PAGE_SIZE);
	spin_unlock(&x->lock);
}

void vits_vcpu_resident(const struct vcpu *v, bool resident)
{
	const struct vits_arch *x = v->part->arch.vits;

	if (x != NULL && x->v4)
		gicv3_its_vpe_resident(x->rd[v->index], x->vprop, v->pcpu, resident);
}

/* The line just formatted into x->line: logged (rate-limited), and counted
 * as a fault once the lock is dropped. */
static void note(struct vits_arch *x, int len)
{
	(void)len;
	if (x->reports < REPORT_LIMIT) {
		x->reports++;
		log_printf("partition %s: its: %s%s\n", x->part->cfg->name, x->line,
			   x->reports == REPORT_LIMIT ? "; further ones not reported" : "");
	}
	x->faults++;
}
