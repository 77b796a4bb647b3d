# `new`: the year's forms, read back with PyYAML and checked by the program
# itself; the YAML escape they are written with, read back by libyaml.
add_test(NAME new/forms
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/new_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(new/forms PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
