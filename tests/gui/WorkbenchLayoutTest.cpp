// Issue 13, point 9, offscreen: the window fits a 1366x768 screen with every dock as it starts, also after a
// model is opened with the Generation dock raised, and the settings dock shows its values, not only names.
#include <QDockWidget>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "WorkbenchTestSupport.h"
#include "app/MainWindow.h"
#include "app/SettingsPanel.h"
#include "app/TrainingControlsPanel.h"

class WorkbenchLayoutTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  static void report(MainWindow& w) {
    for (QDockWidget* d : w.findChildren<QDockWidget*>())
      qInfo("%s: minimum %d x %d, now %d x %d", qPrintable(d->objectName()), d->minimumSizeHint().width(),
            d->minimumSizeHint().height(), d->width(), d->height());
    qInfo("central: minimum %d x %d; window minimum %d x %d, now %d x %d", w.centralWidget()->minimumSizeHint().width(),
          w.centralWidget()->minimumSizeHint().height(), w.minimumSizeHint().width(), w.minimumSizeHint().height(),
          w.width(), w.height());
  }
  // Every value field of the settings form is wide enough to read "0.001" or "500, 500".
  static void settingsShowValues(MainWindow& w) {
    const int readable = w.fontMetrics().horizontalAdvance("500, 500");
    for (QWidget* f : w.settingsPanel()->findChildren<QWidget*>())
      if ((qobject_cast<QLineEdit*>(f) || qobject_cast<QAbstractSpinBox*>(f)) && f->isVisibleTo(w.settingsPanel()) &&
          f->parentWidget() == w.settingsPanel()) {
        QVERIFY2(f->width() >= readable, qPrintable(QString("%1 is %2 px wide").arg(f->objectName()).arg(f->width())));
        // Not cut off at the dock's right edge (the form scrolls up and down only).
        QWidget* viewport = w.settingsPanel()->parentWidget();
        const int right = f->mapTo(viewport, QPoint(f->width(), 0)).x();
        QVERIFY2(right <= viewport->width(),
                 qPrintable(QString("%1 ends at %2 of %3 px").arg(f->objectName()).arg(right).arg(viewport->width())));
      }
  }

 private slots:
  void initTestCase() { isolateApplicationData("WorkbenchLayoutTest"); }

  void fitsSmallScreens() {
    for (const QSize size : {QSize(1280, 800), QSize(1366, 768), QSize(1920, 1080)}) {
      MainWindow w;
      w.resize(size);
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      QTest::qWait(50);
      report(w);
      QVERIFY2(w.width() <= size.width(), qPrintable(QString("%1 wide for %2").arg(w.width()).arg(size.width())));
      QVERIFY2(w.height() <= size.height(), qPrintable(QString("%1 high for %2").arg(w.height()).arg(size.height())));
      settingsShowValues(w);
    }
  }

  void openingAModelDoesNotWiden() {
    const QString path = dir_.filePath("layout.h5");
    {
      MainWindow w;
      QSignalSpy loaded(&w, &MainWindow::datasetLoaded);
      QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
      w.settingsPanel()->setSettings(quickSettings(1));
      QSignalSpy finished(w.controller(), &TrainingController::runFinished);
      w.startTraining();
      QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
      QSignalSpy saved(&w, &MainWindow::modelSaved);
      w.saveModel(path);
      QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1, 20000);
    }
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::datasetLoaded);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
    w.resize(1366, 768);
    for (QDockWidget* d : w.findChildren<QDockWidget*>())
      if (d->objectName() == "generationDock") d->raise();
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy opened(&w, &MainWindow::modelOpened);
    w.openModel(path);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 20000);
    QTest::qWait(300);
    report(w);
    QVERIFY2(w.width() <= 1366, qPrintable(QString("%1 wide").arg(w.width())));
    settingsShowValues(w);
  }

  // Issue 13, point 9: the layout jumped after Stop and after Open model. A guard: the docks keep their geometry
  // through Train, Stop, a long message and Open model (at 1366x768 and at the default size this passed before
  // any change: the jump was not reproduced offscreen).
  void docksKeepTheirPlaceAfterStopAndOpen() {
    const QString path = dir_.filePath("layout.h5");  // saved by openingAModelDoesNotWiden
    QVERIFY(QFileInfo::exists(path));
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::datasetLoaded);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
    w.resize(1366, 768);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto geometries = [&w] {
      QTest::qWait(200);  // the dock layout settles after the labels change
      QMap<QString, QRect> g;
      for (QDockWidget* d : w.findChildren<QDockWidget*>())
        if (d->isVisible()) g[d->objectName()] = d->geometry();
      g["central"] = w.centralWidget()->geometry();
      return g;
    };
    auto same = [](const QMap<QString, QRect>& a, const QMap<QString, QRect>& b, const char* when) {
      for (auto it = a.begin(); it != a.end(); ++it)
        QVERIFY2(b.value(it.key()) == it.value(),
                 qPrintable(QString("%1: %2 moved from %3,%4 %5x%6 to %7,%8 %9x%10")
                                .arg(when, it.key())
                                .arg(it.value().x())
                                .arg(it.value().y())
                                .arg(it.value().width())
                                .arg(it.value().height())
                                .arg(b.value(it.key()).x())
                                .arg(b.value(it.key()).y())
                                .arg(b.value(it.key()).width())
                                .arg(b.value(it.key()).height())));
    };
    const auto idle = geometries();
    TrainingSettings s = quickSettings(50);
    w.settingsPanel()->setSettings(s);
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(w.controlsPanel()->rateText().contains("steps/s"), 30000);
    const auto training = geometries();
    same(idle, training, "Train");
    w.controller()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
    same(training, geometries(), "Stop");
    // A long message (a NaN loss says several lines) does not grow the dock either.
    w.controlsPanel()->setMessage(QString("The loss became NaN or infinite at step 1234. ").repeated(8));
    same(training, geometries(), "a long message");
    w.setPrompts({[](const QString&, const QString&, QMessageBox::StandardButtons) { return QMessageBox::Discard; },
                  [](const QString&, const QString&) { return QString(); }});
    QSignalSpy opened(&w, &MainWindow::modelOpened);
    w.openModel(path);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 20000);
    QVERIFY(opened.first().at(0).toBool());
    same(training, geometries(), "Open model");
  }
};

QTEST_MAIN(WorkbenchLayoutTest)
#include "WorkbenchLayoutTest.moc"
