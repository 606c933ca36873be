#pragma once
// The decoder's first layer, on concat(z, y) without building the concatenation:
//   out_c = Wz z_src(c) + b + Wy y_c
// where y_c is a one-hot class for c < probsStart (a column pick, Wy[:, label_c], no product) and the
// classifier's probabilities probs[:, c - probsStart] for the columns from probsStart on (a product).
// Several output columns may read the same z column: in the marginal objective every class decodes the
// same z, so Wz z + b is computed once per z and shared by the K columns that use it.
// Without class input (ModelConfig::classInput false, a plain VAE's decoder) the layer is out_c = Wz z + b:
// Wy is (H x 0) and not a parameter, the labels and probabilities of the plan are ignored, and the gradient
// with respect to the probabilities is zero.
//   Wz (H x d), Wy (H x K), b (H); z (d x nz); probs (K x (m - probsStart)); out (H x m)
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/core/Error.h"
#include "engine/core/Gemm.h"
#include "engine/core/Parallel.h"
#include "engine/core/Random.h"
#include "engine/core/Types.h"

namespace latentlab {

struct DecoderColumns {
  std::vector<int> zColumn;  // size m: which z column each output column decodes
  std::vector<int> label;    // size probsStart: the class of each one-hot column
  int probsStart = 0;        // columns from here on read the classifier's probabilities
  int size() const { return int(zColumn.size()); }
};

template <typename T> class DecoderInput {
 public:
  DecoderInput(int latent, int classes, int out, bool classInput = true)
      : classes_(classes),
        classInput_(classInput),
        Wz_(out, latent),
        Wy_(out, classInput ? classes : 0),
        b_(out, 1),
        dWz_(out, latent),
        dWy_(out, classInput ? classes : 0),
        db_(out, 1) {
    Wz_.setZero();
    Wy_.setZero();
    b_.setZero();
  }

  int latentSize() const { return int(Wz_.cols()); }
  int classes() const { return classes_; }
  bool classInput() const { return classInput_; }
  int outputSize() const { return int(Wz_.rows()); }

  // Same as a Dense layer over concat(z, y): U(-1/sqrt(d + K), 1/sqrt(d + K)).
  void initialise(Random& rng) {
    const T bound = T(1) / std::sqrt(T(Wz_.cols() + Wy_.cols()));
    rng.fillUniform(Wz_, -bound, bound);
    if (classInput()) rng.fillUniform(Wy_, -bound, bound);
    rng.fillUniform(b_, -bound, bound);
  }

  const Matrix<T>& forward(const Matrix<T>& z, const DecoderColumns& cols, const Matrix<T>* probs) {
    const int m = cols.size();
    if (classInput_ && cols.probsStart < m &&
        (!probs || probs->cols() != m - cols.probsStart || probs->rows() != Wy_.cols()))
      throw Error("DecoderInput", "probability columns do not match the column plan");
    z_ = &z;
    cols_ = &cols;
    probs_ = probs;
    P_.resize(Wz_.rows(), z.cols());
    gemm(Wz_, GemmOp::N, z, GemmOp::N, P_);  // shared z part: P = Wz z
    P_.colwise() += b_.col(0);
    out_.resize(Wz_.rows(), m);
    // The column loops below run over blocks of rows, one per thread: no two threads write the same element.
    if (!classInput()) {
      parallelRowBlocks(Wz_.rows(), m, [&](Eigen::Index r, Eigen::Index n) {
        for (int c = 0; c < m; ++c) out_.col(c).segment(r, n) = P_.col(cols.zColumn[c]).segment(r, n);
      });
      return out_;
    }
    parallelRowBlocks(Wz_.rows(), cols.probsStart, [&](Eigen::Index r, Eigen::Index n) {
      for (int c = 0; c < cols.probsStart; ++c)
        out_.col(c).segment(r, n) = P_.col(cols.zColumn[c]).segment(r, n) + Wy_.col(cols.label[c]).segment(r, n);
    });
    if (cols.probsStart < m) {
      gemm(Wy_, GemmOp::N, *probs, GemmOp::N, out_.rightCols(m - cols.probsStart));  // Wy y
      parallelRowBlocks(Wz_.rows(), m - cols.probsStart, [&](Eigen::Index r, Eigen::Index n) {
        for (int c = cols.probsStart; c < m; ++c) out_.col(c).segment(r, n) += P_.col(cols.zColumn[c]).segment(r, n);
      });
    }
    return out_;
  }

  // Overwrites the parameter gradients; returns dL/dz (d x nz). dL/dprobs is in probsGradient().
  const Matrix<T>& backward(const Matrix<T>& dOut) {
    const DecoderColumns& cols = *cols_;
    const int m = cols.size();
    dP_.setZero(Wz_.rows(), z_->cols());
    parallelRowBlocks(Wz_.rows(), m, [&](Eigen::Index r, Eigen::Index n) {
      for (int c = 0; c < m; ++c) dP_.col(cols.zColumn[c]).segment(r, n) += dOut.col(c).segment(r, n);  // shared z
    });
    dWy_.setZero();
    if (!classInput()) {
      dProbs_.setZero(classes_, std::max(0, m - cols.probsStart));  // the decoder does not read y
    } else {
      parallelRowBlocks(Wz_.rows(), cols.probsStart, [&](Eigen::Index r, Eigen::Index n) {
        for (int c = 0; c < cols.probsStart; ++c) dWy_.col(cols.label[c]).segment(r, n) += dOut.col(c).segment(r, n);
      });
      if (cols.probsStart < m) {
        const auto dOutProbs = dOut.rightCols(m - cols.probsStart);
        gemm(dOutProbs, GemmOp::N, *probs_, GemmOp::T, dWy_, T(1), T(1));  // dL/dWy += dOut y^T
        dProbs_.resize(Wy_.cols(), m - cols.probsStart);
        gemm(Wy_, GemmOp::T, dOutProbs, GemmOp::N, dProbs_);  // dL/dy = Wy^T dOut
      } else {
        dProbs_.resize(Wy_.cols(), 0);
      }
    }
    gemm(dP_, GemmOp::N, *z_, GemmOp::T, dWz_);  // dL/dWz = dP z^T
    db_ = dP_.rowwise().sum();
    dZ_.resize(Wz_.cols(), z_->cols());
    gemm(Wz_, GemmOp::T, dP_, GemmOp::N, dZ_);  // dL/dz = Wz^T dP
    return dZ_;
  }

  const Matrix<T>& probsGradient() const { return dProbs_; }

  ParameterList<T> parameters() {
    if (!classInput()) return {{"Wz", &Wz_, &dWz_}, {"b", &b_, &db_}};
    return {{"Wz", &Wz_, &dWz_}, {"Wy", &Wy_, &dWy_}, {"b", &b_, &db_}};
  }

 private:
  int classes_;
  bool classInput_;
  Matrix<T> Wz_, Wy_, b_, dWz_, dWy_, db_;
  Matrix<T> P_, out_, dP_, dZ_, dProbs_;
  const Matrix<T>* z_ = nullptr;
  const Matrix<T>* probs_ = nullptr;
  const DecoderColumns* cols_ = nullptr;
};

}  // namespace latentlab
