import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, SECTIONS } from '../../analysis';
import { rulesMarkdown } from '../../cli/rules-doc';

test('docs/rules.md is generated from the rule modules (run `jlpm docs:rules`)', () => {
  const committed = fs.readFileSync(path.resolve(__dirname, '../../../docs/rules.md'), 'utf8');
  expect(committed).toBe(rulesMarkdown());
});

test('every guide slug has a rule; codes are unique; every rule documents itself', () => {
  const slugs = new Set(ALL_RULES.map(r => r.slug));
  expect(SECTIONS.map(s => s.slug).filter(s => !slugs.has(s))).toEqual([]);
  const codes = ALL_RULES.map(r => r.code);
  expect(new Set(codes).size).toBe(codes.length);
  for (const r of ALL_RULES) {
    expect(r.code).toMatch(/^KM\d{3}$/);
    expect(r.name).toMatch(/^[a-z0-9-]+$/);
    for (const text of Object.values(r.docs)) {
      expect(text.trim().length).toBeGreaterThan(10);
    }
  }
});
