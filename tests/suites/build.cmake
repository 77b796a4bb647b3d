# `build` end to end: files, atomicity, determinism, intern activities,
# hostile statements, the pages in a real browser (Chromium), golden
# reports, and every shipped region building in all four formats.
add_test(NAME build/behaviour
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/build_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
# Killed at random moments and before every change to the file system:
# the year folder holds the old set or the new one, never a mix.
add_test(NAME build/crash-kills
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/build_crash_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} kills)
add_test(NAME build/crash-points
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/build_crash_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} points)
# Under AddressSanitizer the crash points take about 70 s.
set_tests_properties(build/crash-kills build/crash-points PROPERTIES TIMEOUT 600
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
set_tests_properties(build/crash-points PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME build/html
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/html_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
add_test(NAME build/browser
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/browser_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
# Jönköping 2022: the chosen examples in the body, every activity once in
# the appendix, the default choice without one, and numbered citations.
add_test(NAME build/examples
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/examples_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(build/examples PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
# Jönköping 2021-2022 as one period report: files named by the period,
# each activity with an id once, answers per year, 2021's plans followed.
add_test(NAME build/period
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/period_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(build/period PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
add_test(NAME build/golden
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/update-golden $<TARGET_FILE:lagesrapport> --check)
set_tests_properties(build/behaviour build/html PROPERTIES TIMEOUT 120
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
# Two pages in a browser that starts cold with a fresh profile each time.
set_tests_properties(build/browser PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
set_tests_properties(build/golden PROPERTIES TIMEOUT 60)

foreach(entry "jonkoping|2022" "vastmanland|2017" "jamtland|2021" "vasternorrland|2022" "vasterbotten|2024")
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 region)
  list(GET parts 1 year)
  add_test(NAME region/${region}/build
    COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1
      $<TARGET_FILE:lagesrapport> -C ${CMAKE_SOURCE_DIR}/data/${region} build ${year}
      --out ${CMAKE_CURRENT_BINARY_DIR}/regions/${region} --format md,html,xlsx,docx)
  # The workbook is written on a thread of its own while the pages render.
  set_tests_properties(region/${region}/build PROPERTIES TIMEOUT 60 LABELS threads)
endforeach()
