// The workbench as a desktop program: the application icon comes from the resources in every size (16 to 512
// px), the main window wears it, Help has About Latentlab and About Qt, and the About box names the version
// (CMake's project version) and every library with its licence.
// With LATENTLAB_SCREENSHOT_DIR set it saves about.png (the About box) and icon-<size>.png (the window icon as
// Qt renders it) there, to be looked at.
#include <QApplication>
#include <QMenuBar>
#include <QtTest/QtTest>

#include "WorkbenchTestSupport.h"
#include "app/AboutDialog.h"
#include "app/AppInfo.h"
#include "app/MainWindow.h"

class AboutDialogTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QApplication::setStyle("Fusion");
    isolateApplicationData("AboutDialogTest");
  }

  void iconInEverySize() {
    const QIcon icon = latentlabIcon();
    QVERIFY(!icon.isNull());
    for (int size : {16, 32, 48, 64, 128, 256, 512}) {
      QVERIFY2(icon.availableSizes().contains(QSize(size, size)), qPrintable(QString::number(size)));
      const QImage img = icon.pixmap(size, size).toImage();
      QCOMPARE(img.size(), QSize(size, size));
      QVERIFY(img.pixelColor(size / 2, size / 2).alpha() == 255);  // drawn, not empty
    }
    const QString dir = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR");
    if (!dir.isEmpty())
      for (int size : {16, 32, 64}) QVERIFY(icon.pixmap(size, size).save(dir + QString("/icon-%1.png").arg(size)));
  }

  void aboutNamesTheVersionAndTheLicences() {
    QCOMPARE(latentlabVersion(), QString(LATENTLAB_TEST_VERSION));
    AboutDialog about;
    about.resize(760, 480);
    about.show();
    QVERIFY(QTest::qWaitForWindowExposed(&about));
    const QString text = about.text();
    QVERIFY2(text.contains("Latentlab " LATENTLAB_TEST_VERSION), qPrintable(text));
    for (const char* part : {"Qt", "GNU LGPL v3", "QCustomPlot", "GNU GPL v3", "Eigen", "MPL 2.0", "HDF5", "BSD-style",
                             "zlib", "BLIS", "OpenBLAS", "BSD 3-clause"})
      QVERIFY2(text.contains(part), part);
    QCOMPARE(latentlabLibraries().size(), 7);
    const QString dir = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR");
    if (!dir.isEmpty()) QVERIFY(about.grab().save(dir + "/about.png"));
  }

  void mainWindowWearsTheIconAndHasHelp() {
    MainWindow w;
    QVERIFY(!w.windowIcon().isNull());
    QVERIFY(w.windowIcon().availableSizes().contains(QSize(16, 16)));
    QMenu* help = nullptr;
    for (QAction* a : w.menuBar()->actions())
      if (a->text() == "&Help") help = a->menu();
    QVERIFY(help);
    QStringList items;
    for (QAction* a : help->actions()) items << a->text();
    QCOMPARE(items, (QStringList{"&About Latentlab", "About &Qt"}));
    help->actions().first()->trigger();
    AboutDialog* about = w.findChild<AboutDialog*>();
    QVERIFY(about);
    QVERIFY(about->isVisible());
    about->close();
  }
};

QTEST_MAIN(AboutDialogTest)
#include "AboutDialogTest.moc"
