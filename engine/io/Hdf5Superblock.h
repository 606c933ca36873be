#pragma once
// Checks an HDF5 file's superblock before libhdf5 opens the file. libhdf5 1.10 trusts the superblock's base
// address: a damaged one (the fuzzer found base 1535 in a file whose superblock is at byte 0) makes it read
// metadata at the wrong places and crash inside the library (a memcpy from null in H5F__accum_read), and it
// compares the stored end of file with the physical size plus that base, so truncation goes unseen.
#include <string>

namespace latentlab::hdf5 {

// "" when the superblock is sound as far as it can be checked without libhdf5: found at byte 0 or at a power of
// two from 512 on, version 0 to 3, a base address equal to its own position (the format requires it) and an
// end-of-file address within the file. Otherwise what is wrong, for a message.
std::string superblockProblem(const std::string& path);

}  // namespace latentlab::hdf5
