# The report on paper and in Word, and its branding: Jönköping 2022 printed
# to A4 PDF by Chromium and read back with poppler, the heat map with 60
# long names measured in the browser, the .docx read back by python-docx,
# and the logo, footer and section titles a project sets.
add_test(NAME print/pdf-and-heatmap
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/print_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
# Four cold browser starts; under AddressSanitizer the builds are slower.
set_tests_properties(print/pdf-and-heatmap PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77 LABELS browser
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
add_test(NAME print/docx
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/docx_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(print/docx PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
add_test(NAME print/branding
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/branding_test.py $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(print/branding PROPERTIES TIMEOUT 120 FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
# Every region's report and feedback pages in Debian's Chromium at desktop
# and phone width, checked by npm's axe-core (tests/browser/, installed into
# the build folder once) against WCAG 2.1 AA.
add_test(NAME print/accessibility
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/axe_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/node)
set_tests_properties(print/accessibility PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77 RESOURCE_LOCK lr-node LABELS browser
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")

