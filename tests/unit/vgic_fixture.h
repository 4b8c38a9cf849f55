/* SPDX-License-Identifier: Apache-2.0 */
/* The partition the vGIC unit tests run against (vgic_fixture.c). */
#ifndef BULKHEAD_TEST_VGIC_FIXTURE_H
#define BULKHEAD_TEST_VGIC_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/partition.h>

/* Where the tests' partitions see their distributor and redistributors. */
#define VGIC_TEST_GICD 0x08000000ull
#define VGIC_TEST_GICR 0x080a0000ull

/*
 * A running partition of @n vCPUs (of @capacity in @vcpus), vCPU i on
 * physical CPU i + 1, each reset as at boot, on a GICv3 or, with @v2, a
 * GICv2 (no redistributors); the fake GIC and the record of kicks start
 * clean afterwards.
 */
void vgic_test_partition(struct partition_config *cfg, struct partition *part, struct vcpu *vcpus,
			 unsigned int capacity, unsigned int n, bool v2);

#endif
