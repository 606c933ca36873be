// The projection scatter offscreen: 10,000 points render in their colours (categorical and continuous),
// rectangle and lasso selections return exactly the points inside, whether applied in plot coordinates or
// dragged with the mouse; hover and click report the point under the mouse; CSV export; equal scales on
// both axes through fits and resizes; an image under the points.
// With LATENTLAB_SCREENSHOTS=DIR the rendered plots are saved there as PNG for a person to look at.
#include <QApplication>
#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>
#include <random>

#include "widgets/ProjectionPlot.h"

namespace {

// Ten Gaussian blobs on a circle, 1000 points each: group = blob, interleaved.
QVector<QPointF> blobs(int n, QVector<int>& groups) {
  std::mt19937 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  QVector<QPointF> xy;
  groups.clear();
  for (int i = 0; i < n; ++i) {
    const int g = i % 10;
    const double a = 2 * M_PI * g / 10;
    xy << QPointF(12 * std::cos(a) + 1.5 * normal(rng), 12 * std::sin(a) + 1.5 * normal(rng));
    groups << g;
  }
  return xy;
}

// A lattice on [0, 10]^2 at 0.25 + 0.5 k: no point lies near a boundary at whole or half numbers, so a
// selection dragged in whole pixels (about 0.02 units here) selects what the exact shape selects.
QVector<QPointF> lattice() {
  QVector<QPointF> xy;
  for (int i = 0; i < 20; ++i)
    for (int j = 0; j < 20; ++j) xy << QPointF(0.25 + 0.5 * i, 0.25 + 0.5 * j);
  return xy;
}

int distinctColours(const QImage& image, int& nonWhite) {
  QSet<QRgb> colours;
  nonWhite = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QRgb c = image.pixel(x, y);
      if (qRed(c) < 245 || qGreen(c) < 245 || qBlue(c) < 245) ++nonWhite;
      colours.insert(c);
    }
  return int(colours.size());
}

// Pixels within a small distance of an RGB colour.
int pixelsNear(const QImage& image, const QColor& colour) {
  int count = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) + std::abs(c.blue() - colour.blue()) <
          12)
        ++count;
    }
  return count;
}

void saveForPeople(const QImage& image, const QString& name) {
  const QByteArray dir = qgetenv("LATENTLAB_SCREENSHOTS");
  if (!dir.isEmpty()) image.save(QString::fromLocal8Bit(dir) + "/" + name);
}

QPoint pixel(ProjectionPlot& plot, double x, double y) {
  return QPointF(plot.xAxis->coordToPixel(x), plot.yAxis->coordToPixel(y)).toPoint();
}

QVector<int> insideTriangle(const QVector<QPointF>& xy, QPointF a, QPointF b, QPointF c) {
  auto side = [](QPointF p, QPointF q, QPointF r) {
    return (q.x() - p.x()) * (r.y() - p.y()) - (q.y() - p.y()) * (r.x() - p.x());
  };
  QVector<int> in;
  for (int i = 0; i < xy.size(); ++i) {
    const double s1 = side(a, b, xy[i]), s2 = side(b, c, xy[i]), s3 = side(c, a, xy[i]);
    if ((s1 > 0 && s2 > 0 && s3 > 0) || (s1 < 0 && s2 < 0 && s3 < 0)) in << i;
  }
  return in;
}

}  // namespace

class ProjectionPlotTest : public QObject {
  Q_OBJECT

  static void show(ProjectionPlot& plot) {
    plot.resize(640, 520);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.replot();
  }

 private slots:
  void rendersTenThousandPointsInTheirColours() {
    ProjectionPlot plot;
    QVector<int> groups;
    plot.setPoints(blobs(10000, groups));
    QStringList names;
    for (int g = 0; g < 10; ++g) names << QString::number(g);
    plot.setColours(groups, names);
    plot.setAxisLabels("t-SNE 1", "t-SNE 2");
    show(plot);
    QElapsedTimer clock;
    clock.start();
    for (int r = 0; r < 5; ++r) plot.replot();
    qInfo("replot of 10,000 points: %.1f ms", clock.elapsed() / 5.0);
    QVERIFY(clock.elapsed() / 5.0 < 100);  // about 2 ms here; painted ellipses took 36

    const QImage image = plot.grab().toImage();
    saveForPeople(image, "projection_categorical.png");
    int nonWhite = 0;
    const int colours = distinctColours(image, nonWhite);
    qInfo("%d distinct colours, %d non-white pixels of %d", colours, nonWhite, image.width() * image.height());
    QVERIFY(nonWhite > image.width() * image.height() / 20);
    // Every group's colour is there (tab10), in more than a sprinkle of pixels.
    for (const char* c :
         {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"})
      QVERIFY2(pixelsNear(image, QColor(c)) > 200, c);
  }

  void continuousColoursWithAScale() {
    ProjectionPlot plot;
    QVector<int> groups;
    const QVector<QPointF> xy = blobs(10000, groups);
    plot.setPoints(xy);
    QVector<double> values;
    for (const QPointF& p : xy) values << p.x();  // left to right: dark purple to yellow
    values[3] = NAN;
    plot.setValues(values, "entropy of q(y|x)");
    show(plot);
    const QImage image = plot.grab().toImage();
    saveForPeople(image, "projection_continuous.png");
    QVERIFY(pixelsNear(image, QColor("#440154")) > 50);  // the colour scale bar and the leftmost points
    QVERIFY(pixelsNear(image, QColor("#fde725")) > 50);
    QVERIFY(qobject_cast<QCPColorScale*>(plot.plotLayout()->element(0, 1)));
    QVERIFY(!plot.legend->visible());
    // Back to categories: the scale goes, the legend comes, beside the plot rather than over the points.
    plot.setColours(groups, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
    plot.replot();
    QVERIFY(plot.legend->visible());
    QCOMPARE(plot.plotLayout()->columnCount(), 2);
    QVERIFY(!qobject_cast<QCPColorScale*>(plot.plotLayout()->element(0, 1)));
    QVERIFY(plot.legend->outerRect().left() >= plot.axisRect()->outerRect().right());
    // Plain points: neither.
    plot.setPoints(xy.mid(0, 100));
    plot.replot();
    QCOMPARE(plot.plotLayout()->columnCount(), 1);
  }

  void rectangleSelection() {
    ProjectionPlot plot;
    const QVector<QPointF> xy = lattice();
    plot.setPoints(xy);
    show(plot);
    QSignalSpy changed(&plot, &ProjectionPlot::selectionChanged);
    const QRectF rect(QPointF(2, 3), QPointF(6, 5));
    QVector<int> expected;
    for (int i = 0; i < xy.size(); ++i)
      if (rect.contains(xy[i])) expected << i;
    QCOMPARE(expected.size(), 8 * 4);

    QCOMPARE(plot.selectRect(rect), expected);
    QCOMPARE(plot.selection(), expected);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).value<QVector<int>>(), expected);
    QVERIFY(plot.isSelected(expected.first()) && !plot.isSelected(0));
    // Corners given the other way round select the same; the same selection again emits nothing.
    QCOMPARE(plot.selectRect(QRectF(QPointF(6, 5), QPointF(2, 3))), expected);
    QCOMPARE(changed.count(), 1);
    plot.clearSelection();
    QVERIFY(plot.selection().isEmpty());

    // The same rectangle dragged with the mouse.
    plot.setSelectionMode(ProjectionPlot::SelectionMode::Rectangle);
    changed.clear();
    QTest::mousePress(&plot, Qt::LeftButton, {}, pixel(plot, 2, 3));
    QTest::mouseMove(&plot, pixel(plot, 4, 4));
    QTest::mouseMove(&plot, pixel(plot, 6, 5));
    const QImage rubberBand = plot.grab().toImage();
    saveForPeople(rubberBand, "projection_rubber_band.png");
    QTest::mouseRelease(&plot, Qt::LeftButton, {}, pixel(plot, 6, 5));
    QCOMPARE(plot.selection(), expected);
    QCOMPARE(changed.count(), 1);

    // Shift adds a second rectangle; a plain click on empty space clears.
    QTest::mousePress(&plot, Qt::LeftButton, Qt::ShiftModifier, pixel(plot, 0, 0));
    QTest::mouseMove(&plot, pixel(plot, 0.5, 0.5));
    QTest::mouseMove(&plot, pixel(plot, 1, 1));
    QTest::mouseRelease(&plot, Qt::LeftButton, Qt::ShiftModifier, pixel(plot, 1, 1));
    QVector<int> both = expected;
    for (int i : {0, 1, 20, 21}) both << i;
    std::sort(both.begin(), both.end());
    QCOMPARE(plot.selection(), both);
    plot.replot();
    saveForPeople(plot.grab().toImage(), "projection_selected.png");
    QTest::mouseClick(&plot, Qt::LeftButton, {}, pixel(plot, 2.0, 2.0));
    QVERIFY(plot.selection().isEmpty());
  }

  void lassoSelectsATriangle() {
    ProjectionPlot plot;
    const QVector<QPointF> xy = lattice();
    plot.setPoints(xy);
    show(plot);
    const QPointF a(1, 1), b(9, 1), c(5, 9);
    const QVector<int> expected = insideTriangle(xy, a, b, c);
    QVERIFY(expected.size() > 100);

    QCOMPARE(plot.selectPolygon(QPolygonF{a, b, c}), expected);
    plot.clearSelection();

    // Freehand: along the three edges in small steps, released back at the start.
    plot.setSelectionMode(ProjectionPlot::SelectionMode::Lasso);
    QSignalSpy changed(&plot, &ProjectionPlot::selectionChanged);
    QTest::mousePress(&plot, Qt::LeftButton, {}, pixel(plot, a.x(), a.y()));
    for (auto [from, to] : {std::pair{a, b}, std::pair{b, c}, std::pair{c, a}})
      for (int s = 1; s <= 20; ++s) {
        const QPointF p = from + (to - from) * (s / 20.0);
        QTest::mouseMove(&plot, pixel(plot, p.x(), p.y()));
      }
    saveForPeople(plot.grab().toImage(), "projection_lasso.png");
    QTest::mouseRelease(&plot, Qt::LeftButton, {}, pixel(plot, a.x(), a.y()));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(plot.selection(), expected);
  }

  void hoverAndClickReportThePoint() {
    ProjectionPlot plot;
    QVector<int> groups;
    const QVector<QPointF> xy = blobs(10000, groups);
    plot.setPoints(xy);
    show(plot);
    QSignalSpy hovered(&plot, &ProjectionPlot::hovered);
    QSignalSpy clicked(&plot, &ProjectionPlot::clicked);

    // The nearest point to a pixel, checked against a scan of every point.
    for (int probe : {17, 4242, 9999}) {
      const QPointF at = plot.pixelOf(probe) + QPointF(1.5, -1);
      int best = -1;
      double bestD = 1e300;
      for (int i = 0; i < xy.size(); ++i) {
        const double d = QLineF(plot.pixelOf(i), at).length();
        if (d < bestD) bestD = d, best = i;
      }
      QCOMPARE(plot.indexAt(at), best);
    }
    QCOMPARE(plot.indexAt(QPointF(3, 3)), -1);  // the corner of the widget: nothing within 6 px

    // A move with no button down, as the window system sends it.
    const QPoint p = plot.pixelOf(4242).toPoint();
    const int under = plot.indexAt(p);
    QVERIFY(under >= 0);
    QMouseEvent move(QEvent::MouseMove, p, plot.mapToGlobal(p), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&plot, &move);
    QCOMPARE(hovered.count(), 1);
    QCOMPARE(hovered.first().at(0).toInt(), under);
    QCOMPARE(plot.highlighted(), under);
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(&plot, &leave);
    QCOMPARE(hovered.last().at(0).toInt(), -1);

    QTest::mouseClick(&plot, Qt::LeftButton, {}, p);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.first().at(0).toInt(), under);
  }

  void newPositionsKeepColoursAndSelection() {
    ProjectionPlot plot;
    const QVector<QPointF> xy = lattice();
    plot.setPoints(xy);
    plot.setColours(QVector<int>(xy.size(), 1), {"a", "b"});
    plot.setSelection({3, 5});
    QVector<QPointF> moved = xy;
    for (QPointF& p : moved) p *= 2;
    plot.setPoints(moved, false);
    QCOMPARE(plot.selection(), (QVector<int>{3, 5}));
    QVERIFY(plot.legend->visible());
    plot.setPoints(xy.mid(0, 10));  // other samples: everything resets
    QVERIFY(plot.selection().isEmpty());
    QVERIFY(!plot.legend->visible());
  }

  void csvExport() {
    ProjectionPlot plot;
    plot.setPoints({QPointF(1.5, -2), QPointF(0.25, 3), QPointF(7, 8)});
    QTemporaryDir dir;
    const QString path = dir.filePath("projection.csv");
    QVERIFY(plot.writeCsv(path, {3, 1, -1}, {3, 7, 2}, {true, false, false}));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QString("index,x,y,class,prediction,labelled"));
    QCOMPARE(lines[1], QString("0,1.5,-2,3,3,1"));
    QCOMPARE(lines[3], QString("2,7,8,,2,0"));
    QVERIFY(plot.writeCsv(path));           // positions only
    QVERIFY(!plot.writeCsv(path, {1, 2}));  // a column of the wrong length
    ProjectionPlot::CsvColumns c;
    c.index = {40, 7, 13};
    c.set = {"training", "test", "test"};
    QVERIFY(plot.writeCsv(path, c));
    QVERIFY(f.seek(0));
    f.close();
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList named = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(named[0], QString("index,x,y,class,prediction,labelled,set"));
    QCOMPARE(named[2], QString("7,0.25,3,,,,test"));
  }

  // A map is drawn with equal scales: a unit is as many pixels across as up, after fitting a wide cloud
  // and after the widget changes shape.
  void equalScales() {
    ProjectionPlot plot;
    QVector<QPointF> xy;
    for (int i = 0; i < 100; ++i) xy << QPointF(0.4 * i, std::sin(0.3 * i));  // 40 wide, 2 high
    show(plot);
    plot.setPoints(xy);
    plot.replot();
    auto pixelsPerUnit = [&](QCPAxis* a) { return std::abs(a->coordToPixel(1) - a->coordToPixel(0)); };
    QVERIFY(std::abs(pixelsPerUnit(plot.xAxis) / pixelsPerUnit(plot.yAxis) - 1) < 0.01);
    for (const QPointF& p : xy) QVERIFY(plot.xAxis->range().contains(p.x()) && plot.yAxis->range().contains(p.y()));
    plot.resize(400, 700);
    QTest::qWait(20);
    plot.replot();
    QVERIFY(std::abs(pixelsPerUnit(plot.xAxis) / pixelsPerUnit(plot.yAxis) - 1) < 0.01);
    // Still fitted after the resize: every point in view. A zoom makes the view the user's: a resize then
    // keeps the scales equal without fitting again.
    QVERIFY(plot.isFitted());
    for (const QPointF& p : xy) QVERIFY(plot.xAxis->range().contains(p.x()) && plot.yAxis->range().contains(p.y()));
    plot.xAxis->scaleRange(0.25);
    plot.yAxis->scaleRange(0.25);
    plot.replot();
    QVERIFY(!plot.isFitted());
    const double zoomedWidth = plot.xAxis->range().size();
    plot.resize(500, 600);
    QTest::qWait(20);
    plot.replot();
    QVERIFY(std::abs(pixelsPerUnit(plot.xAxis) / pixelsPerUnit(plot.yAxis) - 1) < 0.01);
    QCOMPARE(plot.xAxis->range().size(), zoomedWidth);
    plot.fitToData();
    QVERIFY(plot.isFitted());
    plot.setEqualAspect(false);
    plot.replot();
    QVERIFY(std::abs(pixelsPerUnit(plot.xAxis) / pixelsPerUnit(plot.yAxis) - 1) > 0.5);
  }

  // An image under the points covers the given rectangle; a null image removes it.
  void underlay() {
    ProjectionPlot plot;
    show(plot);
    plot.setPoints({QPointF(-1, -1), QPointF(1, 1)});
    QImage red(10, 10, QImage::Format_RGB32);
    red.fill(Qt::red);
    plot.setUnderlay(red, QRectF(QPointF(-1, -1), QPointF(0, 0)));
    QVERIFY(plot.hasUnderlay());
    plot.replot();
    const QImage shot = plot.grab().toImage();
    const QPointF inside(plot.xAxis->coordToPixel(-0.3), plot.yAxis->coordToPixel(-0.7));  // off the grid lines
    const QPointF outside(plot.xAxis->coordToPixel(0.3), plot.yAxis->coordToPixel(0.7));
    const qreal dpr = shot.devicePixelRatio();
    QCOMPARE(QColor(shot.pixel((inside * dpr).toPoint())), QColor(Qt::red));
    QVERIFY(QColor(shot.pixel((outside * dpr).toPoint())) != QColor(Qt::red));
    plot.setUnderlay({}, {});
    QVERIFY(!plot.hasUnderlay());
  }
};

QTEST_MAIN(ProjectionPlotTest)
#include "ProjectionPlotTest.moc"
