/* The scheme's "extract" key: the extraction profile for reading figures
 * from report text (lib/extract/profile.c), inline or in a file beside the
 * scheme (see lib/load/load.c). */
#include <stdio.h>
#include <string.h>

#include "compile/scheme.h"
#include "load/jsonctx.h"
#include "load/load.h"
#include "load/loader.h"

/* "extract" is the profile itself, or the name of a file holding it,
 * relative to the scheme's own file. */
#ifdef JX_NO_EXTRACT
/* Built without text extraction: the scheme still scores; jx_extract says
 * JX_EUNSUPPORTED when asked. */
int jxi_load_extract(jxi_loader *L, json_t *v)
{
    (void)L;
    (void)v;
    return 0;
}
#else
/* Why a profile file name is refused, or NULL. The name may only lead
 * into the scheme's own directory: an absolute name or a ".." step would
 * let a scheme from outside make the library open any file of the host. */
static const char *profile_name_problem(const char *name)
{
    if (!name[0])
        return "is empty";
    if (name[0] == '/')
        return "is an absolute path";
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return "has a \"..\" step";
        p += n;
        p += *p == '/';
    }
    return NULL;
}

int jxi_load_extract(jxi_loader *L, json_t *v)
{
    jxi_path_push_key(&L->c.path, "extract");
    if (!json_is_string(v)) {
        int rc = jxi_profile_load(&L->c, v, L->s, &L->s->extract);
        jxi_path_pop(&L->c.path);
        return rc;
    }
    const char *name = json_string_value(v);
    const char *why = profile_name_problem(name);
    if (why || L->unnamed) {
        int rc = why ? jxi_jfail(&L->c, JX_EVALUE, NULL, 0,
                                 "\"extract\" must name the profile file relative to the "
                                 "scheme's directory, without \"..\" steps; \"%s\" %s",
                                 name, why)
                     : jxi_jfail(&L->c, JX_EVALUE, NULL, 0,
                                 "\"extract\" names the profile file \"%s\", but a scheme "
                                 "loaded from a buffer without a source name has no directory "
                                 "to find it in; give the profile inline as an object",
                                 name);
        jxi_path_pop(&L->c.path);
        return rc;
    }
    char path[4096];
    const char *slash = strrchr(L->c.source, '/');
    if (!slash)
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - L->c.source), L->c.source, name);
    char *buf = NULL;
    size_t len = 0;
    jx_error e;
    if (jxi_read_file(path, &buf, &len, L->c.zh, &e) < 0) {
        int rc = jxi_jfail(&L->c, e.code, NULL, 0, "extraction profile \"%s\": %s", path,
                           e.message);
        jxi_path_pop(&L->c.path);
        return rc;
    }
    jxi_path_pop(&L->c.path);
    /* Errors inside the profile file are reported against that file; its
     * text is never quoted (it may not be a profile at all). */
    jxi_jctx c = L->c;
    c.text = buf;
    c.len = len;
    c.source = path;
    c.unquoted = 1;
    c.path.depth = 0;
    c.path.overflow = 0;
    c.failed = 0;
    json_t *root = jxi_json_parse(&c);
    int rc = root ? jxi_profile_load(&c, root, L->s, &L->s->extract) : -1;
    json_decref(root);
    L->c.failed += c.failed;
    L->c.nomem |= c.nomem;
    /* The file name in a message must outlive the buffer; it is the error's
     * own copy, so only the text goes. */
    jxi_free(buf);
    return rc;
}
#endif
