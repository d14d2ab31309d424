/* The control interface (public/mica/control.h): the commands that are
 * not about one domain, for control.c's dispatch. */
#ifndef MICA_CONTROL_H
#define MICA_CONTROL_H

#include <public/mica/control.h>

struct vcpu;

/* Each returns what the hypercall returns; out-fields go into *a. */
long control_list_domains(struct vcpu *v, struct mica_ctl_list_domains *a);
long control_read_console(struct vcpu *v, struct mica_ctl_read_console *a);
long control_physinfo(struct mica_ctl_physinfo *a);

#endif
