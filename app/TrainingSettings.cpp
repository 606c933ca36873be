#include "app/TrainingSettings.h"

#include <QStringList>
#include <QThread>

#include <climits>
#include <cmath>

using namespace latentlab;

void TrainingSettings::load(QSettings& s) {
  s.beginGroup("training");
  try {
    model.flavour = flavourFromString(s.value("flavour", QString::fromStdString(toString(model.flavour))).toString().toStdString());
    model.objective = objectiveFromString(s.value("objective", QString::fromStdString(toString(model.objective))).toString().toStdString());
    model.activation = activationFromString(s.value("activation", QString::fromStdString(toString(model.activation))).toString().toStdString());
  } catch (const Error&) {
    // a settings file from elsewhere: keep the defaults
  }
  model.latent = s.value("latent", model.latent).toInt();
  QStringList hidden;
  for (int h : model.hidden) hidden << QString::number(h);
  const QStringList saved = s.value("hidden", hidden.join(",")).toString().split(',', Qt::SkipEmptyParts);
  std::vector<int> sizes;
  for (const QString& h : saved)
    if (h.toInt() > 0) sizes.push_back(h.toInt());
  if (!sizes.empty()) model.hidden = sizes;
  std::vector<int> channels;
  for (const QString& c : s.value("convChannels", "").toString().split(',', Qt::SkipEmptyParts))
    if (c.toInt() > 0) channels.push_back(c.toInt());
  if (!channels.empty()) model.conv.channels = channels;
  model.conv.kernel = s.value("convKernel", model.conv.kernel).toInt();
  model.recurrent.hidden = s.value("lstmHidden", model.recurrent.hidden).toInt();
  model.recurrent.layers = s.value("lstmLayers", model.recurrent.layers).toInt();
  model.recurrent.pooling = s.value("lstmPooling", 0).toInt() == 1 ? SequencePooling::Mean : SequencePooling::Last;
  model.alpha = s.value("alpha", model.alpha).toDouble();
  model.beta = s.value("beta", model.beta).toDouble();
  train.betaWarmupEpochs = s.value("betaWarmupEpochs", train.betaWarmupEpochs).toDouble();
  train.learningRate = s.value("learningRate", train.learningRate).toDouble();
  train.labelledBatch = s.value("labelledBatch", train.labelledBatch).toInt();
  train.unlabelledBatch = s.value("unlabelledBatch", train.unlabelledBatch).toInt();
  train.epochs = s.value("epochs", train.epochs).toInt();
  train.seed = s.value("seed", qulonglong(train.seed)).toULongLong();
  train.validation.labelFraction = s.value("validationFraction", train.validation.labelFraction).toDouble();
  train.validation.heldOut = s.value("heldOut", train.validation.heldOut).toInt();
  try {
    train.validation.select = selectionFromString(
        s.value("select", QString::fromStdString(toString(train.validation.select))).toString().toStdString());
  } catch (const Error&) {
    // another version's word: keep the default
  }
  train.validation.patience = s.value("patience", train.validation.patience).toInt();
  labels = s.value("labels", labels).toInt();
  supervisedBaseline = s.value("supervisedBaseline", supervisedBaseline).toBool();
  threads = s.value("threads", threads).toInt();
  trainSamples = s.value("trainSamples", trainSamples).toInt();
  s.endGroup();
  sanitise();
}

QStringList TrainingSettings::sanitise() {
  using L = SettingsLimits;
  const TrainingSettings d;
  QStringList changed;
  auto fix = [&changed](auto& value, const auto& fallback, bool ok, const char* name) {
    if (ok) return;
    value = fallback;
    changed << name;
  };
  auto sizesOk = [](const std::vector<int>& v, int maxCount, int maxValue) {
    if (v.empty() || int(v.size()) > maxCount) return false;
    for (int x : v)
      if (x < 1 || x > maxValue) return false;
    return true;
  };
  fix(model.hidden, defaultModelConfig(model.flavour).hidden, sizesOk(model.hidden, L::kMaxLayers, L::kMaxUnits), "hidden");
  fix(model.conv.channels, d.model.conv.channels, sizesOk(model.conv.channels, L::kMaxConvs, L::kMaxConvChannels),
      "conv channels");
  fix(model.conv.kernel, d.model.conv.kernel, model.conv.kernel >= 2 && model.conv.kernel <= 16 && model.conv.kernel % 2 == 0,
      "conv kernel");
  fix(model.recurrent.hidden, d.model.recurrent.hidden, model.recurrent.hidden >= 1 && model.recurrent.hidden <= L::kMaxUnits,
      "LSTM units");
  fix(model.recurrent.layers, d.model.recurrent.layers,
      model.recurrent.layers >= 1 && model.recurrent.layers <= L::kMaxLstmLayers, "LSTM layers");
  fix(model.latent, d.model.latent, model.latent >= 1 && model.latent <= L::kMaxLatent, "latent");
  fix(model.alpha, d.model.alpha, model.alpha >= 0 && model.alpha <= L::kMaxAlpha, "alpha");
  fix(model.beta, d.model.beta, model.beta >= 0 && model.beta <= L::kMaxBeta, "beta");
  fix(train.betaWarmupEpochs, d.train.betaWarmupEpochs,
      train.betaWarmupEpochs >= 0 && train.betaWarmupEpochs <= L::kMaxWarmup, "beta warm-up");
  fix(train.learningRate, d.train.learningRate,
      std::isfinite(train.learningRate) && train.learningRate > 0 && train.learningRate <= L::kMaxLearningRate,
      "learning rate");
  fix(train.labelledBatch, d.train.labelledBatch, train.labelledBatch >= 1 && train.labelledBatch <= L::kMaxBatch,
      "labelled batch");
  fix(train.unlabelledBatch, d.train.unlabelledBatch,
      train.unlabelledBatch >= 1 && train.unlabelledBatch <= L::kMaxBatch, "unlabelled batch");
  fix(train.epochs, d.train.epochs, train.epochs >= 1 && train.epochs <= L::kMaxEpochs, "epochs");
  fix(train.seed, d.train.seed, train.seed <= uint64_t(INT_MAX), "seed");
  ValidationConfig& v = train.validation;
  fix(v.labelFraction, d.train.validation.labelFraction, v.labelFraction >= 0 && v.labelFraction <= 0.5,
      "validation share");
  fix(v.heldOut, d.train.validation.heldOut, v.heldOut >= 0 && v.heldOut <= L::kMaxHeldOut, "held-out points");
  fix(v.patience, d.train.validation.patience, v.patience >= 0 && v.patience <= L::kMaxEpochs, "patience");
  const bool measurable = (v.select != SelectionCriterion::ValidationAccuracy || v.labelFraction > 0) &&
                          (v.select != SelectionCriterion::ValidationElbo || v.heldOut > 0);
  fix(v.select, SelectionCriterion::Last, measurable, "kept epoch");
  fix(labels, d.labels, labels >= 0, "labels");
  fix(threads, d.threads, threads >= 1 && threads <= std::max(1, QThread::idealThreadCount()), "threads");
  fix(trainSamples, d.trainSamples, trainSamples >= 0, "training samples");
  return changed;
}

void TrainingSettings::save(QSettings& s) const {
  s.beginGroup("training");
  s.setValue("flavour", QString::fromStdString(toString(model.flavour)));
  s.setValue("objective", QString::fromStdString(toString(model.objective)));
  s.setValue("activation", QString::fromStdString(toString(model.activation)));
  s.setValue("latent", model.latent);
  QStringList hidden;
  for (int h : model.hidden) hidden << QString::number(h);
  s.setValue("hidden", hidden.join(","));
  QStringList channels;
  for (int c : model.conv.channels) channels << QString::number(c);
  s.setValue("convChannels", channels.join(","));
  s.setValue("convKernel", model.conv.kernel);
  s.setValue("lstmHidden", model.recurrent.hidden);
  s.setValue("lstmLayers", model.recurrent.layers);
  s.setValue("lstmPooling", model.recurrent.pooling == SequencePooling::Mean ? 1 : 0);
  s.setValue("alpha", model.alpha);
  s.setValue("beta", model.beta);
  s.setValue("betaWarmupEpochs", train.betaWarmupEpochs);
  s.setValue("learningRate", train.learningRate);
  s.setValue("labelledBatch", train.labelledBatch);
  s.setValue("unlabelledBatch", train.unlabelledBatch);
  s.setValue("epochs", train.epochs);
  s.setValue("seed", qulonglong(train.seed));
  s.setValue("validationFraction", train.validation.labelFraction);
  s.setValue("heldOut", train.validation.heldOut);
  s.setValue("select", QString::fromStdString(toString(train.validation.select)));
  s.setValue("patience", train.validation.patience);
  s.setValue("labels", labels);
  s.setValue("supervisedBaseline", supervisedBaseline);
  s.setValue("threads", threads);
  s.setValue("trainSamples", trainSamples);
  s.endGroup();
}
