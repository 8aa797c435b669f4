/**
 * The TypeScript recognizer on its own. Identity with the Python recognizer on
 * real tracebacks is checked by python_kernel_hooks/tests/test_explain_parity.py;
 * here: the catalog works as JavaScript regexes, and the reference sentences of
 * shared/guide/error_messages.tsv are recognised through the same paths a
 * traceback takes (ANSI codes, Keras's call() wrapper, exception headers).
 */
import * as fs from 'fs';
import * as path from 'path';

import sections from '../../catalog/sections.json';
import signatures from '../../catalog/signatures.json';
import { explainText, stripAnsi, unwrapKerasMessage } from '../../explain/recognize';

interface RawSignature {
  id: string;
  guide: string | null;
  kind: string;
  exceptionTypes: string[];
  regex: string;
  flags?: string;
  captures: string[];
  lineRegex?: string;
  lineCaptures?: string[];
  source?: string;
}

const SIGNATURES = (signatures as unknown as { signatures: RawSignature[] }).signatures;
const SLUGS = new Set((sections as unknown as { sections: { slug: string }[] }).sections.map(s => s.slug));
const SHARED_GUIDE = process.env.KERAS_MIGRATE_SHARED_GUIDE || '/work/shared/guide';

function groupCount(source: string, flags = ''): number {
  // An empty alternative always matches, and exec() then reports every group.
  const match = new RegExp(`${source}|`, flags).exec('');
  return match ? match.length - 1 : -1;
}

interface ReferenceRow {
  failureMode: string;
  exceptionType: string;
  core: string;
  since: string;
}

function referenceRows(): ReferenceRow[] {
  const file = path.join(SHARED_GUIDE, 'error_messages.tsv');
  if (!fs.existsSync(file)) {
    return [];
  }
  const [, ...lines] = fs.readFileSync(file, 'utf8').split('\n').filter(line => line.trim());
  return lines.map(line => {
    const cells = line.split('\t');
    return { failureMode: cells[0].split(' ')[0], exceptionType: cells[1], core: cells[2], since: cells[4] };
  });
}

function citing(failureMode: string): RawSignature[] {
  const word = new RegExp(`\\b${failureMode}\\b`);
  return SIGNATURES.filter(signature => word.test(signature.source || ''));
}

describe('signature catalog in JavaScript', () => {
  it.each(SIGNATURES.map(s => [s.id, s] as [string, RawSignature]))('%s compiles with its declared groups', (_, signature) => {
    expect(groupCount(signature.regex, signature.flags || '')).toBe(signature.captures.length);
    if (signature.lineRegex) {
      expect(groupCount(signature.lineRegex)).toBe((signature.lineCaptures || []).length);
    }
    expect(signature.guide === null || SLUGS.has(signature.guide)).toBe(true);
  });
});

describe('explainText', () => {
  it('answers guide null for text that is not a migration problem', () => {
    for (const text of ['', 'hello', 'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nZeroDivisionError: division by zero\n']) {
      const answer = explainText(text);
      expect(answer.guide).toBeNull();
      expect(answer.names).toEqual({});
    }
  });

  const rows = referenceRows().filter(row => row.core.trim().endsWith('.') && row.exceptionType.match(/^[A-Za-z]+(Error|Warning)\b/));
  const testIf = rows.length > 0 ? it : it.skip;

  testIf('recognises the reference sentences as exception lines, wrapped by Keras and coloured', () => {
    for (const row of rows) {
      const expected = citing(row.failureMode).map(signature => signature.guide);
      expect(expected.length).toBeGreaterThan(0);
      const type = row.exceptionType.split(/[\s(]/)[0];
      const core = row.core.trim();
      const plain = explainText(`${type}: ${core}`);
      expect(expected).toContain(plain.guide);
      // error_messages.tsv (k_keras_call_wrapper) gives the wrapper's format.
      const wrapped = `Exception encountered when calling Custom.call().\n\n\x1b[1m${core}\x1b[0m\n\nArguments received by Custom.call():\n  • inputs=x`;
      const answer = explainText(`\x1b[31m${type}\x1b[39m: ${wrapped}`);
      expect(answer.guide).toBe(plain.guide);
      expect(answer.message).toBe(core);
      if (answer.guide !== null) {
        expect(answer.names.layer).toBe('Custom');
      }
    }
  });

  it('strips ANSI codes and unwraps only the Keras wrapper', () => {
    expect(stripAnsi('\x1b[31mValueError\x1b[39m')).toBe('ValueError');
    expect(unwrapKerasMessage('no wrapper here')).toBe('no wrapper here');
  });
});
