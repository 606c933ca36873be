#include "engine/data/InputTransform.h"

#include <cmath>

#include "engine/core/Error.h"
#include "engine/data/Dataset.h"

namespace latentlab {

std::string toString(InputScaling s) {
  switch (s) {
    case InputScaling::None:
      return "none";
    case InputScaling::Standardise:
      return "standardise";
    case InputScaling::MinMax:
      return "minmax";
  }
  return "?";
}

InputScaling inputScalingFromString(const std::string& s) {
  if (s == "none") return InputScaling::None;
  if (s == "standardise" || s == "standardize") return InputScaling::Standardise;
  if (s == "minmax") return InputScaling::MinMax;
  throw Error("InputTransform", "unknown input scaling '" + s + "' (none, standardise, minmax)");
}

void InputTransform::apply(Matrix<float>& x) const {
  if (!active()) return;
  x = ((x.colwise() - offset).array().colwise() / scale.array()).matrix();
}

void InputTransform::invert(Matrix<float>& x) const {
  if (!active()) return;
  x = ((x.array().colwise() * scale.array()).matrix().colwise() + offset);
}

void InputTransform::validate(int features) const {
  if (!active()) return;
  if (offset.size() != features || scale.size() != features)
    throw Error("InputTransform", "the input transform has " + std::to_string(offset.size()) + " offsets and " +
                                      std::to_string(scale.size()) + " scales for " + std::to_string(features) +
                                      " input features");
  if (!offset.allFinite() || !scale.allFinite() || !(scale.array() > 0).all())
    throw Error("InputTransform",
                "the input transform has offsets that are not finite or scales that are not positive");
}

bool InputTransform::operator==(const InputTransform& o) const {
  if (kind != o.kind) return false;
  return !active() || (offset.size() == o.offset.size() && offset == o.offset && scale == o.scale);
}

std::string InputTransform::describe() const {
  switch (kind) {
    case InputScaling::None:
      return "read as they are (Bernoulli likelihood)";
    case InputScaling::Standardise:
      return "standardised per channel (Gaussian likelihood)";
    case InputScaling::MinMax:
      return "scaled to [0, 1] per channel (Bernoulli likelihood)";
  }
  return "?";
}

InputScaling chooseInputScaling(const Dataset& train) {
  if (train.x.size() == 0) return InputScaling::None;
  return train.x.minCoeff() >= 0.f && train.x.maxCoeff() <= 1.f ? InputScaling::None : InputScaling::Standardise;
}

InputTransform fitInputTransform(const Dataset& train, InputScaling kind) {
  InputTransform t;
  t.kind = kind;
  if (kind == InputScaling::None) return t;
  const int D = train.features(), N = train.size();
  if (N == 0) throw Error("InputTransform", "no training samples to fit the input transform on");
  // Channels-last (SampleShape.h): feature f is channel f % C; vectors: every feature its own channel.
  const int C = train.shape.kind == SampleKind::Vector ? D : std::max(1, train.shape.channels);
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(C), sq = Eigen::VectorXd::Zero(C), count = Eigen::VectorXd::Zero(C);
  Eigen::VectorXd lo = Eigen::VectorXd::Constant(C, INFINITY), hi = Eigen::VectorXd::Constant(C, -INFINITY);
  for (int f = 0; f < D; ++f) {
    const int c = f % C;
    const auto row = train.x.row(f).cast<double>();
    sum(c) += row.sum();
    count(c) += N;
    lo(c) = std::min(lo(c), row.minCoeff());
    hi(c) = std::max(hi(c), row.maxCoeff());
  }
  const Eigen::VectorXd mean = sum.cwiseQuotient(count);
  for (int f = 0; f < D; ++f) {
    const int c = f % C;
    sq(c) += (train.x.row(f).cast<double>().array() - mean(c)).square().sum();  // two passes: no cancellation
  }
  t.offset.resize(D);
  t.scale.resize(D);
  for (int f = 0; f < D; ++f) {
    const int c = f % C;
    double offset = mean(c), scale = std::sqrt(sq(c) / count(c));
    if (kind == InputScaling::MinMax) offset = lo(c), scale = hi(c) - lo(c);
    if (!(scale > 1e-12) || !std::isfinite(scale)) scale = 1;  // a constant channel
    t.offset(f) = float(offset);
    t.scale(f) = float(scale);
  }
  t.validate(D);
  return t;
}

void prepareInputs(DataSplit& data, const std::string& choice) {
  if (data.transform.active()) throw Error("InputTransform", "the data is transformed already");
  const InputScaling kind = choice == "auto" ? chooseInputScaling(data.train) : inputScalingFromString(choice);
  if (kind == InputScaling::None) return;
  useInputTransform(data, fitInputTransform(data.train, kind));
}

void useInputTransform(DataSplit& data, const InputTransform& to) {
  if (data.transform == to) return;
  to.validate(data.train.features());
  for (Dataset* d : {&data.train, &data.test}) {
    data.transform.invert(d->x);
    to.apply(d->x);
  }
  data.transform = to;
  if (to.active()) data.description += ", inputs " + to.describe();
}

}  // namespace latentlab
