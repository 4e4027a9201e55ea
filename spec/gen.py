#!/usr/bin/env python3
"""Generate every view of spec/nmtwin.toml after cross-checking it.

usage: gen.py SPEC.toml OUT_DIR [--docs FILE] [--check-docs FILE]

  OUT_DIR/rtl/nmtwin_pkg.sv             SystemVerilog package (rtl/)
  OUT_DIR/include/nmtwin/spec.hpp       C++ header
  OUT_DIR/include/nmtwin/nmtwin_regs.h  C99 header for firmware
  --docs FILE        also write the register reference (docs/registers.md)
  --check-docs FILE  fail when FILE differs from the register reference

Outputs are written only when their text changes, so the build does not
recompile what did not change.  A broken spec exits 1 with
`SPEC:LINE: entry: what is wrong`.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from genlib.c99 import c_header  # noqa: E402
from genlib.checks import check  # noqa: E402
from genlib.cpp import cpp_header  # noqa: E402
from genlib.markdown import markdown  # noqa: E402
from genlib.model import SpecError, load  # noqa: E402
from genlib.sv import sv_package  # noqa: E402


def write_if_changed(path, text):
    p = pathlib.Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    if not p.exists() or p.read_text() != text:
        p.write_text(text)


def main(argv):
    args, opts = [], {}
    it = iter(argv[1:])
    for a in it:
        if a in ("--docs", "--check-docs"):
            opts[a] = next(it, None)
        else:
            args.append(a)
    if len(args) != 2 or None in opts.values():
        print(__doc__, file=sys.stderr)
        return 2
    try:
        spec = load(args[0])
        check(spec)
    except SpecError as e:
        print(f"{args[0]}:{e.line}: {e}", file=sys.stderr)
        return 1
    out = pathlib.Path(args[1])
    write_if_changed(out / "rtl" / "nmtwin_pkg.sv", sv_package(spec))
    write_if_changed(out / "include" / "nmtwin" / "spec.hpp", cpp_header(spec))
    write_if_changed(out / "include" / "nmtwin" / "nmtwin_regs.h", c_header(spec))
    md = markdown(spec)
    if "--docs" in opts:
        write_if_changed(opts["--docs"], md)
    if "--check-docs" in opts:
        have = pathlib.Path(opts["--check-docs"])
        if not have.exists() or have.read_text() != md:
            print(f"{have}: stale: it differs from what spec/gen.py makes of {args[0]}; regenerate it with "
                  f"`spec/gen.py {args[0]} <build>/generated --docs {have}` and commit it", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
