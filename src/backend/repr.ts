/** Reading Python reprs that come back from the kernel. Pure: tested with jest. */

/**
 * The text/plain of a user expression is Python's repr of the returned str;
 * undo the repr to get the JSON text back.
 */
export function unreprString(repr: string): string {
  const text = repr.trim();
  const quote = text[0];
  if ((quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) {
    return text;
  }
  return text.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, escape: string) => {
    switch (escape[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'x':
      case 'u':
        return String.fromCharCode(parseInt(escape.slice(1), 16));
      default:
        return escape;
    }
  });
}
