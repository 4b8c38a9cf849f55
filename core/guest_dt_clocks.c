// SPDX-License-Identifier: Apache-2.0
/*
 * Clocks of passthrough devices in a partition's device tree. The SoC's
 * clock controllers stay outside every partition (with the firmware, which
 * set them up), so a device gets fixed clocks only: copies of the system
 * DT's own fixed clocks it uses, or, when the configuration states its rate
 * (`device-clock-rates`), one fixed clock at that rate for all its clocks.
 * Otherwise it gets no `clocks`.
 */

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>

#include "guest_dt_writer.h"

#define PHANDLE_DEVICE_CLOCKS 16u /* and up: fixed clocks of passthrough devices */
#define PHANDLE_RATE_CLOCKS 32u   /* and up: device-clock-rates clocks, by device index */

/*
 * Fixed-rate clocks feeding passthrough devices, copied into the guest's DT
 * so drivers that insist on a clock (every AMBA primecell: apb_pclk) probe.
 * Clocks from a clock controller are not: the controller stays with the
 * firmware or the board, and such a device gets no `clocks` at all.
 */
static bool is_fixed_clock(const void *sys, uint32_t phandle)
{
	int node = dt_node_by_phandle(sys, phandle);
	const fdt32_t *cells = node >= 0 ? dt_getprop(sys, node, "#clock-cells", NULL) : NULL;

	return cells != NULL && fdt32_to_cpu(*cells) == 0 &&
	       dt_node_is_compatible(sys, node, "fixed-clock") &&
	       dt_getprop(sys, node, "clock-frequency", NULL) != NULL;
}

/* The guest phandle of fixed clock @phandle, or 0. */
static uint32_t guest_clock(const struct device_clocks *clocks, uint32_t phandle)
{
	for (unsigned int i = 0; i < clocks->count; i++) {
		if (clocks->sys_phandle[i] == phandle)
			return PHANDLE_DEVICE_CLOCKS + i;
	}
	return 0;
}

/* A device's `clocks`, if every entry is a fixed clock (one cell each). */
static const fdt32_t *fixed_clocks_of(const void *sys, int node, int *count)
{
	int len;
	const fdt32_t *v = dt_getprop(sys, node, "clocks", &len);

	if (v == NULL || len <= 0 || len % 4 != 0)
		return NULL;
	for (int i = 0; i < len / 4; i++) {
		if (!is_fixed_clock(sys, fdt32_to_cpu(v[i])))
			return NULL;
	}
	*count = len / 4;
	return v;
}

void guest_dt_collect_clocks(const void *sys, const struct partition_config *cfg,
			     struct device_clocks *clocks)
{
	clocks->count = 0;
	for (unsigned int d = 0; d < cfg->device_count; d++) {
		int count;
		const fdt32_t *v = fixed_clocks_of(sys, cfg->devices[d].node, &count);

		for (int i = 0; v != NULL && i < count; i++) {
			uint32_t ph = fdt32_to_cpu(v[i]);

			if (guest_clock(clocks, ph) == 0 && clocks->count < MAX_DEVICE_CLOCKS)
				clocks->sys_phandle[clocks->count++] = ph;
		}
	}
}

void guest_dt_fixed_clocks(struct writer *w, const void *sys, const struct device_clocks *clocks)
{
	/* Not clock-output-names: Linux refuses a second clock of one name,
	 * and the virtual UART's clock may carry it already. */
	static const char *const copied[] = {"compatible", "#clock-cells", "clock-frequency",
					      "clock-accuracy"};

	for (unsigned int i = 0; i < clocks->count; i++) {
		int node = dt_node_by_phandle(sys, clocks->sys_phandle[i]);
		char name[32];

		(void)bh_snprintf(name, sizeof(name), "passthrough-clock-%u", i);
		begin(w, name);
		for (unsigned int p = 0; p < ARRAY_SIZE(copied); p++) {
			int len;
			const void *v = dt_getprop(sys, node, copied[p], &len);

			if (v != NULL)
				prop(w, copied[p], v, len);
		}
		prop_u32(w, "phandle", PHANDLE_DEVICE_CLOCKS + i);
		end(w);
	}
}

/* A device's `clocks` in guest phandles; false (and nothing written) if
 * any clock was not copied. */
static bool add_clocks_prop(struct writer *w, const void *sys, int node,
			    const struct device_clocks *clocks)
{
	fdt32_t cells[MAX_DEVICE_CLOCKS];
	int count;
	const fdt32_t *v = fixed_clocks_of(sys, node, &count);

	if (v == NULL || count > MAX_DEVICE_CLOCKS)
		return false;
	for (int i = 0; i < count; i++) {
		uint32_t ph = guest_clock(clocks, fdt32_to_cpu(v[i]));

		if (ph == 0)
			return false;
		cells[i] = cpu_to_fdt32(ph);
	}
	prop(w, "clocks", cells, count * 4);
	return true;
}

/* How many clocks @node's `clocks` lists (each provider's #clock-cells). */
static int clock_count(const void *sys, int node)
{
	int len;
	int count = 0;
	const fdt32_t *v = dt_getprop(sys, node, "clocks", &len);

	for (int at = 0; v != NULL && at < len / 4; count++) {
		int provider = dt_node_by_phandle(sys, fdt32_to_cpu(v[at]));
		const fdt32_t *cells = provider >= 0 ? dt_getprop(sys, provider, "#clock-cells", NULL) : NULL;

		at += 1 + (cells != NULL ? (int)fdt32_to_cpu(*cells) : 0);
	}
	return count != 0 ? count : 1;
}

/* The fixed clock standing for a device's clocks at the rate the
 * configuration gives (`device-clock-rates`): just before the device. */
void guest_dt_rate_clock(struct writer *w, const struct partition_device *dev, unsigned int index)
{
	char name[40];

	(void)bh_snprintf(name, sizeof(name), "passthrough-rate-clock-%u", index);
	begin(w, name);
	prop_str(w, "compatible", "fixed-clock");
	prop_u32(w, "#clock-cells", 0);
	prop_u32(w, "clock-frequency", dev->clock_hz);
	prop_u32(w, "phandle", PHANDLE_RATE_CLOCKS + index);
	end(w);
}

/* Every clock of the device is that one fixed clock (its `clock-names`
 * stay): the driver reads the rate it needs, the others it only enables. */
static bool add_rate_clocks_prop(struct writer *w, const void *sys, int node, unsigned int index)
{
	fdt32_t cells[MAX_DEVICE_CLOCKS];
	int count = clock_count(sys, node);

	if (count > MAX_DEVICE_CLOCKS)
		count = MAX_DEVICE_CLOCKS;
	for (int i = 0; i < count; i++)
		cells[i] = cpu_to_fdt32(PHANDLE_RATE_CLOCKS + index);
	prop(w, "clocks", cells, count * (int)sizeof(fdt32_t));
	return true;
}

void guest_dt_device_clocks(struct writer *w, const void *sys, const struct partition_device *dev,
			    unsigned int index, const struct device_clocks *clocks)
{
	bool written = dev->clock_hz != 0u ? add_rate_clocks_prop(w, sys, dev->node, index)
					  : add_clocks_prop(w, sys, dev->node, clocks);
	int len;
	const void *names = written ? dt_getprop(sys, dev->node, "clock-names", &len) : NULL;

	if (names != NULL)
		prop(w, "clock-names", names, len);
}
