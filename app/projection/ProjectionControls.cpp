#include "app/projection/ProjectionControls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <algorithm>

using latentlab::ProjectionInput;
using latentlab::ProjectionMethod;

ProjectionControls::ProjectionControls(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  set_ = new QComboBox;
  set_->addItems({tr("Test set"), tr("Training set"), tr("Labelled set"), tr("Selection")});
  set_->setToolTip(tr("Which samples to encode and project. Selection: the points selected now"));
  form->addRow(tr("Samples"), set_);
  cap_ = new QSpinBox;
  cap_->setRange(10, 70000);
  cap_->setSingleStep(1000);
  cap_->setValue(5000);
  cap_->setToolTip(tr("At most this many samples, drawn at random (the same ones every time)"));
  form->addRow(tr("At most"), cap_);
  input_ = new QComboBox;
  input_->addItems(
      {tr("Latent means μ"), tr("Classifier q(y|x)"), tr("Classifier log-ratios"), tr("Latent plane (2-D latent)")});
  input_->setToolTip(
      tr("What to project. The latent means hold style (the class is in q(y|x)). Log-ratios: "
         "log q(y|x) less its mean over the classes, where confident samples spread out instead "
         "of piling up at a corner. The latent plane plots a 2-D latent space as it is"));
  form->addRow(tr("Input"), input_);
  method_ = new QComboBox;
  method_->addItems({tr("PCA"), tr("t-SNE")});
  form->addRow(tr("Method"), method_);
  perplexity_ = new QDoubleSpinBox;
  perplexity_->setRange(2, 100);
  perplexity_->setValue(30);
  perplexity_->setToolTip(tr("t-SNE: the effective number of neighbours each point keeps close"));
  form->addRow(tr("Perplexity"), perplexity_);
  iterations_ = new QSpinBox;
  iterations_->setRange(10, 5000);
  iterations_->setSingleStep(100);
  iterations_->setValue(1000);
  form->addRow(tr("Iterations"), iterations_);
  plane_ = new QCheckBox(tr("Decoded background as"));
  plane_->setToolTip(tr("Latent plane: decode a grid of the visible plane as this class, behind the points"));
  plane_->setChecked(true);
  planeClass_ = new QComboBox;
  auto* planeRow = new QHBoxLayout;
  planeRow->addWidget(plane_);
  planeRow->addWidget(planeClass_, 1);
  form->addRow(planeRow);
  compute_ = new QPushButton(tr("Compute"));
  cancel_ = new QPushButton(tr("Cancel"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(compute_);
  buttons->addWidget(cancel_);
  form->addRow(buttons);
  progress_ = new QProgressBar;
  progress_->setRange(0, 100);
  progress_->setValue(0);
  form->addRow(progress_);
  status_ = new QLabel(tr("Press Compute once a model is trained or opened."));
  status_->setWordWrap(true);
  form->addRow(status_);
  refresh_ = new QCheckBox(tr("Refresh each epoch"));
  refresh_->setToolTip(tr("Compute again with every new model while training runs"));
  form->addRow(refresh_);
  colour_ = new QComboBox;
  colour_->addItems({tr("True class"), tr("Predicted class"), tr("Labelled / unlabelled"), tr("Confidence"),
                     tr("Anomaly score")});
  colour_->setItemData(4, tr("The Anomaly view's score once computed there (its samples); else −ELBO"), Qt::ToolTipRole);
  form->addRow(tr("Colour by"), colour_);
  mode_ = new QComboBox;
  mode_->addItems({tr("Pan and click"), tr("Rectangle select"), tr("Lasso select")});
  mode_->setToolTip(
      tr("Left drag pans or selects (Shift adds to the selection); the wheel zooms; "
         "double-click fits"));
  form->addRow(tr("Mouse"), mode_);
  selectionText_ = new QLabel(tr("Nothing selected."));
  form->addRow(selectionText_);
  labelAs_ = new QToolButton;
  labelAs_->setText(tr("Label selection as…"));
  labelAs_->setToolTip(tr("Label the selected training samples (one undo step; test samples are skipped)"));
  labelAs_->setPopupMode(QToolButton::InstantPopup);
  labelAs_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  labelAs_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  auto* menu = new QMenu(labelAs_);
  labelAs_->setMenu(menu);
  connect(menu, &QMenu::aboutToShow, this, [this, menu] {
    menu->clear();
    for (int k = 0; k < classNames_.size(); ++k)
      menu->addAction(classNames_[k], this, [this, k] { emit labelSelectionAs(k); });
  });
  gallery_ = new QPushButton(tr("Gallery"));
  gallery_->setToolTip(tr("Open the selected samples as a gallery"));
  auto* selectionRow = new QHBoxLayout;
  selectionRow->addWidget(labelAs_, 1);
  selectionRow->addWidget(gallery_);
  form->addRow(selectionRow);
  exportPng_ = new QPushButton(tr("Export image…"));
  exportCsv_ = new QPushButton(tr("Export CSV…"));
  exportProjector_ = new QPushButton(tr("Export for Embedding Projector…"));
  exportProjector_->setToolTip(tr("The projected vectors of these samples (latent means, or q(y|x) and its log-ratios) "
                                  "with their labels, predictions and thumbnails, in TensorBoard's Embedding "
                                  "Projector format and as .npz"));
  auto* exports = new QHBoxLayout;
  exports->addWidget(exportPng_);
  exports->addWidget(exportCsv_);
  form->addRow(exports);
  form->addRow(exportProjector_);

  connect(compute_, &QPushButton::clicked, this, &ProjectionControls::computeClicked);
  connect(cancel_, &QPushButton::clicked, this, &ProjectionControls::cancelClicked);
  connect(method_, &QComboBox::currentIndexChanged, this, &ProjectionControls::refreshEnabled);
  connect(input_, &QComboBox::currentIndexChanged, this, &ProjectionControls::refreshEnabled);
  connect(plane_, &QCheckBox::toggled, this, [this] {
    refreshEnabled();
    emit planeChanged();
  });
  connect(planeClass_, &QComboBox::currentIndexChanged, this, &ProjectionControls::planeChanged);
  connect(colour_, &QComboBox::currentIndexChanged, this, &ProjectionControls::colourChanged);
  connect(mode_, &QComboBox::currentIndexChanged, this, [this](int i) {
    emit mouseModeChanged(i == 1   ? ProjectionPlot::SelectionMode::Rectangle
                          : i == 2 ? ProjectionPlot::SelectionMode::Lasso
                                   : ProjectionPlot::SelectionMode::None);
  });
  connect(gallery_, &QPushButton::clicked, this, &ProjectionControls::galleryClicked);
  connect(exportPng_, &QPushButton::clicked, this, &ProjectionControls::exportImageClicked);
  connect(exportCsv_, &QPushButton::clicked, this, &ProjectionControls::exportCsvClicked);
  connect(exportProjector_, &QPushButton::clicked, this, &ProjectionControls::exportProjectorClicked);
}

ProjectionControls::Set ProjectionControls::set() const { return Set(set_->currentIndex()); }
int ProjectionControls::sampleCap() const { return cap_->value(); }
ProjectionInput ProjectionControls::input() const { return ProjectionInput(input_->currentIndex()); }
ProjectionMethod ProjectionControls::method() const { return ProjectionMethod(method_->currentIndex()); }
bool ProjectionControls::tsne() const {
  return method() == ProjectionMethod::Tsne && input() != ProjectionInput::LatentPlane;
}
double ProjectionControls::perplexity() const { return perplexity_->value(); }
int ProjectionControls::iterations() const { return iterations_->value(); }
bool ProjectionControls::refreshEachEpoch() const { return refresh_->isChecked(); }
ProjectionControls::ColourBy ProjectionControls::colourBy() const { return ColourBy(colour_->currentIndex()); }
bool ProjectionControls::planeBackground() const { return plane_->isChecked(); }
int ProjectionControls::planeClass() const { return planeClass_->currentIndex(); }

void ProjectionControls::setSet(Set s) { set_->setCurrentIndex(int(s)); }
void ProjectionControls::setInput(ProjectionInput i) { input_->setCurrentIndex(int(i)); }
void ProjectionControls::setMethod(ProjectionMethod m) { method_->setCurrentIndex(int(m)); }
void ProjectionControls::setColourBy(ColourBy c) { colour_->setCurrentIndex(int(c)); }
void ProjectionControls::setSampleCap(int cap) { cap_->setValue(cap); }
void ProjectionControls::setTsneParameters(double perplexity, int iterations) {
  perplexity_->setValue(perplexity);
  iterations_->setValue(iterations);
}
void ProjectionControls::setRefreshEachEpoch(bool on) { refresh_->setChecked(on); }
void ProjectionControls::setPlaneBackground(bool on, int cls) {
  const QSignalBlocker blockPlane(plane_), blockClass(planeClass_);
  plane_->setChecked(on);
  planeClass_->setCurrentIndex(cls);
  refreshEnabled();
  emit planeChanged();
}

void ProjectionControls::setClassNames(const QStringList& names) {
  classNames_ = names;
  if (planeClass_->count() == names.size() && (planeClass_->count() == 0 || planeClass_->itemText(0) == names.value(0)))
    return;
  const int keep = planeClass_->currentIndex();
  const QSignalBlocker block(planeClass_);
  planeClass_->clear();
  planeClass_->addItems(names);
  planeClass_->setCurrentIndex(std::clamp(keep, 0, std::max(0, int(names.size()) - 1)));
}

void ProjectionControls::updateFor(bool hasModel, bool latent2, bool canCompute, bool running) {
  hasModel_ = hasModel;
  latent2_ = latent2;
  if (auto* m = qobject_cast<QStandardItemModel*>(input_->model()))
    if (QStandardItem* item = m->item(int(ProjectionInput::LatentPlane))) item->setEnabled(latent2 || !hasModel);
  refreshEnabled();
  compute_->setEnabled(canCompute);
  cancel_->setEnabled(running);
}

void ProjectionControls::refreshEnabled() {
  if (input() == ProjectionInput::LatentPlane && !latent2_ && hasModel_)  // no plane for this model's latent
    input_->setCurrentIndex(int(ProjectionInput::LatentMeans));
  const bool plane = input() == ProjectionInput::LatentPlane;
  method_->setEnabled(!plane);
  perplexity_->setEnabled(tsne());
  iterations_->setEnabled(tsne());
  plane_->setEnabled(plane);
  planeClass_->setEnabled(plane && plane_->isChecked());
}

void ProjectionControls::showSelection(int selected, int training, bool hasPoints) {
  selectionText_->setText(selected == 0 ? tr("Nothing selected.")
                          : training == selected
                              ? tr("%n selected.", nullptr, selected)
                              : tr("%1 selected, %2 of them training samples.").arg(selected).arg(training));
  labelAs_->setEnabled(training > 0);
  gallery_->setEnabled(selected > 0);
  exportPng_->setEnabled(hasPoints);
  exportCsv_->setEnabled(hasPoints);
  exportProjector_->setEnabled(hasPoints);
}

void ProjectionControls::setProgress(int percent) { progress_->setValue(percent); }
void ProjectionControls::setStatus(const QString& text) {
  if (text.isEmpty()) status_->clear();  // no line at all (an empty text would still take one)
  else status_->setText(text);
}
QString ProjectionControls::status() const { return status_->text(); }

void ProjectionControls::saveSettings(QSettings& s) const {
  s.beginGroup("projection");
  s.setValue("set", set_->currentIndex());
  s.setValue("cap", cap_->value());
  s.setValue("input", input_->currentIndex());
  s.setValue("method", method_->currentIndex());
  s.setValue("perplexity", perplexity_->value());
  s.setValue("iterations", iterations_->value());
  s.setValue("refresh", refresh_->isChecked());
  s.setValue("colour", colour_->currentIndex());
  s.setValue("planeBackground", plane_->isChecked());
  s.endGroup();
}

void ProjectionControls::restoreSettings(const QSettings& s) {
  auto value = [&](const char* key, const QVariant& fallback) {
    return s.value(QString("projection/") + key, fallback);
  };
  set_->setCurrentIndex(std::clamp(value("set", 0).toInt(), 0, set_->count() - 1));
  cap_->setValue(value("cap", 5000).toInt());
  input_->setCurrentIndex(std::clamp(value("input", 0).toInt(), 0, input_->count() - 1));
  method_->setCurrentIndex(std::clamp(value("method", 0).toInt(), 0, method_->count() - 1));
  perplexity_->setValue(value("perplexity", 30.0).toDouble());
  iterations_->setValue(value("iterations", 1000).toInt());
  refresh_->setChecked(value("refresh", false).toBool());
  colour_->setCurrentIndex(std::clamp(value("colour", 0).toInt(), 0, colour_->count() - 1));
  plane_->setChecked(value("planeBackground", true).toBool());
}
