#include "app/SettingsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSet>
#include <QSpinBox>
#include <QStyle>
#include <QThread>

#include <climits>
#include <cmath>

#include "engine/core/Error.h"

using namespace latentlab;

namespace {

// Whole numbers: the box takes 0 (or lo when lo < 0) up to `typeable`, more than the valid range, so that a
// mistake (0 epochs, a latent of 5000) stays visible and is explained rather than silently put back.
QSpinBox* spin(const char* name, int typeable, const QString& tip) {
  auto* s = new QSpinBox;
  s->setObjectName(name);
  s->setRange(0, typeable);
  s->setToolTip(tip);
  s->setAccelerated(true);
  return s;
}
QDoubleSpinBox* dspin(const char* name, double typeable, int decimals, double step, const QString& tip) {
  auto* s = new QDoubleSpinBox;
  s->setObjectName(name);
  s->setRange(0, typeable);
  s->setDecimals(decimals);
  s->setSingleStep(step);
  s->setToolTip(tip);
  return s;
}
QString range(double lo, double hi) { return QObject::tr("%1 to %2").arg(lo, 0, 'g', 8).arg(hi, 0, 'g', 8); }

// The learning rate as typed: "1e-3", "0.001" (or the user's locale's decimal comma).
bool parseNumber(const QString& text, double* value) {
  bool ok = false;
  *value = QLocale::c().toDouble(text.trimmed(), &ok);
  if (!ok) *value = QLocale().toDouble(text.trimmed(), &ok);
  return ok;
}

void markInvalid(QWidget* w, bool invalid) {
  if (w->property("invalid").toBool() == invalid) return;
  w->setProperty("invalid", invalid);
  w->style()->unpolish(w);
  w->style()->polish(w);
}

}  // namespace

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
  setStyleSheet("QAbstractSpinBox[invalid=\"true\"], QLineEdit[invalid=\"true\"], QComboBox[invalid=\"true\"] "
                "{ background: #ffd8d8; }");
  auto* form = form_ = new QFormLayout(this);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  form->setContentsMargins(6, 6, 6, 6);
  problems_ = new QLabel;
  problems_->setObjectName("settingsProblems");
  problems_->setWordWrap(true);
  problems_->setStyleSheet("color: #b00020;");
  problems_->hide();

  flavour_ = new QComboBox;
  flavour_->setObjectName("flavour");
  flavour_->addItems({"dense", "conv", "recurrent"});
  flavour_->setToolTip(tr("Trunk and decoder: dense (a perceptron, any data), conv (convolutions, images) or "
                          "recurrent (LSTMs over time steps, sequences)"));
  convChannels_ = new QLineEdit;
  convChannels_->setObjectName("convChannels");
  convChannels_->setToolTip(tr("Channels of each stride-2 convolution, comma-separated; each halves the image.\n"
                               "Valid: 1 to %1 convolutions of 1 to %2 channels.")
                                .arg(kMaxConvs)
                                .arg(kMaxConvChannels));
  kernel_ = spin("convKernel", 64,
                 tr("Convolution kernel size, even so that the transposed convolutions mirror it.\nValid: 2, 4, ... 16."));
  kernel_->setSingleStep(2);
  lstmHidden_ = spin("lstmUnits", 100000, tr("LSTM units in the trunk and the decoder.\nValid: %1.").arg(range(1, kMaxUnits)));
  lstmLayers_ = spin("lstmLayers", 100, tr("Stacked LSTMs in the trunk and the decoder.\nValid: %1.").arg(range(1, kMaxLayers)));
  pooling_ = new QComboBox;
  pooling_->setObjectName("lstmPooling");
  pooling_->addItems({"last", "mean"});
  pooling_->setToolTip(tr("What the trunk hands to the heads: the last hidden state or the mean over the steps"));
  objective_ = new QComboBox;
  objective_->setObjectName("objective");
  objective_->addItems({"marginal", "single"});
  objective_->setToolTip(tr("marginal: Kingma's M2, decodes every class for unlabelled points; "
                            "single: one decode with the classifier's output"));
  activation_ = new QComboBox;
  activation_->setObjectName("activation");
  activation_->addItems({"relu", "softplus", "tanh", "sigmoid"});
  activation_->setToolTip(tr("The activation between the trunk's layers"));
  hidden_ = new QLineEdit;
  hidden_->setObjectName("hidden");
  hidden_->setToolTip(tr("Dense layer sizes of the trunk, comma-separated; the decoder mirrors them (conv: the "
                         "dense layers after the convolutions).\nValid: 1 to %1 layers of 1 to %2 units.")
                          .arg(kMaxLayers)
                          .arg(kMaxUnits));
  latent_ = spin("latent", 1000000, tr("Size of the style latent z.\nValid: %1.").arg(range(1, kMaxLatent)));
  labels_ = spin("labels", 100000000,
                 tr("The balanced initial labelled subset of a new label session, drawn with the seed: the same "
                    "number of labels from every class (at least one per class, at most what the smallest class "
                    "has). \"all\" (0) gives every sample its data set label: the fully supervised end.\n"
                    "Once the data set has a label session (Labelling dock), runs use its labels instead.\n"
                    "Valid: all (0), or one per class up to what the smallest class has among the training "
                    "samples (the line under the field says, for the open data set)."));
  labels_->setSpecialValueText(tr("all"));
  alpha_ = dspin("alpha", 1e9, 1, 100,
                 tr("Weight of the label cross-entropy (Kingma et al.: 0.1 x training samples).\nValid: %1.")
                     .arg(range(0, kMaxAlpha)));
  beta_ = dspin("beta", 1e6, 3, 0.1, tr("Weight of the KL term.\nValid: %1.").arg(range(0, kMaxBeta)));
  warmup_ = dspin("betaWarmup", 1e6, 1, 1,
                  tr("Epochs over which beta rises from 0; 0 turns warm-up off.\nValid: %1 epochs.").arg(range(0, kMaxWarmup)));
  warmup_->setSuffix(tr(" epochs"));
  warmup_->setSpecialValueText(tr("off"));
  learningRate_ = new QLineEdit;
  learningRate_->setObjectName("learningRate");
  learningRate_->setToolTip(tr("Adam learning rate, as a number or in scientific notation (1e-3 = 0.001).\n"
                               "Valid: more than 0, at most 1; 1e-4 to 3e-3 are the usual values."));
  learningRate_->setPlaceholderText("1e-3");
  labelledBatch_ = spin("labelledBatch", 10000000,
                        tr("Labelled samples per step, drawn with replacement.\nValid: %1.").arg(range(1, kMaxBatch)));
  unlabelledBatch_ = spin("unlabelledBatch", 10000000,
                          tr("Unlabelled samples per step: the points the model learns the data from.\nValid: %1.")
                              .arg(range(1, kMaxBatch)));
  epochs_ = spin("epochs", 10000000, tr("Passes over the training set (the total, when continuing).\nValid: %1.")
                                         .arg(range(1, kMaxEpochs)));
  seed_ = spin("seed", INT_MAX, tr("Seeds the labelled subset, the weights, the batches and the noise.\nValid: %1.")
                                    .arg(range(0, INT_MAX)));
  const int cores = std::max(1, QThread::idealThreadCount());
  threads_ = spin("threads", 4096, tr("Threads for the matrix products.\nValid: %1 (this machine's cores).").arg(range(1, cores)));
  trainSamples_ = spin("trainSamples", INT_MAX,
                       tr("Train on the first N training samples only, for quick looks; \"all\" (0) uses every "
                          "one.\nValid: all, or 1 to the data set's size."));
  trainSamples_->setSpecialValueText(tr("all"));
  validation_ = spin("validation", 100,
                     tr("Keep this share of each class's labels aside: the run never trains on them and measures "
                        "its accuracy on them after every epoch, so that an epoch can be chosen without test "
                        "labels (a class keeps at least one label for training). With 100 labels, 20% keeps 2 "
                        "of each class aside.\nValid: off (0) to 50%."));
  validation_->setSuffix(tr(" % of labels"));
  validation_->setSpecialValueText(tr("off"));
  heldOut_ = spin("heldOut", INT_MAX,
                  tr("Keep this many unlabelled training points out of training and measure their mean -ELBO and "
                     "how many predictions held since the last epoch.\nValid: off (0) to %1, and at most half "
                     "the training set.")
                      .arg(kMaxHeldOut));
  heldOut_->setSpecialValueText(tr("off"));
  select_ = new QComboBox;
  select_->setObjectName("select");
  select_->addItem(tr("the last"), "last");
  select_->addItem(tr("best validation accuracy"), "val-accuracy");
  select_->addItem(tr("lowest held-out -ELBO"), "val-elbo");
  select_->setToolTip(tr("Which epoch's weights the run keeps when it ends (the dashboard marks it): the last, "
                         "the one with the best accuracy on the validation labels (needs Validation), or the one "
                         "with the lowest -ELBO of the held-out points (needs Held out)"));
  patience_ = spin("patience", 100000000,
                   tr("Stop after this many epochs without a better figure for the kept epoch; off (0) trains "
                      "every epoch.\nValid: %1.")
                       .arg(range(0, kMaxEpochs)));
  patience_->setSuffix(tr(" epochs"));
  patience_->setSpecialValueText(tr("off"));
  baseline_ = new QCheckBox(tr("also train the supervised baseline"));
  baseline_->setObjectName("baseline");
  baseline_->setToolTip(tr("The equivalent supervised classifier (trunk + pi) on the labels alone, for comparison"));
  labelsNote_ = new QLabel;
  labelsNote_->setObjectName("labelsNote");
  labelsNote_->setWordWrap(true);
  labelsNote_->setForegroundRole(QPalette::PlaceholderText);

  form->addRow(problems_);
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
  form->addRow(labelsNote_);
  for (QLabel* l : {labelsNote_, problems_}) l->installEventFilter(this);
  form->addRow(tr("Alpha"), alpha_);
  form->addRow(tr("Beta"), beta_);
  form->addRow(tr("Beta warm-up"), warmup_);
  form->addRow(tr("Learning rate"), learningRate_);
  form->addRow(tr("Labelled batch"), labelledBatch_);
  form->addRow(tr("Unlabelled batch"), unlabelledBatch_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Validation"), validation_);
  form->addRow(tr("Held out"), heldOut_);
  form->addRow(tr("Keep epoch"), select_);
  form->addRow(tr("Patience"), patience_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Threads"), threads_);
  form->addRow(tr("Training samples"), trainSamples_);
  form->addRow(baseline_);
  // Narrow docks: a field is never squeezed below a readable width (the scroll area scrolls instead).
  for (QWidget* w : findChildren<QWidget*>())
    if (w != problems_ && w != labelsNote_ && w != baseline_ && !qobject_cast<QLabel*>(w) && w->parent() == this)
      w->setMinimumWidth(fontMetrics().horizontalAdvance("0000000000") + 24);

  connect(flavour_, &QComboBox::currentTextChanged, this, &SettingsPanel::showFlavourFields);
  auto changedNow = [this] {
    showProblems();
    emit changed();
  };
  for (QComboBox* c : findChildren<QComboBox*>()) connect(c, &QComboBox::currentIndexChanged, this, changedNow);
  for (QLineEdit* e : {hidden_, convChannels_, learningRate_}) connect(e, &QLineEdit::textChanged, this, changedNow);
  for (QSpinBox* s : findChildren<QSpinBox*>()) connect(s, &QSpinBox::valueChanged, this, changedNow);
  for (QDoubleSpinBox* s : findChildren<QDoubleSpinBox*>()) connect(s, &QDoubleSpinBox::valueChanged, this, changedNow);
  connect(baseline_, &QCheckBox::toggled, this, changedNow);
  // Keeping labels aside turns on the measured defaults (engine/train/Validation.h) unless the user chose others.
  connect(validation_, &QSpinBox::valueChanged, this, [this](int percent) {
    if (applying_ || percent == 0 || validationWas_ != 0) {
      validationWas_ = percent;
      return;
    }
    validationWas_ = percent;
    if (select_->currentData().toString() == "last") {
      select_->setCurrentIndex(select_->findData("val-accuracy"));
      if (patience_->value() == 0) patience_->setValue(kDefaultPatience);
    }
  });
  setSettings(TrainingSettings{});
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
  showProblems();
}

// Reads a comma-separated list of sizes; a problem with it goes to `problems` (the list keeps what it could read).
std::vector<int> SettingsPanel::sizes(const QLineEdit* field, const QString& what, int maxCount, int maxValue,
                                      QStringList* problems) const {
  std::vector<int> out;
  bool bad = false;
  for (const QString& part : field->text().split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const int v = part.trimmed().toInt(&ok);
    if (!ok || v < 1 || v > maxValue)
      bad = true;
    else
      out.push_back(v);
  }
  if (problems && (bad || out.empty() || int(out.size()) > maxCount))
    *problems << tr("%1 must be 1 to %2 whole numbers of 1 to %3, separated by commas (it reads \"%4\")")
                     .arg(what)
                     .arg(maxCount)
                     .arg(maxValue)
                     .arg(field->text());
  return out;
}

void SettingsPanel::setSettings(const TrainingSettings& s) {
  applying_ = true;
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
  learningRate_->setText(QString::number(s.train.learningRate, 'g', 6));
  labelledBatch_->setValue(s.train.labelledBatch);
  unlabelledBatch_->setValue(s.train.unlabelledBatch);
  epochs_->setValue(s.train.epochs);
  seed_->setValue(int(std::min<uint64_t>(s.train.seed, INT_MAX)));
  validation_->setValue(int(std::lround(100 * s.train.validation.labelFraction)));
  heldOut_->setValue(s.train.validation.heldOut);
  select_->setCurrentIndex(std::max(0, select_->findData(QString::fromStdString(toString(s.train.validation.select)))));
  patience_->setValue(s.train.validation.patience);
  validationWas_ = validation_->value();
  applying_ = false;
  threads_->setValue(s.threads);
  trainSamples_->setValue(s.trainSamples);
  baseline_->setChecked(s.supervisedBaseline);
  showProblems();
}

TrainingSettings SettingsPanel::values() const {
  TrainingSettings s;
  s.model.flavour = flavourFromString(flavour_->currentText().toStdString());
  s.model.objective = objectiveFromString(objective_->currentText().toStdString());
  s.model.activation = activationFromString(activation_->currentText().toStdString());
  if (s.model.flavour != Flavour::Recurrent) {
    std::vector<int> h = sizes(hidden_, {}, kMaxLayers, kMaxUnits, nullptr);
    if (!h.empty()) s.model.hidden = h;
  }
  std::vector<int> c = sizes(convChannels_, {}, kMaxConvs, kMaxConvChannels, nullptr);
  if (!c.empty()) s.model.conv.channels = c;
  s.model.conv.kernel = kernel_->value();
  s.model.recurrent.hidden = lstmHidden_->value();
  s.model.recurrent.layers = lstmLayers_->value();
  s.model.recurrent.pooling = sequencePoolingFromString(pooling_->currentText().toStdString());
  s.model.latent = latent_->value();
  s.labels = labels_->value();
  s.model.alpha = alpha_->value();
  s.model.beta = beta_->value();
  s.train.betaWarmupEpochs = warmup_->value();
  double lr = 0;
  if (parseNumber(learningRate_->text(), &lr)) s.train.learningRate = lr;
  s.train.labelledBatch = labelledBatch_->value();
  s.train.unlabelledBatch = unlabelledBatch_->value();
  s.train.epochs = epochs_->value();
  s.train.seed = uint64_t(seed_->value());
  s.train.validation.labelFraction = validation_->value() / 100.0;
  s.train.validation.heldOut = heldOut_->value();
  s.train.validation.select = selectionFromString(select_->currentData().toString().toStdString());
  s.train.validation.patience = patience_->value();
  s.threads = threads_->value();
  s.trainSamples = trainSamples_->value();
  s.supervisedBaseline = baseline_->isChecked();
  return s;
}

// Every invalid field with what is wrong with it; the hidden flavours' fields are not checked.
std::vector<std::pair<QWidget*, QString>> SettingsPanel::findProblems() const {
  std::vector<std::pair<QWidget*, QString>> out;
  const Flavour f = flavourFromString(flavour_->currentText().toStdString());
  auto whole = [&](QSpinBox* box, const QString& name, int lo, int hi) {
    if (box->value() < lo || box->value() > hi)
      out.emplace_back(box, tr("%1 must be %2 (it reads %3)").arg(name, range(lo, hi)).arg(box->value()));
  };
  auto real = [&](QDoubleSpinBox* box, const QString& name, double lo, double hi) {
    if (!(box->value() >= lo && box->value() <= hi))
      out.emplace_back(box, tr("%1 must be %2 (it reads %3)").arg(name, range(lo, hi)).arg(box->value()));
  };
  auto list = [&](QLineEdit* field, const QString& name, int maxCount, int maxValue) {
    QStringList p;
    sizes(field, name, maxCount, maxValue, &p);
    for (const QString& m : p) out.emplace_back(field, m);
  };
  if (f != Flavour::Recurrent) list(hidden_, tr("Hidden sizes"), kMaxLayers, kMaxUnits);
  if (f == Flavour::Conv) {
    list(convChannels_, tr("Conv channels"), kMaxConvs, kMaxConvChannels);
    const int k = kernel_->value();
    if (k < 2 || k > 16 || k % 2 != 0) out.emplace_back(kernel_, tr("Conv kernel must be even, 2 to 16 (it reads %1)").arg(k));
  }
  if (f == Flavour::Recurrent) {
    whole(lstmHidden_, tr("LSTM units"), 1, kMaxUnits);
    whole(lstmLayers_, tr("LSTM layers"), 1, kMaxLayers);
  }
  whole(latent_, tr("Latent size"), 1, kMaxLatent);
  real(alpha_, tr("Alpha"), 0, kMaxAlpha);
  real(beta_, tr("Beta"), 0, kMaxBeta);
  real(warmup_, tr("Beta warm-up"), 0, kMaxWarmup);
  double lr = 0;
  if (!(parseNumber(learningRate_->text(), &lr) && std::isfinite(lr) && lr > 0 && lr <= 1))
    out.emplace_back(learningRate_, tr("Learning rate must be a number more than 0 and at most 1, such as 1e-3 (it "
                                       "reads \"%1\")")
                                        .arg(learningRate_->text()));
  whole(labelledBatch_, tr("Labelled batch"), 1, kMaxBatch);
  whole(unlabelledBatch_, tr("Unlabelled batch"), 1, kMaxBatch);
  whole(epochs_, tr("Epochs"), 1, kMaxEpochs);
  whole(threads_, tr("Threads"), 1, std::max(1, QThread::idealThreadCount()));
  whole(validation_, tr("Validation"), 0, 50);
  whole(heldOut_, tr("Held out"), 0, kMaxHeldOut);
  whole(patience_, tr("Patience"), 0, kMaxEpochs);
  const QString select = select_->currentData().toString();
  if (select == "val-accuracy" && validation_->value() == 0)
    out.emplace_back(select_, tr("Keep epoch \"best validation accuracy\" needs labels kept aside: set Validation"));
  if (select == "val-elbo" && heldOut_->value() == 0)
    out.emplace_back(select_, tr("Keep epoch \"lowest held-out -ELBO\" needs held-out points: set Held out"));
  return out;
}

QStringList SettingsPanel::problems() const {
  QStringList out;
  for (const auto& p : findProblems()) out << p.second;
  return out;
}

// The invalid fields turn red and the line at the top lists them.
void SettingsPanel::showProblems() {
  const auto found = findProblems();
  QStringList text;
  QSet<QWidget*> invalid;
  for (const auto& [field, message] : found) {
    text << message;
    invalid.insert(field);
  }
  for (QWidget* w : {static_cast<QWidget*>(hidden_), static_cast<QWidget*>(convChannels_),
                     static_cast<QWidget*>(learningRate_), static_cast<QWidget*>(select_)})
    markInvalid(w, invalid.contains(w));
  for (QAbstractSpinBox* w : findChildren<QAbstractSpinBox*>()) markInvalid(w, invalid.contains(w));
  problems_->setText(text.join("\n"));
  problems_->setMinimumHeight(text.isEmpty() ? 0 : problems_->heightForWidth(problems_->width()));
  problems_->setVisible(!text.isEmpty());
}

TrainingSettings SettingsPanel::settings() const {
  const QStringList p = problems();
  if (!p.isEmpty()) throw Error("Settings", p.join("; ").toStdString());
  return values();
}

// A wrapped label in a form inside a scroll area gets one line's height (QScrollArea ignores height-for-width):
// once the label knows its width, it asks for the height its text needs.
bool SettingsPanel::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Resize)
    if (auto* l = qobject_cast<QLabel*>(watched); l && l->wordWrap()) {
      const int h = l->text().isEmpty() ? 0 : l->heightForWidth(l->width());
      if (h != l->minimumHeight()) l->setMinimumHeight(h);
    }
  return QWidget::eventFilter(watched, event);
}

void SettingsPanel::setLabelsNote(const QString& text, bool error, bool fieldApplies) {
  labelsNote_->setText(text);
  labelsNote_->setStyleSheet(error ? "color: #b00020;" : QString());
  labelsNote_->setMinimumHeight(text.isEmpty() ? 0 : labelsNote_->heightForWidth(labelsNote_->width()));
  labels_->setEnabled(fieldApplies);
}

QString SettingsPanel::labelsNote() const { return labelsNote_->text(); }
