import { child, moduleLineStart, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { withKerasImport } from '../rule-helpers';
import { kerasSpelling, REMOVED_LAYERS } from '../knowledge';
import { RFF_CLASS } from '../helpers/random-fourier-features';
import { importReplacedByDefinitions } from '../helpers/import-replacement';


const RFF = 'keras.layers.experimental.RandomFourierFeatures';


const RFF_TITLE = "Define `RandomFourierFeatures` in the program (Keras 2's layer written with keras.ops)";

/** The statement directly under the module that holds `node`. */
function topStatement(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  while (n && n.parent && n.parent.type !== 'module') {
    n = n.parent;
  }
  return n && n.parent ? n : null;
}

/** Whether this cell binds `RandomFourierFeatures` itself: a class, or a by-name import of the Keras 2 layer (whose fix defines the class). */
function rffDefinedHere(ctx: RuleContext): boolean {
  return (
    /^[ \t]*class[ \t]+RandomFourierFeatures\b/m.test(ctx.text) ||
    /^[ \t]*from[ \t]+[\w.]*layers\.experimental[ \t]+import[ \t]+RandomFourierFeatures[ \t]*(#.*)?$/m.test(ctx.text)
  );
}

/** `layers.experimental.RandomFourierFeatures(...)`: call the program's own class, defined before this statement unless the cell has it. */
function rffCallFix(node: SyntaxNode, ctx: RuleContext): RawFix | null {
  if (node.parent?.type !== 'call' || node.field !== 'function') {
    return null;
  }
  const statement = topStatement(node);
  if (!statement) {
    return null;
  }
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: 'RandomFourierFeatures' }];
  if (!rffDefinedHere(ctx)) {
    const at = moduleLineStart(statement, ctx.text);
    edits.push({ start: at, end: at, text: `${RFF_CLASS}\n\n\n` });
  }
  return { title: RFF_TITLE, safe: false, edits: withKerasImport(ctx, edits) };
}

/**
 * `from tensorflow.keras.layers.experimental import RandomFourierFeatures` (the only name): the
 * import goes, and the class is defined after the cell's last top-level import of that block.
 */
function rffImportFix(statement: SyntaxNode, ctx: RuleContext): RawFix | null {
  if (statement.parent?.type !== 'module') {
    return null;
  }
  const names = statement.children.filter(c => c.field === 'name');
  if (names.length !== 1 || names[0].type !== 'dotted_name' || ctx.textOf(names[0]) !== 'RandomFourierFeatures') {
    return null;
  }
  const edits = importReplacedByDefinitions(statement, RFF_CLASS, ctx);
  return { title: RFF_TITLE, safe: false, edits: withKerasImport(ctx, edits) };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Report the outermost dotted name only (`keras.layers.LocallyConnected2D`, not its prefixes).
  if (node.parent?.type === 'attribute' && node.field === 'object') {
    return;
  }
  // `tf.compat.v1.keras.layers.DenseFeatures` too (TensorFlow's feature-columns migration guide): the same tf.keras.
  const name = ctx.resolveKeras(node) ?? kerasSpelling(ctx.resolve(node));
  const advice = name ? REMOVED_LAYERS[name] : undefined;
  if (advice) {
    const fix = name === RFF && node.type === 'attribute' ? rffCallFix(node, ctx) : null;
    ctx.report(node, `\`${name!.split('.').pop()}\` does not exist in Keras 3; ${advice}.`, fix);
  }
}

/** `from ...layers.experimental import RandomFourierFeatures`: reported at the imported name, with the fix that defines the class. */
function visitImport(node: SyntaxNode, ctx: RuleContext): void {
  const moduleNode = child(node, 'module_name');
  const moduleName = moduleNode ? ctx.textOf(moduleNode).replace(/\s+/g, '') : '';
  if (!/^(tensorflow\.(python\.)?)?keras\.layers\.experimental$/.test(moduleName)) {
    return;
  }
  const imported = node.children.find(c => c.field === 'name' && ctx.textOf(c.type === 'aliased_import' ? (child(c, 'name') ?? c) : c) === 'RandomFourierFeatures');
  if (!imported) {
    return;
  }
  ctx.report(imported, `\`RandomFourierFeatures\` does not exist in Keras 3; ${REMOVED_LAYERS[RFF]}.`, rffImportFix(node, ctx));
}

export const removedLayer: RuleDefinition = {
  code: 'KM122',
  name: 'removed-layer',
  slug: 'removed-features',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags uses of layers and constraints Keras 3 dropped: LocallyConnected1D/2D, RandomFourierFeatures, RadialConstraint, DenseFeatures, CuDNNLSTM/CuDNNGRU.',
    why: 'These names are gone from Keras 3, so the code fails with AttributeError or ImportError (guide section "Removed features"). For `RandomFourierFeatures` the fix (a suggestion: it adds a class to the program) defines Keras 2\'s layer with keras.ops, registered for `.keras` saving, and calls it instead.',
    example: 'import keras\nx = keras.layers.LocallyConnected2D(8, 3)(x)',
    useInstead: 'import keras\nx = keras.layers.Conv2D(8, 3)(x)'
  },
  // Every finding is on a name of REMOVED_LAYERS (its last component is literal in the source) or on
  // an import of `RandomFourierFeatures`; it notes no fact.
  requires: Object.keys(REMOVED_LAYERS).map(name => name.split('.').pop()!),
  // `ctx.resolveKeras` answers for these prefixes only.
  attributes: { resolved: ['keras', 'tensorflow.'] },
  visitors: { attribute: visit, identifier: visitIdentifier, import_from_statement: visitImport }
};

function visitIdentifier(node: SyntaxNode, ctx: RuleContext): void {
  // A bare name bound by `from keras.layers import LocallyConnected2D`.
  if (node.parent?.type === 'attribute' || node.parent?.type === 'dotted_name' || node.parent?.type === 'aliased_import' || node.parent?.type === 'keyword_argument' && node.field === 'name') {
    return;
  }
  if (node.parent?.type === 'call' && node.field === 'function') {
    visit(node, ctx);
  }
}
