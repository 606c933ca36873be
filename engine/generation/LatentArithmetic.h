#pragma once
// Latent arithmetic: the direction from one set of images to another is the difference of their mean styles,
//   direction = mean_i mu(A_i) - mean_j mu(B_j),
// and adding t times it to a style moves that style towards A's (t > 0) or B's (t < 0). With a class-aware
// decoder the class is not in z, so the direction carries what A and B differ in besides their class
// (slant, stroke width), and applies to every class.
// Shapes: muA (d x nA), muB (d x nB), z and direction (d), path (d x N).
#include "engine/core/Error.h"
#include "engine/core/Types.h"

namespace latentlab {

inline Vector<float> latentDirection(const Matrix<float>& muA, const Matrix<float>& muB) {
  if (muA.cols() == 0 || muB.cols() == 0) throw Error("LatentArithmetic", "both sets need at least one image");
  if (muA.rows() != muB.rows()) throw Error("LatentArithmetic", "the two sets have different latent sizes");
  return (muA.cast<double>().rowwise().mean() - muB.cast<double>().rowwise().mean()).cast<float>();
}

inline Vector<float> moveAlong(const Vector<float>& z, const Vector<float>& direction, double t) {
  if (z.size() != direction.size()) throw Error("LatentArithmetic", "style and direction have different sizes");
  return z + float(t) * direction;
}

// z + t_i direction for N evenly spaced t_i in [tFrom, tTo]: (d x N).
inline Matrix<float> alongDirection(const Vector<float>& z, const Vector<float>& direction, double tFrom, double tTo,
                                    int steps) {
  if (steps < 1) throw Error("LatentArithmetic", "at least one step is needed");
  Matrix<float> path(z.size(), steps);
  for (int i = 0; i < steps; ++i)
    path.col(i) = moveAlong(z, direction, steps == 1 ? tFrom : tFrom + (tTo - tFrom) * i / (steps - 1));
  return path;
}

}  // namespace latentlab
