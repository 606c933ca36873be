#pragma once
// A window of samples as icons with captions (the selected points of a projection), closed by the user.
#include <QDialog>
#include <QImage>
#include <QString>
#include <QVector>

struct GalleryItem {
  QImage image;
  QString caption, toolTip;
};

class SampleGallery : public QDialog {
  Q_OBJECT
 public:
  // about: a line above the icons. Deletes itself when closed.
  SampleGallery(const QString& title, const QString& about, const QVector<GalleryItem>& items, QWidget* parent);
};
