// SPDX-License-Identifier: Apache-2.0
/* The vGIC unit tests' partition (vgic_fixture.h), built by hand: the
 * tests see arm64's struct vcpu and struct partition (Makefile:
 * HOST_ARM64_VIEW_SRCS). */

#include <string.h>

#include <arch/fake.h>
#include <arch/guest.h>

#include "fake_gic.h"
#include "vgic_fixture.h"

void vgic_test_partition(struct partition_config *cfg, struct partition *part, struct vcpu *vcpus,
			 unsigned int capacity, unsigned int n, bool v2)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(part, 0, sizeof(*part));
	memset(vcpus, 0, capacity * sizeof(*vcpus));
	cfg->cpu_count = n;
	part->cfg = cfg;
	part->state = PARTITION_RUNNING;
	part->arch.vgicd_base = VGIC_TEST_GICD;
	if (v2)
		part->arch.vgic_v2 = true;
	else
		part->arch.vgicr_base = VGIC_TEST_GICR;
	for (unsigned int i = 0; i < n; i++) {
		cfg->cpus[i] = i + 1;
		vcpus[i] = (struct vcpu){.part = part, .index = i, .pcpu = i + 1,
					 .state = VCPU_RUNNING};
		part->vcpus[i] = &vcpus[i];
		vgic_vcpu_reset(&vcpus[i]);
	}
	fake_gic_reset();
	fake_kicks = 0;
	fake_kicked_cpus = 0;
}
