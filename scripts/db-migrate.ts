// `DATABASE_URL=... npm run db:migrate`: brings the database to the current schema; running it again is a no-op.
import { migrateDatabase } from '../domain/migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to the PostgreSQL database to migrate (npm start migrates its embedded one itself).');
  process.exit(2);
}
await migrateDatabase(url);
console.log('Database is up to date.');
