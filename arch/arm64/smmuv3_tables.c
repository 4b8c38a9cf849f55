// SPDX-License-Identifier: Apache-2.0
/*
 * SMMUv3 structure encodings (Arm IHI 0070, chapter 5 and 7): stream table
 * entries, context descriptors, commands and event records. Pure code, so
 * the host unit tests check every field.
 */

#include <bulkhead/compiler.h>

#include <arch/smmuv3.h>

#define FIELD(value, shift) ((uint64_t)(value) << (shift))

/* STE word 0 */
#define STE_V 1ull
#define STE_CONFIG_S1 FIELD(5, 1) /* 0b101: stage 1 translates, stage 2 bypass */
#define STE_CONFIG_S2 FIELD(6, 1) /* 0b110: stage 1 bypass, stage 2 translates */
#define STE_S1_CONTEXT_MASK 0x000fffffffffffc0ull
/* STE word 1 */
#define STE_S1CIR_WBRA FIELD(1, 2)
#define STE_S1COR_WBRA FIELD(1, 4)
#define STE_S1CSH_INNER FIELD(3, 6)
#define STE_SHCFG_INCOMING FIELD(1, 44)
/* STE word 2 */
#define STE_S2T0SZ(v) FIELD(v, 32)
#define STE_S2SL0_LEVEL1 FIELD(1, 38)
#define STE_S2IR0_WBRA FIELD(1, 40)
#define STE_S2OR0_WBRA FIELD(1, 42)
#define STE_S2SH0_INNER FIELD(3, 44)
#define STE_S2PS(v) FIELD(v, 48)
#define STE_S2AA64 FIELD(1, 51)
#define STE_S2PTW FIELD(1, 54)
#define STE_S2R FIELD(1, 58)
#define STE_S2TTB_MASK 0x000ffffffffffff0ull

/* CD word 0 */
#define CD_TG0_4K FIELD(0, 6)
#define CD_IR0_WBRA FIELD(1, 8)
#define CD_OR0_WBRA FIELD(1, 10)
#define CD_SH0_INNER FIELD(3, 12)
#define CD_EPD1 FIELD(1, 30)
#define CD_V FIELD(1, 31)
#define CD_IPS(v) FIELD(v, 32)
#define CD_AFFD FIELD(1, 35)
#define CD_AA64 FIELD(1, 41)
#define CD_R FIELD(1, 45)
#define CD_A FIELD(1, 46)
#define CD_ASET FIELD(1, 47)
#define CD_ASID(v) FIELD(v, 48)
#define CD_TTB_MASK 0x000ffffffffffff0ull

#define CMD_CFGI_ALL 0x04
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_TLBI_EL2_ALL 0x20
#define CMD_SYNC 0x46
#define CMD_CFGI_RANGE_ALL FIELD(31, 0)
#define CMD_SYNC_CS_SEV FIELD(2, 12)

static void clear(uint64_t *w, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		w[i] = 0;
}

void smmu_ste_stage1(uint64_t ste[SMMU_STE_WORDS], uint64_t cd_pa)
{
	clear(ste, SMMU_STE_WORDS);
	ste[1] = STE_S1CIR_WBRA | STE_S1COR_WBRA | STE_S1CSH_INNER | STE_SHCFG_INCOMING;
	/* Word 0 last, valid bit included: the SMMU may be reading the entry. */
	ste[0] = STE_V | STE_CONFIG_S1 | (cd_pa & STE_S1_CONTEXT_MASK);
}

void smmu_ste_stage2(uint64_t ste[SMMU_STE_WORDS], const struct stage2 *s2)
{
	clear(ste, SMMU_STE_WORDS);
	ste[1] = STE_SHCFG_INCOMING;
	/* The CPU's VTCR_EL2 settings, field by field, so the SMMU walks the
	 * very tables the partition's CPUs use. S2PTW: a device may not reach
	 * the tables themselves with the attributes of device memory. */
	ste[2] = s2->vmid | STE_S2T0SZ(64 - s2->ipa_bits) | STE_S2SL0_LEVEL1 | STE_S2IR0_WBRA |
		 STE_S2OR0_WBRA | STE_S2SH0_INNER | STE_S2PS(s2->pa_range) | STE_S2AA64 |
		 STE_S2PTW | STE_S2R;
	ste[3] = (uint64_t)(uintptr_t)s2->pt.root & STE_S2TTB_MASK;
	ste[0] = STE_V | STE_CONFIG_S2;
}

void smmu_cd(uint64_t cd[SMMU_CD_WORDS], uint64_t ttb, unsigned int ipa_bits, unsigned int ips,
	     uint16_t asid)
{
	clear(cd, SMMU_CD_WORDS);
	cd[1] = ttb & CD_TTB_MASK;
	cd[3] = SMMU_S1_MAIR;
	/* R and A: a fault is recorded as an event and the access aborted
	 * (never stalled). ASET: these ASIDs take no broadcast invalidation. */
	cd[0] = (64 - ipa_bits) | CD_TG0_4K | CD_IR0_WBRA | CD_OR0_WBRA | CD_SH0_INNER | CD_EPD1 |
		CD_V | CD_IPS(ips) | CD_AFFD | CD_AA64 | CD_R | CD_A | CD_ASET | CD_ASID(asid);
}

void smmu_s1_geometry(unsigned int ipa_bits, int *start_level, unsigned int *root_bits)
{
	/* Stage 1 has no concatenated tables: past 39 bits the walk starts at
	 * level 0, with as many entries as the extra bits allow. */
	if (ipa_bits > 39) {
		*start_level = 0;
		*root_bits = ipa_bits - 39;
	} else {
		*start_level = 1;
		*root_bits = ipa_bits - 30;
	}
}

void smmu_cmd_cfgi_all(uint64_t cmd[SMMU_CMD_WORDS])
{
	cmd[0] = CMD_CFGI_ALL;
	cmd[1] = CMD_CFGI_RANGE_ALL;
}

void smmu_cmd_tlbi_nsnh_all(uint64_t cmd[SMMU_CMD_WORDS])
{
	cmd[0] = CMD_TLBI_NSNH_ALL;
	cmd[1] = 0;
}

void smmu_cmd_tlbi_el2_all(uint64_t cmd[SMMU_CMD_WORDS])
{
	cmd[0] = CMD_TLBI_EL2_ALL;
	cmd[1] = 0;
}

void smmu_cmd_sync(uint64_t cmd[SMMU_CMD_WORDS])
{
	/* Completion also signalled by SEV, so the waiter can sleep in WFE. */
	cmd[0] = CMD_SYNC | CMD_SYNC_CS_SEV;
	cmd[1] = 0;
}

void smmu_event_decode(const uint64_t ev[SMMU_EVENT_WORDS], struct smmu_event *out)
{
	out->type = (uint8_t)(ev[0] & 0xff);
	out->stream = (uint32_t)(ev[0] >> 32);
	/* F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION: InputAddr in
	 * word 2, RnW in bit 35 and S2 in bit 39 of word 1. */
	out->has_address = out->type >= 0x10 && out->type <= 0x13;
	out->address = out->has_address ? ev[2] : 0;
	out->write = out->has_address && !((ev[1] >> 35) & 1);
	out->stage2 = out->has_address && ((ev[1] >> 39) & 1);
}

const char *smmu_event_name(uint8_t type)
{
	static const char *const names[0x26] = {
		[0x01] = "F_UUT",           [0x02] = "C_BAD_STREAMID",
		[0x03] = "F_STE_FETCH",     [0x04] = "C_BAD_STE",
		[0x05] = "F_BAD_ATS_TREQ",  [0x06] = "F_STREAM_DISABLED",
		[0x07] = "F_TRANSL_FORBIDDEN", [0x08] = "C_BAD_SUBSTREAMID",
		[0x09] = "F_CD_FETCH",      [0x0a] = "C_BAD_CD",
		[0x0b] = "F_WALK_EABT",     [0x10] = "F_TRANSLATION",
		[0x11] = "F_ADDR_SIZE",     [0x12] = "F_ACCESS",
		[0x13] = "F_PERMISSION",    [0x20] = "F_TLB_CONFLICT",
		[0x21] = "F_CFG_CONFLICT",  [0x24] = "E_PAGE_REQUEST",
		[0x25] = "F_VMS_FETCH",
	};

	return type < ARRAY_SIZE(names) && names[type] != NULL ? names[type] : "unknown";
}
