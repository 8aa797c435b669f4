/**
 * The tooltip explains the finding's own API (catalog: apis.json), not one paragraph of the
 * api-changes section about every renamed or removed API.
 */
import { ALL_RULES, section } from '../../analysis';
import { tooltipExplanation } from '../../lint/extension';
import apisJson from '../../catalog/apis.json';
import signaturesJson from '../../catalog/signatures.json';
import { getAnalyzer } from '../analysis/helpers';

test('every api-changes rule example gets its own API explanation, with the version, not the section paragraph', async () => {
  const analyzer = await getAnalyzer();
  const generic = section('api-changes').explanation;
  const seen = new Map<string, string>();
  for (const rule of ALL_RULES.filter(r => r.slug === 'api-changes')) {
    const finding = analyzer.analyzeFile(rule.docs.example, { kerasVersion: (rule.kerasVersions ?? section(rule.slug).versions)[0].from }).find(f => f.rule === rule.code);
    expect(finding).toBeDefined();
    const text = tooltipExplanation(finding!);
    expect(text).not.toBe(generic);
    expect(text).toMatch(/Keras \d\.\d+|TensorFlow 2\.\d+/);
    seen.set(rule.code, text!);
  }
  // Unrelated APIs get different paragraphs.
  expect(seen.get('KM168')).toMatch(/negative_slope/);
  expect(seen.get('KM169')).toMatch(/add_weight/);
  expect(seen.get('KM168')).not.toBe(seen.get('KM169'));
});

test('a rule that covers several APIs explains the one in the finding', async () => {
  const analyzer = await getAnalyzer();
  const code = 'import keras\nopt = keras.optimizers.Adam(lr=0.01, decay=1e-4)\n';
  const texts = analyzer.analyzeFile(code).filter(f => f.rule === 'KM161').map(f => tooltipExplanation(f));
  expect(texts.some(t => /`learning_rate`/.test(t ?? ''))).toBe(true);
  expect(texts.some(t => /schedule/.test(t ?? ''))).toBe(true);
});

test('findings of other sections keep their section explanation', async () => {
  const analyzer = await getAnalyzer();
  const finding = analyzer.analyzeFile('import tensorflow as tf\nmodel = tf.keras.Sequential()\n').find(f => f.guide === 'imports');
  expect(tooltipExplanation(finding!)).toBe(section('imports').explanation);
});

test('apis.json names only rules and signatures that exist', () => {
  const codes = new Set(ALL_RULES.map(r => r.code));
  const ids = new Set((signaturesJson as { signatures: Array<{ id: string }> }).signatures.map(s => s.id));
  for (const api of (apisJson as { apis: Array<{ id: string; rules?: string[]; signatures?: string[]; since: string }> }).apis) {
    expect(api.since).toMatch(/^3\.\d+$/);
    for (const code of api.rules ?? []) {
      expect(codes.has(code)).toBe(true);
    }
    for (const id of api.signatures ?? []) {
      expect(ids.has(id)).toBe(true);
    }
  }
});
