import { child, identifiersIn, rootOf, SyntaxNode } from '../ast';
import { CellMemoKey } from '../rule';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { bindsModuleName, calleeName, callParts, lastAssignedValue, valueBefore } from '../rule-helpers';
import { isDataset, looksLikeDataset, mappedNameCalls, valuesOfName } from '../helpers/tf-data';

const TEXT_VECTORIZATION = new Set(['keras.layers.TextVectorization', 'keras.layers.experimental.preprocessing.TextVectorization']);

/** The fact a cell notes for `NAME = TextVectorization(standardize=<function>)`: other cells may map it. */
const fact = (name: string): string => `text-vectorization-standardize-function:${name}`;

/**
 * The `standardize=` argument of a `TextVectorization(...)` call when it is a function (a name,
 * an attribute, a lambda, a `functools.partial(...)`), not one of the built-in strings or None.
 */
function standardizeFunction(value: SyntaxNode | null, ctx: RuleContext): SyntaxNode | null {
  const parts = value && value.type === 'call' ? callParts(value, ctx) : null;
  if (!parts || !TEXT_VECTORIZATION.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return null;
  }
  // TextVectorization(max_tokens, standardize, split, ...)
  const arg = parts.keywords.get('standardize')?.value ?? parts.positional[1];
  if (!arg || arg.type === 'string' || arg.type === 'none' || arg.type === 'concatenated_string') {
    return null;
  }
  return arg.type === 'identifier' || arg.type === 'attribute' || arg.type === 'lambda' || arg.type === 'call' ? arg : null;
}

function message(name: string, fn: string | null): string {
  return (
    `\`${name}\` is a \`TextVectorization\` with a Python \`standardize\` function${fn ? ` (\`${fn}\`)` : ''}, called inside \`tf.data.Dataset.map()\`: ` +
    'since Keras 3.15 the layer hands that function NumPy strings on JAX and PyTorch, which a traced tf.data map cannot give ' +
    '("Cannot convert a symbolic tf.Tensor to a numpy array"). Build the layer with `standardize=None` and apply the function ' +
    'in the pipeline yourself, before the layer and before `adapt()` (`ds.map(lambda x: layer(standardize(x)))`), or use a built-in standardize string.'
  );
}

/**
 * The suggested fix for the layer `name = TextVectorization(..., standardize=fn)` assigned at the
 * top of the cell (`fn` a name): `standardize=None`, every call `name(x)` of the cell becomes
 * `name(fn(x))` and every `name.adapt(data)` adapts on `fn(data)` (`data.map(fn)` for a dataset).
 * Null (no fix) where the layer is used otherwise (given to a model, called on a model input,
 * passed on) or assigned again: then the message says what to do.
 */
/** Whether an expression is (a name last assigned) `keras.Input(...)` or a layer's output `Layer(...)(x)`: a KerasTensor wherever the rule stands. */
function isKerasTensor(node: SyntaxNode, ctx: RuleContext): boolean {
  const value = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) : node;
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn) {
    return false;
  }
  return fn.type === 'call' || /^keras\.(layers\.)?(Input|InputLayer)$/.test(ctx.resolveKeras(fn) ?? '');
}

/** Expressions `.map(...)` can follow without parentheses. */
const PRIMARY = new Set(['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression']);

/**
 * The edits that apply `fn` before every use of the layer `name` in `root` after `after`: calls
 * `name(x)` become `name(fn(x))`, `name.adapt(data)` adapts on `fn(data)` (`data.map(fn)` for a
 * dataset), `ds.map(name)` maps `lambda text: name(fn(text))`. Null where a use cannot take that
 * (given to a model, called on a model input, passed on, assigned again). `used`: any use at all.
 */
function usesEdits(name: string, fn: string, root: SyntaxNode, after: number, ctx: RuleContext): { edits: OffsetEdit[]; used: boolean } | null {
  const edits: OffsetEdit[] = [];
  let used = false;
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    stack.push(...n.children);
    if (n.type !== 'identifier' || n.start < after || ctx.textOf(n) !== name) {
      continue;
    }
    const parent = n.parent!;
    if ((parent.type === 'attribute' && child(parent, 'attribute') === n) || (parent.type === 'keyword_argument' && child(parent, 'name') === n)) {
      continue;
    }
    used = true;
    if (parent.type === 'call' && child(parent, 'function') === n) {
      const parts = callParts(parent, ctx);
      const x = parts && !parts.splat && parts.keywords.size === 0 && parts.positional.length === 1 ? parts.positional[0] : null;
      if (!x || ctx.isSymbolic(x) || isKerasTensor(x, ctx)) {
        return null; // on a model input (a KerasTensor) the function's tf.strings ops cannot run
      }
      edits.push({ start: x.start, end: x.end, text: `${fn}(${ctx.textOf(x)})` });
      continue;
    }
    // `text_ds.map(vectorize_layer)`: the layer itself mapped, each element one batch of strings.
    const mapCall = parent.type === 'argument_list' && parent.parent?.type === 'call' ? parent.parent : null;
    const mapParts = mapCall ? callParts(mapCall, ctx) : null;
    if (mapParts && mapParts.positional[0] === n && mapParts.fn.type === 'attribute' && calleeName(mapParts.fn, ctx) === 'map' && isDataset(child(mapParts.fn, 'object'), ctx)) {
      edits.push({ start: n.start, end: n.end, text: `lambda text: ${name}(${fn}(text))` });
      continue;
    }
    if (parent.type === 'attribute' && child(parent, 'object') === n) {
      const holder = parent.parent;
      if (calleeName(parent, ctx) === 'adapt' && holder?.type === 'call' && child(holder, 'function') === parent) {
        const parts = callParts(holder, ctx);
        const data = parts && !parts.splat ? (parts.keywords.get('data')?.value ?? parts.positional[0]) : null;
        if (!data) {
          return null;
        }
        const text = ctx.textOf(data);
        edits.push({ start: data.start, end: data.end, text: looksLikeDataset(data, ctx) ? `${PRIMARY.has(data.type) ? text : `(${text})`}.map(${fn})` : `${fn}(${text})` });
      }
      continue; // `get_vocabulary()`, `vocabulary_size()`: no strings
    }
    return null; // given to a model, assigned again, passed on
  }
  return { edits, used };
}

/** The name later cells call the layer's standardize function by, which the fix of its definition binds. */
const aliasOf = (name: string): string => `${name}_standardize`;

/**
 * The assignment statement `name = TextVectorization(...)` of `value`, when `standardize` is a name:
 * at the top of the cell, or in a function's body (`def main():`, a script's habit) that keeps the
 * name local (no `global` / `nonlocal` of it), so that every use is in that body.
 */
function definitionStatement(value: SyntaxNode, standardize: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const assignment = value.parent;
  const statement = assignment?.parent?.type === 'expression_statement' ? assignment.parent : assignment;
  if (!assignment || assignment.type !== 'assignment' || (standardize.type !== 'identifier' && standardize.type !== 'attribute')) {
    return null;
  }
  const scope = statement?.parent;
  if (scope?.type === 'module') {
    return statement;
  }
  const target = child(assignment, 'left');
  const local =
    scope?.type === 'block' &&
    scope.parent?.type === 'function_definition' &&
    target?.type === 'identifier' &&
    !identifiersIn(scope).some(id => (id.parent?.type === 'global_statement' || id.parent?.type === 'nonlocal_statement') && ctx.textOf(id) === ctx.textOf(target));
  return local ? statement : null;
}

function standardizeFix(name: string, value: SyntaxNode, standardize: SyntaxNode, ctx: RuleContext): RawFix | null {
  const statement = definitionStatement(value, standardize, ctx);
  const uses = statement ? usesEdits(name, ctx.textOf(standardize), statement.parent!, value.parent!.end, ctx) : null;
  if (!uses) {
    return null;
  }
  const fn = ctx.textOf(standardize);
  return { title: `Apply \`${fn}\` before the layer (\`standardize=None\`)`, safe: false, edits: [{ start: standardize.start, end: standardize.end, text: 'None' }, ...uses.edits] };
}

/** Noted in a cell that uses a layer made in an earlier cell: `tv-used:NAME`, and `tv-use-unfixable:NAME` where a use cannot get the function applied first. */
const USED = 'tv-used:';
const UNFIXABLE = 'tv-use-unfixable:';
/** Noted where the layer is called in (or mapped by) a tf.data map. */
const MAPPED = 'tv-mapped:';
/** Noted by the defining cell when its own uses can all get the function applied first (its fix then binds the alias). */
const FIXABLE_DEF = 'tv-fixable-definition:';

interface LaterUses {
  /** Per layer made in an earlier cell: the edits applying its alias before each use here, or null. */
  edits: Map<string, { edits: OffsetEdit[]; first: SyntaxNode } | null>;
  /** The layers a finding of this cell's map calls carries the edits of. */
  reported: Set<string>;
  /** The nodes reported at. */
  sites: Set<SyntaxNode>;
}
const LATER_USES = new CellMemoKey<LaterUses>('tv-later-uses');

/** Layers of earlier cells this cell uses (names bound to a layer and not assigned here). */
function laterUses(root: SyntaxNode, ctx: RuleContext): LaterUses {
  return ctx.cellMemo(LATER_USES, () => {
    const edits = new Map<string, { edits: OffsetEdit[]; first: SyntaxNode } | null>();
    const seen = new Set<string>();
    for (const id of identifiersIn(root)) {
      const name = ctx.textOf(id);
      if (seen.has(name) || ctx.lookup(name)?.kind !== 'layer') {
        continue;
      }
      seen.add(name);
      if (new RegExp(`^[ \\t]*${name}[ \\t]*(:[^=\\n]*)?=(?!=)`, 'm').test(ctx.text)) {
        continue; // made (again) in this cell
      }
      const uses = usesEdits(name, aliasOf(name), root, 0, ctx);
      if (uses && !uses.used) {
        continue;
      }
      ctx.note(USED + name);
      if (!uses) {
        ctx.note(UNFIXABLE + name);
      }
      edits.set(name, uses ? { edits: uses.edits, first: id } : null);
    }
    return { edits, reported: new Set(), sites: new Set() };
  });
}

/** A map-site finding for the layer `name` made in an earlier cell: with this cell's edits when the whole notebook's fix holds. */
function reportLater(node: SyntaxNode, name: string, ctx: RuleContext): void {
  ctx.note(MAPPED + name);
  const later = laterUses(rootOf(node), ctx);
  // One call reached from several map calls (`train_ds.map(f)`, `val_ds.map(f)`): one finding.
  if (later.sites.has(node)) {
    return;
  }
  later.sites.add(node);
  const uses = later.edits.get(name);
  const def = `earlier:${fact(name)}`;
  const whole = `earlier:${FIXABLE_DEF}${name} & !anywhere:${UNFIXABLE}${name}`;
  if (uses && uses.edits.length > 0 && !later.reported.has(name)) {
    later.reported.add(name);
    const fix = { title: `Apply the layer's standardize function (\`${aliasOf(name)}\`) before the layer`, safe: false, edits: uses.edits };
    ctx.report(node, message(name, null), fix, undefined, `${def} & ${whole}`);
    ctx.report(node, message(name, null), null, undefined, `${def} & !earlier:${FIXABLE_DEF}${name} | ${def} & anywhere:${UNFIXABLE}${name}`);
    return;
  }
  ctx.report(node, message(name, null), null, undefined, def);
}

/** After the cell's map calls: a cell that only adapts or calls such a layer outside a map gets its part of the fix too. */
function visitModuleExit(node: SyntaxNode, ctx: RuleContext): void {
  const later = laterUses(node, ctx);
  for (const [name, uses] of later.edits) {
    if (!uses || uses.edits.length === 0 || later.reported.has(name)) {
      continue;
    }
    ctx.report(
      uses.first,
      `\`${name}\`, a \`TextVectorization\` whose Python \`standardize\` function runs inside a \`tf.data\` map elsewhere (failing on JAX and PyTorch since Keras 3.15), gets standardized strings here too once the fix builds it with \`standardize=None\`: part of that fix.`,
      { title: `Apply the layer's standardize function (\`${aliasOf(name)}\`) before the layer`, safe: false, edits: uses.edits },
      undefined,
      `earlier:${fact(name)} & earlier:${FIXABLE_DEF}${name} & !anywhere:${UNFIXABLE}${name} & anywhere:${MAPPED}${name}`,
      []
    );
  }
}

/** A map-site finding for a layer made in this cell: the cell's fix when no later cell uses the layer (else the definition's finding fixes). */
function reportHere(node: SyntaxNode, name: string, value: SyntaxNode, standardize: SyntaxNode, how: string, ctx: RuleContext): void {
  ctx.note(MAPPED + name);
  const text = message(name, standardize.type === 'lambda' ? null : ctx.textOf(standardize));
  const fix = standardizeFix(name, value, standardize, ctx);
  if (!fix || !definitionStatement(value, standardize, ctx)) {
    ctx.report(node, text, fix);
    return;
  }
  ctx.report(node, text + how, fix, undefined, `!later:${USED}${name}`);
  ctx.report(node, text, null, undefined, `later:${USED}${name}`);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // `layer = TextVectorization(standardize=fn)` at the top of the cell: a later cell may map it.
  const left = node.parent?.type === 'assignment' && node.field === 'right' ? child(node.parent, 'left') : null;
  const defined = left && left.type === 'identifier' && bindsModuleName(ctx.textOf(left), ctx) ? standardizeFunction(node, ctx) : null;
  if (defined) {
    const target = child(node.parent!, 'left');
    if (target && target.type === 'identifier') {
      const name = ctx.textOf(target);
      ctx.note(fact(name));
      // Used in later cells too: the fix here binds the function to an alias those cells apply.
      const fix = standardizeFix(name, node, defined, ctx);
      const statement = definitionStatement(node, defined, ctx);
      if (fix && statement) {
        ctx.note(FIXABLE_DEF + name);
        const alias = `\n${aliasOf(name)} = ${ctx.textOf(defined)}  # applied before \`${name}\` where it is used (Keras 3.15 cannot run it inside tf.data on JAX and PyTorch)`;
        ctx.report(
          defined,
          `\`${name}\` is a \`TextVectorization\` with a Python \`standardize\` function (\`${ctx.textOf(defined)}\`) that a later cell calls inside \`tf.data.Dataset.map()\`: since Keras 3.15 the layer hands that function NumPy strings on JAX and PyTorch, which a traced tf.data map cannot give ("Cannot convert a symbolic tf.Tensor to a numpy array"). ` +
            `Suggested fix: \`standardize=None\`, the function bound as \`${aliasOf(name)}\` and applied before every use of the layer, here and in the later cells.`,
          { ...fix, edits: [...fix.edits, { start: statement.end, end: statement.end, text: alias }] },
          undefined,
          `later:${USED}${name} & !later:${UNFIXABLE}${name} & anywhere:${MAPPED}${name}`
        );
      }
    }
    return;
  }
  // The layer itself as the mapped function (`text_ds.batch(32).map(vectorize_layer)`, the TensorFlow word2vec tutorial).
  const parts = callParts(node, ctx);
  const mapped = parts && parts.fn.type === 'attribute' && calleeName(parts.fn, ctx) === 'map' ? parts.positional[0] ?? parts.keywords.get('map_func')?.value : undefined;
  if (mapped && mapped.type === 'identifier' && isDataset(child(parts!.fn, 'object'), ctx)) {
    const name = ctx.textOf(mapped);
    const value = valueBefore(name, node, ctx);
    const standardize = standardizeFunction(value, ctx);
    if (standardize) {
      reportHere(mapped, name, value!, standardize, '', ctx);
    } else if (!value && ctx.lookup(name)?.kind === 'layer') {
      reportLater(mapped, name, ctx);
    } else {
      reportFollowed(mapped, name, node, ctx);
    }
  }
  // The mapped function and the cell's functions it calls: all of them run inside tf.data.
  for (const { call, name, value } of mappedNameCalls(node, ctx)) {
    const standardize = standardizeFunction(value, ctx);
    if (standardize) {
      const how = ` Suggested fix: \`standardize=None\`, and \`${ctx.textOf(standardize)}\` applied to the strings before every call and \`adapt()\` of \`${name}\` in the cell (\`${name}(${ctx.textOf(standardize)}(x))\`; a dataset given to \`adapt()\` is mapped with it).`;
      reportHere(call, name, value!, standardize, how, ctx);
    } else if (!value && ctx.lookup(name)?.kind === 'layer') {
      // Made in an earlier cell: a finding when that cell made such a layer (with this cell's part of the fix).
      reportLater(call, name, ctx);
    } else {
      reportFollowed(call, name, call, ctx);
    }
  }
}

/**
 * A layer made by a function of the cell (`vectorize_layer = get_vectorize_layer(texts)`, keras.io's
 * masked language model) or handed to the function that maps it (`def make_dataset(texts, vectorizer):
 * ... ds.map(lambda x: vectorizer(x))`): the same failure, without a fix (the layer is made or
 * adapted where the map cannot reach it). Checked on Keras 3.15 (og45b): JAX and PyTorch fail.
 */
function reportFollowed(node: SyntaxNode, name: string, at: SyntaxNode, ctx: RuleContext): void {
  const standardize = valuesOfName(name, at, ctx).map(v => standardizeFunction(v, ctx)).find(s => s !== null);
  if (standardize) {
    ctx.report(node, message(name, standardize.type === 'lambda' ? null : ctx.textOf(standardize)), null);
  }
}

export const textVectorizationStandardizeFunctionInTfDataMap: RuleDefinition = {
  code: 'KM184',
  name: 'text-vectorization-standardize-function-in-tf-data-map',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['jax', 'torch'],
  kerasVersions: [{ from: '3.15' }],
  fixAvailability: 'sometimes',
  triggers: ['map'],
  docs: {
    whatItDoes:
      'Flags a `TextVectorization` layer built with a Python function as `standardize=` and called inside the function given to `tf.data.Dataset.map()` (a lambda or a `def` of the cell, or a function of the cell that one of them calls) or given to `map()` itself (`ds.map(vectorize_layer)`); the layer made in the cell or an earlier one, or as a local name of a function (a script\'s `def main():`), where the fix stays inside that function. Also a layer made by a function of the cell (`vectorize_layer = get_vectorize_layer(texts)`) or handed to the function that maps it (`make_dataset(texts, vectorize_layer)`), without a fix. Reported for Keras 3.15 and later.',
    why:
      'Keras 3.15 changed how `TextVectorization` runs a custom `standardize` function on JAX and PyTorch: it converts the strings to a NumPy array first, so the function can use NumPy or plain Python. Inside a tf.data map the strings are symbolic graph tensors that have no NumPy value, so the map fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (checked by running Keras 3.15.1 on each backend; TensorFlow runs it, and Keras 3.14 and earlier ran it on every backend). The keras.io text examples (`custom_standardization` with `tf.strings.lower` and `tf.strings.regex_replace`, applied in `format_dataset` or `vectorize_text`) have this shape. Suggested (unsafe) fix, where the layer is assigned to a name at the top of the cell with a named function as `standardize` and the cell only calls it on data and adapts it: `standardize=None`, every call `layer(x)` becomes `layer(fn(x))` and every `layer.adapt(data)` adapts on `fn(data)` (`data.map(fn)` for a dataset), which gives the layer the same standardized strings (the function\'s TensorFlow string ops run in tf.data and eagerly on every backend). No fix where the layer is used otherwise (in a model, on a model input, passed on, assigned again) or defined in an earlier cell: its uses elsewhere would keep the raw strings.',
    example:
      'import keras\nimport tensorflow as tf\ndef custom_standardization(s):\n    return tf.strings.lower(s)\nvectorize = keras.layers.TextVectorization(max_tokens=100, standardize=custom_standardization)\nvectorize.adapt(texts)\nds = tf.data.Dataset.from_tensor_slices(texts).batch(8).map(lambda x: vectorize(x))',
    useInstead:
      'import keras\nimport tensorflow as tf\ndef custom_standardization(s):\n    return tf.strings.lower(s)\nvectorize = keras.layers.TextVectorization(max_tokens=100, standardize=None)\nvectorize.adapt(tf.data.Dataset.from_tensor_slices(texts).batch(8).map(custom_standardization))\nds = tf.data.Dataset.from_tensor_slices(texts).batch(8).map(lambda x: vectorize(custom_standardization(x)))'
  },
  calls: { names: ['map', 'TextVectorization'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['map', 'TextVectorization'],
  visitors: { call: visit, 'module:exit': visitModuleExit }
};
