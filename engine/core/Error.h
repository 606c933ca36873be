#pragma once
#include <stdexcept>
#include <string>

namespace latentlab {

// Errors carry the component that failed ("IdxReader: train-images-idx3-ubyte: ...").
class Error : public std::runtime_error {
 public:
  Error(const std::string& component, const std::string& what)
      : std::runtime_error(component + ": " + what) {}
};

}  // namespace latentlab
