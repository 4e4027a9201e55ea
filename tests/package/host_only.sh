#!/usr/bin/env bash
# The host-only package (docs/ci.md): configures and installs the host library alone
# with Verilator, SystemC (and Boost) made unfindable, moves the install prefix, and
# builds host projects against the moved prefix with find_package(nmtwin COMPONENTS
# hostlink): tests/package/host_api (then runs it) and examples/host_project.
# Checks that no installed file names the source or build directory, that private
# headers stay private, and that a component missing from the installation is named.
# (tests/package/installed.sh does the same for the full package.)
# usage: host_only.sh SOURCE_DIR WORKDIR
set -euo pipefail
root=$(cd "$1" && pwd) work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work/empty"
fail() { echo "FAIL: $*"; exit 1; }

# No pkg-config directory with systemc.pc, no Verilator package: the host library must not look.
export PKG_CONFIG_LIBDIR="$work/empty" PKG_CONFIG_PATH="$work/empty"
unset VERILATOR_ROOT SYSTEMC_HOME
cmake -S "$root" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNMTWIN_COMPONENTS=hostlink \
  -DCMAKE_DISABLE_FIND_PACKAGE_verilator=ON -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_INSTALL_PREFIX="$work/prefix" > "$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; fail "the host-only configure failed"; }
looked=$(grep -iE '^[^#/]*(verilator|systemc)' "$work/build/CMakeCache.txt" | grep -v '^CMAKE_DISABLE_FIND_PACKAGE_' || true)
if [ -n "$looked" ]; then
  echo "$looked"
  fail "the host-only configure looked for Verilator or SystemC"
fi
cmake --build "$work/build" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "the host-only build failed"; }
cmake --install "$work/build" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install failed"; }

prefix="$work/moved/nmtwin"  # relocatable: used only from where it was moved to
mkdir -p "$work/moved" && mv "$work/prefix" "$prefix"
[ -f "$prefix/include/nmtwin/connect.hpp" ] && [ -f "$prefix/include/nmtwin/spec.hpp" ] ||
  fail "public headers missing in $prefix/include/nmtwin"
[ ! -e "$prefix/include/hostlink" ] || fail "private hostlink/ headers were installed"
[ ! -e "$prefix/bin/nmtwin" ] || fail "a host-only install has no nmtwin executable"
for dir in "$root" "$work/build"; do
  if grep -rlF "$dir" "$prefix"; then fail "the installed files above name $dir"; fi
done

cmake -S "$here/host_api" -B "$work/host_api" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" > "$work/host_api.log" 2>&1 &&
  cmake --build "$work/host_api" >> "$work/host_api.log" 2>&1 ||
  { cat "$work/host_api.log"; fail "tests/package/host_api does not build against the installed host library"; }
"$work/host_api/host_api" || fail "host_api failed"

cp -r "$root/examples/host_project" "$work/host_project"
cmake -S "$work/host_project" -B "$work/host_project/build" -G Ninja -Dnmtwin_DIR="$prefix/lib/cmake/nmtwin" \
  > "$work/host_project.log" 2>&1 && cmake --build "$work/host_project/build" >> "$work/host_project.log" 2>&1 ||
  { cat "$work/host_project.log"; fail "examples/host_project does not build against the installed host library"; }

expect_refusal() {  # PREFIX COMPONENT MESSAGE: find_package fails, naming the component
  if cmake -S "$here/host_api" -B "$work/refused" -G Ninja -DCMAKE_PREFIX_PATH="$1" -DNMTWIN_WANTED="$2" \
    > "$work/refused.log" 2>&1; then
    fail "find_package(nmtwin COMPONENTS $2) should fail for $1"
  fi
  # CMake wraps the message: compare with the lines joined.
  tr -s ' \n' '  ' < "$work/refused.log" | grep -qF "$3" || { cat "$work/refused.log"; fail "no message '$3'"; }
  rm -rf "$work/refused"
}
expect_refusal "$prefix" nonesuch \
  "nmtwin has no component 'nonesuch': its components are spec, random, hostlink, sim, experiment"
[ ! -e "$prefix/include/nmtwin/sim.hpp" ] && [ ! -e "$prefix/include/nmtwin/system.hpp" ] ||
  fail "a host-only install has the headers of sim and experiment"
expect_refusal "$prefix" sim "component sim not installed in $prefix (built with \
-DNMTWIN_COMPONENTS=hostlink): build nmtwin with -DNMTWIN_COMPONENTS=all and install it"
# An installation that lacks a component (here: one without the host library's targets).
cp -r "$prefix" "$work/partial" && rm "$work/partial/lib/cmake/nmtwin/nmtwin-hostlink-targets.cmake"
expect_refusal "$work/partial" hostlink "component hostlink not installed in $work/partial (built with \
-DNMTWIN_COMPONENTS=hostlink): build nmtwin with -DNMTWIN_COMPONENTS=all and install it"
echo "host-only package: ok"
