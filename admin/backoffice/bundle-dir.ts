// Where AdminJS writes the bundle of our components. AdminJS serves an existing bundle file as it is, so a
// bundle left by an earlier run (or by another process) would be stale: each process gets its own folder,
// built on first use and removed at exit. Not a dot-folder: Express 5 refuses to serve those in production.
// Imported before adminjs, which reads the variable when it loads.
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'epesi-adminjs-';
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

if (!process.env.ADMIN_JS_TMP_DIR) {
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
