/**
 * Whether the model a name holds is built at a point of the cell. Keras 3 saves and loads the weights
 * of a built model only ("You are saving a model that has not yet been built", "You are loading
 * weights into a model that has not yet been built", on every backend), and `export()` raises on a
 * model not built. Keras 2 restored a TensorFlow checkpoint into a subclassed model when it was first
 * called, and saved one without building it.
 *
 * Built when made: a Functional model, an application, a loaded model, a `Sequential` whose layers
 * give an input shape (`keras.Input`, `input_shape=`; checked on Keras 3.15). Not built when made: an
 * instance of a `keras.Model` subclass of the cell, a `Sequential` without an input shape. A model
 * not built when made is built once called, trained, evaluated, predicted with or built.
 */
import { child, enclosingFunctionDefinition, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { escapeRegExp } from '../text';
import { valueBefore } from './calls';
import { onlyVisibleDefinition } from './model-code';

/** Keras constructors whose model is built when made: a Functional model, an application, a loaded model. */
const BUILT_WHEN_MADE = /^keras\.(?:(?:models\.)?Model|applications\.[\w.]+|(?:models|saving)\.load_model)$/;

/** Layer arguments that give a `Sequential` its input shape (it is built when made). */
const GIVES_INPUT_SHAPE = /\b(?:Input|InputLayer)\s*\(|\b(?:input_shape|input_dim|batch_input_shape|batch_shape)\s*=/;

/** Uses of a model that leave it unbuilt: `compile`, `summary`, its weights' save and load, its name. */
const NOT_BUILDING_USE = /^\s*\.\s*(?:compile|summary|load_weights|save_weights|name|trainable)\b/;

/** Uses that build a model: a call on data, training, evaluation, prediction, `build()`. */
const BUILDING_USE = /^\s*(?:\(|\.\s*(?:fit|fit_generator|predict|predict_generator|evaluate|evaluate_generator|build|train_on_batch|test_on_batch|predict_on_batch|__call__)\s*\()/;

/**
 * A class body that builds its instances when made: `self.built = True`, `self.build(...)`, a call of
 * `self` on data, or a functional model's `super().__init__(inputs, outputs)` (keras.io's subclasses
 * that define their graph in `__init__`).
 */
const BUILDS_ITSELF = /\bself\.built\s*=(?!=)|\bself(?:\.build)?\s*\(|\.__init__\(\s*(?:self\s*,\s*)?(?:(?:inputs|outputs)\s*=|[A-Za-z_][\w.]*\s*,\s*[^\s*)])/;

export type ModelBuildState = 'built' | 'unbuilt' | 'unknown';

/** How a value builds a model when made: a `Sequential` literal list with or without an input shape, a subclass instance, ... */
function stateWhenMade(value: SyntaxNode, ctx: RuleContext): ModelBuildState {
  const fn = value.type === 'call' ? child(value, 'function') : null;
  if (!fn) {
    return 'unknown';
  }
  const keras = ctx.resolveKeras(fn) ?? '';
  const args = child(value, 'arguments')?.children.filter(a => a.type !== 'comment') ?? [];
  if (BUILT_WHEN_MADE.test(keras)) {
    // `keras.Model()` with no arguments is an empty subclass-style model.
    return keras.endsWith('Model') && !args.length ? 'unbuilt' : 'built';
  }
  if (/^keras\.(?:models\.)?Sequential$/.test(keras)) {
    const layers = args.find(a => a.type !== 'keyword_argument') ?? child(args.find(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === 'layers') ?? value, 'value');
    if (!layers || layers === value) {
      return 'unbuilt';
    }
    if (layers.type !== 'list') {
      return 'unknown';
    }
    const items = layers.children.filter(c => c.type !== 'comment');
    // A name may hold an InputLayer or a built model: not followed.
    if (items.some(i => i.type !== 'call')) {
      return 'unknown';
    }
    return items.some(i => GIVES_INPUT_SHAPE.test(ctx.textOf(i))) ? 'built' : 'unbuilt';
  }
  // A class that builds itself (`self.built = True`, `self.build(...)` in its __init__) or is defined in another cell.
  const cls = subclassInstantiated(value, ctx);
  return cls && !BUILDS_ITSELF.test(ctx.textOf(cls)) ? 'unbuilt' : 'unknown';
}

/** The `keras.Model` subclass of the cell a value instantiates (`Net()`), or null. */
function subclassInstantiated(value: SyntaxNode | null, ctx: RuleContext): SyntaxNode | null {
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  const binding = fn?.type === 'identifier' ? ctx.lookup(ctx.textOf(fn)) : undefined;
  return fn && binding?.kind === 'class' && binding.keras === 'model' ? onlyVisibleDefinition(value!, 'class_definition', ctx.textOf(fn), ctx) : null;
}

/** The `keras.Model` subclass of the cell the value of `model` at `at` instantiates (`net = Net()`), or null. */
export function modelClassMade(model: SyntaxNode, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  return subclassInstantiated(model.type === 'identifier' ? valueBefore(ctx.textOf(model), at, ctx) : null, ctx);
}

/**
 * Whether the model `model` (a name) holds at `at` is built there: 'unbuilt' only where the cell makes
 * it unbuilt (stateWhenMade) in the same function or at the top level and, between that and `at`,
 * mentions it only in uses that do not build it (NOT_BUILDING_USE); 'built' after a use that builds
 * it (BUILDING_USE). Handed to another call (`train(model, x, y)`) or used otherwise, it may be
 * built: 'unknown'. A name made in another cell, or an attribute, is 'unknown' too.
 */
export function modelBuildState(model: SyntaxNode, at: SyntaxNode, ctx: RuleContext): ModelBuildState {
  if (model.type !== 'identifier') {
    return 'unknown';
  }
  const name = ctx.textOf(model);
  const value = valueBefore(name, at, ctx);
  if (!value || value.start > at.start) {
    return 'unknown';
  }
  const made = stateWhenMade(value, ctx);
  if (made !== 'unbuilt') {
    return made;
  }
  if (enclosingFunctionDefinition(value) !== enclosingFunctionDefinition(at)) {
    return 'unknown';
  }
  const between = ctx.text.slice(value.end, at.start);
  const mention = new RegExp(`(?<![\\w.])${escapeRegExp(name)}\\b`, 'g');
  let state: ModelBuildState = 'unbuilt';
  for (let m = mention.exec(between); m; m = mention.exec(between)) {
    const after = between.slice(m.index + name.length, m.index + name.length + 40);
    if (BUILDING_USE.test(after)) {
      return 'built';
    }
    if (!NOT_BUILDING_USE.test(after)) {
      state = 'unknown';
    }
  }
  return state;
}
