# The library's threads: the statement loader (src/model/project.c) and the
# workbook writer (src/render/build.c). Every test that runs either with a
# second thread carries the label `threads`, so that ./bootstrap test runs
# exactly those under ThreadSanitizer (ctest -L threads in build-tsan).
add_test(NAME threads/loader
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/threads_test.py
          $<TARGET_FILE:lagesrapport> $<TARGET_FILE:lr-generate>)
# Four runs of check over 64 statements; a few seconds under ThreadSanitizer.
set_tests_properties(threads/loader PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}" LABELS threads)
