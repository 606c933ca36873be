#pragma once
// How the engine reads inputs that are not in [0, 1]. The Bernoulli likelihood (the default, right for images)
// scores values in [0, 1] only; sensor readings, embeddings and other users' arrays are not. The rule ("auto"):
//   - every training value in [0, 1]: the data is read as it is (Bernoulli likelihood);
//   - otherwise: standardised, x' = (x - mean) / sd per channel (images and sequences: each channel over its
//     pixels or steps; vectors: each feature), with the Gaussian likelihood of unit variance.
// "minmax" instead scales each channel to [0, 1] (x' = (x - min) / (max - min)) for the Bernoulli likelihood;
// "none" reads the values as they are. Fitted on the training split only and applied to both; a model file keeps
// its transform, so evaluating, continuing or exploring the model reads new data the same way.
#include <string>

#include "engine/core/Types.h"
#include "engine/data/SampleShape.h"

namespace latentlab {

enum class InputScaling { None, Standardise, MinMax };
std::string toString(InputScaling s);                       // "none", "standardise", "minmax"
InputScaling inputScalingFromString(const std::string& s);  // throws Error("InputTransform", ...)

struct InputTransform {
  InputScaling kind = InputScaling::None;
  Vector<float> offset, scale;  // per feature (D): x' = (x - offset) / scale; empty for None

  bool active() const { return kind != InputScaling::None; }
  void apply(Matrix<float>& x) const;   // (D x N), in place
  void invert(Matrix<float>& x) const;  // back to the data's own units
  // Throws Error("InputTransform", ...) unless it fits `features` features (finite offsets, positive scales).
  void validate(int features) const;
  bool operator==(const InputTransform& o) const;
  // For people: "standardised per channel (Gaussian likelihood)".
  std::string describe() const;
};

struct Dataset;
struct DataSplit;

// Standardised inputs are not in [0, 1]: a model of them scores them with the Gaussian likelihood.
inline bool needsGaussianLikelihood(const InputTransform& t) { return t.kind == InputScaling::Standardise; }

// The rule above for a training set: None when every value is in [0, 1], else Standardise.
InputScaling chooseInputScaling(const Dataset& train);
// Fitted on the training set: per channel (images, sequences) or per feature (vectors). A constant channel keeps
// scale 1.
InputTransform fitInputTransform(const Dataset& train, InputScaling kind);

// choice: auto, none, standardise or minmax. Fits on data.train, applies to both splits and records it in
// data.transform. The data must be read as it is (no transform yet).
void prepareInputs(DataSplit& data, const std::string& choice);
// Reads the data as `to` does (a model file's transform): the current transform undone, `to` applied.
void useInputTransform(DataSplit& data, const InputTransform& to);

}  // namespace latentlab
