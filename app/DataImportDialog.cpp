#include "app/DataImportDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "app/ModelFileCheck.h"
#include "engine/core/Error.h"
#include "widgets/FileDialogs.h"

using latentlab::DataFormat;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString describe(const latentlab::ArrayInfo& a) {
  QStringList dims;
  for (int64_t d : a.dims) dims << QString::number(d);
  return QStringLiteral("%1  (%2, %3)")
      .arg(q(a.name), dims.isEmpty() ? QStringLiteral("scalar") : dims.join(" x "), q(a.type));
}

// Selects the item whose data is value; false when there is none.
bool selectData(QComboBox* box, const QString& value) {
  const int i = box->findData(value);
  if (i < 0) return false;
  box->setCurrentIndex(i);
  return true;
}

}  // namespace

DataImportDialog::DataImportDialog(const DataImport& start, QWidget* parent) : QDialog(parent), start_(start) {
  setWindowTitle(tr("Open data file"));
  setObjectName("dataImportDialog");
  const QString path = start.path();
  auto* layout = new QVBoxLayout(this);
  auto* title =
      new QLabel(QStringLiteral("<b>%1</b><br>%2")
                     .arg(QFileInfo(path).fileName().toHtmlEscaped(), QDir::toNativeSeparators(path).toHtmlEscaped()));
  title->setWordWrap(true);
  layout->addWidget(title);

  std::vector<latentlab::ArrayInfo> list;
  bool known = false;
  try {
    format_ = latentlab::detectFormat(start.request.path);
    known = true;
    const ModelFileCheck check = format_ == DataFormat::Hdf5 ? checkDataFileInChild(path) : ModelFileCheck{};
    if (check.checked && !check.ok) throw latentlab::Error("DataImport", check.error.toStdString());
    if (format_ == DataFormat::Npz || format_ == DataFormat::Hdf5 || format_ == DataFormat::Npy)
      list = latentlab::listArrays(start.request.path);
  } catch (const std::exception& e) {
    problem_ = QString::fromStdString(e.what());
  }
  for (const auto& a : list) arrays_ << q(a.name);
  if (!problem_.isEmpty()) {
    auto* error = new QLabel(tr("<span style='color:#b00020'>%1</span><br>Open still tries, and says what is wrong.")
                                 .arg(problem_.toHtmlEscaped()));
    error->setObjectName("importProblem");
    error->setWordWrap(true);
    layout->addWidget(error);
  }
  if (known && (format_ == DataFormat::Npz || format_ == DataFormat::Hdf5 || format_ == DataFormat::Npy))
    layout->addWidget(arraysGroup(list, start.request));
  if (known && format_ == DataFormat::Csv) layout->addWidget(csvGroup(start.request));
  const bool folder = known && (format_ == DataFormat::Idx || format_ == DataFormat::MnistRows ||
                                format_ == DataFormat::UciHar || format_ == DataFormat::TsPair);
  layout->addWidget(commonGroup(start, !folder));

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

QWidget* DataImportDialog::arraysGroup(const std::vector<latentlab::ArrayInfo>& list, const latentlab::DataRequest& r) {
  auto* group = new QGroupBox(format_ == DataFormat::Npy ? tr("Array") : tr("Arrays"));
  auto* form = new QFormLayout(group);
  x_ = new QComboBox;
  y_ = new QComboBox;
  x_->setObjectName("xArray");
  y_->setObjectName("yArray");
  auto has = [this](const QString& name) { return arrays_.contains(name); };
  const bool keras = !has("x") && !has("X") && has("x_train") && has("x_test");
  if (keras) x_->addItem(tr("x_train, with x_test as the test split"), QString());
  for (const auto& a : list) x_->addItem(describe(a), q(a.name));
  y_->addItem(tr("none: unlabelled"), QStringLiteral("none"));
  if (keras && has("y_train")) y_->addItem(tr("y_train (and y_test)"), QString());
  if (format_ != DataFormat::Npy)
    for (const auto& a : list) y_->addItem(describe(a), q(a.name));

  QString x = q(r.x), y = q(r.y);
  if (x.isEmpty() && !keras) x = has("x") ? "x" : has("X") ? "X" : arrays_.value(0);
  if (y.isEmpty()) {
    y = "none";
    for (const char* name : {"y", "Y", "labels"})
      if (has(name)) {
        y = name;
        break;
      }
    if (keras && has("y_train")) y = QString();
  }
  selectArrays(x, y);
  x_->setToolTip(tr("The samples: n x D, n x H x W, n x C x H x W or n x T x C; float32, float64 or uint8"));
  y_->setToolTip(
      tr("The labels, integers, one per sample; or none: the data is unlabelled (you label it in the "
         "Labelling dock). The data's own labels are used for evaluation, and as the first labels."));
  form->addRow(tr("X (samples)"), x_);
  if (format_ != DataFormat::Npy) {
    form->addRow(tr("y (labels)"), y_);
  } else {  // an .npy holds X alone: its labels, if any, are a second .npy file
    y_->setParent(group);  // unused, but owned (LeakSanitizer found it leaked with each dialog)
    y_->hide();
    QWidget* row = nullptr;
    yFile_ = fileField(new QLineEdit(q(r.y == "none" ? std::string() : r.y)), tr("Labels: an .npy file of integers"),
                       tr("NumPy (*.npy);;All files (*)"), &row);
    yFile_->setObjectName("yFile");
    yFile_->setPlaceholderText(tr("optional: an .npy file of integer labels (none: unlabelled)"));
    form->addRow(tr("y (labels)"), row);
  }
  layout_ = new QComboBox;
  layout_->setObjectName("layout");
  layout_->addItem(tr("auto (images when A = B or uint8, else steps x channels)"), int(latentlab::SampleLayout::Auto));
  layout_->addItem(tr("vectors"), int(latentlab::SampleLayout::Vector));
  layout_->addItem(tr("images"), int(latentlab::SampleLayout::Image));
  layout_->addItem(tr("sequences (steps x channels)"), int(latentlab::SampleLayout::Sequence));
  layout_->setCurrentIndex(std::max(0, layout_->findData(int(r.layout))));
  form->addRow(tr("n x A x B arrays are"), layout_);
  return group;
}

QWidget* DataImportDialog::csvGroup(const latentlab::DataRequest& r) {
  auto* group = new QGroupBox(tr("CSV: one sample per line"));
  auto* form = new QFormLayout(group);
  labelColumn_ = new QComboBox;
  labelColumn_->setObjectName("labelColumn");
  labelColumn_->setEditable(true);
  labelColumn_->addItem(tr("auto"), QString());
  labelColumn_->addItem(tr("none: unlabelled"), QStringLiteral("none"));
  labelColumn_->addItem(tr("last"), QStringLiteral("last"));
  if (!selectData(labelColumn_, q(r.labelColumn))) labelColumn_->setEditText(q(r.labelColumn));
  labelColumn_->setToolTip(
      tr("auto: a column named label, labels, class, target or y, else the one non-numeric "
         "column, else none. Or type a 0-based column index or a header name."));
  header_ = new QComboBox;
  header_->setObjectName("header");
  header_->addItem(tr("auto (detected)"), int(latentlab::HeaderMode::Auto));
  header_->addItem(tr("yes: the first line names the columns"), int(latentlab::HeaderMode::Yes));
  header_->addItem(tr("no"), int(latentlab::HeaderMode::No));
  header_->setCurrentIndex(std::max(0, header_->findData(int(r.header))));
  form->addRow(tr("Label column"), labelColumn_);
  form->addRow(tr("Header line"), header_);
  return group;
}

QLineEdit* DataImportDialog::fileField(QLineEdit* edit, const QString& title, const QString& filter, QWidget** row) {
  auto* box = new QWidget;
  auto* h = new QHBoxLayout(box);
  h->setContentsMargins(0, 0, 0, 0);
  edit->setClearButtonEnabled(true);
  auto* browse = new QPushButton(tr("Browse..."));
  h->addWidget(edit, 1);
  h->addWidget(browse);
  connect(browse, &QPushButton::clicked, this, [this, edit, title, filter] {
    const QString file = QFileDialog::getOpenFileName(
        this, title, dialogStartPath(edit->text().isEmpty() ? QFileInfo(start_.path()).absolutePath() : edit->text()),
        filter);
    rememberDialogFolder(file);
    if (!file.isEmpty()) edit->setText(file);
  });
  *row = box;
  return edit;
}

QWidget* DataImportDialog::commonGroup(const DataImport& start, bool singleFile) {
  const latentlab::DataRequest& r = start.request;
  auto* group = new QGroupBox(tr("Classes and test split"));
  auto* form = new QFormLayout(group);
  QWidget* row = nullptr;
  classes_ = fileField(new QLineEdit(q(r.classesPath)), tr("Class names, one a line"),
                       tr("Text files (*.txt *.csv *.names);;All files (*)"), &row);
  classes_->setObjectName("classesFile");
  classes_->setPlaceholderText(tr("optional: class names, one a line"));
  form->addRow(tr("Classes file"), row);
  unlabelledClasses_ = new QSpinBox;
  unlabelledClasses_->setObjectName("unlabelledClasses");
  unlabelledClasses_->setRange(2, 1000);
  unlabelledClasses_->setValue(std::clamp(start.unlabelledClasses, 2, 1000));
  unlabelledClasses_->setToolTip(
      tr("Unlabelled data without a classes file names no classes: the model has this "
         "many (0..K-1), and the labels you give name them"));
  form->addRow(tr("Classes if unlabelled"), unlabelledClasses_);
  if (singleFile) {
    testFraction_ = new QDoubleSpinBox;
    testFraction_->setObjectName("testFraction");
    testFraction_->setRange(0, 0.9);
    testFraction_->setSingleStep(0.05);
    testFraction_->setDecimals(2);
    testFraction_->setValue(r.testFraction);
    testFraction_->setToolTip(
        tr("Held out of the file as the test split (per class when labelled), the same "
           "samples on every run"));
    form->addRow(tr("Test fraction"), testFraction_);
    testFile_ = fileField(new QLineEdit(q(r.testPath)), tr("Test split: a file of the same kind"),
                          tr("Data files (*.npy *.npz *.csv *.tsv *.txt *.ts *.h5 *.hdf5);;All files (*)"), &row);
    testFile_->setObjectName("testFile");
    testFile_->setPlaceholderText(tr("optional: replaces the held-out fraction"));
    connect(testFile_, &QLineEdit::textChanged, testFraction_,
            [this](const QString& t) { testFraction_->setEnabled(t.trimmed().isEmpty()); });
    testFraction_->setEnabled(testFile_->text().trimmed().isEmpty());
    form->addRow(tr("Test file"), row);
  }
  return group;
}

bool DataImportDialog::selectArrays(const QString& x, const QString& y) {
  if (!x_ || !y_) return false;
  const bool ok = selectData(x_, x);
  return selectData(y_, y) && ok;
}

DataImport DataImportDialog::dataImport() const {
  DataImport d = start_;
  latentlab::DataRequest& r = d.request;
  if (x_) {
    // An .npy file is X itself (the engine takes no array name for it) and y, if any, another .npy file.
    r.x = format_ == DataFormat::Npy ? std::string() : x_->currentData().toString().toStdString();
    r.y = format_ == DataFormat::Npy ? yFile_->text().trimmed().toStdString()
                                     : y_->currentData().toString().toStdString();
    r.layout = latentlab::SampleLayout(layout_->currentData().toInt());
  }
  if (labelColumn_) {
    const int i = labelColumn_->findText(labelColumn_->currentText());
    r.labelColumn =
        (i >= 0 ? labelColumn_->itemData(i).toString() : labelColumn_->currentText().trimmed()).toStdString();
    r.header = latentlab::HeaderMode(header_->currentData().toInt());
  }
  r.classesPath = classes_->text().trimmed().toStdString();
  d.unlabelledClasses = unlabelledClasses_->value();
  if (testFile_) {
    r.testPath = testFile_->text().trimmed().toStdString();
    r.testFraction = testFraction_->value();
  }
  return d;
}
