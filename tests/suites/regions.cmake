# The shipped example projects: each checks clean (exit status 0) and has
# the shape its source document states (goals, sub-goals, actors,
# statements per year).
set(LR_REGION_SHAPES
  "jonkoping|jonkoping-2020-2026: 5 mål, 24 delmål, 23 aktörer, reviderad 2024 \\(5 mål, 23 delmål\\) · 2021: 15 yttranden · 2022: 11 yttranden · 2024: 3 yttranden \\(20 aktörer har inte svarat\\) · inga fel"
  "vastmanland|vastmanland-2017-2020: 9 mål, 36 delmål, 30 aktörer · 2017: 22 yttranden"
  "jamtland|jamtland-2021-2026: 5 mål, 0 delmål, 6 aktörer · 2021: 6 yttranden · inga fel"
  "vasternorrland|vasternorrland-2022-2026: 4 mål, 40 delmål, 16 aktörer · 2022: 15 yttranden"
  "vasterbotten|vasterbotten-2024-2026: 4 mål, 0 delmål, 4 aktörer · 2024: 4 yttranden · inga fel")
foreach(entry ${LR_REGION_SHAPES})
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 region)
  list(GET parts 1 shape)
  add_test(NAME region/${region}/check
    COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/expect_output.py "${shape}"
            $<TARGET_FILE:lagesrapport> -C ${CMAKE_SOURCE_DIR}/data/${region} check)
  set_tests_properties(region/${region}/check PROPERTIES TIMEOUT 30
    FAIL_REGULAR_EXPRESSION ": fel: ")
endforeach()

# From the repository root the commands act on the Jönköping example.
add_test(NAME region/root-finds-jonkoping
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/expect_output.py
          "jonkoping-2020-2026: 5 mål, 24 delmål, 23 aktörer" $<TARGET_FILE:lagesrapport> check
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(region/root-finds-jonkoping PROPERTIES TIMEOUT 30)
