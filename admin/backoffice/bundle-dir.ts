// Where AdminJS writes the bundle of our components. Not a dot-folder: Express 5 refuses to serve those,
// which breaks production mode (shared notes). Imported before adminjs, which reads it at load time.
import { resolve } from 'node:path';

process.env.ADMIN_JS_TMP_DIR ??= resolve(process.env.DATA_DIR ?? 'data', 'adminjs-bundle');
