#pragma once
// How the workbench draws one sample, the same way in every view (labelling cards, projection hover and details,
// galleries, reconstructions, the latent plane, the anomaly dock):
//   images     grey ink on white paper, one pixel per feature (callers enlarge with sharp pixels);
//   sequences  one curve per channel in the channel colours of SampleCurves.h, on a square white picture; a
//              second sequence (a reconstruction) is drawn over it dashed, on the same value range;
//   sequences of more channels than a reader can follow as curves (kMaxCurves; sequential MNIST's 28 pixels per
//              row) draw as their steps x channels grid of values, which for image rows is the image again.
//   vectors    one curve of all the features, like a sequence of one channel.
#include <QImage>
#include <QPixmap>

#include "engine/data/Dataset.h"

inline constexpr int kMaxCurves = 16;
inline constexpr int kCurvePicture = 160;  // side of a curves picture, in pixels

// Whether a sample of this shape draws as curves (else as a grid of grey values).
inline bool drawsAsCurves(const latentlab::SampleShape& s) {
  return s.kind == latentlab::SampleKind::Vector || (s.isSequence() && s.channels <= kMaxCurves);
}

// features values in [0, 1], row-major height x width (height 0: one row of all the features). A value of 1
// draws `ink` grey levels dark: 255 black, less for a lighter picture.
QImage inkImage(const float* v, int features, int height, int width, int ink = 255);

// values: shape.features() values in the layout of SampleShape.h. overlay (optional, the same size): drawn over
// them, dashed, for curves; ignored for grey pictures. ink as for inkImage.
QImage samplePicture(const float* values, const latentlab::SampleShape& shape, const float* overlay = nullptr,
                     int ink = 255);

inline QImage sampleImage(const latentlab::Dataset& d, int index) {
  return samplePicture(d.x.col(index).data(), d.shape);
}

// A picture fitted into side x side: grey pixels stay sharp, curves are smoothed.
QPixmap samplePixmap(const QImage& picture, int side);
