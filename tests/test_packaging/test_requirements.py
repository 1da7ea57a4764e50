"""The wheel declares version ranges, never exact pins, and the ranges admit
the exact set of ``requirements/runtime.txt`` and ``tests.txt``."""
import glob
import os.path as osp
from importlib.metadata import version

import pytest
from conftest import REPO, run_python
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


@pytest.fixture(scope='module')
def requires_dist(tmp_path_factory):
    """``Requires-Dist`` of the wheel's metadata, built from ``setup.py``."""
    out = tmp_path_factory.mktemp('dist_info')
    result = run_python(args=['setup.py', '-q', 'dist_info', '--output-dir',
                              str(out)])
    assert result.returncode == 0, result.stderr[-3000:]
    (metadata, ) = glob.glob(str(out / '*.dist-info' / 'METADATA'))
    with open(metadata) as f:
        return [Requirement(line.split(':', 1)[1].strip())
                for line in f if line.startswith('Requires-Dist:')]


def exact_set(name):
    """Requirements of ``requirements/<name>.txt`` (the exact set)."""
    with open(osp.join(REPO, 'requirements', f'{name}.txt')) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [Requirement(line) for line in lines if line]


def version_of(req):
    """The version ``req`` pins, else the one installed here."""
    pins = [s.version for s in req.specifier if s.operator == '==']
    return pins[0] if pins else version(req.name)


def test_no_requirement_is_an_exact_pin(requires_dist):
    pins = [str(req) for req in requires_dist
            if any(s.operator in ('==', '===') for s in req.specifier)]
    assert requires_dist and not pins, f'exact pins in the wheel: {pins}'


@pytest.mark.parametrize('name,extra', [('runtime', None), ('tests', 'tests')])
def test_ranges_admit_the_exact_set(requires_dist, name, extra):
    declared = {}
    for req in requires_dist:
        if extra is None and req.marker is None:
            declared[canonicalize_name(req.name)] = req
        elif extra and req.marker and req.marker.evaluate(dict(extra=extra)):
            declared[canonicalize_name(req.name)] = req
    for req in exact_set(name):
        wanted = version_of(req)
        got = declared.get(canonicalize_name(req.name))
        assert got is not None, (
            f'requirements/{name}.txt lists {req}, the wheel does not')
        assert got.specifier.contains(wanted, prereleases=True), (
            f'the wheel asks for {got}, which excludes {req.name} {wanted} '
            f'of requirements/{name}.txt')


@pytest.mark.parametrize('path', sorted(
    glob.glob(osp.join(REPO, 'requirements', '*.txt'))))
def test_requirements_txt_files_are_the_exact_set(path):
    """``requirements/*.txt`` pin every package exactly (the ranges are the
    ``*.in`` files beside them)."""
    with open(path) as f:
        lines = [line.split('#')[0].strip() for line in f]
    loose = [line for line in lines if line and not (
        len(Requirement(line).specifier) == 1
        and next(iter(Requirement(line).specifier)).operator == '==')]
    assert not loose, f'{osp.basename(path)}: not exact pins: {loose}'
