"""Lazy import hooks: run a patch right after a module is imported, or stand
in for a module that is missing or cannot be imported.

Only the standard library is imported here, because this module is loaded at
interpreter start-up (see ``mmrazor_video_kd_startup``).
"""
import importlib.abc
import importlib.machinery
import importlib.util
import os.path as osp
import sys
import threading
from typing import Callable, Dict, List, Optional

PostImportHook = Callable[[object], None]
FallbackFactory = Callable[[str, BaseException], object]


class _HookedLoader(importlib.abc.Loader):
    """Wrap a loader: run hooks after ``exec_module``, or use a fallback."""

    def __init__(self, loader, name: str, finder: 'PatchingFinder'):
        self._loader = loader
        self._name = name
        self._finder = finder

    def __getattr__(self, attr):
        return getattr(self._loader, attr)

    def create_module(self, spec):
        if self._loader is None:
            return None
        return self._loader.create_module(spec)

    def exec_module(self, module):
        fallback = self._finder.fallbacks.get(self._name)
        if self._loader is None:
            _fill_module(module, fallback(self._name, ModuleNotFoundError(
                f'No module named {self._name!r}')))
        else:
            try:
                self._loader.exec_module(module)
            except Exception as error:  # noqa: B902
                if fallback is None:
                    raise
                _drop_submodules(self._name)
                _fill_module(module, fallback(self._name, error))
        for hook in self._finder.post_import_hooks.get(self._name, []):
            hook(module)


def _fill_module(module, replacement) -> None:
    """Copy a fallback module's namespace into the module being imported."""
    for key, value in vars(replacement).items():
        if key not in ('__name__', '__spec__', '__loader__'):
            setattr(module, key, value)


def _drop_submodules(name: str) -> None:
    """Forget half-imported submodules of a package whose import failed."""
    for key in [k for k in sys.modules if k.startswith(name + '.')]:
        del sys.modules[key]


class PatchingFinder(importlib.abc.MetaPathFinder):
    """A ``sys.meta_path`` finder that only acts on registered module names."""

    def __init__(self):
        self.post_import_hooks: Dict[str, List[PostImportHook]] = {}
        self.fallbacks: Dict[str, FallbackFactory] = {}
        self._busy = threading.local()

    def find_spec(self, fullname, path=None, target=None):
        if (fullname not in self.post_import_hooks
                and fullname not in self.fallbacks):
            return None
        busy = getattr(self._busy, 'names', set())
        if fullname in busy:
            return None
        self._busy.names = busy | {fullname}
        try:
            spec = _find_real_spec(fullname, path, target)
        finally:
            self._busy.names = busy
        if spec is None:
            if fullname not in self.fallbacks:
                return None
            is_package = True
            spec = importlib.machinery.ModuleSpec(
                fullname, None, is_package=is_package)
            spec.submodule_search_locations = []
        spec.loader = _HookedLoader(spec.loader, fullname, self)
        return spec


def _find_real_spec(fullname, path, target):
    for finder in sys.meta_path:
        if isinstance(finder, PatchingFinder):
            continue
        find = getattr(finder, 'find_spec', None)
        spec = find(fullname, path, target) if find else None
        if spec is not None:
            return spec
    return None


_FINDER: Optional[PatchingFinder] = None


def get_finder() -> PatchingFinder:
    """Return the process-wide finder, inserting it on first use."""
    global _FINDER
    if _FINDER is None:
        _FINDER = PatchingFinder()
        sys.meta_path.insert(0, _FINDER)
    return _FINDER


def when_imported(name: str, hook: PostImportHook) -> None:
    """Run ``hook(module)`` once ``name`` is imported (now, if it already is).

    Args:
        name (str): Full module name, e.g. ``'mmengine.dist.utils'``.
        hook (callable): Called with the module object.
    """
    get_finder().post_import_hooks.setdefault(name, []).append(hook)
    if name in sys.modules:
        hook(sys.modules[name])


def fallback_module(name: str, factory: FallbackFactory) -> None:
    """Stand in for ``name`` when it is missing or raises while importing.

    Args:
        name (str): Full module name.
        factory (callable): ``factory(name, error)`` returns a module whose
            namespace replaces the one that failed.
    """
    get_finder().fallbacks[name] = factory


def load_package_module(name: str):
    """Load a module of this package that needs only the standard library
    at import time, without importing the package itself (whose
    ``__init__`` imports MMRazor).

    The module already imported is returned if there is one; otherwise the
    file is executed as a private copy that is not put in ``sys.modules``,
    so a later ordinary import of the package is unaffected.

    Args:
        name (str): Full module name, e.g.
            ``'mmrazor_video_kd.utils.checkpoints.atomic_save'``.

    Returns:
        module: The module.
    """
    package, _, rest = name.partition('.')
    root = osp.dirname(osp.dirname(osp.abspath(__file__)))
    if package != osp.basename(root) or not rest:
        raise ValueError(f'{name!r} is not a module of {osp.basename(root)}')
    if name in sys.modules:
        return sys.modules[name]
    path = osp.join(root, *rest.split('.')) + '.py'
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
