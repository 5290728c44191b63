/* Loading the library into the backend.
 *
 * The postgres executable exports symbols named like jansson's (its SQL
 * function json_object(), for one). Linked the ordinary way, libjansson's
 * own calls to json_object() would bind to the executable's and crash the
 * backend. So the library's shared object (libjixiao.so, with its
 * libjansson and libpcre2 dependencies) is opened with RTLD_DEEPBIND |
 * RTLD_LOCAL: it and its dependencies look symbols up in their own scope
 * first, and nothing of theirs enters the backend's global scope. The
 * extension reaches the library only through the pointers below. */
#define JXPG_NO_REDIRECT
#include "jxpg.h"

#include <dlfcn.h>

#include "miscadmin.h"

jxpg_api jxpg_lib;
static void *handle;

void jxpg_load(void)
{
    char path[MAXPGPATH];
    void *h;
    jxpg_api api;
    if (handle)
        return;
    snprintf(path, sizeof path, "%s/%s", pkglib_path, JXPG_CORE_NAME);
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (h == NULL)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FILE),
                        errmsg("jixiao: cannot load the library \"%s\": %s", path, dlerror())));
#define JXPG_RESOLVE(name)                                                                     \
    *(void **)&api.name = dlsym(h, #name);                                                     \
    if (api.name == NULL) {                                                                    \
        dlclose(h);                                                                            \
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FUNCTION),                                   \
                        errmsg("jixiao: the library \"%s\" has no function %s", path, #name))); \
    }
    JXPG_FUNCTIONS(JXPG_RESOLVE)
#undef JXPG_RESOLVE
    jxpg_lib = api;
    handle = h;
}
