/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A partition's virtual ITS, the part that needs no hardware (vits_cmd.c):
 * its translation state, and its commands decoded and validated against
 * what the partition owns before anything is done. The arm64 side
 * (arch/arm64/vits.c) reads the guest's queue, applies the effect each
 * accepted command returns to the physical ITS, and delivers the vLPIs.
 * docs/passthrough.md ("MSI") gives the design.
 */
#ifndef BULKHEAD_VITS_H
#define BULKHEAD_VITS_H

#include <stdbool.h>
#include <stdint.h>

/* Functions with MSI a partition may own, events each (the ITT a MAPD may
 * ask for), collections (GITS_TYPER.HCC) and vLPI range (IDbits 14). */
#define VITS_MAX_DEVICES 4u
#define VITS_EVENT_BITS 5u
#define VITS_MAX_EVENTS (1u << VITS_EVENT_BITS)
#define VITS_MAX_COLLECTIONS 8u
#define VITS_LPI_BASE 8192u
#define VITS_LPI_BITS 14u
#define VITS_LPI_END (1u << VITS_LPI_BITS)
#define VITS_CMD_BYTES 32u

/* ITS command numbers (DW0 bits [7:0]). */
#define ITS_MOVI 0x01u
#define ITS_INT 0x03u
#define ITS_CLEAR 0x04u
#define ITS_SYNC 0x05u
#define ITS_MAPD 0x08u
#define ITS_MAPC 0x09u
#define ITS_MAPTI 0x0au
#define ITS_MAPI 0x0bu
#define ITS_INV 0x0cu
#define ITS_INVALL 0x0du
#define ITS_DISCARD 0x0fu

/* One command's fields, as the GICv3 architecture lays them out. */
struct its_cmd {
	uint8_t op;
	uint32_t devid;
	uint32_t event;
	uint32_t intid;   /* MAPTI's pINTID (MAPI: the event) */
	uint32_t icid;
	uint32_t target;  /* MAPC/SYNC RDbase: a processor number (PTA = 0) */
	uint32_t size;    /* MAPD: EventID bits - 1 */
	bool valid;       /* MAPD/MAPC V */
};

struct vits_event {
	uint16_t vlpi; /* 0: not mapped */
	uint8_t icid;
};

struct vits_device {
	uint32_t devid;   /* as the partition and the physical ITS name it */
	bool mapped;      /* MAPD V=1 seen */
	uint32_t events;  /* the ITT's size the MAPD gave */
	struct vits_event ev[VITS_MAX_EVENTS];
};

struct vits {
	unsigned int device_count; /* owned functions, fixed at boot */
	unsigned int vcpu_count;
	struct vits_device dev[VITS_MAX_DEVICES];
	uint8_t coll[VITS_MAX_COLLECTIONS]; /* target vCPU + 1; 0: unmapped */
};

/* What an accepted command asks of the physical ITS and the vGIC. */
enum vits_effect_kind {
	VITS_NOTHING = 0,
	VITS_MAP,        /* event mapped (again): back it, to vCPU */
	VITS_UNMAP,      /* event unmapped: drop its backing */
	VITS_UNMAP_ALL,  /* device unmapped or remapped: drop @events' backing */
	VITS_MOVE,       /* event now targets vCPU */
	VITS_INV,        /* reread the event's configuration byte */
	VITS_INV_ALL,    /* reread every event's on collection's vCPU */
	VITS_RAISE,      /* INT: make the vLPI pending */
	VITS_CLEAR,      /* CLEAR: its pending state goes */
};

struct vits_effect {
	enum vits_effect_kind kind;
	unsigned int dev;   /* index in struct vits */
	unsigned int event;
	unsigned int vcpu;
	uint32_t events;    /* VITS_UNMAP_ALL: events that were mapped */
};

/* The partition's devices (DeviceIDs it owns) and vCPUs, all unmapped. */
void vits_init(struct vits *s, const uint32_t *devids, unsigned int count, unsigned int vcpus);

/* Everything unmapped again (a restart); devices and vCPUs stay. */
void vits_forget(struct vits *s);

/* The four doublewords of a command. */
void its_cmd_decode(const uint64_t w[4], struct its_cmd *out);

/* Validate @c against @s and apply it to @s; *@e says what the hardware
 * must do. NULL if accepted, else why it was refused (@s unchanged). */
const char *vits_apply(struct vits *s, const struct its_cmd *c, struct vits_effect *e);

/* The vCPU an event's collection targets (mapped events only). */
unsigned int vits_event_vcpu(const struct vits *s, unsigned int dev, unsigned int event);

#endif
