// SPDX-License-Identifier: Apache-2.0
/*
 * A QEMU TCG plugin that models one last-level cache shared by every CPU
 * and indexed by physical address, the cache colouring acts on
 * (docs/colouring.md): QEMU models no caches, so interference between
 * partitions is measured here. Set-associative, least recently used, data
 * accesses only (loads and stores of any size, by their first byte's line);
 * instruction fetches and table walks are not modelled.
 *
 * A program marks what it wants measured with hint instructions that are
 * no-ops on every Arm CPU (HINT #0x70-#0x72): an iteration's start and end,
 * and "report". Within iterations the plugin counts the CPU's accesses and
 * misses and models each iteration's time as its instructions (1 ns each,
 * as QEMU's -icount shift=0 counts them) plus a fixed penalty per miss;
 * on "report" it prints one line for that CPU:
 *
 *   llc: cpu N: iterations I accesses A misses M worst_ns W mean_ns X
 *
 * The first `warmup` iterations (the cache filling) are not counted.
 * Options: size, ways, line (bytes), miss_ns, warmup (-plugin llc.so,size=1048576,...).
 */

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

/* The plugin ABI version this is written against (QEMU 7.2 accepts 0-1). */
__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define HINT(imm) (0xd503201fu | ((uint32_t)(imm) << 5))
#define MARK_START HINT(0x70)
#define MARK_END HINT(0x71)
#define MARK_REPORT HINT(0x72)

struct cpu_stats {
	bool in_iteration;
	uint64_t insns;              /* every instruction this CPU ran */
	uint64_t iter_insns, iter_accesses, iter_misses; /* at the iteration's start */
	uint64_t accesses, misses;   /* all the time */
	uint64_t iterations;         /* counted (after the warm-up) */
	uint64_t seen;               /* ended, warm-up included */
	uint64_t sum_accesses, sum_misses, worst_ns, sum_ns;
};

static struct {
	unsigned int sets, ways, line_shift;
	uint64_t miss_ns, warmup;
	uint64_t *tag;    /* sets * ways line addresses; UINT64_MAX: empty */
	uint64_t *used;   /* when each way was last touched */
	uint64_t clock;
	pthread_mutex_t lock;
	struct cpu_stats *cpu;
	int cpus;
} llc = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* One access to the line of @pa: true if it missed (and was filled). */
static bool cache_access(uint64_t pa)
{
	uint64_t line = pa >> llc.line_shift;
	size_t base = (size_t)(line & (llc.sets - 1u)) * llc.ways;
	size_t victim = base;

	llc.clock++;
	for (size_t w = base; w < base + llc.ways; w++) {
		if (llc.tag[w] == line) {
			llc.used[w] = llc.clock;
			return false;
		}
		if (llc.used[w] < llc.used[victim])
			victim = w;
	}
	llc.tag[victim] = line;
	llc.used[victim] = llc.clock;
	return true;
}

static void on_mem(unsigned int cpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, vaddr);

	(void)udata;
	if (hw == NULL || qemu_plugin_hwaddr_is_io(hw) || (int)cpu >= llc.cpus)
		return;
	uint64_t pa = qemu_plugin_hwaddr_phys_addr(hw);

	pthread_mutex_lock(&llc.lock);
	bool miss = cache_access(pa);
	pthread_mutex_unlock(&llc.lock);
	llc.cpu[cpu].accesses++;
	if (miss)
		llc.cpu[cpu].misses++;
}

static void on_tb(unsigned int cpu, void *udata)
{
	if ((int)cpu < llc.cpus)
		llc.cpu[cpu].insns += (uint64_t)(uintptr_t)udata;
}

static void report(unsigned int cpu, const struct cpu_stats *s)
{
	char line[256];

	snprintf(line, sizeof(line),
		 "llc: cpu %u: iterations %" PRIu64 " accesses %" PRIu64 " misses %" PRIu64
		 " worst_ns %" PRIu64 " mean_ns %" PRIu64 "\n",
		 cpu, s->iterations, s->sum_accesses, s->sum_misses, s->worst_ns,
		 s->iterations != 0 ? s->sum_ns / s->iterations : 0);
	qemu_plugin_outs(line);
}

static void on_mark(unsigned int cpu, void *udata)
{
	uint32_t mark = (uint32_t)(uintptr_t)udata;

	if ((int)cpu >= llc.cpus)
		return;
	struct cpu_stats *s = &llc.cpu[cpu];

	if (mark == MARK_START) {
		s->in_iteration = true;
		s->iter_insns = s->insns;
		s->iter_accesses = s->accesses;
		s->iter_misses = s->misses;
	} else if (mark == MARK_END && s->in_iteration) {
		uint64_t misses = s->misses - s->iter_misses;
		uint64_t ns = (s->insns - s->iter_insns) + misses * llc.miss_ns;

		s->in_iteration = false;
		if (s->seen++ < llc.warmup)
			return;
		s->iterations++;
		s->sum_accesses += s->accesses - s->iter_accesses;
		s->sum_misses += misses;
		s->sum_ns += ns;
		if (ns > s->worst_ns)
			s->worst_ns = ns;
	} else if (mark == MARK_REPORT) {
		report(cpu, s);
	}
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)n);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint32_t word = 0;

		if (qemu_plugin_insn_size(insn) == 4)
			memcpy(&word, qemu_plugin_insn_data(insn), 4);
		if (word == MARK_START || word == MARK_END || word == MARK_REPORT)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)word);
		qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS,
						 QEMU_PLUGIN_MEM_RW, NULL);
	}
}

static bool option(const char *arg, const char *key, uint64_t *out)
{
	size_t len = strlen(key);

	if (strncmp(arg, key, len) != 0 || arg[len] != '=')
		return false;
	*out = strtoull(arg + len + 1, NULL, 0);
	return true;
}

static bool is_pow2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
							      const qemu_info_t *info, int argc,
							      char **argv)
{
	uint64_t size = 1 << 20, ways = 16, line = 64;

	(void)info;
	llc.miss_ns = 100;
	llc.warmup = 1;
	for (int i = 0; i < argc; i++) {
		if (!option(argv[i], "size", &size) && !option(argv[i], "ways", &ways) &&
		    !option(argv[i], "line", &line) && !option(argv[i], "miss_ns", &llc.miss_ns) &&
		    !option(argv[i], "warmup", &llc.warmup)) {
			fprintf(stderr, "llc: unknown option %s\n", argv[i]);
			return -1;
		}
	}
	if (!is_pow2(line) || ways == 0 || size % (ways * line) != 0 ||
	    !is_pow2(size / (ways * line))) {
		fprintf(stderr, "llc: size %" PRIu64 " is not ways (%" PRIu64 ") x a power-of-two "
			"number of sets x line (%" PRIu64 ")\n", size, ways, line);
		return -1;
	}
	llc.ways = (unsigned int)ways;
	llc.sets = (unsigned int)(size / (ways * line));
	llc.line_shift = (unsigned int)__builtin_ctzll(line);
	llc.cpus = qemu_plugin_n_max_vcpus();
	llc.tag = malloc(sizeof(uint64_t) * llc.sets * llc.ways);
	llc.used = calloc((size_t)llc.sets * llc.ways, sizeof(uint64_t));
	llc.cpu = calloc((size_t)(llc.cpus > 0 ? llc.cpus : 1), sizeof(struct cpu_stats));
	if (llc.tag == NULL || llc.used == NULL || llc.cpu == NULL)
		return -1;
	memset(llc.tag, 0xff, sizeof(uint64_t) * llc.sets * llc.ways);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	return 0;
}
