#pragma once
// The most anomalous samples as icons, highest score first, each captioned with its rank and score; a click
// chooses one (its symptoms are shown beside).
#include <QListWidget>
#include <QVector>

#include "app/projection/SampleGallery.h"  // GalleryItem

class AnomalyGallery : public QListWidget {
  Q_OBJECT
 public:
  explicit AnomalyGallery(QWidget* parent = nullptr);

  void setItems(const QVector<GalleryItem>& items);
  int itemCount() const { return count(); }
  // Selects row and emits chosen(row), as a click does.
  void choose(int row);

 signals:
  void chosen(int row);
};
