/* mxl, Mica's toolstack command line: what every command shares. Exit
 * status: 0 success, 1 the command failed, 2 a usage error. */
#ifndef MXL_H
#define MXL_H

#include <stdbool.h>
#include <stdint.h>

#include "mica_ctl.h"
#include "mica_xs.h"

#define MXL_EXIT_FAIL  1
#define MXL_EXIT_USAGE 2

struct mxl {
    struct mica_ctl ctl;
    struct mica_xs xs;
    bool have_xs;               /* connected to xenstored */
};

struct mxl_command {
    const char *name;
    const char *usage;          /* after "mxl NAME " */
    const char *help;           /* what it does, options */
    int (*run)(struct mxl *m, int argc, char **argv);   /* argv[0] is the name */
};

extern const struct mxl_command mxl_commands[];

/* "mxl: ..." on stderr; returns MXL_EXIT_FAIL. */
int mxl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "mxl NAME: usage: ..." on stderr; returns MXL_EXIT_USAGE. */
int mxl_usage(const char *command);
/* argv[1] is --help or -h: prints the command's help, returns true. */
bool mxl_wants_help(const char *command, int argc, char **argv);

/* Opens privcmd and, when it runs, xenstored. Returns an exit status. */
int mxl_connect(struct mxl *m, bool need_xs);
/* A domain by id or by its name in xenstore; prints why not and returns -1. */
int mxl_find_domain(struct mxl *m, const char *id_or_name, uint16_t *domid);
/* The domain's name from xenstore into buf ("Domain-0", or "-" if none). */
void mxl_domain_name(struct mxl *m, uint16_t domid, char *buf, size_t size);
/* Destroys a domain and forgets its xenstore nodes. */
int mxl_destroy(struct mxl *m, uint16_t domid);
/* State letters as xl prints them: r b p s c d. */
void mxl_state(uint32_t flags, uint32_t reason, char out[7]);

#endif
