# The installation: `cmake --install` into a temporary prefix and the installed
# program run from elsewhere, the Debian package read with dpkg-deb, and the
# bash completion asked for commands, flags, years and actor ids.
foreach(group Installed DebianPackage Completion)
  add_test(NAME install/${group}
    COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/install_test.py ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR} ${group})
endforeach()
# Both read and write the build folder's install manifest and CPack state.
set_tests_properties(install/Installed install/DebianPackage PROPERTIES RESOURCE_LOCK lr-install)
