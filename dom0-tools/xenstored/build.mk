# mica-xenstored: the xenstore daemon of dom0 (see docs/xenstore.md), shipped
# in the dom0 initramfs with Debian's xenstore-utils clients.

XENSTORED_DIR := dom0-tools/xenstored
XENSTORED_BIN := $(BUILD)/dom0-tools/mica-xenstored
# The engine, without devices or sockets: also what the unit tests link.
XENSTORED_CORE_SRCS := $(addprefix $(XENSTORED_DIR)/, xs_proto.c xs_path.c xs_perms.c \
	xs_store.c xs_txn.c xs_watch.c xs_conn.c xs_engine.c xs_req_node.c xs_req_watch.c \
	xs_req_domain.c xs_ring.c)
XENSTORED_SRCS := $(XENSTORED_CORE_SRCS) $(addprefix $(XENSTORED_DIR)/, xs_socket.c \
	xs_xen.c main.c)

# Event channels and grant mappings through libmica's evtchn and gnttab
# modules, which need only the C library: no $(LIBMICA_LDLIBS) (see
# libmica's build.mk).
$(XENSTORED_BIN): $(XENSTORED_SRCS) $(wildcard $(XENSTORED_DIR)/*.h) $(LIBMICA_HEADERS) \
		$(LIBMICA_LIB)
	@mkdir -p $(dir $@)
	gcc -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -I$(LIBMICA_DIR) \
		-o $@ $(XENSTORED_SRCS) $(LIBMICA_LIB)

.PHONY: xenstored xenstore-clients
xenstored: $(XENSTORED_BIN)
all: xenstored

# Debian's xenstore-utils and the libraries they need, unpacked (never
# installed) into $(XENSTORE_CLIENTS_ROOT); run them with LD_LIBRARY_PATH.
XENSTORE_CLIENTS_ROOT := $(BUILD)/xenstore-utils/root
XENSTORE_CLIENTS_LIBDIR := $(XENSTORE_CLIENTS_ROOT)/usr/lib/x86_64-linux-gnu
XENSTORE_CLIENTS_STAMP := $(BUILD)/xenstore-utils/fetched.stamp
XENSTORE_CLIENT_NAMES := xenstore-read xenstore-write xenstore-ls xenstore-rm \
	xenstore-list xenstore-exists xenstore-chmod xenstore-watch

xenstore-clients: $(XENSTORE_CLIENTS_STAMP)
$(XENSTORE_CLIENTS_STAMP): $(XENSTORED_DIR)/fetch-clients.sh
	@$(XENSTORED_DIR)/fetch-clients.sh $(BUILD)/xenstore-utils
	@touch $@
$(addprefix $(XENSTORE_CLIENTS_ROOT)/usr/bin/,$(XENSTORE_CLIENT_NAMES)): $(XENSTORE_CLIENTS_STAMP)

IMAGE_DOM0_BINARIES += $(XENSTORED_BIN) \
	$(addprefix $(XENSTORE_CLIENTS_ROOT)/usr/bin/,$(XENSTORE_CLIENT_NAMES))
IMAGE_DOM0_LIBRARY_PATH += $(abspath $(XENSTORE_CLIENTS_LIBDIR))
# A guest's own store clients (over /dev/xen/xenbus), e.g. to show what its
# permissions let it read.
IMAGE_DOMU_BINARIES += $(addprefix $(XENSTORE_CLIENTS_ROOT)/usr/bin/,xenstore-read \
	xenstore-write xenstore-ls xenstore-list)
IMAGE_DOMU_LIBRARY_PATH += $(abspath $(XENSTORE_CLIENTS_LIBDIR))
IMAGE_DOM0_TESTS += $(XENSTORED_DIR)/tests/xenstore-dom0.sh
