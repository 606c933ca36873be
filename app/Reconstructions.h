#pragma once
// The first test samples beside what the model makes of them (z at the posterior mean, y = q(y|x)), for the
// workbench's Reconstructions view after each epoch:
//   images (and sequences drawn as grey grids, SampleImage.h): white ink on dark grey, samples in the top row,
//     their reconstructions below (Format_Grayscale8);
//   sequences drawn as curves, and plain vectors: one picture per sample with its reconstruction dashed over it
//     (Format_RGB32).
#include <QImage>

#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"

QImage reconstructionStrip(latentlab::SemiSupervisedVae<float>& model, const latentlab::Dataset& test);
