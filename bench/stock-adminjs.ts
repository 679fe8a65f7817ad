// The peer bench:admin compares with: stock AdminJS over @adminjs/sql on the same scratch database, configured
// as a careful user of the stock packages would: every table registered (`id` marked as the id by hand: the
// `UNIQUE(tenant_id, id)` of each table makes the introspection drop it, shared notes), sessions in PostgreSQL
// (connect-pg-simple), sign-in by email and argon2id password, and the tenant forced by before hooks: list and
// search get `tenant_id = <the user's tenant>` as a filter, show refuses a record of another tenant. It connects
// as the database's owner (no row-level security: the hooks are its only wall), and lists newest first, as the
// project does, so both read the same rows.
//
// Run by bench/admin.ts as a child process (its own event loop and CPU time): `DATABASE_URL=... tsx bench/stock-adminjs.ts`
// prints `listening <port>` when ready.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// (before adminjs loads: where it bundles its components; not the project's folder)
process.env.ADMIN_JS_TMP_DIR ??= mkdtempSync(join(tmpdir(), 'stock-adminjs-'));

const { default: AdminJS, ForbiddenError } = await import('adminjs');
const { default: AdminJSExpress } = await import('@adminjs/express');
const { Adapter, Database, Resource } = await import('@adminjs/sql');
const { default: express } = await import('express');
const { default: session } = await import('express-session');
const { default: connectPg } = await import('connect-pg-simple');
const { default: pg } = await import('pg');
const { verify } = await import('@node-rs/argon2');
type ActionRequest = import('adminjs').ActionRequest;
type ActionContext = import('adminjs').ActionContext;

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: url, max: 10 });

AdminJS.registerAdapter({ Database, Resource });
const metadata = await new Adapter('postgresql', { connectionString: url, database: new URL(url).pathname.slice(1) }).init();

const tenantOf = (context: ActionContext) => Number((context.currentAdmin as { tenantId?: number } | undefined)?.tenantId);
/** list and search: the user's tenant as one more filter. */
const inTenant = (request: ActionRequest, context: ActionContext) => ({
  ...request,
  query: { ...request.query, 'filters.tenant_id': String(tenantOf(context)) },
});
/** show: the record (already loaded by AdminJS) must be of the user's tenant. */
const ownRecord = (request: ActionRequest, context: ActionContext) => {
  if (Number(context.record?.params.tenant_id) !== tenantOf(context)) throw new ForbiddenError('not your tenant');
  return request;
};

const { rows: tables } = await pool.query<{ name: string; created: boolean }>(
  `SELECT c.table_name AS name, bool_or(c.column_name = 'created_at') AS created
     FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name NOT LIKE '%drizzle%'
    GROUP BY c.table_name HAVING bool_or(c.column_name = 'id')`,
);
const admin = new AdminJS({
  rootPath: '/admin',
  resources: tables.map(({ name, created }) => ({
    resource: metadata.table(name),
    options: {
      properties: { id: { isId: true } },
      ...(created ? { sort: { sortBy: 'created_at', direction: 'desc' as const } } : {}),
      actions: {
        list: { before: inTenant },
        search: { before: inTenant },
        show: { before: ownRecord },
      },
    },
  })),
});

const app = express();
const Store = connectPg(session);
const router = AdminJSExpress.buildAuthenticatedRouter(
  admin,
  {
    cookiePassword: 'stock-bench-secret',
    cookieName: 'stock.sid',
    authenticate: async (email: string, password: string) => {
      const { rows } = await pool.query(`SELECT id, email, password, tenant_id FROM users WHERE lower(email) = lower($1)`, [email]);
      const user = rows[0];
      if (!user || !(await verify(user.password, password))) return null;
      return { id: String(user.id), email: user.email, tenantId: user.tenant_id };
    },
  },
  null,
  {
    store: new Store({ pool, tableName: 'stock_adminjs_sessions', createTableIfMissing: true }),
    resave: false,
    saveUninitialized: false,
    secret: 'stock-bench-secret',
  },
);
app.use(admin.options.rootPath, router);
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
