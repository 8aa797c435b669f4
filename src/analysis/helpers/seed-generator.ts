/**
 * Seeded random numbers in a Keras layer: the `keras.random.SeedGenerator` a layer or model
 * holds (created in `__init__`) and passes as `seed=` to every `keras.random` call. Under JAX a
 * traced `call` may only draw from such a generator (an unseeded draw raises, a TF random op
 * cannot take a traced shape); the guide's "RNG handling" section writes layers this way.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { kerasMethodName } from './model-code';
import { lineStartAt } from '../text';

export interface SeedGeneratorUse {
  /** What to pass as `seed=` (`self.seed_generator`). */
  seed: string;
  /** Edits that create the generator in `__init__` (none when the class has one) and add `import keras`. */
  edits: OffsetEdit[];
}

const EXISTING = /\bself\.(\w+)\s*=\s*(?:[\w.]+\.)?SeedGenerator\(/;
/** Methods that run eagerly once (not traced): a draw there needs no generator. */
export const EAGER_METHODS = new Set(['__init__', 'build', 'get_config', 'from_config']);

function indentOf(node: SyntaxNode, ctx: RuleContext): string {
  const lineStart = lineStartAt(ctx.text, node.start);
  const indent = ctx.text.slice(lineStart, node.start);
  return /^[ \t]*$/.test(indent) ? indent : '';
}

function isDocstring(statement: SyntaxNode): boolean {
  return statement.type === 'expression_statement' && statement.children.length === 1 && statement.children[0].type === 'string';
}

/**
 * The seed generator of the Keras layer or model whose method encloses the current node,
 * creating one (`initialSeed`, e.g. `1337` or empty) when the class has none; null outside
 * such a method, in `__init__`, or when `__init__` does not call `super().__init__` (the
 * generator must be set after it).
 */
export function seedGeneratorFor(ctx: RuleContext, initialSeed: string): SeedGeneratorUse | null {
  const cls = ctx.cls;
  const method = kerasMethodName(ctx);
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || !method || method === '__init__') {
    return null;
  }
  const classText = ctx.textOf(cls.node);
  const existing = EXISTING.exec(classText);
  if (existing) {
    return { seed: `self.${existing[1]}`, edits: [] };
  }
  const body = child(cls.node, 'body');
  if (!body) {
    return null;
  }
  const attribute = /\bself\.seed_generator\b/.test(classText) ? 'rng_seed_generator' : 'seed_generator';
  const creation = `self.${attribute} = keras.random.SeedGenerator(${initialSeed})`;
  const edits: OffsetEdit[] = [];
  const definitions = body.children.map(s => (s.type === 'decorated_definition' ? s.children[s.children.length - 1] : s));
  const init = definitions.find(d => d.type === 'function_definition' && ctx.textOf(child(d, 'name') ?? d) === '__init__');
  if (init) {
    const initBody = child(init, 'body');
    const superCall = initBody?.children.find(s => s.type === 'expression_statement' && /^super\b[\s\S]*\.__init__\s*\(/.test(ctx.textOf(s)));
    if (!superCall) {
      return null;
    }
    edits.push({ start: superCall.end, end: superCall.end, text: `\n${indentOf(superCall, ctx)}${creation}` });
  } else {
    const first = body.children.find(s => !isDocstring(s) && s.type !== 'comment');
    if (!first) {
      return null;
    }
    const indent = indentOf(first, ctx);
    const inner = indent + (indent.includes('\t') ? '\t' : '    ');
    edits.push({
      start: first.start,
      end: first.start,
      text: `def __init__(self, *args, **kwargs):\n${inner}super().__init__(*args, **kwargs)\n${inner}${creation}\n\n${indent}`
    });
  }
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return { seed: `self.${attribute}`, edits };
}
