import { describe, expect, it } from 'vitest';
import { clickhouseStatus } from '../../analytics/clickhouse';
import { useTestClickHouse } from '../harness';

const ch = useTestClickHouse();

describe('ClickHouse in the test harness', () => {
  it('is a real server that stores and aggregates rows, NULLs kept', async () => {
    expect((await clickhouseStatus(ch.client)).ok).toBe(true);
    await ch.client.command({
      query: 'CREATE TABLE probe (tenant_id UInt32, name String, note Nullable(String)) ENGINE = MergeTree ORDER BY tenant_id',
    });
    await ch.client.insert({
      table: 'probe',
      format: 'JSONEachRow',
      values: [
        { tenant_id: 1, name: 'a', note: null },
        { tenant_id: 1, name: 'b', note: 'x' },
        { tenant_id: 2, name: 'c', note: null },
      ],
    });
    const rs = await ch.client.query({
      query: 'SELECT tenant_id, toUInt32(count()) AS n, countIf(isNull(note)) AS nulls FROM probe GROUP BY tenant_id ORDER BY tenant_id',
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{ tenant_id: number; n: number; nulls: string | number }>();
    expect(rows.map((r) => [r.tenant_id, r.n, Number(r.nulls)])).toEqual([
      [1, 2, 1],
      [2, 1, 1],
    ]);
  });
});
