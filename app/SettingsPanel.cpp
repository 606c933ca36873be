#include "app/SettingsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>

using namespace latentlab;

namespace {
QSpinBox* spin(int lo, int hi, const QString& tip) {
  auto* s = new QSpinBox;
  s->setRange(lo, hi);
  s->setToolTip(tip);
  return s;
}
QDoubleSpinBox* dspin(double lo, double hi, int decimals, double step, const QString& tip) {
  auto* s = new QDoubleSpinBox;
  s->setRange(lo, hi);
  s->setDecimals(decimals);
  s->setSingleStep(step);
  s->setToolTip(tip);
  return s;
}
}  // namespace

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
  auto* form = form_ = new QFormLayout(this);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  flavour_ = new QComboBox;
  flavour_->addItems({"dense", "conv", "recurrent"});
  flavour_->setToolTip(tr("Trunk and decoder: dense (a perceptron, any data), conv (convolutions, images) or "
                          "recurrent (LSTMs over time steps, sequences)"));
  convChannels_ = new QLineEdit;
  convChannels_->setToolTip(tr("Channels of each stride-2 convolution, comma-separated; each halves the image"));
  kernel_ = spin(2, 16, tr("Convolution kernel size (even, so the transposed convolutions mirror it)"));
  kernel_->setSingleStep(2);
  lstmHidden_ = spin(1, 4096, tr("LSTM units in the trunk and the decoder"));
  lstmLayers_ = spin(1, 8, tr("Stacked LSTMs in the trunk and the decoder"));
  pooling_ = new QComboBox;
  pooling_->addItems({"last", "mean"});
  pooling_->setToolTip(tr("What the trunk hands to the heads: the last hidden state or the mean over the steps"));
  objective_ = new QComboBox;
  objective_->addItems({"marginal", "single"});
  objective_->setToolTip(tr("marginal: Kingma's M2, decodes every class for unlabelled points; "
                            "single: one decode with the classifier's output"));
  activation_ = new QComboBox;
  activation_->addItems({"relu", "softplus", "tanh", "sigmoid"});
  hidden_ = new QLineEdit;
  hidden_->setToolTip(tr("Dense layer sizes of the trunk, comma-separated; the decoder mirrors them (conv: the "
                         "dense layers after the convolutions)"));
  latent_ = spin(1, 1024, tr("Size of the style latent z"));
  labels_ = spin(0, 1000000, tr("Balanced initial labelled subset; 0 uses every label"));
  alpha_ = dspin(0, 1e7, 1, 100, tr("Weight of the label cross-entropy (Kingma et al.: 0.1 x training samples)"));
  beta_ = dspin(0, 100, 3, 0.1, tr("Weight of the KL term"));
  warmup_ = dspin(0, 1000, 1, 1, tr("Epochs over which beta rises from 0; 0 turns warm-up off"));
  learningRate_ = dspin(1e-6, 1, 6, 1e-4, tr("Adam learning rate"));
  labelledBatch_ = spin(1, 10000, tr("Labelled samples per step, drawn with replacement"));
  unlabelledBatch_ = spin(0, 10000, tr("Unlabelled samples per step"));
  epochs_ = spin(1, 10000, tr("Passes over the training set"));
  seed_ = spin(0, 2147483647, tr("Seeds the labelled subset, the weights, the batches and the noise"));
  threads_ = spin(1, std::max(1, QThread::idealThreadCount()), tr("Threads for the matrix products"));
  trainSamples_ = spin(0, 10000000, tr("Use only the first N training samples; 0 uses all"));
  baseline_ = new QCheckBox(tr("also train the supervised baseline"));
  baseline_->setToolTip(tr("The equivalent supervised classifier (trunk + pi) on the labels alone, for comparison"));

  form->addRow(tr("Flavour"), flavour_);
  form->addRow(tr("Objective"), objective_);
  form->addRow(tr("Activation"), activation_);
  form->addRow(tr("Hidden sizes"), hidden_);
  form->addRow(tr("Conv channels"), convChannels_);
  form->addRow(tr("Conv kernel"), kernel_);
  form->addRow(tr("LSTM units"), lstmHidden_);
  form->addRow(tr("LSTM layers"), lstmLayers_);
  form->addRow(tr("LSTM pooling"), pooling_);
  form->addRow(tr("Latent size"), latent_);
  form->addRow(tr("Labels"), labels_);
  form->addRow(tr("Alpha"), alpha_);
  form->addRow(tr("Beta"), beta_);
  form->addRow(tr("Beta warm-up (epochs)"), warmup_);
  form->addRow(tr("Learning rate"), learningRate_);
  form->addRow(tr("Labelled batch"), labelledBatch_);
  form->addRow(tr("Unlabelled batch"), unlabelledBatch_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Threads"), threads_);
  form->addRow(tr("Training samples"), trainSamples_);
  form->addRow(baseline_);
  connect(flavour_, &QComboBox::currentTextChanged, this, &SettingsPanel::showFlavourFields);
  showFlavourFields();
}

// Only the chosen flavour's architecture fields are shown.
void SettingsPanel::showFlavourFields() {
  const Flavour f = flavourFromString(flavour_->currentText().toStdString());
  // The hidden sizes follow the flavour's default while the user has not changed them (dense 500, 500; conv
  // 500 after the convolutions).
  auto text = [](Flavour flavour) {
    QStringList parts;
    for (int h : defaultModelConfig(flavour).hidden) parts << QString::number(h);
    return parts.join(", ");
  };
  if (f != shownFlavour_ && hidden_->text() == text(shownFlavour_)) hidden_->setText(text(f));
  shownFlavour_ = f;
  form_->setRowVisible(hidden_, f != Flavour::Recurrent);
  for (QWidget* w : {static_cast<QWidget*>(convChannels_), static_cast<QWidget*>(kernel_)})
    form_->setRowVisible(w, f == Flavour::Conv);
  for (QWidget* w : {static_cast<QWidget*>(lstmHidden_), static_cast<QWidget*>(lstmLayers_), static_cast<QWidget*>(pooling_)})
    form_->setRowVisible(w, f == Flavour::Recurrent);
}

std::vector<int> SettingsPanel::sizes(const QLineEdit* field, const QString& what) const {
  std::vector<int> out;
  for (const QString& part : field->text().split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const int v = part.trimmed().toInt(&ok);
    if (!ok || v <= 0) throw Error("Settings", (what + " must be positive integers separated by commas").toStdString());
    out.push_back(v);
  }
  if (out.empty()) throw Error("Settings", ("give at least one value for " + what).toStdString());
  return out;
}

void SettingsPanel::setSettings(const TrainingSettings& s) {
  flavour_->setCurrentText(QString::fromStdString(toString(s.model.flavour)));
  objective_->setCurrentText(QString::fromStdString(toString(s.model.objective)));
  activation_->setCurrentText(QString::fromStdString(toString(s.model.activation)));
  QStringList hidden;
  for (int h : s.model.hidden) hidden << QString::number(h);
  shownFlavour_ = s.model.flavour;
  hidden_->setText(hidden.join(", "));
  QStringList channels;
  for (int c : s.model.conv.channels) channels << QString::number(c);
  convChannels_->setText(channels.join(", "));
  kernel_->setValue(s.model.conv.kernel);
  lstmHidden_->setValue(s.model.recurrent.hidden);
  lstmLayers_->setValue(s.model.recurrent.layers);
  pooling_->setCurrentText(QString::fromStdString(toString(s.model.recurrent.pooling)));
  latent_->setValue(s.model.latent);
  labels_->setValue(s.labels);
  alpha_->setValue(s.model.alpha);
  beta_->setValue(s.model.beta);
  warmup_->setValue(s.train.betaWarmupEpochs);
  learningRate_->setValue(s.train.learningRate);
  labelledBatch_->setValue(s.train.labelledBatch);
  unlabelledBatch_->setValue(s.train.unlabelledBatch);
  epochs_->setValue(s.train.epochs);
  seed_->setValue(int(s.train.seed));
  threads_->setValue(s.threads);
  trainSamples_->setValue(s.trainSamples);
  baseline_->setChecked(s.supervisedBaseline);
}

TrainingSettings SettingsPanel::settings() const {
  TrainingSettings s;
  s.model.flavour = flavourFromString(flavour_->currentText().toStdString());
  s.model.objective = objectiveFromString(objective_->currentText().toStdString());
  s.model.activation = activationFromString(activation_->currentText().toStdString());
  if (s.model.flavour != Flavour::Recurrent) s.model.hidden = sizes(hidden_, tr("hidden sizes"));
  if (s.model.flavour == Flavour::Conv) s.model.conv.channels = sizes(convChannels_, tr("conv channels"));
  s.model.conv.kernel = kernel_->value();
  s.model.recurrent.hidden = lstmHidden_->value();
  s.model.recurrent.layers = lstmLayers_->value();
  s.model.recurrent.pooling = sequencePoolingFromString(pooling_->currentText().toStdString());
  s.model.latent = latent_->value();
  s.labels = labels_->value();
  s.model.alpha = alpha_->value();
  s.model.beta = beta_->value();
  s.train.betaWarmupEpochs = warmup_->value();
  s.train.learningRate = learningRate_->value();
  s.train.labelledBatch = labelledBatch_->value();
  s.train.unlabelledBatch = unlabelledBatch_->value();
  s.train.epochs = epochs_->value();
  s.train.seed = uint64_t(seed_->value());
  s.threads = threads_->value();
  s.trainSamples = trainSamples_->value();
  s.supervisedBaseline = baseline_->isChecked();
  return s;
}
