#include "app/projection/SampleGallery.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

#include "app/SampleImage.h"

SampleGallery::SampleGallery(const QString& title, const QString& about, const QVector<GalleryItem>& items,
                             QWidget* parent)
    : QDialog(parent) {
  setAttribute(Qt::WA_DeleteOnClose);
  setWindowTitle(title);
  auto* list = new QListWidget;
  list->setViewMode(QListView::IconMode);
  list->setIconSize(QSize(56, 56));
  list->setResizeMode(QListView::Adjust);
  list->setUniformItemSizes(true);
  list->setMovement(QListView::Static);
  for (const GalleryItem& g : items) {
    const QPixmap icon = samplePixmap(g.image, 56);
    auto* item = new QListWidgetItem(QIcon(icon), g.caption);
    item->setToolTip(g.toolTip);
    list->addItem(item);
  }
  auto* box = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(box, &QDialogButtonBox::rejected, this, &QDialog::close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(about));
  layout->addWidget(list);
  layout->addWidget(box);
  resize(640, 480);
}
