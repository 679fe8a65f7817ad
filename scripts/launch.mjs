// `node scripts/launch.mjs NAME [args]`: runs the operator command scripts/NAME.ts. With NODE_ENV=production (the
// image, `npm run start:prod`) it runs the compiled dist/scripts/NAME.js with plain node in this process: the image
// has neither tsx nor the TypeScript sources. Otherwise the source through tsx, so a development checkout never
// runs a stale build. Plain JavaScript on purpose: it is what starts before anything is compiled.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node scripts/launch.mjs COMMAND [arguments]');
  process.exit(2);
}
const root = new URL('../', import.meta.url);
if (process.env.NODE_ENV === 'production') {
  const compiled = new URL(`dist/scripts/${name}.js`, root);
  if (!existsSync(compiled)) {
    console.error(`${fileURLToPath(compiled)} is missing: run \`npm run build\` first (NODE_ENV=production runs the compiled build).`);
    process.exit(2);
  }
  process.argv = [process.argv[0], fileURLToPath(compiled), ...args];
  await import(pathToFileURL(fileURLToPath(compiled)).href);
} else {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`scripts/${name}.ts`, root)), ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
