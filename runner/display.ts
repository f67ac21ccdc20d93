// What the runner draws: the progress bar, the exercise list, hints, the solution beside the
// learner's code. Pure functions of their inputs, so the commands stay short.
import type { Exercise } from '../manifest.ts';
import { bold, dim, green, red } from '../tooling/style.ts';
import type { Status } from './progress.ts';
import { diffArrays } from 'diff';

const BAR_WIDTH = 24;

/** `[██████░░░░░░] 1 / 2 done` */
export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return `[${green('█'.repeat(filled))}${dim('░'.repeat(BAR_WIDTH - filled))}] ${done} / ${total} done`;
}

export function countDone(statuses: ReadonlyMap<string, Status>): number {
  return [...statuses.values()].filter((s) => s === 'done').length;
}

const MARK = {
  done: () => green('✓'),
  'to do': () => dim('·'),
  failing: () => red('✗'),
  missing: () => red('!'),
  unchecked: () => dim('?'),
} as const satisfies Record<Status, () => string>;

const LABEL = {
  done: 'done',
  'to do': 'to do',
  failing: 'not passing yet',
  missing: 'file missing (reset brings the stub back)',
  unchecked: 'changed since last checked',
} as const satisfies Record<Status, string>;

export function statusLabel(status: Status): string {
  return LABEL[status];
}

/** One line per exercise, the current one pointed at, then the bar. */
export function renderList(
  exercises: readonly Exercise[],
  statuses: ReadonlyMap<string, Status>,
  hints: ReadonlyMap<string, number>,
  current?: string,
): string {
  const width = Math.max(...exercises.map((e) => e.title.length));
  const lines = exercises.map((e) => {
    const status = statuses.get(e.id) ?? 'unchecked';
    const pointer = e.id === current ? bold('▸') : ' ';
    const shownHints = hints.get(e.id) ?? 0;
    const hintNote = shownHints > 0 ? dim(`  hints ${Math.min(shownHints, e.hints.length)}/${e.hints.length}`) : '';
    return `${pointer} ${MARK[status]()} ${e.id}  ${e.title.padEnd(width)}  ${statusLabel(status)}${hintNote}`;
  });
  return `${lines.join('\n')}\n\nProgress ${progressBar(countDone(statuses), exercises.length)}`;
}

/** Hints 1..shown, the newest in bold. */
export function renderHints(exercise: Exercise, shown: number, newest?: number): string {
  const total = exercise.hints.length;
  return exercise.hints
    .slice(0, shown)
    .map((hint, i) => {
      const head = `Hint ${i + 1} of ${total}:`;
      return i + 1 === newest ? `${bold(head)} ${hint}` : `${dim(head)} ${hint}`;
    })
    .join('\n');
}

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += width) parts.push(line.slice(i, i + width));
  return parts;
}

/** Rows of two files lined up: equal lines opposite each other, changed runs side by side. */
export function alignLines(
  left: readonly string[],
  right: readonly string[],
): { left?: string; right?: string; same: boolean }[] {
  // Lines that differ only in indentation count as the same line.
  const parts = diffArrays([...left], [...right], { comparator: (a, b) => a.trim() === b.trim() });
  const rows: { left?: string; right?: string; same: boolean }[] = [];
  let onlyLeft: string[] = [];
  let onlyRight: string[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(onlyLeft.length, onlyRight.length); k += 1) {
      const row: { left?: string; right?: string; same: boolean } = { same: false };
      if (k < onlyLeft.length) row.left = onlyLeft[k]!;
      if (k < onlyRight.length) row.right = onlyRight[k]!;
      rows.push(row);
    }
    onlyLeft = [];
    onlyRight = [];
  };
  let i = 0;
  let j = 0;
  for (const part of parts) {
    const count = part.count ?? part.value.length;
    if (part.removed) {
      onlyLeft.push(...left.slice(i, (i += count)));
    } else if (part.added) {
      onlyRight.push(...right.slice(j, (j += count)));
    } else {
      flush();
      for (let k = 0; k < count; k += 1) rows.push({ left: left[i + k]!, right: right[j + k]!, same: true });
      i += count;
      j += count;
    }
  }
  flush();
  return rows;
}

/**
 * Two files in two columns, equal lines opposite each other and the lines that differ marked
 * with ≠ between the columns; long lines wrap. On a narrow terminal (under 100 columns) the two
 * are printed one after the other instead.
 */
export function sideBySide(
  left: { title: string; text: string },
  right: { title: string; text: string },
  columns: number,
): string {
  if (columns < 100) {
    return `${bold(left.title)}\n${left.text.trimEnd()}\n\n${bold(right.title)}\n${right.text.trimEnd()}`;
  }
  const half = Math.floor((columns - 3) / 2);
  const lines = (text: string) => text.replace(/\t/g, '  ').trimEnd().split('\n');
  const out = [
    `${bold(left.title.slice(0, half).padEnd(half))} │ ${bold(right.title.slice(0, half))}`,
    `${'─'.repeat(half)}─┼─${'─'.repeat(half)}`,
  ];
  for (const row of alignLines(lines(left.text), lines(right.text))) {
    const a = row.left === undefined ? [''] : wrap(row.left, half);
    const b = row.right === undefined ? [''] : wrap(row.right, half);
    const bar = row.same ? '│' : bold('≠');
    for (let k = 0; k < Math.max(a.length, b.length); k += 1) {
      const l = a[k] ?? '';
      out.push(`${l}${' '.repeat(Math.max(0, half - l.length))} ${bar} ${b[k] ?? ''}`.trimEnd());
    }
  }
  return out.join('\n');
}

export const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';
