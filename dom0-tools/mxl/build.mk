# mxl: the toolstack command line (docs/mxl.md), linked with libmica and
# shipped in the dom0 initramfs with an example Debian domU.

MXL_DIR := dom0-tools/mxl
MXL_BIN := $(BUILD)/dom0-tools/mxl
MXL_SRCS := $(addprefix $(MXL_DIR)/,main.c mxl_util.c mxl_console.c cmd_create.c \
	cmd_info.c cmd_lifecycle.c)

$(MXL_BIN): $(MXL_SRCS) $(wildcard $(MXL_DIR)/*.h) $(LIBMICA_LIB)
	@mkdir -p $(@D)
	gcc $(LIBMICA_CFLAGS) -I$(MXL_DIR) -o $@ $(MXL_SRCS) $(LIBMICA_LIB) $(LIBMICA_LDLIBS)

.PHONY: mxl
mxl: $(MXL_BIN)
all: mxl
IMAGE_DOM0_BINARIES += $(MXL_BIN)

# The example Debian domU's configs. Its kernel and initramfs are not in the
# default image: 66 MB more made QEMU itself crash now and then while dom0
# scanned PCI (docs/mxl.md); copy them in (or attach them on a disk).
IMAGE_DOM0_FILES += dom0-tools/examples/debian-domu.cfg=/etc/mica/examples/debian-domu.cfg \
	dom0-tools/examples/debian-domu.xml=/etc/mica/examples/debian-domu.xml
IMAGE_DOM0_TESTS += $(MXL_DIR)/tests/mxl-hello.cfg
