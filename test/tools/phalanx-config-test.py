"""Runs the named tests of Phalanx's tests/config_test.py (argv[1]) against the checkout it sits in.

Phalanx's own package needs Python >= 3.13, which these machines lack; config_test.py imports it at
module level. The tests named here use only paths and PyYAML, so the two names it imports from that
package are stand-ins (None), there only so the module imports. A test that touched them would fail.
Prints PASS/FAIL per test; exit 1 when one fails.
"""

import importlib.util
import sys
import types

for name in ("phalanx", "phalanx.factory", "phalanx.models", "phalanx.models.applications"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["phalanx.factory"].Factory = None
sys.modules["phalanx.models.applications"].Project = None

spec = importlib.util.spec_from_file_location("config_test", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
failed = 0
for test in sys.argv[2:]:
    try:
        getattr(module, test)()
        print(f"PASS {test}")
    except AssertionError as error:
        print(f"FAIL {test}: {error}")
        failed += 1
sys.exit(1 if failed else 0)
