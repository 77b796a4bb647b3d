# The benchmark's generator writes projects that check and build cleanly:
# a small one here, so that bench/run never measures a failing command.
# Forty actors, so that statements are read on more than one thread
# (src/model/project.c splits from 32 files) wherever there is more than one
# core. No timings are asserted; those live in bench/README.md.
if(NOT TARGET lr-generate)
  add_executable(lr-generate ${CMAKE_SOURCE_DIR}/bench/generate.c)
endif()

set(LR_BENCH_DIR ${CMAKE_CURRENT_BINARY_DIR}/bench-small)
add_test(NAME bench/generate
  COMMAND $<TARGET_FILE:lr-generate> --seed 7 --years 2 --actors 40 --activities 2 ${LR_BENCH_DIR})
add_test(NAME bench/check
  COMMAND $<TARGET_FILE:lagesrapport> -C ${LR_BENCH_DIR} check)
add_test(NAME bench/build
  COMMAND $<TARGET_FILE:lagesrapport> -C ${LR_BENCH_DIR} build 2021
    --out ${LR_BENCH_DIR}/ut --format md,html,xlsx)
set_tests_properties(bench/generate PROPERTIES FIXTURES_SETUP bench-small)
set_tests_properties(bench/check bench/build PROPERTIES FIXTURES_REQUIRED bench-small
  FAIL_REGULAR_EXPRESSION ": fel: ")
# About a second each under AddressSanitizer.
set_tests_properties(bench/generate bench/check bench/build PROPERTIES TIMEOUT 60)
