"""The model families. Importing this package imports every module in it, and each family module registers
its variant table (`variant_table.register_family`): a new family is a new file here, with nothing to list."""

import importlib
import pkgutil

for _module in sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")):
    importlib.import_module(f"{__name__}.{_module}")
