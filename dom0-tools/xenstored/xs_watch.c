/* xs_watch: matching changes against watches. */
#include <stdio.h>
#include <string.h>

#include "xs_path.h"
#include "xs_watch.h"

const char *xs_watch_match(const char *watched, const char *changed, bool removal)
{
    if (watched[0] == '@' || changed[0] == '@')
        return strcmp(watched, changed) == 0 ? changed : NULL;
    if (xs_path_is_within(changed, watched))
        return changed;
    if (removal && xs_path_is_within(watched, changed))
        return watched;
    return NULL;
}

const char *xs_watch_visible_path(const struct xs_watch *w, uint32_t domid, const char *path)
{
    char home[XS_PATH_BUF];

    if (!w->relative)
        return path;
    xs_path_domain_home(domid, home);
    size_t n = strlen(home);
    if (strncmp(path, home, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}
