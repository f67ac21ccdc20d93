// How much JavaScript each page of the built site makes a browser download, gzipped: the files
// its HTML loads up front (`<script src>` and `<link rel="modulepreload">`). Run after
// `npm run docs:build`: npx tsx scripts/docs-weight.ts
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const distDir = fileURLToPath(new URL('../docs/.vitepress/dist', import.meta.url));

interface PageWeight {
  page: string;
  files: number;
  gzipBytes: number;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

/** The JS files an HTML page loads before anything else, as paths inside dist. */
function scriptsOf(html: string): string[] {
  const urls = new Set<string>();
  for (const tag of html.match(/<script\b[^>]*>|<link\b[^>]*>/g) ?? []) {
    const isScript = tag.startsWith('<script');
    if (!isScript && !/\brel=["']?modulepreload\b/.test(tag)) continue;
    const url = /\b(?:src|href)=["']?([^"' >]+)/.exec(tag)?.[1];
    if (url && url.endsWith('.js') && !/^[a-z]+:\/\//i.test(url)) urls.add(url.replace(/^\//, ''));
  }
  return [...urls];
}

const gzipCache = new Map<string, number>();
function gzipSize(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(file), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (!existsSync(join(distDir, 'index.html'))) {
  console.error(`No built site in ${distDir}: run \`npm run docs:build\` first.`);
  process.exitCode = 1;
} else {
  const weights: PageWeight[] = htmlFiles(distDir).map((file) => {
    const scripts = scriptsOf(readFileSync(file, 'utf8')).map((url) => join(distDir, url));
    const missing = scripts.filter((s) => !existsSync(s));
    if (missing.length > 0) throw new Error(`${relative(distDir, file)} loads missing files: ${missing.join(', ')}`);
    return {
      page: relative(distDir, file),
      files: scripts.length,
      gzipBytes: scripts.reduce((sum, s) => sum + gzipSize(s), 0),
    };
  });
  weights.sort((a, b) => b.gzipBytes - a.gzipBytes);
  console.log('Heaviest pages (JavaScript loaded up front, gzipped):');
  for (const w of weights.slice(0, 5)) console.log(`  ${kib(w.gzipBytes).padStart(10)}  ${w.files} files  ${w.page}`);
  const largest = weights[0];
  if (largest)
    console.log(
      `Largest page: ${largest.page}, ${kib(largest.gzipBytes)} of JavaScript gzipped (${weights.length} pages).`,
    );
}
