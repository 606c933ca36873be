#pragma once
// Shows one image (a grid of samples built by the caller), scaled up with sharp pixels, keeping its aspect.
#include <QImage>
#include <QWidget>

class ImageGrid : public QWidget {
  Q_OBJECT
 public:
  explicit ImageGrid(QWidget* parent = nullptr);
  // A null image shows the caption alone (or, without one, that reconstructions come after the first epoch).
  void setImage(const QImage& image, const QString& caption = {});
  const QImage& image() const { return image_; }
  QSize sizeHint() const override { return {360, 220}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  QImage image_;
  QString caption_;
};
