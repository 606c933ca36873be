// Issue 13: the panels' file dialogs (labels import and export, a sample grid's Export PNG) start in the folder
// last used in any dialog, else the documents folder, never the working folder (the source tree when the
// workbench runs from a build). Widget dialogs, offscreen: the test reads the open dialog's folder and cancels.
#include <QApplication>
#include <QFileDialog>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <functional>

#include "WorkbenchTestSupport.h"
#include "app/LabelSession.h"
#include "app/labelling/LabellingPanel.h"
#include "widgets/FileDialogs.h"
#include "widgets/SampleGrid.h"

class FileDialogStartTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  // The folder the dialog that open() shows starts in (empty: no dialog came up).
  static QString dialogFolder(const std::function<void()>& open) {
    QString folder;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
      if (auto* d = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
        folder = d->directory().absolutePath();
        d->reject();
      }
    });
    poll.start(20);
    open();
    return folder;
  }

 private slots:
  void initTestCase() {
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    isolateApplicationData("FileDialogStartTest");
    QVERIFY(dir_.isValid());
  }

  void panelsStartInTheLastFolder() {
    const QString last = QFileInfo(dir_.path()).absoluteFilePath();
    rememberDialogFolder(QDir(last).filePath("model.h5"));
    LabelSession session(nullptr, dir_.filePath("sessions"));
    LabellingPanel labelling(&session);
    QCOMPARE(dialogFolder([&] { labelling.importCsv(); }), last);
    QCOMPARE(dialogFolder([&] { labelling.exportCsv(); }), last);
    SampleGrid grid;
    grid.setSamples(1, 1, QVector<float>(grid.sampleLayout().size(), 0.5f));
    QCOMPARE(dialogFolder([&] { grid.exportPngDialog(); }), last);
  }

  void withoutOneTheDocumentsFolder() {
    QSettings().remove("dialogs/lastFolder");
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QDir().mkpath(documents);
    SampleGrid grid;
    grid.setSamples(1, 1, QVector<float>(grid.sampleLayout().size(), 0.5f));
    const QString folder = dialogFolder([&] { grid.exportPngDialog(); });
    QCOMPARE(folder, QFileInfo(documents).absoluteFilePath());
    QVERIFY(folder != QDir::currentPath());
  }
};

QTEST_MAIN(FileDialogStartTest)
#include "FileDialogStartTest.moc"
