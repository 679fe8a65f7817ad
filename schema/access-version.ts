// The triggers that keep `access_version` (schema/tables/system.ts) counting the changes a cached principal
// (domain/principal-cache.ts) must not outlive: what loadPrincipal (domain/principal.ts) reads of users and
// roles. Statement triggers, so a bulk change counts once; in the changing transaction, so the new count is
// visible exactly when the change is. Idempotent, applied by the migrator after the migrations.
import { getTableConfig } from 'drizzle-orm/pg-core';
import { roles, users } from './index';

/** The columns of each table a principal is built from (a change elsewhere in the row keeps it valid). */
const PRINCIPAL_COLUMNS: [typeof users | typeof roles, string[]][] = [
  [users, ['tenant_id', 'username', 'workspace_id', 'role_id', 'manager_id']],
  [roles, ['tenant_id', 'level', 'permissions']],
];

export function accessVersionDdl(): string[] {
  return [
    // (no row yet reads as version 0: the first change writes 1)
    `CREATE OR REPLACE FUNCTION epesi_bump_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO access_version (version) VALUES (1) ON CONFLICT (id) DO UPDATE SET version = access_version.version + 1;
       RETURN NULL;
     END $$`,
    ...PRINCIPAL_COLUMNS.map(([table, columns]) => {
      const { name } = getTableConfig(table);
      return `CREATE OR REPLACE TRIGGER ${name}_access_version
        AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF ${columns.map((c) => `"${c}"`).join(', ')} ON "${name}"
        FOR EACH STATEMENT EXECUTE FUNCTION epesi_bump_access_version()`;
    }),
  ];
}
