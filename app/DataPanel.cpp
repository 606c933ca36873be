#include "app/DataPanel.h"

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
  fashion_->setEnabled(!fashionMnist().isEmpty());
  fashion_->setToolTip(fashionMnist().isEmpty()
                           ? tr("Not installed: Debian's dataset-fashion-mnist package (scripts/setup.sh installs "
                                "it) puts it in /usr/share/datasets/fashion-mnist, which enables this button")
                           : fashionMnist());
  layout->addWidget(info_);
  layout->addWidget(mnist);
  layout->addWidget(fashion_);
  layout->addWidget(other);
  layout->addStretch();
  connect(mnist, &QPushButton::clicked, this, [this] { emit folderChosen(bundledMnist()); });
  connect(fashion_, &QPushButton::clicked, this, [this] { emit folderChosen(fashionMnist()); });
  connect(other, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder with the four IDX files"), dialogStartPath({}));
    rememberDialogFolder(dir, true);
    if (!dir.isEmpty()) emit folderChosen(dir);
  });
}

void DataPanel::showLoading(const QString& folder) { info_->setText(tr("Loading %1 ...").arg(folder)); }

void DataPanel::showDataset(const QString& folder, int train, int test, const QString& shape, int classes) {
  shown_ = tr("<b>%1</b><br>%2<br>%3 training and %4 test samples, each a %5, %6 classes")
                     .arg(QFileInfo(folder).fileName(), QDir::toNativeSeparators(folder))
                     .arg(train)
                     .arg(test)
                     .arg(shape)
                     .arg(classes);
  info_->setText(shown_);
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
