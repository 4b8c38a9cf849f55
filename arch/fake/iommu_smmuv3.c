// SPDX-License-Identifier: Apache-2.0
/*
 * The IOMMUs the host build (bulkhead-check, the unit tests) treats as
 * driven: as arm64 with its SMMUv3 driver, since the checker validates arm64
 * systems. A build with SMMU=n has iommu_none.c instead (docs/building.md).
 */

#include <bulkhead/arch.h>

const char *const arch_iommu_compatibles[] = {"arm,smmu-v3", NULL};
