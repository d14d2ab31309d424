/* mxl: Mica's toolstack command line (docs/mxl.md). */
#include <stdio.h>
#include <string.h>

#include "mxl.h"
#include "mxl_console.h"

int mxl_cmd_create(struct mxl *m, int argc, char **argv);
int mxl_cmd_list(struct mxl *m, int argc, char **argv);
int mxl_cmd_info(struct mxl *m, int argc, char **argv);
int mxl_cmd_vcpu_list(struct mxl *m, int argc, char **argv);
int mxl_cmd_dmesg(struct mxl *m, int argc, char **argv);
int mxl_cmd_destroy(struct mxl *m, int argc, char **argv);
int mxl_cmd_pause(struct mxl *m, int argc, char **argv);
int mxl_cmd_unpause(struct mxl *m, int argc, char **argv);
int mxl_cmd_shutdown(struct mxl *m, int argc, char **argv);
int mxl_cmd_reboot(struct mxl *m, int argc, char **argv);
int mxl_cmd_mem_set(struct mxl *m, int argc, char **argv);

static int cmd_console(struct mxl *m, int argc, char **argv)
{
    uint16_t d;

    if (mxl_wants_help("console", argc, argv))
        return 0;
    if (argc != 2)
        return mxl_usage("console");
    int rc = mxl_connect(m, true);
    if (rc)
        return rc;
    if (mxl_find_domain(m, argv[1], &d))
        return MXL_EXIT_FAIL;
    return mxl_console_attach(m, d);
}

const struct mxl_command mxl_commands[] = {
    { "create", "[-c] [-p] CONFIG [KEY=VALUE ...]",
      "Creates a domain from CONFIG (xl.cfg or XML, docs/config.md); KEY=VALUE\n"
      "overrides a setting. Checks the file, the kernel and ramdisk, and the\n"
      "memory against what the hypervisor has free before creating anything.\n"
      "Then leaves a monitor process for the domain (log in\n"
      "/var/log/mica/mxl-NAME.log) that applies on_poweroff, on_reboot and\n"
      "on_crash (destroy, restart, preserve) when the guest stops; it exits\n"
      "when the domain is gone.\n"
      "  -c  attach to its console once it runs (see mxl console)\n"
      "  -p  leave it paused (it is monitored all the same)\n", mxl_cmd_create },
    { "list", "[-l|--long] [--json]",
      "Lists domains: name, id, memory (MiB), vCPUs, state, CPU time (s).\n"
      "State letters: r running, b blocked, p paused, s shut down, c crashed,\n"
      "d dying.\n  -l      also the memory and vCPU limits\n"
      "  --json  as a JSON array\n", mxl_cmd_list },
    { "info", "", "Shows the host: CPUs, virtualization, total and free memory (MiB).\n",
      mxl_cmd_info },
    { "destroy", "ID|NAME", "Destroys a domain at once and removes its xenstore nodes; no\n"
      "on_* action follows (its monitor sees it gone and exits).\n",
      mxl_cmd_destroy },
    { "shutdown", "[-w] ID|NAME",
      "Asks a domain to power off (xenstore control/shutdown = poweroff); its\n"
      "monitor then applies on_poweroff.\n"
      "  -w  wait (120 s at most) until that is done: the domain gone (destroy),\n"
      "      back under a new id (restart) or shut down (preserve). A domain\n"
      "      without a monitor is destroyed by mxl once it is down.\n",
      mxl_cmd_shutdown },
    { "reboot", "[-w] ID|NAME",
      "Asks a domain to reboot (control/shutdown = reboot); its monitor then\n"
      "applies on_reboot (restart by default: the same config, a new id).\n"
      "  -w  wait (120 s at most) until that is done, as for shutdown -w\n",
      mxl_cmd_reboot },
    { "pause", "ID|NAME", "Pauses a running domain.\n", mxl_cmd_pause },
    { "unpause", "ID|NAME", "Runs a paused domain again.\n", mxl_cmd_unpause },
    { "console", "ID|NAME",
      "Attaches to a domain's console: the pty mica-consoled lists at\n"
      "/local/domain/ID/console/tty. Ctrl-] detaches.\n", cmd_console },
    { "dmesg", "[-c]", "Prints the hypervisor's log.\n  -c  then clears it\n",
      mxl_cmd_dmesg },
    { "vcpu-list", "[ID|NAME]", "Lists vCPUs: up, initialised, mode, RIP.\n",
      mxl_cmd_vcpu_list },
    { "mem-set", "ID|NAME MIB",
      "Sets a domain's memory target (memory/target in xenstore) for its\n"
      "balloon driver; at most its maxmem.\n", mxl_cmd_mem_set },
    { NULL, NULL, NULL, NULL },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: mxl COMMAND [ARGS]   (mxl COMMAND --help for its options)\n\n"
                 "Commands:\n");
    for (const struct mxl_command *c = mxl_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->usage);
}

int main(int argc, char **argv)
{
    struct mxl m = { .ctl = { -1 }, .xs = { -1, 0 } };

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? MXL_EXIT_USAGE : 0;
    }
    for (const struct mxl_command *c = mxl_commands; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0) {
            int rc = c->run(&m, argc - 1, argv + 1);
            mica_xs_close(&m.xs);
            mica_ctl_close(&m.ctl);
            return rc;
        }
    fprintf(stderr, "mxl: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return MXL_EXIT_USAGE;
}
