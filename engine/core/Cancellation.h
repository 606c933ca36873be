#pragma once
// How long engine work is stopped early, the same way everywhere (the neighbour search, t-SNE, pool scoring,
// queue ranking, the projection job):
//   - The caller owns a CancelFlag and may set it from any thread. The work takes a `const CancelFlag*` (null:
//     never cancelled) and reads it between units of work (a chunk, a block of queries, an iteration), so it
//     stops within one unit.
//   - A cancelled call returns normally: the `status` of its result is JobStatus::Cancelled, and the result
//     says what it holds then. Cancelling never throws; latentlab::Error still reports bad input.
//   - Progress goes to a std::function the work calls on its own thread between units; it must be cheap.
#include <atomic>

namespace latentlab {

using CancelFlag = std::atomic<bool>;

enum class JobStatus { Finished, Cancelled };

inline bool cancelRequested(const CancelFlag* cancel) { return cancel && cancel->load(std::memory_order_acquire); }

}  // namespace latentlab
