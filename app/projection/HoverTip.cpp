#include "app/projection/HoverTip.h"

#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>

#include "app/SampleImage.h"

HoverTip::HoverTip(QWidget* plot) : QFrame(plot) {
  setFrameShape(QFrame::StyledPanel);
  setAutoFillBackground(true);
  setAttribute(Qt::WA_TransparentForMouseEvents);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(2);
  image_ = new QLabel;
  image_->setFixedSize(kImageSize, kImageSize);
  image_->setAlignment(Qt::AlignCenter);
  text_ = new QLabel;
  text_->setFont(QFont(font().family(), 8));
  layout->addWidget(image_, 0, Qt::AlignHCenter);
  layout->addWidget(text_);
  hide();
}

void HoverTip::showBeside(const QPointF& at, const QImage& image, const QString& text) {
  image_->setPixmap(
      samplePixmap(image, kImageSize));
  text_->setText(text);
  adjustSize();
  const QWidget* plot = parentWidget();
  int x = int(at.x()) + 14, y = int(at.y()) + 14;
  if (x + width() > plot->width()) x = int(at.x()) - 14 - width();
  if (y + height() > plot->height()) y = int(at.y()) - 14 - height();
  move(std::max(0, x), std::max(0, y));
  show();
  raise();
}
