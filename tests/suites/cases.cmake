# Data-driven command-line cases: tests/cases/<name>.case, one ctest each.
# Regenerate expectations after a deliberate change with:
#   tests/update-cases build/lagesrapport
set(LR_CASES
  actor-mismatch
  aliases-ok
  all-files-one-run
  analysis-unknown-goal
  control-characters
  report-examples-errors
  report-sources-errors
  bad-actor-ids
  branding-bad-logo-and-footer
  branding-missing-logo
  branding-text-logo
  build-invalid-strategy
  diff-indicators
  diff-indicators-only
  diff-invalid-statement
  diff-markdown
  diff-minimal
  diff-same-year
  diff-unknown-format
  diff-usage
  duplicate-key
  empty-file
  export-invalid-project
  export-missing-year
  export-unknown-table
  export-unknown-table-no-guess
  export-unwritable
  export-usage
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
  indicators-not-a-mapping
  indicators-not-a-number
  indicators-out-of-range
  indicators-reporters
  indicators-strategy-errors
  indicators-unknown
  indicators-wrong-unit
  init-bad-values
  init-existing-files
  json-format
  lookalike-ids
  mail-missing-year
  missing-actors-default
  missing-keys
  missing-strategy-file
  missing-year
  no-project
  ok-summary
  redirect
  revision-new-removed-target
  revision-check-json
  revision-ok
  revision-outside-period
  revision-report-texts
  revision-same-year
  revision-statement-ids
  revision-swap
  revision-unknown-ids
  revision-unmapped-id
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
  template-unknown-variable
  templates-outside
  terminal-escapes
  terminal-escapes-args
  terminal-escapes-json
  titles-override-errors
  unknown-actor-nearest
  unknown-command-no-guess
  unknown-command-typo
  unknown-flag
  unknown-key-suggestion
  unknown-key-transposed
  unknown-references
  unknown-subgoal
  usage-all-mistakes
  usage-errors
  warnings-only
  wrong-types
  yaml-hard-space-indent
  yaml-hash-without-space
  yaml-list-item-indent
  yaml-list-item-without-dash
  yaml-missing-colon
  yaml-quote-inside-quote
  yaml-tab-indent
  yaml-text-after-block-indicator
  yaml-unclosed-quote
  yml-extension
  period-backwards
  period-check
  period-en-dash
  period-malformed
  period-not-for-diff
  period-one-year
  period-outside-strategy
  period-report-texts-errors
  period-year-without-statements
)
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

# check --fix needs bytes a case file cannot hold (Windows-1252, CRLF), so it
# has a test of its own: repaired files told line by line, a second run that
# changes nothing, and what cannot be repaired for certain left byte for byte.
add_test(NAME check/fix
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/fix_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(check/fix PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
