# Data-driven command-line cases: tests/cases/*.case, one ctest each.
# Regenerate expectations after a deliberate change with:
#   tests/update-cases build/lagesrapport
file(GLOB LR_CASES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cases/*.case)
foreach(case ${LR_CASES})
  get_filename_component(name ${case} NAME_WE)
  add_test(NAME case/${name}
    COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/run_case.py $<TARGET_FILE:lagesrapport> ${case})
endforeach()
