#pragma once
// Paths between two styles a and b (d), sampled at N evenly spaced t in [0, 1], endpoints included.
//   linear:    z(t) = (1 - t) a + t b. Between two typical prior samples it cuts through the middle of the
//              Gaussian, where the norm is smaller than any sample's (for orthogonal a, b of equal norm the
//              midpoint has 1/sqrt(2) of it), and decodes there to faint, averaged images.
//   spherical: the direction moves along the great circle from a/|a| to b/|b| (slerp) while the norm moves
//              linearly from |a| to |b|, so every step stays on the shell where the prior's mass is.
//              Where slerp is undefined (a zero endpoint, or a and b (anti)parallel) it falls back to linear.
#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/Error.h"
#include "engine/core/Types.h"

namespace latentlab {

enum class InterpolationKind { Linear, Spherical };

inline Vector<float> lerp(const Vector<float>& a, const Vector<float>& b, double t) {
  return (a.cast<double>() * (1 - t) + b.cast<double>() * t).cast<float>();
}

inline Vector<float> slerp(const Vector<float>& a, const Vector<float>& b, double t) {
  if (a.size() != b.size()) throw Error("Interpolation", "the two styles have different sizes");
  const Eigen::VectorXd ad = a.cast<double>(), bd = b.cast<double>();
  const double na = ad.norm(), nb = bd.norm();
  if (na < 1e-12 || nb < 1e-12) return lerp(a, b, t);
  const Eigen::VectorXd ua = ad / na, ub = bd / nb;
  const double cosOmega = std::clamp(ua.dot(ub), -1.0, 1.0);
  const double omega = std::acos(cosOmega), sinOmega = std::sin(omega);
  if (sinOmega < 1e-6) return lerp(a, b, t);  // (anti)parallel: no unique great circle
  if (t == 0) return a;                       // exact endpoints, not merely close
  if (t == 1) return b;
  const Eigen::VectorXd u = (std::sin((1 - t) * omega) * ua + std::sin(t * omega) * ub) / sinOmega;  // unit
  return (u * ((1 - t) * na + t * nb)).cast<float>();
}

// N >= 2 points from a to b: (d x N), first column a, last column b.
inline Matrix<float> interpolate(const Vector<float>& a, const Vector<float>& b, int steps, InterpolationKind kind) {
  if (steps < 2) throw Error("Interpolation", "at least two steps are needed (the endpoints)");
  if (a.size() != b.size()) throw Error("Interpolation", "the two styles have different sizes");
  Matrix<float> path(a.size(), steps);
  for (int i = 0; i < steps; ++i) {
    const double t = double(i) / (steps - 1);
    path.col(i) = kind == InterpolationKind::Linear ? (i == 0           ? a
                                                       : i == steps - 1 ? b
                                                                        : lerp(a, b, t))
                                                    : slerp(a, b, t);
  }
  return path;
}

inline std::string toString(InterpolationKind k) { return k == InterpolationKind::Linear ? "linear" : "spherical"; }

}  // namespace latentlab
