// The two readable forms of a grade: one screen for the terminal, and Markdown for a GitHub
// Actions job summary ($GITHUB_STEP_SUMMARY) or a file beside results.json.
import { bold, dim, green, red, yellow } from '../tooling/style.ts';
import type { GradedExercise, GradeReport } from './grade-report.ts';

/** GitHub keeps at most 1 MiB of a step's summary: each message is cut well before that. */
const MESSAGE_LIMIT = 1500;

function checksLine(e: GradedExercise): string {
  const passing = e.checks.filter((c) => c.status === 'pass').length;
  if (e.status === 'error') return 'the checks could not finish';
  if (e.status === 'pass') return `all ${passing} checks pass`;
  return `${passing} of ${e.checks.length} checks pass`;
}

/** One line per exercise, the total first, what to run next last. */
export function terminalSummary(report: GradeReport, written: { json: string; markdown: string }): string {
  const { total } = report;
  const width = Math.max(...report.exercises.map((e) => `${e.id} ${e.slug}`.length), 10);
  const lines = [
    bold(`Grade of ${report.target}/: ${total.earned} of ${total.possible} points`) +
      dim(` (${total.passed} of ${total.exercises} exercises pass; all or nothing per exercise)`),
    '',
  ];
  for (const e of report.exercises) {
    const mark = e.status === 'pass' ? green('✓') : e.status === 'fail' ? red('✗') : yellow('!');
    const points = `${e.points.earned}/${e.points.possible}`.padStart(6);
    lines.push(`  ${mark} ${`${e.id} ${e.slug}`.padEnd(width)} ${points}  ${dim(checksLine(e))}`);
  }
  const first = report.exercises.find((e) => e.status !== 'pass');
  lines.push('', dim(`results.json: ${written.json}`), dim(`summary (Markdown): ${written.markdown}`));
  if (first) lines.push(dim(`Why an exercise does not pass, check by check: npm test ${first.id}`));
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A fenced block no backtick run inside the text can close. */
function fenced(text: string): string {
  const cut = text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}\n… (cut; results.json has it all)` : text;
  const longest = Math.max(2, ...[...cut.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${cut}\n${fence}`;
}

const ICON = { pass: '✅', fail: '❌', error: '⚠️' } as const;

/** The job summary: the total, a table of every exercise, and what failed, message by message. */
export function markdownSummary(report: GradeReport): string {
  const { total } = report;
  const out = [
    `## Grade: ${total.earned} / ${total.possible} points`,
    '',
    `${total.passed} of ${total.exercises} exercises pass (\`${report.target}/\`, all or nothing per exercise, graded ${report.gradedAt}).`,
    '',
    '| | Exercise | Points | Checks |',
    '| --- | --- | ---: | --- |',
    ...report.exercises.map(
      (e) =>
        `| ${ICON[e.status]} | ${cell(`${e.id} ${e.slug}: ${e.title}`)} | ${e.points.earned} / ${e.points.possible} | ${cell(checksLine(e))} |`,
    ),
  ];
  for (const e of report.exercises.filter((x) => x.status !== 'pass')) {
    const failing = e.checks.filter((c) => c.status === 'fail');
    out.push('', `<details><summary>${ICON[e.status]} ${e.id} ${e.slug}: ${cell(checksLine(e))}</summary>`, '');
    if (e.error) out.push('**The checks could not finish**', '', fenced(e.error), '');
    for (const check of failing) out.push(`**✗ ${cell(check.name)}**`, '', fenced(check.message ?? ''), '');
    out.push(`Read: \`${e.read}\` · the same output in a terminal: \`npm test ${e.id}\``, '', '</details>');
  }
  return `${out.join('\n')}\n`;
}
