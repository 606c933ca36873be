#pragma once
#include <string>
#include <vector>

namespace latentlab::cli {

const char* trainHelp();
int trainCommand(const std::vector<std::string>& args);
const char* benchHelp();
int benchCommand(const std::vector<std::string>& args);
const char* evalHelp();
int evalCommand(const std::vector<std::string>& args);
const char* inspectHelp();
int inspectCommand(const std::vector<std::string>& args);
const char* exportHelp();
int exportCommand(const std::vector<std::string>& args);
const char* exportEmbeddingHelp();
int exportEmbeddingCommand(const std::vector<std::string>& args);
const char* activeHelp();
int activeCommand(const std::vector<std::string>& args);
const char* anomalyHelp();
int anomalyCommand(const std::vector<std::string>& args);
const char* experimentHelp();
int experimentCommand(const std::vector<std::string>& args);

}  // namespace latentlab::cli
