// schema <- domain <- analytics <- admin: no file imports from a layer above its own.
import { expect, it } from 'vitest';
import { specifiersOf, upwardImports } from '../../scripts/check-layers';

it('no import reaches from a lower layer into a higher one', () => {
  expect(upwardImports().map((u) => `${u.file}: ${u.imports} (${u.why})`)).toEqual([]);
});

it('the check sees every form of import, so an upward one cannot hide', () => {
  const text = [
    "import { a } from '../admin/x';",
    "import type { B } from '../analytics/y';",
    "export { c } from './z';",
    "const m = await import('../admin/w');",
    "import '../admin/side-effect';",
  ].join('\n');
  expect(specifiersOf(text).sort()).toEqual(['../admin/side-effect', '../admin/w', '../admin/x', '../analytics/y', './z']);
});
