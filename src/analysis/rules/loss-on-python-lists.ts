import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { argumentsByName, bindingScopeStart, callParts, escapeRegExp, valueBefore } from '../rule-helpers';

/** Loss functions of `keras.losses` that read `.shape` of their arguments, so fail on any Python list. */
const SHAPE_READING_FUNCTIONS = new Set(['sparse_categorical_crossentropy']);

/** Names in `keras.losses` that are not Loss classes. */
const NOT_LOSS_CLASSES = new Set(['Loss', 'Reduction', 'LossFunctionWrapper']);

/** The value a name holds at `at`: the last plain assignment before it, in its function or at the top of the cell. */
function valueOf(name: SyntaxNode, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const text = ctx.textOf(name);
  return valueBefore(text, at, ctx);
}

/** Characters of a literal of numbers in lists and tuples (`[[-3., 0], [-3, 0]]`). */
const NUMBER_DATA = /^[\s\d.eE+\-,[\]()]*$/;

/** The shape of a list comprehension (`[np.mean(i) for i in runs]`): a Python list whose nesting is not known. */
const LIST_OF_UNKNOWN_NESTING = 'list';

/** Whether `[...]` is a list comprehension: a `for` clause at its top level (strings left out). */
function isListComprehension(literal: string): boolean {
  const body = literal.slice(1, -1).replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ('([{'.includes(c)) {
      depth++;
    } else if (')]}'.includes(c)) {
      depth--;
    } else if (depth === 0 && /\sfor\s/.test(body.slice(i, i + 5)) && /[^\s]/.test(body.slice(0, i))) {
      return true;
    }
  }
  return false;
}

/**
 * What the text of a value is: `'list'` for a list comprehension (a Python list of unknown nesting), the nesting of a list or tuple literal of numbers (`[[_,_],[_,_]]`,
 * what Keras 3's `tree.map_structure` pairs up), `'call'` for a call's result (an array or a
 * tensor, never a list), or null.
 */
function valueShape(text: string, start: number): string | null {
  const open = text[start];
  if (open === '[' || open === '(') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '[' || c === '(') {
        depth++;
      } else if (c === ']' || c === ')') {
        depth--;
        if (depth === 0) {
          const literal = text.slice(start, i + 1);
          if (open === '[' && isListComprehension(literal)) {
            return LIST_OF_UNKNOWN_NESTING;
          }
          return NUMBER_DATA.test(literal) && /\d/.test(literal)
            ? literal
                .replace(/\s+/g, '')
                .replace(/[^[\](),]+/g, '_')
                .replace(/,([\])])/g, '$1')
            : null;
        }
      }
    }
    return null;
  }
  return /^[A-Za-z_][\w.]*\s*\(/.test(text.slice(start, start + 200)) ? 'call' : null;
}

/**
 * The shape (see valueShape) of an argument: a literal in the call, or a name's last assignment
 * before the call, found in the cell's text (a plain `name = [...]` statement has no Keras word, and
 * the analysis leaves such statements out of the tree it walks).
 */
function argumentShape(arg: SyntaxNode, at: SyntaxNode, ctx: RuleContext): string | null {
  if (arg.type !== 'identifier') {
    return valueShape(ctx.text, arg.start);
  }
  // A parameter or local of an enclosing function (`def test_step(inputs, targets)`, `inputs, targets = data`):
  // only assignments inside that function give its value, never a module-level list of the same name.
  const name = ctx.textOf(arg);
  const from = bindingScopeStart(name, ctx);
  const before = ctx.text.slice(0, at.start);
  const assignment = new RegExp(`(?:^|\\n)[ \\t]*${escapeRegExp(name)}[ \\t]*=(?!=)[ \\t]*`, 'g');
  let last: RegExpExecArray | null = null;
  for (let m = assignment.exec(before); m; m = assignment.exec(before)) {
    if (m.index >= from) {
      last = m;
    }
  }
  return last ? valueShape(ctx.text, last.index + last[0].length) : null;
}

/** The Keras loss a callee is: a Loss class instance (`'instance'`), a shape-reading loss function (`'function'`), or null. */
function lossKind(fn: SyntaxNode, at: SyntaxNode, ctx: RuleContext): 'instance' | 'function' | null {
  const direct = ctx.resolveKeras(fn);
  const fnMatch = direct ? /^keras\.losses\.(\w+)$/.exec(direct) : null;
  if (fnMatch && SHAPE_READING_FUNCTIONS.has(fnMatch[1])) {
    return 'function';
  }
  const constructed = fn.type === 'identifier' ? valueOf(fn, at, ctx) : fn.type === 'call' ? fn : null;
  const ctor = constructed?.type === 'call' ? child(constructed, 'function') : null;
  const resolved = ctor ? ctx.resolveKeras(ctor) : null;
  const cls = resolved ? /^keras\.losses\.([A-Z]\w*)$/.exec(resolved) : null;
  return cls && !NOT_LOSS_CLASSES.has(cls[1]) ? 'instance' : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat) {
    return;
  }
  const kind = lossKind(parts.fn, node, ctx);
  if (!kind) {
    return;
  }
  const args = argumentsByName(parts, ['y_true', 'y_pred']);
  const yTrue = args.get('y_true');
  const yPred = args.get('y_pred');
  if (!yTrue || !yPred) {
    return;
  }
  const trueShape = argumentShape(yTrue, node, ctx);
  const predShape = argumentShape(yPred, node, ctx);
  const trueList = trueShape !== null && trueShape !== 'call';
  const predList = predShape !== null && predShape !== 'call';
  // A loss object fails on a list paired with a list of another nesting or with an array (a call's
  // result); a list comprehension (nesting unknown) is known to differ only from an array.
  const unknownNesting = trueShape === LIST_OF_UNKNOWN_NESTING || predShape === LIST_OF_UNKNOWN_NESTING;
  const differs = unknownNesting ? trueShape === 'call' || predShape === 'call' : trueShape !== predShape;
  const fails = kind === 'function' ? trueList || predList : (trueList || predList) && trueShape !== null && predShape !== null && differs;
  if (!fails) {
    return;
  }
  const edits: OffsetEdit[] = [];
  for (const [arg, isList] of [
    [yTrue, trueList],
    [yPred, predList]
  ] as const) {
    if (isList) {
      edits.push({ start: arg.start, end: arg.end, text: `keras.ops.convert_to_tensor(${ctx.textOf(arg)})` });
    }
  }
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  const what = kind === 'function' ? 'This loss function reads the `.shape` of its arguments, which a Python list lacks' : "Keras 3's Loss objects pair up the structures of `y_true` and `y_pred` element by element before converting them, so a Python list whose nesting differs from the other argument's fails (\"Structures don't have the same nested structure\")";
  ctx.report(
    node,
    `${what}, on every backend; Keras 2 converted the lists to tensors first. Pass tensors: \`keras.ops.convert_to_tensor([...])\`.`,
    { title: 'Wrap the list arguments in `keras.ops.convert_to_tensor(...)`', safe: true, edits }
  );
}

export const lossOnPythonLists: RuleDefinition = {
  code: 'KM268',
  name: 'loss-on-python-lists',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  requires: ['losses'],
  docs: {
    whatItDoes:
      'Flags a Keras loss object called on Python lists whose nesting differs (`scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])`, the Keras 2 docstring example, or sparse labels in a list against a prediction array), directly or through names bound to list literals; a list comprehension (`mean_acc = [np.mean(i) for i in runs]`) paired with an array (the result of a call, as in the keras.io learning-curve fit `mse(exp_func(x, a, b), mean_acc)`); and `keras.losses.sparse_categorical_crossentropy` called on a list. The fix wraps the list arguments in `keras.ops.convert_to_tensor(...)`.',
    why:
      'Keras 2 converted `y_true` and `y_pred` to tensors before computing. Keras 3\'s `Loss.__call__` maps the conversion over the two structures together, so a flat label list against a nested prediction list (or an array) raises "Structures don\'t have the same nested structure" (or a node-arity mismatch) on TensorFlow, JAX and PyTorch, and `sparse_categorical_crossentropy` reads `y_pred.shape` (checked on Keras 3.15 with the TensorFlow image-segmentation tutorial\'s `loss(label, prediction, sample_weight)`). Lists of the same nesting still work and are not flagged. `keras.ops.convert_to_tensor` gives the tensors Keras 2 made, so the fix is safe: the flagged call fails as written.',
    example:
      'import keras\nscce = keras.losses.SparseCategoricalCrossentropy()\nprint(scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))',
    useInstead:
      'import keras\nscce = keras.losses.SparseCategoricalCrossentropy()\nprint(scce(keras.ops.convert_to_tensor([1, 2]), keras.ops.convert_to_tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])))'
  },
  visitors: { call: visit }
};
