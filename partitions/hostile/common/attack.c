// SPDX-License-Identifier: Apache-2.0
/* The hostile-guest programs' report line and attack dispatch (attack.h). */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

#include "attack.h"

void report(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("hostile: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void run_named_attack(const struct attack *table, size_t count)
{
	char name[48];

	if (rt_bootarg("attack", name, sizeof(name)) == NULL) {
		printf("hostile: no attack= in bootargs\n");
		psci_system_off();
	}
	for (size_t i = 0; i < count; i++) {
		if (strcmp(table[i].name, name) == 0) {
			table[i].run(name);
			printf("hostile: %s: done\n", name);
			psci_system_off();
		}
	}
	printf("hostile: unknown attack %s\n", name);
	psci_system_off();
}
