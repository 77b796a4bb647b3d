# Activity identity (joint activities, ids across years) on the two-year
# fixture tests/fixtures/identity: the workbook read back with openpyxl,
# diff's JSON, and new → edit → build as an officer runs them.
set(LR_IDENTITY_TEST ${CMAKE_CURRENT_SOURCE_DIR}/identity_test.py)
foreach(group Workbook Diff NewEditBuild)
  add_test(NAME identity/${group}
    COMMAND ${LR_PYTHON} ${LR_IDENTITY_TEST} $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} ${group})
endforeach()
# Without openpyxl or PyYAML a group exits 77: skipped, never passed.
set_tests_properties(identity/Workbook identity/Diff identity/NewEditBuild PROPERTIES
  SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}" TIMEOUT 120)
