/**
 * IPython syntax is not Python. Before parsing, every piece of IPython-only syntax is
 * replaced by spaces of the same length (newlines kept), so tree-sitter sees valid Python,
 * node positions still match the user's text, and nothing inside a magic is ever flagged.
 */

/** Cell magics whose body is ordinary Python: only their first line is masked. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'profile']);

const HELP_LINE = /^\s*(?:\?\??[\w.*]+|[\w.*]+\?\??)\s*$/;
/** `x = !ls`, `a, b = %who_ls`: keep the target, neutralise the right-hand side. */
const ASSIGNED_MAGIC = /^(\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)([!%])/;

function blank(text: string): string {
  return text.replace(/[^\n\r]/g, ' ');
}

/** Whether the cell starts with a cell magic whose body is not Python (`%%bash`, `%%writefile`): the whole cell is masked. */
export function hasForeignCellMagic(source: string): boolean {
  const head = source.split('\n').find(l => l.trim() !== '')?.trimStart() ?? '';
  return head.startsWith('%%') && !PYTHON_BODY_CELL_MAGICS.has(head.slice(2).split(/\s/)[0]);
}

/** Returns text of identical length in which IPython-only lines are blanked. */
export function maskIPython(source: string): string {
  // Fast path: most cells have none of the trigger characters at a line start.
  if (!/(^|\n)[ \t]*[%!?]|\?[ \t]*(\n|$)|=[ \t]*[!%]/.test(source)) {
    return source;
  }
  const lines = source.split('\n');
  const firstCode = lines.findIndex(l => l.trim() !== '');
  if (firstCode >= 0 && lines[firstCode].trimStart().startsWith('%%')) {
    if (hasForeignCellMagic(source)) {
      return blank(source);
    }
    lines[firstCode] = blank(lines[firstCode]);
  }
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const body = line.replace(/\r$/, '');
    if (continued) {
      lines[i] = blank(line);
      continued = body.endsWith('\\');
      continue;
    }
    const trimmed = body.trimStart();
    if (trimmed.startsWith('%') || trimmed.startsWith('!')) {
      lines[i] = blank(line);
      continued = body.endsWith('\\');
      continue;
    }
    if (trimmed.endsWith('?') && !trimmed.startsWith('#') && HELP_LINE.test(body)) {
      lines[i] = blank(line);
      continue;
    }
    const assigned = ASSIGNED_MAGIC.exec(body);
    if (assigned) {
      const keep = assigned[1];
      // A placeholder name keeps the assignment valid Python of the same length.
      lines[i] = keep + '_' + blank(line.slice(keep.length + 1));
      continued = body.endsWith('\\');
    }
  }
  return lines.join('\n');
}
