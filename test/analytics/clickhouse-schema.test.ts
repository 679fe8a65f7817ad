// The ClickHouse side on the run's real server (Debian's 18.16): versioned migrations applied once, in order,
// and client-side escaping that round-trips any string (no server-side parameters on 18.16).
import { describe, expect, it } from 'vitest';
import { migrateClickHouse, readMigrations, splitStatements } from '../../analytics/migrate';
import { dateTime, ident, isIn, num, str, uint } from '../../analytics/sql';
import { useTestClickHouse } from '../harness';
import { chRows } from './helpers';

const ch = useTestClickHouse();

describe('migrations', () => {
  it('apply every migration once, in order, and record them; a second run applies nothing', async () => {
    const files = readMigrations();
    expect(files.map((m) => m.version)).toEqual([...files.map((m) => m.version)].sort((a, b) => a - b));
    const applied = await migrateClickHouse(ch.client);
    expect(applied).toEqual(files.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`));
    expect(await migrateClickHouse(ch.client)).toEqual([]);
    const recorded = await chRows<{ version: number }>(ch.client, 'SELECT version FROM analytics_migrations ORDER BY version');
    expect(recorded.map((r) => Number(r.version))).toEqual(files.map((m) => m.version));
    const tables = await chRows<{ name: string; engine: string }>(ch.client, 'SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name');
    expect(tables.map((t) => t.name)).not.toContain('event_ids'); // dropped by 0003
    expect(tables).toEqual(
      expect.arrayContaining([
        { name: 'events', engine: 'ReplacingMergeTree' },
        { name: 'events_hourly', engine: 'AggregatingMergeTree' },
        { name: 'events_hourly_mv', engine: 'MaterializedView' },
      ]),
    );
  });

  it('split files into statements, comments dropped', () => {
    expect(splitStatements('-- a comment; with a semicolon\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\nSELECT 1;\n')).toEqual([
      'CREATE TABLE a (x UInt8) ENGINE = Memory',
      'SELECT 1',
    ]);
  });
});

describe('escaping', () => {
  it('string literals round-trip quotes, backslashes, NUL, newlines and unicode', async () => {
    const nasty = ["it's", 'back\\slash', "\\'; DROP TABLE events; --", 'nul\0byte', 'line\nbreak\ttab', 'ünïcødé 🚀', ''];
    for (const v of nasty) {
      const [row] = await chRows<{ v: string }>(ch.client, `SELECT ${str(v)} AS v`);
      expect(row!.v).toBe(v);
    }
  });

  it('numbers, times, identifiers and lists refuse what they cannot express', () => {
    expect(() => num(Number.NaN)).toThrow();
    expect(() => uint(-1)).toThrow();
    expect(() => uint(1.5)).toThrow();
    expect(dateTime(new Date('2025-03-03T00:00:00Z'))).toBe('toDateTime(1740960000)');
    expect(() => ident('events; DROP', ['events'])).toThrow();
    expect(isIn('x', [])).toBe('0');
    expect(isIn('x', ['1', '2'])).toBe('x IN (1, 2)');
  });
});
