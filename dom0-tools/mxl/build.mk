# mxl: the toolstack command line (docs/mxl.md), linked with libmica and
# shipped in the dom0 initramfs with an example Debian domU.

MXL_DIR := dom0-tools/mxl
MXL_BIN := $(BUILD)/dom0-tools/mxl
MXL_SRCS := $(addprefix $(MXL_DIR)/,main.c mxl_util.c mxl_console.c cmd_create.c \
	cmd_info.c cmd_lifecycle.c mxl_monitor.c)

$(MXL_BIN): $(MXL_SRCS) $(wildcard $(MXL_DIR)/*.h) $(LIBMICA_HEADERS) $(LIBMICA_LIB)
	@mkdir -p $(@D)
	gcc $(LIBMICA_CFLAGS) -I$(MXL_DIR) -o $@ $(MXL_SRCS) $(LIBMICA_LIB) $(LIBMICA_LDLIBS)

.PHONY: mxl
mxl: $(MXL_BIN)
all: mxl
IMAGE_DOM0_BINARIES += $(MXL_BIN)

# The example Debian domU (docs/mxl.md): Debian's own kernel as it comes in
# its package (a bzImage, which libmica unpacks), the domU initramfs, and its
# configs in both syntaxes.
IMAGE_DOM0_FILES += $(IMAGE_DOMU_KERNEL)=/usr/lib/mica/domu/vmlinuz \
	$(IMAGE_DOMU_INITRD)=/usr/lib/mica/domu/initrd.img \
	dom0-tools/examples/debian-domu.cfg=/etc/mica/examples/debian-domu.cfg \
	dom0-tools/examples/debian-domu.xml=/etc/mica/examples/debian-domu.xml
IMAGE_DOM0_TESTS += $(MXL_DIR)/tests/mxl-hello.cfg
