// The runner's pure parts: what it draws, and how the doctor judges versions.
import { describe, expect, it } from 'vitest';
import { alignLines, progressBar, sideBySide } from '../../runner/display.ts';
import { checkNode } from '../../runner/commands/doctor.ts';

describe('progressBar', () => {
  it('says done / total after a bar filled in proportion', () => {
    const bar = progressBar(1, 4);
    expect(bar).toMatch(/^\[█{6}░{18}\] 1 \/ 4 done$/);
    expect(progressBar(0, 11)).toContain('0 / 11 done');
    expect(progressBar(11, 11)).not.toContain('░');
  });
});

describe('alignLines', () => {
  it('puts equal lines opposite each other and changed runs side by side', () => {
    const rows = alignLines(['a', 'stub()', 'c'], ['a', 'real()', 'more()', 'c']);
    expect(rows).toEqual([
      { left: 'a', right: 'a', same: true },
      { left: 'stub()', right: 'real()', same: false },
      { right: 'more()', same: false },
      { left: 'c', right: 'c', same: true },
    ]);
  });

  it('ignores indentation when matching lines', () => {
    expect(alignLines(['  x'], ['x'])).toEqual([{ left: '  x', right: 'x', same: true }]);
  });
});

describe('sideBySide', () => {
  it('marks the lines that differ between the two columns', () => {
    const text = sideBySide(
      { title: 'Yours', text: 'same\nmine\n' },
      { title: 'Reference', text: 'same\ntheirs\n' },
      120,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Yours +│ Reference$/);
    expect(lines[2]).toMatch(/^same +│ same$/);
    expect(lines[3]).toMatch(/^mine +≠ theirs$/);
  });

  it('prints one file after the other on a narrow terminal', () => {
    const text = sideBySide({ title: 'Yours', text: 'a' }, { title: 'Reference', text: 'b' }, 80);
    expect(text).toBe('Yours\na\n\nReference\nb');
  });
});

describe('doctor: checkNode', () => {
  it('accepts Node 20 and newer, and says how to upgrade an older one', () => {
    expect(checkNode('20.11.0').level).toBe('ok');
    expect(checkNode('22.1.0').level).toBe('ok');
    const old = checkNode('18.19.0');
    expect(old.level).toBe('problem');
    expect(old.fix).toMatch(/Install Node 20/);
  });
});
