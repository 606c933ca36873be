#pragma once
// Writing a file so that a reader sees the old one or the new one, never half of one: write a temporary file
// beside it, flush it to the disk, rename it over the target and flush the folder. Every writer has its own
// temporary name, so two writers of one path never touch each other's temporary file: the last rename wins,
// with a complete file.
#include <string>

namespace latentlab {

// path + "." + process id + "." + 16 random hex digits + ".part": beside path, used by no other writer.
std::string temporaryPathFor(const std::string& path);

// fsync(tmp), rename(tmp, path), fsync(path's folder). On failure removes tmp (the caller's own temporary file,
// nothing else) and throws Error(component, "<path's file name>: cannot write (...)").
void commitTemporary(const std::string& tmp, const std::string& path, const std::string& component);

// Throws Error(component, ...) saying why path cannot be written: its folder is missing or not a folder, the
// folder is not writable (tried by creating and removing a temporary file there), or path is a folder.
// For checks before long work (`train --out`): a bad path is reported before the first epoch, not after it.
void checkOutputPath(const std::string& path, const std::string& component);

// Removes path's temporary files left by writers that died mid-write (kill -9, a crash): those whose process id
// names no running process on this machine. A live writer's file is never touched. Returns how many it removed.
int removeStaleTemporaries(const std::string& path);

}  // namespace latentlab
