/**
 * Fix edits inside f-string interpolations. The rules see the expressions in `f"{x.numpy():.4f}"`
 * (ast.ts copies a string's interpolations), so a fix may replace text between the braces. Up
 * to Python 3.11 that text is read by the string's tokenizer first: it may not hold the quote
 * character of any f-string around it, a backslash or a `#`, nor a line break in a string that is
 * not triple-quoted, and a `:` or `!` outside brackets and strings would start the format
 * specifier or conversion. A replacement is made to fit (its string literals take the other
 * quote) or the fix is dropped; an edit that cuts an interpolation in two drops it too.
 * A self-documenting interpolation (`{x.numpy()=}`) prints its expression's text: an edit there
 * keeps the printed label by writing the old text before the braces (`x.numpy()={...!r}`).
 */
import type { SyntaxNode } from './ast';
import type { OffsetEdit } from './rule';

/** A quote after one of the prefix letters of an f-string (or t-string). */
const MAY_HAVE_FSTRING = /[fFtT][rR]?['"]|[rR][fFtT]['"]/;

/** Whether a text may have an f-string at all (where it has none, no edit needs fitting). */
export function mayHaveFString(text: string): boolean {
  return MAY_HAVE_FSTRING.test(text);
}

/** The quote of a string literal node (`"`, `'`) and whether it is tripled. */
interface Quote {
  quote: string;
  triple: boolean;
}

function quoteOf(string: SyntaxNode, text: string): Quote {
  let i = string.start;
  while (i < string.end && /[a-zA-Z]/.test(text[i])) {
    i++;
  }
  const quote = text[i] === "'" ? "'" : '"';
  return { quote, triple: text.startsWith(quote.repeat(3), i) };
}

/** The child of `node` strictly around `offset` (children are in text order), or null. */
function childAround(node: SyntaxNode, offset: number): SyntaxNode | null {
  const kids = node.children;
  let lo = 0;
  let hi = kids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = kids[mid];
    if (c.end <= offset) {
      lo = mid + 1;
    } else if (c.start >= offset) {
      hi = mid - 1;
    } else {
      return c;
    }
  }
  return null;
}

/** The interpolations strictly around `offset` (the braces excluded), outermost first. */
export function interpolationsAt(root: SyntaxNode, offset: number): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let n = childAround(root, offset); n; n = childAround(n, offset)) {
    if (n.type === 'interpolation') {
      found.push(n);
    }
  }
  return found;
}

/**
 * `text` rewritten to stand between the braces of interpolations in strings quoted as `quotes`
 * (Python 3.8 to 3.11 rules, which newer versions accept too), or null when it cannot.
 */
export function fitInInterpolation(text: string, quotes: readonly Quote[]): string | null {
  if (/[\\#]/.test(text) || (/[\r\n]/.test(text) && quotes.some(q => !q.triple))) {
    return null;
  }
  const forbidden = new Set(quotes.map(q => q.quote));
  if (!/['":!]/.test(text)) {
    return text;
  }
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '"' || c === "'") {
      if (text.startsWith(c.repeat(3), i)) {
        // A triple-quoted literal keeps its quotes: fine unless they clash.
        const close = text.indexOf(c.repeat(3), i + 3);
        if (close < 0 || forbidden.has(c)) {
          return null;
        }
        out += text.slice(i, close + 3);
        i = close + 3;
        continue;
      }
      const close = text.indexOf(c, i + 1);
      if (close < 0) {
        return null;
      }
      const body = text.slice(i + 1, close);
      if (forbidden.has(c)) {
        const other = c === '"' ? "'" : '"';
        if (forbidden.has(other) || body.includes(other)) {
          return null;
        }
        out += other + body + other;
      } else {
        out += text.slice(i, close + 1);
      }
      i = close + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    } else if (depth <= 0 && (c === ':' || (c === '!' && text[i + 1] !== '='))) {
      return null;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * Where `interpolation` is self-documenting (`{expr=}`, `{expr = :.2f}`): the offset of its `=` and
 * the end of the label Python prints (the text from the brace through the `=` and the spaces after
 * it); else null.
 */
function selfDocumentingLabel(interpolation: SyntaxNode, text: string): { equals: number; labelEnd: number } | null {
  const expression = interpolation.children[0];
  if (!expression) {
    return null;
  }
  let i = expression.end;
  while (i < interpolation.end && /\s/.test(text[i])) {
    i++;
  }
  if (text[i] !== '=' || text[i + 1] === '=') {
    return null;
  }
  let end = i + 1;
  while (end < interpolation.end && /\s/.test(text[end])) {
    end++;
  }
  return { equals: i, labelEnd: end };
}

/**
 * The edits that keep a self-documenting interpolation's printed text when its expression
 * changes: the old label as literal text before the brace (braces doubled), the `=` dropped, and
 * `!r` where Python's `=` used repr (no conversion, no format specifier). Null when an edit
 * reaches past the expression.
 */
function labelEdits(interpolation: SyntaxNode, text: string, edits: readonly OffsetEdit[]): OffsetEdit[] | null {
  const label = selfDocumentingLabel(interpolation, text);
  if (!label) {
    return [];
  }
  const expressionEnd = interpolation.children[0].end;
  if (edits.some(e => e.start < interpolation.end && e.end > interpolation.start && e.end > expressionEnd)) {
    return null;
  }
  const formatted = interpolation.children.some(c => c.type === 'type_conversion' || c.type === 'format_specifier');
  return [
    { start: interpolation.start, end: interpolation.start, text: text.slice(interpolation.start + 1, label.labelEnd).replace(/[{}]/g, '$&$&') },
    { start: label.equals, end: label.labelEnd, text: formatted ? '' : '!r' }
  ];
}

/**
 * The edits of a fix as they can apply to `text` (the cell whose copy is `root`): those inside an
 * f-string interpolation rewritten to fit there (fitInInterpolation), or null when one cannot be
 * or cuts an interpolation (one end inside it, the other not).
 */
export function fitEditsToStrings(root: SyntaxNode, text: string, edits: readonly OffsetEdit[]): OffsetEdit[] | null {
  let fitted: OffsetEdit[] | null = null;
  const labelled = new Set<SyntaxNode>();
  for (let k = 0; k < edits.length; k++) {
    const edit = edits[k];
    const around = interpolationsAt(root, edit.start);
    const aroundEnd = edit.end === edit.start ? around : interpolationsAt(root, edit.end);
    if (around.length !== aroundEnd.length || around.some((n, i) => aroundEnd[i] !== n)) {
      return null;
    }
    if (around.length === 0) {
      continue;
    }
    for (const n of around) {
      labelled.add(n);
    }
    const quotes = around.map(n => quoteOf(n.parent ?? n, text));
    let replacement = fitInInterpolation(edit.text, quotes);
    if (replacement === null) {
      return null;
    }
    // `{` right after the interpolation's own brace would make an escaped `{{`.
    if (replacement.startsWith('{') && edit.start === around[around.length - 1].start + 1) {
      replacement = ' ' + replacement;
    }
    if (replacement !== edit.text) {
      fitted ??= edits.slice();
      fitted[k] = { ...edit, text: replacement };
    }
  }
  for (const n of labelled) {
    const more = labelEdits(n, text, edits);
    if (more === null) {
      return null;
    }
    if (more.length > 0) {
      fitted = [...(fitted ?? edits), ...more];
    }
  }
  return fitted ?? (edits as OffsetEdit[]);
}
