// Where AdminJS writes the bundle of our components. AdminJS serves an existing bundle file as it is, so a
// bundle left by an earlier run (or by another process) would be stale: each process gets its own folder,
// built on first use and removed at exit. Not a dot-folder: Express 5 refuses to serve those in production.
// The compiled build (npm run build) carries its bundle, made at build time: in production it is served as it is.
// Imported before adminjs, which reads the variables when it loads.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/admin/backoffice/bundle-dir.js -> dist/adminjs (from the sources this names a folder that never exists).
const prebuilt = fileURLToPath(new URL('../../adminjs', import.meta.url));

const PREFIX = 'epesi-adminjs-';
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

if (!process.env.ADMIN_JS_TMP_DIR && process.env.NODE_ENV === 'production' && existsSync(join(prebuilt, 'bundle.js'))) {
  process.env.ADMIN_JS_TMP_DIR = prebuilt;
  process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
} else if (!process.env.ADMIN_JS_TMP_DIR) {
  // Folders of processes that ended without running their exit handler (killed workers, crashes).
  for (const entry of readdirSync(tmpdir())) {
    const pid = entry.startsWith(PREFIX) ? Number(entry.slice(PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  const dir = join(tmpdir(), `${PREFIX}${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  process.env.ADMIN_JS_TMP_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
