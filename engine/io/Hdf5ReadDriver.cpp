#include "engine/io/Hdf5ReadDriver.h"

#include <H5FDpublic.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace latentlab::hdf5 {

namespace {

struct ReadFile {
  H5FD_t pub;  // first: libhdf5 sees a ReadFile* as an H5FD_t* and fills these fields
  int fd = -1;
  haddr_t eoa = 0, eof = 0;
  dev_t device = 0;
  ino_t inode = 0;
};

ReadFile* self(H5FD_t* f) { return reinterpret_cast<ReadFile*>(f); }
const ReadFile* self(const H5FD_t* f) { return reinterpret_cast<const ReadFile*>(f); }

H5FD_t* openFile(const char* name, unsigned flags, hid_t, haddr_t) {
  if (flags & (H5F_ACC_RDWR | H5F_ACC_TRUNC | H5F_ACC_CREAT | H5F_ACC_EXCL)) return nullptr;
  const int fd = ::open(name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return nullptr;
  }
  auto* f = new ReadFile{};
  f->fd = fd;
  f->eof = haddr_t(st.st_size);
  f->device = st.st_dev;
  f->inode = st.st_ino;
  return &f->pub;
}

herr_t closeFile(H5FD_t* file) {
  ReadFile* f = self(file);
  const int rc = ::close(f->fd);
  delete f;
  return rc == 0 ? 0 : -1;
}

int compare(const H5FD_t* a, const H5FD_t* b) {
  const ReadFile *x = self(a), *y = self(b);
  if (x->device != y->device) return x->device < y->device ? -1 : 1;
  if (x->inode != y->inode) return x->inode < y->inode ? -1 : 1;
  return 0;
}

herr_t query(const H5FD_t*, unsigned long* flags) {
  *flags = 0;  // no metadata accumulator, no aggregation, no sieve buffer: every read comes here
  return 0;
}

haddr_t getEoa(const H5FD_t* file, H5FD_mem_t) { return self(file)->eoa; }
herr_t setEoa(H5FD_t* file, H5FD_mem_t, haddr_t address) {
  self(file)->eoa = address;
  return 0;
}
haddr_t getEof(const H5FD_t* file, H5FD_mem_t) { return self(file)->eof; }

herr_t readAt(H5FD_t* file, H5FD_mem_t, hid_t, haddr_t address, size_t size, void* buffer) {
  ReadFile* f = self(file);
  if (address == HADDR_UNDEF || address + size < address || address + size > f->eoa) return -1;
  auto* out = static_cast<unsigned char*>(buffer);
  while (size > 0) {
    if (address >= f->eof) {  // within the allocated space but past the end: zeros, as libhdf5's drivers do
      std::memset(out, 0, size);
      return 0;
    }
    const ssize_t n = ::pread(f->fd, out, size, off_t(address));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) {
      std::memset(out, 0, size);
      return 0;
    }
    out += n;
    address += haddr_t(n);
    size -= size_t(n);
  }
  return 0;
}

herr_t writeAt(H5FD_t*, H5FD_mem_t, hid_t, haddr_t, size_t, const void*) { return -1; }

H5FD_class_t driverClass() {
  H5FD_class_t c{};
  c.name = "latentlab_read";
  c.maxaddr = haddr_t(1) << 62;
  c.fc_degree = H5F_CLOSE_WEAK;
  c.open = openFile;
  c.close = closeFile;
  c.cmp = compare;
  c.query = query;
  c.get_eoa = getEoa;
  c.set_eoa = setEoa;
  c.get_eof = getEof;
  c.read = readAt;
  c.write = writeAt;
  const H5FD_mem_t map[] = H5FD_FLMAP_DICHOTOMY;
  for (int i = 0; i < H5FD_MEM_NTYPES; ++i) c.fl_map[i] = map[i];
  return c;
}

}  // namespace

bool useReadDriver(hid_t fileAccess) {
  static const H5FD_class_t cls = driverClass();
  static const hid_t driver = H5FDregister(&cls);  // once; libhdf5 keeps it for the process
  return driver >= 0 && H5Pset_driver(fileAccess, driver, nullptr) >= 0;
}

}  // namespace latentlab::hdf5
