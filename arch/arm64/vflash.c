// SPDX-License-Identifier: Apache-2.0
/*
 * Flash regions in a partition's stage 2, and the traps of those with an
 * emulated CFI bank (core/cfi_flash.c: the command state machine). While
 * a bank reads its array it is mapped read-only, so reads run at memory
 * speed and only stores (commands) trap; in any other read mode (status,
 * query, identifier, a command half given) it is not mapped at all, so
 * loads trap too and get the mode's answer.
 */

#include <bulkhead/console.h>
#include <bulkhead/partition.h>

#include <arch/vflash.h>

/* Every CPU of the partition must stop using the old mapping: broadcast,
 * for this VMID (the trapping vCPU's, in VTTBR_EL2 now). */
static void tlb_flush_partition(void)
{
	__asm__ volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" : : : "memory");
}

/* Bring the bank's mapping in line with its mode: 'mapped' is the mode
 * the tables were left in. */
static void follow_mode(struct partition *part, unsigned int i, bool was_array)
{
	const struct partition_flash *f = &part->cfg->flash[i];
	bool array = cfi_flash_reads_array(&part->flash_cfi[i]);

	if (array == was_array)
		return;
	/* Both directions only flip the valid bit of leaves stage2_map made
	 * for this region at the partition's build, so they cannot fail. */
	(void)stage2_set_mapped(&part->arch.s2, f->ipa, f->size, array);
	if (!array)
		tlb_flush_partition();
	else
		__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
}

enum bh_err vflash_map(struct partition *part)
{
	const struct partition_config *cfg = part->cfg;

	/* Firmware code runs in place from a read-only region (a write faults,
	 * and traps.c ignores it as flash would); a CFI bank is read-only to
	 * the guest, its stores being commands; any other writable region is
	 * plain memory (an environment read and written as such). */
	for (unsigned int i = 0; i < cfg->flash_count; i++) {
		const struct partition_flash *f = &cfg->flash[i];
		enum stage2_kind kind = !f->writable ? STAGE2_RAM_RX
					: f->cfi.bank_width != 0u ? STAGE2_RAM_RO : STAGE2_RAM;

		TRY(stage2_map(&part->arch.s2, f->ipa, f->pa, f->size, kind));
	}
	return BH_OK;
}

/* At a restart: each CFI bank's counts for the boot that ended, then the
 * bank back to its array, mapped. */
void vflash_reset(struct partition *part)
{
	spin_lock(&part->flash_lock);
	for (unsigned int i = 0; i < part->cfg->flash_count; i++) {
		if (part->cfg->flash[i].cfi.bank_width == 0u)
			continue;
		struct cfi_flash *c = &part->flash_cfi[i];
		bool was_array = cfi_flash_reads_array(c);

		/* What the bank did, against what the firmware asked for. */
		log_printf("partition %s: CFI flash at IPA 0x%llx: %u programs, %u erases, %u refused\n",
			   part->cfg->name, (unsigned long long)part->cfg->flash[i].ipa, c->programs,
			   c->erases, c->refused);
		cfi_flash_reset(c);
		follow_mode(part, i, was_array);
	}
	spin_unlock(&part->flash_lock);
}

enum vflash_result vflash_access(struct partition *part, uint64_t ipa, bool write,
				 uint64_t *value, unsigned int size)
{
	const struct partition_config *cfg = part->cfg;

	for (unsigned int i = 0; i < cfg->flash_count; i++) {
		const struct partition_flash *f = &cfg->flash[i];

		if (f->cfi.bank_width == 0u || ipa < f->ipa || ipa - f->ipa >= f->size)
			continue;
		struct cfi_flash *c = &part->flash_cfi[i];

		spin_lock(&part->flash_lock);
		bool was_array = cfi_flash_reads_array(c);
		bool ok = write ? cfi_flash_write(c, ipa - f->ipa, *value, size)
				: cfi_flash_read(c, ipa - f->ipa, size, value);

		follow_mode(part, i, was_array);
		spin_unlock(&part->flash_lock);
		return ok ? VFLASH_DONE : VFLASH_OUTSIDE;
	}
	return VFLASH_NOT_CFI;
}
