/** Text searches over code only. Not a rule. */

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
