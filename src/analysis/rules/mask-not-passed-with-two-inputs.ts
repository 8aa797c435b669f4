/**
 * What it does: flags, in a Keras layer's `call(self, inputs, other, mask=None)` (two tensor
 * arguments and a `mask` parameter), a name bound only under `if mask is not None:` (no `else`)
 * and read after that statement (keras.io's Transformer decoders: `padding_mask`), and adds
 * `else: name = None`.
 * Why: Keras 2 passed the mask of the first input as `mask`. Keras 3 fills `mask` only for a layer
 * called with one tensor argument (with several, it fills `<argument>_mask` parameters), so
 * `mask` stays None, the name is never bound, and the call raises "cannot access local variable
 * 'padding_mask' where it is not associated with a value" on every backend, when the functional
 * model is built.
 * Example: `if mask is not None: padding_mask = ...` then `attention_mask=padding_mask`
 * Use instead: the same, with `else: padding_mask = None` (as keras.io's Keras 3 conversion).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

/** The parameters of `def call(...)` after `self`: required names, and whether `mask` defaults to None. */
function callSignature(def: SyntaxNode, ctx: RuleContext): { required: string[]; maskNone: boolean } {
  const required: string[] = [];
  let maskNone = false;
  for (const p of child(def, 'parameters')?.children ?? []) {
    if (p.type === 'identifier' || p.type === 'typed_parameter') {
      const name = ctx.textOf(p.type === 'identifier' ? p : (p.children.find(c => c.type === 'identifier') ?? p));
      if (name !== 'self') {
        required.push(name);
      }
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      if (ctx.textOf(child(p, 'name') ?? p) === 'mask' && ctx.textOf(child(p, 'value') ?? p) === 'None') {
        maskNone = true;
      }
    }
  }
  return { required, maskNone };
}

/** The names of every parameter of `def`. */
function identifiersOfParameters(def: SyntaxNode, ctx: RuleContext): string[] {
  return (child(def, 'parameters')?.children ?? []).map(p => {
    const n = p.type === 'identifier' ? p : child(p, 'name') ?? p.children.find(c => c.type === 'identifier');
    return n ? ctx.textOf(n) : '';
  });
}

/** Names a block binds with a plain `name = ...` statement (its own statements, not nested ones). */
function boundNames(block: SyntaxNode, ctx: RuleContext): string[] {
  const names: string[] = [];
  for (const s of block.children) {
    const e = s.type === 'expression_statement' ? s.children[0] : null;
    const left = e?.type === 'assignment' ? child(e, 'left') : null;
    if (left?.type === 'identifier') {
      names.push(ctx.textOf(left));
    }
  }
  return names;
}

/** Whether `node` reads identifier `name` (outside nested functions, classes and lambdas). */
function reads(node: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && ctx.textOf(n) === name) {
      return true;
    }
    if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
      stack.push(...n.children);
    }
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  if (!name || ctx.textOf(name) !== 'call' || !ctx.cls || ctx.cls.keras !== 'layer' || node.parent?.parent?.type !== 'class_definition') {
    return;
  }
  const { required, maskNone } = callSignature(node, ctx);
  // Two tensor arguments: Keras 3 then fills only `<argument>_mask` parameters, never `mask`.
  if (!maskNone || required.length < 2 || required.includes('training')) {
    return;
  }
  // A layer the program calls with `mask=` gets its mask (`self.decoder(x, enc, mask=mask)`).
  if (ctx.text.split('\n').some(line => !/^\s*(async\s+)?def\s/.test(line) && /[(,]\s*mask\s*=[^=]/.test(line))) {
    return;
  }
  const body = child(node, 'body');
  const statements = body?.children ?? [];
  statements.forEach((stmt, i) => {
    if (stmt.type !== 'if_statement' || child(stmt, 'alternative') || stmt.children.some(c => c.type === 'elif_clause' || c.type === 'else_clause')) {
      return;
    }
    const condition = child(stmt, 'condition');
    const consequence = child(stmt, 'consequence');
    if (!condition || !consequence || ctx.textOf(condition).replace(/\s+/g, ' ') !== 'mask is not None') {
      return;
    }
    // Names bound before the `if` (at any depth) are bound already.
    // Parameters are bound on entry.
    const before = new Set<string>([...identifiersOfParameters(node, ctx)]);
    const stack = statements.slice(0, i);
    while (stack.length) {
      const n = stack.pop()!;
      const left = n.type === 'assignment' || n.type === 'augmented_assignment' ? child(n, 'left') : null;
      if (left?.type === 'identifier') {
        before.add(ctx.textOf(left));
      }
      if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
        stack.push(...n.children);
      }
    }
    const after = statements.slice(i + 1);
    const names = [...new Set(boundNames(consequence, ctx))].filter(n => n !== 'mask' && !before.has(n) && after.some(s => reads(s, n, ctx)));
    if (!names.length) {
      return;
    }
    // `else:` at the `if`'s column, its body at the consequence's.
    const lineStart = ctx.text.lastIndexOf('\n', stmt.start - 1) + 1;
    const indent = ctx.text.slice(lineStart, stmt.start);
    const bodyLineStart = ctx.text.lastIndexOf('\n', consequence.start - 1) + 1;
    const bodyIndent = ctx.text.slice(bodyLineStart, consequence.start);
    if (!/^[ \t]*$/.test(indent) || !/^[ \t]*$/.test(bodyIndent) || bodyIndent.length <= indent.length) {
      return;
    }
    const text = `\n${indent}else:\n${names.map(n => `${bodyIndent}${n} = None`).join('\n')}`;
    const shown = names.map(n => `\`${n}\``).join(', ');
    ctx.report(
      condition,
      `\`call()\` takes two tensor arguments and \`mask=None\`: Keras 3 passes \`mask\` only to a layer called with one tensor argument (Keras 2 passed the first input's mask), so \`mask\` is None here and ${shown}, bound only under \`if mask is not None:\`, is unbound where it is read ("cannot access local variable" on every backend). Add \`else: ${names[0]} = None\` (the layer then runs without the padding mask), or take the mask as \`<argument>_mask\`.`,
      { title: `Add \`else: ${names.map(n => `${n} = None`).join('; ')}\``, safe: false, edits: [{ start: stmt.end, end: stmt.end, text }] }
    );
  });
}

export const maskNotPassedWithTwoInputs: RuleDefinition = {
  code: 'KM281',
  name: 'mask-not-passed-with-two-inputs',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch: a layer whose
   * `call(self, inputs, encoder_outputs, mask=None)` binds `padding_mask` only under
   * `if mask is not None:`, called in a functional model on an embedding with compute_mask() and a
   * second input, raises UnboundLocalError on all three while the model is built; with
   * `else: padding_mask = None` it builds and trains
   * (python_kernel_hooks/tests/claims/mask_not_passed_with_two_inputs.py).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['mask'],
  docs: {
    whatItDoes:
      'Flags `if mask is not None:` without an `else` in the `call()` of a Keras Layer subclass whose signature takes two required arguments besides `self` (none named `training`) and `mask=None`, when a name bound in that `if` is read after it (keras.io\'s Transformer decoders: `padding_mask`). The suggestion adds `else: <name> = None`.',
    why:
      'Keras 2 passed the first input\'s mask as `mask`. Keras 3 populates `mask` only when the layer is called with a single tensor argument; with several it fills parameters named `<argument>_mask` instead, so `mask` stays None, the name is never bound, and calling the layer raises "cannot access local variable \'padding_mask\' where it is not associated with a value" on every backend (while the functional model is built). Binding None keeps the layer running without the padding mask, as keras.io\'s Keras 3 conversions do; taking the mask as `inputs_mask` keeps it. Not covered by the migration guide.',
    example:
      'import keras\nclass Decoder(keras.layers.Layer):\n    def call(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding_mask = keras.ops.cast(mask[:, None, :], "int32")\n        return self.attention(inputs, encoder_outputs, attention_mask=padding_mask)\n',
    useInstead:
      'import keras\nclass Decoder(keras.layers.Layer):\n    def call(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding_mask = keras.ops.cast(mask[:, None, :], "int32")\n        else:\n            padding_mask = None\n        return self.attention(inputs, encoder_outputs, attention_mask=padding_mask)\n'
  },
  requires: ['mask'],
  visitors: { function_definition: visit }
};
