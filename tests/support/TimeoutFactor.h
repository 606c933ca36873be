#pragma once
// Time limits in GUI tests scale by LATENTLAB_TIMEOUT_FACTOR (at least 1): scripts/sanitize.sh sets it, because
// ASan and TSan make everything several times slower and a latency limit says nothing there.
#include <QtGlobal>
#include <algorithm>

namespace latentlab::testing {
inline int timeoutFactor() { return std::max(1, qEnvironmentVariableIntValue("LATENTLAB_TIMEOUT_FACTOR")); }
}  // namespace latentlab::testing
