#pragma once
// Style transfer: one row per chosen test image, the image, then its style (the encoder's mean) decoded as every
// class. "Random image" adds a random test image as a new row.
#include "app/generation/DecodedGridTab.h"
#include "engine/core/Random.h"

class QLineEdit;

namespace generation {

class TransferTab : public DecodedGridTab {
  Q_OBJECT
 public:
  explicit TransferTab(const Context& context, QWidget* parent = nullptr);

 public slots:
  void redraw() override;

 private:
  QLineEdit* indices_;
  latentlab::Random pick_{7};  // "Random image" picks
};

}  // namespace generation
