# `schema` read by python3-jsonschema: every shipped file validates, the
# loader's refusals are the schema's too, and forms name their schema.
add_test(NAME schema/jsonschema
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/schema_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(schema/jsonschema PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
# A form from `new` in npm's yaml-language-server, the server behind VS
# Code's YAML extension: installed with npm ci from tests/editor/ into the
# build folder (once per lock file), it must flag the form's mistakes from
# the schema beside it and complete the sub-goal ids.
add_test(NAME schema/editor
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/editor_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/editor-node)
set_tests_properties(schema/editor PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77 LABELS browser
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
