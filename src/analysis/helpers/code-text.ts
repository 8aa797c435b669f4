/** Text searches over code only. Not a rule. */
import type { OffsetEdit } from '../rule';
import { lineStartAt } from '../text';

/**
 * The text with its triple-quoted strings (docstrings) and comments blanked, newlines kept (same
 * length, same offsets): for text searches that must not find code quoted in a docstring (a
 * program's docstring describing `self.n_acum_step` is no use of it).
 */
export function codeOnly(text: string): string {
  return text.replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|#[^\n]*/g, m => m.replace(/[^\n\r]/g, ' '));
}

/** Top-level pieces of `text` split at `separator` (outside brackets and quotes); null on triple quotes or unbalanced text. */
export function splitTopLevel(text: string, separator: string): string[] | null {
  if (text.includes('"""') || text.includes("'''")) {
    return null;
  }
  const pieces: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === quote) {
        quote = '';
      }
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      return null; // a comment inside the expression: not worth reading around
    } else if ('([{'.includes(c)) {
      depth++;
    } else if (')]}'.includes(c)) {
      depth--;
    } else if (depth === 0 && c === separator) {
      pieces.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0 || quote) {
    return null;
  }
  pieces.push(text.slice(start).trim());
  return pieces;
}

/**
 * The offset of the bracket closing the one at `open` (`(`, `[` or `{`), nested brackets counted;
 * the text's length when nothing closes it. Brackets inside strings count too: give it code whose
 * strings hold none that matter (`codeOnly` text, an expression).
 */
export function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if ((c === ')' || c === ']' || c === '}') && --depth === 0) {
      return i;
    }
  }
  return text.length;
}

/**
 * The offsets where `name` stands in `text` as a whole word followed by what `after` matches (a
 * pattern anchored with `^`, tried on the next 40 characters): `model.compile(`, `model = `. One
 * scan of the name's occurrences, with no pattern built from the name.
 */
export function nameOffsetsFollowedBy(name: string, text: string, after: RegExp): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(name); name && i >= 0; i = text.indexOf(name, i + 1)) {
    if ((i === 0 || !/\w/.test(text[i - 1])) && after.test(text.slice(i + name.length, i + name.length + 40))) {
      found.push(i);
    }
  }
  return found;
}

/**
 * The edit deleting a statement that stands alone on its line(s): its indentation, a trailing
 * comment and the line break go too. Null when other code shares those lines.
 */
export function statementLinesDeletion(statement: { start: number; end: number }, text: string): OffsetEdit | null {
  const start = lineStartAt(text, statement.start);
  const rest = /^[ \t]*(#[^\r\n]*)?(\r\n|\r|\n|$)/.exec(text.slice(statement.end, statement.end + 4096));
  return text.slice(start, statement.start).trim() === '' && rest ? { start, end: statement.end + rest[0].length, text: '' } : null;
}
