# `export`: the CSV of every table read back with Python's csv module in both
# dialects, its counts compared with the YAML read by PyYAML, hostile text,
# intern activities and files replaced whole (-o /dev/full among them).
foreach(group Regions Hostile Files)
  add_test(NAME export/${group}
    COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/export_test.py
            $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} ${group})
endforeach()
# Without PyYAML a group exits 77: skipped, never passed.
set_tests_properties(export/Regions export/Hostile export/Files PROPERTIES
  SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}" TIMEOUT 180)
