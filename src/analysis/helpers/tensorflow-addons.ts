/**
 * TensorFlow Addons APIs and what replaces each in Keras 3, for the rule that flags the package
 * (KM178). Not a rule.
 *
 * `tensorflow_addons` cannot be imported with Keras 3 (it reads `keras.src.engine`), so a program
 * that imports it fails on every backend. Where Keras 3 has the same thing under another name the
 * call can be rewritten (`rewrite`); for the rest the message names the nearest replacement.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { appendArgument, CallParts, removeArgument } from './calls';

export interface AddonsReplacement {
  /** What to write instead, shown in messages. */
  use: string;
  /** The Keras 3 callee a fix writes, when the call maps onto it argument by argument. */
  callee?: string;
  /** The TFA parameter names in positional order (positional arguments become these keywords). */
  positional?: string[];
  /** Keyword arguments the fix adds when the call does not give them (TFA's defaults that differ). */
  add?: Record<string, string>;
  /** TFA parameters Keras 3's replacement has no use for, which the fix removes (`num_classes` of the F1 score). */
  drop?: string[];
  /** Keywords that stop the fix (arguments Keras 3's replacement does not take). */
  refuse?: string[];
  /** TFA keyword names the replacement spells differently (TFA's deprecated aliases): TFA name -> Keras 3 name. */
  rename?: Record<string, string>;
  /** How the replacement behaves differently, said in the message. */
  note?: string;
  /**
   * What a fix writes where the name is used without a call (`Dense(64, activation=tfa.activations.gelu)`),
   * and how it differs, when Keras 3 has a function to hand over in its place.
   */
  reference?: { text: string; note?: string };
  /** A function the fix defines in the program (after the imports) and calls instead: its name and source. */
  define?: { name: string; source: string };
}

/**
 * TFA's N-pairs loss with keras.ops: each row of `y_pred` (similarity logits) against the rows of
 * the same label, as a softmax cross-entropy on targets spread evenly over the matching rows, then
 * the mean over the batch. The same values as `tfa.losses.npairs_loss` (its definition). The labels
 * are reshaped to a column, not expanded: on TensorFlow `tf.squeeze(labels)` of a `(None, 1)` batch
 * has an unknown rank, which `keras.ops.expand_dims` refuses (keras.io supervised contrastive learning).
 */
const NPAIRS_LOSS = [
  'def npairs_loss(y_true, y_pred):',
  '    # TensorFlow Addons\' N-pairs loss with keras.ops: row i of the logits is scored against',
  '    # every row with the label of i, the target spread evenly over those rows.',
  '    y_pred = keras.ops.convert_to_tensor(y_pred)',
  '    labels = keras.ops.reshape(keras.ops.cast(y_true, y_pred.dtype), (-1, 1))',
  '    same = keras.ops.cast(keras.ops.equal(labels, keras.ops.transpose(labels)), y_pred.dtype)',
  '    targets = same / keras.ops.sum(same, axis=1, keepdims=True)',
  '    loss = keras.ops.categorical_crossentropy(targets, y_pred, from_logits=True)',
  '    return keras.ops.mean(loss)'
].join('\n');

/** By `<submodule>.<Name>` (`optimizers.AdamW`), whatever deeper module the name was reached through. */
export const ADDONS_REPLACEMENTS: Record<string, AddonsReplacement> = {
  'optimizers.AdamW': {
    use: '`keras.optimizers.AdamW`',
    callee: 'keras.optimizers.AdamW',
    positional: ['weight_decay', 'learning_rate', 'beta_1', 'beta_2', 'epsilon', 'amsgrad', 'name'],
    note: "Keras 3 scales the weight decay by the learning rate where TFA subtracted `weight_decay * w` each step: divide `weight_decay` by the learning rate to keep TFA's decay"
  },
  'optimizers.SGDW': {
    use: '`keras.optimizers.SGD(weight_decay=...)`',
    callee: 'keras.optimizers.SGD',
    positional: ['weight_decay', 'learning_rate', 'momentum', 'nesterov', 'name'],
    add: { learning_rate: '0.001' },
    note: "Keras 3 scales the weight decay by the learning rate where TFA subtracted `weight_decay * w` each step, and its SGD's default learning rate is 0.01 where TFA's SGDW had 0.001, which the fix writes"
  },
  'optimizers.LAMB': {
    use: '`keras.optimizers.Lamb` (without `exclude_from_weight_decay`)',
    callee: 'keras.optimizers.Lamb',
    // TFA's order; the exclusion lists (positions 6 and 7) have no Keras 3 parameter, so a call
    // that gives them by position is longer than this list and is not rewritten.
    positional: ['learning_rate', 'beta_1', 'beta_2', 'epsilon', 'weight_decay'],
    add: { epsilon: '1e-6' },
    refuse: ['exclude_from_weight_decay', 'exclude_from_layer_adaptation', 'lr', 'decay'],
    rename: { weight_decay_rate: 'weight_decay' },
    note: "Keras 3 applies the weight decay apart from the layer-wise trust ratio, scaled by the learning rate, where TFA added `weight_decay * w` to the update before the trust ratio; TFA's epsilon 1e-6, which the fix writes, where Keras's Lamb defaults to 1e-7"
  },
  'optimizers.MovingAverage': { use: "`use_ema=True` on a Keras 3 optimizer" },
  'optimizers.RectifiedAdam': { use: 'no Keras 3 optimizer (write it, or use `keras.optimizers.Adam` with a warm-up schedule)' },
  'optimizers.Lookahead': { use: 'no Keras 3 optimizer (write it as a custom optimizer)' },
  'optimizers.MultiOptimizer': { use: 'one Keras 3 optimizer per group of variables in a custom `train_step`' },
  'optimizers.CyclicalLearningRate': { use: 'a `keras.optimizers.schedules.LearningRateSchedule` subclass' },
  'layers.GroupNormalization': {
    use: '`keras.layers.GroupNormalization`',
    callee: 'keras.layers.GroupNormalization',
    positional: ['groups', 'axis', 'epsilon', 'center', 'scale']
  },
  'layers.InstanceNormalization': {
    use: '`keras.layers.GroupNormalization(groups=-1)`',
    callee: 'keras.layers.GroupNormalization',
    positional: [],
    add: { groups: '-1' },
    refuse: ['groups']
  },
  'layers.SpectralNormalization': { use: '`keras.layers.SpectralNormalization`', callee: 'keras.layers.SpectralNormalization', positional: ['layer', 'power_iterations'] },
  'layers.MultiHeadAttention': { use: '`keras.layers.MultiHeadAttention` (its arguments differ: `num_heads`, `key_dim`)' },
  'layers.GELU': {
    use: '`keras.layers.Activation("gelu")`',
    callee: 'keras.layers.Activation',
    positional: ['approximate'],
    drop: ['approximate'],
    add: { activation: '"gelu"' },
    note: "Keras 3's `gelu` is exact where TFA's layer defaulted to the tanh approximation (`approximate=True`): outputs differ by up to about 1e-3"
  },
  'layers.WeightNormalization': { use: 'no Keras 3 layer (write the wrapper with `keras.ops`)' },
  'layers.AdaptiveAveragePooling2D': { use: 'a pooling layer with a computed pool size (no adaptive pooling in Keras 3)' },
  'activations.gelu': {
    use: '`keras.activations.gelu(x, approximate=True)`',
    callee: 'keras.activations.gelu',
    positional: ['x', 'approximate'],
    add: { approximate: 'True' },
    reference: {
      text: 'keras.activations.gelu',
      note: "Keras 3's `gelu` is exact (`approximate=False`) by default where TFA's used the tanh approximation: outputs differ by up to about 1e-3"
    }
  },
  'activations.mish': { use: '`keras.activations.mish`', callee: 'keras.activations.mish', positional: ['x'], reference: { text: 'keras.activations.mish' } },
  'metrics.F1Score': {
    use: '`keras.metrics.F1Score` (it needs no `num_classes`)',
    callee: 'keras.metrics.F1Score',
    positional: ['num_classes', 'average', 'threshold', 'name', 'dtype'],
    drop: ['num_classes']
  },
  'metrics.FBetaScore': {
    use: '`keras.metrics.FBetaScore` (it needs no `num_classes`)',
    callee: 'keras.metrics.FBetaScore',
    positional: ['num_classes', 'average', 'beta', 'threshold', 'name', 'dtype'],
    drop: ['num_classes']
  },
  'metrics.RSquare': {
    use: '`keras.metrics.R2Score`',
    callee: 'keras.metrics.R2Score',
    // TFA's order (name first) is not Keras 3's: only keyword calls are rewritten.
    positional: [],
    // TFA's `multioutput` values ("raw_values", "variance_weighted") are spelled differently in
    // Keras 3's `class_aggregation` (None, "variance_weighted_average").
    refuse: ['multioutput', 'y_shape'],
    // Keras 3 would name it "r2_score": the history and logs keep TFA's key.
    add: { name: '"r_square"' }
  },
  'losses.SigmoidFocalCrossEntropy': { use: '`keras.losses.BinaryFocalCrossentropy`' },
  'losses.sigmoid_focal_crossentropy': { use: '`keras.losses.binary_focal_crossentropy`' },
  'losses.npairs_loss': {
    use: 'an `npairs_loss` function written with `keras.ops` (the fix defines it)',
    define: { name: 'npairs_loss', source: NPAIRS_LOSS }
  },
  'losses.TripletSemiHardLoss': { use: 'no Keras 3 loss (write it with `keras.ops`)' },
  'losses.TripletHardLoss': { use: 'no Keras 3 loss (write it with `keras.ops`)' }
};

/** `tensorflow_addons.optimizers.weight_decay_optimizers.AdamW` -> `optimizers.AdamW` (null for other names). */
export function addonsKey(resolved: string | null): string | null {
  if (!resolved || !resolved.startsWith('tensorflow_addons.')) {
    return null;
  }
  const parts = resolved.split('.');
  return parts.length >= 3 ? `${parts[1]}.${parts[parts.length - 1]}` : null;
}

/** What replaces a TFA name, by its key; `image.*` and `text.*` by their module. */
export function addonsReplacement(key: string): AddonsReplacement | null {
  if (ADDONS_REPLACEMENTS[key]) {
    return ADDONS_REPLACEMENTS[key];
  }
  if (key.startsWith('image.')) {
    return { use: '`keras.ops.image` ops or Keras 3 preprocessing layers (`keras.layers.RandomRotation`, ...)' };
  }
  if (key.startsWith('text.')) {
    return { use: 'no Keras 3 module (KerasHub for sequence models, or write it with `keras.ops`)' };
  }
  return null;
}

/** The outermost attribute of the chain an identifier starts (`tfa.optimizers.AdamW` for `tfa`), or the identifier. */
export function chainTop(id: SyntaxNode): SyntaxNode {
  let n = id;
  while (n.parent?.type === 'attribute' && n.field === 'object') {
    n = n.parent;
  }
  return n;
}

/** Whether a node lies inside an import statement. */
function inImport(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      return true;
    }
  }
  return false;
}

/**
 * The TFA names the code under `root` uses (outside imports), in order of first use: `optimizers.AdamW`
 * key -> the text of its first use. `bound`: the names an import binds -> the dotted TFA name
 * (`tfa` -> `tensorflow_addons`), read from the import itself (the walk has not bound them yet).
 */
export function addonsUses(root: SyntaxNode, bound: Map<string, string>, ctx: RuleContext): Map<string, string> {
  const seen = new Map<string, string>();
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && bound.has(ctx.textOf(n)) && !(n.parent?.type === 'attribute' && n.field === 'attribute') && !inImport(n)) {
      const top = chainTop(n);
      const text = ctx.textOf(top).replace(/\s+/g, '');
      const key = /^[\w.]+$/.test(text) ? addonsKey(bound.get(ctx.textOf(n)) + text.slice(ctx.textOf(n).length)) : null;
      if (key && !seen.has(key)) {
        seen.set(key, text);
      }
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
  return seen;
}

/**
 * The edits that turn a TFA call into its Keras 3 replacement (callee, positional arguments by
 * keyword, TFA defaults that differ), or null where the call does not map (a splat, an argument
 * the replacement refuses, more positional arguments than known).
 */
export function addonsCallEdits(parts: CallParts, replacement: AddonsReplacement, ctx: RuleContext): OffsetEdit[] | null {
  if (!replacement.callee || parts.splat || !replacement.positional) {
    return null;
  }
  const names = replacement.positional;
  if (parts.positional.length > names.length) {
    return null;
  }
  if ((replacement.refuse ?? []).some(k => parts.keywords.has(k))) {
    return null;
  }
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: replacement.callee }];
  const drop = new Set(replacement.drop ?? []);
  const removed = new Set<SyntaxNode>();
  // Keyword names where the Keras 3 order differs from TFA's (the optimizers take the learning
  // rate first, the F-scores lose their first parameter); a layer's or activation's is the same.
  const reorder = replacement.callee.startsWith('keras.optimizers.') || drop.size > 0;
  parts.positional.forEach((arg, i) => {
    if (drop.has(names[i])) {
      removed.add(arg);
      edits.push(removeArgument(arg, ctx));
    } else if (reorder) {
      edits.push({ start: arg.start, end: arg.start, text: `${names[i]}=` });
    }
  });
  for (const name of drop) {
    const keyword = parts.keywords.get(name);
    if (keyword) {
      removed.add(keyword.node);
      edits.push(removeArgument(keyword.node, ctx));
    }
  }
  for (const [name, kw] of parts.keywords) {
    const to = replacement.rename?.[name];
    if (to) {
      if (parts.keywords.has(to) || names.indexOf(to) < parts.positional.length && names.indexOf(to) >= 0) {
        return null; // both spellings given: TFA would take the alias, Keras 3 refuses the pair
      }
      edits.push({ start: kw.name.start, end: kw.name.end, text: to });
    }
  }
  const renamed = [...parts.keywords.keys()].map(k => replacement.rename?.[k] ?? k);
  const given = new Set([...renamed, ...names.slice(0, parts.positional.length)]);
  const added = Object.entries(replacement.add ?? {}).filter(([k]) => !given.has(k));
  if (added.length) {
    if (!parts.args || ctx.text[parts.args.end - 1] !== ')') {
      return null;
    }
    edits.push(appendArgument(parts.args, added.map(([k, v]) => `${k}=${v}`).join(', '), ctx, [...removed]));
  }
  return edits;
}

/** The callee of a call, when the call node's function is `node` (a name or attribute chain). */
export function calledAt(node: SyntaxNode): SyntaxNode | null {
  return node.parent?.type === 'call' && node.field === 'function' && child(node.parent, 'function') === node ? node.parent : null;
}
