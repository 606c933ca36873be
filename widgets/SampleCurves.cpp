#include "widgets/SampleCurves.h"

#include <QPolygonF>
#include <algorithm>

namespace sample_curves {

QColor channelColour(int channel) {
  // Tableau 10: readable on light and dark backgrounds.
  static const QRgb colours[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
  return QColor(colours[channel % 10]);
}

void paint(QPainter& p, const QRectF& rect, const float* values, int channels, int steps, float lo, float hi,
           Qt::PenStyle style) {
  if (channels <= 0 || steps <= 0) return;
  const double span = hi > lo ? double(hi - lo) : 1.0;
  const double dx = steps > 1 ? rect.width() / (steps - 1) : 0;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setClipRect(rect);
  QPolygonF line(steps);
  for (int c = 0; c < channels; ++c) {
    for (int t = 0; t < steps; ++t) {
      const double v = std::clamp((double(values[c + channels * t]) - lo) / span, 0.0, 1.0);
      line[t] = QPointF(rect.left() + t * dx, rect.bottom() - v * rect.height());
    }
    p.setPen(QPen(channelColour(c), 1, style));
    p.drawPolyline(line);
  }
  p.restore();
}

}  // namespace sample_curves
