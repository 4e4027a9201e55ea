#!/usr/bin/env bash
# The full package, relocatable (docs/ci.md): installs the build BUILD_DIR of SOURCE_DIR
# into a prefix, moves the prefix, and from there runs `nmtwin regress --tag smoke` (the
# installed regressions, found beside the executable) and `nmtwin run` on the installed
# demo; checks that no installed file names the source or the build directory; builds
# tests/package/full_api against the moved prefix with find_package(nmtwin COMPONENTS
# hostlink sim experiment) and runs it on an installed topology file (and against the
# build tree, on the built-in pair); and looks for
# SystemC only when the component sim is asked for.
# usage: installed.sh SOURCE_DIR BUILD_DIR WORKDIR
set -euo pipefail
root=$(cd "$1" && pwd) build=$(cd "$2" && pwd) work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work/run"
work=$(cd "$work" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install failed"; }
prefix="$work/moved/nmtwin"  # relocatable: used only from where it was moved to
mkdir -p "$work/moved" && mv "$work/prefix" "$prefix"

# Every installed file, binaries included (their strings), free of both directories; not
# for a sanitized build (NMTWIN_SANITIZED set by tests/CMakeLists.txt), whose
# instrumentation records the source files' paths: such a build is for tests, not for
# installing elsewhere.
dirs=("$root" "$build")
[ -z "${NMTWIN_SANITIZED:-}" ] || { dirs=(); echo "sanitized build: installed files not checked for machine paths"; }
for dir in "${dirs[@]}"; do
  if grep -rlaF "$dir" "$prefix"; then
    for f in $(grep -rlaF "$dir" "$prefix"); do strings -a "$f" | grep -F "$dir" | head -5; done
    fail "the installed files above name $dir"
  fi
done
[ ! -e "$prefix/include/hostlink" ] && [ ! -e "$prefix/include/sim" ] && [ ! -e "$prefix/include/experiment" ] ||
  fail "private headers were installed"
for f in sim.hpp system.hpp connect.hpp spec.hpp; do [ -f "$prefix/include/nmtwin/$f" ] || fail "no include/nmtwin/$f"; done
[ -f "$prefix/share/nmtwin/examples/demo.toml" ] || fail "no share/nmtwin/examples/demo.toml"

# From a directory without regressions/: the installed ones are found beside the executable.
(cd "$work/run" && "$prefix/bin/nmtwin" regress --tag smoke) > "$work/regress.log" 2>&1 ||
  { cat "$work/regress.log"; fail "nmtwin regress --tag smoke from the moved prefix"; }
grep -qE "^[1-9][0-9]* scenario\(s\): [0-9]+ passed, 0 failed" "$work/regress.log" ||
  { cat "$work/regress.log"; fail "nmtwin regress --tag smoke ran no scenario or failed one"; }
# Without them, the place looked at is named.
mv "$prefix/share/nmtwin/regressions" "$work/regressions.away"
if (cd "$work/run" && "$prefix/bin/nmtwin" regress --tag smoke) > "$work/regress_missing.log" 2>&1; then
  fail "nmtwin regress passed without its regressions"
fi
mv "$work/regressions.away" "$prefix/share/nmtwin/regressions"
grep -qF "$prefix/share/nmtwin/regressions is not a directory" "$work/regress_missing.log" ||
  { cat "$work/regress_missing.log"; fail "the missing regressions directory was not named"; }
(cd "$work/run" && "$prefix/bin/nmtwin" run "$prefix/share/nmtwin/examples/demo.toml") > "$work/run.log" 2>&1 ||
  { cat "$work/run.log"; fail "nmtwin run share/nmtwin/examples/demo.toml from the moved prefix"; }

# SystemC is looked for only for the component sim: the host library alone needs none.
mkdir -p "$work/empty"
PKG_CONFIG_LIBDIR="$work/empty" PKG_CONFIG_PATH="$work/empty" cmake -S "$here/host_api" -B "$work/host_api" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" > "$work/host_api.log" 2>&1 && cmake --build "$work/host_api" >> "$work/host_api.log" 2>&1 ||
  { cat "$work/host_api.log"; fail "COMPONENTS hostlink of the full package looked for more than it needs"; }
"$work/host_api/host_api" || fail "host_api failed against the full package"
if PKG_CONFIG_LIBDIR="$work/empty" PKG_CONFIG_PATH="$work/empty" cmake -S "$here/host_api" -B "$work/no_systemc" \
  -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DNMTWIN_WANTED=sim > "$work/no_systemc.log" 2>&1; then
  fail "find_package(nmtwin COMPONENTS sim) should fail without SystemC"
fi
tr -s ' \n' '  ' < "$work/no_systemc.log" | grep -qF "component sim needs SystemC (pkg-config module systemc): install pkg-config and libsystemc-dev, or set PKG_CONFIG_PATH" ||
  { cat "$work/no_systemc.log"; fail "the missing SystemC was not named"; }

cmake -S "$here/full_api" -B "$work/full_api" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" > "$work/full_api.log" 2>&1 &&
  cmake --build "$work/full_api" >> "$work/full_api.log" 2>&1 ||
  { cat "$work/full_api.log"; fail "tests/package/full_api does not build against the moved prefix"; }
"$work/full_api/full_api" "$prefix/share/nmtwin/examples/topologies/two_chips_one_switch.toml" || fail "full_api failed"
grep -qF "full_api: nmtwin is $prefix/bin/nmtwin" "$work/full_api.log" ||
  { grep -F "full_api: nmtwin is" "$work/full_api.log"; fail "NMTWIN_EXECUTABLE is not $prefix/bin/nmtwin"; }
# The same from the build tree (nmtwin_DIR = the build directory).
cmake -S "$here/full_api" -B "$work/full_api_build_tree" -G Ninja -Dnmtwin_DIR="$build" > "$work/full_api_bt.log" 2>&1 &&
  cmake --build "$work/full_api_build_tree" >> "$work/full_api_bt.log" 2>&1 ||
  { cat "$work/full_api_bt.log"; fail "tests/package/full_api does not build against the build tree"; }
"$work/full_api_build_tree/full_api" pair || fail "full_api failed against the build tree"

# The Python package, where the build has it (docs/python.md): imported from the moved
# prefix alone, it runs a program on the in-process simulator.
site=$(cd "$prefix" && find lib -maxdepth 3 -type d -name nmtwin -path "*-packages/nmtwin" | head -1)
if [ -n "$site" ]; then
  for f in __init__.py __init__.pyi spec.pyi fw.pyi py.typed; do [ -f "$prefix/$site/$f" ] || fail "no $site/$f"; done
  (cd "$work/run" && PYTHONPATH="$prefix/$(dirname "$site")" /usr/bin/python3 -c '
import nmtwin, sys
assert nmtwin.__file__.startswith(sys.argv[1]), nmtwin.__file__
c = nmtwin.Simulator("pair").connect(0)
p = nmtwin.Program()
t = p.read(nmtwin.spec.fpga_register("id"))
c.run(p)
assert t.value == 0x4E4D5457
' "$prefix") > "$work/python.log" 2>&1 || { cat "$work/python.log"; fail "the installed Python package"; }
fi
echo "installed package: ok"
