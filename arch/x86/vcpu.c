// SPDX-License-Identifier: Apache-2.0
/*
 * vCPUs, on either backend (svm.c, vmx_vcpu.c). A vCPU is pinned to its
 * physical CPU and has that CPU's VMCB image as its state; its partition
 * has nested page tables (its memory only), an ASID (VPID on VMX) and an
 * I/O permission map (VMX's I/O bitmaps A and B have its layout). Guests start as a multiboot kernel would: in
 * 32-bit protected mode with paging off, flat segments, interrupts off,
 * EIP = the entry point and EBX = EDI = the guest-physical address of the
 * partition's device tree.
 */

#include <string.h>

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/npt.h>
#include <arch/vmcb.h>
#include <arch/x86.h>

STATIC_ASSERT(sizeof(struct vmcb) == 4096, "VMCB is one page");
STATIC_ASSERT(__builtin_offsetof(struct vmcb, control.exit_code) == 0x70, "VMCB exit code");
STATIC_ASSERT(__builtin_offsetof(struct vmcb, control.n_cr3) == 0xb0, "VMCB nested CR3");
STATIC_ASSERT(__builtin_offsetof(struct vmcb, save.efer) == 0x4d0, "VMCB EFER");
STATIC_ASSERT(__builtin_offsetof(struct vmcb, save.rip) == 0x578, "VMCB RIP");
STATIC_ASSERT(__builtin_offsetof(struct vmcb, save.rax) == 0x5f8, "VMCB RAX");
STATIC_ASSERT(__builtin_offsetof(struct vmcb, save.g_pat) == 0x668, "VMCB G_PAT");

#define IOPM_SIZE (3 * PAGE_SIZE)
#define SEG_CODE16 0x09b /* present, execute/read, accessed; 16-bit, byte granular */
#define SEG_DATA16 0x093
#define SEG_CODE32 0xc9b /* present, DPL 0, execute/read, accessed; 32-bit, 4 KiB granular */
#define SEG_DATA32 0xc93
#define SEG_LDT 0x082
#define SEG_TSS32_BUSY 0x08b
#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define DEFAULT_PAT 0x0007040600070406ull

static struct vmcb vmcbs[MAX_CPUS] __attribute__((aligned(PAGE_SIZE)));
static uint8_t iopms[MAX_PARTITIONS][IOPM_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint32_t asids;

void x86_set_asids(uint32_t count)
{
	asids = count;
}

/* [@base, @end) mapped but for the pages of PCI functions' MSI-X tables
 * and PBAs (of any device of the partition: a second node naming the page
 * does not map it either), which trap (vmsix.c). */
static enum bh_err map_device(const struct partition *part, struct npt *npt, uint64_t base,
			      uint64_t end)
{
	while (base < end) {
		uint64_t run = base;

		while (run < end && !vmsix_trapped(part, run))
			run += PAGE_SIZE;
		if (run != base)
			TRY(npt_map(npt, base, base, run - base, NPT_DEVICE));
		base = run + PAGE_SIZE;
	}
	return BH_OK;
}

/* A passthrough device: its ports cleared in the I/O permission map, its
 * MMIO mapped uncached at the same address, its interrupts routed to the
 * CPU of vCPU 0. */
static enum bh_err assign_device(struct partition *part, struct npt *npt,
				 const struct partition_device *dev, uint32_t apic)
{
	for (unsigned int r = 0; r < dev->reg_count; r++) {
		const struct mem_range *reg = &dev->regs[r];

		if (dev->io_ports) {
			for (uint64_t port = reg->base; port < reg->base + reg->size && port < 0x10000;
			     port++)
				part->arch.iopm[port / 8] &= (uint8_t)~(1u << (port % 8));
			continue;
		}
		uint64_t base = ALIGN_DOWN(reg->base, PAGE_SIZE);
		uint64_t end = ALIGN_UP(reg->base + reg->size, PAGE_SIZE);

		TRY(map_device(part, npt, base, end));
	}
	for (unsigned int i = 0; i < dev->irq_count; i++)
		TRY(irq_assign(part, dev->irqs[i], apic, (dev->irq_edge & (1u << i)) == 0u,
			       (dev->irq_active_low & (1u << i)) != 0u));
	return BH_OK;
}

/* The hypervisor writes reset-registers itself: their pages in its map. */
static enum bh_err map_reset_registers(const struct partition_config *cfg)
{
	for (unsigned int i = 0; i < cfg->health.reset_write_count; i++) {
		uint64_t at = cfg->health.reset_writes[i].pa;
		const struct partition_device *dev = reset_register_device(cfg, at);

		if (dev != NULL && !dev->io_ports)
			TRY(mmu_map_device_page(ALIGN_DOWN(at, PAGE_SIZE)));
	}
	return BH_OK;
}

enum bh_err arch_partition_init(struct partition *part, const struct platform *p)
{
	const struct partition_config *cfg = part->cfg;
	struct partition_arch *a = &part->arch;
	struct npt npt;

	/* ASID (VPID) 0 is the host's. */
	if (part->id + 1 >= asids)
		return BH_ERR_TOO_MANY;
	a->asid = part->id + 1;
	TRY(npt_init(&npt, &x86_page_pool));
	npt.gib_pages = p->arch.nested_gib_pages;
	npt.ept = x86_virt()->ept;
	for (unsigned int i = 0; i < cfg->mem_count; i++) {
		const struct partition_mem *m = &cfg->mem[i];

		if (m->ipa < VLAPIC_BASE + VLAPIC_SIZE && VLAPIC_BASE < m->ipa + m->size) {
			log_printf("error: partition %s: guest memory 0x%llx-0x%llx covers its local "
				   "APIC at 0x%llx\n", cfg->name, (unsigned long long)m->ipa,
				   (unsigned long long)(m->ipa + m->size - 1), VLAPIC_BASE);
			return BH_ERR_INVALID;
		}
	}
	for (unsigned int i = 0; i < cfg->mem_count; i++)
		TRY(npt_map(&npt, cfg->mem[i].ipa, cfg->mem[i].pa, cfg->mem[i].size, NPT_RAM));
	for (unsigned int i = 0; i < cfg->chan_count; i++) {
		const struct partition_channel *ch = &cfg->chan[i];

		TRY(npt_map(&npt, ch->ipa, ch->pa, ch->size, ch->writable ? NPT_RAM : NPT_RAM_RO));
	}
	a->npt_root = (uint64_t)(uintptr_t)npt.root;
	a->npt_pool = &x86_page_pool;
	a->iopm = iopms[part->id];
	memset(a->iopm, 0xff, IOPM_SIZE); /* every port traps but the devices' below */
	/* PCI functions first: their MSI-X pages are left out of every map. */
	for (unsigned int d = 0; d < cfg->device_count; d++) {
		if (cfg->devices[d].pci_function)
			TRY(vpci_assign(part, &cfg->devices[d]));
	}
	for (unsigned int d = 0; d < cfg->device_count; d++)
		TRY(assign_device(part, &npt, &cfg->devices[d], (uint32_t)p->cpus[cfg->cpus[0]].hwid));
	TRY(map_reset_registers(cfg));
	a->uart_port = cfg->console == PARTITION_CONSOLE_VUART && p->console_io
			       ? (uint16_t)p->console.base
			       : 0;
	return BH_OK;
}

/* x86 caches are coherent with instruction fetch and other CPUs. */
void arch_sync_guest_memory(uint64_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
}

void arch_clear_guest_memory(uint64_t pa, uint64_t size)
{
	(void)memset((void *)(uintptr_t)pa, 0, size);
}

/* Every vCPU is off: no INIT from the run before may let a SIPI start one,
 * and the devices get their reset-registers writes, in order: a 32-bit
 * store to a memory-mapped register, the value's low byte to a port (the
 * PC's devices behind ports have byte registers). */
void arch_partition_reset_devices(struct partition *part)
{
	const struct partition_config *cfg = part->cfg;

	for (unsigned int i = 0; i < cfg->cpu_count; i++)
		__atomic_store_n(&part->vcpus[i]->arch.wait_for_sipi, false, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < cfg->health.reset_write_count; i++) {
		const struct health_reset_write *w = &cfg->health.reset_writes[i];
		const struct partition_device *dev = reset_register_device(cfg, w->pa);

		if (dev == NULL)
			continue; /* not after a validated configuration */
		if (dev->io_ports)
			outb((uint16_t)w->pa, (uint8_t)w->value);
		else
			mmio_write32(w->pa, w->value);
	}
}

static void flat_segment(struct vmcb_segment *s, uint16_t selector, uint16_t attrib)
{
	*s = (struct vmcb_segment){selector, attrib, 0xffffffffu, 0};
}

static void protected_mode_start(struct vmcb_save *s, uint64_t entry)
{
	flat_segment(&s->cs, 0x08, SEG_CODE32);
	flat_segment(&s->ds, 0x10, SEG_DATA32);
	flat_segment(&s->es, 0x10, SEG_DATA32);
	flat_segment(&s->ss, 0x10, SEG_DATA32);
	flat_segment(&s->fs, 0x10, SEG_DATA32);
	flat_segment(&s->gs, 0x10, SEG_DATA32);
	s->cr0 = CR0_PE | CR0_ET | CR0_NE;
	s->rip = entry;
}

/* After INIT and a SIPI: real mode, CS:IP = vector << 8 : 0, 64 KiB
 * segments. CR0.CD and NW, which hardware sets at INIT, are left clear: with
 * nested paging they would make this partition's memory uncached. */
static void real_mode_start(struct vmcb_save *s, uint8_t vector)
{
	struct vmcb_segment data = {0, SEG_DATA16, 0xffff, 0};

	s->cs = (struct vmcb_segment){(uint16_t)((uint16_t)vector << 8), SEG_CODE16, 0xffff,
				      (uint64_t)vector << 12};
	s->ds = data;
	s->es = data;
	s->ss = data;
	s->fs = data;
	s->gs = data;
	s->cr0 = CR0_ET | CR0_NE;
	s->rip = 0;
}

void arch_vcpu_reset(struct vcpu *v)
{
	struct partition_arch *a = &v->part->arch;
	struct vmcb *vmcb = &vmcbs[v->pcpu];
	struct vmcb_save *s = &vmcb->save;

	bool sipi = (v->context & VCPU_CONTEXT_SIPI) != 0u;

	vlapic_reset(v);
	if (v->index == 0u) { /* the partition (re)starts */
		a->uart = (struct v16550){0};
		vlapic_take_early_doorbells(v);
	}
	(void)memset(vmcb, 0, sizeof(*vmcb));
	v->arch.vmcb = vmcb;
	v->arch.regs = (struct guest_regs){0};
	if (!sipi) {
		v->arch.regs.rbx = v->context;
		v->arch.regs.rdi = v->context;
	}
	if (sipi)
		real_mode_start(s, (uint8_t)v->context);
	else
		protected_mode_start(s, v->entry);
	s->ldtr = (struct vmcb_segment){0, SEG_LDT, 0xffff, 0};
	s->tr = (struct vmcb_segment){0, SEG_TSS32_BUSY, 0xffff, 0};
	s->gdtr = (struct vmcb_segment){0, 0, 0xffff, 0};
	s->idtr = (struct vmcb_segment){0, 0, 0xffff, 0};
	s->dr6 = 0xffff0ff0u;
	s->dr7 = 0x400;
	s->rflags = 0x2;
	s->g_pat = DEFAULT_PAT;
	x86_virt()->vcpu_reset(v, vmcb);
	x86_watchdog_start(v);
	/* Last: an interrupt the pins deliver at once must find the local
	 * APIC already reset. */
	if (v->index == 0u)
		irq_partition_arm(v->part);
}

void arch_vcpu_enter(struct vcpu *v)
{
	struct vmcb *vmcb = v->arch.vmcb;

	for (;;) {
		enum partition_state state = __atomic_load_n(&v->part->state, __ATOMIC_ACQUIRE);

		if (state != PARTITION_RUNNING) {
			irq_partition_disarm(v->part);
			vpci_partition_disarm(v->part);
			if (v->index == 0u)
				vlapic_report_doorbells(v->part);
			v->exit = state == PARTITION_RESTARTING ? VCPU_EXIT_RESTART : VCPU_EXIT_STOP;
			return;
		}
		vlapic_before_entry(v, &vmcb->control);
		x86_virt()->run(v, vmcb);
		vlapic_after_exit(v, &vmcb->control);
		vmcb->control.event_inj = 0;
		/* An event cut short by the exit is delivered again on entry. */
		if ((vmcb->control.exit_int_info & EVENT_VALID) != 0u)
			vmcb->control.event_inj = vmcb->control.exit_int_info;
		svm_handle_exit(v, (uint32_t)vmcb->control.exit_code);
		if (v->exit != VCPU_EXIT_NONE)
			return; /* CPU_OFF */
	}
}

enum bh_err arch_partitions_built(const struct platform *p)
{
	(void)p; /* no IOMMU driver yet: nothing to switch on */
	return BH_OK;
}
