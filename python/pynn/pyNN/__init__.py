"""Shim that lets ``import pyNN.nmtwin`` work beside the installed PyNN.

PyNN's own ``pyNN/__init__.py`` does not extend its ``__path__``, so a second
directory called ``pyNN`` earlier on ``sys.path`` would hide the real package.
This file is that earlier directory's ``__init__``: it finds the real PyNN further
along ``sys.path`` (Debian: /usr/lib/python3/dist-packages/pyNN), runs its
``__init__.py`` in this module's namespace and puts both directories on
``__path__``, so ``pyNN.brian2``, ``pyNN.utility`` ... come from the real package
and ``pyNN.nmtwin`` from here (docs/pynn.md, "Installation").
"""

import os as _os
import sys as _sys

_here = _os.path.dirname(_os.path.abspath(__file__))


def _find_real_pynn():
    for entry in _sys.path:
        candidate = _os.path.join(_os.path.abspath(entry or _os.curdir), "pyNN")
        if _os.path.abspath(candidate) == _here:
            continue
        init = _os.path.join(candidate, "__init__.py")
        if _os.path.isfile(init) and not _os.path.isfile(_os.path.join(candidate, "_nmtwin_shim")):
            return candidate, init
    raise ImportError(
        "pyNN.nmtwin's shim found no PyNN installation on sys.path besides itself (%s); "
        "install PyNN 0.10 (Debian: apt-get install python3-pynn) and run Debian's /usr/bin/python3" % _here)


_real_dir, _real_init = _find_real_pynn()
__path__ = [_here, _real_dir]
with open(_real_init, "rb") as _f:
    exec(compile(_f.read(), _real_init, "exec"))
del _f, _find_real_pynn
