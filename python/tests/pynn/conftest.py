import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
# The backend from the source tree unless PYTHONPATH already brings a build tree's copy.
if not any(os.path.isdir(os.path.join(p, "pyNN", "nmtwin")) for p in sys.path if p):
    sys.path.insert(0, os.path.join(ROOT, "python", "pynn"))
