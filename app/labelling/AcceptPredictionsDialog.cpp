#include "app/labelling/AcceptPredictionsDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <numeric>

#include "app/SampleImage.h"

AcceptPredictionsDialog::AcceptPredictionsDialog(const latentlab::DataSplit& data, const latentlab::QueueRanking& ranking,
                                                 const QStringList& classNames, QWidget* parent)
    : QDialog(parent), data_(data), ranking_(ranking), names_(classNames) {
  setWindowTitle(tr("Accept confident predictions"));
  threshold_ = new QDoubleSpinBox;
  threshold_->setRange(0.5, 0.99999);
  threshold_->setDecimals(3);
  threshold_->setSingleStep(0.005);
  threshold_->setValue(0.99);
  perClass_ = new QSpinBox;
  perClass_->setRange(1, 1000);
  perClass_->setValue(50);
  auto* settings = new QHBoxLayout;
  settings->addWidget(new QLabel(tr("Probability at least")));
  settings->addWidget(threshold_);
  settings->addSpacing(16);
  settings->addWidget(new QLabel(tr("at most")));
  settings->addWidget(perClass_);
  settings->addWidget(new QLabel(tr("per class, most confident first")));
  settings->addStretch(1);
  tabs_ = new QTabWidget;
  summary_ = new QLabel;
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Add checked labels"));
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(settings);
  layout->addWidget(new QLabel(tr("Uncheck every card whose prediction is wrong; the checked ones become labels.")));
  layout->addWidget(tabs_, 1);
  layout->addWidget(summary_);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(threshold_, &QDoubleSpinBox::valueChanged, this, &AcceptPredictionsDialog::refill);
  connect(perClass_, &QSpinBox::valueChanged, this, &AcceptPredictionsDialog::refill);
  resize(760, 560);
  refill();
}

void AcceptPredictionsDialog::setThreshold(double t) { threshold_->setValue(t); }
void AcceptPredictionsDialog::setMaxPerClass(int n) { perClass_->setValue(n); }

void AcceptPredictionsDialog::refill() {
  tabs_->clear();
  const int classes = names_.size();
  std::vector<std::vector<size_t>> byClass(classes);
  for (size_t i = 0; i < ranking_.poolIndices.size(); ++i)
    if (ranking_.confidence[i] >= threshold_->value() && ranking_.predicted[i] < classes)
      byClass[ranking_.predicted[i]].push_back(i);
  int total = 0;
  for (int k = 0; k < classes; ++k) {
    auto& members = byClass[k];
    std::sort(members.begin(), members.end(),
              [&](size_t a, size_t b) { return ranking_.confidence[a] > ranking_.confidence[b]; });
    const int above = int(members.size());
    members.resize(std::min<size_t>(members.size(), size_t(perClass_->value())));
    auto* list = new QListWidget;
    list->setViewMode(QListView::IconMode);
    list->setIconSize(QSize(42, 42));
    list->setGridSize(QSize(62, 70));
    list->setResizeMode(QListView::Adjust);
    list->setMovement(QListView::Static);
    for (size_t i : members) {
      const int sample = ranking_.poolIndices[i];
      auto* item = new QListWidgetItem(QIcon(samplePixmap(sampleImage(data_.train, sample), 42)),
                                       QString::number(ranking_.confidence[i], 'f', 3));
      item->setData(Qt::UserRole, sample);
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      item->setCheckState(Qt::Checked);
      item->setToolTip(tr("Sample %1").arg(sample));
      list->addItem(item);
    }
    connect(list, &QListWidget::itemActivated, list, [](QListWidgetItem* item) {
      item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
    });
    tabs_->addTab(list, QString("%1 (%2/%3)").arg(names_[k]).arg(members.size()).arg(above));
    total += int(members.size());
  }
  summary_->setText(tr("%1 samples shown for review.").arg(total));
}

std::vector<std::pair<int, int>> AcceptPredictionsDialog::chosen() const {
  std::vector<std::pair<int, int>> out;
  for (int k = 0; k < tabs_->count(); ++k) {
    auto* list = static_cast<QListWidget*>(tabs_->widget(k));
    for (int i = 0; i < list->count(); ++i)
      if (list->item(i)->checkState() == Qt::Checked) out.emplace_back(list->item(i)->data(Qt::UserRole).toInt(), k);
  }
  return out;
}
