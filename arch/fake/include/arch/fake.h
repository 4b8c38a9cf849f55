/* SPDX-License-Identifier: Apache-2.0 */
/* What host tests can see and steer of the fake arch. */
#ifndef ARCH_FAKE_FAKE_H
#define ARCH_FAKE_FAKE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Everything written to the console since the last reset. */
const char *fake_console_output(void);
void fake_console_reset(void);

/* Also write console output here when set (host tools: stdout). */
extern FILE *fake_console_mirror;

/* The node the console attached to (-1: none). */
extern int fake_console_attached_node;

extern uint64_t fake_time_ns;
extern unsigned int fake_cpu_starts;

#endif
