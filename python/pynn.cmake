# pyNN.nmtwin, the PyNN backend (docs/pynn.md). Included by python/CMakeLists.txt after
# nmtwin_pytest() is defined: include(${CMAKE_CURRENT_SOURCE_DIR}/pynn.cmake)
#
# Build tree: python/pynn/pyNN/ (a shim __init__.py that runs the installed PyNN's own
# __init__.py with both directories on __path__, and the subpackage nmtwin/) is copied to
# ${NMTWIN_PYTHON_DIR}/pyNN, so PYTHONPATH=<build>/python alone gives `import nmtwin`,
# `import pyNN.nmtwin` and pyNN.utility.get_simulator("nmtwin").
# Install: beside the module nmtwin. Where that directory already holds PyNN itself
# (a prefix of /usr), only pyNN/nmtwin is installed into it and PyNN's own __init__.py
# is left alone; elsewhere the shim goes with it.
file(GLOB_RECURSE nmtwin_pynn_sources RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/pynn
  CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/pynn/pyNN/*.py ${CMAKE_CURRENT_SOURCE_DIR}/pynn/pyNN/_nmtwin_shim)
set(nmtwin_pynn_copied)
foreach(f IN LISTS nmtwin_pynn_sources)
  add_custom_command(OUTPUT ${NMTWIN_PYTHON_DIR}/${f}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${CMAKE_CURRENT_SOURCE_DIR}/pynn/${f} ${NMTWIN_PYTHON_DIR}/${f}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/pynn/${f})
  list(APPEND nmtwin_pynn_copied ${NMTWIN_PYTHON_DIR}/${f})
endforeach()
add_custom_target(nmtwin_pynn ALL DEPENDS ${nmtwin_pynn_copied})
add_dependencies(nmtwin_python nmtwin_pynn)

install(DIRECTORY pynn/pyNN/nmtwin DESTINATION ${NMTWIN_PYTHON_INSTALL_DIR}/pyNN
  FILES_MATCHING PATTERN "*.py")
install(CODE "
  set(dest \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${NMTWIN_PYTHON_INSTALL_DIR}/pyNN\")
  if(EXISTS \"\${dest}/__init__.py\" AND NOT EXISTS \"\${dest}/_nmtwin_shim\")
    message(STATUS \"pyNN.nmtwin: \${dest} is PyNN itself; its __init__.py is left alone\")
  else()
    file(INSTALL \"${CMAKE_CURRENT_SOURCE_DIR}/pynn/pyNN/__init__.py\"
                 \"${CMAKE_CURRENT_SOURCE_DIR}/pynn/pyNN/_nmtwin_shim\" DESTINATION \"\${dest}\")
  endif()")

# Tests: the backend (pure translation and mapping, and on the in-process twin), PyNN
# 0.10.1's own examples (fetched by python/fetch_pynn_examples.sh into <build>/cache), and
# the comparison with Brian 2 (about 3 minutes on one core).
nmtwin_pytest(python_pynn tests/pynn LABELS unit)
nmtwin_pytest(python_pynn_brian2 tests/brian2 LABELS e2e)
set_tests_properties(python_pynn PROPERTIES TIMEOUT 600)
set_tests_properties(python_pynn_brian2 PROPERTIES TIMEOUT 1800 RUN_SERIAL TRUE)
