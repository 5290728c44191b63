/* The extraction API in a build without text extraction (JX_NO_EXTRACT):
 * every function exists, so callers still link, and says plainly that the
 * feature is not built in. */
#ifdef JX_NO_EXTRACT

#include "compile/scheme.h"

void jxi_profile_free(struct jxi_profile *p)
{
    (void)p;
}

unsigned jxi_extract_features(void)
{
    return 0;
}

JX_API int jx_scheme_has_extraction(const jx_scheme *s)
{
    (void)s;
    return 0;
}

JX_API jx_extraction *jx_extract(const jx_scheme *s, const char *text, size_t len,
                                 unsigned flags, jx_error *err)
{
    (void)s;
    (void)text;
    (void)len;
    (void)flags;
    jxi_error_set(err, JX_EUNSUPPORTED,
                  "this library was built without text extraction (JX_NO_EXTRACT)");
    return NULL;
}

/* No extraction object can exist: the accessors answer for an empty one. */
JX_API void jx_extraction_free(jx_extraction *x) { (void)x; }
JX_API size_t jx_extraction_count(const jx_extraction *x) { (void)x; return 0; }

JX_API const char *jx_extraction_metric(const jx_extraction *x, size_t k)
{
    (void)x;
    (void)k;
    return NULL;
}

JX_API int jx_extraction_status(const jx_extraction *x, size_t k)
{
    (void)x;
    (void)k;
    return JX_EARG;
}

JX_API double jx_extraction_value(const jx_extraction *x, size_t k)
{
    (void)x;
    (void)k;
    return 0;
}

JX_API const char *jx_extraction_unit(const jx_extraction *x, size_t k)
{
    (void)x;
    (void)k;
    return NULL;
}

JX_API const char *jx_extraction_message(const jx_extraction *x, size_t k)
{
    (void)x;
    (void)k;
    return NULL;
}

JX_API size_t jx_extraction_match_count(const jx_extraction *x, size_t k)
{
    (void)x;
    (void)k;
    return 0;
}

JX_API int jx_extraction_match_pattern(const jx_extraction *x, size_t k, size_t j)
{
    (void)x;
    (void)k;
    (void)j;
    return JX_EARG;
}

JX_API size_t jx_extraction_match_offset(const jx_extraction *x, size_t k, size_t j)
{
    (void)x;
    (void)k;
    (void)j;
    return JX_NONE;
}

JX_API int jx_extraction_match_line(const jx_extraction *x, size_t k, size_t j)
{
    (void)x;
    (void)k;
    (void)j;
    return JX_EARG;
}

JX_API int jx_extraction_match_column(const jx_extraction *x, size_t k, size_t j)
{
    (void)x;
    (void)k;
    (void)j;
    return JX_EARG;
}

JX_API const char *jx_extraction_match_text(const jx_extraction *x, size_t k, size_t j)
{
    (void)x;
    (void)k;
    (void)j;
    return NULL;
}

JX_API double jx_extraction_match_value(const jx_extraction *x, size_t k, size_t j)
{
    (void)x;
    (void)k;
    (void)j;
    return 0;
}

JX_API int jx_extraction_apply(const jx_extraction *x, jx_input *in)
{
    (void)x;
    (void)in;
    return JX_EARG;
}

JX_API char *jx_extraction_to_json(const jx_extraction *x, unsigned flags)
{
    (void)x;
    (void)flags;
    return NULL;
}

JX_API jx_extraction *jx_extract_standard(const char *text, size_t len, unsigned flags,
                                          jx_error *err)
{
    return jx_extract(NULL, text, len, flags, err);
}

JX_API const jx_extraction *jx_extraction_standard(const jx_extraction *x)
{
    (void)x;
    return NULL;
}

JX_API char *jx_extraction_worksheet(const jx_extraction *x, unsigned flags)
{
    (void)x;
    (void)flags;
    return NULL;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int jxi_extract_none_unused;
#endif
