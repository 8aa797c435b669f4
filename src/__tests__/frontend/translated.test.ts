/**
 * User-facing words in the front end go through JupyterLab's translator (ITranslator):
 * no English literal reaches a place the user reads (text of a built element, a
 * textContent/title/caption, a command's label or caption, a dialog, a notification).
 * Read from the TypeScript syntax tree of the UI sources, so a new view cannot slip
 * an untranslated string in.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.resolve(__dirname, '../..');
const UI_DIRS = ['lint', 'backend', 'explainui', 'runner'];

/** Literal text (templates: their literal parts) that holds words. */
function words(node: ts.Node): string | null {
  let text: string;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    text = node.text;
  } else if (ts.isTemplateExpression(node)) {
    text = [node.head.text, ...node.templateSpans.map(span => span.literal.text)].join(' ');
  } else {
    return null;
  }
  // Code shown as code (`%load_ext keras_migrate`) is not prose.
  return /[A-Za-z]{2,}/.test(text) && !/^%load_ext /.test(text) ? text : null;
}

/** Where a literal is read by the user: the expressions given to text sinks. */
function sinks(node: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  if (ts.isCallExpression(node)) {
    const callee = node.expression.getText();
    // el(tag, className, text) / element(tag, className, text): the text of a built element.
    if (/^(el|element)$/.test(callee) && node.arguments[2]) {
      found.push(node.arguments[2]);
    }
    if (/^Notification\.\w+$/.test(callee) && node.arguments[0]) {
      found.push(node.arguments[0]);
    }
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    if (ts.isPropertyAccessExpression(node.left) && /^(textContent|title|caption|label|placeholder)$/.test(node.left.name.text)) {
      found.push(node.right);
    }
  }
  if (ts.isPropertyAssignment(node) && /^(label|caption|title|body|category)$/.test(node.name.getText())) {
    found.push(node.initializer);
  }
  return found;
}

/** Literals in `expression` that reach the sink as they are (through ?:, ??, ||, + and parentheses). */
function literalsReaching(expression: ts.Node): ts.Node[] {
  if (ts.isParenthesizedExpression(expression)) {
    return literalsReaching(expression.expression);
  }
  if (ts.isConditionalExpression(expression)) {
    return [...literalsReaching(expression.whenTrue), ...literalsReaching(expression.whenFalse)];
  }
  if (ts.isBinaryExpression(expression) && /^(\?\?|\|\||\+)$/.test(expression.operatorToken.getText())) {
    return [...literalsReaching(expression.left), ...literalsReaching(expression.right)];
  }
  return words(expression) !== null ? [expression] : [];
}

function untranslated(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true);
  const problems: string[] = [];
  const visit = (node: ts.Node) => {
    for (const sink of sinks(node)) {
      for (const literal of literalsReaching(sink)) {
        const line = source.getLineAndCharacterOfPosition(literal.getStart()).line + 1;
        problems.push(`${path.relative(SRC, file)}:${line}: ${literal.getText()}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

const files = UI_DIRS.flatMap(dir =>
  fs
    .readdirSync(path.join(SRC, dir))
    .filter(name => name.endsWith('.ts'))
    .map(name => path.join(SRC, dir, name))
);

test('the UI sources are there to check', () => {
  expect(files.length).toBeGreaterThan(20);
});

test('no English literal reaches the user without the translator', () => {
  expect(files.flatMap(untranslated)).toEqual([]);
});

test('the check sees literals in each kind of place the user reads', () => {
  const probe = path.join(require('os').tmpdir(), `translated-probe-${process.pid}.ts`);
  fs.writeFileSync(
    probe,
    [
      "el('p', 'x', 'Open a notebook');",
      "node.textContent = `Ran at ${when}`;",
      "app.commands.addCommand('x', { label: 'Run it', caption: ok ? t.__('Fine') : 'Not fine' });",
      "Notification.info('Done.');",
      "el('p', 'x', t.__('Open a notebook'));",
      "el('code', '', '%load_ext keras_migrate');"
    ].join('\n')
  );
  try {
    expect(untranslated(probe).map(p => p.replace(/^.*?:(\d+): /, '$1: '))).toEqual([
      "1: 'Open a notebook'",
      '2: `Ran at ${when}`',
      "3: 'Run it'",
      "3: 'Not fine'",
      "4: 'Done.'"
    ]);
  } finally {
    fs.unlinkSync(probe);
  }
});
