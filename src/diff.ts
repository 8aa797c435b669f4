/**
 * The one line diff of the project (jsdiff's Myers diff, O((N+M)·D)): `keras-migrate fix --diff`
 * prints unified diffs with it, and the editor's fix-all preview lists changed lines with it.
 */
import { createTwoFilesPatch, diffLines } from 'diff';

/** A unified diff in the form `diff -u` and git print; '' when nothing changed. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  if (before === after) {
    return '';
  }
  const patch = createTwoFilesPatch(fromLabel, toLabel, before, after, undefined, undefined, { context });
  // jsdiff starts with an `Index:`-less header `===...` line only for createPatch; drop any
  // header line before `---` so the output is exactly a unified diff.
  return patch.slice(patch.indexOf('--- '));
}

/** Every line of `before` and `after` marked `  ` (kept), `- ` (removed) or `+ ` (added). */
export function lineDiff(before: string, after: string): string[] {
  const out: string[] = [];
  for (const part of diffLines(before, after)) {
    const mark = part.added ? '+ ' : part.removed ? '- ' : '  ';
    const lines = part.value.split('\n');
    if (lines[lines.length - 1] === '') {
      lines.pop();
    }
    for (const line of lines) {
      out.push(mark + line);
    }
  }
  return out;
}
