// SPDX-License-Identifier: Apache-2.0
/*
 * Partitions at run time: build and load them from the validated
 * configuration, run each vCPU on its pinned physical CPU, and stop or
 * restart a partition without its neighbours noticing.
 */

#include <string.h>

#include <bulkhead/arch.h>
#include <bulkhead/colour.h>
#include <bulkhead/console.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/health.h>
#include <bulkhead/partition.h>
#include <bulkhead/table_carve.h>

#define GUEST_DT_MAX PARTITION_DT_MAX

/* MAX_PARTITIONS of them, from the page pool when partitions start. */
static struct partition *partitions;
/* One vCPU per physical CPU at most (pinned 1:1), indexed by that CPU:
 * MAX_CPUS of them, also from the page pool. */
static struct vcpu *vcpu_pool;
static unsigned int partition_count;
struct vcpu *vcpu_of_cpu[MAX_CPUS];
static const void *system_fdt;
static const struct platform *system_platform;
/* GUEST_DT_MAX bytes, only when a partition is coloured: from the pages the
 * boot carved from free RAM for that (core/table_carve.c), not .bss. */
static uint8_t *dt_scratch;
static unsigned int partitions_active; /* started and not reported stopped */

unsigned int partitions_running(void)
{
	return __atomic_load_n(&partitions_active, __ATOMIC_ACQUIRE);
}

unsigned int partitions_count(void)
{
	return partition_count;
}

struct partition *partition_at(unsigned int index)
{
	return &partitions[index];
}

/*
 * Copy @size bytes from @src to guest-physical @ipa, run by physically
 * contiguous run: one run for an uncoloured partition, a few pages each
 * for a coloured one. The configuration guarantees the range is its memory.
 */
static void copy_to_guest(const struct partition_config *cfg, uint64_t ipa, const void *src,
			  uint64_t size)
{
	const uint8_t *from = src;

	uint64_t done = 0;

	while (done < size) {
		uint64_t pa = 0;
		uint64_t run = 0;

		if (!colour_ipa_to_pa(cfg, ipa + done, &pa, &run))
			return;
		if (run > size - done)
			run = size - done;
		(void)memcpy((void *)(uintptr_t)pa, &from[done], run);
		arch_sync_guest_memory(pa, run);
		done += run;
	}
}

/* Zero the partition's memory, exactly its pages, for a restart. */
static void clear_guest(const struct partition_config *cfg)
{
	struct colour_run r = {0};

	while (colour_next_run(cfg, &r))
		arch_clear_guest_memory(r.pa, r.size);
}

/* Build (or adopt) the partition's device tree at @dt. */
static enum bh_err build_dt(struct partition *part, void *dt, struct guest_dt_layout *layout,
			    size_t *used)
{
	const struct partition_config *cfg = part->cfg;

	if (cfg->dtb.present)
		return guest_dt_adopt(dt, GUEST_DT_MAX, (const void *)(uintptr_t)cfg->dtb.pa,
				      cfg->dtb.size, cfg, layout, used);
	struct mem_range vuart = platform_vuart_window(system_platform);

	layout->vuart_ipa = vuart.base;
	layout->vuart_size = vuart.size;
	layout->vuart_irq = system_platform->console_irq;
	return guest_dt_build(dt, GUEST_DT_MAX, system_fdt, system_platform, cfg, part->id, layout,
			      used);
}

/*
 * A flash region's contents: its image, the rest erased (all ones, as
 * erased NOR flash reads). Read-only regions get this at every start, so
 * firmware code is always pristine; writable ones only at the hypervisor's
 * boot, so what the partition stored survives its restarts.
 */
static void load_flash(const struct partition_config *cfg, bool first)
{
	for (unsigned int i = 0; i < cfg->flash_count; i++) {
		const struct partition_flash *f = &cfg->flash[i];
		uint64_t copied = f->image.present ? f->image.size : 0u;

		if (f->writable && !first)
			continue;
		if (copied != 0u)
			(void)memcpy((void *)(uintptr_t)f->pa, (const void *)(uintptr_t)f->image.pa, copied);
		(void)memset((void *)(uintptr_t)(f->pa + copied), 0xff, f->size - copied);
		arch_sync_guest_memory(f->pa, f->size);
	}
}

/*
 * Place and copy the images: kernel at its load address, device tree at the
 * top of the first memory region, ramdisk just below it. The modules stay
 * where the loader put them, untouched: they are the pristine copies a
 * restart loads again.
 */
static enum bh_err load(struct partition *part)
{
	const struct partition_config *cfg = part->cfg;
	const struct partition_mem *mem0 = &cfg->mem[0];
	uint64_t kernel_end = cfg->load_ipa + cfg->kernel_mem_size;
	struct guest_dt_layout layout = {0};

	layout.boot_count = part->boots + 1; /* this load is for the next boot */

	/* Without `device-tree-address` the DT takes the top of the first
	 * region and the ramdisk goes below it; with it, the ramdisk takes
	 * the top, and must not run into the DT (the configuration already
	 * keeps the DT clear of the kernel). */
	uint64_t top = mem0->ipa + mem0->size;

	part->dt_ipa = cfg->dt_fixed ? cfg->dt_ipa : top - GUEST_DT_MAX;
	if (!cfg->dt_fixed)
		top = part->dt_ipa;
	if (cfg->ramdisk.present) {
		layout.ramdisk_size = cfg->ramdisk.size;
		layout.ramdisk_ipa = ALIGN_DOWN(top - cfg->ramdisk.size, PAGE_SIZE);
	}
	uint64_t low = cfg->ramdisk.present ? layout.ramdisk_ipa : top;
	bool dt_hit = cfg->dt_fixed && cfg->ramdisk.present &&
		      part->dt_ipa < layout.ramdisk_ipa + layout.ramdisk_size &&
		      layout.ramdisk_ipa < part->dt_ipa + GUEST_DT_MAX;

	if (kernel_end > low || low < mem0->ipa || dt_hit) {
		log_printf("error: partition %s: kernel (%llu KiB), ramdisk and device tree do not fit "
			   "in its first memory region\n", cfg->name,
			   (unsigned long long)(cfg->kernel_mem_size >> 10));
		return BH_ERR_NO_MEMORY;
	}
	load_flash(cfg, part->boots == 0u);
	if (cfg->kernel.present) /* else firmware runs in place from flash */
		copy_to_guest(cfg, cfg->load_ipa, (const void *)(uintptr_t)cfg->kernel.pa,
			      cfg->kernel.size);
	if (cfg->ramdisk.present)
		copy_to_guest(cfg, layout.ramdisk_ipa, (const void *)(uintptr_t)cfg->ramdisk.pa,
			      cfg->ramdisk.size);

	size_t used = 0;
	uint64_t dt_pa = 0;
	uint64_t run = 0;

	(void)colour_ipa_to_pa(cfg, part->dt_ipa, &dt_pa, &run);
	if (cfg->colour_count == 0u) {
		/* Contiguous: built in place, as before colouring. */
		TRY(build_dt(part, (void *)(uintptr_t)dt_pa, &layout, &used));
		arch_sync_guest_memory(dt_pa, used);
		return BH_OK;
	}
	/* A coloured partition's device tree is built in dt_scratch, then
	 * copied page run by page run (its memory is contiguous only as the
	 * guest sees it). Shared by every coloured partition, under a lock:
	 * two may restart at once. */
	static struct spinlock dt_scratch_lock = SPINLOCK_INIT;

	spin_lock(&dt_scratch_lock);
	enum bh_err err = build_dt(part, dt_scratch, &layout, &used);

	if (err == BH_OK)
		copy_to_guest(cfg, part->dt_ipa, dt_scratch, used);
	spin_unlock(&dt_scratch_lock);
	return err;
}

/* Wake the CPU of @v, idle in vcpu_run_loop, to start it: a kick, since it
 * waits in WFI (arch_cpu_idle), where an event would not reach it. */
static void wake_vcpu(const struct vcpu *v)
{
	if (v->pcpu != arch_cpu_index())
		arch_cpu_kick(v->pcpu);
}

/* @wake: its CPU may be idle in vcpu_run_loop. Not at boot, where every
 * CPU still waits for the partitions to be decided (boot.c sends the
 * event), and a kick would only greet the guest with a needless exit. */
static void start_boot_vcpu(struct partition *part, bool wake)
{
	struct vcpu *v = part->vcpus[0];

	part->boots++;
	health_run_started(&part->health, arch_time_ns());
	v->entry = part->cfg->entry_ipa;
	v->context = part->dt_ipa;
	__atomic_store_n(&part->state, PARTITION_RUNNING, __ATOMIC_RELEASE);
	__atomic_store_n(&v->state, VCPU_STARTING, __ATOMIC_RELEASE);
	if (wake)
		wake_vcpu(v);
}

enum bh_err partitions_start(const void *fdt, const struct platform *p,
			     const struct system_config *sys)
{
	system_fdt = fdt;
	system_platform = p;
	partitions = arch_boot_alloc(MAX_PARTITIONS * sizeof(*partitions));
	vcpu_pool = arch_boot_alloc(MAX_CPUS * sizeof(*vcpu_pool));
	if (partitions == NULL || vcpu_pool == NULL)
		return BH_ERR_NO_MEMORY;
	/* Exactly when the boot carved room for it (with coloured tables). */
	bool coloured = table_carve_pages(sys) != 0u;

	dt_scratch = coloured ? arch_boot_alloc_pinned(GUEST_DT_MAX) : NULL;
	if (coloured && dt_scratch == NULL) {
		log_printf("error: no memory for the %u KiB coloured partitions' device trees are "
			   "built in\n", (unsigned int)(GUEST_DT_MAX / 1024u));
		return BH_ERR_NO_MEMORY;
	}
	partition_count = sys->count;
	for (unsigned int i = 0; i < sys->count; i++) {
		struct partition *part = &partitions[i];
		const struct partition_config *cfg = &sys->part[i];

		part->id = i;
		part->cfg = cfg;
		part->lock = (struct spinlock)SPINLOCK_INIT;
		part->uart_lock = (struct spinlock)SPINLOCK_INIT;
		part->flash_lock = (struct spinlock)SPINLOCK_INIT;
		for (unsigned int f = 0; f < cfg->flash_count; f++) {
			if (cfg->flash[f].cfi.bank_width != 0u)
				cfi_flash_init(&part->flash_cfi[f], (void *)(uintptr_t)cfg->flash[f].pa,
					       cfg->flash[f].size, &cfg->flash[f].cfi);
		}
		for (unsigned int v = 0; v < cfg->cpu_count; v++) {
			struct vcpu *vcpu = &vcpu_pool[cfg->cpus[v]];

			vcpu->part = part;
			vcpu->index = v;
			vcpu->pcpu = cfg->cpus[v];
			part->vcpus[v] = vcpu;
		}
	}
	/* Everything that can fail happens before the first partition starts. */
	for (unsigned int i = 0; i < partition_count; i++) {
		enum bh_err err = arch_partition_init(&partitions[i], p);

		if (err == BH_OK)
			err = load(&partitions[i]);
		if (err != BH_OK) {
			log_printf("error: partition %s: cannot be built: %s\n", partitions[i].cfg->name,
				   bh_err_name(err));
			return err;
		}
	}
	/* Channels start empty, whatever the RAM held: cleared once, from the
	 * end in the lower-numbered partition, never on a restart (the peer
	 * may still be using it). */
	for (unsigned int i = 0; i < partition_count; i++) {
		const struct partition_config *cfg = partitions[i].cfg;

		for (unsigned int c = 0; c < cfg->chan_count; c++) {
			if (cfg->chan[c].peer > i) {
				(void)memset((void *)(uintptr_t)cfg->chan[c].pa, 0, cfg->chan[c].size);
				arch_sync_guest_memory(cfg->chan[c].pa, cfg->chan[c].size);
			}
		}
	}
	for (unsigned int i = 0; i < partition_count; i++) {
		struct partition *part = &partitions[i];

		for (unsigned int v = 0; v < part->cfg->cpu_count; v++) {
			vcpu_of_cpu[part->vcpus[v]->pcpu] = part->vcpus[v];
			console_cpu_runs_vcpu(part->vcpus[v]->pcpu);
		}
		vuart_input_register(part);
	}
	/* Which CPUs stay free is known now: one of them takes console input. */
	vuart_input_start(p);
	enum bh_err built = arch_partitions_built(p);

	if (built != BH_OK) {
		log_printf("error: partitions cannot be started: %s\n", bh_err_name(built));
		return built;
	}
	for (unsigned int i = 0; i < partition_count; i++) {
		struct partition *part = &partitions[i];

		__atomic_fetch_add(&partitions_active, 1, __ATOMIC_RELEASE);
		/* The time lets make bench tell a partition's own boot from the
		 * hypervisor's (e.g. a Linux boot to /init). */
		log_printf("partition %s: starting on %u CPU(s), entry 0x%llx, device tree at 0x%llx, "
			   "at %llu ns since reset\n",
			   part->cfg->name, part->cfg->cpu_count,
			   (unsigned long long)part->cfg->entry_ipa, (unsigned long long)part->dt_ipa,
			   (unsigned long long)arch_time_ns());
		start_boot_vcpu(part, false);
	}
	return BH_OK;
}

enum vcpu_on_result vcpu_power_on(struct partition *part, unsigned int index, uint64_t entry,
				  uint64_t context)
{
	if (index >= part->cfg->cpu_count)
		return VCPU_ON_INVALID;
	struct vcpu *v = part->vcpus[index];
	enum vcpu_state expected = VCPU_OFF;

	/* Racing callers: exactly one wins the OFF -> STARTING transition. */
	spin_lock(&part->lock);
	bool won = part->state == PARTITION_RUNNING &&
		   __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == expected;
	if (won) {
		v->entry = entry;
		v->context = context;
		__atomic_store_n(&v->state, VCPU_STARTING, __ATOMIC_RELEASE);
	}
	spin_unlock(&part->lock);
	if (!won)
		return VCPU_ON_ALREADY_ON;
	wake_vcpu(v);
	return VCPU_ON_OK;
}

bool vcpu_is_on(const struct partition *part, unsigned int index, bool *pending)
{
	enum vcpu_state s = __atomic_load_n(&part->vcpus[index]->state, __ATOMIC_ACQUIRE);

	*pending = s == VCPU_STARTING;
	return s != VCPU_OFF;
}

/* Make every other running vCPU of @part trap and see the new state. */
static void kick_others(struct partition *part)
{
	unsigned int me = arch_cpu_index();

	for (unsigned int i = 0; i < part->cfg->cpu_count; i++) {
		const struct vcpu *v = part->vcpus[i];

		if (v->pcpu != me && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_OFF)
			arch_cpu_kick(v->pcpu);
	}
}

void partition_stop(struct partition *part, const char *why)
{
	spin_lock(&part->lock);
	bool changed = part->state == PARTITION_RUNNING;

	if (changed) {
		part->state = PARTITION_STOPPED;
		log_printf("partition %s: stopping: %s\n", part->cfg->name, why);
	}
	spin_unlock(&part->lock);
	if (changed)
		kick_others(part);
}

/* Under part->lock, for a running partition: restart it, or stop it if its
 * restart-limit says it is in a crash loop. */
static void restart_locked(struct partition *part, const char *why)
{
	const struct health_config *hc = &part->cfg->health;

	if (health_restart_allowed(hc, &part->health, arch_time_ns())) {
		part->state = PARTITION_RESTARTING;
		part->restarts++;
		log_printf("partition %s: restarting (%u): %s\n", part->cfg->name, part->restarts, why);
	} else {
		/* A crash loop: restarting again would only fail again. */
		part->state = PARTITION_STOPPED;
		log_printf("partition %s: stopping: %s, but %u restarts within %u ms already "
			   "(restart-limit)\n", part->cfg->name, why, hc->restart_limit,
			   hc->restart_window_ms);
	}
}

void partition_restart(struct partition *part, const char *why)
{
	spin_lock(&part->lock);
	bool changed = part->state == PARTITION_RUNNING;

	if (changed)
		restart_locked(part, why);
	spin_unlock(&part->lock);
	if (changed)
		kick_others(part);
}

void partition_power_off(struct partition *part, const char *why)
{
	if (part->cfg->health.poweroff_action == HEALTH_RESTART)
		partition_restart(part, why);
	else
		partition_stop(part, why);
}

void partition_act(struct partition *part, enum health_action action, const char *why)
{
	if (action == HEALTH_RESTART)
		partition_restart(part, why);
	else if (action == HEALTH_STOP)
		partition_stop(part, why);
	else {
		/* HEALTH_IGNORE: the partition runs on */
	}
}

void partition_fault(struct partition *part, const char *what)
{
	__atomic_fetch_add(&part->faults, 1, __ATOMIC_RELAXED);
	unsigned int this_run = __atomic_add_fetch(&part->health.faults_this_run, 1,
						   __ATOMIC_RELAXED);
	enum health_action action = health_fault_verdict(&part->cfg->health, this_run);

	if (action == HEALTH_IGNORE)
		return;
	log_printf("partition %s: %u fault(s) since its start (fault-limit): %s\n",
		   part->cfg->name, this_run, health_action_name(action));
	partition_act(part, action, what);
}

static bool all_vcpus_off(const struct partition *part)
{
	for (unsigned int i = 0; i < part->cfg->cpu_count; i++) {
		if (__atomic_load_n(&part->vcpus[i]->state, __ATOMIC_ACQUIRE) != VCPU_OFF)
			return false;
	}
	return true;
}

/*
 * The last vCPU out of a stopping or restarting partition finishes the job:
 * it reports the stop, or reloads the images and boots vCPU 0 again. A
 * running partition whose last vCPU turned itself off (PSCI CPU_OFF) can
 * never run again (only its own vCPUs may turn one on): it is stopped.
 */
static void vcpu_left(struct vcpu *v)
{
	struct partition *part = v->part;

	spin_lock(&part->lock);
	__atomic_store_n(&v->state, VCPU_OFF, __ATOMIC_RELEASE);
	bool all_off = all_vcpus_off(part);
	bool abandoned = part->state == PARTITION_RUNNING && all_off;

	if (abandoned && part->cfg->health.poweroff_action == HEALTH_RESTART) {
		restart_locked(part, "every vCPU is off (PSCI CPU_OFF)");
	} else if (abandoned) {
		part->state = PARTITION_STOPPED;
		log_printf("partition %s: stopping: every vCPU is off (PSCI CPU_OFF)\n",
			   part->cfg->name);
	} else {
		/* a vCPU is still on, or the partition had already stopped */
	}
	enum partition_state state = part->state;
	bool last = state != PARTITION_RUNNING && all_off;

	spin_unlock(&part->lock);
	if (!last)
		return;
	if (state == PARTITION_STOPPED) {
		log_printf("partition %s: stopped\n", part->cfg->name);
		__atomic_fetch_sub(&partitions_active, 1, __ATOMIC_RELEASE);
		return;
	}
	arch_partition_reset_devices(part);
	clear_guest(part->cfg);
	if (load(part) != BH_OK) {
		part->state = PARTITION_STOPPED;
		log_printf("partition %s: stopped: reload failed\n", part->cfg->name);
		__atomic_fetch_sub(&partitions_active, 1, __ATOMIC_RELEASE);
		return;
	}
	start_boot_vcpu(part, true);
}

/*
 * STARTING -> RUNNING, only while the partition runs. Under part->lock, the
 * lock partition_stop() and restart_locked() change the state under: a stop
 * either comes first, and this vCPU never enters its guest, or it comes
 * after and sees this vCPU not OFF, so its kick reaches this CPU, where it
 * stays pending (interrupts are masked at EL2) until the guest is entered
 * and then forces it straight out. A vCPU started by CPU_ON just before its
 * partition stops or restarts therefore never runs in the stopped
 * partition, however late its CPU gets to it.
 */
static bool vcpu_may_enter(struct vcpu *v)
{
	struct partition *part = v->part;

	spin_lock(&part->lock);
	bool running = part->state == PARTITION_RUNNING;

	if (running)
		__atomic_store_n(&v->state, VCPU_RUNNING, __ATOMIC_RELEASE);
	spin_unlock(&part->lock);
	return running;
}

NORETURN void vcpu_run_loop(struct vcpu *v)
{
	for (;;) {
		/* WFI, not WFE: an idle CPU costs nothing, and under QEMU's
		 * icount a WFE loop crawls through virtual time as a busy one. */
		while (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_STARTING)
			arch_cpu_idle();
		arch_vcpu_reset(v);
		v->exit = VCPU_EXIT_NONE;
		v->out.len = 0; /* a line cut short by a reset is not continued */
		/* Not entered: it leaves as if it had run, and may be the last
		 * out, which completes the stop or restart. */
		if (vcpu_may_enter(v))
			arch_vcpu_enter(v);
		vcpu_left(v);
	}
}
