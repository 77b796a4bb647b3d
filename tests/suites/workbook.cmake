# The Excel workbook: written by the library through a small driver and read
# back with openpyxl, an independent reader (Debian's python3-openpyxl).
add_executable(write_workbook ${CMAKE_CURRENT_SOURCE_DIR}/tools/write_workbook.c)
target_link_libraries(write_workbook PRIVATE lagesrapport_internal)

add_test(NAME workbook/openpyxl
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/workbook_check.py
          $<TARGET_FILE:write_workbook> ${CMAKE_SOURCE_DIR})
set_tests_properties(workbook/openpyxl PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
