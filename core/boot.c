// SPDX-License-Identifier: Apache-2.0
/*
 * Architecture-neutral boot: report the machine, bring every CPU online and
 * send them all to the idle loop.
 */

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>
#include <bulkhead/table_carve.h>

/* A CPU that has not reported in within this time is given up on. */
#define CPU_START_TIMEOUT_NS 1000000000ull

struct cpu cpus[MAX_CPUS];

int cpu_without_vcpu(const struct platform *p)
{
	for (unsigned int i = 0; i < p->cpu_count; i++) {
		if (__atomic_load_n(&cpus[i].state, __ATOMIC_ACQUIRE) == CPU_ONLINE &&
		    vcpu_for_cpu(i) == NULL)
			return (int)i;
	}
	return -1;
}
static struct platform platform;
static unsigned int cpus_online;
static uint64_t banner_ns;
static bool partitions_decided; /* set once partitions started, or not */
static struct hyp_footprint hyp_footprint;

void boot_banner(void)
{
	banner_ns = arch_time_ns();
	log_printf("\nBulkhead %s (%s), a static partitioning hypervisor\n",
		   bulkhead_version, arch_name);
	/* What a configuration may ask of this build (docs/building.md). */
	log_printf("parts: %s\n", bulkhead_parts);
}

NORETURN void boot_fail(const char *what)
{
	log_printf("fatal: %s; the hypervisor stays on this console and starts nothing\n", what);
	console_flush();
	arch_cpu_halt();
}

bool boot_partitions_decided(void)
{
	return __atomic_load_n(&partitions_decided, __ATOMIC_ACQUIRE);
}

/* A CPU with a vCPU runs it for good; any other idles. */
static NORETURN void run_or_idle(struct cpu *cpu)
{
	while (!boot_partitions_decided()) {
		arch_hyp_colour_poll(); /* the boot CPU may move the hypervisor */
		arch_wait_event();
	}
	struct vcpu *v = vcpu_for_cpu(cpu->index);

	if (v != NULL)
		vcpu_run_loop(v);
	for (;;)
		arch_cpu_idle();
}

/* Boot modules are read in place; the hypervisor has all RAM mapped
 * except its own image, which no module may overlap anyway. */
static const void *peek_ram(uint64_t pa, uint64_t len)
{
	if (pa + len < pa || (pa < hyp_footprint.base + hyp_footprint.size &&
			      hyp_footprint.base < pa + len))
		return NULL;
	for (unsigned int i = 0; i < platform.ram_count; i++) {
		const struct mem_range *r = &platform.ram[i];

		if (pa >= r->base && pa + len <= r->base + r->size)
			return (const void *)(uintptr_t)pa;
	}
	return NULL;
}

/* Where the coloured hypervisor's image goes (size 0: not coloured). */
static struct mem_range hyp_span;

/* Coloured memory's translation tables and the buffer its device trees are
 * built in: a region of free RAM added to the pool before any partition is
 * built (core/table_carve.c); and the span the coloured hypervisor moves to,
 * kept off it. */
static enum bh_err add_table_pages(const void *fdt, const struct system_config *sys)
{
	struct table_carve_in in;
	struct mem_range r;

	in.fdt = fdt;
	in.fdt_pa = (uint64_t)(uintptr_t)fdt;
	in.fdt_size = fdt_totalsize(fdt);
	in.hyp = hyp_footprint;
	in.p = &platform;
	in.sys = sys;
	in.hyp_copy_size = arch_hyp_colour_size();
	in.hyp_span = (struct mem_range){0, 0};
	if (sys->hyp_colour_count != 0u && in.hyp_copy_size == 0u) {
		log_printf("error: this port does not colour the hypervisor\n");
		return BH_ERR_UNSUPPORTED;
	}
	TRY(hyp_span_carve(&in, &hyp_span));
	in.hyp_span = hyp_span;
	TRY(table_carve(&in, &r));
	if (r.size != 0u) {
		log_printf("tables: %llu KiB at 0x%016llx-0x%016llx for coloured partitions' "
			   "translation tables and device-tree scratch, from free RAM\n", (unsigned long long)(r.size >> 10),
			   (unsigned long long)r.base, (unsigned long long)(r.base + r.size - 1u));
		TRY(arch_table_pool_add(r.base, r.size));
	}
	if (hyp_span.size == 0u)
		return BH_OK;
	return arch_hyp_colour_prepare(sys, hyp_span.base);
}

/* Every partition is built, none runs: the last moment the image may move
 * (no CPU is busy). A failure now leaves partitions built but unstarted:
 * the boot stops, saying why. */
static void colour_hypervisor(void)
{
	if (hyp_span.size == 0u)
		return;
	enum bh_err err = arch_hyp_colour_switch();

	if (err != BH_OK) {
		log_printf("error: the hypervisor could not move onto its colours: %s\n",
			   bh_err_name(err));
		boot_fail("hypervisor colours");
	}
}

static void start_partitions(const void *fdt)
{
	/* Partitions keep pointers into the configuration: it stays. */
	struct system_config *system_config = arch_boot_alloc(sizeof(*system_config));
	struct config_errors *config_errors = arch_boot_alloc(sizeof(*config_errors));

	if (system_config == NULL || config_errors == NULL) {
		log_printf("configuration: no memory for its tables; no partition started\n");
	} else if (config_parse(fdt, &platform, &hyp_footprint, peek_ram, system_config,
				config_errors) != BH_OK) {
		config_errors_print(config_errors);
		log_printf("configuration: %u error(s); no partition started\n", config_errors->count);
	} else if (add_table_pages(fdt, system_config) != BH_OK) {
		log_printf("no partition started\n");
	} else if (partitions_start(fdt, &platform, system_config) != BH_OK) {
		log_printf("no partition started\n");
	} else {
		/* the partitions run once decided: partitions_start() said so */
		colour_hypervisor();
	}
	__atomic_store_n(&partitions_decided, true, __ATOMIC_RELEASE);
	arch_send_event();
}

static void report_platform(const struct platform *p, uint64_t hyp_start, uint64_t hyp_end)
{
	for (unsigned int i = 0; i < p->ram_count; i++) {
		const struct mem_range *r = &p->ram[i];

		log_printf("memory: 0x%016llx-0x%016llx (%llu MiB)\n", (unsigned long long)r->base,
			   (unsigned long long)(r->base + r->size - 1),
			   (unsigned long long)(r->size >> 20));
	}
	log_printf("memory: %llu MiB in %u range(s)\n", (unsigned long long)(p->ram_total >> 20),
		   p->ram_count);
	log_printf("hypervisor: 0x%016llx-0x%016llx (%llu KiB)\n", (unsigned long long)hyp_start,
		   (unsigned long long)(hyp_end - 1), (unsigned long long)((hyp_end - hyp_start) >> 10));
	log_printf("cpus: %u\n", p->cpu_count);
	for (unsigned int i = 0; i < p->cpu_count; i++)
		log_printf("cpu %u: hwid 0x%llx%s\n", i, (unsigned long long)p->cpus[i].hwid,
			   i == 0 ? " (boot)" : "");
	arch_platform_report(p);
}

static unsigned int start_secondaries(const struct platform *p)
{
	unsigned int started = 1;

	for (unsigned int i = 1; i < p->cpu_count; i++) {
		struct cpu *cpu = &cpus[i];

		__atomic_store_n(&cpu->state, CPU_STARTING, __ATOMIC_RELEASE);
		enum bh_err err = arch_cpu_start(p, cpu);

		if (err != BH_OK) {
			__atomic_store_n(&cpu->state, CPU_OFF, __ATOMIC_RELEASE);
			log_printf("cpu %u: hwid 0x%llx failed to start: %s\n", i,
				   (unsigned long long)cpu->hwid, bh_err_name(err));
			continue;
		}
		started++;
	}
	return started;
}

static void wait_for_cpus(const struct platform *p, unsigned int started)
{
	uint64_t deadline = arch_time_ns() + CPU_START_TIMEOUT_NS;

	while (__atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE) < started &&
	       arch_time_ns() < deadline)
		arch_wait_event();

	unsigned int online = __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);

	if (online == p->cpu_count) {
		log_printf("all %u CPUs online at %llu ns since reset\n", online,
			   (unsigned long long)arch_time_ns());
		return;
	}
	for (unsigned int i = 1; i < p->cpu_count; i++) {
		if (__atomic_load_n(&cpus[i].state, __ATOMIC_ACQUIRE) != CPU_ONLINE)
			log_printf("cpu %u: hwid 0x%llx did not come online\n", i,
				   (unsigned long long)cpus[i].hwid);
	}
	log_printf("%u of %u CPUs online\n", online, p->cpu_count);
}

NORETURN void boot_primary_main(const void *fdt, uint64_t boot_hwid, uint64_t hyp_start,
				uint64_t hyp_end)
{
	/* First: on a board whose platform is refused below, the console that
	 * says so is the one thing known to work. */
	log_printf("console: UART at 0x%llx, found from %s\n",
		   (unsigned long long)console_base(), console_source());
	log_printf("console: %s driver, output through a %u-byte ring\n", console_driver_name(),
		   (unsigned int)CONSOLE_OUTPUT_RING);
	if (platform_parse(fdt, boot_hwid, &platform) != BH_OK ||
	    platform_set_console(fdt, console_node(), &platform) != BH_OK)
		boot_fail("the device tree does not describe a usable machine");
	if (arch_platform_parse(fdt, &platform) != BH_OK)
		boot_fail("the device tree does not describe a usable machine");
	report_platform(&platform, hyp_start, hyp_end);
	log_printf("boot: banner at %llu ns since reset\n", (unsigned long long)banner_ns);

	for (unsigned int i = 0; i < platform.cpu_count; i++) {
		cpus[i].index = i;
		cpus[i].hwid = platform.cpus[i].hwid;
	}
	__atomic_store_n(&cpus[0].state, CPU_ONLINE, __ATOMIC_RELEASE);
	__atomic_store_n(&cpus_online, 1, __ATOMIC_RELEASE);

	wait_for_cpus(&platform, start_secondaries(&platform));
	hyp_footprint = (struct hyp_footprint){hyp_start, hyp_end - hyp_start};
	start_partitions(fdt);
	arch_cpu_online_hook(&cpus[0]);
	run_or_idle(&cpus[0]);
}

NORETURN void cpu_secondary_main(struct cpu *cpu)
{
	__atomic_store_n(&cpu->state, CPU_ONLINE, __ATOMIC_RELEASE);
	log_printf("cpu %u: online (hwid 0x%llx)\n", cpu->index, (unsigned long long)cpu->hwid);
	__atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
	arch_send_event();
	arch_cpu_online_hook(cpu);
	run_or_idle(cpu);
}

void cpu_mark_halted(struct cpu *cpu)
{
	__atomic_store_n(&cpu->state, CPU_HALTED, __ATOMIC_RELEASE);
	arch_send_event();
}
