/* SPDX-License-Identifier: Apache-2.0 */
/* bulkhead-check's table of a valid configuration (report.c). */
#ifndef BULKHEAD_CHECK_REPORT_H
#define BULKHEAD_CHECK_REPORT_H

#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

/* The partitions, then the physical address map; @hyp may be NULL;
 * @console_driver drives the hypervisor's UART. */
void report_print(const void *fdt, const struct platform *p, const struct system_config *sys,
		  const struct hyp_footprint *hyp, const char *console_driver);

#endif
