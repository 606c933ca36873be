// The user's own data in the workbench (issue 20), offscreen: an .npz of 500 random 8x8 images with no labels
// opens through the Data dock's path (its import dialog built and answered as a user would: the X array chosen
// among the file's arrays, y "none: unlabelled"), trains one epoch without labels, shows "no test labels" instead
// of an accuracy, and projects its training samples; labels given on the map join the next run; the next start
// reopens the same request. A file that cannot be read leaves the open data set open.
// With LATENTLAB_SCREENSHOT_DIR set it saves data-import-dialog.png and workbench-unlabelled-data.png there.
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>
#include <random>
#include <vector>

#include "WorkbenchTestSupport.h"
#include "app/DataImportDialog.h"
#include "app/DataPanel.h"
#include "app/LabelSession.h"
#include "app/MainWindow.h"
#include "app/SettingsPanel.h"
#include "app/TrainingControlsPanel.h"
#include "app/TrainingDashboard.h"
#include "app/generation/GenerationPanel.h"
#include "app/labelling/LabellingPanel.h"
#include "app/projection/ProjectionPanel.h"
#include "engine/export/NpzWriter.h"
#include "widgets/LossPlot.h"
#include "widgets/ProjectionPlot.h"

class DataImportTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString npz_;
  // LATENTLAB_SCREENSHOT_DIR set: the import dialog and the window are saved there as PNGs.
  const QString shots_ = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR");

  // Every QLabel's text in the window, for what the user reads.
  static QStringList texts(const QWidget& w) {
    QStringList all;
    for (const QLabel* l : w.findChildren<QLabel*>()) all << l->text();
    return all;
  }

  // A 1-D or 2-D .npy (C order): "\x93NUMPY", version 1.0, the header dict padded to 64 bytes, the values.
  static void writeNpy(const QString& path, const char* descr, const QString& shape, const void* data, int bytes) {
    QByteArray header = QStringLiteral("{'descr': '%1', 'fortran_order': False, 'shape': %2, }")
                            .arg(QLatin1String(descr), shape)
                            .toLatin1();
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const uint16_t length = uint16_t(header.size());
    f.write("\x93NUMPY\x01\x00", 8);
    f.write(reinterpret_cast<const char*>(&length), 2);
    f.write(header);
    f.write(static_cast<const char*>(data), bytes);
  }

  static bool runOneEpoch(MainWindow& w, int* status) {
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.startTraining();
    if (!QTest::qWaitFor([&] { return finished.count() > 0; }, 120000)) return false;
    *status = finished.first().at(0).toInt();
    return true;
  }

 private slots:
  void initTestCase() {
    isolateApplicationData("DataImportTest");
    QVERIFY(dir_.isValid());
    // 500 images of 8x8 in [0, 1], float32, as NumPy users save them; a second array the dialog must not pick.
    std::mt19937 rng(20);
    std::uniform_real_distribution<float> pixel(0.f, 1.f);
    std::vector<float> images(500 * 64);
    for (float& v : images) v = pixel(rng);
    std::vector<int32_t> ids(500);
    for (int i = 0; i < 500; ++i) ids[size_t(i)] = 1000 + i;
    latentlab::NpzWriter npz;
    npz.addInt32("sample_id", {500}, ids.data());
    npz.addFloat32("pixels", {500, 8, 8}, images.data());
    npz_ = dir_.filePath("random-8x8.npz");
    npz.write(npz_.toStdString());
  }

  void unlabelledNpzTrainsAndProjects() {
    MainWindow w;
    w.resize(1366, 768);
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 30000);  // the bundled MNIST, opened at start
    QSignalSpy loaded(&w, &MainWindow::datasetLoaded);

    // The dialog as the Data dock builds it for this file; answered instead of exec().
    QStringList listed;
    int defaultClasses = 0;
    w.dataPanel()->setImportPrompt([&](const DataImport& start) -> std::optional<DataImport> {
      DataImportDialog dialog(start, &w);
      listed = dialog.arrays();
      defaultClasses = dialog.findChild<QSpinBox*>("unlabelledClasses")->value();
      if (!dialog.selectArrays("pixels", "none")) return std::nullopt;
      if (!shots_.isEmpty()) dialog.grab().save(shots_ + "/data-import-dialog.png");
      return dialog.dataImport();
    });
    w.dataPanel()->openDataFile(npz_);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
    QCOMPARE(listed, (QStringList{"sample_id", "pixels"}));
    QCOMPARE(defaultClasses, 10);

    const auto data = w.data();
    QCOMPARE(data->train.size() + data->test.size(), 500);
    QCOMPARE(data->test.size(), 100);  // the default 20% held out
    QVERIFY(!data->train.hasLabels() && !data->test.hasLabels());
    QCOMPARE(data->train.features(), 64);
    QVERIFY(data->train.shape.isImage());
    QCOMPARE(data->train.classes, 10);  // the model's classes for unlabelled data
    QVERIFY(texts(w).join('\n').contains("unlabelled"));

    // One epoch of a tiny model without any label.
    TrainingSettings s = quickSettings(1);
    s.model.hidden = {16, 8};
    s.model.latent = 4;
    s.trainSamples = 0;
    s.supervisedBaseline = true;  // it waits for labels: nothing to report, nothing to break
    w.settingsPanel()->setSettings(s);
    QVERIFY2(w.settingsPanel()->problems().isEmpty(), qPrintable(w.settingsPanel()->problems().join("; ")));
    QSignalSpy epochs(w.controller(), &TrainingController::epochFinished);
    int status = -1;
    QVERIFY(runOneEpoch(w, &status));
    QCOMPARE(status, int(latentlab::TrainStatus::Finished));
    QCOMPARE(epochs.count(), 1);
    const EpochPoint e = epochs.first().at(0).value<EpochPoint>();
    QCOMPARE(e.report.labels, size_t(0));
    QVERIFY(std::isnan(e.report.testAccuracy));
    QVERIFY(std::isfinite(e.report.mean.total));
    QVERIFY(w.snapshot());
    QCOMPARE(w.labelSession()->count(), 0);

    // No accuracy shown as a number: the Training dock says why, the accuracy plot says so and stays empty.
    const QString said = w.controlsPanel()->message();
    QVERIFY2(said.contains("no test labels", Qt::CaseInsensitive), qPrintable(said));
    QVERIFY(w.dashboard()->showsNoAccuracy());
    const QRegularExpression number("accuracy[^0-9\\n]{0,20}[0-9]");
    for (const QString& t : texts(w)) QVERIFY2(!number.match(t).hasMatch(), qPrintable(t));
    for (LossPlot* p : w.findChildren<LossPlot*>())
      if (p->title().contains("accuracy", Qt::CaseInsensitive)) QCOMPARE(p->pointCount("test"), 0);

    if (!shots_.isEmpty()) {  // the Data dock with the file open, after the epoch
      w.show();
      QTest::qWait(300);
      w.grab().save(shots_ + "/workbench-unlabelled-data.png");
    }

    // The Labelling dock ranks its queue with the model, one button per class; labelling a card works.
    LabellingPanel* labelling = w.labellingPanel();
    QSignalSpy ranked(labelling, &LabellingPanel::rankingFinished);
    labelling->rerank();
    QTRY_VERIFY_WITH_TIMEOUT(ranked.count() >= 1, 60000);
    QVERIFY(labelling->queueLength() > 0);
    QVERIFY(labelling->currentSample() >= 0);

    // The Generation dock decodes the test images' styles as every class, and names no true label.
    auto* generation = w.findChild<GenerationPanel*>();
    QVERIFY(generation);
    generation->showTab(GenerationPanel::TransferTab);
    QTRY_COMPARE(generation->transferView()->columnCount(), 11);  // the image, then the 10 classes
    QVERIFY2(generation->message(GenerationPanel::TransferTab).contains("#0 classified"),
             qPrintable(generation->message(GenerationPanel::TransferTab)));

    // The Projection dock maps the training samples with the trained model.
    ProjectionPanel* panel = w.projectionPanel();
    panel->setSet(ProjectionPanel::Set::Training);
    panel->setSampleCap(1000);
    panel->setMethod(ProjectionPanel::Method::Pca);
    QSignalSpy computed(panel, &ProjectionPanel::computed);
    panel->compute();
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1, 60000);
    QCOMPARE(panel->plot()->pointCount(), data->train.size());
    QCOMPARE(panel->plot()->pointCount(), 400);

    // Labels given on the map join the next run (Continue, one epoch more).
    panel->plot()->selectRect(QRectF(QPointF(-1e9, -1e9), QPointF(1e9, 1e9)));
    panel->plot()->setSelection(panel->plot()->selection().mid(0, 6));
    QCOMPARE(panel->labelSelection(3), 6);
    QCOMPARE(w.labelSession()->count(), 6);
    s.train.epochs = 2;
    w.settingsPanel()->setSettings(s);
    QSignalSpy again(w.controller(), &TrainingController::runFinished);
    w.continueTraining();
    QTRY_VERIFY_WITH_TIMEOUT(again.count() == 1, 120000);
    QCOMPARE(again.first().at(0).toInt(), int(latentlab::TrainStatus::Finished));
    QCOMPARE(epochs.last().at(0).value<EpochPoint>().report.labels, size_t(6));
    QVERIFY(std::isnan(epochs.last().at(0).value<EpochPoint>().report.testAccuracy));
  }

  // The next start reopens the request (file, arrays, unlabelled), not the bundled MNIST.
  void nextStartReopensTheFile() {
    MainWindow w;
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 30000);
    QCOMPARE(QString::fromStdString(w.data()->source), npz_);
    QCOMPARE(w.data()->train.size() + w.data()->test.size(), 500);
    QVERIFY(!w.data()->train.hasLabels());
  }

  // The dialog's other forms: an .npy X with its labels in a second .npy, and a CSV with a header and the label
  // column last. Both open labelled, with the classes of their labels.
  void npyAndCsvThroughTheDialog() {
    std::vector<float> x(60 * 4);
    std::vector<int32_t> y(60);
    for (int i = 0; i < 60; ++i) {
      y[size_t(i)] = i % 3;
      for (int j = 0; j < 4; ++j) x[size_t(i * 4 + j)] = float(i % 3) + 0.01f * float(j);
    }
    const QString npy = dir_.filePath("features.npy"), labels = dir_.filePath("labels.npy");
    writeNpy(npy, "<f4", "(60, 4)", x.data(), int(x.size() * sizeof(float)));
    writeNpy(labels, "<i4", "(60,)", y.data(), int(y.size() * sizeof(int32_t)));
    const QString csv = dir_.filePath("table.csv");
    {
      QFile f(csv);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Text));
      QTextStream out(&f);
      out << "a,b,c,species\n";
      for (int i = 0; i < 60; ++i) out << i % 5 << ',' << 0.5 << ',' << i % 2 << ',' << (i % 2 ? "cat" : "dog") << '\n';
    }

    MainWindow w;
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 30000);
    QSignalSpy loaded(&w, &MainWindow::datasetLoaded);
    w.dataPanel()->setImportPrompt([&](const DataImport& start) -> std::optional<DataImport> {
      DataImportDialog dialog(start);
      if (auto* yFile = dialog.findChild<QLineEdit*>("yFile")) yFile->setText(labels);  // the .npy's labels
      if (auto* column = dialog.findChild<QComboBox*>("labelColumn")) {
        column->setCurrentIndex(column->findData("last"));
        auto* header = dialog.findChild<QComboBox*>("header");
        header->setCurrentIndex(header->findData(int(latentlab::HeaderMode::Yes)));
      }
      return dialog.dataImport();
    });
    w.dataPanel()->openDataFile(npy);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
    QCOMPARE(w.data()->train.size() + w.data()->test.size(), 60);
    QVERIFY(w.data()->train.hasLabels() && w.data()->test.hasLabels());
    QCOMPARE(w.data()->train.classes, 3);
    QCOMPARE(w.data()->train.features(), 4);

    w.dataPanel()->openDataFile(csv);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 2, 30000);
    QCOMPARE(w.data()->train.size() + w.data()->test.size(), 60);
    QCOMPARE(w.data()->train.features(), 3);
    QVERIFY(w.data()->train.hasLabels());
    QCOMPARE(w.data()->train.classes, 2);
    QCOMPARE(w.data()->train.classNames, (std::vector<std::string>{"cat", "dog"}));
  }

  // An HDF5 file through the dialog: its datasets listed with their paths (nested groups too), X and y chosen
  // among them as a user would (not the defaults), the data opened labelled with the chosen arrays' shape.
  void hdf5ThroughTheDialog() {
    const QString h5 = dir_.filePath("arrays.h5");
    QVERIFY(QFile::copy(QStringLiteral(LATENTLAB_FIXTURES "/arrays.h5"), h5));
    MainWindow w;
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 30000);
    QSignalSpy loaded(&w, &MainWindow::datasetLoaded);
    QStringList listed;
    w.dataPanel()->setImportPrompt([&](const DataImport& start) -> std::optional<DataImport> {
      DataImportDialog dialog(start);
      auto* x = dialog.findChild<QComboBox*>("xArray");
      auto* y = dialog.findChild<QComboBox*>("yArray");
      if (!x || !y) return std::nullopt;
      for (int i = 0; i < x->count(); ++i) listed << x->itemData(i).toString();
      x->setCurrentIndex(x->findData("group/images"));
      y->setCurrentIndex(y->findData("flags"));
      return dialog.dataImport();
    });
    w.dataPanel()->openDataFile(h5);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
    QVERIFY2(listed.contains("x") && listed.contains("group/images") && listed.contains("labels"),
             qPrintable(listed.join(", ")));
    QCOMPARE(w.data()->train.size() + w.data()->test.size(), 6);
    QVERIFY(w.data()->train.shape == latentlab::SampleShape::image(2, 2, 1));  // group/images: 6 x 2 x 2 uint8
    QVERIFY(w.data()->train.hasLabels());
    QCOMPARE(w.data()->train.classes, 2);  // flags: booleans
  }

  // A file that is not an .npz inside: the Data dock says so and the open data set stays open.
  void badFileLeavesTheOpenData() {
    const QString bad = dir_.filePath("broken.npz");
    {
      QFile f(bad);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("PK\x03\x04 this is no zip archive");
    }
    MainWindow w;
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 30000);
    const auto before = w.data();
    w.dataPanel()->setImportPrompt([](const DataImport& start) -> std::optional<DataImport> {
      DataImportDialog dialog(start);  // it cannot list the arrays: says so, and Open still tries
      if (dialog.problem().isEmpty()) return std::nullopt;
      return dialog.dataImport();
    });
    QSignalSpy failed(&w, &MainWindow::datasetFailed);
    w.dataPanel()->openDataFile(bad);
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 30000);
    QVERIFY(failed.first().at(0).toString().contains("broken.npz"));
    QCOMPARE(w.data(), before);
    const QString dock = texts(w).join('\n');
    QVERIFY(dock.contains("Could not open the data set") && dock.contains("Still open"));
  }

  // An HDF5 file that crashed libhdf5 1.10 itself (a chunk layout of dimensionality 0: found by fuzz_hdf5_data, a
  // write 16 GB past an array in H5D__chunk_set_sizes). The reader now finds the damage before libhdf5 reads it
  // (engine/io/Hdf5Metadata.h), so the dialog and the loader, which walk the file in a child process first, say
  // what is wrong, and the workbench keeps the open data set.
  void hdf5ThatCrashedLibhdf5CostsAMessage() {
    const QString bad = dir_.filePath("crashes-libhdf5.h5");
    QVERIFY(QFile::copy(QStringLiteral(LATENTLAB_FIXTURES "/libhdf5_crash_layout.h5"), bad));
    MainWindow w;
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 30000);
    const auto before = w.data();
    QString dialogProblem;
    w.dataPanel()->setImportPrompt([&](const DataImport& start) -> std::optional<DataImport> {
      DataImportDialog dialog(start);
      dialogProblem = dialog.problem();
      if (!shots_.isEmpty()) dialog.grab().save(shots_ + "/data-import-damaged-hdf5.png");
      return dialog.dataImport();  // Open still tries
    });
    QSignalSpy failed(&w, &MainWindow::datasetFailed);
    w.dataPanel()->openDataFile(bad);
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 30000);
    QVERIFY2(dialogProblem.contains("chunk layout is damaged"), qPrintable(dialogProblem));
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains("crashes-libhdf5.h5") && message.contains("chunk layout is damaged"),
             qPrintable(message));
    QCOMPARE(w.data(), before);
    if (!shots_.isEmpty()) w.grab().save(shots_ + "/workbench-damaged-hdf5.png");
  }
};

QTEST_MAIN(DataImportTest)
#include "DataImportTest.moc"
