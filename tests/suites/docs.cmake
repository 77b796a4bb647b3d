# The documentation kept true: every key the loaders accept and every value
# they allow is in docs/format.md, and no document names a file that the
# repository does not have.
add_test(NAME docs/format
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/docs_test.py ${CMAKE_SOURCE_DIR})
set_tests_properties(docs/format PROPERTIES TIMEOUT 60
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
