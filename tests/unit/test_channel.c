// SPDX-License-Identifier: Apache-2.0
/* Channels: each end decoded into its partition, and its node in the
 * partition's device tree. */

#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/channel.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/partition.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;
static uint8_t guest[16384];

static const void *parse_system(void)
{
	return test_parse_system("channels", &plat, &sys_config, &errors);
}

TEST(channel_ends_decoded_into_both_partitions) /* reqs: REQ-CHN-003 REQ-CFG-006 */
{
	REQUIRE(parse_system() != NULL);
	const struct partition_config *p0 = &sys_config.part[0], *p1 = &sys_config.part[1],
				      *p2 = &sys_config.part[2];

	CHECK_EQ(sys_config.channel_count, 2);
	REQUIRE(p0->chan_count == 1 && p1->chan_count == 2 && p2->chan_count == 1);
	/* Channel 0, p0 <-> p1: per-end addresses, INTIDs, doorbell pages. */
	CHECK_EQ(p0->chan[0].id, 0);
	CHECK_EQ(p0->chan[0].pa, 0x56000000);
	CHECK_EQ(p0->chan[0].ipa, 0x60000000);
	CHECK_EQ(p1->chan[0].ipa, 0x70000000);
	CHECK_EQ(p0->chan[0].intid, 80);
	CHECK_EQ(p1->chan[0].intid, 81);
	CHECK_EQ(p0->chan[0].doorbell_ipa, 0x61000000);
	CHECK(p0->chan[0].writable && p1->chan[0].writable);
	CHECK_STR(p0->chan[0].peer_name, "p1");
	/* Each end finds the other: partition and index. */
	CHECK_EQ(p0->chan[0].peer, 1);
	CHECK_EQ(p0->chan[0].peer_end, 0);
	CHECK_EQ(p1->chan[0].peer, 0);
	CHECK_EQ(p1->chan[0].peer_end, 0);
	/* Channel 1, p1 -> p2 read-only; p2's INTID 80 is its own SPI. */
	CHECK_EQ(p1->chan[1].id, 1);
	CHECK_EQ(p1->chan[1].peer, 2);
	CHECK_EQ(p1->chan[1].peer_end, 0);
	CHECK_EQ(p2->chan[0].peer_end, 1);
	CHECK(p1->chan[1].writable);
	CHECK(!p2->chan[0].writable);
	CHECK_EQ(p2->chan[0].intid, 80);
	CHECK_EQ(p2->chan[0].doorbell_ipa, 0);
}

TEST(channel_doorbell_checks_and_pages) /* reqs: REQ-CHN-003 REQ-CFG-006 */
{
	REQUIRE(parse_system() != NULL);
	struct partition p2 = {.id = 2, .cfg = &sys_config.part[2]};
	struct partition p0 = {.id = 0, .cfg = &sys_config.part[0]};

	CHECK_EQ(channel_ring_check(&p2, 1), BH_HC_SUCCESS);
	CHECK_EQ(channel_ring_check(&p2, 0), BH_HC_DENIED);
	CHECK_EQ(channel_ring_check(&p2, MAX_CHANNELS), BH_HC_INVALID_PARAMETER);
	CHECK_EQ(channel_doorbell_page(&p0, 0x61000000), 0);
	CHECK_EQ(channel_doorbell_page(&p0, 0x61000fff), 0);
	CHECK_EQ(channel_doorbell_page(&p0, 0x61001000), -1);
	CHECK_EQ(channel_doorbell_page(&p2, 0), -1); /* 0: no page */
}

TEST(channel_node_in_guest_dt) /* reqs: REQ-CHN-003 REQ-CFG-006 */
{
	const void *fdt = parse_system();
	struct guest_dt_layout layout = {.boot_count = 1};
	size_t used;
	int len;

	REQUIRE(fdt != NULL);
	REQUIRE(guest_dt_build(guest, sizeof(guest), fdt, &plat, &sys_config.part[0], 0, &layout,
			       &used) == BH_OK);
	int node = fdt_path_offset(guest, "/channel@60000000");

	REQUIRE(node >= 0);
	CHECK(fdt_node_check_compatible(guest, node, "bulkhead,channel") == 0);
	const fdt32_t *reg = fdt_getprop(guest, node, "reg", &len);

	REQUIRE(reg != NULL && len == 32); /* the region and the doorbell page */
	CHECK_EQ(fdt32_to_cpu(reg[1]), 0x60000000);
	CHECK_EQ(fdt32_to_cpu(reg[3]), 0x10000);
	CHECK_EQ(fdt32_to_cpu(reg[5]), 0x61000000);
	CHECK_EQ(fdt32_to_cpu(reg[7]), 0x1000);
	const fdt32_t *irq = fdt_getprop(guest, node, "interrupts", &len);

	REQUIRE(irq != NULL && len == 12);
	CHECK_EQ(fdt32_to_cpu(irq[1]), 80 - 32);
	CHECK_EQ(fdt32_to_cpu(irq[2]), 1); /* rising edge */
	CHECK_STR(fdt_getprop(guest, node, "peer", NULL), "p1");
	CHECK_STR(fdt_getprop(guest, node, "access", NULL), "rw");
	const fdt32_t *id = fdt_getprop(guest, node, "bulkhead,channel-id", &len);

	REQUIRE(id != NULL);
	CHECK_EQ(fdt32_to_cpu(*id), 0);

	/* p2's read-only end, without a doorbell page: one reg entry. */
	REQUIRE(guest_dt_build(guest, sizeof(guest), fdt, &plat, &sys_config.part[2], 2, &layout,
			       &used) == BH_OK);
	node = fdt_path_offset(guest, "/channel@60000000");
	REQUIRE(node >= 0);
	CHECK(fdt_getprop(guest, node, "reg", &len) != NULL && len == 16);
	CHECK_STR(fdt_getprop(guest, node, "access", NULL), "ro");
	CHECK_STR(fdt_getprop(guest, node, "reg-names", NULL), "shared");
}
