// How the checks' reporter turns an error into what a learner reads.
import { describe, expect, it } from 'vitest';
import { verdict, type RunSummary } from '../../tooling/results.ts';
import { explain } from '../../checks/harness/reporter.ts';
import { findExercise } from '../../manifest.ts';

describe('explain', () => {
  it("gives a compiler message without its colour codes, with the line of the learner's file", () => {
    const painted =
      'Transform failed with 1 error:\n\x1b[31m[PARSE_ERROR] \x1b[0mUnexpected token\n \x1b[38;5;246m11 │\x1b[0m \x1b[38;5;249me\x1b[0m\x1b[38;5;249mx\x1b[0m';
    const text = explain({ name: 'Error', message: painted, stack: 'at exercises/04-cache-aside/get-user.ts:11:23' });
    expect(text).not.toContain('\x1b');
    expect(text).toContain('[PARSE_ERROR] Unexpected token');
    expect(text).toContain('11 │ ex');
    expect(text).toMatch(/\(at exercises\/04-cache-aside\/get-user\.ts:11\)$/);
  });

  it("passes a check's own failure through as written", () => {
    expect(explain({ name: 'CheckFailure', message: 'Expected: x\nObserved: y', stack: '' })).toBe(
      'Expected: x\nObserved: y',
    );
  });
});

describe('verdict', () => {
  const exercise = findExercise('04')!;
  const one = (passed: number, failed: number): RunSummary => ({
    results: [{ exercise, checks: [], passed, failed }],
    passed,
    failed,
    ms: 0,
    outside: 0,
  });

  it('names the next exercise when every check of one passes', () => {
    expect(verdict(one(8, 0))).toMatch(
      /all 8 checks pass\. Next: npm test 05 \(exercises\/05-invalidate\/update-user\.ts\)\./,
    );
  });

  it('counts the passing checks when some fail', () => {
    expect(verdict(one(3, 5))).toMatch(/04 cache-aside.*: 3 of 8 checks pass\./);
  });

  it('gives the totals for several exercises', () => {
    const summary: RunSummary = {
      results: [one(8, 0).results[0]!, { ...one(2, 1).results[0]!, exercise: findExercise('05')! }],
      passed: 10,
      failed: 1,
      ms: 0,
      outside: 0,
    };
    expect(verdict(summary)).toBe('10 passed, 1 failed');
  });
});
