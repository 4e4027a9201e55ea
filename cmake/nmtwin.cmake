# Helpers shared by every folder.

# Our own C++ targets build with -Wall -Wextra and no warnings.
function(nmtwin_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror=return-type)
endfunction()

# nmtwin_light_optimisation(target...): -O1 instead of the build type's -O3 (Release,
# RelWithDebInfo: -O2) for code whose speed nothing measures: the command line's own
# files, examples, test-only models and helpers, the run-once files of the simulator's
# models. A fifth to a third less compile time than -O3 (issue 13: the build from
# scratch). Not for the models' per-cycle files, sim/, extoll/, the host library,
# experiment/ or regress/, which the benchmarks (bench/) time.
function(nmtwin_light_optimisation)
  foreach(target ${ARGN})
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-O1>)
  endforeach()
endfunction()

# Verilator's runtime (verilated.cpp, its FST writer and thread pool), compiled once for
# every model: verilate() would compile it again into each model library, some 20 s of
# compilation a model.  Built with tracing on; a model without tracing uses none of it.
function(nmtwin_verilated_runtime)
  if(TARGET nmtwin_verilated_runtime)
    return()
  endif()
  set(inc ${VERILATOR_ROOT}/include)
  add_library(nmtwin_verilated_runtime STATIC ${inc}/verilated.cpp ${inc}/verilated_fst_c.cpp ${inc}/verilated_threads.cpp)
  target_include_directories(nmtwin_verilated_runtime SYSTEM PUBLIC $<BUILD_INTERFACE:${inc}>
    $<BUILD_INTERFACE:${inc}/vltstd>)
  target_compile_definitions(nmtwin_verilated_runtime PRIVATE VM_COVERAGE=0 VM_SC=0 VM_TRACE=1 VM_TRACE_VCD=0
    VM_TRACE_FST=1)
  target_compile_options(nmtwin_verilated_runtime PRIVATE -w)
  find_package(Threads REQUIRED)
  target_link_libraries(nmtwin_verilated_runtime PUBLIC Threads::Threads z)  # z: the FST writer's compression
  set_target_properties(nmtwin_verilated_runtime PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# nmtwin_verilate(TARGET target TOP module SOURCES file.sv... [TRACE] [SPLIT] [TEST] [ARGS verilator-arg...])
# Verilates `module` (with the generated spec package first) into `target`.
# TEST: a model only the tests use (an RTL bench's), compiled at -O1 (nmtwin_light_optimisation).
# Verilated code goes into its own static library so its flags stay separate; Verilator's
# runtime is the one nmtwin_verilated_runtime library all models share.
# ARGS are extra Verilator arguments, e.g. -GDEPTH=5 to override a parameter.
# The generated files compile as one translation unit (a unity build): parsing
# Verilator's headers is most of a small model's compile time (a bench model: 12.7 s
# of compiler time in 10 files, 2.1 s as one). SPLIT compiles them one by one, as
# for the simulator's models, whose speed was measured (and their code placed) so.
function(nmtwin_verilate)
  cmake_parse_arguments(V "TRACE;SPLIT;TEST" "TARGET;TOP;PREFIX" "SOURCES;ARGS" ${ARGN})
  if(NOT V_PREFIX)
    set(V_PREFIX V${V_TOP})
  endif()
  add_library(${V_TARGET} STATIC)
  set(args -Wall -Wno-fatal --x-assign fast --x-initial fast -O3 ${V_ARGS})
  if(V_TRACE)
    list(APPEND args --trace-fst --trace-structs)
    set(trace TRACE_FST)
  endif()
  # Verilator writes the names of the sources into the model (the top module's file, in
  # its fatal messages) as it was given them: relative to this folder, where verilate()
  # runs Verilator, so that no installed binary names the source tree.
  set(sources ${NMTWIN_PKG_SV})
  foreach(source ${V_SOURCES})
    cmake_path(IS_PREFIX CMAKE_CURRENT_SOURCE_DIR "${source}" NORMALIZE inside)
    if(inside)
      cmake_path(RELATIVE_PATH source BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    endif()
    list(APPEND sources ${source})
  endforeach()
  verilate(${V_TARGET} ${trace}
    PREFIX ${V_PREFIX}
    TOP_MODULE ${V_TOP}
    SOURCES ${sources}
    VERILATOR_ARGS ${args}
    OPT_FAST -O2)
  target_compile_options(${V_TARGET} PRIVATE -w)
  if(V_TEST)
    nmtwin_light_optimisation(${V_TARGET})
  endif()
  # The shared runtime instead of verilate()'s own copy of it (the DPI part, which one
  # model needs, stays with that model).
  nmtwin_verilated_runtime()
  get_target_property(model_sources ${V_TARGET} SOURCES)
  list(FILTER model_sources EXCLUDE REGEX "/include/verilated(_fst_c|_threads)?\\.cpp$")
  set_target_properties(${V_TARGET} PROPERTIES SOURCES "${model_sources}")
  if(NOT V_SPLIT)
    # verilate() gives the per-cycle files their own flags (OPT_FAST, as COMPILE_FLAGS), which would keep
    # them out of the unity file: one set of flags for all.
    set_property(SOURCE ${model_sources} PROPERTY COMPILE_FLAGS)
    set_target_properties(${V_TARGET} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
  else()
    # The per-cycle files keep their OPT_FAST -O2 (their own flags come after the
    # target's); the rest, run once (constructors, initial and settle, trace
    # declarations, one unity file), at -O1.
    nmtwin_light_optimisation(${V_TARGET})
  endif()
  target_link_libraries(${V_TARGET} PUBLIC nmtwin_verilated_runtime)
  # The model's headers are for this build only (an installed model library holds
  # Verilator's runtime and needs no header): verilate()'s include directories become
  # build-tree ones, and consumers see them as system headers (their warnings are not ours).
  get_target_property(dirs ${V_TARGET} INTERFACE_INCLUDE_DIRECTORIES)
  set(build_dirs)
  foreach(dir ${dirs})
    list(APPEND build_dirs "$<BUILD_INTERFACE:${dir}>")
  endforeach()
  set_target_properties(${V_TARGET} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${build_dirs}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${build_dirs}" POSITION_INDEPENDENT_CODE ON)
endfunction()

# The flags of every test program's own code (and of nmtwin_test_main, whose precompiled
# header they share: the same flags, or the compiler refuses it).
function(nmtwin_test_flags target)
  nmtwin_warnings(${target})
  # A test's own code needs no optimisation (what it tests is built with the build
  # type's flags): -O0 halves its compile time, most of the tests' part of a build.
  target_compile_options(${target} PRIVATE -O0)
  target_compile_definitions(${target} PRIVATE BOOST_TEST_DYN_LINK)
  target_link_libraries(${target} PRIVATE Boost::unit_test_framework)
  # One setting for the PCH's library and the executables that reuse it (the libraries
  # are position-independent when the Python bindings are built: CMAKE_POSITION_INDEPENDENT_CODE).
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
endfunction()

# nmtwin_test_main: the one main() of every test program (tests/support/test_main.cpp; the
# test files define no BOOST_TEST_MODULE) and the precompiled <boost/test/unit_test.hpp>
# every test reuses. Parsing that header (1.5 s) and compiling Boost.Test's runner
# (0.7 s) were half of a test file's compile time (issue 13: the build from scratch).
function(nmtwin_test_main)
  if(TARGET nmtwin_test_main)
    return()
  endif()
  add_library(nmtwin_test_main STATIC ${PROJECT_SOURCE_DIR}/tests/support/test_main.cpp)
  nmtwin_test_flags(nmtwin_test_main)
  target_link_libraries(nmtwin_test_main PUBLIC Boost::unit_test_framework)
  target_precompile_headers(nmtwin_test_main PRIVATE <boost/test/unit_test.hpp>)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # No time stamp in the PCH: ccache can then cache the files compiled with it.
    target_compile_options(nmtwin_test_main PRIVATE -Xclang -fno-pch-timestamp)
  endif()
endfunction()

# nmtwin_test(NAME name SOURCES ... LIBS ... LABELS ... [ARGS ...])
# A Boost.Test executable registered with CTest; ARGS go to the test after "--".
function(nmtwin_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  list(LENGTH T_SOURCES n)
  if(n EQUAL 1)
    # Nothing to batch; and as the main file, its anonymous-namespace fixtures are
    # no -Wsubobject-linkage matter (in a unity file they would be).
    set_target_properties(${T_NAME} PROPERTIES UNITY_BUILD OFF)
  endif()
  nmtwin_test_flags(${T_NAME})
  nmtwin_test_main()
  target_precompile_headers(${T_NAME} REUSE_FROM nmtwin_test_main)
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} nmtwin_test_main)
  if(T_ARGS)
    set(extra -- ${T_ARGS})
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --log_level=test_suite --report_level=short --color_output=false ${extra})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
  nmtwin_threads_test(${T_NAME} LABELS ${T_LABELS})
  if(NMTWIN_SANITIZE STREQUAL "thread")
    # Once per folder, when it has been read: the time limits of all its tests.
    get_property(deferred DIRECTORY PROPERTY NMTWIN_TIMEOUTS_SCALED)
    if(NOT deferred)
      set_property(DIRECTORY PROPERTY NMTWIN_TIMEOUTS_SCALED ON)
      cmake_language(DEFER CALL nmtwin_scale_timeouts)
    endif()
  endif()
endfunction()

# Under ThreadSanitizer the tests run 5 to 10 times slower than without (more on a
# loaded machine): the time limits of the folder's tests, there to catch a hang, are
# four times as long (those without one get four times CTest's default of 1500 s).
function(nmtwin_scale_timeouts)
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(t ${tests})
    get_test_property(${t} TIMEOUT limit)
    if(NOT limit)
      set(limit 1500)
    endif()
    math(EXPR limit "${limit} * 4")
    set_tests_properties(${t} PROPERTIES TIMEOUT ${limit})
  endforeach()
endfunction()

# nmtwin_threads_test(target LABELS ...): a program whose test carries the label `threads`
# (it steps nodes on threads or talks to the UDP server) is part of the target
# `tests_threads`, all that the ThreadSanitizer build compiles (scripts/test --sanitize thread).
function(nmtwin_threads_test target)
  cmake_parse_arguments(T "" "" "LABELS" ${ARGN})
  if("threads" IN_LIST T_LABELS)
    set_property(GLOBAL APPEND PROPERTY NMTWIN_THREADS_TARGETS ${target})
  endif()
endfunction()
