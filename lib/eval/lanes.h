/* Decimal rounding over a column of JXI_LANES values at once, for the
 * batch path (lib/eval/block.c): out[l] is jxi_round_inline(in[l], digits),
 * bit for bit. With GCC or clang the common case runs as the same
 * operations as jxi_round_try on two lanes at a time (vector extensions;
 * vector and scalar IEEE operations round alike); lanes it cannot be sure
 * of go to jxi_round one by one. Other compilers take the scalar loop. */
#ifndef JIXIAO_LANES_H
#define JIXIAO_LANES_H

#include "compile/expr.h"
#include "util/num.h"

#if defined(__GNUC__) && defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0 \
    && !defined(__FAST_MATH__)
#  define JXI_LANES_VECTOR 1
typedef double jxi_v2d __attribute__((vector_size(16)));
typedef int64_t jxi_v2i __attribute__((vector_size(16)));
#endif

/* out and in are distinct columns. */
static inline void jxi_lanes_round(double *restrict out, const double *restrict in, int digits)
{
#ifdef JXI_LANES_VECTOR
    if (digits >= 0 && digits <= 22) {
        const double p = jxi_pow10[digits];
        const jxi_v2i sign = {INT64_MIN, INT64_MIN};
        jxi_v2i all = {-1, -1};
        int64_t ok[JXI_LANES];
        for (size_t l = 0; l < JXI_LANES; l += 2) {
            jxi_v2d x, z, q, dz, r;
            jxi_v2i m;
            memcpy(&x, in + l, sizeof x);
            z = (jxi_v2d)((jxi_v2i)x & ~sign) * p;
            q = z + 0x1p52 - 0x1p52;
            dz = (jxi_v2d)((jxi_v2i)(z - q) & ~sign);
            /* jxi_round_try's test; it also implies z < 1e15, which a
             * second comparison would test again (and cost more) */
            m = 0.5 - dz > z * JXI_SNAP_REL;
            all &= m;
            memcpy(ok + l, &m, sizeof m);
            r = q / p;
            r = (jxi_v2d)((jxi_v2i)r | ((jxi_v2i)x & sign)) + 0.0; /* copysign; no "-0" */
            memcpy(out + l, &r, sizeof r);
        }
        if (all[0] & all[1])
            return;
        for (size_t l = 0; l < JXI_LANES; l++)
            if (!ok[l])
                out[l] = jxi_round(in[l], digits);
        return;
    }
#endif
    for (size_t l = 0; l < JXI_LANES; l++)
        out[l] = jxi_round_inline(in[l], digits);
}

#endif
