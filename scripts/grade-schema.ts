// Checks a grade against tooling/grade-schema.json, and the sums the schema cannot express:
// `npm run grade` never writes a report that fails it, and the tests hold it to the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { projectRoot } from '../tooling/services.ts';

export const schemaFile = join(projectRoot, 'tooling', 'grade-schema.json');

const matchesSchema = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

interface Sums {
  total: { earned: number; possible: number; passed: number; exercises: number };
  exercises: { id: string; status: string; points: { earned: number; possible: number }; error?: string }[];
}

/** Undefined for a valid report; else what is wrong, one problem per line. */
export function validateReport(report: unknown): string | undefined {
  if (!matchesSchema(report))
    return (matchesSchema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n');
  const { total, exercises } = report as Sums;
  const problems: string[] = [];
  for (const e of exercises) {
    const expected = e.status === 'pass' ? e.points.possible : 0;
    if (e.points.earned !== expected)
      problems.push(`exercise ${e.id}: ${e.status} earns ${expected}, not ${e.points.earned}`);
    if ((e.status === 'error') !== (e.error !== undefined))
      problems.push(`exercise ${e.id}: "error" is given exactly when the status is error`);
  }
  const sum = (pick: (e: Sums['exercises'][number]) => number) => exercises.reduce((s, e) => s + pick(e), 0);
  if (total.earned !== sum((e) => e.points.earned)) problems.push('total.earned is not the sum of the points earned');
  if (total.possible !== sum((e) => e.points.possible)) problems.push('total.possible is not the sum of the points');
  if (total.passed !== exercises.filter((e) => e.status === 'pass').length)
    problems.push('total.passed is not the number of exercises that pass');
  if (total.exercises !== exercises.length) problems.push('total.exercises is not the number of exercises');
  return problems.length ? problems.join('\n') : undefined;
}
