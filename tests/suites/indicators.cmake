# Shared indicators end to end: the Västmanland example and the two-year
# fixture built, diffed, given forms and schemas, with every figure checked
# against the YAML read independently (python3-yaml, openpyxl, jsonschema).
add_test(NAME indicators/e2e
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/indicators_test.py $<TARGET_FILE:lagesrapport>
          ${CMAKE_SOURCE_DIR})
set_tests_properties(indicators/e2e PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
