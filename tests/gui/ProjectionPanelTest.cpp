// The Projection view, offscreen, with small random models over MNIST subsets: PCA of the training set plots
// every point, a rectangle selection labelled as class 3 is one undo step, a refresh keeps the points and the
// selection; t-SNE runs to the end and cancels; a 2-D latent is drawn over its decoded plane; hovering shows
// the sample; a model for other data is refused; the CSV names samples by their column; conv and recurrent
// models project and draw their samples.
// With LATENTLAB_SCREENSHOT_DIR set, the screenshot tests save pictures of trained models: projection.png
// (t-SNE of 5000 test samples or LATENTLAB_PROJECTION_SAMPLES, LATENTLAB_PROJECTION_MODEL, default runs/mnist-100.h5; the latent means, or
// q(y|x) with LATENTLAB_PROJECTION_INPUT=classifier, its log-ratios with clr; the name LATENTLAB_SCREENSHOT_NAME) and
// projection-plane.png (LATENTLAB_PLANE_MODEL, a 2-D latent, background class LATENTLAB_PLANE_CLASS):
//   LATENTLAB_PROJECTION_MODEL=$PWD/runs/mnist-100.h5 LATENTLAB_PLANE_MODEL=$PWD/runs/mnist-z2.h5
//   LATENTLAB_SCREENSHOT_DIR=$PWD/docs ctest --test-dir build -R gui_projection_panel
#include <QApplication>
#include <QDialog>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "app/LabelSession.h"
#include "app/projection/LatentPlane.h"
#include "app/projection/ProjectionPanel.h"
#include "app/projection/SampleDetails.h"
#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "widgets/ProjectionPlot.h"

using namespace latentlab;

namespace {

ModelSnapshot smallModel(int latent = 8) {
  ModelConfig c;
  c.hidden = {64};
  c.latent = latent;
  SemiSupervisedVae<float> model(c, 3);
  DatasetInfo info;
  info.height = 28;
  info.width = 28;
  return std::make_shared<const ModelFile>(captureModel(model, {}, info));
}

const DataSplit& fullMnist() {
  static const DataSplit all = loadIdxFolder(qEnvironmentVariable("LATENTLAB_MNIST").toStdString());
  return all;
}

std::shared_ptr<const DataSplit> mnist(int train = 2000) {
  auto d = std::make_shared<DataSplit>(fullMnist());
  if (train > 0) d->train = d->train.head(train);
  return d;
}

// A label session of its own over the data and the panel on it.
struct Bench {
  QTemporaryDir dir;
  LabelSession session{nullptr, dir.path()};
  ProjectionPanel panel{&session};
  bool ok = false;
  explicit Bench(std::shared_ptr<const DataSplit> data, QSize size = {1000, 600}) {
    ok = session.open(std::move(data)).isEmpty();
    panel.resize(size);
    panel.show();
  }
};

// The first `train` training images under a small random model (latent size `latent`), the training set
// chosen; t-SNE with the perplexity and iterations when iterations > 0, else PCA.
std::unique_ptr<Bench> trainingBench(int train, int latent = 8, double perplexity = 30, int iterations = 0) {
  auto b = std::make_unique<Bench>(mnist(train));
  b->panel.setModel(smallModel(latent));
  b->panel.setSet(ProjectionPanel::Set::Training);
  if (iterations > 0) {
    b->panel.setMethod(ProjectionPanel::Method::Tsne);
    b->panel.setTsneParameters(perplexity, iterations);
  }
  return b;
}

// For the screenshots: every MNIST sample and a trained model, the test set's samples projected.
std::unique_ptr<Bench> trainedBench(const QString& modelPath, int samples) {
  auto b = std::make_unique<Bench>(mnist(0), QSize(1280, 760));
  b->panel.setModel(std::make_shared<const ModelFile>(readModelFile(modelPath.toStdString())));
  b->panel.setSet(ProjectionPanel::Set::Test);
  b->panel.setSampleCap(samples);
  b->panel.setColourBy(ProjectionPanel::ColourBy::TrueClass);
  return b;
}

bool waitComputed(ProjectionPanel& panel, int ms) {
  QSignalSpy spy(&panel, &ProjectionPanel::computed);
  panel.compute();
  return spy.count() > 0 || spy.wait(ms);  // a refused request answers at once
}

// The training set's points under a model with a 2-D latent, over the decoded plane of class 0.
bool projectOnPlane(ProjectionPanel& panel, SemiSupervisedVae<float>& model) {
  panel.setModel(std::make_shared<const ModelFile>(captureModel(model, {}, DatasetInfo{})));
  panel.setSet(ProjectionPanel::Set::Training);
  panel.setInput(ProjectionPanel::Input::LatentPlane);
  panel.setPlaneBackground(true, 0);
  return waitComputed(panel, 30000);
}

}  // namespace

class ProjectionPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QApplication::setStyle("Fusion"); }

  void pcaSelectLabelUndo() {
    Bench b(mnist());
    QVERIFY(b.ok);
    LabelSession& s = b.session;
    ProjectionPanel& panel = b.panel;
    panel.setModel(smallModel());
    panel.setSet(ProjectionPanel::Set::Training);
    panel.setInput(ProjectionPanel::Input::LatentMeans);
    panel.setMethod(ProjectionPanel::Method::Pca);
    QVERIFY(waitComputed(panel, 30000));
    QCOMPARE(panel.plot()->pointCount(), 2000);
    QCOMPARE(int(panel.samples().size()), 2000);

    // A rectangle around the middle of the points.
    double minX = 1e30, maxX = -1e30, minY = 1e30, maxY = -1e30;
    for (int i = 0; i < panel.plot()->pointCount(); ++i) {
      const QPointF p = panel.plot()->point(i);
      minX = std::min(minX, p.x()), maxX = std::max(maxX, p.x());
      minY = std::min(minY, p.y()), maxY = std::max(maxY, p.y());
    }
    const QRectF middle(QPointF(minX + 0.25 * (maxX - minX), minY + 0.25 * (maxY - minY)),
                        QPointF(minX + 0.75 * (maxX - minX), minY + 0.75 * (maxY - minY)));
    const QVector<int> selected = panel.plot()->selectRect(middle);
    QVERIFY(!selected.isEmpty());
    QVERIFY(selected.size() < 2000);

    QCOMPARE(s.count(), 0);
    QCOMPARE(panel.labelSelection(3), selected.size());
    QCOMPARE(s.count(), selected.size());
    for (int i : selected) {
      const auto e = s.entry(panel.samples()[size_t(i)].index);
      QVERIFY(e.has_value());
      QCOMPARE(e->label, 3);
      QVERIFY(e->source == LabelSource::User);
    }
    QCOMPARE(s.undoStack()->count(), 1);
    s.undoStack()->undo();
    QCOMPARE(s.count(), 0);

    // Click details and colourings do not crash; CSV has a line per point.
    panel.showDetails(selected.first());
    for (auto c : {ProjectionPanel::ColourBy::Predicted, ProjectionPanel::ColourBy::Labelled,
                   ProjectionPanel::ColourBy::Confidence, ProjectionPanel::ColourBy::AnomalyScore})
      panel.setColourBy(c);
    QTemporaryDir out;
    QVERIFY(panel.exportCsv(out.filePath("p.csv")));
    QFile f(out.filePath("p.csv"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().count('\n') >= 2000);
    QVERIFY(panel.exportPng(out.filePath("p.png")));

    // A refresh with a new model keeps the same points (and the selection).
    panel.setRefreshEachEpoch(true);
    QSignalSpy spy(&panel, &ProjectionPanel::computed);
    panel.setModel(smallModel());
    QVERIFY(spy.wait(30000));
    QCOMPARE(panel.plot()->pointCount(), 2000);
    QCOMPARE(panel.plot()->selection(), selected);

    // The classifier's log-ratios: PCA of a 10-D input (the same samples, a new map).
    panel.setRefreshEachEpoch(false);
    panel.setInput(ProjectionPanel::Input::ClassLogRatios);
    QVERIFY(waitComputed(panel, 30000));
    QCOMPARE(panel.plot()->pointCount(), 2000);
    QVERIFY(panel.statusText().startsWith("2000 samples"));

    // Test-set samples cannot be labelled.
    panel.setRefreshEachEpoch(false);
    panel.setSet(ProjectionPanel::Set::Test);
    panel.setSampleCap(300);
    QVERIFY(waitComputed(panel, 30000));
    QCOMPARE(panel.plot()->pointCount(), 300);
    panel.plot()->selectRect(QRectF(QPointF(-1e9, -1e9), QPointF(1e9, 1e9)));
    QCOMPARE(panel.labelSelection(3), 0);
    QCOMPARE(s.count(), 0);
  }

  void tsneCompletes() {
    auto b = trainingBench(500, 8, 20, 60);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    QVERIFY(waitComputed(panel, 60000));
    QCOMPARE(panel.plot()->pointCount(), 500);
    for (int i = 0; i < 500; ++i) QVERIFY(std::isfinite(panel.plot()->point(i).x()));
  }

  void cancelStops() {
    auto b = trainingBench(1000, 8, 30, 5000);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    QSignalSpy spy(&panel, &ProjectionPanel::computed);
    panel.compute();
    QVERIFY(panel.isComputing());
    QTest::qWait(300);
    QVERIFY(panel.isComputing());  // 5000 iterations take seconds: cancelled midway
    QElapsedTimer answer;
    answer.start();
    panel.cancel();
    QVERIFY(spy.wait(30000));
    qInfo("cancel answered in %lld ms", answer.elapsed());
    QVERIFY(answer.elapsed() < 2000);  // within a t-SNE iteration of 1000 points, plus a loaded machine's delays
    QVERIFY(!panel.isComputing());
    QVERIFY(panel.statusText().startsWith("Cancelled"));
  }

  // New models while a job runs (training faster than the map): the job finishes and the newest model runs
  // next, instead of every epoch cancelling the last.
  void refreshesQueueWithoutCancelling() {
    auto b = trainingBench(1000, 8, 30, 400);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    panel.setRefreshEachEpoch(true);
    QSignalSpy spy(&panel, &ProjectionPanel::computed);
    panel.setModel(smallModel());  // starts the first job
    QVERIFY(panel.isComputing());
    panel.setModel(smallModel());
    panel.setModel(smallModel());  // both while it runs: one more job, with the newest
    QVERIFY(spy.wait(60000));
    QCOMPARE(spy.count(), 1);  // computed() once both jobs are done
    QCOMPARE(panel.mapsShown(), 2);  // the first ran to its end
    QVERIFY(!panel.isComputing());
    QCOMPARE(panel.plot()->pointCount(), 1000);
  }

  // Issue 13: the clicked sample's panel once kept an old sample after recomputing. A new model over the same
  // samples shows the same sample again (under the new model); other samples clear it.
  void detailsFollowTheNewProjection() {
    auto b = trainingBench(500);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    panel.setMethod(ProjectionPanel::Method::Pca);
    QVERIFY(waitComputed(panel, 30000));
    QVERIFY(!panel.details()->showsSample());
    panel.showDetails(7);
    QVERIFY(panel.details()->showsSample());
    const QString sample = QString("#%1<").arg(panel.samples()[7].index);
    QVERIFY2(panel.details()->text().contains(sample), qPrintable(panel.details()->text()));

    panel.setModel(smallModel());  // another model, the same samples
    QVERIFY(waitComputed(panel, 30000));
    QVERIFY(panel.details()->showsSample());
    QVERIFY2(panel.details()->text().contains(sample), qPrintable(panel.details()->text()));

    panel.setSet(ProjectionPanel::Set::Test);  // other samples
    QVERIFY(waitComputed(panel, 30000));
    QVERIFY(!panel.samples().empty() && panel.samples().front().fromTest);
    QVERIFY(!panel.details()->showsSample());
    QVERIFY2(panel.details()->text().contains("Click a point"), qPrintable(panel.details()->text()));
  }

  // Another data set while a job runs: the job's result (samples of the old data) is dropped.
  void resetDropsTheRunningJob() {
    auto b = trainingBench(1000, 8, 30, 300);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    QSignalSpy spy(&panel, &ProjectionPanel::computed);
    panel.compute();
    QTest::qWait(100);
    panel.reset();
    QVERIFY(!panel.isComputing());
    QTest::qWait(1500);  // the old job ends (cancelled) and posts what it has
    QCOMPARE(spy.count(), 0);
    QCOMPARE(panel.plot()->pointCount(), 0);
    QVERIFY(panel.samples().empty());
    QVERIFY(waitComputed(panel, 30000));  // and the panel works on
    QCOMPARE(panel.plot()->pointCount(), 1000);
  }

  // A 2-D latent is plotted as it is, over the decoder's images on a grid of the visible plane; another class
  // draws another background, and zooming decodes the new view.
  void latentPlane() {
    auto b = trainingBench(300, 2);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    panel.setInput(ProjectionPanel::Input::LatentPlane);
    panel.setPlaneBackground(true, 0);
    QVERIFY(waitComputed(panel, 30000));
    QCOMPARE(panel.plot()->pointCount(), 300);
    QVERIFY(panel.plot()->hasUnderlay());
    const QImage zero = panel.planeImage();
    QCOMPARE(zero.height(), 15 * 28);  // 15 rows of 28 x 28 images, as many columns as keep them square
    QCOMPARE(zero.width() % 28, 0);
    QVERIFY(zero.width() > zero.height());  // the plot is wider than high
    panel.setPlaneBackground(true, 1);
    const QImage one = panel.planeImage();
    QCOMPARE(one.size(), zero.size());
    QVERIFY(one != zero);
    panel.plot()->xAxis->scaleRange(0.5);
    QTRY_VERIFY_WITH_TIMEOUT(panel.planeImage() != one, 2000);
    panel.setPlaneBackground(false, 1);
    QVERIFY(!panel.plot()->hasUnderlay());

    // A model with a larger latent has no plane: the input falls back to the latent means.
    panel.setModel(smallModel(8));
    panel.setInput(ProjectionPanel::Input::LatentPlane);
    QVERIFY(waitComputed(panel, 30000));
    QVERIFY(!panel.plot()->hasUnderlay());
  }

  // A conv model projects, its 2-D plane is decoded, and the clicked sample shows its reconstruction.
  void convModel() {
    auto b = std::make_unique<Bench>(mnist(300));
    QVERIFY(b->ok);
    ModelConfig c;
    c.flavour = Flavour::Conv;
    c.setInput(SampleShape::image(28, 28));
    c.conv.channels = {4, 8};
    c.hidden = {16};
    c.latent = 2;
    SemiSupervisedVae<float> model(c, 3);
    ProjectionPanel& panel = b->panel;
    QVERIFY(projectOnPlane(panel, model));
    QCOMPARE(panel.plot()->pointCount(), 300);
    QVERIFY(panel.plot()->hasUnderlay());
    QCOMPARE(panel.planeImage().height(), 15 * 28);
    panel.showDetails(4);
    QVERIFY(panel.details()->showsSample());
    QCOMPARE(panel.details()->reconstructionShown().isNull(), false);
  }

  // Sequence data: the clicked sample's reconstruction is its curves with the reconstruction dashed over them, the
  // hover shows curves, and a 2-D latent's plane is a grid of faded curves.
  void sequencesDrawAsCurves() {
    auto data = std::make_shared<DataSplit>();
    for (Dataset* d : {&data->train, &data->test}) {
      d->shape = SampleShape::sequence(20, 3);
      d->classes = 2;
      d->x.resize(60, 200);
      for (int i = 0; i < 200; ++i) {
        d->labels.push_back(i % 2);
        for (int t = 0; t < 20; ++t)
          for (int c = 0; c < 3; ++c) d->x(t * 3 + c, i) = float(std::sin((0.2 + 0.2 * (i % 2)) * t + c + 0.01 * i));
      }
    }
    Bench b(data);
    QVERIFY(b.ok);
    ModelConfig c;
    c.flavour = Flavour::Recurrent;
    c.setInput(SampleShape::sequence(20, 3));
    c.recurrent.hidden = 8;
    c.latent = 2;
    c.classes = 2;
    c.likelihood = Likelihood::Gaussian;
    SemiSupervisedVae<float> model(c, 3);
    ProjectionPanel& panel = b.panel;
    QVERIFY(projectOnPlane(panel, model));
    QCOMPARE(panel.plot()->pointCount(), 200);
    QVERIFY(panel.plot()->hasUnderlay());
    QCOMPARE(panel.planeImage().height(), 15 * kPlaneCurveCell);
    QCOMPARE(panel.planeImage().format(), QImage::Format_RGB32);
    panel.showDetails(3);
    QVERIFY(panel.details()->showsSample());
    // Shrunk smoothly into the strip: coloured pixels (curves), not grey ones (an image of values).
    const QImage shown = panel.details()->reconstructionShown().convertToFormat(QImage::Format_RGB32);
    int coloured = 0;
    for (int y = 0; y < shown.height(); ++y)
      for (int x = 0; x < shown.width(); ++x) {
        const QRgb p = shown.pixel(x, y);
        coloured += std::abs(qRed(p) - qBlue(p)) > 40 || std::abs(qGreen(p) - qBlue(p)) > 40;
      }
    QVERIFY2(coloured > 100, qPrintable(QString::number(coloured)));
    panel.showHover(5);
    QVERIFY(panel.hoverVisible());
  }

  // Hovering a point floats its image beside it; leaving every point hides it. A model for another number
  // of features is refused with a message, not a crash.
  void hoverAndMismatch() {
    auto b = trainingBench(300);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    QVERIFY(waitComputed(panel, 30000));
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.plot()->replot();
    const QPoint at = panel.plot()->pixelOf(7).toPoint();
    QTest::mouseMove(panel.plot(), at);
    QTRY_VERIFY_WITH_TIMEOUT(panel.hoverVisible(), 2000);
    panel.showHover(-1);
    QVERIFY(!panel.hoverVisible());

    ModelConfig c;
    c.inputSize = 100;
    c.hidden = {16};
    c.latent = 4;
    SemiSupervisedVae<float> other(c, 1);
    panel.setModel(std::make_shared<const ModelFile>(captureModel(other, {}, DatasetInfo{})));
    QVERIFY(waitComputed(panel, 30000));
    QCOMPARE(panel.plot()->pointCount(), 300);  // the last projection stays
    QVERIFY2(panel.statusText().contains("100 features") && panel.statusText().contains("784"),
             qPrintable(panel.statusText()));
    QVERIFY(!panel.isComputing());
  }

  // The CSV names each sample by its column in its set.
  void csvNamesSamples() {
    Bench b(mnist(2000));
    QVERIFY(b.ok);
    LabelSession& s = b.session;
    ProjectionPanel& panel = b.panel;
    panel.setModel(smallModel());
    panel.setSet(ProjectionPanel::Set::Test);
    panel.setSampleCap(200);
    QVERIFY(waitComputed(panel, 30000));
    QTemporaryDir out;
    QVERIFY(panel.exportCsv(out.filePath("p.csv")));
    QFile f(out.filePath("p.csv"));
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 201);
    QCOMPARE(lines[0], QString("index,x,y,class,prediction,labelled,set"));
    const auto data = s.data();
    for (int j : {0, 57, 199}) {
      const QStringList cells = lines[j + 1].split(',');
      QCOMPARE(cells.size(), 7);
      const int index = cells[0].toInt();
      QCOMPARE(index, panel.samples()[size_t(j)].index);
      QCOMPARE(cells[3].toInt(), data->test.labels[size_t(index)]);
      QCOMPARE(cells[4].toInt(), panel.predicted(j));
      QCOMPARE(cells[6], QString("test"));
    }
  }

  void screenshot() {
    const QString outDir = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR");
    if (outDir.isEmpty()) QSKIP("LATENTLAB_SCREENSHOT_DIR not set");
    QString modelPath = qEnvironmentVariable("LATENTLAB_PROJECTION_MODEL");
    if (modelPath.isEmpty()) modelPath = "runs/mnist-100.h5";
    QVERIFY2(QFile::exists(modelPath), qPrintable(modelPath + ": no such model (set LATENTLAB_PROJECTION_MODEL)"));
    const int samples = qEnvironmentVariableIsSet("LATENTLAB_PROJECTION_SAMPLES")
                            ? qEnvironmentVariableIntValue("LATENTLAB_PROJECTION_SAMPLES")
                            : 5000;
    auto b = trainedBench(modelPath, samples);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    const DataSplit* data = b->session.data();
    const QString input = qEnvironmentVariable("LATENTLAB_PROJECTION_INPUT");
    panel.setInput(input == "classifier" ? ProjectionPanel::Input::ClassProbabilities
                   : input == "clr"      ? ProjectionPanel::Input::ClassLogRatios
                                         : ProjectionPanel::Input::LatentMeans);
    panel.setMethod(ProjectionPanel::Method::Tsne);
    panel.setTsneParameters(30, 1000);
    QVERIFY(waitComputed(panel, 580000));
    QCOMPARE(panel.plot()->pointCount(), samples);
    qInfo() << panel.statusText();
    panel.plot()->replot();
    // A misclassified sample clicked, another sample hovered.
    int wrong = 0;
    while (wrong < samples - 1 && panel.predicted(wrong) == data->test.labels[size_t(panel.samples()[size_t(wrong)].index)])
      ++wrong;
    panel.showDetails(wrong);
    panel.showHover(1234);
    QTest::qWait(50);
    const QString name = qEnvironmentVariable("LATENTLAB_SCREENSHOT_NAME", "projection.png");
    QVERIFY(panel.grab().save(QDir(outDir).filePath(name)));
    // The 0 cluster's neighbourhood of the clicked point as a gallery, for a person to look at.
    const QString gallery = qEnvironmentVariable("LATENTLAB_GALLERY_SHOT");
    if (!gallery.isEmpty()) {
      const QPointF c = panel.plot()->point(wrong);
      panel.plot()->selectRect(QRectF(c - QPointF(2, 2), c + QPointF(2, 2)));
      panel.openGallery();
      QTest::qWait(100);
      auto dialogs = panel.findChildren<QDialog*>();
      QVERIFY(!dialogs.isEmpty());
      QVERIFY(dialogs.last()->grab().save(gallery));
    }
  }

  // The 2-D latent plane of a trained model (LATENTLAB_PLANE_MODEL, latent size 2) over its decoded images.
  void screenshotPlane() {
    const QString outDir = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR");
    const QString modelPath = qEnvironmentVariable("LATENTLAB_PLANE_MODEL");
    if (outDir.isEmpty() || modelPath.isEmpty()) QSKIP("LATENTLAB_SCREENSHOT_DIR or LATENTLAB_PLANE_MODEL not set");
    QVERIFY2(QFile::exists(modelPath), qPrintable(modelPath + ": no such model"));
    auto b = trainedBench(modelPath, 3000);
    QVERIFY(b->ok);
    ProjectionPanel& panel = b->panel;
    panel.setInput(ProjectionPanel::Input::LatentPlane);
    panel.setPlaneBackground(true, qEnvironmentVariableIntValue("LATENTLAB_PLANE_CLASS"));
    QVERIFY(waitComputed(panel, 60000));
    panel.showDetails(3);
    QTest::qWait(400);  // the background follows the fitted view
    QVERIFY(panel.grab().save(QDir(outDir).filePath("projection-plane.png")));
  }
};

QTEST_MAIN(ProjectionPanelTest)
#include "ProjectionPanelTest.moc"
