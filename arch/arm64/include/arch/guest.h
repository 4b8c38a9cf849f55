/* SPDX-License-Identifier: Apache-2.0 */
/* What the arm64 trap handler delegates to (vpsci.c, vsysreg.c, vpl011.c). */
#ifndef ARCH_ARM64_GUEST_H
#define ARCH_ARM64_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/partition.h>

#include <arch/gic_ich.h>

#include <arch/frame.h>

#define SMCCC_SMC64 0x40000000u /* the SMC64 twin of a SMC32 function ID */
#define SMCCC_OWNER(fn) (((fn) >> 24) & 0x3fu)
#define SMCCC_OWNER_ARCH 0u
#define SMCCC_OWNER_STANDARD 4u /* PSCI */
#define SMCCC_OWNER_VENDOR_HYP 6u
#define SMCCC_RET_NOT_SUPPORTED (-1)

/* The architecture's calls and PSCI (owners 0 and 4, vpsci.c): x0 as the
 * call returns it, before it is cut to 32 bits for an SMC32 call. */
int64_t guest_psci_call(struct vcpu *v, uint32_t fn, const uint64_t *x);

/* An SMCCC call in the Vendor Specific Hypervisor Service range (owner 6):
 * Bulkhead's own (vendor_hyp.c). Results in x0-x3; as smccc_owner_fn. */
bool guest_vendor_hyp_call(struct vcpu *v, struct exception_frame *f);

/* An owner's calls (smccc.c): results in x0-x3 of the frame. Returns false
 * when the call changed nothing of the caller's partition (no vCPU's
 * state, no interrupt): the HVC path then returns without looking at them
 * again, as for SMCCC_VERSION (a change made by another CPU meanwhile
 * comes with a kick, taken right after the eret); true when it may have
 * (then the vCPU's exit and the vGIC flush are checked, guest_resume). */
typedef bool (*smccc_owner_fn)(struct vcpu *v, struct exception_frame *f);
#define SMCCC_OWNERS 64u
/* Who answers each owner's calls; NULL: no one (NOT_SUPPORTED). hvc: where
 * vectors.S's HVC #0 path branches (one of its entries below, not C
 * functions: they expect the vector's state); call: the C entry, for SMC
 * and for smccc_hvc_c. */
struct smccc_owner_table {
	void (*hvc[SMCCC_OWNERS])(void);
	smccc_owner_fn call[SMCCC_OWNERS];
};
extern const struct smccc_owner_table smccc_owners;
/* vectors.S: an owner whose calls are C (through the short frame and
 * guest_smccc), and Bulkhead's (hypercall_table's slot). Branch targets
 * for the HVC path only, with the vector's state: never called from C. */
void smccc_hvc_c(void);
void smccc_hvc_bulkhead(void);

/* HVC or SMC from a guest, the full frame: every SMCCC call, by its
 * owner's C entry in smccc_owners. Results in x0-x3. */
void guest_firmware_call(struct vcpu *v, struct exception_frame *f);

/* A trapped MRS/MSR or system instruction; false if it is to be UNDEF. */
bool guest_sysreg(struct vcpu *v, struct exception_frame *f);

/* The PMU of a partition that owns it (vpmu.c): checked and set up with
 * the partition, reset (MDCR_EL2 and the PMU's state) with each vCPU; a
 * trapped PMU register access of an owner whose PMU is before PMUv3p5
 * (false: UNDEF). */
enum bh_err vpmu_partition_init(struct partition *part, const struct platform *p);
void vpmu_vcpu_reset(struct vcpu *v);
bool vpmu_sysreg(const struct vcpu *v, unsigned int op1, unsigned int crn, unsigned int crm,
		 unsigned int op2, bool read, uint64_t *value);

/* Is guest-physical @ipa in the partition's virtual UART? Then *offset.
 * Inline: every emulated access asks it first. */
static inline __attribute__((always_inline)) bool guest_vuart_hit(const struct partition *part,
								  uint64_t ipa, uint64_t *offset)
{
	const struct partition_arch *a = &part->arch;

	if (a->uart_size == 0u || ipa < a->uart_base || ipa - a->uart_base >= a->uart_size)
		return false;
	*offset = ipa - a->uart_base;
	return true;
}
uint64_t vpl011_read(struct partition *part, uint64_t offset, unsigned int size);
void vpl011_write(struct vcpu *v, uint64_t offset, uint64_t value, unsigned int size);
/* The partition (re)starts: registers to their reset values, line low. */
void vpl011_reset(struct partition *part);

/* The virtual GIC (vgic.c). */
/* The priority bits a virtual CPU interface compares: the five of a
 * GICv2's list registers and of the fewest a GICv3's may have
 * (ICH_VTR_EL2.PRIbits); the distributor keeps no more, so that a guest
 * never sets two priorities its CPU interface cannot tell apart (the lower
 * bits are RAZ/WI, as the architecture has unimplemented ones). */
#define VGIC_PRIORITY_MASK 0xf8u
void vgic_vcpu_reset(struct vcpu *v);
/* A guest timer fired: true if the guest takes it, now or once a list
 * register frees (it stays active meanwhile); false: deactivate it. */
bool vgic_inject_hw(struct vcpu *v, unsigned int intid);
bool vgic_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size);
/* Passthrough SPIs: own @intid (edge- or level-triggered), routed to
 * @route_mpidr; inject it (as vgic_inject_hw). */
void vgic_add_spi(struct partition *part, unsigned int intid, bool edge, uint64_t route_mpidr);
bool vgic_inject_spi(struct vcpu *v, unsigned int intid);
/* The partition's SPI index of @intid, or -1; inject its SPI @i (acknowledged
 * in the GIC) into a list register, or hold it until one frees. */
int vgic_spi_index(const struct vgic_spis *spis, unsigned int intid);
void vgic_spi_inject(bool v2, struct vcpu *v, unsigned int i);
/* Level-triggered passthrough SPIs (vgic_level.c): the guest ended SPI @i
 * (its list register is gone), and the EL2 timer's call to look again at
 * the lines of those ended while high (on vCPU 0's CPU; @v may be NULL). */
void vgic_level_ended(struct vcpu *v, unsigned int i);
void vgic_level_timer(struct vcpu *v);
/* GICD_I[SC]PENDR and GICD_I[SC]ACTIVER for the passthrough SPIs
 * (vgic_spi_state.c): both distributors' words 1 and up. */
uint64_t vgic_spi_state_read(const struct vcpu *v, uint64_t off);
void vgic_spi_state_write(struct vcpu *v, uint64_t off, uint64_t value);
/* vLPIs (vits_lr.c): into a list register of @v's CPU now (the calling
 * CPU must be @v's), or posted to wait for its next flush (any CPU: then
 * kick it); the waiting ones moved in (true if some still wait); one
 * forgotten (0: all). False from inject/post: the waiting list is full. */
bool vgic_lpi_inject(struct vcpu *v, unsigned int intid, uint8_t priority);
bool vgic_lpi_post(struct vcpu *v, unsigned int intid, uint8_t priority);
bool vgic_lpi_flush(bool v2, struct vcpu *v);
void vgic_lpi_forget(struct vcpu *v, unsigned int intid);
/* vgic_flush's work when there is some (below). */
void vgic_flush_slow(struct vcpu *v);
/* A trapped ICC_SGI1R_EL1 write: deliver within the partition only. */
void vgic_send_sgi(struct vcpu *from, uint64_t sgi1r);
/* SGI @intid pending for the partition's vCPUs in @targets (bit n: vCPU n;
 * bits past its last vCPU name no one), kicking those running elsewhere. */
void vgic_sgi_deliver(struct vcpu *from, uint32_t targets, unsigned int intid);
/* What both distributors share: the registers of the partition's
 * passthrough SPIs (from word 1, INTID 32, on), at the offsets a GICv2 and
 * a GICv3 distributor both give them; and the calling vCPU's own SGIs and
 * PPIs at the offsets of a GICv3 redistributor's SGI frame (a GICv2
 * distributor's word 0). */
uint64_t vgic_spis_read(const struct partition *part, uint64_t off);
/* GICD_TYPER.ITLinesNumber for the partition's SPIs (both distributors),
 * from the highest INTID the partition was given (vgic_note_intid, called
 * by each vgic_add_*). */
uint32_t vgic_it_lines(const struct partition *part);
void vgic_note_intid(struct partition *part, unsigned int intid);
void vgic_spis_write(struct partition *part, uint64_t off, uint64_t value, unsigned int size);
uint64_t vgic_banked_read(const struct vcpu *v, uint64_t off, unsigned int size);
void vgic_banked_write(struct vcpu *v, uint64_t off, uint64_t value, unsigned int size);
/* Is an access of @size bytes at distributor offset @off one the GIC
 * architecture defines? (Else it reads as zero and writes are ignored.) */
bool vgic_gicd_access_ok(uint64_t off, unsigned int size);
/* The GICv2 distributor of a partition with vgic_v2 (vgicv2_dist.c). */
bool vgicv2_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size);
/* The partition's purely virtual, level-sensitive SPI @intid (its virtual
 * UART's), and its line, which any CPU may drive. */
void vgic_add_virtual_spi(struct partition *part, unsigned int intid);
void vgic_set_virtual_spi_level(struct partition *part, bool level);
/* A channel's doorbell: an edge-triggered virtual SPI (arch_doorbell_raise). */
void vgic_add_doorbell_spi(struct partition *part, unsigned int intid);
void vgic_raise_doorbell(struct partition *part, uint32_t intid);
/* The maintenance interrupt on @v's CPU: end what raised it; the next
 * flush acts. */
void vgic_maintenance(struct vcpu *v);

/* Shared by vgic.c and vspi.c: list registers of this CPU; @v2 is what
 * ich_v2() said at the vGIC's entry point. */
/* A free list register, or -1 (ELRSR bits of LRs the CPU lacks are 0). */
static inline __attribute__((always_inline)) int vgic_free_lr(bool v2)
{
	uint64_t free = ich_empty_lrs(v2);

	return free != 0 ? __builtin_ctzll(free) : -1;
}
int vgic_lr_of(bool v2, unsigned int intid);     /* the one holding @intid, or -1 */
/* The virtual SPI's part of vgic_vcpu_reset (vCPU 0), vgic_flush (true if
 * it waits for a free list register) and the distributor's registers. */
void vgic_vspi_reset(struct partition *part);
bool vgic_vspi_flush(bool v2, struct vcpu *v);
/* Cheap, before every eret: does vgic_vspi_flush have anything to do (its
 * line is up)? A line that fell while its interrupt was still only pending
 * leaves it in its list register until the next full flush: the guest may
 * then take one interrupt with nothing to read, which the PL011 allows. */
static inline __attribute__((always_inline)) bool vgic_vspi_wants_flush(const struct vcpu *v)
{
	const struct partition_arch *a = &v->part->arch;

	if (v->index != 0u)
		return false;
	/* The UART's slot first, alone: the only one of most partitions (its
	 * level is false when it has none). */
	bool up = __atomic_load_n(&a->vspi[0].level, __ATOMIC_RELAXED);

	for (unsigned int i = 1; i < a->vspi_count; i++) {
		if (up)
			break;
		up = __atomic_load_n(&a->vspi[i].level, __ATOMIC_RELAXED);
	}
	return up;
}

/* Move software-pending interrupts into list registers (before eret). Run
 * before every eret, so the usual case is a few loads: nothing pending or
 * held, no virtual SPI line up, no underflow interrupt to disarm (known
 * from uie_armed, the flush's own record of what it wrote to ICH_HCR_EL2,
 * which saves a system-register or GICH read on every trap). Anything
 * another CPU sets pending after this look comes with a kick, which flushes
 * again. */
static inline __attribute__((always_inline)) void vgic_flush(struct vcpu *v)
{
	if (__atomic_load_n(&v->arch.gicr.pending, __ATOMIC_RELAXED) != 0u || v->arch.gicr.held != 0u ||
	    v->part->arch.spis.held != 0u || vgic_vspi_wants_flush(v) || v->arch.uie_armed ||
	    __atomic_load_n(&v->arch.lpi_count, __ATOMIC_RELAXED) != 0u)
		vgic_flush_slow(v);
}
uint64_t vgic_vspi_gicd_read(const struct vcpu *v, uint64_t off, unsigned int size);
void vgic_vspi_gicd_write(const struct vcpu *v, uint64_t off, uint64_t value, unsigned int size);

#endif
