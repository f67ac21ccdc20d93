// Types of tooling/one-shot.mjs, for the TypeScript that tests it.
import type { Plugin } from 'vite';

export function loadOneShot(): Promise<typeof import('../checks/harness/one-shot-entry.ts')>;
export function compiledHarness(): Promise<{
  files: string[];
  plugin: Plugin & { resolveId(source: string, importer?: string): string | null };
}>;
export function harnessFilesIfCurrent(): string[];
