#include "engine/core/AtomicFile.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

namespace fs = std::filesystem;

std::string fileName(const std::string& path) { return fs::path(path).filename().string(); }

fs::path folderOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Flushes a file's or a folder's data and metadata to the disk; errno on failure, 0 on success.
int syncPath(const fs::path& p, bool folder) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) return errno;
  int err = ::fsync(fd) == 0 ? 0 : errno;
  if (folder && (err == EINVAL || err == EROFS)) err = 0;  // file systems that cannot sync folders
  ::close(fd);
  return err;
}

}  // namespace

std::string temporaryPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{(uint64_t(std::random_device{}()) << 32) ^ std::random_device{}()};
  char tail[64];
  std::snprintf(tail, sizeof tail, ".%ld.%016llx.part", long(::getpid()),
                (unsigned long long)(rng() ^ counter.fetch_add(1)));
  return path + tail;
}

void commitTemporary(const std::string& tmp, const std::string& path, const std::string& component) {
  auto fail = [&](const std::string& what, int err) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error(component, fileName(path) + ": cannot write (" + what + ": " + std::strerror(err) + ")");
  };
  if (int err = syncPath(tmp, false)) fail("flushing the temporary file", err);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("renaming the temporary file", errno);
  if (int err = syncPath(folderOf(path), true))  // the new file is complete; only the rename may not last
    throw Error(component, fileName(path) + ": written, but flushing its folder failed: " + std::strerror(err));
}

void checkOutputPath(const std::string& path, const std::string& component) {
  const fs::path folder = folderOf(path);
  std::error_code ec;
  if (path.empty()) throw Error(component, "no output file given");
  if (!fs::exists(folder, ec)) throw Error(component, path + ": the folder " + folder.string() + " does not exist");
  if (!fs::is_directory(folder, ec)) throw Error(component, path + ": " + folder.string() + " is not a folder");
  if (fs::is_directory(path, ec)) throw Error(component, path + " is a folder, not a file");
  const std::string probe = temporaryPathFor(path);
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Error(component,
                path + ": cannot write in the folder " + folder.string() + " (" + std::strerror(errno) + ")");
  ::close(fd);
  fs::remove(probe, ec);
  removeStaleTemporaries(path);
}

int removeStaleTemporaries(const std::string& path) {
  const fs::path folder = folderOf(path);
  const std::string prefix = fileName(path) + ".";
  int removed = 0;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(folder, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() <= prefix.size() + 22 || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (name.compare(name.size() - 5, 5, ".part") != 0) continue;
    // <prefix><pid>.<16 hex>.part
    const std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - 5);
    const size_t dot = middle.find('.');
    if (dot == std::string::npos || dot == 0 || middle.size() - dot - 1 != 16) continue;
    if (middle.find_first_not_of("0123456789") < dot) continue;
    const long pid = std::strtol(middle.substr(0, dot).c_str(), nullptr, 10);
    if (pid <= 0 || pid == long(::getpid())) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to ask: keep it
    std::error_code rm;
    if (fs::remove(e.path(), rm)) ++removed;
  }
  return removed;
}

}  // namespace latentlab
