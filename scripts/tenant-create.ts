// `npm run tenant:create -- --name NAME --subdomain SUB --admin-username USER --admin-email EMAIL`
// A new tenant with the six default roles and its first admin (level 5), in one transaction, on the migrated
// database in DATABASE_URL. The admin's password comes from ADMIN_PASSWORD or is asked on the terminal (not
// echoed, asked twice) and must pass the app's password rule. Exit codes: 0 created, 2 usage or configuration,
// 1 refused (an existing subdomain, a bad value) or failed.
import { parseArgs } from 'node:util';
import { read } from 'read';
import { commandConfig, ConfigError } from '../domain/config';
import { connect } from '../domain/db';
import { DomainError } from '../domain/errors';
import { passwordProblem } from '../domain/passwords';
import { createTenant, FIRST_ADMIN_LEVEL } from '../domain/tenancy';

const USAGE = `usage: npm run tenant:create -- --name NAME --subdomain SUB --admin-username USER --admin-email EMAIL
                                [--admin-first-name FIRST] [--admin-last-name LAST]
  The admin's password: ADMIN_PASSWORD, or asked on the terminal. DATABASE_URL: the PostgreSQL database.
  In docker compose: docker compose run --rm app npm run tenant:create -- ...`;

const REQUIRED = ['name', 'subdomain', 'admin-username', 'admin-email'] as const;

class UsageError extends Error {}

function options(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        name: { type: 'string' },
        subdomain: { type: 'string' },
        'admin-username': { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-first-name': { type: 'string' },
        'admin-last-name': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.help) return null;
  const missing = REQUIRED.filter((k) => !parsed[k]?.trim());
  if (missing.length) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  return {
    name: parsed.name!,
    subdomain: parsed.subdomain!,
    username: parsed['admin-username']!,
    email: parsed['admin-email']!,
    firstName: parsed['admin-first-name'] ?? parsed['admin-username']!,
    lastName: parsed['admin-last-name'] ?? 'Admin',
  };
}

/** ADMIN_PASSWORD, or asked twice on the terminal without echo; never a default. */
async function password(fromEnv: string | undefined): Promise<string> {
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) throw new UsageError('no password: set ADMIN_PASSWORD, or run on a terminal to be asked (docker compose run allocates one)');
  for (;;) {
    const first = await read({ prompt: 'Password of the admin: ', silent: true, replace: '*' });
    const problem = passwordProblem(first);
    if (problem) {
      console.error(`The password must be ${problem}.`);
      continue;
    }
    if ((await read({ prompt: 'The same again: ', silent: true, replace: '*' })) === first) return first;
    console.error('The two passwords differ; again.');
  }
}

async function main(): Promise<number> {
  let args;
  let config;
  try {
    args = options(process.argv.slice(2));
    if (!args) {
      console.log(USAGE);
      return 0;
    }
    config = commandConfig();
  } catch (err) {
    if (err instanceof UsageError) console.error(`tenant:create: ${err.message}\n${USAGE}`);
    else if (err instanceof ConfigError) console.error(err.message);
    else throw err;
    return 2;
  }
  const database = connect(config.databaseUrl, 1);
  try {
    const tenant = await createTenant(database.pool, args.name, args.subdomain, { ...args, password: await password(config.adminPassword) });
    console.log(`Created tenant "${tenant.name}" (subdomain ${tenant.subdomain}, id ${tenant.id}) with the six default roles,`);
    console.log(`and its admin ${args.username} <${args.email}> at level ${FIRST_ADMIN_LEVEL}: sign in with organization "${tenant.subdomain}".`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`tenant:create: ${err.message}`);
      return 2;
    }
    if (err instanceof DomainError) {
      console.error(`tenant:create: ${err.message}; nothing was created.`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`tenant:create failed, nothing was created: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
