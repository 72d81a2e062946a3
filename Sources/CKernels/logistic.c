#include "CKernels.h"
#include <math.h>

double ballast_logistic_ce_block(const double *restrict z, const double *restrict sign,
                                 const double *restrict weight, double *restrict gradient,
                                 double *restrict terms, int count) {
    // One vectorisable loop (no reduction in it), then the sum in row order, so the result does
    // not depend on the vector width.
    for (int i = 0; i < count; i++) {
        double zt = sign[i] * z[i];
        double e = exp(-fabs(zt));                      // in (0, 1]
        double u = 1.0 + e;
        // log1p(e) from log(u), corrected for the rounding of u (exact for tiny e too).
        double log1pe = log(u) - ((u - 1.0) - e) / u;
        double softplus = fmax(-zt, 0.0) + log1pe;      // −log p_t
        double q = zt >= 0 ? e / u : 1.0 / u;           // 1 − p_t
        terms[i] = weight[i] * softplus;
        gradient[i] = -weight[i] * sign[i] * q;
    }
    double loss = 0;
    for (int i = 0; i < count; i++) loss += terms[i];
    return loss;
}
