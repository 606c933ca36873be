// The Experiments window (issue 19): plans a sweep off the GUI thread, runs it with per-run and overall progress,
// fills the table as runs finish, shows runs another process finished in the same folder, cancels within a
// fraction of a second leaving no file, and writes and shows the report.
#include <QElapsedTimer>
#include <QProgressBar>
#include <QTableWidget>
#include <QTextBrowser>
#include <QtTest/QtTest>
#include <filesystem>

#include "app/experiments/ExperimentsWindow.h"
#include "engine/data/Mnist.h"
#include "engine/experiment/ExperimentRun.h"
#include "support/TimeoutFactor.h"

using namespace latentlab;
using latentlab::testing::timeoutFactor;

class ExperimentsWindowTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString mnist_;

  static QString status(ExperimentsWindow& w, int row) { return w.table()->item(row, 1)->text(); }

 private slots:
  void initTestCase() {
    mnist_ = qEnvironmentVariable("LATENTLAB_MNIST");
    QVERIFY(!mnist_.isEmpty());
  }

  void badFormIsSaid() {
    ExperimentsWindow w(mnist_, dir_.filePath("bad"));
    w.setRequestText("classification", "1,x", "100", 1, 300, 100);
    QVERIFY(!w.plan());
    QVERIFY2(w.message().contains("seeds"), qPrintable(w.message()));
    w.setRequestText("classification", "1", "100,lots", 1, 300, 100);
    QVERIFY(!w.plan());
    QVERIFY2(w.message().contains("label counts"), qPrintable(w.message()));
  }

  void runsFillTheTableAndTheReport() {
    const QString dir = dir_.filePath("sweep");
    ExperimentsWindow w(mnist_, dir);
    w.setRequestText("classification", "1,2", "100", 1, 300, 100);
    QVERIFY(w.plan());
    QTRY_COMPARE_WITH_TIMEOUT(w.table()->rowCount(), 4, 20000 * timeoutFactor());
    QTRY_VERIFY(!w.isRunning());
    for (int r = 0; r < 4; ++r) QCOMPARE(status(w, r), QString("to do"));

    // Seed 2's runs finished by another process (the CLI, another machine) into the same folder: shown as done.
    DataSplit data = loadIdxFolder(mnist_.toStdString());
    for (size_t r = 2; r < 4; ++r) {
      const RunSpec& spec = w.runs()[r];
      writeRunFile(dir.toStdString(), spec, runExperiment(spec, prepareExperimentData(data, spec)), "test");
    }
    w.plan();  // the folder exists now: watched from here on
    QTRY_VERIFY_WITH_TIMEOUT(!w.isRunning() && w.table()->rowCount() == 4, 20000 * timeoutFactor());
    QTRY_COMPARE(status(w, 2), QString("done"));
    QCOMPARE(status(w, 0), QString("to do"));

    QSignalSpy finished(&w, &ExperimentsWindow::sweepFinished);
    w.run();
    QVERIFY(w.isRunning());
    QVERIFY(finished.wait(120000 * timeoutFactor()));
    for (int r = 0; r < 4; ++r) QCOMPARE(status(w, r), QString("done"));
    QVERIFY2(w.table()->item(0, 3)->text().contains("accuracy"), qPrintable(w.table()->item(0, 3)->text()));
    QCOMPARE(w.overall()->value(), 1000);
    QVERIFY2(w.message().contains("2 runs done now, 2 done before"), qPrintable(w.message()));
    // The report, written at the end of the sweep, with its plot.
    QVERIFY(QFile::exists(dir + "/report.md"));
    QVERIFY(QFileInfo(dir + "/accuracy-mnist-dense-1-epoch-300-training-samples.png").size() > 1000);
    QVERIFY2(w.reportView()->toPlainText().contains("Classification"), qPrintable(w.reportView()->toPlainText()));
  }

  // Cancel answers within a fraction of a second; the run under way leaves no file and runs again next time.
  void cancelStopsTheRunUnderWay() {
    const QString dir = dir_.filePath("cancel");
    ExperimentsWindow w(mnist_, dir);
    w.setRequestText("classification", "9", "100", 500, 2000, 100);
    QSignalSpy finished(&w, &ExperimentsWindow::sweepFinished);
    w.run();
    QTRY_VERIFY_WITH_TIMEOUT(w.table()->rowCount() > 0 && status(w, 0).startsWith("running"), 20000 * timeoutFactor());
    QElapsedTimer clock;
    clock.start();
    w.cancel();
    QVERIFY(finished.wait(10000 * timeoutFactor()));
    QVERIFY2(clock.elapsed() < 500 * timeoutFactor(), qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!w.isRunning());
    QVERIFY2(w.message().startsWith("Cancelled"), qPrintable(w.message()));
    QVERIFY(status(w, 0).startsWith("stopped"));
    for (const RunSpec& spec : w.runs()) QVERIFY(!std::filesystem::exists(runFilePath(dir.toStdString(), spec)));
  }
};

QTEST_MAIN(ExperimentsWindowTest)
#include "ExperimentsWindowTest.moc"
