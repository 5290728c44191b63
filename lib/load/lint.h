/* The loader's warnings (lib/load/lint.c): they read the compiled scheme,
 * never the loader's state, and report through the JSON context. */
#ifndef JIXIAO_LINT_H
#define JIXIAO_LINT_H

#include "compile/scheme.h"
#include "load/jsonctx.h"

/* Report the warnings of a loaded scheme. */
void jxi_lint_warnings(jxi_jctx *c, const jx_scheme *s);

#endif
