# mica-consoled: the console daemon of dom0 (see docs/consoled.md), shipped
# in the dom0 initramfs; /init starts it after mica-xenstored.

CONSOLED_DIR := dom0-tools/consoled
CONSOLED_BIN := $(BUILD)/dom0-tools/mica-consoled
CONSOLED_SRCS := $(addprefix $(CONSOLED_DIR)/, cons_ring.c cons_xs.c cons_xen.c \
	cons_domain.c main.c)

# Its devices through libmica's evtchn, gnttab, ctl and foreign modules,
# which need only the C library: no $(LIBMICA_LDLIBS) (see libmica's build.mk).
$(CONSOLED_BIN): $(CONSOLED_SRCS) $(wildcard $(CONSOLED_DIR)/*.h) $(LIBMICA_HEADERS) \
		$(LIBMICA_LIB)
	@mkdir -p $(dir $@)
	gcc -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 -O2 -g -Wall -Wextra -Werror \
		-I$(LIBMICA_DIR) -Ihypervisor/include/public -o $@ $(CONSOLED_SRCS) $(LIBMICA_LIB)

.PHONY: consoled
consoled: $(CONSOLED_BIN)
all: consoled

IMAGE_DOM0_BINARIES += $(CONSOLED_BIN)
