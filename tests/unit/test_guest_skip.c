// SPDX-License-Identifier: Apache-2.0
/*
 * arch/arm64's guest_skip_instruction(): a guest stepped over the
 * instruction it trapped on by that instruction's length (ESR_EL2.IL), and
 * in a T32 IT block the condition state moved on with it. The encodings
 * are the Arm ARM's, written down again here.
 */

#include <arch/guest_skip.h>

#include "test.h"

#define ESR_EC_WFX (0x01ull << 26)
#define ESR_EC_DABT_LOW (0x24ull << 26)
#define IL (1ull << 25)
#define SPSR_EL0T 0x0ull
#define SPSR_USR_T32 0x30ull /* AArch32 User, T bit */

/* An SPSR holding ITSTATE @it (IT[1:0] at bits 26:25, IT[7:2] at 15:10). */
static uint64_t with_it(uint64_t spsr, unsigned int it)
{
	return spsr | (uint64_t)(it & 3) << 25 | (uint64_t)(it >> 2) << 10;
}

static unsigned int it_of(uint64_t spsr)
{
	return (unsigned int)((spsr >> 25 & 3) | (spsr >> 10 & 0x3f) << 2);
}

static struct exception_frame frame(uint64_t esr, uint64_t spsr, uint64_t pc)
{
	struct exception_frame f;

	memset(&f, 0, sizeof(f));
	f.esr = esr;
	f.spsr = spsr;
	f.elr = pc;
	return f;
}

TEST(guest_skip_a64_instruction_is_4_bytes) /* reqs: REQ-PAR-003 */
{
	struct exception_frame f = frame(ESR_EC_WFX | IL, SPSR_EL0T, 0x1000);

	guest_skip_instruction(&f);
	CHECK_EQ(f.elr, 0x1004);
	CHECK_EQ(f.spsr, SPSR_EL0T);
}

TEST(guest_skip_t32_wfe_by_its_length) /* reqs: REQ-PAR-003 */
{
	struct exception_frame narrow = frame(ESR_EC_WFX, SPSR_USR_T32, 0x2000);
	struct exception_frame wide = frame(ESR_EC_WFX | IL, SPSR_USR_T32, 0x2000);

	guest_skip_instruction(&narrow);
	guest_skip_instruction(&wide);
	CHECK_EQ(narrow.elr, 0x2002);
	CHECK_EQ(wide.elr, 0x2004);
	CHECK_EQ(narrow.spsr, SPSR_USR_T32);
}

TEST(guest_skip_t32_load_by_its_length) /* reqs: REQ-PAR-003 */
{
	struct exception_frame f = frame(ESR_EC_DABT_LOW | (1u << 24), SPSR_USR_T32, 0x3002);

	guest_skip_instruction(&f);
	CHECK_EQ(f.elr, 0x3004);
}

TEST(guest_skip_advances_it_block) /* reqs: REQ-PAR-003 */
{
	/* ITE EQ (0xbf0c): ITSTATE = firstcond:mask = 0000:1100 = 0x0c. After
	 * the first instruction the next condition is NE (bit 4 set), one left:
	 * 0x18; after that the block ends: 0. */
	struct exception_frame f = frame(ESR_EC_DABT_LOW | (1u << 24), with_it(SPSR_USR_T32, 0x0c), 0x4000);

	guest_skip_instruction(&f);
	CHECK_EQ(it_of(f.spsr), 0x18);
	CHECK_EQ(f.spsr & ~with_it(0, 0xff), SPSR_USR_T32); /* nothing else changed */
	guest_skip_instruction(&f);
	CHECK_EQ(it_of(f.spsr), 0);
	CHECK_EQ(f.spsr, SPSR_USR_T32);
	CHECK_EQ(f.elr, 0x4004);
}

/* A 4-instruction block keeps its base condition (IT[7:5]) while the rest
 * shifts: ITTTT GT (firstcond 1100, mask 0001) is 0xc1. */
TEST(guest_skip_keeps_it_base_condition) /* reqs: REQ-PAR-003 */
{
	struct exception_frame f = frame(ESR_EC_WFX, with_it(SPSR_USR_T32, 0xc1), 0x5000);

	guest_skip_instruction(&f);
	CHECK_EQ(it_of(f.spsr), 0xc2);
	guest_skip_instruction(&f);
	CHECK_EQ(it_of(f.spsr), 0xc4);
	guest_skip_instruction(&f);
	CHECK_EQ(it_of(f.spsr), 0xc8);
	guest_skip_instruction(&f);
	CHECK_EQ(it_of(f.spsr), 0);
	CHECK_EQ(f.elr, 0x5008);
}

/* An AArch64 SPSR never has IT bits; bits 15:10 and 26:25 there are left
 * alone whatever they hold. */
TEST(guest_skip_leaves_a64_spsr) /* reqs: REQ-PAR-003 */
{
	uint64_t spsr = 0x3c5 | 1ull << 25;
	struct exception_frame f = frame(ESR_EC_WFX | IL, spsr, 0x6000);

	guest_skip_instruction(&f);
	CHECK_EQ(f.spsr, spsr);
}
