// The scripts every back-office page loads, as a browser should get them: AdminJS's production bundles and our
// components minified, each under a content-hashed name (app.bundle.3f9c0a1b2d.js), compressed ahead of time
// (brotli and gzip, Node's zlib at their highest levels: seconds once at build time, nothing per request), and
// sent with `Cache-Control: public, max-age=31536000, immutable`, so a warm load asks for nothing but data.
// - `npm run build` writes them to dist/assets (scripts/build.ts); the compiled app serves those as they are.
// - From the sources (`npm start`, tests) they are made once into node_modules/.cache/epesi-assets/<key>, the
//   key a hash of every input (AdminJS's bundles, our components, the bundler): a later start with the same
//   inputs reuses them at once; a changed component makes a new folder (the first start after takes ~30 s).
// Served from memory by the handler below (a few MB; a static-file package would add a dependency for the three
// headers we set ourselves). Pages name them through `hashedScripts` (page-html.ts): AdminJS's layout writes
// /admin/frontend/assets/<name>; its `assetsCDN` option would name other files, but appends `?date=<start time>`
// to every one, a new URL at each restart that would defeat the immutable caching.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';
import { notFound } from '../../domain/errors';

/** Where pages load them from, under the back office's root path (AdminJS's own asset path). */
export const ASSETS_PATH = '/frontend/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

const require = createRequire(import.meta.url);
const adminjsScripts = join(dirname(require.resolve('adminjs')), 'lib/frontend/assets/scripts');
const designSystem = join(dirname(require.resolve('@adminjs/design-system')), '../bundle.production.js');
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const componentSources = join(root, 'admin/backoffice/components');
const bundler = join(root, 'scripts/bundle-components.ts');

/** The four scripts AdminJS's layout and sign-in pages load, by the name the templates give them. */
function sources(componentsBundle: string): Record<string, string> {
  return {
    'global.bundle.js': readFileSync(join(adminjsScripts, 'global-bundle.production.js'), 'utf8'),
    // Its webpack global shim `new Function("return this")()` is a reported CSP violation (no 'unsafe-eval') on
    // every page: `globalThis` does the same.
    'design-system.bundle.js': readFileSync(designSystem, 'utf8').replaceAll('new Function("return this")()', 'globalThis'),
    'app.bundle.js': readFileSync(join(adminjsScripts, 'app-bundle.production.js'), 'utf8'),
    'components.bundle.js': componentsBundle,
  };
}

/** Our components bundled and minified by AdminJS's bundler (scripts/bundle-components.ts, its own process). */
export async function bundleComponents(dir: string): Promise<string> {
  await new Promise<void>((done, fail) => {
    // (`--import tsx` resolves from the working folder: the repository's own tsx)
    const child = spawn(process.execPath, ['--import', 'tsx', bundler, dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`bundling the AdminJS components failed (exit ${code})`))));
  });
  return readFileSync(join(dir, 'bundle.js'), 'utf8');
}

/** Writes each script under its hashed name with .br and .gz beside it, and manifest.json (name -> hashed name). */
export function writeAssets(dir: string, componentsBundle: string): void {
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, string> = {};
  for (const [name, text] of Object.entries(sources(componentsBundle))) {
    const body = Buffer.from(text);
    const hashed = name.replace(/\.js$/, `.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.js`);
    writeFileSync(join(dir, hashed), body);
    writeFileSync(join(dir, `${hashed}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
    writeFileSync(join(dir, `${hashed}.gz`), gzipSync(body, { level: 9 }));
    manifest[name] = hashed;
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

interface Asset {
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

export interface FrontendAssets {
  /** AdminJS's name (app.bundle.js) -> hashed name. */
  names: Record<string, string>;
  files: Map<string, Asset>;
}

function loadAssets(dir: string): FrontendAssets {
  const names = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, string>;
  const files = new Map(
    Object.values(names).map((hashed) => [
      hashed,
      { identity: readFileSync(join(dir, hashed)), br: readFileSync(join(dir, `${hashed}.br`)), gzip: readFileSync(join(dir, `${hashed}.gz`)) },
    ]),
  );
  return { names, files };
}

/** Every file under `path`, sorted. */
const filesUnder = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .flatMap((name) => filesUnder(join(path, name)))
    : [path];

/** From the sources: the cache folder for these inputs, made if missing (in a temporary folder, then renamed). */
async function cachedAssets(): Promise<string> {
  // (package-lock.json: the versions of what the components import, chart.js and the like)
  const inputs = [join(adminjsScripts, 'global-bundle.production.js'), join(adminjsScripts, 'app-bundle.production.js'), designSystem, bundler, fileURLToPath(import.meta.url), join(here, 'components.ts'), join(root, 'package-lock.json'), ...filesUnder(componentSources)];
  const key = createHash('sha256');
  for (const file of inputs) key.update(file.slice(root.length)).update(readFileSync(file));
  const cache = join(root, 'node_modules/.cache/epesi-assets');
  const dir = join(cache, key.digest('hex').slice(0, 16));
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  const work = `${dir}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  writeAssets(work, await bundleComponents(join(work, 'adminjs')));
  rmSync(join(work, 'adminjs'), { recursive: true, force: true });
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another process made it first: the same files
  }
  // Earlier inputs' folders are not needed again (a folder being made, *.tmp, is another process's).
  for (const old of readdirSync(cache)) if (join(cache, old) !== dir && !old.endsWith('.tmp')) rmSync(join(cache, old), { recursive: true, force: true });
  return dir;
}

let ready: Promise<FrontendAssets> | undefined;
let loaded: FrontendAssets | undefined;
/**
 * The assets, read once a process: the build's (dist/assets, beside the compiled code) or, from the sources,
 * the cache's. Loading the compiled app without them is a mistake in the build: it fails loudly.
 */
export function frontendAssets(): Promise<FrontendAssets> {
  // dist/admin/backoffice/frontend-assets.js -> dist/assets (from the sources this names a folder that never exists).
  const built = resolve(here, '../../assets');
  ready ??= existsSync(join(built, 'manifest.json'))
    ? Promise.resolve(loadAssets(built))
    : import.meta.url.endsWith('.js')
      ? Promise.reject(new Error(`${built}/manifest.json is missing: run npm run build`))
      : cachedAssets().then(loadAssets);
  return ready.then((assets) => (loaded = assets));
}

/** Waits for the assets before a page is rendered (the first request of a process from fresh sources). */
export const assetsReady: RequestHandler = (_req, _res, next) => {
  if (loaded) return next();
  frontendAssets().then(() => next(), next);
};

/**
 * GET <root>/frontend/assets/<hashed name>: the file, brotli or gzip when the browser accepts it, cached for a
 * year. Any other name there is a 404 (AdminJS's own unhashed, uncompressed routes are not reached).
 */
export function assetHandler(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    const asset = loaded!.files.get(name);
    if (!asset) return next(notFound('asset', name));
    const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
    const body = encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.identity;
    res.set({ 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': IMMUTABLE, Vary: 'Accept-Encoding', 'Content-Length': String(body.length) });
    if (encoding === 'br' || encoding === 'gzip') res.set('Content-Encoding', encoding);
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  };
}

/** The page with each AdminJS asset URL (<root>/frontend/assets/app.bundle.js) replaced by its hashed one. */
export function hashedScripts(html: string): string {
  const assets = loaded;
  if (!assets) throw new Error('a page was rendered before the frontend assets were loaded (assetsReady)');
  return html.replace(/(src="[^"]*\/frontend\/assets\/)([\w.-]+\.js)"/g, (whole, prefix: string, name: string) => {
    const hashed = assets.names[name];
    return hashed ? `${prefix}${hashed}"` : whole;
  });
}
