/* The hypervisor console: reads a line at a time (with echo and
 * backspace) and runs one of a few inspection commands. */
#include <mica/arch.h>
#include <mica/console.h>
#include <mica/console_input.h>
#include <mica/domain.h>
#include <mica/sched.h>
#include <mica/cpu.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/string.h>
#include <mica/version.h>

#define LINE_MAX_LEN 128
#define PROMPT "mica> "

struct command {
    const char *name;
    const char *help;
    void (*run)(void);
};

static void cmd_help(void);

static void cmd_memory(void)
{
    const struct memory_stats *m = memory_stats();

    printk("usable RAM:      %llu KiB\n", (unsigned long long)(m->usable_bytes >> 10));
    printk("firmware (ACPI, runtime): %llu KiB\n",
           (unsigned long long)(m->firmware_bytes >> 10));
    printk("hypervisor:      %llu KiB\n", (unsigned long long)(m->hypervisor_bytes >> 10));
    printk("boot modules:    %llu KiB\n", (unsigned long long)(m->module_bytes >> 10));
    printk("free:            %llu KiB\n", (unsigned long long)(memory_free_bytes() >> 10));
}

static void cmd_cpus(void)
{
    struct cpu_status s;

    for (unsigned int i = 0; cpu_get_status(i, &s); i++)
        printk("CPU %u: APIC id %u, %s, %llu ticks\n", s.id, s.apic_id,
               s.online ? "online" : "offline", (unsigned long long)s.ticks);
    printk("%u of %u CPUs online\n", cpu_online_count(), cpu_possible_count());
}

static void cmd_uptime(void)
{
    struct cpu_status boot_cpu;

    cpu_get_status(0, &boot_cpu);
    printk("uptime: %llu ticks\n", (unsigned long long)boot_cpu.ticks);
}

static const char *domain_state_name(const struct domain *d)
{
    static const char *const reasons[] = {
        "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
    };
    switch (d->state) {
    case DOMAIN_RUNNING: return "running";
    case DOMAIN_PAUSED:  return "paused";
    case DOMAIN_DYING:   return "dying";
    case DOMAIN_SHUTDOWN:
        return d->shutdown_code >= 0 &&
               d->shutdown_code < (int)(sizeof(reasons) / sizeof(reasons[0]))
               ? reasons[d->shutdown_code] : "shut down";
    }
    return "?";
}

static void cmd_domains(void)
{
    printk("  id  state       memory   vCPUs  CPU time\n");
    for (struct domain *d = domain_next_get(NULL); d; d = domain_next_get(d)) {
        uint64_t ns = domain_cpu_time(d);
        printk("%4u  %-10s %5llu MiB  %5u  %llu.%03llu s%s\n", d->id,
               domain_state_name(d), (unsigned long long)(d->tot_pages >> 8),
               d->max_vcpus, (unsigned long long)(ns / NSEC_PER_SEC),
               (unsigned long long)(ns % NSEC_PER_SEC / NSEC_PER_MSEC),
               d->privileged ? "  (privileged)" : "");
    }
}

static void cmd_version(void)
{
    printk("Mica hypervisor %s\n", MICA_VERSION);
}

static void cmd_reboot(void)
{
    printk("rebooting\n");
    arch_reboot();
}

static const struct command commands[] = {
    { "help",    "list commands",                       cmd_help },
    { "memory",  "show RAM, hypervisor and free memory", cmd_memory },
    { "cpus",    "list CPUs with their timer ticks",    cmd_cpus },
    { "uptime",  "timer ticks on the boot CPU",         cmd_uptime },
    { "domains", "list domains: state, memory, vCPUs, CPU time", cmd_domains },
    { "version", "show the hypervisor version",         cmd_version },
    { "reboot",  "reset the machine",                   cmd_reboot },
};

static void cmd_help(void)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printk("  %-8s %s\n", commands[i].name, commands[i].help);
}

static void run_line(char *line)
{
    while (*line == ' ')
        line++;
    size_t n = strlen(line);
    while (n && line[n - 1] == ' ')
        line[--n] = '\0';
    if (!n)
        return;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (!strcmp(line, commands[i].name)) {
            commands[i].run();
            return;
        }
    }
    printk("unknown command '%s'; try 'help'\n", line);
}

static char line[LINE_MAX_LEN];
static size_t line_len;

void console_start(void)
{
    printk("type 'help' for commands\n" PROMPT);
}

#define CTRL_A 0x01

/* Three Ctrl-A in a row switch the input between the shell and dom0. */
static bool switch_requested(int c)
{
    static unsigned int ctrl_a;

    ctrl_a = c == CTRL_A ? ctrl_a + 1 : 0;
    if (ctrl_a < 3)
        return false;
    ctrl_a = 0;
    return true;
}

/* Says so once when dom0 starts (or stops) taking the input. */
static void announce_input_owner(void)
{
    static bool was_dom0;
    bool is_dom0 = console_input_is(domain_by_id(0));

    if (is_dom0 != was_dom0)
        printk("\n*** console input now goes to %s (Ctrl-A three times to "
               "switch)\n", is_dom0 ? "dom0" : "the Mica shell");
    was_dom0 = is_dom0;
}

void console_poll(void)
{
    int c;

    announce_input_owner();
    while ((c = arch_console_getc()) >= 0) {
        if (switch_requested(c)) {
            if (!console_input_toggle())
                printk(PROMPT);
            announce_input_owner();
            continue;
        }
        if (console_input_is(domain_by_id(0))) {
            if (c != CTRL_A)
                console_input_to_dom0((char)c);
            continue;
        }
        if (c == '\r' || c == '\n') {
            printk("\n");
            line[line_len] = '\0';
            run_line(line);
            line_len = 0;
            printk(PROMPT);
        } else if (c == 0x7f || c == '\b') {
            if (line_len) {
                line_len--;
                printk("\b \b");
            }
        } else if (c >= ' ' && c < 0x7f && line_len < sizeof(line) - 1) {
            line[line_len++] = (char)c;
            printk("%c", c);
        }
    }
}
