// VitePress includes code with `<<< @/path#region`. When the file exists but the region does not, it
// quietly includes the whole file; so every include is checked here and a missing file or region
// stops the build, naming the page, the file and the region.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { MarkdownRenderer } from 'vitepress';

const regionLine = (kind: 'region' | 'endregion', name: string) =>
  new RegExp(`^\\s*//\\s?#?${kind} ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm');

/** Why an include is broken, or `undefined` when the file holds the region. */
export function snippetProblem(file: string, region: string): string | undefined {
  if (!existsSync(file) || !statSync(file).isFile()) return `file not found: ${file}`;
  if (!region) return undefined;
  const text = readFileSync(file, 'utf8');
  if (!regionLine('region', region).test(text)) return `no "// #region ${region}" in ${file}`;
  if (!regionLine('endregion', region).test(text)) return `no "// #endregion ${region}" in ${file}`;
  return undefined;
}

export function snippetCheck(md: MarkdownRenderer, root: string): void {
  md.core.ruler.push('course-snippet-check', (state) => {
    for (const token of state.tokens) {
      // VitePress's snippet parser leaves [resolvedPath, regionName] on the fence token it makes.
      const src = (token as { src?: [string, string?] }).src;
      if (!src) continue;
      const [file, region = ''] = src;
      const problem = snippetProblem(file, region);
      if (problem) {
        const env = state.env as { path?: string; relativePath?: string };
        const page = env.relativePath ?? (env.path ? relative(root, env.path) : 'a page');
        throw new Error(`Broken code include in ${page}: ${problem}`);
      }
    }
  });
}
