# The programs of firmware/programs/: built by firmware/CMakeLists.txt, and their ELFs
# named as byproducts by firmware/host.cmake (the main build).
set(NMTWIN_FIRMWARE_PROGRAMS hello selftest health spin sleeper crash putchar_flood rstdp)
