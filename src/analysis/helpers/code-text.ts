/** Text searches over code only. Not a rule. */

/**
 * The text with its triple-quoted strings (docstrings) and comments blanked, newlines kept (same
 * length, same offsets): for text searches that must not find code quoted in a docstring (a
 * program's docstring describing `self.n_acum_step` is no use of it).
 */
export function codeOnly(text: string): string {
  return text.replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|#[^\n]*/g, m => m.replace(/[^\n\r]/g, ' '));
}
