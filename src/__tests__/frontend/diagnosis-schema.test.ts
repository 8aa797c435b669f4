/**
 * The diagnosis payload is defined once, in src/catalog/diagnosis.schema.json.
 * The producer is the Python recognizer: run here on pasted tracebacks collected
 * from public issue threads; every answer must follow the schema, and the reader
 * (readDiagnosis) must take every field the schema defines.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { readDiagnosis } from '../../explainui/diagnosis';

const root = path.resolve(__dirname, '../../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'src/catalog/diagnosis.schema.json'), 'utf8'));
const pastes = path.join(root, 'python_kernel_hooks/tests/pastes');
const python = fs.existsSync(path.join(root, '.venv/bin/python')) ? path.join(root, '.venv/bin/python') : 'python3';

interface ExplainAnswer {
  file: string;
  diagnosis: unknown;
  diagnoses: unknown[];
}

/** The explain command's JSON answers ({file, diagnosis, diagnoses}, the endpoint's answer per file): one Python start for all the files. */
function explainAll(files: string[]): ExplainAnswer[] {
  const done = spawnSync(python, ['-m', 'keras_migrate', 'explain', '--output-format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, PYTHONPATH: path.join(root, 'python_kernel_hooks') }
  });
  expect(done.status).toBe(0);
  return JSON.parse(done.stdout);
}

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('diagnosis schema', () => {
  const files = fs.existsSync(pastes) ? fs.readdirSync(pastes).filter(name => name.endsWith('.txt')).sort() : [];

  it('has pastes to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('holds for what the Python recognizer answers, recognised or not', () => {
    let recognised = 0;
    const answers = explainAll(files.map(name => path.join(pastes, name)));
    expect(answers.map(a => path.basename(a.file))).toEqual(files);
    for (const result of answers) {
      const name = path.basename(result.file);
      const answer = result.diagnosis as Record<string, unknown>;
      for (const each of [answer, ...result.diagnoses]) {
        const ok = validate(each);
        expect({ name, errors: ok ? null : validate.errors }).toEqual({ name, errors: null });
      }
      if (answer.guide !== null) {
        recognised++;
        const diagnosis = readDiagnosis(answer)!;
        expect(diagnosis.guide).toBe(answer.guide);
        expect(diagnosis.title).toBe(answer.title);
        expect(diagnosis.line).toBe(answer.line);
        expect(diagnosis.names).toEqual(answer.names);
        expect(diagnosis.message).toBe(answer.message);
      }
    }
    expect(recognised).toBeGreaterThan(0);
  });

  it('rejects what the reader must not trust', () => {
    const good = explainAll([path.join(pastes, files[0]), path.join(pastes, files[1])])[0].diagnosis as Record<string, unknown>;
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, guide_url: 'javascript:alert(1)' })).toBe(false);
    expect(validate({ ...good, message: 'x'.repeat(5000) })).toBe(false);
    expect(validate({ ...good, extra: 1 })).toBe(false);
  });

  it('names every field the reader reads', () => {
    const fields = Object.keys(schema.properties);
    const source = fs.readFileSync(path.join(root, 'src/explainui/diagnosis.ts'), 'utf8');
    for (const field of fields.filter(f => !['signature'].includes(f))) {
      expect({ field, read: source.includes(`raw.${field}`) }).toEqual({ field, read: true });
    }
  });
});
