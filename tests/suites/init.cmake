# `init`: a starting project that checks clean and builds, questions on a
# pseudo-terminal, and every refusal with nothing written.
add_test(NAME init/project
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/init_test.py $<TARGET_FILE:lagesrapport>)
set_tests_properties(init/project PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
