/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Accesses a test partition makes that must be refused (cfiattack,
 * flashattack): each one's abort is counted and skipped, so the program
 * carries on and reports every one, "contained" or "NOT CONTAINED".
 * Install contain_on_abort with rt_set_sync_handler() first.
 */
#ifndef PARTITIONS_LIB_CONTAIN_H
#define PARTITIONS_LIB_CONTAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rt.h"

static volatile unsigned int caught;

static bool contain_on_abort(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	caught++;
	f->elr += 4; /* skip the access */
	return true;
}

/* One access that must be refused: "contained" if it raised an exception. */
static void contain_refused(const char *program, const char *what, void (*access)(void))
{
	unsigned int before = caught;

	access();
	printf("%s: %s: %s\n", program, what, caught != before ? "contained" : "NOT CONTAINED");
}

#endif
