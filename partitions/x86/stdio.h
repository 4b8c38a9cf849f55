/* SPDX-License-Identifier: Apache-2.0 */
/* The x86-64 partition runtime's stdio: formatted output on the partition's
 * console (the hypervisor's own formatter, partitions/x86/rt.c). */
#ifndef BULKHEAD_RT_X86_STDIO_H
#define BULKHEAD_RT_X86_STDIO_H

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
