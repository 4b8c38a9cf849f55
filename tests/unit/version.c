// SPDX-License-Identifier: Apache-2.0
/* The hypervisor build generates this; host tests need a value. */

#include <bulkhead/boot.h>

const char bulkhead_version[] = "unit-test";
const char *const bulkhead_parts = "unit-test";
