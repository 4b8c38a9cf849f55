// SPDX-License-Identifier: Apache-2.0
/*
 * A virtual ITS's commands (docs/passthrough.md, "MSI"): decoded from the
 * architecture's layout, validated against what the partition owns (its
 * functions' DeviceIDs, its vCPUs, a bounded ITT, the vLPI range it was
 * given), and only then applied to its translation state. The state is the
 * hypervisor's, never the guest's memory, so nothing a guest writes later
 * can change a mapping that was checked. Arch-neutral: the unit tests and
 * the fuzz target drive it as the trap does.
 */

#include <string.h>

#include <bulkhead/vits.h>

static uint32_t bits(uint64_t w, unsigned int lo, unsigned int hi)
{
	return (uint32_t)((w >> lo) & ((2ull << (hi - lo)) - 1ull));
}

void its_cmd_decode(const uint64_t w[4], struct its_cmd *out)
{
	*out = (struct its_cmd){
		.op = (uint8_t)bits(w[0], 0, 7),
		.devid = bits(w[0], 32, 63),
		.event = bits(w[1], 0, 31),
		.intid = bits(w[1], 32, 63),
		.icid = bits(w[2], 0, 15),
		/* RDbase [50:16]; with PTA = 0 a processor number. */
		.target = bits(w[2], 16, 47),
		.size = bits(w[1], 0, 4),
		.valid = bits(w[2], 63, 63) != 0u,
	};
	if (out->op == (uint8_t)ITS_MAPI)
		out->intid = out->event;
}

void vits_init(struct vits *s, const uint32_t *devids, unsigned int count, unsigned int vcpus)
{
	(void)memset(s, 0, sizeof(*s));
	s->device_count = count < VITS_MAX_DEVICES ? count : VITS_MAX_DEVICES;
	s->vcpu_count = vcpus;
	for (unsigned int i = 0; i < s->device_count; i++)
		s->dev[i].devid = devids[i];
}

void vits_forget(struct vits *s)
{
	for (unsigned int i = 0; i < s->device_count; i++) {
		uint32_t devid = s->dev[i].devid;

		(void)memset(&s->dev[i], 0, sizeof(s->dev[i]));
		s->dev[i].devid = devid;
	}
	(void)memset(s->coll, 0, sizeof(s->coll));
}

static int device_index(const struct vits *s, uint32_t devid)
{
	for (unsigned int i = 0; i < s->device_count; i++) {
		if (s->dev[i].devid == devid)
			return (int)i;
	}
	return -1;
}

unsigned int vits_event_vcpu(const struct vits *s, unsigned int dev, unsigned int event)
{
	unsigned int icid = s->dev[dev].ev[event].icid;

	return s->coll[icid] != 0u ? (unsigned int)s->coll[icid] - 1u : 0u;
}

static uint32_t mapped_events(const struct vits_device *d)
{
	uint32_t set = 0;

	for (unsigned int e = 0; e < VITS_MAX_EVENTS; e++) {
		if (d->ev[e].vlpi != 0u)
			set |= 1u << e;
	}
	return set;
}

static const char *do_mapd(struct vits *s, const struct its_cmd *c, int dev, struct vits_effect *e)
{
	struct vits_device *d = &s->dev[dev];

	if (c->valid && c->size + 1u > VITS_EVENT_BITS)
		return "MAPD: ITT larger than 32 events";
	*e = (struct vits_effect){.kind = VITS_UNMAP_ALL, .dev = (unsigned int)dev,
				  .events = mapped_events(d)};
	(void)memset(d->ev, 0, sizeof(d->ev));
	d->mapped = c->valid;
	d->events = c->valid ? 1u << (c->size + 1u) : 0u;
	return NULL;
}

static const char *do_mapc(struct vits *s, const struct its_cmd *c, struct vits_effect *e)
{
	if (c->icid >= VITS_MAX_COLLECTIONS)
		return "MAPC: collection beyond GITS_TYPER.HCC";
	if (c->valid && c->target >= s->vcpu_count)
		return "MAPC: target is not one of its vCPUs";
	/* Unmapping a collection that events still use would leave them with
	 * nowhere to go; the architecture calls it UNPREDICTABLE. */
	for (unsigned int i = 0; !c->valid && i < s->device_count; i++) {
		for (unsigned int ev = 0; ev < VITS_MAX_EVENTS; ev++) {
			if (s->dev[i].ev[ev].vlpi != 0u && s->dev[i].ev[ev].icid == c->icid)
				return "MAPC: collection still has events mapped to it";
		}
	}
	s->coll[c->icid] = c->valid ? (uint8_t)(c->target + 1u) : 0u;
	*e = (struct vits_effect){.kind = VITS_NOTHING};
	return NULL;
}

/* The device and event a command names, both mapped as it requires. */
static const char *event_of(const struct vits *s, const struct its_cmd *c, int dev, bool mapped)
{
	if (!s->dev[dev].mapped)
		return "device not mapped (MAPD)";
	if (c->event >= s->dev[dev].events)
		return "event beyond the device's ITT";
	if (mapped && s->dev[dev].ev[c->event].vlpi == 0u)
		return "event not mapped";
	return NULL;
}

static const char *do_mapti(struct vits *s, const struct its_cmd *c, int dev, struct vits_effect *e)
{
	const char *why = event_of(s, c, dev, false);

	if (why != NULL)
		return why;
	if (c->intid < VITS_LPI_BASE || c->intid >= VITS_LPI_END)
		return "MAPTI: LPI outside 8192-16383 (GICD_TYPER.IDbits)";
	if (c->icid >= VITS_MAX_COLLECTIONS || s->coll[c->icid] == 0u)
		return "MAPTI: collection not mapped (MAPC)";
	s->dev[dev].ev[c->event] = (struct vits_event){(uint16_t)c->intid, (uint8_t)c->icid};
	*e = (struct vits_effect){.kind = VITS_MAP, .dev = (unsigned int)dev, .event = c->event,
				  .vcpu = (unsigned int)s->coll[c->icid] - 1u};
	return NULL;
}

static const char *do_event(struct vits *s, const struct its_cmd *c, int dev, struct vits_effect *e)
{
	const char *why = event_of(s, c, dev, true);
	struct vits_event *ev = &s->dev[dev].ev[why == NULL ? c->event : 0u];

	if (why != NULL)
		return why;
	*e = (struct vits_effect){.dev = (unsigned int)dev, .event = c->event,
				  .vcpu = vits_event_vcpu(s, (unsigned int)dev, c->event)};
	switch (c->op) {
	case ITS_MOVI:
		if (c->icid >= VITS_MAX_COLLECTIONS || s->coll[c->icid] == 0u)
			return "MOVI: collection not mapped (MAPC)";
		ev->icid = (uint8_t)c->icid;
		e->kind = VITS_MOVE;
		e->vcpu = (unsigned int)s->coll[c->icid] - 1u;
		break;
	case ITS_DISCARD:
		ev->vlpi = 0;
		e->kind = VITS_UNMAP;
		break;
	case ITS_INV:
		e->kind = VITS_INV;
		break;
	case ITS_INT:
		e->kind = VITS_RAISE;
		break;
	default: /* ITS_CLEAR */
		e->kind = VITS_CLEAR;
		break;
	}
	return NULL;
}

const char *vits_apply(struct vits *s, const struct its_cmd *c, struct vits_effect *e)
{
	int dev = device_index(s, c->devid);

	*e = (struct vits_effect){.kind = VITS_NOTHING};
	switch (c->op) {
	case ITS_SYNC:
		/* Every command before it is done when the trap returns. */
		return c->target < s->vcpu_count ? NULL : "SYNC: target is not one of its vCPUs";
	case ITS_MAPC:
		return do_mapc(s, c, e);
	case ITS_INVALL:
		if (c->icid >= VITS_MAX_COLLECTIONS || s->coll[c->icid] == 0u)
			return "INVALL: collection not mapped (MAPC)";
		*e = (struct vits_effect){.kind = VITS_INV_ALL,
					  .vcpu = (unsigned int)s->coll[c->icid] - 1u};
		return NULL;
	case ITS_MAPD:
	case ITS_MAPTI:
	case ITS_MAPI:
	case ITS_MOVI:
	case ITS_DISCARD:
	case ITS_INV:
	case ITS_INT:
	case ITS_CLEAR:
		break;
	default:
		return "command not supported";
	}
	if (dev < 0)
		return "DeviceID is not one of its functions";
	if (c->op == (uint8_t)ITS_MAPD)
		return do_mapd(s, c, dev, e);
	if (c->op == (uint8_t)ITS_MAPTI || c->op == (uint8_t)ITS_MAPI)
		return do_mapti(s, c, dev, e);
	return do_event(s, c, dev, e);
}
