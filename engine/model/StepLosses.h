#pragma once
// The terms of one training step's objective, each a batch mean, and the one table of their names that the
// model file's columns, the CLI's epoch line and JSON, the dashboard and its CSV export all walk.
#include <cstddef>

namespace latentlab {

struct StepLosses {
  double total = 0;           // J: what the gradients are of
  double reconstruction = 0;  // labelled and unlabelled points together (expected under q(y|x) for marginal)
  double kl = 0;              // KL(q(z|x) || p(z)), unweighted, all points
  double classification = 0;  // label cross-entropy, unweighted, labelled points
  double entropy = 0;         // H(q(y|x)) of the unlabelled points
  double labelled = 0;        // mean over labelled points of reconstruction + beta KL + alpha CE
  double unlabelled = 0;      // mean over unlabelled points of their bound (U in MODEL.md)
  double labelledAccuracy = 0;

  StepLosses& operator+=(const StepLosses& o);
  StepLosses& operator/=(double d);
};

// name: the column and key everywhere (model file, CSV, JSON); brief and digits: the CLI's epoch line
// (brief nullptr: not on that line).
struct StepLossField {
  const char* name;
  const char* brief;
  int digits;
  double StepLosses::*member;
};

inline constexpr StepLossField kStepLossFields[] = {
    {"total", "loss", 2, &StepLosses::total},
    {"reconstruction", "rec", 2, &StepLosses::reconstruction},
    {"kl", "kl", 2, &StepLosses::kl},
    {"classification", "ce", 4, &StepLosses::classification},
    {"entropy", "H", 3, &StepLosses::entropy},
    {"labelled", "L", 2, &StepLosses::labelled},
    {"unlabelled", "U", 2, &StepLosses::unlabelled},
    {"labelled_accuracy", nullptr, 4, &StepLosses::labelledAccuracy},
};
static_assert(sizeof(kStepLossFields) / sizeof(kStepLossFields[0]) * sizeof(double) == sizeof(StepLosses),
              "every StepLosses member has a row in kStepLossFields");

inline StepLosses& StepLosses::operator+=(const StepLosses& o) {
  for (const StepLossField& f : kStepLossFields) this->*f.member += o.*f.member;
  return *this;
}

inline StepLosses& StepLosses::operator/=(double d) {
  for (const StepLossField& f : kStepLossFields) this->*f.member /= d;
  return *this;
}

}  // namespace latentlab
