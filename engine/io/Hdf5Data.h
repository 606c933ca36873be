#pragma once
// Data sets in HDF5 files (h5py's create_dataset, MATLAB-free): the arrays X and y are chosen by their paths in
// the file ("x", "/train/images"), and follow the NumPy rules of engine/data/ArrayData.h (n x D, n x H x W,
// n x C x H x W, n x T x C; float32, float64 or uint8 X; integer y). HDF5 types are mapped by class and size:
// IEEE floats of 4 and 8 bytes, integers of 1 to 8 bytes of either sign, and h5py's bool (an enum over int8);
// strings, compounds and others are refused. Only hard links are followed (no soft or external links).
// Before anything is allocated, the declared size is checked against limits::kMaxValues, against the dataset's
// storage and the file's size (at most 1032:1, deflate's bound, for compressed chunks).
// Linking latentlab_io registers this reader with openData (engine/data/DataSource.h).
#include <memory>
#include <string>
#include <vector>

#include "engine/data/ArrayContainer.h"

namespace latentlab {

// Every dataset in the file (path, dims, type), in name order, for a chooser dialog.
std::vector<ArrayInfo> listHdf5Datasets(const std::string& path);

// The file as a container of arrays; throws Error("Hdf5Data", "<file>: ...") when it is not an HDF5 file.
std::unique_ptr<ArrayContainer> openHdf5Arrays(const std::string& path);

}  // namespace latentlab
