# Builds the hypervisor: a freestanding x86-64 ELF, $(BUILD)/hypervisor/mica.elf,
# that GRUB loads through Multiboot2 and our UEFI loader loads directly.

HV_OUT := $(BUILD)/hypervisor
HV_ELF := $(HV_OUT)/mica.elf

HV_CC := gcc
HV_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -mno-red-zone -mno-mmx -mno-sse -mno-sse2 \
	-mno-avx -mcmodel=small -mgeneral-regs-only \
	-Ihypervisor/include -Ihypervisor/arch/x86/include -MMD -MP
HV_ASFLAGS := -D__ASSEMBLY__ -Ihypervisor/include -Ihypervisor/arch/x86/include -MMD -MP
HV_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
	-Wl,--build-id=none \
	-T hypervisor/arch/x86/linker.ld

HV_C_SRCS := $(wildcard hypervisor/common/*.c hypervisor/arch/x86/*.c \
	hypervisor/arch/x86/boot/*.c hypervisor/arch/x86/hvm/*.c \
	hypervisor/arch/x86/svm/*.c hypervisor/arch/x86/vmx/*.c)
HV_S_SRCS := $(wildcard hypervisor/arch/x86/*.S hypervisor/arch/x86/boot/*.S \
	hypervisor/arch/x86/svm/*.S hypervisor/arch/x86/vmx/*.S)
HV_OBJS := $(patsubst hypervisor/%,$(HV_OUT)/%,$(HV_C_SRCS:.c=.o) $(HV_S_SRCS:.S=.o))

.PHONY: hypervisor
hypervisor: $(HV_ELF)

# Two links: the first finds where every function landed; the second adds
# a table of those names after .bss (so nothing moves) for backtraces.
$(HV_OUT)/mica.pass1.elf: $(HV_OBJS) hypervisor/arch/x86/linker.ld
	$(HV_CC) $(HV_CFLAGS) $(HV_LDFLAGS) -o $@ $(HV_OBJS) -lgcc

$(HV_OUT)/ksyms.S: $(HV_OUT)/mica.pass1.elf hypervisor/gen-ksyms.sh
	hypervisor/gen-ksyms.sh $< > $@

$(HV_ELF): $(HV_OUT)/mica.pass1.elf $(HV_OUT)/ksyms.o
	$(HV_CC) $(HV_CFLAGS) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_OUT)/ksyms.o -lgcc

$(HV_OUT)/%.o: hypervisor/%.c
	@mkdir -p $(dir $@)
	$(HV_CC) $(HV_CFLAGS) -c -o $@ $<

$(HV_OUT)/%.o: hypervisor/%.S
	@mkdir -p $(dir $@)
	$(HV_CC) $(HV_ASFLAGS) -c -o $@ $<

-include $(HV_OBJS:.o=.d)
