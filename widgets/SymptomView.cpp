#include "widgets/SymptomView.h"

#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <cmath>

#include "widgets/SampleCurves.h"

namespace {

// Heat relative to its smallest and largest value, in [0, 1].
QVector<float> relative(const QVector<float>& heat) {
  QVector<float> r(heat.size(), 0.0f);
  if (heat.isEmpty()) return r;
  const auto [lo, hi] = std::minmax_element(heat.begin(), heat.end());
  const float span = *hi - *lo;
  if (!(span > 0)) return r;
  for (int i = 0; i < heat.size(); ++i) r[i] = (heat[i] - *lo) / span;
  return r;
}

const QColor kHeat(214, 39, 40);
constexpr double kInk = 150;  // the sample's darkest grey: light enough for the red to read over it

}  // namespace

SymptomView::SymptomView(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  clear(tr("Click a sample to see its symptoms."));
}

void SymptomView::showImage(const QVector<float>& grey, const QVector<float>& heat, int height, int width) {
  kind_ = Kind::None;
  if (height <= 0 || width <= 0 || grey.size() != height * width || heat.size() != height * width) return update();
  const QVector<float> h = relative(heat);
  overlay_ = QImage(width, height, QImage::Format_RGB32);
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) {
      const int i = r * width + c;
      const double ink = 255.0 - kInk * std::clamp(double(grey[i]), 0.0, 1.0);
      const double a = 0.85 * std::pow(double(h[i]), 0.7);  // gamma: weak contributions stay visible
      overlay_.setPixel(c, r,
                        qRgb(int((1 - a) * ink + a * kHeat.red()), int((1 - a) * ink + a * kHeat.green()),
                             int((1 - a) * ink + a * kHeat.blue())));
    }
  values_.clear();
  channelTotals_.clear();
  kind_ = Kind::Image;
  update();
}

void SymptomView::showCurves(const QVector<float>& values, const QVector<float>& heat, int channels, int steps) {
  kind_ = Kind::None;
  overlay_ = QImage();
  if (channels <= 0 || steps <= 0 || values.size() != channels * steps || heat.size() != channels * steps)
    return update();
  values_ = values;
  heat_ = relative(heat);
  channels_ = channels;
  steps_ = steps;
  channelTotals_.fill(0.0f, channels);
  for (int t = 0; t < steps; ++t)
    for (int c = 0; c < channels; ++c) channelTotals_[c] += heat[c + channels * t];
  kind_ = Kind::Curves;
  update();
}

void SymptomView::setCaption(const QString& caption) {
  caption_ = caption;
  update();
}

void SymptomView::clear(const QString& placeholder) {
  kind_ = Kind::None;
  overlay_ = QImage();
  values_.clear();
  heat_.clear();
  channelTotals_.clear();
  caption_.clear();
  placeholder_ = placeholder;
  update();
}

void SymptomView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const QFontMetrics fm = p.fontMetrics();
  QRect area = rect().adjusted(4, 4, -4, -4);
  if (kind_ == Kind::None) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    return;
  }
  if (!caption_.isEmpty()) {
    const QRect text = fm.boundingRect(area, Qt::TextWordWrap, caption_);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(area.left(), area.bottom() - text.height(), area.width(), text.height()), Qt::TextWordWrap,
               caption_);
    area.setBottom(area.bottom() - text.height() - 4);
  }
  if (kind_ == Kind::Image) {
    const QSize s = overlay_.size().scaled(area.size(), Qt::KeepAspectRatio);
    const QRect target(area.left() + (area.width() - s.width()) / 2, area.top() + (area.height() - s.height()) / 2,
                       s.width(), s.height());
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(target, overlay_);
    p.setPen(QColor(160, 160, 160));
    p.drawRect(target.adjusted(0, 0, -1, -1));
    return;
  }
  paintCurves(p, area);
}

void SymptomView::paintCurves(QPainter& p, const QRect& area) const {
  const int barWidth = std::min(60, area.width() / 5), gap = 6;
  const QRect plots(area.left(), area.top(), area.width() - barWidth - gap, area.height());
  const double rowHeight = double(plots.height()) / channels_;
  const double dx = double(plots.width()) / steps_;
  const float totalMax = std::max(1e-12f, *std::max_element(channelTotals_.begin(), channelTotals_.end()));
  for (int c = 0; c < channels_; ++c) {
    const QRectF row(plots.left(), plots.top() + c * rowHeight, plots.width(), rowHeight - 1);
    // Each step's contribution as a shaded band behind the curve.
    for (int t = 0; t < steps_; ++t) {
      QColor shade = kHeat;
      shade.setAlphaF(0.85f * std::pow(heat_[c + channels_ * t], 0.7f));
      p.fillRect(QRectF(row.left() + t * dx, row.top(), dx + 0.5, row.height()), shade);
    }
    float lo = values_[c], hi = values_[c];
    for (int t = 0; t < steps_; ++t) {
      lo = std::min(lo, values_[c + channels_ * t]);
      hi = std::max(hi, values_[c + channels_ * t]);
    }
    const float span = hi > lo ? hi - lo : 1.0f;
    QPolygonF line;
    for (int t = 0; t < steps_; ++t)
      line << QPointF(row.left() + (t + 0.5) * dx,
                      row.bottom() - 2 - (values_[c + channels_ * t] - lo) / span * (row.height() - 4));
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(sample_curves::channelColour(c), 1));
    p.drawPolyline(line);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QColor(200, 200, 200));
    p.drawLine(row.bottomLeft(), row.bottomRight());
    // The channel's total, as a bar.
    const double w = double(barWidth) * std::max(0.0f, channelTotals_[c]) / totalMax;
    p.fillRect(QRectF(plots.right() + gap, row.top() + row.height() * 0.2, w, row.height() * 0.6), kHeat);
  }
}
