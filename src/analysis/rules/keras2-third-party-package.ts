import { chainRoot, child, identifiersIn, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, lineStartAt, withKerasImport } from '../rule-helpers';
import { afterImportRun } from '../helpers/import-replacement';
import { runsInDatasetMap, tensorflowName } from '../helpers/tf-data';
import { TFP_CATEGORICAL_SAMPLE_LAYER, TFP_DISTRIBUTION_CLASSES } from '../helpers/tfp-distributions';
import { ADDONS_REPLACEMENTS, AddonsReplacement, addonsCallEdits, addonsKey, addonsReplacement, addonsUses, calledAt, chainTop } from '../helpers/tensorflow-addons';

/** The Keras 2 escape hatch, for code that cannot move yet. */
const ESCAPE_HATCH = 'or keep this notebook on Keras 2: `pip install tf-keras` and set `os.environ["TF_USE_LEGACY_KERAS"] = "1"` before TensorFlow is first imported';

const ADDONS_EOL = '`tensorflow_addons` is end-of-life and built on Keras 2 internals (with Keras 3 its import fails on `keras.src.engine`, on every backend).';

/**
 * The message at a TFA import: the replacement of each TFA name the notebook's code uses (as far
 * as this cell's code shows them), else the common replacements.
 */
function addonsMessage(node: SyntaxNode, ctx: RuleContext): string {
  const bound = new Map<string, string>();
  const module = node.type === 'import_from_statement' ? child(node, 'module_name') : null;
  const prefix = module ? ctx.textOf(module).replace(/\s+/g, '') + '.' : '';
  for (const item of importedItems(node)) {
    const name = item.type === 'aliased_import' ? child(item, 'name') : item;
    const alias = item.type === 'aliased_import' ? child(item, 'alias') : null;
    const dotted = name ? ctx.textOf(name).replace(/\s+/g, '') : '';
    if (alias) {
      bound.set(ctx.textOf(alias), prefix + dotted);
    } else if (dotted) {
      // `import tensorflow_addons.optimizers` binds `tensorflow_addons`
      bound.set(dotted.split('.')[0], module ? prefix + dotted : dotted.split('.')[0]);
    }
  }
  const uses = addonsUses(rootOf(node), bound, ctx);
  const named = [...uses].map(([key, text]) => {
    const r = addonsReplacement(key);
    return `\`${text}\` → ${r ? r.use : 'no known Keras 3 equivalent'}${r?.callee || r?.define ? ' (suggested fix)' : ''}`;
  });
  const advice = named.length
    ? `Replace what this code uses: ${named.join('; ')}`
    : 'Use the Keras 3 replacements: `keras.optimizers.AdamW`/`Lion`, `keras.layers.GroupNormalization`, `keras.metrics.F1Score`, `keras.losses.Tversky`, `keras.ops.image` ops, KerasCV/KerasHub layers';
  return `${ADDONS_EOL} ${advice}; ${ESCAPE_HATCH}.`;
}

function visitImport(node: SyntaxNode, ctx: RuleContext): void {
  if (node.type === 'import_from_statement') {
    const module = child(node, 'module_name');
    const moduleName = module ? ctx.textOf(module).replace(/\s+/g, '') : '';
    if (moduleName === 'tensorflow_addons' || moduleName.startsWith('tensorflow_addons.')) {
      ctx.report(module!, addonsMessage(node, ctx));
      return;
    }
    if (moduleName === 'transformers' || moduleName.startsWith('transformers.')) {
      // `from transformers import TFAutoModel, TFBertModel`: the TensorFlow model classes.
      for (const item of node.children) {
        const name = item.type === 'aliased_import' ? child(item, 'name') : item.type === 'dotted_name' && item !== module ? item : null;
        if (name && /^TF[A-Z]\w*$/.test(ctx.textOf(name))) {
          ctx.report(
            name,
            `\`${ctx.textOf(name)}\` is a TensorFlow model of 🤗 Transformers, built on Keras 2: with Keras 3 installed, Transformers refuses it and asks for the \`tf-keras\` package (and Transformers 5 drops TensorFlow). Use the PyTorch class (\`${ctx.textOf(name).slice(2)}\`) or a KerasHub preset for a Keras 3 model; ${ESCAPE_HATCH}.`
          );
        }
      }
    }
    return;
  }
  for (const item of node.children) {
    const name = item.type === 'aliased_import' ? child(item, 'name') : item.type === 'dotted_name' ? item : null;
    const text = name ? ctx.textOf(name).replace(/\s+/g, '') : '';
    if (text === 'tensorflow_addons' || text.startsWith('tensorflow_addons.')) {
      const removal = unusedImportRemoval(node, ctx);
      ctx.report(name!, addonsMessage(node, ctx), removal ? { title: 'Remove the unused `tensorflow_addons` import', safe: false, edits: [removal] } : undefined);
    }
  }
}

/**
 * The edit that deletes a top-level `import tensorflow_addons as tfa` (one name, its own line) when
 * nothing else in the program names what it binds: the import alone fails with Keras 3, and the
 * Keras team's conversions drop such leftovers (keras.io MobileViT imported TFA without using it).
 * Null when the name is used, or the statement shares its line or binds several names. A
 * suggestion: a notebook's other cells may use the name.
 */
function unusedImportRemoval(statement: SyntaxNode, ctx: RuleContext): OffsetEdit | null {
  const items = importedItems(statement);
  if (items.length !== 1 || statement.parent !== rootOf(statement)) {
    return null;
  }
  const item = items[0];
  const bound = item.type === 'aliased_import' ? child(item, 'alias') : item;
  const boundName = bound ? ctx.textOf(bound).split('.')[0].trim() : '';
  if (!boundName) {
    return null;
  }
  if (usesOutside(boundName, statement, ctx).length) {
    return null;
  }
  const removal = importLineRemoval(statement, ctx);
  // Alone on its line (a trailing comment aside).
  if (ctx.text.slice(removal.start, statement.start).trim() || ctx.text.slice(statement.end, removal.end).trim().replace(/^#.*$/, '')) {
    return null;
  }
  return removal;
}

/** The names an import statement imports (not the module of a `from ... import`). */
function importedItems(statement: SyntaxNode): SyntaxNode[] {
  const module = child(statement, 'module_name');
  return statement.children.filter(c => (c.type === 'dotted_name' || c.type === 'aliased_import') && c !== module);
}

/** The top-level import statement of this cell that binds `name` (`import tensorflow_probability as tfp`, `from tensorflow_probability import distributions as tfd`). */
function importBinding(root: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null {
  for (const statement of root.children) {
    if (statement.type !== 'import_statement' && statement.type !== 'import_from_statement') {
      continue;
    }
    for (const item of importedItems(statement)) {
      const bound = item.type === 'aliased_import' ? child(item, 'alias') : item;
      if (bound && ctx.textOf(bound).split('.')[0].trim() === name) {
        return statement;
      }
    }
  }
  return null;
}

const DISTRIBUTION = /^tensorflow_probability\.(?:python\.)?distributions\.(MultivariateNormalDiag|Normal)$/;

/** The distribution a use of the TFP name is the callee root of, in a Keras class (the calls this rule fixes), or null. */
function fixableKind(id: SyntaxNode, ctx: RuleContext): string | null {
  let callee: SyntaxNode = id;
  while (callee.parent?.type === 'attribute' && callee.field === 'object') {
    callee = callee.parent;
  }
  if (callee.parent?.type !== 'call' || callee.field !== 'function') {
    return null;
  }
  const kind = DISTRIBUTION.exec(ctx.resolve(callee) ?? '')?.[1];
  if (!kind) {
    return null;
  }
  for (let n: SyntaxNode | null = callee.parent; n; n = n.parent) {
    if (n.type === 'class_definition') {
      const bases = child(n, 'superclasses')?.children ?? [];
      return bases.some(b => ctx.kerasKindOfClass(b) === 'layer' || ctx.kerasKindOfClass(b) === 'model') ? kind : null;
    }
  }
  return null;
}

/**
 * `tfp.distributions.MultivariateNormalDiag(...)` / `Normal(...)` in a Keras class: the program's own
 * keras.ops class instead. Every such fix of a cell writes the same text at the same place (the
 * classes of all the cell's fixable calls, after the TFP import's run of imports), so they apply
 * together, and the TFP import goes with the last of them when these calls are all its name's uses.
 */
function distributionFix(call: SyntaxNode, callee: SyntaxNode, ctx: RuleContext): RawFix | null {
  const root = chainRoot(callee);
  const kind = DISTRIBUTION.exec(ctx.resolve(callee) ?? '')?.[1];
  if (root.type !== 'identifier' || callee.type !== 'attribute' || !kind) {
    return null;
  }
  const moduleNode = rootOf(call);
  const rootName = ctx.textOf(root);
  const statement = importBinding(moduleNode, rootName, ctx);
  if (!statement) {
    return null;
  }
  const uses = usesOutside(rootName, statement, ctx);
  const kinds = new Set(uses.map(id => fixableKind(id, ctx)));
  kinds.add(kind);
  const missing: string[] = [];
  for (const k of ['MultivariateNormalDiag', 'Normal']) {
    if (!kinds.has(k)) {
      continue;
    }
    if (new RegExp(`^class[ \\t]+${k}\\b`, 'm').test(ctx.text)) {
      continue; // defined by an earlier fix (or the program)
    }
    if (ctx.lookup(k)) {
      return null; // the name means something else in this program
    }
    missing.push(k);
  }
  const edits: OffsetEdit[] = [{ start: callee.start, end: callee.end, text: kind }];
  if (!kinds.has(null) && importedItems(statement).length === 1 && uses.every(id => id.start <= root.start)) {
    // Every use of the name is a call these fixes rewrite: the fix of the last one drops the import
    // (the same deletion in each would overlap and hold back all but one).
    edits.push(importLineRemoval(statement, ctx));
  }
  if (missing.length) {
    // After the imports that follow the TFP import directly, where the classes see every name they bind.
    const { at, atTextEnd } = afterImportRun(statement, ctx);
    const classes = missing.map(k => TFP_DISTRIBUTION_CLASSES[k]).join('\n\n\n');
    edits.push({ start: at, end: at, text: `${atTextEnd ? '\n' : ''}\n\n${classes}\n` });
  }
  return {
    title: `Define \`${kind}\` in the program with keras.ops in place of TensorFlow Probability's`,
    safe: false,
    edits: withKerasImport(ctx, edits)
  };
}

const CATEGORICAL = /^tensorflow_probability\.(?:python\.)?distributions\.Categorical$/;

/**
 * `tfp.layers.DistributionLambda(tfp.distributions.Categorical)`: a Keras layer of the program that
 * draws the sample TFP's layer hands on (its default `convert_to_tensor_fn`) with keras.random. Not
 * where the program converts the distribution otherwise or uses it (`log_prob`, as a loss on the
 * distribution does), nor where `CategoricalSample` means something else. A TFP import that only
 * such calls use goes with the last of them.
 */
function categoricalSampleCall(call: SyntaxNode, ctx: RuleContext): boolean {
  const parts = call.type === 'call' ? callParts(call, ctx) : null;
  return !!(
    parts &&
    ctx.resolve(parts.fn) === 'tensorflow_probability.layers.DistributionLambda' &&
    !parts.splat &&
    parts.positional.length === 1 &&
    !parts.keywords.has('convert_to_tensor_fn') &&
    CATEGORICAL.test(ctx.resolve(parts.positional[0]) ?? '') &&
    !/\.log_prob\s*\(/.test(ctx.text)
  );
}

/** Whether a use of a name lies in a `DistributionLambda(Categorical)` call the fix rewrites. */
function inCategoricalSampleCall(id: SyntaxNode, ctx: RuleContext): boolean {
  for (let n: SyntaxNode | null = id.parent; n && n.type !== 'module'; n = n.parent) {
    if (n.type === 'call' && categoricalSampleCall(n, ctx)) {
      return true;
    }
  }
  return false;
}

function categoricalSampleFix(call: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): RawFix | null {
  if (!categoricalSampleCall(call, ctx)) {
    return null;
  }
  const defined = /^class[ \t]+CategoricalSample\b/m.test(ctx.text);
  if (!defined && ctx.lookup('CategoricalSample')) {
    return null; // the name means something else in this program
  }
  const moduleNode = rootOf(call);
  const edits: OffsetEdit[] = [];
  const keywords = [...parts.keywords.values()].map(k => ctx.textOf(k.node)).join(', ');
  edits.push({ start: call.start, end: call.end, text: `CategoricalSample(${keywords})` });
  let first: SyntaxNode | null = null;
  for (const node of [parts.fn, parts.positional[0]]) {
    const root = chainRoot(node);
    const name = root.type === 'identifier' ? ctx.textOf(root) : '';
    const statement = name ? importBinding(moduleNode, name, ctx) : null;
    if (!statement) {
      continue;
    }
    first = first && first.start < statement.start ? first : statement;
    // Every use of the name is in such a call and this call has the last: its fix drops the import
    // (the same deletion in each would overlap and hold back all but one).
    const uses = usesOutside(name, statement, ctx);
    const alone = uses.every(id => id.start < call.end && inCategoricalSampleCall(id, ctx));
    if (alone && importedItems(statement).length === 1 && !edits.some(e => e.start === lineStartAt(ctx.text, statement.start))) {
      edits.push(importLineRemoval(statement, ctx));
    }
  }
  if (!first) {
    return null;
  }
  if (!defined) {
    // After the run of imports around the TFP import, as the distribution classes go: every such fix
    // writes the same text there, so it applies once.
    const { at, atTextEnd } = afterImportRun(first, ctx);
    edits.push({ start: at, end: at, text: `${atTextEnd ? '\n' : ''}\n\n${TFP_CATEGORICAL_SAMPLE_LAYER}\n` });
  }
  return {
    title: "Define `CategoricalSample`, a Keras layer that samples with keras.random, in place of TensorFlow Probability's `DistributionLambda(Categorical)`",
    safe: false,
    edits: withKerasImport(ctx, edits)
  };
}

/** Whether a use of a TFA-bound name is the callee of a call its fix rewrites, or a reference its fix replaces. */
function addonsFixable(id: SyntaxNode, ctx: RuleContext): boolean {
  const top = chainTop(id);
  const call = calledAt(top);
  const key = addonsKey(ctx.resolve(top));
  const replacement = key ? addonsReplacement(key) : null;
  if (!call) {
    return !!(replacement?.reference || replacement?.define);
  }
  const parts = callParts(call, ctx);
  return !!(parts && replacement && (replacement.define ? definable(parts, replacement) : addonsCallEdits(parts, replacement, ctx)));
}

/**
 * The edit that drops the TFA import binding the name `use` starts with, when this use is its
 * last in the program and every use is one a fix rewrites (the import fails with Keras 3); null
 * otherwise. The import statement too, or null when it is not found.
 */
/** The uses of `name` in the program outside the import `statement` that binds it. */
function usesOutside(name: string, statement: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  return identifiersIn(rootOf(statement)).filter(id => ctx.textOf(id) === name && !(id.start >= statement.start && id.end <= statement.end));
}

/** The edit that deletes the line of an import statement, its line break included. */
function importLineRemoval(statement: SyntaxNode, ctx: RuleContext): OffsetEdit {
  const lineEnd = ctx.text.indexOf('\n', statement.end);
  return { start: lineStartAt(ctx.text, statement.start), end: lineEnd < 0 ? ctx.text.length : lineEnd + 1, text: '' };
}

function addonsImportRemoval(use: SyntaxNode, ctx: RuleContext): { statement: SyntaxNode | null; removal: OffsetEdit | null } {
  const root = chainRoot(use);
  const moduleNode = rootOf(use);
  const rootName = root.type === 'identifier' ? ctx.textOf(root) : '';
  const statement = rootName ? importBinding(moduleNode, rootName, ctx) : null;
  if (!statement || importedItems(statement).length !== 1) {
    return { statement, removal: null };
  }
  const uses = usesOutside(rootName, statement, ctx);
  if (!uses.every(id => id.start <= root.start) || !uses.every(id => addonsFixable(id, ctx))) {
    return { statement, removal: null };
  }
  return { statement, removal: importLineRemoval(statement, ctx) };
}

/**
 * The functions the TFA fixes of this cell define, in the table's order, each the first time: a
 * function already defined (by an earlier fix, or the program) is left out, and so is one whose name
 * means something else in the program (its uses get no fix).
 */
function definitionsToWrite(root: SyntaxNode, ctx: RuleContext): { name: string; source: string }[] {
  // Each defined name -> whether every use of it runs in a `dataset.map(...)` function.
  const wanted = new Map<string, boolean>();
  for (const id of identifiersIn(root)) {
    const top = chainTop(id);
    if (top !== id && top.type !== 'attribute') {
      continue;
    }
    const key = addonsKey(ctx.resolve(top));
    const define = key ? addonsReplacement(key)?.define : undefined;
    const call = define ? calledAt(top) : null;
    const parts = call ? callParts(call, ctx) : null;
    if (define && (!call || (parts && definable(parts, addonsReplacement(key!)!)))) {
      wanted.set(define.name, (wanted.get(define.name) ?? true) && !!call && runsInDatasetMap(call, ctx));
    }
  }
  const tf = tensorflowName(ctx);
  const defines = Object.values(ADDONS_REPLACEMENTS).flatMap(r => (r.define && wanted.has(r.define.name) ? [r.define] : []));
  return defines
    .filter(d => !new RegExp(`^def[ \\t]+${d.name}\\b`, 'm').test(ctx.text) && !boundOtherwise(d.name, ctx))
    .map(d => ({ name: d.name, source: d.tfSource && tf && wanted.get(d.name) ? d.tfSource.replace(/\btf\./g, `${tf}.`) : d.source }));
}

/**
 * Whether the program binds `name` to something other than the TFA function a fix defines under
 * that name (`from tensorflow_addons.image import gaussian_filter2d` binds TFA's own, which the
 * definition replaces).
 */
function boundOtherwise(name: string, ctx: RuleContext): boolean {
  const binding = ctx.lookup(name);
  if (!binding) {
    return false;
  }
  const key = binding.kind === 'module' ? addonsKey(binding.canonical) : null;
  return !(key && addonsReplacement(key)?.define?.name === name);
}

/** The cell's first top-level `tensorflow_addons` import, after whose run of imports the fixes put the functions they define. */
function firstAddonsImport(root: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  return (
    root.children.find(st => {
      if (st.type !== 'import_statement' && st.type !== 'import_from_statement') {
        return false;
      }
      const module = child(st, 'module_name');
      const names = module ? [module] : importedItems(st).map(i => (i.type === 'aliased_import' ? child(i, 'name') : i));
      return names.some(n => !!n && /^tensorflow_addons(\.|$)/.test(ctx.textOf(n).replace(/\s+/g, '')));
    }) ?? null
  );
}

/**
 * The edits that call a function the program gets in place of TFA's (`npairs_loss`, `rotate_images`):
 * the callee (or the function handed over) renamed, and the definitions of every such function the
 * cell's TFA uses need, after the run of imports around the cell's first TFA import (every such fix
 * of the cell writes the same text at the same place, so they apply together), unless the program
 * defines the name already; null where the name means something else in the program.
 */
function definedFunctionEdits(fn: SyntaxNode, define: { name: string; source: string }, ctx: RuleContext): OffsetEdit[] | null {
  const edits: OffsetEdit[] = [{ start: fn.start, end: fn.end, text: define.name }];
  if (new RegExp(`^def[ \\t]+${define.name}\\b`, 'm').test(ctx.text)) {
    return edits;
  }
  const root = rootOf(fn);
  const anchor = firstAddonsImport(root, ctx);
  if (boundOtherwise(define.name, ctx) || !anchor) {
    return null;
  }
  const { at, atTextEnd } = afterImportRun(anchor, ctx);
  const sources = definitionsToWrite(root, ctx).map(d => d.source);
  edits.push({ start: at, end: at, text: `${atTextEnd ? '\n' : ''}\n\n${sources.join('\n\n\n')}\n` });
  return edits;
}

/** Whether a call of a TFA name the fix defines a function for passes only arguments that function takes. */
function definable(parts: NonNullable<ReturnType<typeof callParts>>, replacement: AddonsReplacement): boolean {
  return !parts.splat && !(replacement.refuse ?? []).some(k => parts.keywords.has(k)) && !(replacement.positional && parts.positional.length > replacement.positional.length);
}

/**
 * A call of a TFA name Keras 3 has under another name (`tfa.optimizers.AdamW(...)`): reported
 * with its replacement and a suggested fix that writes it; the TFA import goes with the fix of
 * its last use when every use of the name is such a call (the import fails with Keras 3).
 */
function visitAddonsCall(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, key: string, ctx: RuleContext): void {
  const replacement = addonsReplacement(key);
  const { removal } = addonsImportRemoval(parts.fn, ctx);
  const edits = !replacement ? null : replacement.define ? (definable(parts, replacement) ? definedFunctionEdits(parts.fn, replacement.define, ctx) : null) : addonsCallEdits(parts, replacement, ctx);
  if (!replacement || !edits) {
    return; // the import's finding names the replacement
  }
  if (removal) {
    edits.push(removal);
  }
  ctx.report(
    parts.fn,
    `\`${ctx.textOf(parts.fn)}\` is TensorFlow Addons, which Keras 3 cannot import: use ${replacement.use}${replacement.note ? ` (${replacement.note})` : ''}.`,
    { title: replacement.define ? `Define \`${replacement.define.name}\` in the program in place of TensorFlow Addons'` : `Use ${replacement.use} in place of TensorFlow Addons'`, safe: false, edits: withKerasImport(ctx, edits) }
  );
}

/**
 * A TFA function handed over without a call (`Dense(64, activation=tfa.activations.gelu)`) that
 * Keras 3 has too: reported with a suggested fix that writes the Keras 3 function, dropping the
 * TFA import with its last use as for calls.
 */
function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  if ((node.parent?.type === 'attribute' && node.field === 'object') || calledAt(node)) {
    return; // part of a longer name, or a call (visitCall)
  }
  const key = addonsKey(ctx.resolve(node));
  const replacement = key ? addonsReplacement(key) : null;
  const reference = replacement?.reference;
  const define = reference ? undefined : replacement?.define;
  if (!reference && !define) {
    return;
  }
  const { removal } = addonsImportRemoval(node, ctx);
  // `loss=tfa.losses.sigmoid_focal_crossentropy`: the function the fix defines, handed over as TFA's was.
  const edits = reference ? [{ start: node.start, end: node.end, text: reference.text }] : definedFunctionEdits(node, define!, ctx);
  if (!edits) {
    return; // the import's finding names the replacement
  }
  if (removal) {
    edits.push(removal);
  }
  const text = reference ? reference.text : define!.name;
  const note = reference ? reference.note : undefined;
  ctx.report(
    node,
    reference
      ? `\`${ctx.textOf(node)}\` is TensorFlow Addons, which Keras 3 cannot import: use \`${text}\`${note ? ` (${note})` : ''}.`
      : `\`${ctx.textOf(node)}\` is TensorFlow Addons, which Keras 3 cannot import: use ${replacement!.use}.`,
    {
      title: reference ? `Use \`${text}\` in place of TensorFlow Addons'` : `Define \`${text}\` in the program in place of TensorFlow Addons'`,
      safe: false,
      edits: withKerasImport(ctx, edits)
    }
  );
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const name = parts ? ctx.resolve(parts.fn) : null;
  if (!parts || !name) {
    return;
  }
  const addons = addonsKey(name);
  if (addons) {
    visitAddonsCall(node, parts, addons, ctx);
    return;
  }
  const distribution = DISTRIBUTION.exec(name);
  if (distribution) {
    if (!ctx.cls?.keras) {
      return; // outside model code it runs on every backend (TF tensors out)
    }
    const kind = distribution[1];
    ctx.report(
      parts.fn,
      `\`${ctx.textOf(parts.fn)}\` is a TensorFlow Probability distribution: its \`log_prob\` and \`sample\` are TensorFlow ops, which JAX cannot trace and PyTorch's tensors that require grad cannot enter, so the model trains on TensorFlow only (and TFP 0.24+ also needs the \`tf-keras\` package installed). Write the distribution with \`keras.ops\` and \`keras.random\` (the fix defines \`${kind}\` so: \`log_prob\`, \`prob\`, \`sample\`, \`mean\`, \`stddev\`), or use TFP's JAX substrate on JAX only.`,
      distributionFix(node, parts.fn, ctx),
      undefined,
      undefined,
      ['jax', 'torch']
    );
    return;
  }
  if (!name.startsWith('tensorflow_probability.layers.')) {
    return;
  }
  ctx.report(
    parts.fn,
    `\`${ctx.textOf(parts.fn)}\` is a TensorFlow Probability Keras layer: TFP builds its layers on Keras 2 (\`tf_keras\`, TFP 0.24+), and a Keras 3 model does not accept them. Write the layer with \`keras.layers\` and \`keras.random\` (sample in \`call()\` with a \`keras.random.SeedGenerator\`), ${ESCAPE_HATCH}.`,
    categoricalSampleFix(node, parts, ctx)
  );
}

export const keras2ThirdPartyPackage: RuleDefinition = {
  code: 'KM178',
  name: 'keras2-third-party-package',
  slug: 'api-changes',
  severity: 'error',
  /** Built on Keras 2: they fail with Keras 3 whatever the backend (package docs and real pastes; the packages are not installed here, not run). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['tensorflow_addons', 'transformers'],
  calls: { resolved: ['tensorflow_probability.', 'tensorflow_addons.'] },
  attributes: { resolved: ['tensorflow_addons.'] },
  docs: {
    whatItDoes:
      'Flags third-party packages built on Keras 2: imports of `tensorflow_addons` (the message names the replacement of each TFA API the code uses; calls of those Keras 3 has under another name, `tfa.optimizers.AdamW` / `SGDW`, `tfa.layers.GroupNormalization` / `InstanceNormalization` / `SpectralNormalization`, `tfa.layers.GELU` (an `Activation("gelu")` layer), `tfa.activations.gelu` / `mish`, `tfa.metrics.F1Score` / `FBetaScore` (without `num_classes`), `tfa.metrics.RSquare` (`keras.metrics.R2Score` named `"r_square"` as TFA named it, so history keys stay; not with `multioutput`, whose values Keras 3 spells differently), `tfa.optimizers.LAMB` (`weight_decay_rate` spelled `weight_decay`), `tfa.losses.SigmoidFocalCrossEntropy` (`keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True)`, keyword calls without `reduction`; the message says how the values differ), `tfa.layers.AdaptiveAveragePooling1D/2D/3D` / `AdaptiveMaxPooling1D/2D/3D`, `tfa.activations.hardshrink` / `softshrink` / `tanhshrink` (`keras.activations.hard_shrink`, ..., not with TFA\'s `lower` / `upper`), get a suggested fix that writes the Keras 3 call (and `gelu` / `mish` / the shrinks handed over uncalled, `activation=tfa.activations.gelu`, the Keras 3 function), `tfa.losses.npairs_loss` and `sigmoid_focal_crossentropy`, `tfa.activations.sparsemax`, `tfa.image.rotate` / `translate` / `transform` / `gaussian_filter2d` one that defines the function in the program (`npairs_loss`, `sigmoid_focal_crossentropy`, `sparsemax`, `rotate_images`, `translate_images`, `transform_images`, `gaussian_filter2d`; called, or handed over as in `loss=tfa.losses.sigmoid_focal_crossentropy`) with keras.ops, as the Keras team did in supervised contrastive learning, or with TensorFlow ops where only `dataset.map(...)` functions call it (tf.data runs TensorFlow on every backend, where keras.ops would hand JAX or PyTorch arrays to a TensorFlow graph), and each drops the TFA import with its last use; the rest (`RectifiedAdam`, `Lookahead`, the triplet losses, `WeightNormalization`, `lisht`, ...) are named with a by-hand replacement; an `import tensorflow_addons as tfa` nothing in the program uses gets a suggested fix that deletes it, as the Keras team\'s MobileViT conversion did), the TensorFlow model classes of 🤗 Transformers (`from transformers import TFAutoModel`), TensorFlow Probability Keras layers (`tfp.layers.DenseVariational(...)`; `tfp.layers.DistributionLambda(tfp.distributions.Categorical)`, which hands on a sample, gets a suggested fix that defines `CategoricalSample`, a Keras layer drawing it with `keras.random.categorical`, as keras.io\'s VQ-VAE prior sampler needs: not where the program calls `log_prob` or passes `convert_to_tensor_fn`), and TFP\'s `Normal` / `MultivariateNormalDiag` distributions made in a Keras layer or model class (keras.io\'s Real NVP keeps its latent `MultivariateNormalDiag` in the model and calls `log_prob` in its step). `tensorflow_hub.KerasLayer` has a rule of its own (KM173).',
    why:
      'These packages use Keras 2 internals or the `tf_keras` package, so a Keras 3 program cannot use them on any backend: TensorFlow Addons is end-of-life and its import fails on `keras.src.engine` (checked by running TFA 0.23 with Keras 3.15; keras.io examples use it mostly for `AdamW`, which Keras 3 has: the Keras team\'s conversions swap it for `keras.optimizers.AdamW` with the same arguments, as the fix does, though Keras 3 multiplies the decay by the learning rate where TFA did not, which the message says; TFA\'s optimizers take `weight_decay` first, so positional arguments are written by keyword, and SGDW\'s learning rate 0.001 is written where Keras\'s SGD would default to 0.01; TFA\'s `LAMB` is Keras 3\'s `Lamb` in the same argument order, its old keyword `weight_decay_rate` spelled `weight_decay` and its epsilon 1e-6 written (Keras defaults to 1e-7), the decay applied apart from the trust ratio in Keras 3, which the message says (run on the three backends with keras.io\'s Perceiver); `InstanceNormalization` is Keras\'s `GroupNormalization(groups=-1)`; TFA\'s `gelu` is the tanh approximation, `approximate=True`, and so is its `GELU` layer by default, where Keras\'s `gelu` activation is exact, which the message says; the fixed layer ran on the three backends); Transformers asks for `tf-keras` when Keras 3 is installed and drops TensorFlow in version 5; TFP 0.24+ builds its layers on `tf_keras` (run: `DistributionLambda(Categorical)` in a Functional model fails on the three backends with TFP 0.25 and `tf-keras` installed, and the `CategoricalSample` layer the fix defines draws int32 codes of the logits\' shape without the last axis, as TFP did under tf_keras, on the three). TFP\'s distributions are TensorFlow ops: they run on TensorFlow (with `tf-keras` installed, which TFP 0.24+ imports), but JAX cannot trace them and PyTorch\'s tensors that require grad cannot enter them, so a model that uses one trains on TensorFlow only; the fix (a suggestion: it adds a class to the program) defines `Normal` / `MultivariateNormalDiag` with keras.ops and keras.random (`log_prob`, `prob`, `sample`, `mean`, `stddev`, as TFP computes them), calls it instead and drops the TFP import with its last use. Not covered by the migration guide. Each message names the Keras 3 replacement and the escape hatch (`tf-keras` with `TF_USE_LEGACY_KERAS=1`). TFA\'s replacements were checked by running TFA 0.23 with `tf-keras` (installed beside the project, not a dependency of it) against Keras 3.15 on the three backends, on the same inputs: `GroupNormalization` (defaults alike: 32 groups, epsilon 1e-3), `InstanceNormalization` as `GroupNormalization(groups=-1)`, the adaptive pooling layers (on sizes TFA accepts, multiples of the output size), the shrink activations, the defined image functions (nearest, bilinear, reflect and wrap fills; the TensorFlow versions inside `dataset.map` on every backend) and focal loss function give TFA\'s values (to 1e-6), except that the keras.ops versions wrap differently on JAX (`fill_mode="wrap"`) and break nearest-neighbour ties at exact half-pixel positions differently on PyTorch, as `keras.ops.image.affine_transform` does, which the messages say; that op alone also needs one transform per image of a batch on JAX and PyTorch, and `keras.ops.image.gaussian_blur` pads differently, hence the defined functions; Keras\'s `Lamb` with TFA\'s epsilon gives TFA\'s steps without weight decay and differs slightly with it; TFA\'s `SigmoidFocalCrossEntropy` sums over the classes and, with its reduction NONE, had Keras 2 report the batch mean but sum the gradients over the batch, while `BinaryFocalCrossentropy` averages both (hence a suggestion whose message says so); Keras 3.15\'s `sparsemax` computes its threshold from the sum of the running sums, so where more than one value stays non-zero it differs from TFA\'s (its rows do not sum to 1), so the fix defines TFA\'s, which gives TFA\'s values on the three backends. Transformers and TFP layers are stated from their documentation and real error reports; the TFP distributions and their replacement were run with TFP 0.25 and `tf-keras` installed beside the project.',
    example: 'import tensorflow_addons as tfa\noptimizer = tfa.optimizers.AdamW(weight_decay=1e-4)',
    useInstead: 'import keras\noptimizer = keras.optimizers.AdamW(weight_decay=1e-4)'
  },
  visitors: { import_statement: visitImport, import_from_statement: visitImport, call: visitCall, attribute: visitAttribute }
};
