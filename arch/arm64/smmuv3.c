// SPDX-License-Identifier: Apache-2.0
/*
 * The SMMUv3 driver (docs/smmu.md). Boot decides everything first: probe
 * reads what each SMMU can do and leaves it aborting all DMA; assign records
 * which partition owns which stream; enable builds the stream table (a
 * linear one, sized to the highest stream given out), writes an entry for
 * each owned stream and leaves every other entry invalid, so that DMA from
 * any master nobody was given aborts and is reported rather than bypassing
 * translation. Nothing changes at run time but the event queue.
 *
 * A stream translates with the partition's own stage-2 tables and VMID
 * where the SMMU has stage 2 (the tables are shared with the partition's
 * CPUs). Where it has only stage 1 (QEMU's model), it uses stage-1 tables
 * the hypervisor builds from the partition's memory map (guest-physical in,
 * physical out): they map exactly the partition's RAM, nothing else.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/colour.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/partition.h>

#include <arch/arm64.h>
#include <arch/gic.h>
#include <arch/mmio.h>
#include <arch/pgtable.h>
#include <arch/smmuv3.h>
#include <arch/vits.h>

const char *const arch_iommu_compatibles[] = {"arm,smmu-v3", NULL};

#define SMMU_IDR0 0x00u
#define SMMU_IDR1 0x04u
#define SMMU_IDR5 0x14u
#define SMMU_CR0 0x20u
#define SMMU_CR0ACK 0x24u
#define SMMU_CR1 0x28u
#define SMMU_CR2 0x2cu
#define SMMU_GBPA 0x44u
#define SMMU_IRQ_CTRL 0x50u
#define SMMU_IRQ_CTRLACK 0x54u
#define SMMU_GERROR 0x60u
#define SMMU_GERRORN 0x64u
#define SMMU_STRTAB_BASE 0x80u
#define SMMU_STRTAB_BASE_CFG 0x88u
#define SMMU_CMDQ_BASE 0x90u
#define SMMU_CMDQ_PROD 0x98u
#define SMMU_CMDQ_CONS 0x9cu
#define SMMU_EVENTQ_BASE 0xa0u
#define SMMU_EVENTQ_PROD 0x100a8u /* in register page 1 */
#define SMMU_EVENTQ_CONS 0x100acu
#define SMMU_MMIO_MIN 0x20000u

#define IDR0_S2P (1u << 0)
#define IDR0_S1P (1u << 1)
#define IDR0_TTF_AARCH64 (1u << 3)
#define IDR0_COHACC (1u << 4)
#define IDR0_SEV (1u << 14)
#define IDR1_PRESET (3u << 29) /* TABLES_PRESET, QUEUES_PRESET */
#define CR0_SMMUEN (1u << 0)
#define CR0_EVENTQEN (1u << 2)
#define CR0_CMDQEN (1u << 3)
#define GBPA_ABORT (1u << 20)
#define GBPA_UPDATE (1u << 31)
#define IRQ_CTRL_GERROR (1u << 0)
#define IRQ_CTRL_EVENTQ (1u << 2)
#define CR2_RECINVSID (1u << 1)
#define CR2_PTM (1u << 2)
/* Tables and queues: inner and outer write-back, inner shareable. */
#define CR1_CACHEABLE 0xd55u
#define BASE_ALLOCATE (1ull << 62)
#define QUEUE_OVERFLOW (1u << 31)

#define CMDQ_LOG2 8   /* 256 commands: one page */
#define EVENTQ_LOG2 7 /* 128 events: one page */
#define MIN_STRTAB_LOG2 6 /* 64 entries: one page */
#define MAX_SMMUS 2
#define MAX_OWNED (MAX_PARTITIONS * MAX_PARTITION_STREAMS)
#define FAULT_REPORT_LIMIT 8u
#define ACK_TIMEOUT_NS 10000000ull /* 10 ms */

struct stream_owner {
	uint32_t stream;
	struct partition *part;
};

/* Rate limiting: a transfer faults once per bus beat, so an event like the
 * last one reported (same stream, type and page) is only counted. */
struct fault_log {
	unsigned int reports;
	uint32_t stream;
	uint8_t type;
	bool write;
	uint64_t page;
};

struct smmu {
	int node;
	uint64_t base;
	uint32_t idr0;
	unsigned int sid_bits;
	unsigned int oas; /* PARange encoding of the output size */
	uint32_t irq_eventq, irq_gerror; /* GIC INTIDs, 0 if not wired */
	bool eventq_edge, gerror_edge;
	uint64_t *strtab;
	uint64_t *cmdq;
	uint32_t cmdq_prod;
	uint64_t *eventq;
	uint32_t eventq_cons;
	struct stream_owner owned[MAX_OWNED];
	unsigned int owned_count;
	struct fault_log stray; /* events of streams no partition owns */
	unsigned int overflow_reports; /* lines printed, up to FAULT_REPORT_LIMIT */
	unsigned int gerror_reports;
};

/* The driver's state, from the page pool when the DT has an SMMU: a board
 * without one pays nothing for it in the image. */
struct smmu_state {
	/* Stage-1 context descriptors, one per partition (64-byte aligned:
	 * the state starts a page). */
	uint64_t context_descriptors[MAX_PARTITIONS][SMMU_CD_WORDS];
	struct fault_log dma_faults[MAX_PARTITIONS];
	struct smmu smmus[MAX_SMMUS];
};

static struct smmu_state *state;
static struct smmu *smmus;
static unsigned int smmu_count;
/* Stage-1 context descriptors, one per partition (SMMUs without stage 2). */

/* Whether @e is a new fault rather than another beat of the last one
 * (same stream, type, direction and page). */
static bool new_fault(struct fault_log *log, const struct smmu_event *e)
{
	uint64_t page = e->address >> 12;

	if (log->reports != 0 && log->stream == e->stream && log->type == e->type &&
	    log->write == e->write && log->page == page)
		return false;
	log->stream = e->stream;
	log->type = e->type;
	log->write = e->write;
	log->page = page;
	return true;
}

/* Whether a new fault still gets a log line. */
static bool reportable(struct fault_log *log)
{
	if (log->reports >= FAULT_REPORT_LIMIT)
		return false;
	log->reports++;
	return true;
}

/*
 * Register updates (CR0, IRQ_CTRL, GBPA) are acknowledged within a few SMMU
 * clock cycles; this is boot-time only, bounded, and there is no interrupt
 * or event to wait on, so it polls.
 */
static enum bh_err wait_reg(const struct smmu *s, uint64_t off, uint32_t mask, uint32_t value)
{
	uint64_t deadline = arch_time_ns() + ACK_TIMEOUT_NS;

	while ((mmio_read32(s->base + off) & mask) != value) {
		if (arch_time_ns() > deadline) {
			log_printf("error: smmu 0x%llx: register 0x%llx not acknowledged\n",
				   (unsigned long long)s->base, (unsigned long long)off);
			return BH_ERR_FIRMWARE;
		}
	}
	return BH_OK;
}

static enum bh_err write_ack(const struct smmu *s, uint64_t off, uint64_t ack, uint32_t v)
{
	mmio_write32(s->base + off, v);
	return wait_reg(s, ack, 0xffffffffu, v);
}

/* Queue pointers: an index, and above it a wrap bit. */
static uint32_t queue_next(uint32_t ptr, unsigned int log2)
{
	return (ptr + 1) & ((2u << log2) - 1);
}

static void command(struct smmu *s, const uint64_t cmd[SMMU_CMD_WORDS])
{
	uint32_t index = s->cmdq_prod & ((1u << CMDQ_LOG2) - 1);

	s->cmdq[2 * index] = cmd[0];
	s->cmdq[2 * index + 1] = cmd[1];
	__asm__ volatile("dsb ishst" : : : "memory");
	s->cmdq_prod = queue_next(s->cmdq_prod, CMDQ_LOG2);
	mmio_write32(s->base + SMMU_CMDQ_PROD, s->cmdq_prod);
}

/* Issue CMD_SYNC and wait until the SMMU has consumed everything before it. */
static enum bh_err sync(struct smmu *s)
{
	uint64_t cmd[SMMU_CMD_WORDS];
	uint64_t deadline = arch_time_ns() + ACK_TIMEOUT_NS;

	smmu_cmd_sync(cmd);
	command(s, cmd);
	while ((mmio_read32(s->base + SMMU_CMDQ_CONS) & ((2u << CMDQ_LOG2) - 1)) != s->cmdq_prod) {
		if (arch_time_ns() > deadline) {
			log_printf("error: smmu 0x%llx: command queue stuck (CONS 0x%x)\n",
				   (unsigned long long)s->base, mmio_read32(s->base + SMMU_CMDQ_CONS));
			return BH_ERR_FIRMWARE;
		}
		/* The SYNC signals completion with SEV where the SMMU can. */
		if (s->idr0 & IDR0_SEV)
			__asm__ volatile("wfe" : : : "memory");
	}
	return BH_OK;
}

/* The GIC INTID of the interrupt named @name, and its trigger. */
static uint32_t named_irq(const void *fdt, int node, const char *name, bool *edge)
{
	int index = fdt_stringlist_search(fdt, node, "interrupt-names", name);
	int len;
	const fdt32_t *v = dt_getprop(fdt, node, "interrupts", &len);

	if (index < 0 || v == NULL || len < 12 * (index + 1) || fdt32_to_cpu(v[3 * index]) != 0)
		return 0;
	*edge = (fdt32_to_cpu(v[3 * index + 2]) & DT_IRQ_TYPE_EDGE_BOTH) != 0;
	return fdt32_to_cpu(v[3 * index + 1]) + 32;
}

static enum bh_err probe_one(const void *fdt, int node, struct smmu *s)
{
	struct mem_range r;

	if (fdt_node_reg(fdt, node, 0, &r) != BH_OK || fdt_reg_to_cpu(fdt, node, &r) != BH_OK ||
	    r.size < SMMU_MMIO_MIN) {
		log_prop_error(fdt, node, "reg", "an SMMUv3 needs its two 64 KiB register pages");
		return BH_ERR_INVALID;
	}
	s->node = node;
	s->base = r.base;
	TRY(mmu_map(r.base, r.size, MMU_DEVICE));
	s->idr0 = mmio_read32(s->base + SMMU_IDR0);
	uint32_t idr1 = mmio_read32(s->base + SMMU_IDR1);

	s->sid_bits = idr1 & 0x3f;
	s->oas = mmio_read32(s->base + SMMU_IDR5) & 7;
	if (!(s->idr0 & IDR0_TTF_AARCH64) || !(s->idr0 & (IDR0_S1P | IDR0_S2P)) ||
	    (idr1 & IDR1_PRESET) || ((idr1 >> 21) & 0x1f) < CMDQ_LOG2 ||
	    ((idr1 >> 16) & 0x1f) < EVENTQ_LOG2) {
		char what[128];

		(void)bh_snprintf(what, sizeof(what), "this SMMUv3 lacks AArch64 tables, a translation "
			    "stage or queues of the size Bulkhead uses (IDR0 0x%x, IDR1 0x%x)",
			    s->idr0, idr1);
		log_prop_error(fdt, node, "compatible", what);
		return BH_ERR_UNSUPPORTED;
	}
	if (!(s->idr0 & IDR0_COHACC)) {
		log_prop_error(fdt, node, "compatible",
			 "SMMUs whose table walks are not cache coherent are not supported yet");
		return BH_ERR_UNSUPPORTED;
	}
	s->irq_eventq = named_irq(fdt, node, "eventq", &s->eventq_edge);
	s->irq_gerror = named_irq(fdt, node, "gerror", &s->gerror_edge);
	/* Until enable: off, and aborting what arrives meanwhile. */
	TRY(write_ack(s, SMMU_CR0, SMMU_CR0ACK, 0));
	mmio_write32(s->base + SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	TRY(wait_reg(s, SMMU_GBPA, GBPA_UPDATE, 0));
	log_printf("smmu: SMMUv3 at 0x%llx, stage %s, %u-bit stream IDs, events on INTID %u\n",
		   (unsigned long long)s->base, s->idr0 & IDR0_S2P ? "2 (shared with the CPUs)" :
		   "1 (hypervisor-owned tables)", s->sid_bits, s->irq_eventq);
	return BH_OK;
}

enum bh_err smmuv3_probe(const void *fdt)
{
	for (int node = dt_node_by_compatible(fdt, -1, "arm,smmu-v3"); node >= 0;
	     node = dt_node_by_compatible(fdt, node, "arm,smmu-v3")) {
		if (!fdt_node_enabled(fdt, node))
			continue;
		if (state == NULL) {
			state = arch_boot_alloc_pinned(sizeof(*state));
			if (state == NULL)
				return BH_ERR_NO_MEMORY;
			smmus = state->smmus;
		}
		if (smmu_count == MAX_SMMUS) {
			log_prop_error(fdt, node, "compatible", "more SMMUs than this build drives (2)");
			return BH_ERR_TOO_MANY;
		}
		TRY(probe_one(fdt, node, &smmus[smmu_count]));
		smmu_count++;
	}
	return BH_OK;
}

static struct smmu *smmu_of_node(int node)
{
	for (unsigned int i = 0; i < smmu_count; i++) {
		if (smmus[i].node == node)
			return &smmus[i];
	}
	return NULL;
}

/* The partition's stage-1 DMA tables: its RAM, guest-physical to physical. */
static enum bh_err build_stage1(struct partition *part)
{
	struct partition_arch *a = &part->arch;
	const struct partition_config *cfg = part->cfg;

	if (a->dma_s1.root != NULL)
		return BH_OK;
	smmu_s1_geometry(a->s2.ipa_bits, &a->dma_s1.start_level, &a->dma_s1.root_bits);
	a->dma_s1.pool = &hyp_page_pool;
	a->dma_s1.root = page_pool_alloc(&hyp_page_pool, 1);
	if (a->dma_s1.root == NULL)
		return BH_ERR_NO_MEMORY;
	/* The same pages as the partition's stage 2, coloured or not. */
	struct colour_run r = {0};

	while (colour_next_run(cfg, &r))
		TRY(pgtable_map(&a->dma_s1, r.ipa, r.pa, r.size, SMMU_S1_LEAF_ATTRS, true));
	/* Its functions' MSI writes: the ITS's doorbell page, where its DT
	 * puts its virtual ITS (vits.c). The ITS tells devices apart by
	 * DeviceID, which the bus gives and no write can forge. */
	uint64_t doorbell = vits_translater_page(part);

	if (doorbell != 0u)
		TRY(pgtable_map(&a->dma_s1, doorbell, doorbell, PAGE_SIZE, SMMU_S1_LEAF_ATTRS, true));
	return BH_OK;
}

enum bh_err smmuv3_assign(struct partition *part, const struct partition_stream *stream)
{
	struct smmu *s = smmu_of_node(stream->iommu);

	/* The configuration only gives out streams of enabled SMMUv3 nodes;
	 * one that failed to probe stopped the boot before this. */
	if (s == NULL || s->owned_count == MAX_OWNED)
		return BH_ERR_INVALID;
	if ((stream->id >> s->sid_bits) != 0u) {
		log_printf("error: partition %s: stream 0x%x is beyond the SMMU's %u-bit stream IDs\n",
			   part->cfg->name, stream->id, s->sid_bits);
		return BH_ERR_INVALID;
	}
	if (!(s->idr0 & IDR0_S2P))
		TRY(build_stage1(part));
	s->owned[s->owned_count++] = (struct stream_owner){stream->id, part};
	return BH_OK;
}

static void write_ste(struct smmu *s, const struct stream_owner *o)
{
	uint64_t *ste = &s->strtab[(uint64_t)o->stream * SMMU_STE_WORDS];
	struct partition_arch *a = &o->part->arch;

	if ((s->idr0 & IDR0_S2P) != 0u) {
		smmu_ste_stage2(ste, &a->s2);
		return;
	}
	uint64_t *cd = state->context_descriptors[o->part->id];
	unsigned int ips = a->s2.pa_range < s->oas ? a->s2.pa_range : s->oas;

	smmu_cd(cd, (uint64_t)(uintptr_t)a->dma_s1.root, a->s2.ipa_bits, ips,
		(uint16_t)(o->part->id + 1));
	smmu_ste_stage1(ste, (uint64_t)(uintptr_t)cd);
}

static unsigned int strtab_log2(const struct smmu *s)
{
	unsigned int log2 = MIN_STRTAB_LOG2;

	for (unsigned int i = 0; i < s->owned_count; i++) {
		while ((s->owned[i].stream >> log2) != 0u)
			log2++;
	}
	return log2 < s->sid_bits ? log2 : s->sid_bits;
}

static void route_irq(uint32_t intid, bool edge, uint64_t mpidr)
{
	if (intid == 0)
		return;
	gic_spi_set_edge(intid, edge);
	gic_spi_route(intid, mpidr);
	gic_spi_enable(intid, true);
}

/*
 * The CPU that takes @s's interrupts: @spare, one no vCPU runs on, if there
 * is one. Else a CPU of the partition owning the first stream behind it:
 * its DMA faults are the likeliest, and it pays for them itself; a
 * neighbour's faults on the same SMMU cost it no more than the bounded work
 * of drain_events(). With no stream owned, only unowned devices can fault:
 * the boot CPU, with the same bounds.
 */
static unsigned int event_cpu(const struct smmu *s, int spare, const char **why)
{
	if (spare >= 0) {
		*why = "no partition runs there";
		return (unsigned int)spare;
	}
	if (s->owned_count != 0u) {
		*why = "a partition owning streams here";
		return s->owned[0].part->cfg->cpus[0];
	}
	*why = "the boot CPU: no stream owned here";
	return 0;
}

static enum bh_err enable_one(struct smmu *s, const struct platform *p, int spare)
{
	const char *why;
	unsigned int cpu = event_cpu(s, spare, &why);
	uint64_t mpidr = p->cpus[cpu].hwid;
	unsigned int log2 = strtab_log2(s);
	/* 64-byte entries: 2^log2 of them take 2^(log2 - 6) pages, aligned so. */
	size_t pages = (size_t)1 << (log2 - MIN_STRTAB_LOG2);
	uint64_t cmd[SMMU_CMD_WORDS];

	s->strtab = page_pool_alloc(&hyp_page_pool, pages);
	s->cmdq = page_pool_alloc(&hyp_page_pool, 1);
	s->eventq = page_pool_alloc(&hyp_page_pool, 1);
	if (s->strtab == NULL || s->cmdq == NULL || s->eventq == NULL) {
		log_printf("error: smmu 0x%llx: no room for its tables\n", (unsigned long long)s->base);
		return BH_ERR_NO_MEMORY;
	}
	for (unsigned int i = 0; i < s->owned_count; i++)
		write_ste(s, &s->owned[i]);
	__asm__ volatile("dsb ishst" : : : "memory");

	TRY(write_ack(s, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, 0));
	mmio_write32(s->base + SMMU_CR1, CR1_CACHEABLE);
	mmio_write32(s->base + SMMU_CR2, CR2_RECINVSID | CR2_PTM);
	mmio_write64(s->base + SMMU_STRTAB_BASE, BASE_ALLOCATE | (uint64_t)(uintptr_t)s->strtab);
	mmio_write32(s->base + SMMU_STRTAB_BASE_CFG, log2); /* FMT 0: linear */
	mmio_write64(s->base + SMMU_CMDQ_BASE, BASE_ALLOCATE | (uint64_t)(uintptr_t)s->cmdq | CMDQ_LOG2);
	mmio_write32(s->base + SMMU_CMDQ_PROD, 0);
	mmio_write32(s->base + SMMU_CMDQ_CONS, 0);
	mmio_write64(s->base + SMMU_EVENTQ_BASE, BASE_ALLOCATE | (uint64_t)(uintptr_t)s->eventq | EVENTQ_LOG2);
	mmio_write32(s->base + SMMU_EVENTQ_PROD, 0);
	mmio_write32(s->base + SMMU_EVENTQ_CONS, 0);
	s->cmdq_prod = 0;
	s->eventq_cons = 0;
	TRY(write_ack(s, SMMU_CR0, SMMU_CR0ACK, CR0_CMDQEN));
	/* Nothing the SMMU may have cached from before is trusted. */
	smmu_cmd_cfgi_all(cmd);
	command(s, cmd);
	smmu_cmd_tlbi_nsnh_all(cmd);
	command(s, cmd);
	smmu_cmd_tlbi_el2_all(cmd);
	command(s, cmd);
	TRY(sync(s));
	TRY(write_ack(s, SMMU_CR0, SMMU_CR0ACK, CR0_CMDQEN | CR0_EVENTQEN));
	route_irq(s->irq_eventq, s->eventq_edge, mpidr);
	route_irq(s->irq_gerror, s->gerror_edge, mpidr);
	TRY(write_ack(s, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, IRQ_CTRL_EVENTQ | IRQ_CTRL_GERROR));
	TRY(write_ack(s, SMMU_CR0, SMMU_CR0ACK, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN));
	log_printf("smmu: 0x%llx on: %u stream(s) assigned, %u-entry stream table, every other "
		   "stream aborts; events to CPU %u (%s)\n", (unsigned long long)s->base,
		   s->owned_count, 1u << log2, cpu, why);
	return BH_OK;
}

enum bh_err smmuv3_enable(const struct platform *p, int spare)
{
	for (unsigned int i = 0; i < smmu_count; i++)
		TRY(enable_one(&smmus[i], p, spare));
	return BH_OK;
}

static struct partition *owner_of(const struct smmu *s, uint32_t stream)
{
	for (unsigned int i = 0; i < s->owned_count; i++) {
		if (s->owned[i].stream == stream)
			return s->owned[i].part;
	}
	return NULL;
}

static void report_event(struct smmu *s, const struct smmu_event *e)
{
	struct partition *part = owner_of(s, e->stream);
	char where[64];

	where[0] = '\0';

	if (e->has_address)
		(void)bh_snprintf(where, sizeof(where), " %s at 0x%llx", e->write ? "write" : "read",
			    (unsigned long long)e->address);
	if (part == NULL) {
		if (new_fault(&s->stray, e) && reportable(&s->stray))
			log_printf("smmu: DMA from stream 0x%x, which no partition owns, blocked (%s)%s\n",
				   e->stream, smmu_event_name(e->type),
				   s->stray.reports == FAULT_REPORT_LIMIT ? "; further ones not reported"
									  : "");
		return;
	}
	struct fault_log *log = &state->dma_faults[part->id];

	/* A blocked transfer faults once per bus beat: it counts once. */
	if (!new_fault(log, e))
		return;
	if (reportable(log))
		log_printf("partition %s: DMA from stream 0x%x outside the partition blocked: %s%s%s\n",
			   part->cfg->name, e->stream, smmu_event_name(e->type), where,
			   log->reports == FAULT_REPORT_LIMIT ? "; further DMA faults not reported"
							      : "");
	partition_fault(part, "DMA outside its memory");
}

/* A line about the whole SMMU (overflow, global error) is printed at most
 * FAULT_REPORT_LIMIT times: a partition's DMA storm must not cost another's
 * CPU a console line per interrupt. */
static const char *smmu_line_tail(unsigned int *reports)
{
	(*reports)++;
	return *reports == FAULT_REPORT_LIMIT ? "; further ones not reported" : "";
}

/*
 * At most one queue's worth of events per interrupt: a device that keeps
 * faulting refills the queue as it is read, and the CPU taking the
 * interrupt (maybe a partition's) must get back to its guest. What is left
 * waits for the next interrupt, which the storm itself raises.
 */
static void drain_events(struct smmu *s)
{
	const uint32_t ptr_mask = (2u << EVENTQ_LOG2) - 1;
	uint32_t prod = mmio_read32(s->base + SMMU_EVENTQ_PROD);

	for (unsigned int budget = 1u << EVENTQ_LOG2;
	     budget != 0u && (prod & ptr_mask) != (s->eventq_cons & ptr_mask); budget--) {
		const uint64_t *raw = &s->eventq[(s->eventq_cons & ((1u << EVENTQ_LOG2) - 1)) *
						  SMMU_EVENT_WORDS];
		struct smmu_event e;

		smmu_event_decode(raw, &e);
		report_event(s, &e);
		s->eventq_cons = (s->eventq_cons & QUEUE_OVERFLOW) | queue_next(s->eventq_cons, EVENTQ_LOG2);
		mmio_write32(s->base + SMMU_EVENTQ_CONS, s->eventq_cons);
		prod = mmio_read32(s->base + SMMU_EVENTQ_PROD);
	}
	/* An overflow lost events: say so (rate-limited), then acknowledge. */
	if ((prod ^ s->eventq_cons) & QUEUE_OVERFLOW) {
		if (s->overflow_reports < FAULT_REPORT_LIMIT)
			log_printf("smmu: 0x%llx: event queue overflowed, events lost%s\n",
				   (unsigned long long)s->base, smmu_line_tail(&s->overflow_reports));
		s->eventq_cons ^= QUEUE_OVERFLOW;
		mmio_write32(s->base + SMMU_EVENTQ_CONS, s->eventq_cons);
	}
}

void smmuv3_interrupt(unsigned int intid)
{
	for (unsigned int i = 0; i < smmu_count; i++) {
		struct smmu *s = &smmus[i];

		if (intid == s->irq_eventq)
			drain_events(s);
		if (intid == s->irq_gerror) {
			uint32_t active = mmio_read32(s->base + SMMU_GERROR) ^ mmio_read32(s->base + SMMU_GERRORN);

			if (s->gerror_reports < FAULT_REPORT_LIMIT)
				log_printf("smmu: 0x%llx: global error 0x%x%s\n",
					   (unsigned long long)s->base, active,
					   smmu_line_tail(&s->gerror_reports));
			mmio_write32(s->base + SMMU_GERRORN, mmio_read32(s->base + SMMU_GERROR));
		}
	}
}
