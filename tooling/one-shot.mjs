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
// Each lives in node_modules/.cache/course-one-shot/, named by what it bakes in: the project's
// root (every compiled file names its sources by absolute URL, so that paths found from them, the
// project's root above all, are the same as when they are loaded on their own), Node's and
// esbuild's versions, and a hash of every source file it was made from. A run hashes those sources
// again (a millisecond or two) and compiles anew only when one changed; a folder moved, renamed or
// copied, or a second checkout sharing these node_modules, has a root of its own and so entries of
// its own. Every compiled file's digest is recorded too: an entry damaged or half-written is never
// used, only made again. scripts/test.mjs falls back to the uncompiled modules should any of this
// fail.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, 'node_modules', '.cache', 'course-one-shot');
const harnessDir = join(root, 'checks', 'harness');
/** Bumped when what this file writes changes shape. */
const FORMAT = 2;

/** What every compiled file of this checkout bakes in, hashed: the root, Node's and esbuild's versions. */
function bakedInKey() {
  let esbuild = 'none';
  try {
    esbuild = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version;
  } catch {
    // No esbuild: compiling fails, and the run falls back to the uncompiled modules.
  }
  return createHash('sha256').update([FORMAT, root, process.version, esbuild].join('\0')).digest('hex').slice(0, 12);
}
const rootKey = bakedInKey();

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

const digest = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

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

const recordFile = (name) => join(cacheDir, `${name}-${rootKey}.json`);

/** The files a compiled folder must hold, each with its digest, as its record lists them. */
function intact(dir, outputs) {
  try {
    const names = Object.keys(outputs);
    return names.length > 0 && names.every((file) => digest(readFileSync(join(dir, file))) === outputs[file]);
  } catch {
    return false;
  }
}

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
  const outputs = Object.fromEntries(
    result.outputFiles.map((file) => [relative('/out', file.path), digest(file.text)]),
  );
  const dir = join(cacheDir, `${name}-${rootKey}-${hash}`);
  if (!intact(dir, outputs)) {
    const temp = `${dir}.${process.pid}.tmp`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    for (const file of result.outputFiles) writeFileSync(join(temp, relative('/out', file.path)), file.text);
    // A damaged folder of the same name goes first; another run may make the same one meanwhile.
    if (existsSync(dir) && !intact(dir, outputs)) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(temp, dir);
    } catch {
      rmSync(temp, { recursive: true, force: true });
    }
    if (!intact(dir, outputs)) throw new Error(`the compiled ${name} in ${dir} could not be written whole`);
  }
  writeWhole(recordFile(name), JSON.stringify({ root, entries, sources, hash, outputs }));
  forgetStale(name, dir);
  return dir;
}

/**
 * Earlier compilations of this checkout are of sources that are no more, but one made in the last
 * minutes may still serve a run that started before the change; another checkout's are left alone
 * while that checkout is still there.
 */
function forgetStale(name, current) {
  const stale = Date.now() - 10 * 60_000;
  const old = (path) => {
    try {
      return statSync(path).mtimeMs < stale;
    } catch {
      return false;
    }
  };
  for (const other of readdirSync(cacheDir)) {
    const path = join(cacheDir, other);
    // The record of the first format, which was not named by what its files bake in.
    if (other === `${name}.json` && old(path)) rmSync(path, { force: true });
    if (!other.startsWith(`${name}-`) || path === current || other.endsWith('.tmp') || !old(path)) continue;
    const key = other.slice(name.length + 1, name.length + 13);
    if (key === rootKey) {
      if (!other.endsWith('.json')) rmSync(path, { recursive: true, force: true });
      continue;
    }
    let owner;
    try {
      owner = JSON.parse(readFileSync(join(cacheDir, `${name}-${key}.json`), 'utf8')).root;
    } catch {
      owner = undefined;
    }
    if (!owner || !existsSync(join(owner, 'checks', 'harness'))) rmSync(path, { recursive: true, force: true });
  }
}

function upToDate(name, entries) {
  try {
    const recorded = JSON.parse(readFileSync(recordFile(name), 'utf8'));
    if (recorded.root !== root || recorded.entries.join('\0') !== entries.join('\0')) return undefined;
    const hash = hashOf(entries, recorded.sources);
    const dir = join(cacheDir, `${name}-${rootKey}-${hash}`);
    return hash === recorded.hash && intact(dir, recorded.outputs) ? dir : undefined;
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
