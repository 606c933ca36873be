// Issue 13's randomised check, offscreen: every settings field gets random values, valid and not, and Train,
// Stop and Continue are pressed in random order a few hundred times; the workbench must never abort, never run
// with a field it reports invalid, and keep its buttons consistent with the controller. The valid values are
// small (a training subset of at most 300 samples, narrow layers) so that the whole test takes seconds.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "WorkbenchTestSupport.h"
#include "app/LabelSession.h"
#include "app/MainWindow.h"
#include "app/SettingsPanel.h"
#include "app/TrainingControlsPanel.h"

class SettingsRandomTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QRandomGenerator rng_{20240613};

  // In 64 bits: hi may be INT_MAX (UBSan found the int overflow of hi + 1).
  int pick(int lo, int hi) { return int(rng_.bounded(qint64(lo), qint64(hi) + 1)); }
  bool chance(double p) { return rng_.generateDouble() < p; }

  // Each field is "wild" (any value the box takes, or any text) with probability wild_, else small and valid.
  double wild_ = 0;
  bool wild() { return chance(wild_); }

  int wholeValue(const QSpinBox* box) {
    const QString n = box->objectName();
    if (wild()) {
      const double r = rng_.generateDouble();
      return r < 0.4 ? box->minimum() : r < 0.6 ? box->maximum() : pick(box->minimum(), box->maximum());
    }
    if (n == "trainSamples") return pick(20, 300);
    if (n == "labels") return chance(0.2) ? 0 : pick(10, 40);
    if (n == "latent") return pick(1, 6);
    if (n == "epochs") return pick(1, 3);
    if (n == "labelledBatch" || n == "unlabelledBatch") return pick(1, 64);
    if (n == "lstmUnits") return pick(1, 8);
    if (n == "lstmLayers") return pick(1, 2);
    if (n == "convKernel") return 2 * pick(1, 3);
    if (n == "threads") return pick(1, 2);
    if (n == "validation") return chance(0.5) ? 0 : pick(10, 50);
    if (n == "heldOut") return chance(0.5) ? 0 : pick(1, 100);
    if (n == "patience") return pick(0, 2);
    return pick(box->minimum(), std::min(box->maximum(), 1000));
  }
  double realValue(const QDoubleSpinBox* box) {
    if (wild()) return chance(0.5) ? box->maximum() : rng_.generateDouble() * box->maximum();
    return rng_.generateDouble() * (box->objectName() == "alpha" ? 500 : box->objectName() == "betaWarmup" ? 3 : 1);
  }
  QString text(const QLineEdit* field) {
    const bool rate = field->objectName() == "learningRate";
    static const QStringList sizes = {"8", "4, 4", "6,3", "3 ,2"}, rates = {"1e-3", "0.002", "5e-4", "3e-3"};
    static const QStringList badSizes = {"0",     "",    "abc", "-1",   "5,,6", "4,4,4,4,4,4,4,4,4",
                                         "99999", "1e3", ",",   "2,  a"};
    static const QStringList badRates = {"0", "-1", "1e9", "abc", "", "inf", "nan", "1,5e-3", "1e-300", "2"};
    if (wild()) return (rate ? badRates : badSizes).at(pick(0, 9));
    return (rate ? rates : sizes).at(pick(0, 3));
  }

  void fillEveryField(SettingsPanel* p) {
    wild_ = chance(0.5) ? 0 : 0.15;
    for (QComboBox* c : p->findChildren<QComboBox*>())
      c->setCurrentIndex(c->objectName() == "flavour" ? (chance(0.7) ? 0 : pick(0, c->count() - 1))
                                                      : pick(0, c->count() - 1));
    for (QSpinBox* s : p->findChildren<QSpinBox*>()) s->setValue(wholeValue(s));
    for (QDoubleSpinBox* s : p->findChildren<QDoubleSpinBox*>()) s->setValue(realValue(s));
    for (QLineEdit* e : p->findChildren<QLineEdit*>())
      if (e->parentWidget() == p) e->setText(text(e));
    for (QCheckBox* b : p->findChildren<QCheckBox*>()) b->setChecked(chance(0.3));
  }

 private slots:
  void initTestCase() { isolateApplicationData("SettingsRandomTest"); }

  // Issue 21's settings: the validation share, held-out points, kept epoch and patience go from the form to the
  // settings file and back; a criterion without anything to measure is a problem the form names.
  void validationSettingsRoundTrip() {
    TrainingSettings in;
    in.train.validation.labelFraction = 0.2;
    in.train.validation.heldOut = 500;
    in.train.validation.select = latentlab::SelectionCriterion::ValidationElbo;
    in.train.validation.patience = 7;
    SettingsPanel panel;
    panel.setSettings(in);
    QVERIFY(panel.problems().isEmpty());
    const TrainingSettings shown = panel.settings();
    QCOMPARE(shown.train.validation.labelFraction, 0.2);
    QCOMPARE(shown.train.validation.heldOut, 500);
    QVERIFY(shown.train.validation.select == latentlab::SelectionCriterion::ValidationElbo);
    QCOMPARE(shown.train.validation.patience, 7);
    // Raising Validation from off turns on the measured defaults when Keep epoch was the last.
    SettingsPanel fresh;
    fresh.findChild<QSpinBox*>("validation")->setValue(20);
    QVERIFY(fresh.values().train.validation.select == latentlab::SelectionCriterion::ValidationAccuracy);
    QCOMPARE(fresh.values().train.validation.patience, latentlab::kDefaultPatience);
    panel.findChild<QSpinBox*>("heldOut")->setValue(0);
    QCOMPARE(panel.problems().size(), 1);
    QVERIFY(panel.problems().first().contains("needs held-out points"));

    QSettings file(dir_.filePath("validation.ini"), QSettings::IniFormat);
    shown.save(file);
    TrainingSettings loaded;
    loaded.load(file);
    QCOMPARE(loaded.train.validation.labelFraction, 0.2);
    QCOMPARE(loaded.train.validation.heldOut, 500);
    QVERIFY(loaded.train.validation.select == latentlab::SelectionCriterion::ValidationElbo);
    QCOMPARE(loaded.train.validation.patience, 7);
    // Saved values that cannot serve: a share above one half, and a criterion left with nothing to measure.
    file.setValue("training/validationFraction", 0.9);
    file.setValue("training/heldOut", 0);
    file.setValue("training/select", "val-elbo");
    loaded.load(file);
    QCOMPARE(loaded.train.validation.labelFraction, latentlab::defaultTrainConfig().validation.labelFraction);
    QVERIFY(loaded.train.validation.select == latentlab::SelectionCriterion::Last);
  }

  void randomSettingsNeverAbort() {
    QElapsedTimer clock;
    clock.start();
    int presses = 0, runs = 0, refused = 0;
    const int windows = 4, pressesPerWindow = 150;
    for (int round = 0; round < windows; ++round) {
      // A fresh label session now and then, so that the Labels field is drawn from again.
      QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/sessions").removeRecursively();
      MainWindow w;
      w.setPrompts(
          {[this](const QString&, const QString&, QMessageBox::StandardButtons buttons) {
             const QMessageBox::StandardButton all[] = {QMessageBox::Ok, QMessageBox::Save, QMessageBox::Discard,
                                                        QMessageBox::Cancel};
             for (;;) {
               const auto b = all[pick(0, 3)];
               if (buttons & b) return b;
             }
           },
           [this](const QString&, const QString&) { return chance(0.5) ? dir_.filePath("random.h5") : QString(); }});
      QSignalSpy loaded(&w, &MainWindow::datasetLoaded);
      w.openDataset(qEnvironmentVariable("LATENTLAB_MNIST"));
      QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
      QSignalSpy started(w.controller(), &TrainingController::runStarted);
      QSignalSpy epochs(w.controller(), &TrainingController::epochFinished);
      for (int i = 0; i < pressesPerWindow; ++i, ++presses) {
        if (!w.controller()->isRunning()) fillEveryField(w.settingsPanel());
        const bool valid = w.settingsPanel()->problems().isEmpty();
        const int before = started.count();
        const bool wasRunning = w.controller()->isRunning();
        // The buttons as a user presses them (a disabled one does nothing).
        const char* names[] = {"Train", "Continue", "Stop", "Stop"};
        const QString name = names[pick(0, 3)];
        for (QPushButton* b : w.controlsPanel()->findChildren<QPushButton*>())
          if (b->text() == name) b->click();
        QTest::qWait(pick(1, 30));
        if (!valid && !wasRunning) QVERIFY2(started.count() == before, "a run started with an invalid field");
        if (!valid && !wasRunning && !w.controller()->isRunning()) ++refused;
        if (qEnvironmentVariableIsSet("RANDOM_TEST_VERBOSE"))
          qInfo("%d valid %d running %d -> %d: %s", i, valid, wasRunning, int(w.controller()->isRunning()),
                qPrintable(w.controlsPanel()->message().left(150)));
        // The controls follow the controller.
        QPushButton* stop = nullptr;
        for (QPushButton* b : w.controlsPanel()->findChildren<QPushButton*>())
          if (b->text() == "Stop") stop = b;
        QVERIFY(stop);
        QCOMPARE(stop->isEnabled(), w.controller()->isRunning());
        QCOMPARE(w.settingsPanel()->isEnabled(), !w.controller()->isRunning());
        // A stop during an epoch's evaluation once showed "Epoch 1: test accuracy nan%".
        if (w.controlsPanel()->message().startsWith("Epoch"))
          QVERIFY2(!w.controlsPanel()->message().contains("nan", Qt::CaseInsensitive),
                   qPrintable(w.controlsPanel()->message()));
      }
      runs += started.count();
      QVERIFY(w.controller()->stopAndWait(10000));
      for (const QList<QVariant>& e : epochs) {
        const double accuracy = e.at(0).value<EpochPoint>().report.testAccuracy;
        QVERIFY2(accuracy >= 0 && accuracy <= 1, qPrintable(QString::number(accuracy)));
      }
    }
    qInfo("%d presses, %d runs started, %d refused for invalid fields, %lld ms", presses, runs, refused,
          clock.elapsed());
    QVERIFY(runs >= 1);  // how many start depends on the machine's speed (presses are timed), not on the code
    QVERIFY(refused > 5);
  }
};

QTEST_MAIN(SettingsRandomTest)
#include "SettingsRandomTest.moc"
