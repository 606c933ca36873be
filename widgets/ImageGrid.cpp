#include "widgets/ImageGrid.h"

#include <QPainter>

ImageGrid::ImageGrid(QWidget* parent) : QWidget(parent) { setMinimumSize(200, 120); }

void ImageGrid::setImage(const QImage& image, const QString& caption) {
  image_ = image;
  caption_ = caption;
  update();
}

void ImageGrid::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  const int captionHeight = caption_.isEmpty() ? 0 : 2 * fontMetrics().height() + 4;
  if (image_.isNull()) {
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
               caption_.isEmpty() ? tr("Reconstructions appear after the first epoch") : caption_);
    return;
  }
  const QRect area = rect().adjusted(4, 4, -4, -4 - captionHeight);
  QSize s = image_.size().scaled(area.size(), Qt::KeepAspectRatio);
  const QRect target(area.x() + (area.width() - s.width()) / 2, area.y(), s.width(), s.height());
  // Sharp pixels for grey samples; a colour picture (curves) is smoothed.
  p.setRenderHint(QPainter::SmoothPixmapTransform, image_.format() != QImage::Format_Grayscale8);
  p.drawImage(target, image_);
  if (captionHeight)
    p.drawText(QRect(4, target.bottom() + 2, width() - 8, captionHeight), Qt::AlignHCenter | Qt::TextWordWrap, caption_);
}
