// Issue 13, points 1-7, offscreen: no setting can crash the workbench (an impossible Labels value, a bad saved
// setting), no work is lost without a question (Train over an open model, quitting, the plotted history, labels
// added after Stop, a failed data set), and the settings refuse and explain instead of changing silently.
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "WorkbenchTestSupport.h"
#include "app/LabelSession.h"
#include "app/MainWindow.h"
#include "app/SettingsPanel.h"
#include "app/TrainingControlsPanel.h"
#include "app/TrainingDashboard.h"
#include "engine/io/ModelFile.h"

namespace {

void loadData(MainWindow& w) {
  if (w.hasData()) return;
  QSignalSpy loaded(&w, &MainWindow::datasetLoaded);
  w.openDataset(qEnvironmentVariable("LATENTLAB_MNIST"));
  QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
}

// Answers every question with `answer` and records the questions; save dialogs answer `savePath`.
struct Answers {
  QMessageBox::StandardButton answer = QMessageBox::Cancel;
  QString savePath;
  QStringList asked, saveDialogs;
  void install(MainWindow& w) {
    w.setPrompts({[this](const QString& title, const QString& text, QMessageBox::StandardButtons) {
                    asked << title + ": " + text;
                    return answer;
                  },
                  [this](const QString& title, const QString&) {
                    saveDialogs << title;
                    return savePath;
                  }});
  }
};

bool trainToTheEnd(MainWindow& w, bool viaContinue = false) {
  QSignalSpy finished(w.controller(), &TrainingController::runFinished);
  viaContinue ? w.continueTraining() : w.startTraining();
  if (!w.controller()->isRunning()) return false;
  return QTest::qWaitFor([&] { return finished.count() == 1; }, 60000);
}

bool save(MainWindow& w, const QString& path) {
  QSignalSpy saved(&w, &MainWindow::modelSaved);
  w.saveModel(path);
  return QTest::qWaitFor([&] { return saved.count() == 1; }, 20000) && saved.first().at(1).toBool();
}

QStringList csvColumn(TrainingDashboard* d, const QString& path, const QString& kind, const QString& column) {
  d->exportCsv(path, nullptr);
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  const QStringList header = QString(f.readLine()).trimmed().split(',');
  const qsizetype c = header.indexOf(column);
  QStringList out;
  while (!f.atEnd()) {
    const QStringList row = QString(f.readLine()).trimmed().split(',');
    if (row.first() == kind && c >= 0) out << row.value(c);
  }
  return out;
}

}  // namespace

class WorkbenchSafetyTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private slots:
  void init() { isolateApplicationData("WorkbenchSafetyTest"); }

  // 1. Labels that cannot be drawn are refused with the reason in the window, the run does not start, and the
  // workbench lives on; a bad saved setting does not make the next start fail.
  void impossibleLabelsAreReportedInTheWindow() {
    MainWindow w;
    loadData(w);
    struct Case {
      int labels, samples;
    };
    for (const Case c : {Case{60000, 0}, Case{999999, 0}, Case{5, 0}, Case{100, 50}}) {
      TrainingSettings s = quickSettings(1);
      s.labels = c.labels;
      s.trainSamples = c.samples;
      w.settingsPanel()->setSettings(s);
      QVERIFY(!w.settingsPanel()->labelsNote().isEmpty());
      w.startTraining();  // this once ended in std::terminate
      QVERIFY(!w.controller()->isRunning());
      QVERIFY2(w.controlsPanel()->message().contains("Not started"), qPrintable(w.controlsPanel()->message()));
      QVERIFY2(w.controlsPanel()->message().contains(QString::number(c.labels)),
               qPrintable(w.controlsPanel()->message()));
      QCOMPARE(w.labelSession()->count(), 0);
    }
    // The refused value is not saved for the next start; an accepted one is.
    QVERIFY(QSettings().value("training/labels").isNull());
    w.settingsPanel()->setSettings(quickSettings(1));
    QVERIFY(trainToTheEnd(w));
    QCOMPARE(QSettings().value("training/labels").toInt(), 20);
    // Opening a model while a field is invalid (it once threw from the settings' check).
    QVERIFY(save(w, dir_.filePath("one.h5")));
    w.settingsPanel()->findChild<QSpinBox*>("latent")->setValue(0);
    QSignalSpy opened(&w, &MainWindow::modelOpened);
    w.openModel(dir_.filePath("one.h5"));
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 20000);
    QVERIFY(opened.first().at(0).toBool());
  }

  void badSavedSettingsStartTheWindow() {
    {
      QSettings s;
      s.setValue("training/labels", 60000);
      s.setValue("training/latent", 0);
      s.setValue("training/learningRate", 1e9);
      s.setValue("training/epochs", -3);
      s.setValue("training/hidden", "abc,0");
      s.setValue("training/threads", 100000);
      s.setValue("training/unlabelledBatch", 0);
    }
    MainWindow w;
    loadData(w);
    const TrainingSettings d;
    const TrainingSettings got = w.settingsPanel()->values();
    QCOMPARE(got.model.latent, d.model.latent);
    QCOMPARE(got.train.learningRate, d.train.learningRate);
    QCOMPARE(got.train.epochs, d.train.epochs);
    QCOMPARE(got.train.unlabelledBatch, d.train.unlabelledBatch);
    QCOMPARE(got.threads, d.threads);
    QVERIFY(!got.model.hidden.empty());
    QCOMPARE(got.labels, 60000);  // a valid number, but not for this data set: said at once, refused at Train
    QVERIFY(w.settingsPanel()->labelsNote().contains("cannot be drawn"));
    w.startTraining();
    QVERIFY(!w.controller()->isRunning());
    QVERIFY(w.controlsPanel()->message().contains("cannot be drawn"));
  }

  // 2. Train over an open model asks first; the new model has no file, so Save cannot overwrite the old one.
  void trainAsksBeforeReplacingTheOpenModel() {
    const QString m1 = dir_.filePath("m1.h5"), m2 = dir_.filePath("m2.h5");
    MainWindow w;
    Answers answers;
    answers.install(w);
    loadData(w);
    w.settingsPanel()->setSettings(quickSettings(1));
    QVERIFY(trainToTheEnd(w));
    QVERIFY(w.hasUnsavedWork());
    QVERIFY(save(w, m1));
    QVERIFY(!w.hasUnsavedWork());
    const long m1Steps = latentlab::readModelFile(m1.toStdString()).training->state.step;
    QSignalSpy opened(&w, &MainWindow::modelOpened);
    w.openModel(m1);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 20000);
    QVERIFY(w.windowTitle().contains("m1.h5"));

    answers.answer = QMessageBox::Cancel;
    w.startTraining();
    QCOMPARE(answers.asked.size(), 1);
    QVERIFY(!w.controller()->isRunning());
    QCOMPARE(w.modelPath(), m1);

    answers.answer = QMessageBox::Ok;
    TrainingSettings s = quickSettings(1);
    s.train.learningRate = 5e-4;
    w.settingsPanel()->setSettings(s);
    QVERIFY(trainToTheEnd(w));
    QCOMPARE(answers.asked.size(), 2);
    QVERIFY(w.modelPath().isEmpty());
    QVERIFY2(!w.windowTitle().contains("m1.h5"), qPrintable(w.windowTitle()));
    QVERIFY(w.windowTitle().contains("untitled"));
    // File > Save model asks for a name (here m2.h5): m1.h5 keeps its model.
    answers.savePath = m2;
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    for (QAction* a : w.findChildren<QAction*>())
      if (a->text() == "Save model") a->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1, 20000);
    QCOMPARE(answers.saveDialogs.size(), 1);
    QCOMPARE(saved.first().at(0).toString(), m2);
    QCOMPARE(latentlab::readModelFile(m1.toStdString()).training->state.step, m1Steps);
    QCOMPARE(latentlab::readModelFile(m2.toStdString()).training->config.learningRate, 5e-4);

    // Unsaved training: Save, Discard or Cancel; Save writes it, then the new run starts.
    s.train.epochs = 2;
    w.settingsPanel()->setSettings(s);
    QVERIFY(trainToTheEnd(w, true));
    QVERIFY(w.hasUnsavedWork());
    answers.answer = QMessageBox::Save;
    QSignalSpy started(w.controller(), &TrainingController::runStarted);
    w.startTraining();
    QVERIFY(answers.asked.last().contains("not saved"));
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, 20000);
    QCOMPARE(latentlab::readModelFile(m2.toStdString()).training->state.epoch, 2);
    // Open model during training says so before anything else.
    w.openModel(m1);
    QVERIFY(w.controlsPanel()->message().contains("Stop training first"));
    QVERIFY(w.controller()->stopAndWait(5000));
  }

  // 3. Quitting with unsaved training asks Save / Discard / Cancel, while training and after.
  void quitAsksToSave() {
    const QString path = dir_.filePath("quit.h5");
    auto* w = new MainWindow;
    Answers answers;
    answers.install(*w);
    w->show();
    loadData(*w);
    TrainingSettings s = quickSettings(20);
    w->settingsPanel()->setSettings(s);
    QSignalSpy steps(w->controller(), &TrainingController::stepsReported);
    w->startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() > 2, 20000);
    answers.answer = QMessageBox::Cancel;
    QVERIFY(!w->close());
    QCOMPARE(answers.asked.size(), 1);
    QVERIFY(w->isVisible());
    QVERIFY(w->controller()->isRunning());
    answers.answer = QMessageBox::Save;
    answers.savePath = path;
    w->close();
    QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!w->controller()->isRunning(), 5000);
    QVERIFY(latentlab::readModelFile(path.toStdString()).training->state.step > 0);
    delete w;

    // After a run, Discard closes without writing.
    MainWindow w2;
    answers.asked.clear();
    answers.install(w2);
    w2.show();
    loadData(w2);
    w2.settingsPanel()->setSettings(quickSettings(1));
    QVERIFY(trainToTheEnd(w2));
    answers.answer = QMessageBox::Discard;
    w2.close();
    QTRY_VERIFY_WITH_TIMEOUT(!w2.isVisible(), 5000);
    QCOMPARE(answers.asked.size(), 1);
  }

  // 4. The learning rate and beta of earlier steps survive Stop -> Continue and Open model; so does the
  // supervised baseline's accuracy.
  void historySurvivesContinueAndOpen() {
    const QString path = dir_.filePath("history.h5"), csv = dir_.filePath("history.csv");
    MainWindow w;
    Answers answers;
    answers.install(w);
    loadData(w);
    TrainingSettings s = quickSettings(1);
    s.supervisedBaseline = true;
    w.settingsPanel()->setSettings(s);
    QVERIFY(trainToTheEnd(w));
    s.train.epochs = 3;
    w.settingsPanel()->setSettings(s);
    QSignalSpy steps(w.controller(), &TrainingController::stepsReported);
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.continueTraining();
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() > 1, 20000);
    w.controller()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 20000);
    w.continueTraining();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 60000);
    auto check = [&](MainWindow& window) {
      const QStringList lr = csvColumn(window.dashboard(), csv, "step", "learning_rate");
      const QStringList beta = csvColumn(window.dashboard(), csv, "step", "beta");
      QVERIFY(lr.size() > 10);
      for (int i = 0; i < lr.size(); ++i) {
        QVERIFY2(lr[i].toDouble() > 0, qPrintable(QString("step row %1: learning rate %2").arg(i).arg(lr[i])));
        QVERIFY2(beta[i].toDouble() > 0, qPrintable(QString("step row %1: beta %2").arg(i).arg(beta[i])));
      }
      const QStringList baseline = csvColumn(window.dashboard(), csv, "epoch", "baseline_accuracy");
      QCOMPARE(baseline.size(), 3);
      for (const QString& b : baseline) QVERIFY2(b.toDouble() > 0.1, qPrintable(b));
    };
    check(w);
    if (QTest::currentTestFailed()) return;
    QVERIFY(save(w, path));
    MainWindow w2;
    loadData(w2);
    QSignalSpy opened(&w2, &MainWindow::modelOpened);
    w2.openModel(path);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 20000);
    check(w2);
  }

  // 5. Save writes the labels as they are now, with those added after Stop.
  void saveWritesTheCurrentLabels() {
    const QString path = dir_.filePath("labels.h5");
    MainWindow w;
    loadData(w);
    w.settingsPanel()->setSettings(quickSettings(1));
    QVERIFY(trainToTheEnd(w));
    const int before = w.labelSession()->count();
    QCOMPARE(int(w.snapshot()->labels.size()), before);
    int added = 0;
    for (int i = 0; i < 2000 && added < 30; ++i)
      if (!w.labelSession()->entry(i)) {
        w.labelSession()->assign(i, i % 10);
        ++added;
      }
    QCOMPARE(w.labelSession()->count(), before + 30);
    QVERIFY(save(w, path));
    QCOMPARE(int(latentlab::readModelFile(path.toStdString()).labels.size()), before + 30);
  }

  // 6. A data set that cannot be opened leaves the open one open, and every part of the window says so.
  void failedDataOpenLeavesOneState() {
    QTemporaryDir empty;
    MainWindow w;
    loadData(w);
    auto* status = w.findChild<QLabel*>("statusData");
    QVERIFY(status);
    const QString before = status->text();
    QSignalSpy failed(&w, &MainWindow::datasetFailed);
    w.openDataset(empty.path());
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 20000);
    QVERIFY(w.hasData());
    QCOMPARE(status->text(), before);
    QVERIFY2(!status->text().contains("no data"), qPrintable(status->text()));
    bool dockSays = false;
    for (QLabel* l : w.findChildren<QLabel*>())
      dockSays |= l->text().contains("Could not open the data set") && l->text().contains("Still open");
    QVERIFY(dockSays);
    // Train follows the data set that the window names.
    w.settingsPanel()->setSettings(quickSettings(1));
    QVERIFY(trainToTheEnd(w));
  }

  // 7. Out-of-range values are refused with their range (not silently put back), every field says its range,
  // and the window says which labels a run will use.
  void settingsRefuseAndExplain() {
    MainWindow w;
    loadData(w);
    SettingsPanel* p = w.settingsPanel();
    p->setSettings(quickSettings(1));
    QVERIFY(p->problems().isEmpty());
    for (QWidget* f : p->findChildren<QWidget*>())
      if (qobject_cast<QSpinBox*>(f) || qobject_cast<QDoubleSpinBox*>(f) || qobject_cast<QLineEdit*>(f))
        if (f->parentWidget() == p)
          QVERIFY2(f->toolTip().contains("Valid"), qPrintable(f->objectName() + ": " + f->toolTip()));
    for (const char* name : {"latent", "epochs", "labelledBatch"}) {
      auto* box = p->findChild<QSpinBox*>(name);
      const int old = box->value();
      box->setValue(0);
      QCOMPARE(box->value(), 0);  // kept as typed, not put back
      QCOMPARE(p->problems().size(), 1);
      w.startTraining();
      QVERIFY(!w.controller()->isRunning());
      QVERIFY2(w.controlsPanel()->message().contains("must be"), qPrintable(w.controlsPanel()->message()));
      box->setValue(old);
    }
    auto* lr = p->findChild<QLineEdit*>("learningRate");
    lr->setText("1e9");
    QCOMPARE(p->problems().size(), 1);
    QVERIFY(p->problems().first().contains("Learning rate"));
    lr->setText("2e-3");
    QVERIFY(p->problems().isEmpty());
    QCOMPARE(p->values().train.learningRate, 2e-3);
    // Which labels a run uses.
    auto* labels = p->findChild<QSpinBox*>("labels");
    labels->setValue(0);
    QVERIFY2(p->labelsNote().contains("true label of every one of the first 2000"), qPrintable(p->labelsNote()));
    labels->setValue(20);
    QVERIFY2(p->labelsNote().contains("draws 20 labels"), qPrintable(p->labelsNote()));
    QVERIFY(labels->isEnabled());
    QVERIFY(trainToTheEnd(w));
    QVERIFY2(p->labelsNote().contains("label session"), qPrintable(p->labelsNote()));
    QVERIFY(!labels->isEnabled());
  }

  // 11. The smaller things that a test can see.
  void smallerThings() {
    MainWindow w;
    for (QPushButton* b : w.findChildren<QPushButton*>())
      if (b->text() == "Fashion-MNIST") QVERIFY(!b->toolTip().isEmpty());
  }
};

QTEST_MAIN(WorkbenchSafetyTest)
#include "WorkbenchSafetyTest.moc"
