# Finds SystemC for find_package(nmtwin COMPONENTS sim): Debian's libsystemc-dev has
# a pkg-config file and no CMake package. Defines PkgConfig::SYSTEMC as nmtwin's
# build uses it (CMakeLists.txt), or sets _nmtwin_missing to say what is missing.
if(NOT TARGET PkgConfig::SYSTEMC)
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(SYSTEMC QUIET IMPORTED_TARGET systemc)
  endif()
  if(TARGET PkgConfig::SYSTEMC)
    # Debian's libsystemc is built as C++17; its API-version check symbol must match.
    set_property(TARGET PkgConfig::SYSTEMC APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS SC_CPLUSPLUS=201703L)
  else()
    string(CONCAT _nmtwin_missing "SystemC (pkg-config module systemc): install pkg-config and libsystemc-dev, "
                  "or set PKG_CONFIG_PATH to the directory of your systemc.pc")
  endif()
endif()
