# The installed package: one targets file per component, so that
# find_package(nmtwin COMPONENTS x) loads x (and what it depends on) and looks for
# x's own dependencies only. cmake/nmtwinConfig.cmake.in declares the components.
include(CMakePackageConfigHelpers)

# nmtwin_install_component(name TARGETS target...): installs the targets as component
# `name` (lib/cmake/nmtwin/nmtwin-NAME-targets.cmake) and exports them from the build
# tree alike.
function(nmtwin_install_component name)
  cmake_parse_arguments(C "" "" "TARGETS" ${ARGN})
  if(NMTWIN_SANITIZE)
    # A sanitized build's libraries need the sanitizer's runtime wherever they are linked:
    # host software built against this build tree (scripts/ci-gate, the package tests).
    foreach(t ${C_TARGETS})
      target_link_options(${t} INTERFACE -fsanitize=${NMTWIN_SANITIZE})
    endforeach()
  endif()
  install(TARGETS ${C_TARGETS} EXPORT nmtwin-${name} ARCHIVE DESTINATION lib)
  install(EXPORT nmtwin-${name} NAMESPACE nmtwin:: DESTINATION lib/cmake/nmtwin FILE nmtwin-${name}-targets.cmake)
  export(EXPORT nmtwin-${name} NAMESPACE nmtwin:: FILE ${PROJECT_BINARY_DIR}/nmtwin-${name}-targets.cmake)
endfunction()

# nmtwinConfig.cmake and its version file, in the build tree and installed.
function(nmtwin_install_package_config)
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/nmtwinConfig.cmake.in
    ${PROJECT_BINARY_DIR}/nmtwinConfig.cmake INSTALL_DESTINATION lib/cmake/nmtwin)
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/nmtwinConfigVersion.cmake COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/nmtwinConfig.cmake ${PROJECT_BINARY_DIR}/nmtwinConfigVersion.cmake
    DESTINATION lib/cmake/nmtwin)
endfunction()
