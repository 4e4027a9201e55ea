# CMake toolchain file for nmtwin's embedded processor (PPU): an RV32IM core without a C
# library. Uses Debian's riscv64-unknown-elf-gcc (package gcc-riscv64-unknown-elf, installed
# by scripts/setup) with its rv32im/ilp32 multilib.
#
#   cmake -S my_kernel -B build -DCMAKE_TOOLCHAIN_FILE=<nmtwin>/firmware/cmake/riscv32-toolchain.cmake
#
# GCC 12 defaults to ISA spec 20191213, where CSR instructions live in the separate Zicsr
# extension and the Debian multilibs are not built for it: -misa-spec=2.2 keeps CSR
# instructions in the base ISA and selects the rv32im/ilp32 libgcc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

set(NMTWIN_RISCV_PREFIX riscv64-unknown-elf- CACHE STRING "Prefix of the RISC-V cross tools (gcc, objdump, size)")
find_program(NMTWIN_RISCV_GCC ${NMTWIN_RISCV_PREFIX}gcc)
if(NOT NMTWIN_RISCV_GCC)
  message(FATAL_ERROR "${NMTWIN_RISCV_PREFIX}gcc not found: install the Debian package "
                      "gcc-riscv64-unknown-elf (scripts/setup does), or set NMTWIN_RISCV_PREFIX")
endif()
find_program(NMTWIN_RISCV_OBJDUMP ${NMTWIN_RISCV_PREFIX}objdump REQUIRED)
find_program(NMTWIN_RISCV_SIZE ${NMTWIN_RISCV_PREFIX}size REQUIRED)

set(CMAKE_C_COMPILER ${NMTWIN_RISCV_GCC})
set(CMAKE_ASM_COMPILER ${NMTWIN_RISCV_GCC})
set(CMAKE_OBJDUMP ${NMTWIN_RISCV_OBJDUMP})
set(NMTWIN_RISCV_ARCH_FLAGS "-misa-spec=2.2 -march=rv32im -mabi=ilp32")
set(CMAKE_C_FLAGS_INIT "${NMTWIN_RISCV_ARCH_FLAGS} -ffreestanding -fno-builtin -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${NMTWIN_RISCV_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${NMTWIN_RISCV_ARCH_FLAGS} -nostdlib -Wl,--gc-sections")
set(CMAKE_C_STANDARD_LIBRARIES "-lgcc")
# -O2 for Release (the default of nmtwin_firmware.cmake): what the firmware is measured with.
# A cache entry, because CMake appends its own -O3 to CMAKE_C_FLAGS_RELEASE_INIT.
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C flags of Release builds")
set(CMAKE_ASM_FLAGS_RELEASE "-DNDEBUG" CACHE STRING "Assembler flags of Release builds")
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)
set(CMAKE_EXECUTABLE_SUFFIX_ASM .elf)

# No C library and no startup files: test the compiler with a library, not a program.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
