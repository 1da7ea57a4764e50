"""The package's layers: no import cycles, and the core never imports
``compat``.

``compat`` only makes upstream run (and wires a few core functions into
upstream classes); the core (``models``, ``datasets``, ``engine``,
``evaluation``, ``utils``) must work without it. Imports are read from the
source with :mod:`ast`, including those inside functions, so nothing is
imported here.
"""
import ast
import os
import os.path as osp

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PACKAGE = 'mmrazor_video_kd'
CORE = ('models', 'datasets', 'engine', 'evaluation', 'utils')


def module_files(root):
    """``{module name: file path}`` of every module under ``root``."""
    modules = {}
    base = osp.dirname(root)
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = osp.join(folder, name)
            parts = osp.relpath(path, base)[:-len('.py')].split(os.sep)
            if parts[-1] == '__init__':
                parts = parts[:-1]
            modules['.'.join(parts)] = path
    return modules


def _absolute(node, module, is_package):
    """The absolute module name of an ``ImportFrom`` node."""
    if not node.level:
        return node.module or ''
    parts = module.split('.')
    if not is_package:
        parts = parts[:-1]
    parts = parts[:len(parts) - node.level + 1]
    return '.'.join(parts + ([node.module] if node.module else []))


def imports_of(module, path, modules):
    """``{imported module: line}`` of the package's own modules that
    ``module`` imports anywhere in its source."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    is_package = osp.basename(path) == '__init__.py'
    found = {}
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            names = [
                f'{base}.{alias.name}'
                if f'{base}.{alias.name}' in modules else base
                for alias in node.names
            ]
        elif (isinstance(node, ast.Call) and getattr(
                node.func, 'attr', getattr(node.func, 'id', None))
              == 'import_module' and node.args
              and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            names = [node.args[0].value]
        for name in names:
            if name in modules and name != module:
                found.setdefault(name, node.lineno)
    return found


def import_graph(root):
    """``{module: {imported module: line}}`` of the package under root."""
    modules = module_files(root)
    return {
        module: imports_of(module, path, modules)
        for module, path in modules.items()
    }


def find_cycle(graph):
    """One import cycle of ``graph`` as a list of modules, or None."""
    state = {}

    def visit(module, stack):
        state[module] = 'open'
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            # A package importing its own submodules is how packages work;
            # a submodule importing its package's ``__init__`` is not.
            if state.get(target) == 'open':
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target, stack)
                if cycle:
                    return cycle
        stack.pop()
        state[module] = 'done'
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [])
            if cycle:
                return cycle
    return None


def core_imports_of_compat(graph):
    """``(module, line, compat module)`` of each core import of compat."""
    compat = f'{PACKAGE}.compat'
    return [(module, line, target)
            for module, targets in sorted(graph.items())
            if module.split('.')[1:2] and module.split('.')[1] in CORE
            for target, line in sorted(targets.items())
            if target == compat or target.startswith(compat + '.')]


def _graph_of(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return import_graph(str(tmp_path / PACKAGE))


def test_package_has_no_import_cycle():
    graph = import_graph(osp.join(REPO, PACKAGE))
    assert len(graph) > 20, sorted(graph)
    cycle = find_cycle(graph)
    assert cycle is None, 'import cycle: ' + ' -> '.join(cycle)


def test_core_does_not_import_compat():
    found = core_imports_of_compat(import_graph(osp.join(REPO, PACKAGE)))
    assert not found, '\n'.join(
        f'{module} (line {line}) imports {target}; move what it needs into '
        'the core (e.g. utils/)' for module, line, target in found)


def test_cycle_through_a_lazy_relative_import_is_found(tmp_path):
    graph = _graph_of(
        tmp_path, {
            '__init__.py': '',
            'compat/__init__.py': '',
            'compat/fix.py': 'def f():\n    from ..utils.reader import g\n',
            'utils/__init__.py': '',
            'utils/reader.py': 'from ..compat.fix import f\n',
        })
    assert find_cycle(graph) == [
        f'{PACKAGE}.compat.fix', f'{PACKAGE}.utils.reader',
        f'{PACKAGE}.compat.fix'
    ]
    assert core_imports_of_compat(graph) == [
        (f'{PACKAGE}.utils.reader', 1, f'{PACKAGE}.compat.fix')
    ]


@pytest.mark.parametrize('line', [
    'from mmrazor_video_kd import compat',
    'import mmrazor_video_kd.compat.fix',
    'from ...compat.fix import f',
    "importlib.import_module('mmrazor_video_kd.compat.fix')",
])
def test_every_spelling_of_a_compat_import_is_found(tmp_path, line):
    graph = _graph_of(
        tmp_path, {
            '__init__.py': '',
            'compat/__init__.py': '',
            'compat/fix.py': '',
            'models/__init__.py': '',
            'models/losses/__init__.py': '',
            'models/losses/loss.py': 'import importlib\n' + line + '\n',
        })
    assert [target for _, _, target in core_imports_of_compat(graph)
            ] in ([f'{PACKAGE}.compat'], [f'{PACKAGE}.compat.fix'])
    assert find_cycle(graph) is None


def test_package_importing_its_submodules_is_no_cycle(tmp_path):
    graph = _graph_of(
        tmp_path, {
            '__init__.py': 'from . import utils\n',
            'utils/__init__.py': 'from .reader import g\n',
            'utils/reader.py': 'from .errors import E\n',
            'utils/errors.py': '',
        })
    assert find_cycle(graph) is None
