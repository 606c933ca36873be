#include "app/DataPanel.h"

#include "app/DataImportDialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "widgets/FileDialogs.h"

DataPanel::DataPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  info_ = new QLabel(tr("No data set open"));
  info_->setWordWrap(true);
  info_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* mnist = new QPushButton(tr("Bundled MNIST"));
  fashion_ = new QPushButton(tr("Fashion-MNIST"));
  auto* other = new QPushButton(tr("Open IDX folder..."));
  auto* file = new QPushButton(tr("Open data file..."));
  file->setObjectName("openDataFile");
  file->setToolTip(tr("Your own data: NumPy .npy or .npz, CSV or TSV, .ts, HDF5 (.h5, .hdf5); labelled or not. A "
                      "dialog asks which arrays or columns hold the samples and the labels."));
  fashion_->setEnabled(!fashionMnist().isEmpty());
  fashion_->setToolTip(fashionMnist().isEmpty()
                           ? tr("Not installed: Debian's dataset-fashion-mnist package (scripts/setup.sh installs "
                                "it) puts it in /usr/share/datasets/fashion-mnist, which enables this button")
                           : fashionMnist());
  layout->addWidget(info_);
  layout->addWidget(mnist);
  layout->addWidget(fashion_);
  layout->addWidget(other);
  layout->addWidget(file);
  layout->addStretch();
  connect(mnist, &QPushButton::clicked, this, [this] { emit folderChosen(bundledMnist()); });
  connect(fashion_, &QPushButton::clicked, this, [this] { emit folderChosen(fashionMnist()); });
  connect(other, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder with the four IDX files"), dialogStartPath({}));
    rememberDialogFolder(dir, true);
    if (!dir.isEmpty()) emit folderChosen(dir);
  });
  connect(file, &QPushButton::clicked, this, &DataPanel::chooseDataFile);
  prompt_ = [this](const DataImport& start) -> std::optional<DataImport> {
    DataImportDialog dialog(start, this);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.dataImport();
  };
}

void DataPanel::chooseDataFile() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open data file"), dialogStartPath({}),
      tr("Data files (*.npy *.npz *.csv *.tsv *.txt *.ts *.h5 *.hdf5 *.he5);;NumPy (*.npy *.npz);;CSV (*.csv *.tsv "
         "*.txt);;HDF5 (*.h5 *.hdf5 *.he5);;.ts time series (*.ts);;All files (*)"));
  rememberDialogFolder(path);
  if (!path.isEmpty()) openDataFile(path);
}

void DataPanel::openDataFile(const QString& path) {
  DataImport start = QFileInfo(last_.path()) == QFileInfo(path) ? last_ : DataImport::folder(path);
  start.request.path = path.toStdString();
  const std::optional<DataImport> chosen = prompt_(start);
  if (chosen) emit importChosen(*chosen);
}

void DataPanel::showLoading(const QString& path) { info_->setText(tr("Loading %1 ...").arg(path)); }

void DataPanel::showDataset(const DataImport& import, const latentlab::DataSplit& data) {
  last_ = import;
  const QString path = import.path();
  const latentlab::Dataset& train = data.train;
  const QString classes = train.hasLabels() ? tr("%1 classes").arg(train.classes)
                          : data.test.hasLabels()
                              ? tr("%1 classes, training samples unlabelled").arg(train.classes)
                              : tr("unlabelled (a model of %1 classes, which your labels name)").arg(train.classes);
  shown_ = tr("<b>%1</b><br>%2<br>%3 training and %4 test samples, each a %5, %6")
               .arg(QFileInfo(path).fileName().toHtmlEscaped(), QDir::toNativeSeparators(path).toHtmlEscaped())
               .arg(train.size())
               .arg(data.test.size())
               .arg(QString::fromStdString(train.shape.describe()).toHtmlEscaped(), classes);
  // The rule for values not in [0, 1] (InputTransform.h), said when it applies: the likelihood changes with it.
  if (data.transform.active())
    shown_ += tr("<br>Values outside [0, 1]: inputs %1, fitted on the training samples")
                  .arg(QString::fromStdString(data.transform.describe()).toHtmlEscaped());
  const QString options = import.options();
  if (!options.isEmpty()) shown_ += QStringLiteral("<br><small>%1</small>").arg(options.toHtmlEscaped());
  info_->setText(shown_);
  info_->setToolTip(QString::fromStdString(data.description));
}

void DataPanel::showError(const QString& message, const QString& stillOpen) {
  QString text = tr("<span style='color:#b00020'>Could not open the data set:</span><br>%1").arg(message.toHtmlEscaped());
  if (!stillOpen.isEmpty() && !shown_.isEmpty())
    text += tr("<br><br>Still open, and what Train and Continue use:<br>%1").arg(shown_);
  else
    text += tr("<br><br>No data set is open.");
  info_->setText(text);
}

QString DataPanel::bundledMnist() {
  const QString env = qEnvironmentVariable("LATENTLAB_MNIST");
  if (!env.isEmpty()) return env;
  // The build folder's checkout, the working folder, an installed copy (cmake --install, the .deb), the source.
  const QString app = QCoreApplication::applicationDirPath();
  for (const QString& candidate : {app + "/../../datasets/mnist", QDir::currentPath() + "/datasets/mnist",
                                   app + "/../share/latentlab/datasets/mnist", QString(LATENTLAB_SOURCE_DIR "/datasets/mnist")})
    if (QFileInfo(candidate).isDir()) return QDir(candidate).canonicalPath();
  return QString(LATENTLAB_SOURCE_DIR "/datasets/mnist");
}

QString DataPanel::fashionMnist() {
  const QString dir = "/usr/share/datasets/fashion-mnist";
  return QFileInfo(dir).isDir() ? dir : QString();
}
