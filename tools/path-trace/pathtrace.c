// SPDX-License-Identifier: Apache-2.0
/*
 * A QEMU TCG plugin that records the instructions of one path, for
 * finding where a benchmark's instructions go (docs/benchmarks.md): from
 * the n-th execution of the instruction at virtual address `start` (by any
 * CPU) it writes every instruction any CPU executes, in execution order,
 * as "cpu vaddr" lines, until `len` have been written. Under -icount QEMU
 * runs the CPUs round robin on one thread, so the order is the order in
 * which the virtual clock counts them: the trace of a window is exactly
 * what a figure measured on that clock contains. tools/path-profile turns
 * the trace into a per-symbol breakdown.
 *
 * Options: start=<vaddr> (hex), skip=<hits of start to let pass first>,
 * len=<instructions>, out=<file>. Example:
 *   -plugin build/tools/pathtrace.so,start=0x50001234,skip=100,len=5000,out=build/t.txt
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../llc-plugin/qemu_plugin_api.h"

/* The plugin ABI version this is written against (QEMU 7.2 accepts 0-1). */
__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* Part of the same stable API (QEMU 7.2), not used by llc.c. */
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

static struct {
	uint64_t start, skip, len;
	uint64_t hits, written;
	bool recording;
	FILE *out;
} trace;

/* Every instruction: counted only inside the window, so the callback's
 * first test is the cheap one. */
static void insn_exec(unsigned int cpu, void *userdata)
{
	uint64_t pc = (uint64_t)(uintptr_t)userdata;

	if (!trace.recording) {
		if (pc != trace.start || trace.written >= trace.len)
			return;
		if (trace.hits++ < trace.skip)
			return;
		trace.recording = true;
	}
	fprintf(trace.out, "%u %" PRIx64 "\n", cpu, pc);
	if (++trace.written >= trace.len) {
		trace.recording = false;
		fflush(trace.out);
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		qemu_plugin_register_vcpu_insn_exec_cb(insn, insn_exec, QEMU_PLUGIN_CB_NO_REGS,
						       (void *)(uintptr_t)qemu_plugin_insn_vaddr(insn));
	}
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	fclose(trace.out);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
							       const qemu_info_t *info,
							       int argc, char **argv)
{
	const char *path = NULL;

	(void)info;
	trace.len = 10000;
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == NULL)
			return -1;
		if (strncmp(argv[i], "start=", 6) == 0)
			trace.start = strtoull(eq + 1, NULL, 16);
		else if (strncmp(argv[i], "skip=", 5) == 0)
			trace.skip = strtoull(eq + 1, NULL, 0);
		else if (strncmp(argv[i], "len=", 4) == 0)
			trace.len = strtoull(eq + 1, NULL, 0);
		else if (strncmp(argv[i], "out=", 4) == 0)
			path = eq + 1;
		else
			return -1;
	}
	if (path == NULL || trace.start == 0u) {
		fprintf(stderr, "pathtrace: start=<hex vaddr> and out=<file> are needed\n");
		return -1;
	}
	trace.out = fopen(path, "w");
	if (trace.out == NULL)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
