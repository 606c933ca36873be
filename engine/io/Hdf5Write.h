#pragma once
// Writing the pieces of a model file (docs/hdf5-format.md, "Conventions"): attributes with fixed-length
// strings, 64-bit integers and float64 numbers; datasets chunked with HDF5's Fletcher32 checksum on every chunk,
// so a reader detects damaged data instead of using it.
#include <H5Cpp.h>

#include <string>
#include <vector>

#include "engine/core/Types.h"

namespace latentlab::hdf5 {

// File access for writing: the newest format bounds of HDF5 1.10 (superblock 3, version-2 object headers), in
// which every piece of metadata carries a checksum. Readers need HDF5 1.10 or later.
H5::FileAccPropList checksummedFormat();

void attr(H5::H5Object& o, const std::string& name, const std::string& value);  // fixed-length, NUL-padded UTF-8
void attr(H5::H5Object& o, const std::string& name, const std::vector<std::string>& values);
void attr(H5::H5Object& o, const std::string& name, long value);  // int64
void attr(H5::H5Object& o, const std::string& name, const std::vector<long>& values);
void attr(H5::H5Object& o, const std::string& name, double value);  // float64

// float32 (rows, cols) in C order, as NumPy reads it.
void writeMatrix(H5::Group& g, const std::string& name, const Matrix<float>& m);
void writeInts(H5::Group& g, const std::string& name, const std::vector<int32_t>& v);   // int32[n]
void writeBytes(H5::Group& g, const std::string& name, const std::vector<uint8_t>& v);  // uint8[n]
// float64 (rows, columns.size()) with the column names in attribute `columns`.
void writeTable(H5::Group& g, const std::string& name, const std::vector<std::string>& columns,
                const std::vector<double>& rowMajor);

}  // namespace latentlab::hdf5
