// Tables the README shows that follow from the code: the permission mapping and the delete behaviour of
// every reference. `npm run readme:tables` prints them; test/readme.test.ts fails when the README drifts.
import { getTableConfig } from 'drizzle-orm/pg-core';
import { permissionsMarkdown } from '../domain/permissions';
import { resources } from '../domain/resources';
import { DEFAULT_ROLES } from '../domain/default-roles';

export function deleteBehaviourMarkdown(): string {
  const byRule: Record<string, string[]> = { cascade: [], 'set null': [], restrict: [] };
  for (const r of resources.values()) {
    for (const fk of getTableConfig(r.table).foreignKeys) {
      const ref = fk.reference();
      const cols = ref.columns.map((c) => c.name);
      if (cols.length !== 2) continue; // tenant keys (all cascade) and consistency keys
      const rule = fk.onDelete === 'no action' ? 'restrict' : fk.onDelete ?? 'restrict';
      byRule[rule]!.push(`${r.name}.${cols[1]} → ${getTableConfig(ref.foreignTable).name}`);
    }
  }
  const why: Record<string, string> = {
    cascade: 'the child has no meaning without its parent',
    'set null': 'the record stays; only the link is cleared (tenant_id is kept: `ON DELETE SET NULL (column)`)',
    restrict: 'the delete is refused while rows still point at it (move or delete them first)',
  };
  return [
    '| on delete | why | references |',
    '|---|---|---|',
    ...Object.entries(byRule).map(([rule, refs]) => `| ${rule} | ${why[rule]} | ${refs.sort().join(', ')} |`),
  ].join('\n');
}

export function rolesMarkdown(): string {
  return [
    '| level | role | permissions (each level adds to the previous one) |',
    '|---|---|---|',
    ...DEFAULT_ROLES.map((r, i) => {
      const below = new Set(DEFAULT_ROLES[i - 1]?.permissions ?? []);
      const added = r.permissions.filter((p) => !below.has(p));
      return `| ${r.level} | ${r.name} | ${i ? '+ ' : ''}${added.map((p) => `\`${p}\``).join(' ') || '(same as level ' + (r.level - 1) + ')'} |`;
    }),
  ].join('\n');
}

export const readmeSections = () => ({ permissions: permissionsMarkdown(), roles: rolesMarkdown(), deletes: deleteBehaviourMarkdown() });

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = readmeSections();
  console.log(`${s.roles}\n\n${s.permissions}\n\n${s.deletes}`);
}
