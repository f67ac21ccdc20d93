// The course's TypeScript that `npm test` (scripts/test.mjs) runs, compiled to JavaScript once and
// kept until one of its sources changes, so that a one-shot run loads it as Node loads any module:
//   - main: checks/harness/one-shot-entry.ts, what the run's own process runs (catalog, reporter, the
//     run's start), in one file;
//   - harness: the check processes' harness (checks/harness/, the setup files and the parts the
//     run's own process uses excepted), one file per module with their shared code split out, so
//     that each module is still one module. A check process started ahead of Vitest loads them
//     while Vitest is still loading (tooling/prefork.mjs), and Vitest is pointed at them
//     (compiledHarness): its runner then fetches and evaluates only the check file and the code
//     under check.
// Each lives in node_modules/.cache/course-one-shot/, named by a hash of every source file it was
// made from; a run hashes those sources again (a millisecond or two) and compiles anew only when
// one changed. Each source keeps its own import.meta.url, so that paths found from it (the
// project's root, above all) are the same as when it is loaded on its own.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, 'node_modules', '.cache', 'course-one-shot');
const harnessDir = join(root, 'checks', 'harness');

// Loaded by Vitest itself (setup files, by path) or run in the run's own process (main).
const NOT_IN_HARNESS = new Set(['watchdog.ts', 'early-open.ts', 'global-setup.ts', 'reporter.ts', 'one-shot-entry.ts']);

const parts = {
  main: () => ({ entries: ['checks/harness/one-shot-entry.ts'], split: false }),
  harness: () => ({
    entries: readdirSync(harnessDir)
      .filter((name) => name.endsWith('.ts') && !NOT_IN_HARNESS.has(name))
      .sort()
      .map((name) => `checks/harness/${name}`),
    split: true,
  }),
};

/** One hash over the entries and the sources' paths and contents; undefined when one cannot be read. */
function hashOf(entries, sources) {
  const hash = createHash('sha256');
  hash.update(entries.join('\0')).update('\0\0');
  try {
    for (const source of sources)
      hash
        .update(`${source}\0`)
        .update(readFileSync(join(root, source)))
        .update('\0');
  } catch {
    return undefined;
  }
  return hash.digest('hex').slice(0, 16);
}

/** Writes a file whole or not at all (another run may be reading or writing the same one). */
function writeWhole(file, text) {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

const ownUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const text = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.url\b/g, url);
      return { contents: text, loader: 'ts' };
    });
  },
};

async function compile(name, entries, split) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: entries,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    splitting: split,
    outdir: '/out',
    outbase: 'checks/harness',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'shared-[hash]',
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
    plugins: [ownUrl],
  });
  const sources = Object.keys(result.metafile.inputs).sort();
  const hash = hashOf(entries, sources);
  if (!hash) throw new Error('a source changed while it was compiled');
  const dir = join(cacheDir, `${name}-${hash}`);
  if (!existsSync(dir)) {
    const temp = `${dir}.${process.pid}.tmp`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    for (const file of result.outputFiles) writeFileSync(join(temp, relative('/out', file.path)), file.text);
    try {
      renameSync(temp, dir);
    } catch {
      // Another run made the same one first.
      rmSync(temp, { recursive: true, force: true });
    }
  }
  writeWhole(join(cacheDir, `${name}.json`), JSON.stringify({ entries, sources, hash }));
  // Earlier compilations are of sources that are no more; one made in the last minutes may still
  // serve a run that started before the change.
  const stale = Date.now() - 10 * 60_000;
  for (const other of readdirSync(cacheDir)) {
    const path = join(cacheDir, other);
    if (other.startsWith(`${name}-`) && path !== dir && !other.endsWith('.tmp') && statSync(path).mtimeMs < stale)
      rmSync(path, { recursive: true, force: true });
  }
  return dir;
}

function upToDate(name, entries) {
  try {
    const recorded = JSON.parse(readFileSync(join(cacheDir, `${name}.json`), 'utf8'));
    if (recorded.entries.join('\0') !== entries.join('\0')) return undefined;
    const hash = hashOf(entries, recorded.sources);
    const dir = join(cacheDir, `${name}-${hash}`);
    return hash === recorded.hash && existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** A part's entries and the folder of its compiled files, compiled now if a source changed since the last run. */
async function compiled(name) {
  const { entries, split } = parts[name]();
  mkdirSync(cacheDir, { recursive: true });
  return { entries, dir: upToDate(name, entries) ?? (await compile(name, entries, split)) };
}

/** Where an entry's compiled file is in its part's folder (checks/harness/course.ts: course.mjs). */
const compiledFile = (dir, entry) => join(dir, entry.slice(entry.lastIndexOf('/') + 1).replace(/\.ts$/, '.mjs'));

/**
 * The compiled harness's files as the last run left them, if its sources have not changed since
 * (else none): what a check process started ahead loads while the run's process checks the same.
 * The module that imports Vitest's test API is left out: it waits for Vitest's own start.
 */
export function harnessFilesIfCurrent() {
  const { entries } = parts.harness();
  const dir = upToDate('harness', entries);
  if (!dir) return [];
  return entries.filter((entry) => entry !== 'checks/harness/course.ts').map((entry) => compiledFile(dir, entry));
}

/** The one-shot entry's exports (checks/harness/one-shot-entry.ts). */
export async function loadOneShot() {
  const { entries, dir } = await compiled('main');
  return import(pathToFileURL(compiledFile(dir, entries[0])).href);
}

/**
 * The compiled harness: its modules' files (for a process to load ahead), and a Vite plugin that
 * resolves every import of a harness module to its compiled file, which Vitest's runner then
 * leaves to Node to load, as it does any file under node_modules.
 */
export async function compiledHarness() {
  const { entries, dir } = await compiled('harness');
  const modules = new Map(entries.map((entry) => [join(root, entry), compiledFile(dir, entry)]));
  const plugin = {
    // Vitest keys its cache of compiled check files by the plugins' names, among others: a check
    // file compiled against one compilation of the harness is never reused with another.
    name: `course:compiled-harness:${dir.slice(dir.lastIndexOf('-') + 1)}`,
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const file = modules.get(resolve(dirname(importer.split('?')[0]), source));
      return file ?? null;
    },
  };
  return { files: [...modules.values()], plugin };
}
