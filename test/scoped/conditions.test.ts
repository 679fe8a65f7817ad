// One walker over CASL's conditions (domain/conditions.ts), two dialects: the PostgreSQL WHERE of the scoped
// layer and the ClickHouse scope of analytics read the same rules the same way.
import { createMongoAbility } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import { getTableConfig, PgDialect } from 'drizzle-orm/pg-core';
import { expect, it } from 'vitest';
import { conditionToSql } from '../../domain/conditions-sql';
import { translateCondition, type ConditionDialect } from '../../domain/conditions';
import { events } from '../../schema';

const columns = new Map(getTableConfig(events).columns.map((c) => [c.name, c]));
const pg = (rules: Parameters<typeof createMongoAbility>[0]) => {
  const q = new PgDialect().sqlToQuery(conditionToSql(rulesToAST(createMongoAbility(rules), 'read', 'events'), columns));
  return { sql: q.sql, params: q.params };
};
/** A dialect that writes the tree as text, to see what the walker hands the dialects. */
const text: ConditionDialect<string> = {
  all: 'ALL',
  none: 'NONE',
  and: (p) => `and(${p.join(', ')})`,
  or: (p) => `or(${p.join(', ')})`,
  not: (p) => `not(${p})`,
  field: ({ operator, field, value }) => `${field} ${operator} ${JSON.stringify(value)}`,
};
const walk = (rules: Parameters<typeof createMongoAbility>[0]) => translateCondition(rulesToAST(createMongoAbility(rules), 'read', 'events'), text);

it('the alternatives of several rules become one OR, the same condition twice only once', () => {
  const rules = [
    { action: 'read', subject: 'events', conditions: { workspace_id: 3 } },
    { action: 'read', subject: 'events', conditions: { workspace_id: 3 } },
    { action: 'read', subject: 'events', conditions: { user_id: { $in: [1, 2] } } },
  ];
  expect(walk(rules)).toBe('or(user_id in [1,2], workspace_id eq 3)');
  expect(pg(rules)).toEqual({ sql: '("events"."user_id" in ($1, $2) or "events"."workspace_id" = $3)', params: [1, 2, 3] });
});

it('no rule is no row, an inverted rule a NOT, an unconditional rule every row', () => {
  expect(walk([])).toBe('NONE');
  expect(pg([])).toEqual({ sql: 'false', params: [] });
  expect(walk([{ action: 'read', subject: 'events' }])).toBe('ALL');
  const inverted = [
    { action: 'read', subject: 'events' },
    { action: 'read', subject: 'events', inverted: true, conditions: { user_id: 9 } },
  ];
  expect(walk(inverted)).toBe('not(and(user_id eq 9))');
  expect(pg(inverted)).toEqual({ sql: 'not "events"."user_id" = $1', params: [9] });
});

it('a condition on a field the table does not have is refused, never dropped', () => {
  expect(() => pg([{ action: 'read', subject: 'events', conditions: { no_such_field: 1 } }])).toThrow(/unknown field no_such_field/);
});
