#pragma once
// A chain of layers: forward in order, backward in reverse. Itself a Layer, so chains nest.
#include <vector>

#include "engine/core/Error.h"
#include "engine/layers/Layer.h"

namespace latentlab {

template <typename T> class Sequential final : public Layer<T> {
 public:
  std::string kind() const override { return "sequential"; }
  int inputSize() const override { return layers_.empty() ? 0 : layers_.front()->inputSize(); }
  int outputSize() const override { return layers_.empty() ? 0 : layers_.back()->outputSize(); }

  void add(LayerPtr<T> layer) {
    if (!layers_.empty() && layer->inputSize() != layers_.back()->outputSize())
      throw Error("Sequential", "layer " + layer->kind() + " takes " + std::to_string(layer->inputSize()) +
                                    " inputs but the previous layer gives " +
                                    std::to_string(layers_.back()->outputSize()));
    layers_.push_back(std::move(layer));
  }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    const Matrix<T>* x = &in;
    for (auto& l : layers_) x = &l->forward(*x);
    return *x;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    // Only the first layer honours this chain's own "input gradient needed" flag.
    if (!layers_.empty()) layers_.front()->setInputGradientNeeded(this->inputGradientNeeded_);
    const Matrix<T>* g = &dOut;
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) g = &(*it)->backward(*g);
    return *g;
  }

  double multiplyAdds() const override {
    double n = 0;
    for (const auto& l : layers_) n += l->multiplyAdds();
    return n;
  }

  ParameterList<T> parameters() override {
    ParameterList<T> all;
    for (size_t i = 0; i < layers_.size(); ++i)
      for (auto& p : layers_[i]->parameters()) all.push_back({std::to_string(i) + "." + p.name, p.value, p.grad});
    return all;
  }

  void initialise(Random& rng) override {
    for (auto& l : layers_) l->initialise(rng);
  }

  size_t size() const { return layers_.size(); }
  Layer<T>& operator[](size_t i) { return *layers_[i]; }
  const Layer<T>& first() const { return *layers_.front(); }

 private:
  std::vector<LayerPtr<T>> layers_;
};

}  // namespace latentlab
