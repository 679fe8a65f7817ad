// Seeds the benchmarks' scale database ahead of a run (bench:admin and bench:pages seed it on first use too).
import { ensureScaleDatabase } from './scale-db.js';

const deals = Number(process.argv[2] ?? 1_000_000);
await ensureScaleDatabase(deals, (line) => console.log(line));
process.exit(0);
