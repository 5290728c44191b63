/* The run-time version, to compare with the header's macros. */
#include "util/internal.h"

JX_API const char *jx_version(void)
{
    return JX_VERSION_STRING;
}

JX_API unsigned jx_version_number(void)
{
    return JX_VERSION_NUMBER;
}

JX_API unsigned jx_features(void)
{
    return jxi_extract_features();
}
