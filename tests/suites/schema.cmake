# `schema` read by python3-jsonschema: every shipped file validates, the
# loader's refusals are the schema's too, and forms name their schema.
add_test(NAME schema/jsonschema
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/schema_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(schema/jsonschema PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
