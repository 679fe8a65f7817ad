// Where AdminJS writes the bundle of our components. AdminJS serves an existing bundle file as it is, so a
// bundle left by an earlier run (or by another process) would be stale: each process gets its own folder,
// built on first use and removed at exit. Not a dot-folder: Express 5 refuses to serve those in production.
// Imported before adminjs, which reads the variable when it loads.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.ADMIN_JS_TMP_DIR) {
  const dir = join(tmpdir(), `epesi-adminjs-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  process.env.ADMIN_JS_TMP_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
