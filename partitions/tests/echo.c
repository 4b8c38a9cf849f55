// SPDX-License-Identifier: Apache-2.0
/* Echoes each line typed at it while it has the console focus; "quit" ends. */

#include <stdio.h>
#include <string.h>

#include "rt.h"

int main(void)
{
	char line[64];

	printf("echo: ready\n");
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		printf("echo: %s\n", line);
		if (strcmp(line, "quit") == 0)
			break;
	}
	psci_system_off();
}
