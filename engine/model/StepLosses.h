#pragma once
// The terms of one training step's objective, each a batch mean.
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

  StepLosses& operator+=(const StepLosses& o) {
    total += o.total;
    reconstruction += o.reconstruction;
    kl += o.kl;
    classification += o.classification;
    entropy += o.entropy;
    labelled += o.labelled;
    unlabelled += o.unlabelled;
    labelledAccuracy += o.labelledAccuracy;
    return *this;
  }
  StepLosses& operator/=(double d) {
    total /= d;
    reconstruction /= d;
    kl /= d;
    classification /= d;
    entropy /= d;
    labelled /= d;
    unlabelled /= d;
    labelledAccuracy /= d;
    return *this;
  }
};

}  // namespace latentlab
