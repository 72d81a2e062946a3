// Hot loops that the Swift numerics hand to C so that the compiler can vectorise libm calls
// (glibc's libmvec: exp and log on 2, 4 or 8 doubles at once). Pure arithmetic, no state.
#ifndef BALLAST_CKERNELS_H
#define BALLAST_CKERNELS_H

/// Weighted logistic cross-entropy of a block of rows. For each row i, with z_t = sign[i]·z[i]
/// (sign +1 for the positive class, −1 otherwise): ℓ = softplus(−z_t), written stably, and
/// ∂ℓ/∂z. Writes weight[i]·∂ℓ/∂z into gradient[i] and returns Σ weight[i]·ℓ summed in row order.
/// `terms` is scratch space of `count` doubles.
double ballast_logistic_ce_block(const double *z, const double *sign, const double *weight,
                                 double *gradient, double *terms, int count);

#endif
