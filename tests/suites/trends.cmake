# Trends over the years on the three-year fixture tests/fixtures/trends:
# the counts against the YAML, the Trender sheet and its chart read back
# with openpyxl, and the cache of older years (same bytes with or without
# it, a changed statement or a damaged cache file made again); and on the
# revision fixture the shared indicators' county figure per year.
set(LR_TRENDS_TEST ${CMAKE_CURRENT_SOURCE_DIR}/trends_test.py)
foreach(group Trends Cache Indicators)
  add_test(NAME trends/${group}
    COMMAND ${LR_PYTHON} ${LR_TRENDS_TEST} $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} ${group})
endforeach()
# Without openpyxl or PyYAML a group exits 77: skipped, never passed.
set_tests_properties(trends/Trends trends/Cache trends/Indicators PROPERTIES
  SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}" TIMEOUT 120)
