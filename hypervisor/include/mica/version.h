/* The hypervisor's name and version, as printed at boot. */
#ifndef MICA_VERSION_H
#define MICA_VERSION_H

#define MICA_VERSION "0.1.0"

#endif
