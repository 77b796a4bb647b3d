# The installation: `cmake --install` into a temporary prefix and the installed
# program run from elsewhere, the Debian package read with dpkg-deb, and the
# bash completion asked for commands, flags, years and actor ids.
foreach(group Installed DebianPackage Completion)
  add_test(NAME install/${group}
    COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/install_test.py ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR} ${group})
endforeach()
# Both read and write the build folder's install manifest and CPack state.
set_tests_properties(install/Installed install/DebianPackage PROPERTIES RESOURCE_LOCK lr-install)
# Each group exits 77 when a program it reads the installation with is
# missing (install_test.py's TOOLS). cpack compresses the package: the slow one.
set_tests_properties(install/Installed install/DebianPackage install/Completion PROPERTIES
  SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
set_tests_properties(install/Installed install/Completion PROPERTIES TIMEOUT 120)
set_tests_properties(install/DebianPackage PROPERTIES TIMEOUT 300)
