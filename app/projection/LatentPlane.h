#pragma once
// What the decoder draws where on a 2-D latent plane: the visible rectangle cut into rows x columns cells, the
// centre of each decoded as one class, light ink on white so that points stay readable over it. 225 decodes take
// a few milliseconds: the GUI thread decodes, with its own copy of the model, once the view stops moving.
#include <QImage>
#include <QRectF>

#include "engine/model/SemiSupervisedVae.h"

// area: the plane's visible rectangle in latent coordinates (x right, y up); row 0 is the top. Each cell is the
// sample's picture (SampleImage.h): an image's pixels, or a curves picture shrunk to kPlaneCurveCell pixels and
// faded. The model's latent must be 2-D.
inline constexpr int kPlaneCurveCell = 48;
QImage decodeLatentPlane(latentlab::SemiSupervisedVae<float>& model, const QRectF& area, int rows, int columns, int cls,
                         const latentlab::SampleShape& shape);
