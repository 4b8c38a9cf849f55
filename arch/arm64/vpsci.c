// SPDX-License-Identifier: Apache-2.0
/*
 * PSCI and SMCCC for guests, scoped to the calling partition: a partition
 * can name, start, stop and query only its own vCPUs, and SYSTEM_OFF or
 * SYSTEM_RESET affect only itself. Every other call returns NOT_SUPPORTED.
 */

#include <bulkhead/partition.h>

#include <arch/guest.h>

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define SMC64 SMCCC_SMC64

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_INVALID_ADDRESS (-9)

#define AFFINITY_ON 0
#define AFFINITY_OFF 1
#define AFFINITY_ON_PENDING 2

#define MPIDR_AFF0 0xffull

/* CPU_SUSPEND's power_state, original format (PSCI_FEATURES says so):
 * StateType, bit 16, asks for a power-down state. */
#define PSCI_POWER_STATE_POWERDOWN (1ULL << 16)

/* vCPU n's MPIDR affinity is n in Aff0; anything else names no vCPU: the
 * other affinity levels, and also bits 24-31 and 40-63, which PSCI wants
 * zero in a target (the SMC64 calls pass all of them). */
static bool vcpu_index(const struct partition *part, uint64_t mpidr, unsigned int *index)
{
	if ((mpidr & ~MPIDR_AFF0) != 0u)
		return false;
	*index = (unsigned int)(mpidr & MPIDR_AFF0);
	return *index < part->cfg->cpu_count;
}

/* An entry point a vCPU may be sent to: an instruction in the partition's memory. */
static bool valid_entry(const struct partition *part, uint64_t entry)
{
	return config_ipa_in_memory(part->cfg, entry) && (entry & 3u) == 0u;
}

static int64_t cpu_on(struct partition *part, uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	unsigned int index;

	if (!vcpu_index(part, mpidr, &index))
		return PSCI_INVALID_PARAMETERS;
	if (!valid_entry(part, entry))
		return PSCI_INVALID_ADDRESS;
	switch (vcpu_power_on(part, index, entry, ctx)) {
	case VCPU_ON_OK:
		return PSCI_SUCCESS;
	case VCPU_ON_ALREADY_ON:
		return PSCI_ALREADY_ON;
	default:
		return PSCI_INVALID_PARAMETERS;
	}
}

static int64_t affinity_info(const struct partition *part, uint64_t mpidr, uint64_t level)
{
	unsigned int index;
	bool pending;

	if (level != 0 || !vcpu_index(part, mpidr, &index))
		return PSCI_INVALID_PARAMETERS;
	if (!vcpu_is_on(part, index, &pending))
		return AFFINITY_OFF;
	return pending ? AFFINITY_ON_PENDING : AFFINITY_ON;
}

static bool implemented(uint32_t fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND | SMC64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON | SMC64:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | SMC64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

int64_t guest_psci_call(struct vcpu *v, uint32_t fn, const uint64_t *x)
{
	struct partition *part = v->part;
	bool is64 = (fn & SMC64) != 0;
	/* SMC32 calls pass 32-bit arguments: ignore the upper halves. */
	uint64_t a1 = is64 ? x[1] : (uint32_t)x[1];
	uint64_t a2 = is64 ? x[2] : (uint32_t)x[2];
	uint64_t a3 = is64 ? x[3] : (uint32_t)x[3];

	switch (fn) {
	case SMCCC_VERSION:
		return 0x10001; /* SMCCC 1.1 */
	case PSCI_VERSION:
		return 0x10000; /* PSCI 1.0 */
	case PSCI_FEATURES:
		return implemented((uint32_t)a1) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND | SMC64:
		/* Every power state behaves as standby: the call returns at once.
		 * A power-down state's entry point is checked all the same, as
		 * CPU_ON's is: a caller must not learn that a bad one is taken. */
		if ((a1 & PSCI_POWER_STATE_POWERDOWN) && !valid_entry(part, a2))
			return PSCI_INVALID_ADDRESS;
		return PSCI_SUCCESS;
	case PSCI_CPU_OFF:
		v->exit = VCPU_EXIT_OFF;
		return PSCI_SUCCESS;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON | SMC64:
		return cpu_on(part, a1, a2, a3);
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | SMC64:
		return affinity_info(part, a1, a2);
	case PSCI_MIGRATE_INFO_TYPE:
		return 2; /* no trusted OS that needs migrating */
	case PSCI_SYSTEM_OFF:
		partition_power_off(part, "PSCI SYSTEM_OFF");
		return PSCI_SUCCESS;
	case PSCI_SYSTEM_RESET:
		partition_restart(part, "PSCI SYSTEM_RESET");
		return PSCI_SUCCESS;
	default:
		/* Also SMCCC_ARCH_FEATURES: no firmware workarounds to offer. */
		return PSCI_NOT_SUPPORTED;
	}
}
