// `npm run db:generate [-- --name x]`: drizzle-kit generate, then one rewrite drizzle-kit cannot express yet.
//
// An optional tenant-composite reference (tenant_id, x_id) -> target(tenant_id, id) must clear only x_id when
// the target goes: `ON DELETE SET NULL ("x_id")` (PostgreSQL 15+). drizzle-kit writes a plain `set null`,
// which would also null tenant_id (NOT NULL) and fail. The rewrite is idempotent and keeps the snapshot valid.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'schema/migrations';
execFileSync('npx', ['drizzle-kit', 'generate', ...process.argv.slice(2)], { stdio: 'inherit' });

const compositeSetNull = /FOREIGN KEY \("tenant_id","([a-z_]+)"\) (REFERENCES [^;]*?) ON DELETE set null/g;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(compositeSetNull, 'FOREIGN KEY ("tenant_id","$1") $2 ON DELETE SET NULL ("$1")');
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`${path}: ON DELETE SET NULL limited to the reference column`);
  }
}
