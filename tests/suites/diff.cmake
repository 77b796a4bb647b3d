# `lagesrapport diff`: the shipped Jönköping years in all three formats with
# expectations read from the YAML, exit codes and errors, and the shell part
# of the CI recipes (docs/ci-steps.sh) in a temporary git repository.
set(LR_DIFF_TEST ${CMAKE_CURRENT_SOURCE_DIR}/diff_test.py)
foreach(group JonkopingDiff DiffCases CiSteps)
  add_test(NAME diff/${group}
    COMMAND ${LR_PYTHON} ${LR_DIFF_TEST} $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} ${group})
endforeach()
# Without PyYAML, or git for CiSteps, a group exits 77: skipped, never passed.
set_tests_properties(diff/JonkopingDiff diff/DiffCases diff/CiSteps PROPERTIES
  SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
set_tests_properties(diff/JonkopingDiff diff/DiffCases PROPERTIES TIMEOUT 120)
set_tests_properties(diff/CiSteps PROPERTIES TIMEOUT 300)

# A revised strategy followed across its revision (Jönköping's illustrative
# 2024 revision and the three-year fixture): statements checked against the
# version of their year, diff counts across it in both directions worked
# out from the YAML, the report's note, and new's carried plans.
add_test(NAME diff/revision
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/revision_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(diff/revision PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
