# QEMU harness: `make integration` runs the integration tests alone;
# HARNESS_ARGS passes options to run.py, e.g. HARNESS_ARGS="-j 2 -k boot".

HARNESS_ARGS ?=

integration: deps all
	tests/integration/run.py $(HARNESS_ARGS)
