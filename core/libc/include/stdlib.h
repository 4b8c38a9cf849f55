/* SPDX-License-Identifier: Apache-2.0 */
/* Freestanding stand-in: libfdt's environment header includes <stdlib.h>
 * but the parts of libfdt built into the hypervisor call nothing from it. */
#ifndef BULKHEAD_LIBC_STDLIB_H
#define BULKHEAD_LIBC_STDLIB_H

#include <stddef.h>

#endif
