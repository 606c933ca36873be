#include "app/anomaly/AnomalyGallery.h"

#include "app/SampleImage.h"

namespace {
constexpr int kIcon = 56;
}

AnomalyGallery::AnomalyGallery(QWidget* parent) : QListWidget(parent) {
  setViewMode(QListView::IconMode);
  setIconSize(QSize(kIcon, kIcon));
  setResizeMode(QListView::Adjust);
  setUniformItemSizes(true);
  setMovement(QListView::Static);
  setSpacing(2);
  setMinimumSize(2 * kIcon + 40, kIcon + 40);
  connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) { emit chosen(row(item)); });
}

void AnomalyGallery::setItems(const QVector<GalleryItem>& items) {
  clear();
  for (const GalleryItem& g : items) {
    const QPixmap icon = samplePixmap(g.image, kIcon);
    auto* item = new QListWidgetItem(QIcon(icon), g.caption);
    item->setToolTip(g.toolTip);
    addItem(item);
  }
}

void AnomalyGallery::choose(int r) {
  if (r < 0 || r >= count()) return;
  setCurrentRow(r);
  emit chosen(r);
}
