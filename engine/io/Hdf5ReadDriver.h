#pragma once
// A read-only HDF5 file driver for the readers. libhdf5 1.10's own drivers gather metadata reads in an
// accumulator that mishandles an address near 2^64: a damaged file whose group points at the undefined address
// (all bits set) made H5F__accum_read copy from a null buffer and crash a release build (found by fuzz_hdf5_data,
// through H5Lvisit and H5HL_protect). This driver declares no accumulator, so every read reaches it, and it
// refuses a read that wraps around or ends beyond the file's allocated space; libhdf5 then reports an error.
#include <hdf5.h>

namespace latentlab::hdf5 {

// Sets the driver on a file-access property list (H5P_FILE_ACCESS); false when libhdf5 refused it.
bool useReadDriver(hid_t fileAccess);

}  // namespace latentlab::hdf5
