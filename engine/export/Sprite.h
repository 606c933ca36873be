#pragma once
// The Embedding Projector's sprite: one thumbnail per exported sample, in a square grid (ceil(sqrt(n))
// columns, row-major from the top left, sample i at row i / columns, column i % columns), within the
// projector's limit of 8192 x 8192 pixels. Thumbnails are:
//   images     the image itself (one channel: dark ink on white, as the workbench draws samples; three
//              channels: RGB; other counts: the channels' mean as ink), box-filtered down when the grid
//              would pass the limit at full size;
//   sequences  up to kMostCurves channels: small line plots, one colour per channel; more: a heat map (steps
//              down, channels across, dark where high); each sample scaled to its own range;
//   vectors    no sprite (a plain feature vector has no picture).
// Values are in [0, 1]; data outside it is scaled by the exported samples' range first.
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/core/Types.h"
#include "engine/data/SampleShape.h"

namespace latentlab {

inline constexpr int kSpriteMaxSide = 8192;    // the projector's largest sprite
inline constexpr int kSequenceThumbnail = 32;  // side of a sequence's thumbnail, at most
inline constexpr int kMostCurves = 8;          // more channels than this are drawn as a heat map

struct Sprite {
  int thumbWidth = 0, thumbHeight = 0;  // one sample's thumbnail
  int columns = 0;                      // thumbnails per row (and at most rows)
  int width = 0, height = 0;            // the sheet: columns * thumbWidth x rows * thumbHeight
  std::vector<uint8_t> rgb;             // height rows of width * 3 bytes
};

// The sheet for the given columns of x (D x N), laid out as shape, at most maxSide pixels wide and high;
// nothing for plain vectors or no samples.
std::optional<Sprite> makeSprite(const Matrix<float>& x, const std::vector<int>& columns, const SampleShape& shape,
                                 int maxSide = kSpriteMaxSide);

}  // namespace latentlab
