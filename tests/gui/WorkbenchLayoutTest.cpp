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
};

QTEST_MAIN(WorkbenchLayoutTest)
#include "WorkbenchLayoutTest.moc"
