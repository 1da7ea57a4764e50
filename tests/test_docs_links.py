"""README.md and docs/: relative links resolve, README stays a short page
whose first two commands are the demo and the test suite."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / 'README.md'
README_MAX_BYTES = 15000

# [text](target) and ![alt](target); the target ends at whitespace or ')'
LINK = re.compile(r'!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')


def markdown_files():
    return [README] + sorted((ROOT / 'docs').rglob('*.md'))


def strip_fences(text):
    """Text without fenced code blocks."""
    return re.sub(r'^(```|~~~).*?^\1[^\n]*$', '', text, flags=re.M | re.S)


def strip_code(text):
    """Text without fenced code blocks and inline code spans."""
    return re.sub(r'`[^`\n]*`', '', strip_fences(text))


def slug(heading):
    """GitHub's anchor for a heading."""
    heading = re.sub(r'`|\*\*|__', '', heading.strip().lower())
    heading = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading)
    return re.sub(r'[^\w\- ]', '', heading).replace(' ', '-')


def anchors(path):
    found = set()
    for line in strip_fences(path.read_text(encoding='utf-8')).splitlines():
        m = re.match(r'#{1,6}\s+(.*?)\s*#*\s*$', line)
        if m:
            base = slug(m.group(1))
            name, n = base, 1
            while name in found:
                name, n = f'{base}-{n}', n + 1
            found.add(name)
    found.update(
        re.findall(r'<a\s+(?:name|id)="([^"]+)"',
                   path.read_text(encoding='utf-8')))
    return found


def relative_links(path):
    for target in LINK.findall(strip_code(path.read_text(encoding='utf-8'))):
        if re.match(r'[a-zA-Z][a-zA-Z0-9+.-]*:', target):  # http:, mailto:
            continue
        yield target


@pytest.mark.parametrize('path',
                         markdown_files(),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path):
    broken = []
    for target in relative_links(path):
        file_part, _, anchor = target.partition('#')
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            broken.append(f'{target}: no such file')
        elif anchor and dest.suffix == '.md' and anchor not in anchors(dest):
            broken.append(f'{target}: no heading #{anchor} in {dest.name}')
    assert not broken, (f'{path.relative_to(ROOT)}: broken links:\n  ' +
                        '\n  '.join(broken))


def test_readme_is_short():
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, (
        f'README.md is {size} bytes, over {README_MAX_BYTES}: move details '
        'into a page under docs/ and link it')


def test_readme_starts_with_demo_and_tests_commands():
    text = README.read_text(encoding='utf-8')
    block = re.search(r'^```bash\n(.*?)^```', text, flags=re.M | re.S)
    assert block, 'README.md has no bash block'
    commands = [
        line.split('#')[0].strip() for line in block.group(1).splitlines()
        if line.strip()
    ]
    assert commands[:2] == [
        'bash tools/run_demo.sh', 'bash tools/run_tests.sh'
    ]
    for script in ('tools/run_demo.sh', 'tools/run_tests.sh'):
        assert (ROOT / script).is_file(), script
    ci = (ROOT / '.ci' / 'run').read_text(encoding='utf-8')
    assert re.search(
        r'^bash tools/run_tests\.sh\b', ci,
        flags=re.M), ('.ci/run does not call README\'s test command')
