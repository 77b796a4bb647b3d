# `new`: the year's forms, read back with PyYAML and checked by the program
# itself; the YAML escape they are written with, read back by libyaml.
add_test(NAME new/forms
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/new_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(new/forms PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
# The HTML form from `new` in Debian's Chromium, driven by npm's
# puppeteer-core (tests/browser/, installed into the build folder): filled
# in, saved, reopened, checked by the program, scanned by axe-core.
add_test(NAME new/form-browser
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/form_browser_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/node)
# npm ci the first time (about a minute), then one browser session.
set_tests_properties(new/form-browser PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77 RESOURCE_LOCK lr-node LABELS browser
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
