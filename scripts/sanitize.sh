#!/usr/bin/env bash
# Builds and runs the test suite under sanitizers, niced, and prints how long each part took.
#   scripts/sanitize.sh [asan|tsan|all]      (default all)
# asan: build-asan/, gcc with AddressSanitizer + UndefinedBehaviorSanitizer (any UB is an error), the whole
#       suite offscreen, LeakSanitizer on.
# tsan: build-tsan/, gcc with ThreadSanitizer, the tests with worker threads: the training thread
#       (training, gui_dashboard, gui_model_files, gui_latency), the label set shared with the trainer
#       (label_set, gui_labelling), thread-pool jobs (gui_projection_panel, gui_projection_workbench,
#       gui_generation) and the rest of the GUI tests.
# Suppressions (each explained in its file): tests/sanitizers/{lsan,ubsan,tsan}.supp. Reports go to the
# test output (ctest --output-on-failure) and fail the test.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
jobs=${JOBS:-$(nproc)}
supp="$PWD/tests/sanitizers"
common=(-DCMAKE_BUILD_TYPE=Sanitize -DLATENTLAB_FUZZ_SMOKE=OFF -DLATENTLAB_BUILD_GUI=ON)
times=()

stamp() { date +%s; }

if [ "$what" = asan ] || [ "$what" = all ]; then
  flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
  t0=$(stamp)
  if [ ! -f build-asan/CMakeCache.txt ]; then
    cmake -S . -B build-asan "${common[@]}" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
  fi
  nice -n 10 cmake --build build-asan -j"$jobs"
  t1=$(stamp)
  set +e
  # intercept_tls_get_addr=0: with it, LeakSanitizer (GCC 12) records a garbage dynamic-TLS range for the OpenMP
  # threads of the dlopen'ed BLIS and its tracer dies on it at exit ("Tracer caught signal 11", `export`, and the
  # workbench's child-process file checks). Without it, dynamic TLS is not scanned for pointers, which could
  # only add leak reports, never hide one.
  # QTEST_FUNCTION_TIMEOUT and a factor of 10: the GUI tests that wait for whole epochs (gui_projection_workbench)
  # outlast Qt Test's 5 minutes and 4x their own limits under ASan on a loaded machine.
  LATENTLAB_TIMEOUT_FACTOR=10 QTEST_FUNCTION_TIMEOUT=1800000 \
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:intercept_tls_get_addr=0" \
  LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp" \
    nice -n 10 ctest --test-dir build-asan --output-on-failure -j1 --timeout 1800 2>&1 | tee build-asan/ctest.log
  asan_rc=${PIPESTATUS[0]}
  set -e
  t2=$(stamp)
  times+=("asan: build $((t1 - t0)) s, suite $((t2 - t1)) s, $(grep -a 'tests passed' build-asan/ctest.log | tail -1)")
fi

if [ "$what" = tsan ] || [ "$what" = all ]; then
  flags="-O1 -g -fno-omit-frame-pointer -fsanitize=thread"
  t0=$(stamp)
  if [ ! -f build-tsan/CMakeCache.txt ]; then
    cmake -S . -B build-tsan "${common[@]}" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  fi
  tsan_tests=(training label_set gui_dashboard gui_latency gui_model_files gui_labelling gui_generation
              gui_projection_panel gui_projection_workbench gui_projection)
  nice -n 10 cmake --build build-tsan -j"$jobs" --target "${tsan_tests[@]}"
  t1=$(stamp)
  set +e
  # QTEST_FUNCTION_TIMEOUT: with two OpenMP threads, every suppressed libgomp report (tsan.supp) still costs
  # TSan a stack walk, and gui_latency's 20 plotted steps outlast Qt Test's 5 minutes.
  LATENTLAB_TIMEOUT_FACTOR=10 QTEST_FUNCTION_TIMEOUT=1800000 TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:report_signal_unsafe=0" \
    nice -n 10 ctest --test-dir build-tsan --output-on-failure -j1 --timeout 3600 \
      -R "^($(IFS='|'; echo "${tsan_tests[*]}"))\$" 2>&1 | tee build-tsan/ctest.log
  tsan_rc=${PIPESTATUS[0]}
  set -e
  t2=$(stamp)
  times+=("tsan: build $((t1 - t0)) s, tests $((t2 - t1)) s, $(grep -a 'tests passed' build-tsan/ctest.log | tail -1)")
fi

printf '%s\n' "${times[@]}"
[ "${asan_rc:-0}" -eq 0 ] && [ "${tsan_rc:-0}" -eq 0 ]
