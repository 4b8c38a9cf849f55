/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMMUv3 (Arm IHI 0070): DMA isolation for passthrough devices
 * (docs/smmu.md). Every stream the configuration gives a partition
 * translates with tables that map exactly the partition's memory; every
 * other stream has an invalid stream table entry, so its DMA aborts and is
 * reported. The structures' encodings (smmuv3_tables.c) are pure and
 * unit-tested on the host; smmuv3.c drives the hardware.
 */
#ifndef ARCH_ARM64_SMMUV3_H
#define ARCH_ARM64_SMMUV3_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/error.h>

#include <arch/stage2.h>

#define SMMU_STE_WORDS 8 /* 64 bytes */
#define SMMU_CD_WORDS 8
#define SMMU_CMD_WORDS 2
#define SMMU_EVENT_WORDS 4

/* Stage-1 leaf attributes for a DMA mapping of normal memory (MAIR index 0). */
#define SMMU_S1_LEAF_ATTRS ((1ull << 6) | (3ull << 8) | (1ull << 53) | (1ull << 54))
/* MAIR index 0: normal memory, inner and outer write-back, allocating. */
#define SMMU_S1_MAIR 0xffull

/* A stream translating with hypervisor-owned stage-1 tables (an SMMU
 * without stage 2): the context descriptor at @cd_pa. */
void smmu_ste_stage1(uint64_t ste[SMMU_STE_WORDS], uint64_t cd_pa);

/* A stream translating with the partition's own stage-2 tables and VMID. */
void smmu_ste_stage2(uint64_t ste[SMMU_STE_WORDS], const struct stage2 *s2);

/* The context descriptor of a stage-1 stream: @ttb the table root, input
 * @ipa_bits wide, output @ips (PARange encoding), @asid. */
void smmu_cd(uint64_t cd[SMMU_CD_WORDS], uint64_t ttb, unsigned int ipa_bits, unsigned int ips,
	     uint16_t asid);

/* Where the stage-1 walk starts for @ipa_bits of input (4 KiB granule):
 * the level, and the index bits of the root table. */
void smmu_s1_geometry(unsigned int ipa_bits, int *start_level, unsigned int *root_bits);

/* Commands. */
void smmu_cmd_cfgi_all(uint64_t cmd[SMMU_CMD_WORDS]);
void smmu_cmd_tlbi_nsnh_all(uint64_t cmd[SMMU_CMD_WORDS]);
void smmu_cmd_tlbi_el2_all(uint64_t cmd[SMMU_CMD_WORDS]);
void smmu_cmd_sync(uint64_t cmd[SMMU_CMD_WORDS]);

/* An event record, decoded. */
struct smmu_event {
	uint8_t type;
	uint32_t stream;
	bool has_address; /* a translation-stage fault: address and access known */
	uint64_t address; /* the input (guest-physical) address */
	bool write;
	bool stage2;
};

void smmu_event_decode(const uint64_t ev[SMMU_EVENT_WORDS], struct smmu_event *out);

/* The event's name from the architecture ("F_TRANSLATION"), or "unknown". */
const char *smmu_event_name(uint8_t type);

#define SMMU_EVT_C_BAD_STREAMID 0x02
#define SMMU_EVT_C_BAD_STE 0x04
#define SMMU_EVT_F_TRANSLATION 0x10

/* ---- the driver (smmuv3.c) ---------------------------------------------- */

struct partition;
struct partition_stream;
struct platform;
struct platform_arch;

/* Find and set up the SMMUs of the DT (disabled, aborting everything);
 * BH_OK with none. */
enum bh_err smmuv3_probe(const void *fdt);

/* Give @part the stream @s (its IOMMU is one of the probed SMMUs). */
enum bh_err smmuv3_assign(struct partition *part, const struct partition_stream *s);

/* Turn the SMMUs on, their interrupts to CPU @spare (one no vCPU runs on),
 * or with none (-1) each SMMU's to a CPU of a partition owning streams
 * behind it (docs/smmu.md). */
enum bh_err smmuv3_enable(const struct platform *p, int spare);

/* A physical interrupt that may be an SMMU's (event queue, global error). */
void smmuv3_interrupt(unsigned int intid);

#endif
