// How every view draws a sample (app/SampleImage.h, app/Reconstructions.h, app/projection/LatentPlane.h):
// sequences as one curve per channel in the channel colours, a reconstruction dashed over its sample on one
// range, plain vectors as one curve, sequences of many channels (sequential MNIST) as their image, images as grey
// pixels; icons keep grey pixels sharp and smooth curves.
#include <QSet>
#include <QtTest/QtTest>

#include <cmath>

#include "app/Reconstructions.h"
#include "app/SampleImage.h"
#include "app/projection/LatentPlane.h"
#include "widgets/SampleCurves.h"

using namespace latentlab;

namespace {

QSet<QRgb> coloursOf(const QImage& img) {
  QSet<QRgb> colours;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) colours.insert(img.pixel(x, y) & 0xffffff);
  return colours;
}

bool hasChannelColours(const QImage& img, int channels) {
  const QSet<QRgb> colours = coloursOf(img);
  for (int c = 0; c < channels; ++c)
    if (!colours.contains(sample_curves::channelColour(c).rgb() & 0xffffff)) return false;
  return true;
}

// steps x channels sine waves, one phase per channel and sample.
Dataset sines(int n, int steps, int channels) {
  Dataset d;
  d.shape = SampleShape::sequence(steps, channels);
  d.x.resize(steps * channels, n);
  for (int i = 0; i < n; ++i)
    for (int t = 0; t < steps; ++t)
      for (int c = 0; c < channels; ++c) d.x(t * channels + c, i) = float(std::sin(0.3 * t + c + 0.5 * i));
  d.classes = 2;
  d.labels.assign(size_t(n), 0);
  return d;
}

SemiSupervisedVae<float> recurrentModel(const SampleShape& shape, int latent) {
  ModelConfig c;
  c.flavour = Flavour::Recurrent;
  c.setInput(shape);
  c.recurrent.hidden = 8;
  c.latent = latent;
  c.classes = 2;
  c.likelihood = Likelihood::Gaussian;
  return SemiSupervisedVae<float>(c, 3);
}

}  // namespace

class SamplePicturesTest : public QObject {
  Q_OBJECT
 private slots:
  void sequencesDrawAsCurvesInTheChannelColours() {
    const Dataset d = sines(2, 30, 4);
    QVERIFY(drawsAsCurves(d.shape));
    const QImage img = sampleImage(d, 0);
    QCOMPARE(img.size(), QSize(kCurvePicture, kCurvePicture));
    QVERIFY(hasChannelColours(img, 4));
    // A reconstruction drawn over the sample changes the picture and keeps the colours.
    const QImage over = samplePicture(d.x.col(0).data(), d.shape, d.x.col(1).data());
    QVERIFY(over != img);
    QVERIFY(hasChannelColours(over, 4));
  }

  // Plain vectors (features without a layout) draw as one curve, and reconstructions overlay it.
  void vectorsDrawAsOneCurve() {
    Dataset v = sines(10, 40, 1);
    v.shape = SampleShape::vector(40);
    QVERIFY(drawsAsCurves(v.shape));
    const QImage img = sampleImage(v, 0);
    QCOMPARE(img.size(), QSize(kCurvePicture, kCurvePicture));
    QVERIFY(hasChannelColours(img, 1));
    ModelConfig c;
    c.setInput(v.shape);
    c.hidden = {16};
    c.latent = 2;
    c.classes = 2;
    c.likelihood = Likelihood::Gaussian;
    SemiSupervisedVae<float> model(c, 3);
    const QImage strip = reconstructionStrip(model, v);
    QCOMPARE(strip.format(), QImage::Format_RGB32);
    QVERIFY(hasChannelColours(strip, 1));
  }

  void manyChannelsAndImagesDrawAsGreyPixels() {
    // Sequential MNIST: 28 steps of 28 pixels draws as the 28 x 28 image, ink on paper.
    Dataset rows = sines(1, 28, 28);
    rows.x.setZero();
    rows.x(5 * 28 + 7, 0) = 1;  // step 5, channel 7
    QVERIFY(!drawsAsCurves(rows.shape));
    const QImage grid = sampleImage(rows, 0);
    QCOMPARE(grid.format(), QImage::Format_Grayscale8);
    QCOMPARE(grid.size(), QSize(28, 28));
    QCOMPARE(qGray(grid.pixel(7, 5)), 0);
    QCOMPARE(qGray(grid.pixel(8, 5)), 255);
    Dataset image = rows;
    image.shape = SampleShape::image(28, 28);
    QCOMPARE(sampleImage(image, 0), grid);
    // Icons: grey pixels stay sharp (one of two values), curves are smoothed into more shades.
    const QImage icon = samplePixmap(grid, 56).toImage();
    QCOMPARE(icon.size(), QSize(56, 56));
    for (int y = 0; y < 56; ++y)
      for (int x = 0; x < 56; ++x) QVERIFY(qGray(icon.pixel(x, y)) == 0 || qGray(icon.pixel(x, y)) == 255);
  }

  void reconstructionsOverlayCurves() {
    const Dataset test = sines(10, 20, 3);
    SemiSupervisedVae<float> model = recurrentModel(test.shape, 3);
    const QImage strip = reconstructionStrip(model, test);
    QCOMPARE(strip.format(), QImage::Format_RGB32);
    QCOMPARE(strip.height(), kCurvePicture);
    QVERIFY(strip.width() > 5 * kCurvePicture);  // six samples side by side
    QVERIFY(hasChannelColours(strip, 3));
    // Images keep the two grey rows (samples above, reconstructions below).
    Dataset rows = sines(10, 28, 28);
    rows.x = rows.x.cwiseAbs();
    SemiSupervisedVae<float> rowModel = recurrentModel(rows.shape, 3);
    const QImage grey = reconstructionStrip(rowModel, rows);
    QCOMPARE(grey.format(), QImage::Format_Grayscale8);
    QCOMPARE(grey.height(), 2 * (28 + 2));
  }

  void latentPlaneOfSequencesIsCurves() {
    const Dataset d = sines(1, 20, 3);
    SemiSupervisedVae<float> model = recurrentModel(d.shape, 2);
    const QImage plane = decodeLatentPlane(model, QRectF(-2, -2, 4, 4), 3, 4, 1, d.shape);
    QCOMPARE(plane.size(), QSize(4 * kPlaneCurveCell, 3 * kPlaneCurveCell));
    QVERIFY(coloursOf(plane).size() > 10);  // faded curves on white, not a blank or grey picture
  }
};

QTEST_MAIN(SamplePicturesTest)
#include "SamplePicturesTest.moc"
