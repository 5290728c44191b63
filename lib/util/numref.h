/* The exact (printf-based) decimal paths of lib/util/num.c, as they were before
 * the fast paths: the reference the fast paths are tested against. Slow;
 * not for the library's own use. */
#ifndef JIXIAO_NUMREF_H
#define JIXIAO_NUMREF_H

double jxi_ref_snap(double x);
double jxi_ref_round(double x, int digits);
double jxi_ref_floor(double x);
double jxi_ref_ceil(double x);
int jxi_ref_cmp(double a, double b);

#endif
