/**
 * What it does: flags a Keras layer's `call(self, inputs, other, mask=None)`, a call taking several
 * tensors and a `mask` parameter that Keras fills (keras.io's Transformer and FNet decoders).
 *
 * Why: Keras 2 passed the first input's mask as `mask`. Keras 3 fills `mask` only when `call()`
 * gets exactly one tensor; with several it fills `<argument>_mask` parameters instead, so `mask`
 * stays None. A name set only under `if mask is not None:` then raises UnboundLocalError on every
 * backend; otherwise the layer silently ignores the padding.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import { indentOf } from '../helpers/init-attribute';
import { constructorsOfCallee, nodesOfType } from '../helpers/layer-calls';
import { callParts } from '../helpers/calls';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';

/** Parameters Keras never counts as call inputs here: `training` is a flag, `mask` is the one filled. */
const NOT_INPUTS = new Set(['training', 'mask']);

/** Fact noted when a call passes `mask=` to instances of a class (`mask-given:NAME`) or to a callee not traced (`mask-given:?`). */
const MASK_GIVEN = 'mask-given:';

interface Parameter {
  name: string;
  node: SyntaxNode;
  required: boolean;
}

function parametersOf(def: SyntaxNode, ctx: RuleContext): Parameter[] | null {
  const list = child(def, 'parameters');
  if (!list) {
    return null;
  }
  const out: Parameter[] = [];
  for (const p of itemsOf(list)) {
    if (p.type === 'identifier') {
      out.push({ name: ctx.textOf(p), node: p, required: true });
    } else if (p.type === 'typed_parameter') {
      const name = p.children.find(c => c.type === 'identifier');
      if (!name) {
        return null;
      }
      out.push({ name: ctx.textOf(name), node: p, required: true });
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const name = child(p, 'name');
      if (!name) {
        return null;
      }
      out.push({ name: ctx.textOf(name), node: p, required: false });
    } else if (p.type === 'list_splat_pattern') {
      // `*args` may hold the tensors: which ones Keras counts is not known here.
      return null;
    }
  }
  return out;
}

/** Whether an identifier is a read of its name (not a keyword argument's name, not an attribute's name). */
function isRead(id: SyntaxNode): boolean {
  const parent = id.parent;
  if (!parent) {
    return true;
  }
  return !(parent.type === 'keyword_argument' && id.field === 'name') && !(parent.type === 'attribute' && id.field === 'attribute');
}

function identifiersNamed(root: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const id of nodesOfType(root, 'identifier')) {
    if (ctx.textOf(id) === name) {
      out.push(id);
    }
  }
  return out;
}

/** Names bound by plain assignments (`x = ...`, `a, b = ...`) anywhere under `root`. */
function assignedNames(root: SyntaxNode, ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const a of [...nodesOfType(root, 'assignment'), ...nodesOfType(root, 'augmented_assignment')]) {
    const left = child(a, 'left');
    if (!left) {
      continue;
    }
    if (left.type === 'identifier') {
      names.add(ctx.textOf(left));
    } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
      for (const item of itemsOf(left)) {
        if (item.type === 'identifier') {
          names.add(ctx.textOf(item));
        }
      }
    }
  }
  return names;
}

function isMaskNotNone(condition: SyntaxNode | null, ctx: RuleContext): boolean {
  return condition !== null && /^\(?\s*mask\s+is\s+not\s+None\s*\)?$/.test(ctx.textOf(condition));
}

/**
 * A name the body sets only under a top-level `if mask is not None:` without `else` and reads
 * after that statement, outside any other test of `mask`: unbound whenever `mask` is None.
 */
function unboundWithoutMask(body: SyntaxNode, params: Parameter[], ctx: RuleContext): string | null {
  const statements = body.children.filter(s => s.type !== 'comment');
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (s.type !== 'if_statement' || !isMaskNotNone(child(s, 'condition'), ctx)) {
      continue;
    }
    if (s.children.some(c => c.type === 'else_clause' || c.type === 'elif_clause')) {
      continue;
    }
    const consequence = child(s, 'consequence');
    if (!consequence) {
      continue;
    }
    const elsewhere = new Set<string>();
    for (const other of statements) {
      if (other !== s) {
        assignedNames(other, ctx).forEach(n => elsewhere.add(n));
      }
    }
    for (const name of assignedNames(consequence, ctx)) {
      if (elsewhere.has(name) || params.some(p => p.name === name)) {
        continue;
      }
      const readAfter = statements.slice(i + 1).some(later => {
        if (later.type === 'if_statement' && /\bmask\b/.test(ctx.textOf(child(later, 'condition') ?? later))) {
          return false;
        }
        return identifiersNamed(later, name, ctx).some(isRead);
      });
      if (readAfter) {
        return name;
      }
    }
  }
  return null;
}

function isDocstring(statement: SyntaxNode): boolean {
  return statement.type === 'expression_statement' && statement.children.length === 1 && statement.children[0].type === 'string';
}

function takeMaskFix(def: SyntaxNode, body: SyntaxNode, mask: Parameter, maskName: string, safe: boolean, ctx: RuleContext): RawFix | null {
  const statements = body.children.filter(s => s.type !== 'comment');
  const first = statements.find(s => !isDocstring(s));
  if (!first) {
    return null;
  }
  const indent = indentOf(first, ctx);
  const defIndent = indentOf(def.parent?.type === 'decorated_definition' ? def.parent : def, ctx);
  // A body on the `def` line has no indentation of its own to copy.
  if (!indent || indent.length <= defIndent.length || !indent.startsWith(defIndent)) {
    return null;
  }
  const unit = indent.slice(defIndent.length);
  return {
    title: `Take the first input's mask from \`${maskName}\``,
    safe,
    edits: [
      { start: mask.node.end, end: mask.node.end, text: `, ${maskName}=None` },
      { start: first.start, end: first.start, text: `if mask is None:\n${indent}${unit}mask = ${maskName}\n${indent}` }
    ]
  };
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  const nameNode = child(node, 'name');
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || !nameNode || ctx.textOf(nameNode) !== 'call') {
    return;
  }
  const container = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!container || container.parent !== cls.node) {
    return;
  }
  const params = parametersOf(node, ctx);
  const body = child(node, 'body');
  if (!params || !body) {
    return;
  }
  const mask = params.find(p => p.name === 'mask');
  const inputs = params.slice(1).filter(p => p.required && !NOT_INPUTS.has(p.name));
  // A required `mask` is always passed by the caller; Keras fills only a parameter left at None.
  if (!mask || mask.required || inputs.length < 2) {
    return;
  }
  const maskName = `${inputs[0].name}_mask`;
  if (params.some(p => p.name === maskName) || !identifiersNamed(body, 'mask', ctx).some(isRead)) {
    return;
  }
  const unbound = unboundWithoutMask(body, params, ctx);
  const names = inputs.map(p => `\`${p.name}\``).join(', ');
  const keras3 = `Keras 3 fills \`mask\` only when \`call()\` gets one tensor; this \`call()\` takes several (${names}), so Keras 3 leaves \`mask\` None and passes the first input's mask as \`${maskName}\` instead (Keras 2 passed it as \`mask\`)`;
  const message = unbound
    ? `${keras3}: \`${unbound}\`, set only under \`if mask is not None:\`, raises UnboundLocalError on every backend. Take \`mask\` from \`${maskName}\`.`
    : `${keras3}: the layer runs but ignores the padding Keras 2 applied. Take \`mask\` from \`${maskName}\`.`;
  // Making a program run that could not run is safe; turning the padding back on changes what a running layer computes.
  const fix = takeMaskFix(node, body, mask, maskName, unbound !== null, ctx);
  ctx.report(nameNode, message, fix, undefined, `!anywhere:${MASK_GIVEN}${cls.name} & !anywhere:${MASK_GIVEN}?`, unbound ? ['tensorflow', 'jax', 'torch'] : []);
}

/** A call passing `mask=` with several positional inputs: whose instances it calls, as a fact for the findings. */
function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const inputs = parts ? parts.positional.length + [...parts.keywords.keys()].filter(k => !NOT_INPUTS.has(k)).length : 0;
  if (!parts || !parts.keywords.has('mask') || inputs < 2) {
    return;
  }
  const fn = parts.fn;
  let classes: string[] | null = null;
  if (fn.type === 'call') {
    const made = child(fn, 'function');
    classes = made ? [ctx.textOf(made).split('.').pop() ?? ''] : null;
  } else {
    const made = constructorsOfCallee(fn, ctx);
    classes = made && made.length > 0 ? made.map(c => ctx.textOf(child(c, 'function') ?? c).split('.').pop() ?? '') : null;
  }
  if (classes === null) {
    ctx.note(`${MASK_GIVEN}?`);
  } else {
    classes.forEach(c => ctx.note(`${MASK_GIVEN}${c}`));
  }
}

export const maskWithSeveralInputs: RuleDefinition = {
  code: 'KM290',
  name: 'mask-with-several-inputs',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: a decoder layer
   * `call(self, inputs, encoder_outputs, mask=None)` after an embedding with `compute_mask`,
   * called as `Decoder()(x, encoder_outputs)` in a functional model, gets `mask=None`; with
   * `padding_mask` set only under `if mask is not None:` (keras.io's English-to-Spanish
   * Transformer, FNet text generation) it raises UnboundLocalError on all three. With
   * `inputs_mask=None` added and `mask` taken from it, the mask arrives and the model trains on all three.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `call(self, inputs, other, mask=None)` in a Keras layer or model: a `call()` taking several input tensors and a `mask` parameter it expects Keras to fill with the mask of its inputs, as the Transformer and FNet decoders of the tf.keras-era keras.io examples do. Calls that pass `mask=` themselves are left alone.',
    why:
      'Keras 2 passed the first input\'s mask as `mask`. Keras 3 fills `mask` only when `call()` receives one tensor; with several it fills parameters named `<argument>_mask` (`inputs_mask`) and leaves `mask` None. A name the layer sets only under `if mask is not None:` then raises UnboundLocalError on every backend (an error, and the fix is safe: the program could not run); otherwise the layer silently ignores the padding (a warning, and the fix is a suggestion since it changes what a running layer computes). The fix adds `inputs_mask=None` and takes `mask` from it, as Keras 2 did.',
    example:
      'import keras\nclass Decoder(keras.layers.Layer):\n    def call(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding = keras.ops.cast(mask, "float32")[:, :, None]\n        return inputs * padding + encoder_outputs',
    useInstead:
      'import keras\nclass Decoder(keras.layers.Layer):\n    def call(self, inputs, encoder_outputs, mask=None, inputs_mask=None):\n        if mask is None:\n            mask = inputs_mask\n        if mask is not None:\n            padding = keras.ops.cast(mask, "float32")[:, :, None]\n        return inputs * padding + encoder_outputs'
  },
  requires: ['mask'],
  visitors: { function_definition: visitFunction, call: visitCall }
};
