// The README's tables are the code's: the permission mapping, the default roles and the delete behaviour.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readmeSections } from '../scripts/readme-tables';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

it.each(Object.entries(readmeSections()))('README shows the current %s table (npm run readme:tables)', (_name, table) => {
  expect(readme).toContain(table);
});

it('README states the two commands that .ci/run and a newcomer use', () => {
  expect(readme).toContain('npm ci && npm start');
  expect(readme).toContain('npm ci && npm test');
  const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
  expect(ci).toMatch(/^npm ci\b.*$/m);
  expect(ci.trim().split('\n').at(-1)).toBe('npm test');
});
