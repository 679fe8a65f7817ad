// `node --import tsx scripts/bundle-components.ts <dir>`: our AdminJS components bundled, minified, into
// <dir>/bundle.js by AdminJS's own bundler (rollup, babel, esbuild-minify). A process of its own because AdminJS
// picks production (minified) or development when it loads, from NODE_ENV, and a running app must not change
// that. admin/backoffice/frontend-assets.ts runs it, from `npm run build` and, once per change of the
// components, from `npm start`.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '');
process.env.NODE_ENV = 'production';
process.env.ADMIN_JS_TMP_DIR = dir;
process.env.ADMIN_JS_SKIP_BUNDLE = 'false';
const { default: AdminJS } = await import('adminjs');
const { componentLoader } = await import('../admin/backoffice/components');
await new AdminJS({ componentLoader }).initialize();
if (!existsSync(join(dir, 'bundle.js'))) throw new Error('AdminJS wrote no components bundle');
