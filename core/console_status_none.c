// SPDX-License-Identifier: Apache-2.0
/*
 * The console's status table left out of the build (CONSOLE_STATUS=n,
 * docs/building.md): replaces console_status.c. Ctrl-T s still is the
 * command, so that its key never moves the input focus by surprise; it
 * says why there is no table.
 */

#include <bulkhead/console.h>

void console_status_print(void)
{
	log_printf("console: this build has no status table (CONSOLE_STATUS=n)\n");
}
