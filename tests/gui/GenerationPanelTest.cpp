// The Generation view, offscreen, with a small random model (no training: every property checked holds for any
// weights) over MNIST-shaped random data: a slider redraws the image, the class changes it, every grid has the
// shape its controls ask for, a clicked cell loads its style, grids export. With LATENTLAB_GENERATION_MODEL
// (a trained model file) and LATENTLAB_SCREENSHOT_DIR set, the last test saves the documentation screenshots:
//   LATENTLAB_GENERATION_MODEL=$PWD/runs/mnist-100.h5 LATENTLAB_SCREENSHOT_DIR=$PWD/docs ctest -R gui_generation
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "support/TimeoutFactor.h"
#include "app/generation/GenerationPanel.h"
#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "widgets/SampleCurves.h"

using namespace latentlab;

namespace {

ModelSnapshot randomModel(const ModelConfig& config) {
  SemiSupervisedVae<float> model(config, 3);
  DatasetInfo info;
  info.height = 28;
  info.width = 28;
  return std::make_shared<const ModelFile>(captureModel(model, {}, info));
}

ModelSnapshot smallModel() {
  ModelConfig c;
  c.hidden = {64};
  c.latent = 8;
  return randomModel(c);
}

std::shared_ptr<const DataSplit> mnistShaped(int n = 200) {
  auto d = std::make_shared<DataSplit>();
  for (Dataset* s : {&d->train, &d->test}) {
    s->x.resize(784, n);
    Random rng(s == &d->train ? 1 : 2);
    rng.fillUniform(s->x, 0.f, 1.f);
    for (int i = 0; i < n; ++i) s->labels.push_back(i % 10);
    s->shape = SampleShape::image(28, 28);
    s->classes = 10;
    for (int k = 0; k < 10; ++k) s->classNames.push_back("digit " + std::to_string(k));
  }
  return d;
}

QImage rendered(QWidget* w) { return w->grab().toImage(); }

}  // namespace

class GenerationPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QApplication::setStyle("Fusion"); }

  void emptyUntilAModelArrives() {
    GenerationPanel panel;
    panel.show();
    QVERIFY(!panel.hasModel());
    QVERIFY(panel.sliders().isEmpty());
    panel.setModel(smallModel(), mnistShaped());
    QVERIFY(panel.hasModel());
    QCOMPARE(panel.sliders().size(), 8);
    QCOMPARE(panel.classNames().size(), 10);
    QCOMPARE(panel.classNames().at(3), QString("digit 3"));  // the data's names: the model file has none
    panel.setModel(nullptr, nullptr);
    QVERIFY(!panel.hasModel());
    QVERIFY(panel.sliderView()->isEmpty());
  }

  void movingASliderRedrawsTheImage() {
    GenerationPanel panel;
    panel.resize(900, 600);
    panel.show();
    panel.setModel(smallModel(), mnistShaped());
    QSignalSpy styles(&panel, &GenerationPanel::styleChanged);
    QCOMPARE(panel.sliderView()->rowCount(), 1);
    QCOMPARE(panel.sliderView()->columnCount(), 1);
    QCOMPARE(panel.sliderView()->sample(0, 0).size(), 784);
    const QVector<float> before = panel.sliderView()->sample(0, 0);
    const QImage pixelsBefore = rendered(panel.sliderView());
    QSlider* s = panel.sliders().at(0);
    s->setValue(s->value() > 0 ? -250 : 250);  // as a drag does: valueChanged per step
    QCOMPARE(styles.count(), 1);
    QVERIFY(panel.sliderView()->sample(0, 0) != before);
    QVERIFY(rendered(panel.sliderView()) != pixelsBefore);
    QCOMPARE(panel.currentStyle().at(0), s->value() / 100.f);  // axis-aligned: the slider is z_1 in sd units
    QVERIFY(panel.lastDecodeMs() < 30);
  }

  void changingTheClassRedrawsTheImage() {
    GenerationPanel panel;
    panel.resize(900, 600);
    panel.show();
    panel.setModel(smallModel(), mnistShaped());
    QSignalSpy classes(&panel, &GenerationPanel::classChanged);
    const QVector<float> style = panel.currentStyle();
    const QImage before = rendered(panel.sliderView());
    QPushButton* seven = nullptr;
    for (QPushButton* b : panel.findChildren<QPushButton*>())
      if (b->text() == "digit 7") seven = b;
    QVERIFY(seven && seven->isCheckable());
    QTest::mouseClick(seven, Qt::LeftButton);
    QCOMPARE(panel.currentClass(), 7);
    QCOMPARE(classes.count(), 1);
    QVERIFY(seven->isChecked());
    QCOMPARE(panel.currentStyle(), style);  // the style stays, the class changes
    QVERIFY(rendered(panel.sliderView()) != before);
    // The strip beside it holds the same style as every class; the picked one matches the big image.
    QCOMPARE(panel.everyClassView()->columnCount(), 10);
    const QVector<float> big = panel.sliderView()->sample(0, 0), strip = panel.everyClassView()->sample(0, 7);
    for (int i = 0; i < big.size(); ++i) QVERIFY(std::abs(big[i] - strip[i]) < 1e-5f);
  }

  void randomResetAndDirections() {
    GenerationPanel panel;
    panel.show();
    panel.setModel(smallModel(), mnistShaped());
    const QVector<float> first = panel.currentStyle();
    panel.randomStyle();
    const QVector<float> second = panel.currentStyle();
    QVERIFY(second != first);
    panel.resetStyle();
    for (QSlider* s : panel.sliders()) QCOMPARE(s->value(), 0);
    for (float v : panel.currentStyle()) QCOMPARE(v, 0.f);  // the prior's mean

    // Changing the directions keeps the style: the sliders become its projection on the new directions (exact
    // for a full basis, up to the sliders' 0.01 sd steps, inside +/-3 sd).
    panel.setPrincipalDirections(true);
    QCOMPARE(panel.sliders().size(), 8);
    panel.randomStyle();
    const QVector<float> z = panel.currentStyle();
    panel.setPrincipalDirections(false);
    QVector<float> same = panel.currentStyle();
    for (int i = 0; i < z.size(); ++i) QVERIFY2(std::abs(z[i] - same[i]) < 0.01f, "style moved");
    panel.setPrincipalDirections(true);
    same = panel.currentStyle();
    for (int i = 0; i < z.size(); ++i) QVERIFY2(std::abs(z[i] - same[i]) < 0.02f, "style moved");
    panel.resetStyle();
    QVERIFY(panel.currentStyle() != QVector<float>(8, 0.f));  // 0 is now the test images' mean style
  }

  void classByStyleGridShape() {
    GenerationPanel panel;
    panel.resize(900, 700);
    panel.show();
    panel.setModel(smallModel(), mnistShaped());
    panel.showTab(GenerationPanel::GridTab);
    SampleGrid* grid = panel.gridView();
    QCOMPARE(grid->rowCount(), 10);    // rows = classes
    QCOMPARE(grid->columnCount(), 8);  // columns = random styles
    QCOMPARE(grid->rowLabels().at(2), QString("digit 2"));
    QComboBox* gridSource = nullptr;
    for (QComboBox* c : panel.findChildren<QComboBox*>())
      if (c->itemText(0) == "Random styles") gridSource = c;
    QVERIFY(gridSource);
    QLineEdit* indices = nullptr;
    for (QLineEdit* e : panel.findChildren<QLineEdit*>())
      if (e->text() == "0-7") indices = e;
    QVERIFY(indices);
    indices->setText("3, 5, 10-12");
    gridSource->setCurrentIndex(1);
    QCOMPARE(grid->rowCount(), 11);  // the source images, then the classes
    QCOMPARE(grid->columnCount(), 5);
    QCOMPARE(grid->columnLabels().at(2), QString("#10"));
    // Clicking a decoded cell opens its style and class in the sliders.
    const QRect cell = grid->cellRect(1 + 4, 2);
    QVERIFY(!cell.isEmpty());
    QTest::mouseClick(grid, Qt::LeftButton, {}, cell.center());
    QCOMPARE(panel.currentClass(), 4);
    const QVector<float> big = panel.sliderView()->sample(0, 0), clicked = grid->sample(5, 2);
    float worst = 0;
    for (int i = 0; i < big.size(); ++i) worst = std::max(worst, std::abs(big[i] - clicked[i]));
    QVERIFY2(worst < 0.05f, qPrintable(QString("sliders show a different image: %1").arg(worst)));
    // A bad index says so and leaves the grid as it was.
    indices->setText("3, 99999");
    emit indices->editingFinished();
    QVERIFY(panel.message(GenerationPanel::GridTab).contains("outside the test set"));
    QCOMPARE(grid->columnCount(), 5);
  }

  void transferInterpolationArithmeticShapes() {
    GenerationPanel panel;
    panel.resize(900, 700);
    panel.show();
    panel.setModel(smallModel(), mnistShaped());
    QCOMPARE(panel.transferView()->rowCount(), 1);      // test image 0
    QCOMPARE(panel.transferView()->columnCount(), 11);  // the image, then every class
    QVERIFY(panel.message(GenerationPanel::TransferTab).contains("#0 labelled digit 0"));
    for (QPushButton* b : panel.findChildren<QPushButton*>())
      if (b->text() == "Random image") b->click();
    QCOMPARE(panel.transferView()->rowCount(), 2);       // a random image joins as a new row
    QCOMPARE(panel.interpolationView()->rowCount(), 2);  // the two images, then the picked class
    QCOMPARE(panel.interpolationView()->columnCount(), 10);
    QVERIFY(panel.interpolationView()->sample(0, 0).size() == 784);
    QVERIFY(panel.interpolationView()->sample(0, 4).isEmpty());  // blank between the two images
    for (QCheckBox* c : panel.findChildren<QCheckBox*>())
      if (c->text() == "Every class") c->setChecked(true);
    QCOMPARE(panel.interpolationView()->rowCount(), 11);
    QCOMPARE(panel.arithmeticView()->rowCount(), 3);      // the style moved by -t, as it is, moved by +t
    QCOMPARE(panel.arithmeticView()->columnCount(), 11);  // test image 0, then every class
    QVERIFY(panel.arithmeticView()->sample(0, 0).isEmpty());
    QCOMPARE(panel.arithmeticView()->sample(1, 0).size(), 784);  // the image beside its unmoved style
    QSpinBox* base = nullptr;
    for (QSpinBox* b : panel.findChildren<QSpinBox*>())
      if (b->specialValueText() == "mean style") base = b;
    QVERIFY(base);
    base->setValue(-1);  // the prior's mean: no image to show
    QCOMPARE(panel.arithmeticView()->columnCount(), 10);
    QVERIFY(panel.message(GenerationPanel::ArithmeticTab).contains("Direction"));
  }

  void exportAndCopy() {
    GenerationPanel panel;
    panel.show();
    panel.setModel(smallModel(), mnistShaped());
    QTemporaryDir dir;
    const QString path = dir.filePath("grid.png");
    QVERIFY(panel.gridView()->exportPng(path));
    const QImage img(path);
    QVERIFY(img.width() > 8 * 28 * 3 && img.height() > 10 * 28 * 3);  // 3x scale plus labels
    panel.gridView()->copyToClipboard();
    QCOMPARE(QApplication::clipboard()->image().size(), img.size());
  }

  // Sequence data (channels x time steps, not an image) draws as one curve per channel.
  void sequencesDrawAsCurves() {
    SampleGrid grid;
    grid.setSampleLayout(SampleLayout::curves(3, 40));
    QVector<float> values(2 * 3 * 40);
    for (int cell = 0; cell < 2; ++cell)
      for (int t = 0; t < 40; ++t)
        for (int c = 0; c < 3; ++c) values[cell * 120 + c + 3 * t] = float(std::sin(0.2 * t + c + cell));
    grid.setSamples(1, 2, values, {"walking"}, {"a", "b"});
    const QImage img = grid.render(3);
    if (const QString out = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR"); !out.isEmpty() &&
        qEnvironmentVariableIsSet("LATENTLAB_SCREENSHOT_TABS"))
      img.save(out + "/generation-curves.png");
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); ++y)
      for (int x = 0; x < img.width(); ++x) colours.insert(img.pixel(x, y) & 0xffffff);
    for (int c = 0; c < 3; ++c) QVERIFY(colours.contains(sample_curves::channelColour(c).rgb() & 0xffffff));
    // A model whose samples are not images (9 channels x 128 steps, no image shape known) gets curves.
    ModelConfig c;
    c.inputSize = 9 * 128;
    c.hidden = {32};
    c.latent = 4;
    c.classes = 6;
    c.likelihood = Likelihood::Gaussian;
    SemiSupervisedVae<float> model(c, 1);
    GenerationPanel panel;
    panel.show();
    panel.setModel(std::make_shared<const ModelFile>(captureModel(model, {}, DatasetInfo{})), nullptr);
    QCOMPARE(panel.sliderView()->sampleLayout().kind, SampleLayout::Kind::Curves);
    QCOMPARE(panel.everyClassView()->columnCount(), 6);
    QCOMPARE(panel.gridView()->rowCount(), 6);
  }

  // The full-size default model (784-500-500, latent 50): one slider step must redraw well under 30 ms.
  void sliderLatencyWithTheDefaultModel() {
    GenerationPanel panel;
    panel.resize(900, 600);
    panel.show();
    panel.setModel(randomModel(ModelConfig{}), mnistShaped());
    QCOMPARE(panel.sliders().size(), 50);
    std::vector<double> ms, total;
    QElapsedTimer clock;
    for (int i = 0; i < 40; ++i) {
      clock.start();
      panel.sliders().at(i % 50)->setValue((i % 7 - 3) * 90);
      QApplication::processEvents();  // and the repaint it asked for
      total.push_back(double(clock.nsecsElapsed()) / 1e6);
      ms.push_back(panel.lastDecodeMs());
    }
    std::sort(ms.begin(), ms.end());
    std::sort(total.begin(), total.end());
    qInfo("default model: decode median %.3f ms, max %.3f ms; whole slider step median %.3f ms", ms[ms.size() / 2],
          ms.back(), total[total.size() / 2]);
    QVERIFY(ms[ms.size() / 2] < 30 * latentlab::testing::timeoutFactor());
    QVERIFY(total[total.size() / 2] < 30 * latentlab::testing::timeoutFactor());
  }

  // Documentation screenshots from a trained model: skipped unless asked for.
  void screenshots() {
    const QString modelPath = qEnvironmentVariable("LATENTLAB_GENERATION_MODEL");
    const QString out = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR");
    if (modelPath.isEmpty() || out.isEmpty()) QSKIP("set LATENTLAB_GENERATION_MODEL and LATENTLAB_SCREENSHOT_DIR");
    auto file = std::make_shared<const ModelFile>(readModelFile(modelPath.toStdString()));
    auto data = std::make_shared<const DataSplit>(loadIdxFolder(qEnvironmentVariable("LATENTLAB_MNIST").toStdString()));
    GenerationPanel panel;
    panel.resize(1100, 720);
    panel.show();
    panel.setModel(file, data);
    panel.setPrincipalDirections(true);
    // Class 5 in the style of test image 25 (a bold 0); the grid's columns: test images of varied handwriting.
    panel.setCurrentClass(5);
    panel.useStyleOfTestImage(25);
    QApplication::processEvents();
    QVERIFY(panel.grab().save(out + "/generation-sliders.png"));

    panel.showTab(GenerationPanel::GridTab);
    QComboBox* gridSource = nullptr;
    for (QComboBox* c : panel.findChildren<QComboBox*>())
      if (c->itemText(0) == "Random styles") gridSource = c;
    QLineEdit* indices = nullptr;
    for (QLineEdit* e : panel.findChildren<QLineEdit*>())
      if (e->text() == "0-7") indices = e;
    indices->setText("3, 4, 9, 12, 22, 25, 26, 31");
    gridSource->setCurrentIndex(1);
    QApplication::processEvents();
    QVERIFY(panel.grab().save(out + "/generation-grid.png"));
    if (!qEnvironmentVariableIsSet("LATENTLAB_SCREENSHOT_TABS")) return;  // the other tabs, for review only
    QVERIFY(panel.gridView()->exportPng(out + "/generation-grid-export.png"));
    for (auto tab : {GenerationPanel::TransferTab, GenerationPanel::InterpolationTab, GenerationPanel::ArithmeticTab}) {
      panel.showTab(tab);
      QApplication::processEvents();
      QVERIFY(panel.grab().save(out + QString("/generation-tab%1.png").arg(int(tab))));
    }
  }
};

QTEST_MAIN(GenerationPanelTest)
#include "GenerationPanelTest.moc"
