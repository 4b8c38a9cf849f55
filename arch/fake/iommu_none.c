// SPDX-License-Identifier: Apache-2.0
/*
 * The host build's IOMMUs when the build leaves the SMMUv3 driver out
 * (SMMU=n, docs/building.md): none, so bulkhead-check refuses a partition
 * that needs one, as the hypervisor of that build does.
 */

#include <bulkhead/arch.h>

const char *const arch_iommu_compatibles[] = {NULL};
