// SPDX-License-Identifier: Apache-2.0
/* arch/arm64/smmuv3_tables.c on the host: every field the driver relies on,
 * against the layouts of the SMMUv3 architecture (Arm IHI 0070). */

#include <arch/smmuv3.h>

#include "test.h"

static uint64_t field(uint64_t word, unsigned int lo, unsigned int hi)
{
	return (word >> lo) & ((2ull << (hi - lo)) - 1);
}

TEST(smmu_ste_stage1_points_at_its_context_descriptor) /* reqs: REQ-ISO-006 */
{
	uint64_t ste[SMMU_STE_WORDS];

	smmu_ste_stage1(ste, 0x40123440ull);
	CHECK_EQ(field(ste[0], 0, 0), 1);           /* V */
	CHECK_EQ(field(ste[0], 1, 3), 5);           /* Config: S1 translate, S2 bypass */
	CHECK_EQ(field(ste[0], 4, 5), 0);           /* S1Fmt: one CD */
	CHECK_EQ(ste[0] & 0x000fffffffffffc0ull, 0x40123440ull); /* S1ContextPtr */
	CHECK_EQ(field(ste[0], 59, 63), 0);         /* S1CDMax */
	CHECK_EQ(field(ste[1], 30, 31), 0);         /* STRW: NS-EL1 */
	CHECK_EQ(field(ste[1], 6, 7), 3);           /* CD fetch inner shareable */
	for (unsigned int i = 2; i < SMMU_STE_WORDS; i++)
		CHECK_EQ(ste[i], 0);
}

TEST(smmu_ste_stage2_mirrors_the_cpus_vtcr) /* reqs: REQ-ISO-006 */
{
	static uint64_t root[1024] __attribute__((aligned(8192)));
	struct stage2 s2 = {.pt = {.root = root}, .ipa_bits = 40, .pa_range = 2, .vmid = 7};
	uint64_t ste[SMMU_STE_WORDS];

	smmu_ste_stage2(ste, &s2);
	CHECK_EQ(field(ste[0], 0, 0), 1);
	CHECK_EQ(field(ste[0], 1, 3), 6);    /* Config: S1 bypass, S2 translate */
	CHECK_EQ(field(ste[2], 0, 15), 7);   /* S2VMID */
	CHECK_EQ(field(ste[2], 32, 37), 24); /* S2T0SZ = 64 - 40 */
	CHECK_EQ(field(ste[2], 38, 39), 1);  /* S2SL0: level 1, as VTCR_EL2 */
	CHECK_EQ(field(ste[2], 46, 47), 0);  /* S2TG: 4 KiB */
	CHECK_EQ(field(ste[2], 48, 50), 2);  /* S2PS */
	CHECK_EQ(field(ste[2], 51, 51), 1);  /* S2AA64 */
	CHECK_EQ(field(ste[2], 58, 58), 1);  /* S2R: faults recorded */
	CHECK_EQ(ste[3], (uint64_t)(uintptr_t)root);
}

TEST(smmu_cd_records_and_aborts_faults) /* reqs: REQ-ISO-006 */
{
	uint64_t cd[SMMU_CD_WORDS];

	smmu_cd(cd, 0x4567f000ull, 40, 2, 3);
	CHECK_EQ(field(cd[0], 0, 5), 24);  /* T0SZ */
	CHECK_EQ(field(cd[0], 6, 7), 0);   /* TG0: 4 KiB */
	CHECK_EQ(field(cd[0], 30, 30), 1); /* EPD1: no TTB1 walks */
	CHECK_EQ(field(cd[0], 31, 31), 1); /* V */
	CHECK_EQ(field(cd[0], 32, 34), 2); /* IPS */
	CHECK_EQ(field(cd[0], 41, 41), 1); /* AA64 */
	CHECK_EQ(field(cd[0], 44, 44), 0); /* S: no stall */
	CHECK_EQ(field(cd[0], 45, 46), 3); /* R and A: record and abort */
	CHECK_EQ(field(cd[0], 48, 63), 3); /* ASID */
	CHECK_EQ(cd[1], 0x4567f000ull);    /* TTB0 */
	CHECK_EQ(cd[3] & 0xff, 0xff);      /* MAIR attr 0: normal write-back */
}

TEST(smmu_stage1_geometry_follows_the_input_size) /* reqs: REQ-ISO-006 */
{
	int level;
	unsigned int bits;

	smmu_s1_geometry(40, &level, &bits);
	CHECK_EQ(level, 0);
	CHECK_EQ(bits, 1);
	smmu_s1_geometry(39, &level, &bits);
	CHECK_EQ(level, 1);
	CHECK_EQ(bits, 9);
	smmu_s1_geometry(32, &level, &bits);
	CHECK_EQ(level, 1);
	CHECK_EQ(bits, 2);
}

TEST(smmu_commands_carry_their_opcodes) /* reqs: REQ-ISO-006 */
{
	uint64_t cmd[SMMU_CMD_WORDS];

	smmu_cmd_cfgi_all(cmd);
	CHECK_EQ(cmd[0] & 0xff, 0x04);
	CHECK_EQ(cmd[1] & 0x1f, 31); /* Range: every stream */
	smmu_cmd_tlbi_nsnh_all(cmd);
	CHECK_EQ(cmd[0] & 0xff, 0x30);
	smmu_cmd_tlbi_el2_all(cmd);
	CHECK_EQ(cmd[0] & 0xff, 0x20);
	smmu_cmd_sync(cmd);
	CHECK_EQ(cmd[0] & 0xff, 0x46);
	CHECK_EQ(field(cmd[0], 12, 13), 2); /* CS: SEV */
}

TEST(smmu_event_decode_translation_fault_and_bad_ste) /* reqs: REQ-ISO-006 */
{
	/* F_TRANSLATION of stream 0x8, a write (RnW 0), stage 1, at 0x5000a100. */
	uint64_t ev[SMMU_EVENT_WORDS] = {0x0000000800000010ull, 0, 0x5000a100ull, 0};
	struct smmu_event e;

	smmu_event_decode(ev, &e);
	CHECK_EQ(e.type, SMMU_EVT_F_TRANSLATION);
	CHECK_EQ(e.stream, 8);
	CHECK(e.has_address);
	CHECK_EQ(e.address, 0x5000a100ull);
	CHECK(e.write);
	CHECK(!e.stage2);
	CHECK(strcmp(smmu_event_name(e.type), "F_TRANSLATION") == 0);

	ev[1] = 1ull << 35 | 1ull << 39; /* a read, at stage 2 */
	smmu_event_decode(ev, &e);
	CHECK(!e.write);
	CHECK(e.stage2);

	uint64_t bad[SMMU_EVENT_WORDS] = {0x0000001000000004ull, 0, 0x1234, 0};

	smmu_event_decode(bad, &e);
	CHECK_EQ(e.type, SMMU_EVT_C_BAD_STE);
	CHECK_EQ(e.stream, 0x10);
	CHECK(!e.has_address); /* word 2 means nothing for a configuration error */
	CHECK(strcmp(smmu_event_name(0x04), "C_BAD_STE") == 0);
	CHECK(strcmp(smmu_event_name(0xff), "unknown") == 0);
	CHECK(strcmp(smmu_event_name(0x0c), "unknown") == 0);
}
