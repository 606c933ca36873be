#pragma once
// Generation from a trained semi-supervised VAE: pick a class y, set a style z, decode p(x | z, y).
// The Generator owns its own model instance because encode/decode reuse the model's internal buffers:
// one Generator per thread (the GUI keeps one for its panel, apart from the training worker's model). It knows
// nothing of model files (no HDF5 here): whoever reads a file builds the model and hands it over.
//
// Shapes: z / styles (d x n), images x (D x n), one sample per column; d latent size, D features, K classes.
// Decoding returns the decoder's mean (Bernoulli probabilities or Gaussian means), never a sample, so the
// same (z, y) always gives the same image.
#include <memory>
#include <string>
#include <vector>

#include "engine/core/Error.h"
#include "engine/core/Random.h"
#include "engine/core/Types.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

class Generator {
 public:
  // The model to decode with, the generator's own (from a file: instantiateModel in engine/io/ModelFile.h).
  explicit Generator(std::unique_ptr<SemiSupervisedVae<float>> model) : model_(std::move(model)) {
    if (!model_) throw Error("Generator", "no model given");
  }

  int latent() const { return model_->config().latent; }
  int classes() const { return model_->config().classes; }
  int features() const { return model_->config().inputSize; }
  const ModelConfig& config() const { return model_->config(); }

  // ---- decoding -----------------------------------------------------------------------------------------

  // Column c of images decodes z.col(c) with class labels[c]. z (d x n), labels n, images (D x n).
  void decode(const Matrix<float>& z, const std::vector<int>& labels, Matrix<float>& images) {
    if (z.rows() != latent())
      throw Error("Generator", "z has " + std::to_string(z.rows()) + " rows, the model's latent size is " +
                                   std::to_string(latent()));
    if (int(labels.size()) != z.cols()) throw Error("Generator", "one class per z column is needed");
    y_.setZero(classes(), z.cols());
    for (int c = 0; c < int(labels.size()); ++c) y_(checkedClass(labels[c]), c) = 1;
    model_->decode(z, y_, images);
  }

  // One image (D) from one style (d) and one class.
  Vector<float> decode(const Vector<float>& z, int label) {
    z_ = z;
    decode(z_, {label}, out_);
    return out_.col(0);
  }

  // Rows = classes, columns = styles: column r * styles.cols() + c of the result decodes styles.col(c) with
  // classes[r], so reading the columns in order walks the grid row by row. styles (d x S), result (D x R S).
  Matrix<float> classByStyleGrid(const std::vector<int>& classList, const Matrix<float>& styles) {
    const int S = int(styles.cols()), R = int(classList.size());
    z_.resize(latent(), R * S);
    std::vector<int> labels(size_t(R) * S);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < S; ++c) {
        z_.col(r * S + c) = styles.col(c);
        labels[size_t(r) * S + c] = classList[r];
      }
    Matrix<float> images;
    decode(z_, labels, images);
    return images;
  }

  // Every class 0..K-1, in order, at the same style z (d): (D x K).
  Matrix<float> everyClass(const Vector<float>& z) {
    std::vector<int> all(classes());
    for (int k = 0; k < classes(); ++k) all[k] = k;
    const Matrix<float> styles = z;
    return classByStyleGrid(all, styles);
  }

  // ---- encoding -----------------------------------------------------------------------------------------

  // The style of images: the encoder's posterior means mu (d x n) for x (D x n), in chunks so that a whole
  // test set does not allocate (H x 10000) activations at once. probs (K x n), when given, receives q(y|x).
  Matrix<float> stylesOf(const Matrix<float>& x, Matrix<float>* probs = nullptr, int chunk = 1000) {
    if (x.rows() != features())
      throw Error("Generator", "images have " + std::to_string(x.rows()) + " features, the model takes " +
                                   std::to_string(features()));
    const int n = int(x.cols());
    Matrix<float> mu(latent(), n);
    if (probs) probs->resize(classes(), n);
    for (int start = 0; start < n; start += chunk) {
      const int m = std::min(chunk, n - start);
      xChunk_ = x.middleCols(start, m);
      model_->encode(xChunk_, muChunk_, logvar_, probs ? &probsChunk_ : nullptr);
      mu.middleCols(start, m) = muChunk_;
      if (probs) probs->middleCols(start, m) = probsChunk_;
    }
    return mu;
  }

  Vector<float> styleOf(const Vector<float>& image) {
    const Matrix<float> x = image;
    return stylesOf(x).col(0);
  }

  // One image's style decoded with every class: the same handwriting as every digit. image (D), result (D x K).
  Matrix<float> styleTransfer(const Vector<float>& image) { return everyClass(styleOf(image)); }

  // ---- sampling -----------------------------------------------------------------------------------------

  // A style from the prior N(0, I), its spread scaled by temperature (1 = the prior, < 1 = more typical).
  Vector<float> randomStyle(double temperature, Random& rng) const {
    Matrix<float> eps(latent(), 1);
    rng.fillNormal(eps);
    return (eps.col(0) * float(temperature)).eval();
  }

  // count styles at once (d x count), drawn in column order from the same stream as randomStyle.
  Matrix<float> randomStyles(int count, double temperature, Random& rng) const {
    Matrix<float> z(latent(), count);
    for (int c = 0; c < count; ++c) z.col(c) = randomStyle(temperature, rng);
    return z;
  }

 private:
  int checkedClass(int k) const {
    if (k < 0 || k >= classes())
      throw Error("Generator", "class " + std::to_string(k) + " is outside 0.." + std::to_string(classes() - 1));
    return k;
  }

  std::unique_ptr<SemiSupervisedVae<float>> model_;
  Matrix<float> y_, z_, out_, xChunk_, muChunk_, logvar_, probsChunk_;
};

}  // namespace latentlab
