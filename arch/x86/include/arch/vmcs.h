/* SPDX-License-Identifier: Apache-2.0 */
/* Intel VMX: VMCS field encodings, controls, exit reasons and capability
 * MSRs (Intel SDM vol. 3C, appendices A-C), the ones Bulkhead uses. */
#ifndef ARCH_X86_VMCS_H
#define ARCH_X86_VMCS_H

#include <stdint.h>

/* Capability and control MSRs */
#define MSR_FEATURE_CONTROL 0x3au
#define FEATURE_CONTROL_LOCKED 0x1ULL
#define FEATURE_CONTROL_VMXON 0x4ULL /* VMXON outside SMX operation */
#define MSR_VMX_BASIC 0x480u
#define MSR_VMX_MISC 0x485u
#define MSR_VMX_CR0_FIXED0 0x486u
#define MSR_VMX_CR0_FIXED1 0x487u
#define MSR_VMX_CR4_FIXED0 0x488u
#define MSR_VMX_CR4_FIXED1 0x489u
#define MSR_VMX_PROCBASED2 0x48bu
#define MSR_VMX_EPT_VPID_CAP 0x48cu
#define MSR_VMX_TRUE_PINBASED 0x48du
#define MSR_VMX_TRUE_PROCBASED 0x48eu
#define MSR_VMX_TRUE_EXIT 0x48fu
#define MSR_VMX_TRUE_ENTRY 0x490u
#define MSR_PAT 0x277u
#define MSR_FS_BASE 0xc0000100u
#define MSR_SYSENTER_CS 0x174u
#define MSR_SYSENTER_ESP 0x175u
#define MSR_SYSENTER_EIP 0x176u

#define EPT_CAP_WALK4 0x40ULL
#define EPT_CAP_WB 0x4000ULL
#define EPT_CAP_2M 0x10000ULL
#define EPT_CAP_1G 0x20000ULL
#define EPT_CAP_INVEPT 0x100000ULL
#define EPT_CAP_INVEPT_ALL 0x4000000ULL
#define VPID_CAP_INVVPID 0x100000000ULL
#define VPID_CAP_INVVPID_ALL 0x40000000000ULL

/* Pin-based controls */
#define PIN_EXT_INT 0x1u
#define PIN_NMI 0x8u
#define PIN_PREEMPTION_TIMER 0x40u
/* Primary processor-based controls */
#define PROC_INTR_WINDOW 0x4u
#define PROC_HLT 0x80u
#define PROC_IO_BITMAPS 0x2000000u
#define PROC_MSR_BITMAPS 0x10000000u
#define PROC_SECONDARY 0x80000000u
/* Secondary processor-based controls */
#define PROC2_EPT 0x2u
#define PROC2_RDTSCP 0x8u
#define PROC2_VPID 0x20u
#define PROC2_WBINVD 0x40u
#define PROC2_UNRESTRICTED 0x80u
/* VM-exit controls */
#define EXIT_HOST_64 0x200u
#define EXIT_SAVE_PAT 0x40000u
#define EXIT_LOAD_PAT 0x80000u
#define EXIT_SAVE_EFER 0x100000u
#define EXIT_LOAD_EFER 0x200000u
/* VM-entry controls */
#define ENTRY_IA32E 0x200u
#define ENTRY_LOAD_PAT 0x4000u
#define ENTRY_LOAD_EFER 0x8000u

/* Field encodings */
#define VMCS_VPID 0x0000u
#define VMCS_GUEST_ES_SEL 0x0800u /* + 2 per segment: ES CS SS DS FS GS LDTR TR */
#define VMCS_HOST_ES_SEL 0x0c00u  /* + 2: ES CS SS DS FS GS TR */
#define VMCS_IO_BITMAP_A 0x2000u
#define VMCS_IO_BITMAP_B 0x2002u
#define VMCS_MSR_BITMAP 0x2004u
#define VMCS_EPT_POINTER 0x201au
#define VMCS_GUEST_PHYS_ADDR 0x2400u
#define VMCS_LINK_POINTER 0x2800u
#define VMCS_GUEST_PAT 0x2804u
#define VMCS_GUEST_EFER 0x2806u
#define VMCS_HOST_PAT 0x2c00u
#define VMCS_HOST_EFER 0x2c02u
#define VMCS_PIN_CONTROLS 0x4000u
#define VMCS_PROC_CONTROLS 0x4002u
#define VMCS_EXCEPTION_BITMAP 0x4004u
#define VMCS_EXIT_CONTROLS 0x400cu
#define VMCS_ENTRY_CONTROLS 0x4012u
#define VMCS_ENTRY_INTR_INFO 0x4016u
#define VMCS_ENTRY_ERROR_CODE 0x4018u
#define VMCS_ENTRY_INSN_LEN 0x401au
#define VMCS_PROC2_CONTROLS 0x401eu
#define VMCS_INSN_ERROR 0x4400u
#define VMCS_EXIT_REASON 0x4402u
#define VMCS_EXIT_INTR_INFO 0x4404u
#define VMCS_IDT_VECTORING_INFO 0x4408u
#define VMCS_IDT_VECTORING_ERROR 0x440au
#define VMCS_EXIT_INSN_LEN 0x440cu
#define VMCS_GUEST_ES_LIMIT 0x4800u /* + 2 per segment, then GDTR, IDTR */
#define VMCS_GUEST_GDTR_LIMIT 0x4810u
#define VMCS_GUEST_IDTR_LIMIT 0x4812u
#define VMCS_GUEST_ES_AR 0x4814u /* + 2 per segment */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY 0x4826u
#define VMCS_GUEST_SYSENTER_CS 0x482au
#define VMCS_PREEMPTION_TIMER 0x482eu
#define VMCS_HOST_SYSENTER_CS 0x4c00u
#define VMCS_CR0_MASK 0x6000u
#define VMCS_CR4_MASK 0x6002u
#define VMCS_CR0_SHADOW 0x6004u
#define VMCS_CR4_SHADOW 0x6006u
#define VMCS_EXIT_QUALIFICATION 0x6400u
#define VMCS_GUEST_CR0 0x6800u
#define VMCS_GUEST_CR3 0x6802u
#define VMCS_GUEST_CR4 0x6804u
#define VMCS_GUEST_ES_BASE 0x6806u /* + 2 per segment, then GDTR, IDTR */
#define VMCS_GUEST_GDTR_BASE 0x6816u
#define VMCS_GUEST_IDTR_BASE 0x6818u
#define VMCS_GUEST_DR7 0x681au
#define VMCS_GUEST_RSP 0x681cu
#define VMCS_GUEST_RIP 0x681eu
#define VMCS_GUEST_RFLAGS 0x6820u
#define VMCS_GUEST_SYSENTER_ESP 0x6824u
#define VMCS_GUEST_SYSENTER_EIP 0x6826u
#define VMCS_HOST_CR0 0x6c00u
#define VMCS_HOST_CR3 0x6c02u
#define VMCS_HOST_CR4 0x6c04u
#define VMCS_HOST_FS_BASE 0x6c06u
#define VMCS_HOST_GS_BASE 0x6c08u
#define VMCS_HOST_TR_BASE 0x6c0au
#define VMCS_HOST_GDTR_BASE 0x6c0cu
#define VMCS_HOST_IDTR_BASE 0x6c0eu
#define VMCS_HOST_SYSENTER_ESP 0x6c10u
#define VMCS_HOST_SYSENTER_EIP 0x6c12u
#define VMCS_HOST_RIP 0x6c16u

/* Segment order of the guest fields */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };
#define VMX_AR_UNUSABLE 0x10000u

/* Basic exit reasons */
#define EXIT_EXCEPTION_NMI 0u
#define EXIT_EXTERNAL_INT 1u
#define EXIT_TRIPLE_FAULT 2u
#define EXIT_INIT 3u
#define EXIT_SIPI 4u
#define EXIT_INTR_WINDOW 7u
#define EXIT_TASK_SWITCH 9u
#define EXIT_CPUID 10u
#define EXIT_GETSEC 11u
#define EXIT_HLT 12u
#define EXIT_INVD 13u
#define EXIT_VMCALL 18u
#define EXIT_VMCLEAR 19u
#define EXIT_VMXON 27u
#define EXIT_CR_ACCESS 28u
#define EXIT_IO 30u
#define EXIT_RDMSR 31u
#define EXIT_WRMSR 32u
#define EXIT_EPT_VIOLATION 48u
#define EXIT_EPT_MISCONFIG 49u
#define EXIT_INVEPT 50u
#define EXIT_PREEMPTION_TIMER 52u
#define EXIT_INVVPID 53u
#define EXIT_WBINVD 54u
#define EXIT_VMFUNC 59u
#define EXIT_ENTRY_FAILED 0x80000000u

/* Interruption information (exit, IDT vectoring, entry): as SVM's EVENTINJ */
#define INTR_INFO_VALID 0x80000000u
#define INTR_TYPE_MASK 0x700u
#define INTR_TYPE_EXTERNAL 0u
#define INTR_TYPE_NMI 0x200u
#define INTR_TYPE_EXCEPTION 0x300u
#define INTR_ERROR_VALID 0x800u
#define INTERRUPTIBILITY_STI_MOVSS 3u

/* vmx.c: what the CPU offers, read once on the boot CPU; the controls
 * every VMCS gets (with the bits the CPU forces on). */
struct vmx_caps {
	uint32_t revision;
	uint32_t pin, proc, proc2, exit, entry;
	uint64_t ept_vpid;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	unsigned int timer_shift; /* the preemption timer counts at TSC >> this */
};
extern struct vmx_caps vmx_caps;

/* vmx_vcpu.c */
struct vcpu;
struct vmcb;
void vmx_vcpu_reset(struct vcpu *v, struct vmcb *state);
void vmx_vcpu_run(struct vcpu *v, struct vmcb *state);

#endif
