# Builds firmware/tests/user_kernel as a user would (own project, the toolchain file):
# `kernel` must build, `too_big` must fail with the linker script's message.
#   cmake -DSOURCE= -DBINARY= -DTOOLCHAIN= -DREGS= -DGENERATOR= -P check_user_kernel.cmake
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G ${GENERATOR}
                        -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -DNMTWIN_REGS_INCLUDE_DIR=${REGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the user kernel failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --target kernel RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT EXISTS ${BINARY}/kernel.elf OR NOT EXISTS ${BINARY}/kernel.dis)
  message(FATAL_ERROR "the user kernel did not build kernel.elf and kernel.dis:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --target too_big RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
set(expected "nmtwin: code, constants and the .data image do not fit the instruction memory")
if(rc EQUAL 0 OR NOT out MATCHES "${expected}")
  message(FATAL_ERROR "too_big must fail to link with \"${expected}\"; got (exit ${rc}):\n${out}")
endif()
message(STATUS "user kernel built; too_big refused: ${expected}")
