// SPDX-License-Identifier: Apache-2.0
/*
 * Linked only into the verdict build (build/arm64-verdict): once CPU 0 is
 * online, the hypervisor gives its verdict on a board's system device tree
 * that QEMU's loader put at BOARD_TREE, by the checks bulkhead-check runs
 * on the host (core/system_check.c), compiled for EL2. The machine under
 * it stays QEMU's virt (its console is the one in use); the board tree is
 * data. tests/qemu/test_boards.py compares both verdicts, line by line,
 * on every board tree and broken variant.
 */

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/system_check.h>

#include <arch/arm64.h>

#define BOARD_TREE 0x70000000ULL
#define BOARD_TREE_MAX (4ULL << 20)

void arm64_test_hook_online(unsigned int cpu_index)
{
	static struct system_check check;
	const void *tree = (const void *)(uintptr_t)BOARD_TREE;

	if (cpu_index != 0)
		return;
	if (fdt_check_header(tree) != 0 || fdt_totalsize(tree) > BOARD_TREE_MAX) {
		log_printf("verdict: no device tree at 0x%llx\n", BOARD_TREE);
		return;
	}
	log_printf("verdict: the system device tree at 0x%llx\n", BOARD_TREE);
	enum system_verdict v = system_check(tree, NULL, &check);

	log_printf("verdict: %s, %u partition(s)\n", system_verdict_name(v),
		   v == SYSTEM_OK ? check.sys.count : 0u);
}
