/**
 * Where a fix that introduces `keras.` puts `import keras` in a cell or file. Only syntax:
 * whether `keras` is already bound is the caller's question.
 */
import { child, SyntaxNode } from './ast';
import type { OffsetEdit } from './rule';

/** A top-level `import tensorflow...` or `from tensorflow... import` statement. */
function isTensorflowImport(stmt: SyntaxNode, text: string): boolean {
  if (stmt.type === 'import_statement') {
    return stmt.children.some(c => {
      const name = c.type === 'aliased_import' ? child(c, 'name') : c;
      return name !== null && /^tensorflow(\.|$)/.test(text.slice(name.start, name.end));
    });
  }
  if (stmt.type === 'import_from_statement') {
    const m = child(stmt, 'module_name');
    return m !== null && /^tensorflow(\.|$)/.test(text.slice(m.start, m.end));
  }
  return false;
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * Where `import keras` goes in a cell or file: after the import block that holds the
 * TensorFlow import, else after any docstring and `from __future__` imports.
 */
export function kerasImportInsertion(root: SyntaxNode, text: string): OffsetEdit {
  const stmts = root.children.filter(c => c.type !== 'comment');
  let after: SyntaxNode | null = null;
  const tfIndex = stmts.findIndex(s => isTensorflowImport(s, text));
  if (tfIndex >= 0) {
    let i = tfIndex;
    while (i + 1 < stmts.length && IMPORT_TYPES.has(stmts[i + 1].type)) {
      i++;
    }
    after = stmts[i];
  } else {
    let i = 0;
    if (stmts[0] && stmts[0].type === 'expression_statement' && stmts[0].children[0]?.type === 'string') {
      after = stmts[0];
      i = 1;
    }
    while (i < stmts.length && stmts[i].type === 'future_import_statement') {
      after = stmts[i];
      i++;
    }
  }
  // Keep the file's line endings.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!after) {
    // A `%%time`-style first line must stay first.
    const magicEnd = /^\s*%%/.test(text) ? text.indexOf('\n') + 1 : 0;
    if (magicEnd > 0 || /^\s*%%/.test(text)) {
      return magicEnd > 0
        ? { start: magicEnd, end: magicEnd, text: 'import keras' + eol, addsImport: 'keras' }
        : { start: text.length, end: text.length, text: eol + 'import keras', addsImport: 'keras' };
    }
    return { start: 0, end: 0, text: 'import keras' + eol, addsImport: 'keras' };
  }
  const lineEnd = text.indexOf('\n', after.end);
  if (lineEnd < 0) {
    return { start: text.length, end: text.length, text: eol + 'import keras', addsImport: 'keras' };
  }
  return { start: lineEnd + 1, end: lineEnd + 1, text: 'import keras' + eol, addsImport: 'keras' };
}
