# Shared indicators end to end: the Västmanland example and the two-year
# fixture built, diffed, given forms and schemas, with every figure checked
# against the YAML read independently (python3-yaml, openpyxl, jsonschema);
# and the indicator fields of the HTML form in Chromium.
set(LR_INDICATORS_TEST ${CMAKE_CURRENT_SOURCE_DIR}/indicators_test.py)
add_test(NAME indicators/e2e
  COMMAND ${LR_PYTHON} ${LR_INDICATORS_TEST} $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR}
          Vastmanland TwoYears)
set_tests_properties(indicators/e2e PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
add_test(NAME indicators/form-browser
  COMMAND ${LR_PYTHON} ${LR_INDICATORS_TEST} $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/node FormInBrowser)
set_tests_properties(indicators/form-browser PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77 RESOURCE_LOCK lr-node
  LABELS browser FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
