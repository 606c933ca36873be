#pragma once
// Minimal "--name value" / "--flag" parser for the CLI's subcommands. Unknown options are errors.
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace latentlab::cli {

class Arguments {
 public:
  // valueOptions take a value, flags do not; both without the leading "--".
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
            const std::set<std::string>& flags);

  bool has(const std::string& name) const { return values_.count(name) > 0 || flags_.count(name) > 0; }
  std::string string(const std::string& name, const std::string& fallback) const;
  int integer(const std::string& name, int fallback) const;
  double number(const std::string& name, double fallback) const;
  std::vector<int> integers(const std::string& name, const std::vector<int>& fallback) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

// Thrown for bad command lines; main prints it with the usage hint and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace latentlab::cli
