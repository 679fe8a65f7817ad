// Who is asking: the user, their role and everything the ability is built from, loaded in one query.
import { sql, type SQL } from 'drizzle-orm';
import type { Permission } from '../schema';

export interface Principal {
  tenantId: number;
  userId: number;
  username: string;
  workspaceId: number | null;
  roleId: number;
  level: number;
  permissions: Permission[];
  /** Me and everyone below me in the manager tree, any depth. */
  teamIds: number[];
  /** Roles I may grant: at or below my level, with no permission I do not hold. */
  assignableRoleIds: number[];
}

export const CROSS_WORKSPACE_LEVEL = 5;

interface Queryable {
  execute(query: SQL): Promise<{ rows: unknown[] }>;
}

/** Runs inside the tenant's transaction (row-level security applies): a user of another tenant is not found. */
export async function loadPrincipal(db: Queryable, userId: number): Promise<Principal | null> {
  const { rows } = await db.execute(
    // UNION (not UNION ALL) also stops a manager cycle from recursing forever.
    sql`WITH RECURSIVE team AS (
       SELECT id FROM users WHERE id = ${userId}
       UNION SELECT u.id FROM users u JOIN team ON u.manager_id = team.id
     )
     SELECT u.tenant_id, u.id, u.username, u.workspace_id, r.id AS role_id, r.level, r.permissions,
       (SELECT array_agg(id ORDER BY id) FROM team) AS team_ids,
       -- Grantable: at or below my level and holding no permission I lack.
       (SELECT array_agg(x.id ORDER BY x.id) FROM roles x WHERE x.level <= r.level AND x.permissions <@ r.permissions) AS assignable_role_ids
     FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
     WHERE u.id = ${userId}`,
  );
  const row = rows[0] as
    | { tenant_id: number; id: number; username: string; workspace_id: number | null; role_id: number;
        level: number; permissions: Permission[]; team_ids: number[]; assignable_role_ids: number[] }
    | undefined;
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    userId: row.id,
    username: row.username,
    workspaceId: row.workspace_id,
    roleId: row.role_id,
    level: row.level,
    permissions: row.permissions,
    teamIds: row.team_ids,
    assignableRoleIds: row.assignable_role_ids,
  };
}
