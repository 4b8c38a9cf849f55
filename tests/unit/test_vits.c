// SPDX-License-Identifier: Apache-2.0
/* core/vits_cmd.c: a virtual ITS's commands decoded from the architecture's
 * layout, each validated against what the partition owns before its state
 * changes (docs/passthrough.md, "MSI"). */

#include <string.h>

#include <bulkhead/vits.h>

#include "test.h"

#define OWN 0x8u
#define OTHER 0x10u

static void setup(struct vits *s)
{
	static const uint32_t devids[] = {OWN};

	vits_init(s, devids, 1, 2); /* one function, two vCPUs */
}

/* A command in the GICv3 ITS layout, decoded. */
static const char *cmd(struct vits *s, uint64_t w0, uint64_t w1, uint64_t w2,
		       struct vits_effect *e)
{
	uint64_t w[4] = {w0, w1, w2, 0};
	struct its_cmd c;

	its_cmd_decode(w, &c);
	return vits_apply(s, &c, e);
}

static const char *mapd(struct vits *s, uint32_t dev, unsigned int bits, bool valid,
			struct vits_effect *e)
{
	return cmd(s, 0x08u | (uint64_t)dev << 32, bits - 1u,
		   (valid ? 1ull << 63 : 0) | 0x40000000ull, e);
}

static const char *mapc(struct vits *s, unsigned int icid, unsigned int vcpu, struct vits_effect *e)
{
	return cmd(s, 0x09u, 0, 1ull << 63 | (uint64_t)vcpu << 16 | icid, e);
}

static const char *mapti(struct vits *s, uint32_t dev, unsigned int event, unsigned int lpi,
			 unsigned int icid, struct vits_effect *e)
{
	return cmd(s, 0x0au | (uint64_t)dev << 32, event | (uint64_t)lpi << 32, icid, e);
}

static const char *event_cmd(struct vits *s, uint8_t op, uint32_t dev, unsigned int event,
			     unsigned int icid, struct vits_effect *e)
{
	return cmd(s, op | (uint64_t)dev << 32, event, icid, e);
}

TEST(vits_decodes_the_architecture_layout) /* reqs: REQ-ISO-010 */
{
	uint64_t w[4] = {0x0au | 0x1234ull << 32, 7u | 0x2005ull << 32, 3u | 1ull << 16, 0};
	struct its_cmd c;

	its_cmd_decode(w, &c);
	CHECK_EQ(c.op, ITS_MAPTI);
	CHECK_EQ(c.devid, 0x1234);
	CHECK_EQ(c.event, 7);
	CHECK_EQ(c.intid, 0x2005);
	CHECK_EQ(c.icid, 3);
	w[0] = 0x0bu; /* MAPI: the LPI is the event */
	its_cmd_decode(w, &c);
	CHECK_EQ(c.intid, 7);
	uint64_t mapc_w[4] = {0x09u, 0, 1ull << 63 | 5ull << 16 | 2u, 0};

	its_cmd_decode(mapc_w, &c);
	CHECK(c.valid);
	CHECK_EQ(c.target, 5);
	CHECK_EQ(c.icid, 2);
}

TEST(vits_maps_its_own_device_to_its_own_vcpu) /* reqs: REQ-ISO-010 REQ-PAR-008 */
{
	struct vits s;
	struct vits_effect e;

	setup(&s);
	CHECK(mapd(&s, OWN, 5, true, &e) == NULL);
	CHECK_EQ(e.kind, VITS_UNMAP_ALL);
	CHECK_EQ(e.events, 0);
	CHECK(mapc(&s, 1, 1, &e) == NULL);
	CHECK(mapti(&s, OWN, 3, 8195, 1, &e) == NULL);
	CHECK_EQ(e.kind, VITS_MAP);
	CHECK_EQ(e.dev, 0);
	CHECK_EQ(e.event, 3);
	CHECK_EQ(e.vcpu, 1);
	CHECK_EQ(s.dev[0].ev[3].vlpi, 8195);
	CHECK(event_cmd(&s, ITS_INV, OWN, 3, 0, &e) == NULL);
	CHECK_EQ(e.kind, VITS_INV);
	CHECK(event_cmd(&s, ITS_INT, OWN, 3, 0, &e) == NULL);
	CHECK_EQ(e.kind, VITS_RAISE);
	CHECK_EQ(e.vcpu, 1);
	CHECK(event_cmd(&s, ITS_CLEAR, OWN, 3, 0, &e) == NULL);
	CHECK_EQ(e.kind, VITS_CLEAR);
	CHECK(mapc(&s, 0, 0, &e) == NULL);
	CHECK(event_cmd(&s, ITS_MOVI, OWN, 3, 0, &e) == NULL);
	CHECK_EQ(e.kind, VITS_MOVE);
	CHECK_EQ(e.vcpu, 0);
	CHECK(cmd(&s, 0x0du, 0, 0, &e) == NULL); /* INVALL collection 0 */
	CHECK_EQ(e.kind, VITS_INV_ALL);
	CHECK(cmd(&s, 0x05u, 0, 1ull << 16, &e) == NULL); /* SYNC vCPU 1 */
	CHECK(event_cmd(&s, ITS_DISCARD, OWN, 3, 0, &e) == NULL);
	CHECK_EQ(e.kind, VITS_UNMAP);
	CHECK_EQ(s.dev[0].ev[3].vlpi, 0);
	/* MAPI: the event is the LPI's number, which must be an LPI. */
	CHECK(cmd(&s, 0x0bu | (uint64_t)OWN << 32, 3, 0, &e) != NULL);
	/* Remapping the device drops what it had. */
	CHECK(mapti(&s, OWN, 4, 8196, 0, &e) == NULL);
	CHECK(mapd(&s, OWN, 5, false, &e) == NULL);
	CHECK_EQ(e.kind, VITS_UNMAP_ALL);
	CHECK_EQ(e.events, 1u << 4);
	CHECK(event_cmd(&s, ITS_INV, OWN, 4, 0, &e) != NULL);
}

TEST(vits_refuses_what_the_partition_does_not_own_and_keeps_its_state) /* reqs: REQ-ISO-010 */
{
	struct vits s, before;
	struct vits_effect e;

	setup(&s);
	CHECK(mapd(&s, OWN, 5, true, &e) == NULL);
	CHECK(mapc(&s, 0, 0, &e) == NULL);
	before = s;
	CHECK_STR(mapd(&s, OTHER, 5, true, &e), "DeviceID is not one of its functions");
	CHECK_STR(mapti(&s, OTHER, 0, 8192, 0, &e), "DeviceID is not one of its functions");
	CHECK_STR(event_cmd(&s, ITS_INT, OTHER, 0, 0, &e), "DeviceID is not one of its functions");
	CHECK_STR(mapc(&s, 1, 2, &e), "MAPC: target is not one of its vCPUs");
	CHECK_STR(mapc(&s, VITS_MAX_COLLECTIONS, 0, &e), "MAPC: collection beyond GITS_TYPER.HCC");
	CHECK_STR(mapd(&s, OWN, 6, true, &e), "MAPD: ITT larger than 32 events");
	CHECK_STR(mapti(&s, OWN, 32, 8192, 0, &e), "event beyond the device's ITT");
	CHECK_STR(mapti(&s, OWN, 0, 8191, 0, &e), "MAPTI: LPI outside 8192-16383 (GICD_TYPER.IDbits)");
	CHECK_STR(mapti(&s, OWN, 0, VITS_LPI_END, 0, &e),
		  "MAPTI: LPI outside 8192-16383 (GICD_TYPER.IDbits)");
	CHECK_STR(mapti(&s, OWN, 0, 8192, 1, &e), "MAPTI: collection not mapped (MAPC)");
	CHECK_STR(event_cmd(&s, ITS_INV, OWN, 0, 0, &e), "event not mapped");
	CHECK_STR(event_cmd(&s, ITS_MOVI, OWN, 0, 0, &e), "event not mapped");
	CHECK_STR(cmd(&s, 0x05u, 0, 9ull << 16, &e), "SYNC: target is not one of its vCPUs");
	CHECK_STR(cmd(&s, 0x0du, 0, 3, &e), "INVALL: collection not mapped (MAPC)");
	CHECK_STR(cmd(&s, 0x0eu, 0, 0, &e), "command not supported"); /* MOVALL */
	CHECK_STR(cmd(&s, 0x29u, 0, 0, &e), "command not supported"); /* VMAPP (GICv4) */
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	/* A collection in use cannot be unmapped; one moved to is checked. */
	CHECK(mapti(&s, OWN, 1, 8200, 0, &e) == NULL);
	CHECK_STR(cmd(&s, 0x09u, 0, 0, &e), "MAPC: collection still has events mapped to it");
	CHECK_STR(event_cmd(&s, ITS_MOVI, OWN, 1, 5, &e), "MOVI: collection not mapped (MAPC)");
	CHECK_EQ(s.dev[0].ev[1].icid, 0);
	/* A device not yet mapped takes no events. */
	s.dev[0].mapped = false;
	CHECK_STR(mapti(&s, OWN, 1, 8200, 0, &e), "device not mapped (MAPD)");
}

TEST(vits_forget_clears_every_mapping_and_keeps_the_devices) /* reqs: REQ-PAR-008 */
{
	struct vits s;
	struct vits_effect e;

	setup(&s);
	CHECK(mapd(&s, OWN, 5, true, &e) == NULL);
	CHECK(mapc(&s, 0, 1, &e) == NULL);
	CHECK(mapti(&s, OWN, 2, 9000, 0, &e) == NULL);
	CHECK_EQ(vits_event_vcpu(&s, 0, 2), 1);
	vits_forget(&s);
	CHECK_EQ(s.device_count, 1);
	CHECK_EQ(s.dev[0].devid, OWN);
	CHECK(!s.dev[0].mapped);
	CHECK_EQ(s.dev[0].ev[2].vlpi, 0);
	CHECK_EQ(s.coll[0], 0);
	CHECK_STR(mapti(&s, OWN, 2, 9000, 0, &e), "device not mapped (MAPD)");
}
