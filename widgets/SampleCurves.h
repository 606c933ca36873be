#pragma once
// Draws one sequence sample as curves, one per channel, for data that is not an image (the recurrent flavour's
// channels x time steps windows, e.g. UCI-HAR's 9 inertial channels x 128 steps).
// Layout of a sample of channels * steps values: value(c, t) = values[c + channels * t], the column-major
// flattening of a (channels x steps) matrix, as one time step's channels sit together in an LSTM's input.
#include <QColor>
#include <QPainter>
#include <QRectF>

namespace sample_curves {

// A colour per channel, distinct for the first ten and cycling after.
QColor channelColour(int channel);

// Curves of one sample in rect, the value range [lo, hi] mapped to the rect's height (shared by every sample
// of a grid, so that cells compare). 1 px pens, antialiased; a dashed style draws a second sample (a
// reconstruction) over the first.
void paint(QPainter& p, const QRectF& rect, const float* values, int channels, int steps, float lo, float hi,
           Qt::PenStyle style = Qt::SolidLine);

}  // namespace sample_curves
