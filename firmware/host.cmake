# Included by the top-level CMakeLists.txt: builds firmware/ with the RISC-V toolchain as an
# external project of the main build. Target `firmware` (part of `all`); the ELFs are
# ${NMTWIN_FIRMWARE_DIR}/<program>.elf, i.e. build/firmware/hello.elf, ... (with .dis, .size, .map).
include(ExternalProject)
include(${CMAKE_CURRENT_LIST_DIR}/cmake/programs.cmake)
set(elfs)
foreach(program IN LISTS NMTWIN_FIRMWARE_PROGRAMS)
  list(APPEND elfs ${NMTWIN_FIRMWARE_DIR}/${program}.elf)
endforeach()
set(launcher)
if(CCACHE_PROGRAM)
  set(launcher -DCMAKE_C_COMPILER_LAUNCHER=${CCACHE_PROGRAM})
endif()
ExternalProject_Add(firmware
  SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}
  BINARY_DIR ${NMTWIN_FIRMWARE_DIR}
  PREFIX ${PROJECT_BINARY_DIR}/firmware-ep
  CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${CMAKE_CURRENT_LIST_DIR}/cmake/riscv32-toolchain.cmake
             -DCMAKE_BUILD_TYPE=Release -DNMTWIN_REGS_INCLUDE_DIR=${NMTWIN_GENERATED}/include ${launcher}
  # The sub-build tracks its own sources; running it every time keeps them current.
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS ${elfs}
  DEPENDS nmtwin_spec_files)
# Installed beside the regressions (share/nmtwin/firmware), where `firmware:NAME` finds them.
install(FILES ${elfs} DESTINATION share/nmtwin/firmware)

# A kernel of a user's own, built with the toolchain file (and one too big to link).
add_test(NAME firmware_user_kernel
  COMMAND ${CMAKE_COMMAND} -DSOURCE=${CMAKE_CURRENT_LIST_DIR}/tests/user_kernel
          -DBINARY=${PROJECT_BINARY_DIR}/firmware-user-kernel -DGENERATOR=${CMAKE_GENERATOR}
          -DTOOLCHAIN=${CMAKE_CURRENT_LIST_DIR}/cmake/riscv32-toolchain.cmake
          -DREGS=${NMTWIN_GENERATED}/include -P ${CMAKE_CURRENT_LIST_DIR}/tests/check_user_kernel.cmake)
set_tests_properties(firmware_user_kernel PROPERTIES LABELS unit)

# The programs on the instruction-set model (where the build has it), health with the
# behavioural chip behind the chip window.
if(TARGET nmtwin_iss AND TARGET Boost::unit_test_framework)
  nmtwin_test(NAME test_firmware_iss SOURCES ${CMAKE_CURRENT_LIST_DIR}/tests/test_firmware_iss.cpp
              LIBS nmtwin_iss nmtwin_chip LABELS unit)
  nmtwin_test(NAME test_health_iss SOURCES ${CMAKE_CURRENT_LIST_DIR}/tests/test_health_iss.cpp
              LIBS nmtwin_iss nmtwin_chip LABELS unit)
  foreach(t test_firmware_iss test_health_iss)
    target_compile_definitions(${t} PRIVATE NMTWIN_FIRMWARE_DIR="${NMTWIN_FIRMWARE_DIR}")
    add_dependencies(${t} firmware)
  endforeach()
endif()

# The programs on the Verilated processor (the simulator's model of ppu_top).
nmtwin_test(NAME tb_firmware_rtl SOURCES ${CMAKE_CURRENT_LIST_DIR}/tests/tb_firmware_rtl.cpp
            LIBS nmtwin_ppu_model nmtwin_hostlink nmtwin_random LABELS rtl)
target_include_directories(tb_firmware_rtl PRIVATE ${PROJECT_SOURCE_DIR}/rtl/tb ${PROJECT_SOURCE_DIR}/rtl/ppu/tb)
target_compile_definitions(tb_firmware_rtl PRIVATE NMTWIN_FIRMWARE_DIR="${NMTWIN_FIRMWARE_DIR}")
add_dependencies(tb_firmware_rtl firmware)
