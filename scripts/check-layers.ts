// Layers import only downward: schema <- domain <- analytics <- admin. This lists every import (static,
// re-export or dynamic) of a file in one layer that reaches into a layer above it; test/architecture runs
// it, and `npx tsx scripts/check-layers.ts` prints the same list.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAYERS = ['schema', 'domain', 'analytics', 'admin'] as const;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'migrations' ? [] : sources(path);
    return /\.(ts|tsx)$/.test(e.name) ? [path] : [];
  });
}

/** The module specifiers a file imports: `import ... from`, `export ... from`, `import('...')`, `import '...'`. */
export function specifiersOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

const layerOf = (path: string) => LAYERS.indexOf(relative(root, path).split(sep)[0] as (typeof LAYERS)[number]);

export interface UpwardImport {
  file: string;
  imports: string;
  /** "domain imports analytics" */
  why: string;
}

export function upwardImports(base = root): UpwardImport[] {
  const out: UpwardImport[] = [];
  for (const layer of LAYERS) {
    for (const file of sources(join(base, layer))) {
      const from = layerOf(file);
      for (const spec of specifiersOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const to = layerOf(resolve(dirname(file), spec));
        if (to > from) out.push({ file: relative(base, file), imports: spec, why: `${LAYERS[from]} imports ${LAYERS[to]}` });
      }
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = upwardImports();
  for (const u of found) console.log(`${u.file}: imports ${u.imports} (${u.why})`);
  process.exitCode = found.length ? 1 : 0;
}
