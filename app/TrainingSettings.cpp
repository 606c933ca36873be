#include "app/TrainingSettings.h"

#include <QStringList>

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
  labels = s.value("labels", labels).toInt();
  supervisedBaseline = s.value("supervisedBaseline", supervisedBaseline).toBool();
  threads = s.value("threads", threads).toInt();
  trainSamples = s.value("trainSamples", trainSamples).toInt();
  s.endGroup();
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
  s.setValue("labels", labels);
  s.setValue("supervisedBaseline", supervisedBaseline);
  s.setValue("threads", threads);
  s.setValue("trainSamples", trainSamples);
  s.endGroup();
}
