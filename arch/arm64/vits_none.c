// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual ITS left out of the build (ITS=n, docs/building.md): replaces
 * vits.c, vits_lr.c and gicv3_its.c (the physical ITS and GICv4 driver).
 * The configuration refuses a PCI function whose MSI the machine routes to
 * an ITS (core/vits_none.c, naming the option), so no
 * partition ever has a virtual ITS: these answer as vits.c does for a
 * partition without one, and the physical ITS is never touched, so no LPI
 * can arrive.
 */

#include <bulkhead/compiler.h>

#include <arch/guest.h>
#include <arch/vits.h>

enum bh_err vits_build(struct partition *part, const struct platform *p)
{
	(void)part;
	(void)p;
	return BH_OK;
}

uint64_t vits_translater_page(const struct partition *part)
{
	(void)part;
	return 0;
}

bool vits_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	(void)v;
	(void)ipa;
	(void)write;
	(void)value;
	(void)size;
	return false;
}

bool vits_lpi(struct vcpu *v, unsigned int intid)
{
	(void)v;
	(void)intid;
	return false;
}

void vits_reset(struct partition *part)
{
	(void)part;
}

void vits_vcpu_resident(const struct vcpu *v, bool resident)
{
	(void)v;
	(void)resident;
}

/* No vLPI is ever posted (lpi_count stays 0), so the flush before entry
 * never calls this; nothing waits. */
bool vgic_lpi_flush(bool v2, struct vcpu *v)
{
	(void)v2;
	(void)v;
	return false;
}
