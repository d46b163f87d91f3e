"""The Python modules some tests read files back with (python3-openpyxl,
python3-docx, python3-xlwt ...) come from Debian (scripts/setup).  When
another python3 is first on the PATH (a pyenv one, say) and lacks them,
need() runs the test again under Debian's /usr/bin/python3."""
import importlib
import os
import sys


def need(*modules):
    try:
        for m in modules:
            importlib.import_module(m)
    except ImportError:
        if sys.executable != "/usr/bin/python3" and \
                os.path.exists("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        raise
