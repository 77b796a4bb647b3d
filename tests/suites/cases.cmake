# Data-driven command-line cases: tests/cases/<name>.case, one ctest each.
# Regenerate expectations after a deliberate change with:
#   tests/update-cases build/lagesrapport
set(LR_CASES
  actor-mismatch
  aliases-ok
  all-files-one-run
  analysis-unknown-goal
  report-examples-errors
  report-sources-errors
  bad-actor-ids
  branding-bad-logo-and-footer
  branding-missing-logo
  branding-text-logo
  build-invalid-strategy
  diff-invalid-statement
  diff-markdown
  diff-minimal
  diff-same-year
  diff-unknown-format
  diff-usage
  duplicate-key
  empty-file
  end-of-options
  flag-equals-build
  flag-equals-mail
  flag-given-twice
  flag-missing-value
  header-injection
  identity-bad-id
  identity-conflicting-copies
  identity-dropped-plan
  identity-duplicate-id
  identity-id-collision
  identity-joint-without-id
  identity-unknown-owner
  init-bad-values
  init-existing-files
  json-format
  lookalike-ids
  mail-missing-year
  missing-keys
  missing-year
  no-project
  ok-summary
  redirect
  schema-invalid-project
  smtp-password-command-without-user
  smtp-settings-errors
  smtp-settings-ok
  stdout-write-error
  strategy-errors
  switch-with-value
  symlink-inside
  symlinked-project-files
  symlinked-statements
  syntax-error
  template-link-outside
  templates-outside
  terminal-escapes
  terminal-escapes-args
  terminal-escapes-json
  titles-override-errors
  unknown-command-no-guess
  unknown-command-typo
  unknown-flag
  unknown-key-suggestion
  unknown-references
  unknown-subgoal
  usage-all-mistakes
  usage-errors
  warnings-only
  wrong-types
  yml-extension)
set(case_files "")
foreach(name ${LR_CASES})
  list(APPEND case_files cases/${name}.case)
  add_test(NAME case/${name}
    COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/run_case.py
            $<TARGET_FILE:lagesrapport> ${CMAKE_CURRENT_SOURCE_DIR}/cases/${name}.case)
  # One run of the program on a small fixture: seconds even under ASan.
  set_tests_properties(case/${name} PROPERTIES TIMEOUT 60)
endforeach()
lr_tests_all_listed("cases/*.case" "LR_CASES in tests/suites/cases.cmake" ${case_files})
