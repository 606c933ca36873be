#include "app/generation/DecodedGridTab.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace generation {

namespace ui {

QHBoxLayout* row(std::initializer_list<QWidget*> widgets, bool stretch) {
  auto* l = new QHBoxLayout;
  l->setContentsMargins(0, 0, 0, 0);
  l->setSpacing(6);
  for (QWidget* w : widgets) l->addWidget(w);
  if (stretch) l->addStretch();
  return l;
}

QLabel* caption(const QString& text) {
  auto* l = new QLabel(text);
  l->setForegroundRole(QPalette::PlaceholderText);
  return l;
}

QLabel* messageLine() {
  auto* l = new QLabel;
  l->setWordWrap(true);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

QWidget* exportButtons(SampleGrid* grid) {
  auto* exportPng = new QPushButton(QObject::tr("Export PNG..."));
  auto* copy = new QPushButton(QObject::tr("Copy"));
  exportPng->setToolTip(QObject::tr("Save this grid with its labels as a PNG image"));
  copy->setToolTip(QObject::tr("Copy this grid with its labels to the clipboard"));
  QObject::connect(exportPng, &QPushButton::clicked, grid, &SampleGrid::exportPngDialog);
  QObject::connect(copy, &QPushButton::clicked, grid, &SampleGrid::copyToClipboard);
  auto* w = new QWidget;
  w->setLayout(row({exportPng, copy}, false));
  return w;
}

void showMessage(QLabel* line, const QString& text, bool error) {
  line->setText(error ? QStringLiteral("<span style='color:#b00020'>%1</span>").arg(text.toHtmlEscaped())
                      : text.toHtmlEscaped());
  line->setProperty("plainMessage", text);
}

QString messageOf(const QLabel* line) { return line->property("plainMessage").toString(); }

}  // namespace ui

DecodedGridTab::DecodedGridTab(const Context& context, QWidget* parent) : QWidget(parent), context_(context) {
  view_ = new SampleGrid;
  info_ = ui::messageLine();
  connect(view_, &SampleGrid::cellClicked, this, [this](int r, int c) {
    if (!grid_.contains(r, c)) return;
    const int i = grid_.cell(r, c);
    if (i >= grid_.z.cols()) return;
    emit stylePicked(grid_.z.col(i), grid_.classes[size_t(i)]);
  });
}

void DecodedGridTab::buildLayout(std::initializer_list<QLayout*> controlRows) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  for (QLayout* l : controlRows) v->addLayout(l);
  v->addWidget(view_, 1);
  v->addWidget(info_);
}

void DecodedGridTab::showGrid(DecodedGrid grid) {
  grid_ = std::move(grid);
  grid_.showIn(*view_);
}

void DecodedGridTab::showMessage(const QString& text, bool error) { ui::showMessage(info_, text, error); }

QString DecodedGridTab::message() const { return ui::messageOf(info_); }

}  // namespace generation
