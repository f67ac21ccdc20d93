// What the runner draws: the progress bar, the exercise list, hints, the solution beside the
// learner's code. Pure functions of their inputs, so the commands stay short.
import type { Exercise } from '../manifest.ts';
import { bold, dim, green, red } from '../checks/harness/reporter.ts';
import type { Status } from './progress.ts';

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

/** Width of a string once colour codes are taken out. */
function visible(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

function wrap(line: string, width: number): string[] {
  const expanded = line.replace(/\t/g, '  ');
  if (expanded.length <= width) return [expanded];
  const parts: string[] = [];
  for (let i = 0; i < expanded.length; i += width) parts.push(expanded.slice(i, i + width));
  return parts;
}

/**
 * Two files in two columns, long lines wrapped. On a narrow terminal (under 100 columns) the
 * two are printed one after the other instead.
 */
export function sideBySide(left: { title: string; text: string }, right: { title: string; text: string }, columns: number): string {
  if (columns < 100) {
    return `${bold(left.title)}\n${left.text.trimEnd()}\n\n${bold(right.title)}\n${right.text.trimEnd()}`;
  }
  const half = Math.floor((columns - 3) / 2);
  const column = (text: string) => text.trimEnd().split('\n').flatMap((line) => wrap(line, half));
  const l = column(left.text);
  const r = column(right.text);
  const rows = [`${bold(left.title.slice(0, half).padEnd(half))} │ ${bold(right.title.slice(0, half))}`, `${'─'.repeat(half)}─┼─${'─'.repeat(half)}`];
  for (let i = 0; i < Math.max(l.length, r.length); i += 1) {
    const a = l[i] ?? '';
    rows.push(`${a}${' '.repeat(Math.max(0, half - visible(a)))} │ ${r[i] ?? ''}`.trimEnd());
  }
  return rows.join('\n');
}

export const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';
