/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The static system configuration: partitions as read from the device tree
 * (docs/bindings/partitions.md). config_parse() decodes and validates
 * everything first; what it returns is complete and consistent, so the code
 * that builds and starts partitions from it cannot fail on bad input.
 */
#ifndef BULKHEAD_PARTITION_CONFIG_H
#define BULKHEAD_PARTITION_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/cfi_flash.h>

#include <bulkhead/config.h>
#include <bulkhead/error.h>
#include <bulkhead/health.h>
#include <bulkhead/platform.h>

#define MAX_PARTITIONS 8
#define PARTITION_NAME_MAX 32
#define MAX_PARTITION_MEM 4
#define MAX_PARTITION_DEVICES 8
#define MAX_DEVICE_REGS 4
#define MAX_DEVICE_IRQS 8
#define MAX_CHANNELS 8
#define MAX_PARTITION_CHANNELS 4
#define MAX_PARTITION_STREAMS 8
#define MAX_PARTITION_FLASH 2u
#define MAX_CONFIG_ERRORS 16
#define CONFIG_PATH_MAX 96
/* Room for a partition's device tree: 64 KiB, at the top of its first
 * memory region or at its `device-tree-address`. */
#define PARTITION_DT_MAX (64u * 1024u)

/* Every class of configuration error, one test (and one bad DTS) each. */
enum config_error_kind {
	CFG_ERR_NO_HYPERVISOR_NODE,  /* no compatible = "bulkhead,hypervisor" */
	CFG_ERR_NO_PARTITIONS,       /* hypervisor node without partitions */
	CFG_ERR_TOO_MANY_PARTITIONS, /* more than MAX_PARTITIONS */
	CFG_ERR_MALFORMED,           /* wrong length, cell count, type */
	CFG_ERR_MISSING_PROPERTY,    /* a required property is absent */
	CFG_ERR_DUPLICATE_NAME,      /* two partitions share a name */
	CFG_ERR_BAD_PHANDLE,         /* phandle to nothing */
	CFG_ERR_NOT_A_CPU,           /* phandle to a node that is not a /cpus CPU */
	CFG_ERR_CPU_SHARED,          /* CPU in two partitions */
	CFG_ERR_NO_CPUS,             /* partition without CPUs */
	CFG_ERR_UNALIGNED,           /* region not page aligned */
	CFG_ERR_ZERO_SIZE,           /* empty region */
	CFG_ERR_MEM_OUTSIDE_RAM,     /* memory not inside one RAM range */
	CFG_ERR_MEM_OVER_HYPERVISOR, /* memory over the hypervisor's own */
	CFG_ERR_MEM_OVER_MODULE,     /* memory over a boot module */
	CFG_ERR_MEM_OVERLAP,         /* two partitions (or one twice) share memory */
	CFG_ERR_IPA_OVERLAP,         /* guest-physical ranges overlap within a partition */
	CFG_ERR_NO_KERNEL,           /* no kernel module */
	CFG_ERR_MODULE_OUTSIDE_RAM,  /* module not in RAM */
	CFG_ERR_KERNEL_TOO_BIG,      /* kernel image larger than its memory */
	CFG_ERR_DEVICE_SHARED,       /* device (or its 4 KiB page) in two partitions */
	CFG_ERR_IRQ_SHARED,          /* interrupt in two partitions */
	CFG_ERR_DEVICE_MEM_OVERLAP,  /* device MMIO overlaps RAM or a partition's memory */
	CFG_ERR_DEVICE_RESERVED,     /* device the hypervisor keeps (console UART, GIC) */
	CFG_ERR_BAD_VALUE,           /* a value outside its allowed set */
	CFG_ERR_DMA_NOT_IDENTITY,    /* a DMA-capable device, guest != host addresses */
	CFG_ERR_CHANNEL_OVERLAP,     /* channel region over memory, hypervisor, module, channel */
	CFG_ERR_CHANNEL_PEER,        /* channel end that is not a partition */
	CFG_ERR_CHANNEL_SELF,        /* both ends of a channel in one partition */
	CFG_ERR_CHANNEL_ADDRESS,     /* channel guest address over the partition's memory/devices */
	CFG_ERR_CHANNEL_INTID,       /* doorbell INTID used twice in a partition */
	CFG_ERR_MEM_RESERVED,        /* memory or module over reserved memory it does not own */
	CFG_ERR_RESERVED_SHARED,     /* a reserved-memory region owned by two partitions */
	CFG_ERR_NOT_BUILT,           /* needs a part this build leaves out (docs/building.md) */
	CFG_ERR_NO_CACHE_GEOMETRY,   /* colours, but no last-level cache geometry (docs/colouring.md) */
	CFG_ERR_COLOUR_RANGE,        /* a colour beyond the cache's count, or listed twice */
	CFG_ERR_COLOUR_SHARED,       /* two partitions share a colour, not both allowing it */
	CFG_ERR_COLOUR_MEMORY,       /* too few pages of the partition's colours in its memory */
	CFG_ERR_NO_PMU,              /* `pmu` on a machine without a PMU a partition can own */
};

struct config_error {
	enum config_error_kind kind;
	char path[CONFIG_PATH_MAX]; /* DT node path */
	char property[32];          /* property name, "" if about the node */
	char message[128];          /* what is wrong, in words */
};

struct config_errors {
	unsigned int count;    /* errors found (may exceed MAX_CONFIG_ERRORS) */
	struct config_error list[MAX_CONFIG_ERRORS];
};

/*
 * A region of partition memory: host physical, guest physical, size. The
 * guest sees [ipa, ipa + size) contiguous. Uncoloured, that is
 * [pa, pa + size); coloured (docs/colouring.md), it is backed by the pages
 * of the partition's colours in [pa, pa + span), in address order.
 */
struct partition_mem {
	uint64_t pa;
	uint64_t ipa;
	uint64_t size; /* guest bytes */
	uint64_t span; /* physical bytes the region owns: size, unless coloured */
};

/* A boot module: where the loader put it in physical memory. */
struct partition_module {
	bool present;
	uint64_t pa;
	uint64_t size;
};

struct partition_device {
	int node; /* offset of the device node in the system DT */
	bool io_ports; /* regs are I/O port ranges (a `bulkhead,io-ports` bus) */
	struct mem_range regs[MAX_DEVICE_REGS];
	unsigned int reg_count;
	/* GIC INTIDs (SPIs: 32 and up) when the interrupt parent has three
	 * cells; else the first cell, an I/O APIC pin on x86. */
	uint32_t irqs[MAX_DEVICE_IRQS];
	unsigned int irq_count;
	uint32_t irq_edge;              /* bit i: irqs[i] is edge-triggered (DT flags) */
	uint32_t irq_active_low;        /* bit i: irqs[i] is active low (I/O APIC flags) */
	/* A PCI host bridge's windows (from `ranges`) end regs[]: they are
	 * mapped like its registers but are not its `reg`. */
	unsigned int window_count;
	bool dma_translated; /* its DMA goes through an IOMMU the hypervisor drives */
	/* The rate the configuration gives its clocks (`device-clock-rates`),
	 * 0 if none: the partition's DT then has a fixed clock at it. */
	uint32_t clock_hz;
	/* `bulkhead,pci-function`: the device is a PCI function the partition
	 * reaches through configuration space (x86), at this requester ID
	 * (bus << 8 | device << 3 | function). */
	bool pci_function;
	uint16_t pci_rid;
};

/*
 * A DMA stream a partition owns: the ID its master carries to the IOMMU
 * (an SMMU stream ID), from a device's `iommus` or a PCI function listed in
 * `pci-functions` through its host bridge's `iommu-map`.
 */
struct partition_stream {
	int iommu;      /* the IOMMU's node in the system DT */
	uint32_t id;    /* stream ID at that IOMMU */
	int master;     /* the device node (a PCI function: its host bridge) */
	int32_t pci_rid; /* bus << 8 | device << 3 | function, or -1 */
	/* Its DeviceID at the ITS the bridge's `msi-map` leads to (a function
	 * with MSI: the partition gets a virtual ITS), or -1. */
	int32_t its_devid;
};

/* One end of a channel (docs/channels.md), as its partition sees it. */
struct partition_channel {
	unsigned int id;       /* the channel's index in the system DT: the doorbell argument */
	int node;              /* the channel node in the system DT */
	uint64_t pa;
	uint64_t ipa;
	uint64_t size;
	bool writable;
	uint32_t intid;        /* this end's doorbell: a virtual SPI, edge-triggered */
	uint64_t doorbell_ipa; /* this end's emulated doorbell page, 0 if none */
	unsigned int peer;     /* the other end: index of its partition */
	unsigned int peer_end; /* ... and of the end in that partition's chan[] */
	char peer_name[PARTITION_NAME_MAX];
};

/*
 * A flash-like region (`bulkhead,flash` child node): RAM of its own at a
 * guest address, where QEMU's virt board has its flash banks. Read-only
 * (firmware code, executed in place) it is reloaded from its image at every
 * start; writable (a variable store, an environment) it is filled once, at
 * the hypervisor's boot, and kept across the partition's restarts.
 */
struct partition_flash {
	int node;       /* the flash node in the system DT */
	uint64_t ipa;   /* `reg`: where the partition sees it */
	uint64_t pa;    /* `memory`: the host RAM behind it */
	uint64_t size;
	bool writable;  /* no `read-only` */
	struct partition_module image; /* `image`: its first contents, if any */
	/* `bank-width`, `device-width`, `erase-block-size`: a CFI flash bank
	 * emulated on it (bank_width 0: plain memory). */
	struct cfi_geometry cfi;
};

enum partition_console {
	PARTITION_CONSOLE_VUART, /* an emulated PL011 on the shared console */
	PARTITION_CONSOLE_NONE,
};

struct partition_config {
	char name[PARTITION_NAME_MAX];
	int node; /* offset of the partition node in the system DT */

	/* Physical CPUs by logical index into platform.cpus; vCPU i runs on
	 * cpus[i], and vCPU 0 is the boot vCPU. */
	unsigned int cpu_count;
	unsigned int cpus[MAX_CPUS];

	struct partition_mem mem[MAX_PARTITION_MEM];
	unsigned int mem_count;

	struct partition_module kernel;
	struct partition_module ramdisk;
	struct partition_module dtb; /* the partition's own DT, if supplied */
	const char *bootargs;        /* points into the system DT, or NULL */

	struct partition_device devices[MAX_PARTITION_DEVICES];
	unsigned int device_count;

	struct partition_stream streams[MAX_PARTITION_STREAMS];
	unsigned int stream_count;

	enum partition_console console;
	/* Owns its CPUs' PMU (`pmu`): counters, filters and overflow PPI,
	 * with the hypervisor's own execution never counted. */
	bool pmu;

	struct partition_flash flash[MAX_PARTITION_FLASH];
	unsigned int flash_count;

	struct partition_channel chan[MAX_PARTITION_CHANNELS];
	unsigned int chan_count;

	/* Where the kernel goes and starts, as guest-physical addresses. Derived
	 * from the Linux arm64 Image header when the image has one (entry =
	 * load = first memory region base + text_offset), else from the
	 * `entry` and `load-offset` properties, else the base of the first
	 * memory region. */
	uint64_t load_ipa;
	uint64_t entry_ipa;
	uint64_t kernel_mem_size; /* bytes the image needs at load_ipa */
	/* `device-tree-address`: where its DT goes (firmware such as U-Boot
	 * reads it from a fixed address, not x0); else at the top of the
	 * first memory region. */
	bool dt_fixed;
	uint64_t dt_ipa;

	struct health_config health; /* watchdog, fault and restart policies */

	/* Cache colouring (docs/colouring.md): colour_count is 0 for an
	 * uncoloured partition; else its colours, ascending, out of
	 * colours_total (the last-level cache's way size in pages). */
	unsigned int colour_count;
	unsigned int colours_total;
	uint8_t colour[MAX_COLOURS];
	bool colours_shared; /* `bulkhead,colours-shared`: may share colours */
};

/* Whether guest address @ipa is in one of the partition's memory ranges. */
bool config_ipa_in_memory(const struct partition_config *pc, uint64_t ipa);

/* Whether guest address @ipa is in one of the partition's read-only flash
 * regions (firmware code run in place). */
bool config_ipa_in_rom(const struct partition_config *pc, uint64_t ipa);

/* The partition's own device whose registers hold the reset-registers
 * write at @at: a 32-bit register of a memory-mapped device, or a byte of a
 * device behind I/O ports (x86). NULL if none. */
const struct partition_device *reset_register_device(const struct partition_config *pc,
						     uint64_t at);

/* The last-level cache as colouring sees it (docs/colouring.md). */
struct llc_geometry {
	uint64_t size;          /* bytes */
	uint32_t sets;
	uint32_t line;          /* bytes */
	uint32_t ways;
	unsigned int colours;   /* way size / page size, at most MAX_COLOURS */
	int node;               /* the cache node it came from; -1: `bulkhead,llc` */
};

struct system_config {
	struct llc_geometry llc; /* colours == 0: not read (nothing coloured) */
	/* `bulkhead,hypervisor-colours` (docs/colouring.md): the colours of the
	 * hypervisor's own image at run time, ascending; 0: not coloured. */
	unsigned int hyp_colour_count;
	uint8_t hyp_colour[MAX_COLOURS];
	bool hyp_colours_shared; /* `bulkhead,colours-shared` on the hypervisor node */
	unsigned int count;
	struct partition_config part[MAX_PARTITIONS];
	unsigned int channel_count;
};

/* The hypervisor's own physical footprint, which no partition may overlap. */
struct hyp_footprint {
	uint64_t base;
	uint64_t size;
};

/*
 * Read access to physical memory for looking into boot modules (the kernel's
 * Image header): a pointer to [pa, pa + len), or NULL when the contents are
 * not available, as in the host checker, where checks that need them are
 * skipped.
 */
typedef const void *(*config_peek_fn)(uint64_t pa, uint64_t len);

/*
 * Decode and validate every partition under the node compatible with
 * "bulkhead,hypervisor". On success @out is complete and consistent. On
 * failure every error found is in @errors (none is skipped after the first)
 * and @out must not be used. @hyp may be NULL when the hypervisor's location
 * is unknown (host checker without --hypervisor).
 */
enum bh_err config_parse(const void *fdt, const struct platform *p,
			 const struct hyp_footprint *hyp, config_peek_fn peek,
			 struct system_config *out, struct config_errors *errors);

/* One line per error: "error: <path>: property '<prop>': <message>". */
void config_errors_print(const struct config_errors *errors);

const char *config_error_kind_name(enum config_error_kind kind);

#endif
