#pragma once
// Where a sample's anomaly score comes from: the sample with each feature's share of the score drawn over it.
//   image     the sample in light grey on white under a red overlay, the pixel contributing most the reddest
//   sequence  one row per channel: its curve over time, each step shaded red by its contribution, and on the
//             right a bar with the channel's total (summed over time)
// Contributions are shown relative to the sample's smallest and largest (a Gaussian likelihood's constant
// shifts them all alike). Sharp pixels, scaled to fit, keeping the aspect.
#include <QString>
#include <QVector>
#include <QWidget>

class SymptomView : public QWidget {
  Q_OBJECT
 public:
  explicit SymptomView(QWidget* parent = nullptr);

  // grey and heat: height * width values, row-major; grey in [0, 1].
  void showImage(const QVector<float>& grey, const QVector<float>& heat, int height, int width);
  // values and heat: channels * steps values, value(c, t) = v[c + channels * t].
  void showCurves(const QVector<float>& values, const QVector<float>& heat, int channels, int steps);
  void setCaption(const QString& caption);
  QString caption() const { return caption_; }
  void clear(const QString& placeholder);

  bool isEmpty() const { return kind_ == Kind::None; }
  bool showsCurves() const { return kind_ == Kind::Curves; }
  // The overlay picture of an image (sample pixels, one per pixel; null for curves or nothing).
  QImage overlay() const { return overlay_; }
  // Per channel, the summed contribution drawn as bars (curves only).
  QVector<float> channelTotals() const { return channelTotals_; }

  QSize sizeHint() const override { return {220, 220}; }
  QSize minimumSizeHint() const override { return {100, 100}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  enum class Kind { None, Image, Curves };
  void paintCurves(QPainter& p, const QRect& area) const;

  Kind kind_ = Kind::None;
  QImage overlay_;
  QVector<float> values_, heat_, channelTotals_;  // curves
  int channels_ = 0, steps_ = 0;
  QString caption_, placeholder_;
};
