// `npm run build`: the production build in dist/, run by the image and `npm run start:prod` with plain node.
//   dist/<same tree>.js      every server module, compiled by esbuild one file per module, npm packages left
//                            as imports. Not one bundle: the modules find their migrations and components next to
//                            themselves (import.meta.url), and bundle-dir.ts must run before adminjs loads, which a
//                            bundle's hoisted package imports would not allow. The sources' extensionless imports
//                            (moduleResolution Bundler) are rewritten to the .js / index.js Node's ESM loader needs.
//   dist/schema/migrations, dist/analytics/migrations   the SQL the app applies at start
//   dist/assets/             the scripts the pages load: AdminJS's production bundles and our components (bundled
//                            and minified now by AdminJS's own bundler), content-hashed, with .br and .gz beside
//                            each (admin/backoffice/frontend-assets.ts), so the running app bundles nothing
//   dist/admin/backoffice/components/*.tsx   their sources: AdminJS's ComponentLoader checks each file exists
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { bundleComponents, writeAssets } from '../admin/backoffice/frontend-assets';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const SERVER_DIRS = ['admin', 'domain', 'analytics', 'schema', 'scripts'];
const FRONTEND = join(root, 'admin/backoffice/components');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === FRONTEND || name === 'migrations' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each relative import stays an import, of the compiled file: './db' -> './db.js', './assistants' -> './assistants/index.js'. */
const relativeImportsToJs: Plugin = {
  name: 'relative-imports-to-js',
  setup(b) {
    b.onResolve({ filter: /^\.\.?(\/|$)/ }, ({ path, resolveDir, kind }) => {
      if (kind === 'entry-point') return undefined;
      const target = resolve(resolveDir, path);
      if (existsSync(`${target}.ts`)) return { path: `${path}.js`, external: true };
      if (existsSync(join(target, 'index.ts'))) return { path: `${path.replace(/\/$/, '')}/index.js`, external: true };
      return { errors: [{ text: `cannot resolve ${path} from ${relative(root, resolveDir)} (server code imports .ts modules only)` }] };
    });
  },
};

async function main() {
  const started = performance.now();
  rmSync(dist, { recursive: true, force: true });
  const entryPoints = SERVER_DIRS.flatMap((d) => sources(join(root, d)));
  await build({
    entryPoints,
    outdir: dist,
    outbase: root,
    bundle: true, // (each file alone: every import is external, see the plugin)
    packages: 'external',
    plugins: [relativeImportsToJs],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const dir of ['schema/migrations', 'analytics/migrations', 'admin/backoffice/components']) {
    cpSync(join(root, dir), join(dist, dir), { recursive: true });
  }

  const work = join(tmpdir(), `epesi-build-${process.pid}`);
  try {
    writeAssets(join(dist, 'assets'), await bundleComponents(work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`Built ${entryPoints.length} modules and the AdminJS components into ${relative(process.cwd(), dist) || '.'}/ in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
