/* SPDX-License-Identifier: Apache-2.0 */
/* The SVM virtual machine control block (AMD APM vol. 2, appendix B). */
#ifndef ARCH_X86_VMCB_H
#define ARCH_X86_VMCB_H

#include <stdint.h>

struct vmcb_segment {
	uint16_t selector;
	uint16_t attrib; /* descriptor bits 40-47 and 52-55, packed */
	uint32_t limit;
	uint64_t base;
};

struct vmcb_control {
	uint32_t intercept_cr;
	uint32_t intercept_dr;
	uint32_t intercept_exceptions;
	uint32_t intercept_misc1;
	uint32_t intercept_misc2;
	uint8_t reserved_14[0x3c - 0x14];
	uint16_t pause_filter_threshold;
	uint16_t pause_filter_count;
	uint64_t iopm_base_pa;
	uint64_t msrpm_base_pa;
	uint64_t tsc_offset;
	uint32_t asid;
	uint8_t tlb_control;
	uint8_t reserved_5d[3];
	uint64_t int_ctl;
	uint64_t int_shadow;
	uint64_t exit_code;
	uint64_t exit_info1;
	uint64_t exit_info2;
	uint64_t exit_int_info;
	uint64_t np_enable;
	uint8_t reserved_98[0xa8 - 0x98];
	uint64_t event_inj;
	uint64_t n_cr3;
	uint64_t lbr_virt;
	uint64_t clean;
	uint64_t next_rip;
	uint8_t reserved_d0[0x400 - 0xd0];
};

struct vmcb_save {
	struct vmcb_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint8_t reserved_a0[0xcb - 0xa0];
	uint8_t cpl;
	uint32_t reserved_cc;
	uint64_t efer;
	uint8_t reserved_d8[0x148 - 0xd8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip;
	uint8_t reserved_180[0x1d8 - 0x180];
	uint64_t rsp;
	uint8_t reserved_1e0[0x1f8 - 0x1e0];
	uint64_t rax;
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2;
	uint8_t reserved_248[0x268 - 0x248];
	uint64_t g_pat;
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
	uint8_t reserved[4096 - 0x400 - sizeof(struct vmcb_save)];
};

/* intercept_misc1 */
#define INTERCEPT_INTR (1u << 0)
#define INTERCEPT_NMI (1u << 1)
#define INTERCEPT_INIT (1u << 3)
#define INTERCEPT_CPUID (1u << 18)
#define INTERCEPT_INVD (1u << 22)
#define INTERCEPT_HLT (1u << 24)
#define INTERCEPT_INVLPGA (1u << 26)
#define INTERCEPT_IOIO (1u << 27)
#define INTERCEPT_MSR (1u << 28)
#define INTERCEPT_SHUTDOWN (1u << 31)
/* intercept_misc2 */
#define INTERCEPT_VMRUN (1u << 0)
#define INTERCEPT_VMMCALL (1u << 1)
#define INTERCEPT_VMLOAD (1u << 2)
#define INTERCEPT_VMSAVE (1u << 3)
#define INTERCEPT_STGI (1u << 4)
#define INTERCEPT_CLGI (1u << 5)
#define INTERCEPT_SKINIT (1u << 6)
#define INTERCEPT_WBINVD (1u << 9)

#define INT_CTL_V_IRQ (1ull << 8)
#define INT_CTL_V_INTR_PRIO(p) ((uint64_t)(p) << 16)
#define INT_CTL_V_IGN_TPR (1ull << 20)
#define INT_CTL_V_INTR_MASKING (1ull << 24)
#define INT_CTL_V_INTR_VECTOR(v) ((uint64_t)(v) << 32) /* the byte at 0x64 */
#define INT_CTL_V_INTR_VECTOR_MASK (0xffull << 32)
#define TLB_FLUSH_ALL 1

/* Exit codes, compared as 32-bit values (VMEXIT_INVALID is -1). */
#define VMEXIT_EXCEPTION_BASE 0x40u
#define VMEXIT_INTR 0x60u
#define VMEXIT_NMI 0x61u
#define VMEXIT_INIT 0x63u
#define VMEXIT_CPUID 0x72u
#define VMEXIT_INVD 0x76u
#define VMEXIT_HLT 0x78u
#define VMEXIT_INVLPGA 0x7au
#define VMEXIT_IOIO 0x7bu
#define VMEXIT_MSR 0x7cu
#define VMEXIT_SHUTDOWN 0x7fu
#define VMEXIT_VMRUN 0x80u
#define VMEXIT_VMMCALL 0x81u
#define VMEXIT_VMLOAD 0x82u
#define VMEXIT_VMSAVE 0x83u
#define VMEXIT_STGI 0x84u
#define VMEXIT_CLGI 0x85u
#define VMEXIT_SKINIT 0x86u
#define VMEXIT_WBINVD 0x89u
#define VMEXIT_NPF 0x400u
#define VMEXIT_INVALID 0xffffffffu

/* EXITINTINFO and EVENTINJ */
#define EVENT_VALID (1ull << 31)
#define EVENT_ERROR_VALID (1ull << 11)
#define EVENT_TYPE_EXCEPTION (3ull << 8)

/* IOIO exit information 1 */
#define IOIO_IN (1u << 0)
#define IOIO_STRING (1u << 2)
#define IOIO_REP (1u << 3)
#define IOIO_SIZE_SHIFT 4

#endif
