// `DATABASE_URL=postgres://... tsx scripts/seed-demo.ts` (npm run db:seed): loads the demo tenants into an
// empty, migrated database. Does nothing when a tenant already exists.
import { connect } from '../domain/db';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './demo-data';

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/epesi)');
    process.exit(2);
  }
  const database = connect(url, 2);
  try {
    const started = performance.now();
    if (!(await seedDemo(database))) {
      console.log('The database already has tenants: nothing loaded.');
      return;
    }
    console.log(`Loaded the demo data in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
    console.table(DEMO_LOGINS);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
