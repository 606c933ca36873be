#pragma once
// One entry point for opening data, detected from what is at the path:
//   mnist-rows[:FOLDER]   sequential MNIST (SequentialMnist.h), FOLDER default DataRequest::defaultMnist
//   a folder holding      train-images-idx3-ubyte[.gz] ...   an IDX folder (Mnist.h)
//                         train/Inertial Signals/            a "UCI HAR Dataset" folder (UciHar.h), or such a
//                                                            folder inside it
//                         NAME_TRAIN.ts and NAME_TEST.ts     a UEA/UCR pair (TsFile.h); one pair only
//   a file by extension   .npy .npz .csv .tsv .ts .h5 .hdf5 .he5; other extensions by content (NumPy magic,
//                         zip, HDF5 signature)
// A folder format brings its own test split. A single file is split: with testPath, that file (same format,
// same options) is the test split; else testFraction of it is held out (HoldOut.h: stratified when labelled,
// seed splitSeed, the same split on every run so a model can be evaluated again on its own test samples).
// A .ts file named NAME_TRAIN.ts with NAME_TEST.ts beside it is that pair. An .npz or HDF5 file holding
// x_train and x_test (Keras' layout), with no x name asked for, is split by them (y_train, y_test).
// Arrays: X is `x` (default: x or X), y is `y` (default: y, Y or labels when present; "none": unlabelled).
// Class names: a classes file replaces the names a format declares (the counts must agree) or names integer
// labels (ClassLabels.h). Unlabelled data (no y, no label column, a .ts with @classLabel false, a split
// without its y file) has empty Dataset::labels.
// Nothing is returned half: any error throws latentlab::Error naming the file and the line or field.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/data/ArrayContainer.h"
#include "engine/data/CsvData.h"
#include "engine/data/Dataset.h"

namespace latentlab {

struct DataRequest {
  std::string path;                          // a folder, a file, or mnist-rows[:FOLDER]
  std::string x, y;                          // array names in .npz / HDF5 (see above)
  std::string labelColumn;                   // CSV label column: "", "none", "last", a 0-based index or a header name
  HeaderMode header = HeaderMode::Auto;      // CSV header line
  std::string testPath;                      // optional: a second file as the test split
  double testFraction = 0.2;                 // held out of a single file when there is no testPath
  uint64_t splitSeed = 1;                    // the hold-out's seed
  std::string classesPath;                   // optional: class names, one a line
  SampleLayout layout = SampleLayout::Auto;  // how 2-D to 4-D arrays are read (ArrayData.h)
  int idxClasses = 10;                       // IDX folders: the number of classes (labels must be below it)
  std::string defaultMnist = "datasets/mnist";  // the folder of a bare `mnist-rows`
};

enum class DataFormat { Idx, MnistRows, UciHar, TsPair, Ts, Npy, Npz, Csv, Hdf5 };
std::string toString(DataFormat f);  // "IDX", "mnist-rows", "UCI HAR", ".ts pair", ".ts", ".npy", ...

// What is at path; throws Error("DataSource", ...) when it is missing or nothing fits.
DataFormat detectFormat(const std::string& path);

DataSplit openData(const DataRequest& request);

// The arrays of an .npy, .npz or HDF5 file, for a chooser dialog (HDF5 needs latentlab_io linked).
std::vector<ArrayInfo> listArrays(const std::string& path);

// HDF5 lives in latentlab_io, which sets this when it is linked (engine/io/Hdf5Data.cpp); without it, opening
// an HDF5 file says so.
using ArrayContainerOpener = std::unique_ptr<ArrayContainer> (*)(const std::string& path);
void setHdf5Opener(ArrayContainerOpener opener);

}  // namespace latentlab
