/**
 * Names bound by a cell's top-level imports, read from its syntax tree. The walker binds an
 * import when it reaches it, so a rule that plans a whole cell once, at the first node it
 * visits, sees none of the imports further down: keras.io programs import
 * `from tensorflow.keras.layers import StringLookup` in a later section, after a `for` loop over
 * the dataset the walker visits first. Functions defined after such an import read the name when
 * they are called, so a cell-wide plan may use it. Not a rule.
 */
import { child, rootOf, SyntaxNode } from '../ast';
import { kerasSpelling } from '../knowledge';
import type { RuleContext } from '../rule';

const memo = new WeakMap<SyntaxNode, Map<string, string>>();

/** Top-level `import a.b as c` / `from a.b import c [as d]` of the cell: bound name -> dotted path (the last binding wins). */
function cellImports(root: SyntaxNode, ctx: RuleContext): Map<string, string> {
  const known = memo.get(root);
  if (known) {
    return known;
  }
  const names = new Map<string, string>();
  for (const statement of root.children) {
    if (statement.type === 'import_statement') {
      for (const c of statement.children) {
        if (c.type === 'aliased_import') {
          const name = child(c, 'name');
          const alias = child(c, 'alias');
          if (name && alias) {
            names.set(ctx.textOf(alias), ctx.textOf(name));
          }
        } else if (c.type === 'dotted_name') {
          // `import a.b` binds `a`.
          const first = c.children[0];
          if (first) {
            names.set(ctx.textOf(first), ctx.textOf(first));
          }
        }
      }
    } else if (statement.type === 'import_from_statement') {
      const module = child(statement, 'module_name');
      if (!module || module.type !== 'dotted_name') {
        continue; // relative imports name nothing we know
      }
      for (const c of statement.children) {
        if (c === module) {
          continue;
        }
        if (c.type === 'dotted_name') {
          names.set(ctx.textOf(c), `${ctx.textOf(module)}.${ctx.textOf(c)}`);
        } else if (c.type === 'aliased_import') {
          const name = child(c, 'name');
          const alias = child(c, 'alias');
          if (name && alias) {
            names.set(ctx.textOf(alias), `${ctx.textOf(module)}.${ctx.textOf(name)}`);
          }
        }
      }
    }
  }
  memo.set(root, names);
  return names;
}

/**
 * The Keras name (as `ctx.resolveKeras` gives it) of an identifier or dotted expression, falling
 * back on the cell's top-level imports when its root name is not bound yet where the walker is.
 */
export function resolveKerasInCell(node: SyntaxNode, ctx: RuleContext): string | null {
  const direct = ctx.resolveKeras(node);
  if (direct) {
    return direct;
  }
  let base: SyntaxNode = node;
  const rest: string[] = [];
  while (base.type === 'attribute') {
    const object = child(base, 'object');
    const attribute = child(base, 'attribute');
    if (!object || !attribute) {
      return null;
    }
    rest.unshift(ctx.textOf(attribute));
    base = object;
  }
  if (base.type !== 'identifier' || ctx.lookup(ctx.textOf(base)) !== undefined) {
    return null; // bound (to something that is not Keras) where the walker is
  }
  const path = cellImports(rootOf(node), ctx).get(ctx.textOf(base));
  return path ? kerasSpelled([path, ...rest].join('.')) : null;
}

/** A dotted import path in the spelling `ctx.resolveKeras` gives (`tensorflow.keras.layers.X` -> `keras.layers.X`), or null for non-Keras paths. */
function kerasSpelled(dotted: string): string | null {
  const name = (kerasSpelling(dotted) ?? dotted).replace(/^keras\.src\./, 'keras.');
  return name === 'keras' || name.startsWith('keras.') ? name : null;
}
