/**
 * What it does: flags a model built on a `FeatureSpace`'s raw inputs (`keras.Model(inputs=
 * feature_space.get_inputs(), ...)`, keras.io's end-to-end inference model) when the
 * FeatureSpace has a string feature.
 * Why: that model takes the raw strings and runs the FeatureSpace's string lookups inside
 * itself. TensorFlow tensors can hold strings; JAX and PyTorch cannot ("data type 'string' not
 * understood", "Invalid dtype: object"), so predicting on raw samples fails there.
 * Example: `inference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=predictions)`
 * Use instead: encode raw samples with the FeatureSpace (`feature_space(sample)`, or in tf.data
 * `tf.data.Dataset.from_tensors(sample).map(feature_space)`) and predict with the model built on
 * `feature_space.get_encoded_features()` (the suggested fix, where the cell has that model, or calls
 * a model on those encoded features for the outputs: then that model predicts).
 */
import { child, rootOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { calleeName, callParts, valueBefore } from '../rule-helpers';
import { holdsModel, rewriteDataCalls } from '../helpers/string-export-model';

/** Noted where a FeatureSpace declares a string feature (`FeatureSpace.string_categorical(...)`, `"string_categorical"`). */
const STRING_FEATURE = 'feature-space-string-feature';
/** Noted where a model held by a name predicts or evaluates (`inference_model.predict(sample)`). */
const PREDICTS = 'predicts-with:';

/** The FeatureSpace expression of `<fs>.<method>()` (or of a name assigned one), else null. */
function featureSpaceOf(node: SyntaxNode, method: string, ctx: RuleContext): SyntaxNode | null {
  const value = node.type === 'identifier' ? valueBefore(ctx.textOf(node), node, ctx) : node;
  if (!value || value.type !== 'call') {
    return null;
  }
  const fn = child(value, 'function');
  return fn && fn.type === 'attribute' && calleeName(fn, ctx) === method ? child(fn, 'object') : null;
}

function isKerasModel(fn: SyntaxNode, ctx: RuleContext): boolean {
  return /^keras\.(models\.)?Model$/.test(ctx.resolveKeras(fn) ?? '');
}

/**
 * The name of the model built before `before` on the same FeatureSpace's encoded features with the
 * same outputs (`training_model = keras.Model(inputs=encoded_features, outputs=predictions)`), or null.
 */
function trainingModel(space: string, outputs: string, before: SyntaxNode, ctx: RuleContext): string | null {
  const root = rootOf(before);
  let found: string | null = null;
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    stack.push(...n.children);
    const parts = n.type === 'call' && n.end <= before.start ? callParts(n, ctx) : null;
    if (!parts || !isKerasModel(parts.fn, ctx) || n.parent?.type !== 'assignment') {
      continue;
    }
    const inputs = parts.keywords.get('inputs')?.value ?? parts.positional[0];
    const outs = parts.keywords.get('outputs')?.value ?? parts.positional[1];
    const encodedOf = inputs ? featureSpaceOf(inputs, 'get_encoded_features', ctx) : null;
    const left = child(n.parent, 'left');
    if (encodedOf && ctx.textOf(encodedOf) === space && outs && ctx.textOf(outs) === outputs && left?.type === 'identifier') {
      found = ctx.textOf(left);
    }
  }
  return found;
}

/**
 * The name of the model whose call on the same FeatureSpace's encoded features gives the outputs
 * (`outputs = model(loaded_feature_space.get_encoded_features())`, directly or through names: keras.io's
 * FeatureSpace advanced example builds its inference model so, on a FeatureSpace loaded back), or null.
 * Only a name holding a Keras model counts (a layer alone was never trained to predict).
 */
function modelOnEncoded(space: string, outputs: SyntaxNode, ctx: RuleContext): string | null {
  const value = outputs.type === 'identifier' ? valueBefore(ctx.textOf(outputs), outputs, ctx) : outputs;
  const parts = value && value.type === 'call' ? callParts(value, ctx) : null;
  if (!parts || parts.fn.type !== 'identifier' || parts.positional.length !== 1 || parts.keywords.size > 0) {
    return null;
  }
  const encodedOf = featureSpaceOf(parts.positional[0], 'get_encoded_features', ctx);
  return encodedOf && ctx.textOf(encodedOf) === space && holdsModel(parts.fn, ctx) ? ctx.textOf(parts.fn) : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = calleeName(parts.fn, ctx);
  const receiver = parts.fn.type === 'attribute' ? child(parts.fn, 'object') : null;
  if (/^(predict|predict_on_batch|evaluate)$/.test(name) && receiver && receiver.type === 'identifier') {
    ctx.note(PREDICTS + ctx.textOf(receiver));
    return;
  }
  if (name === 'string_categorical' || name === 'string_hashed') {
    ctx.note(STRING_FEATURE);
    return;
  }
  if (name === 'FeatureSpace') {
    // `features={"thal": "string_categorical"}`: the preset names.
    const features = parts.keywords.get('features')?.value ?? parts.positional[0];
    if (features && /["']string_(categorical|hashed)["']/.test(ctx.textOf(features))) {
      ctx.note(STRING_FEATURE);
    }
    return;
  }
  if (!isKerasModel(parts.fn, ctx)) {
    return;
  }
  const inputs = parts.keywords.get('inputs')?.value ?? parts.positional[0];
  const space = inputs ? featureSpaceOf(inputs, 'get_inputs', ctx) : null;
  if (!inputs || !space) {
    return;
  }
  // Only a model that then predicts or evaluates gets raw samples (a conversion may keep building it unused).
  const assignment = node.parent && node.parent.type === 'assignment' && child(node.parent, 'right') === node ? node.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  const used = target && target.type === 'identifier' ? ` & anywhere:${PREDICTS}${ctx.textOf(target)}` : '';
  const why =
    'This model takes the FeatureSpace\'s raw inputs and runs its string lookups inside itself: JAX and PyTorch tensors cannot hold strings ("data type \'string\' not understood", "Invalid dtype: object"), so predicting on raw samples fails there.';
  const outputs = parts.keywords.get('outputs')?.value ?? parts.positional[1];
  const fs = ctx.textOf(space);
  const built = outputs && assignment && target?.type === 'identifier' ? trainingModel(fs, ctx.textOf(outputs), assignment, ctx) : null;
  const called = !built && outputs && assignment && target?.type === 'identifier' ? modelOnEncoded(fs, outputs, ctx) : null;
  const training = built ?? called;
  const rewrite = training ? rewriteDataCalls(ctx.textOf(target!), assignment!, training, { array: data => `${fs}(${data})`, dataset: data => `${data}.map(lambda x, *rest: (${fs}(x), *rest))` }, [training, fs], ctx) : null;
  if (training && rewrite?.edits) {
    ctx.report(
      node,
      `${why} Suggested fix: encode the raw samples with the FeatureSpace outside the model (\`${fs}(sample)\`, which runs TensorFlow on every backend and gives backend tensors) and predict with \`${training}\`, ${called ? 'the model this one calls on its encoded features' : 'the model built on its encoded features with the same outputs'}; this model is still built, which runs on every backend.`,
      { title: `Encode the samples with \`${fs}\` and predict with \`${training}\``, safe: false, edits: rewrite.edits },
      undefined,
      'anywhere:' + STRING_FEATURE + used
    );
    return;
  }
  const refusal = training ? rewrite!.refusal : 'no model built on the same FeatureSpace\'s `get_encoded_features()` with the same outputs before it, nor a model called on them for the outputs';
  ctx.report(
    node,
    `${why} No automatic fix here (${refusal}): encode raw samples with the FeatureSpace (\`${fs}(sample)\`, or in tf.data: \`tf.data.Dataset.from_tensors(sample).map(${fs})\`) and predict with the model built on \`get_encoded_features()\`.`,
    null,
    undefined,
    'anywhere:' + STRING_FEATURE + used
  );
}

export const featureSpaceStringInputsModel: RuleDefinition = {
  code: 'KM245',
  name: 'feature-space-string-inputs-model',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15.1 (examples/runnable/structured_data_feature_space.py): predict
   * on a raw sample dict with a string feature runs on TensorFlow and fails on JAX ("data type
   * 'string' not understood") and PyTorch ("Invalid dtype: object").
   */
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `keras.Model(inputs=feature_space.get_inputs(), ...)` (or a name assigned `feature_space.get_inputs()`), assigned to a name that then predicts or evaluates (or not assigned), when a FeatureSpace of the program has a string feature (`FeatureSpace.string_categorical(...)`, `FeatureSpace.string_hashed(...)` or the preset names `"string_categorical"`/`"string_hashed"`).',
    why:
      'keras.io\'s structured data example builds an end-to-end inference model on the FeatureSpace\'s raw inputs, so that it takes raw samples, strings included, and encodes them inside the model. TensorFlow tensors hold strings; JAX and PyTorch tensors cannot, and predicting on a raw sample fails there ("data type \'string\' not understood" on JAX, "Invalid dtype: object" on PyTorch; checked on Keras 3.15.1). The portable way is the one training already uses: the FeatureSpace encodes outside the model, and the model built on `get_encoded_features()` predicts. Suggested (unsafe) fix, where the cell builds before it a model on the same FeatureSpace\'s `get_encoded_features()` with the same outputs (keras.io\'s `training_model`), or whose outputs are a model called on that FeatureSpace\'s `get_encoded_features()` (`outputs = model(loaded_feature_space.get_encoded_features())`, keras.io\'s FeatureSpace advanced example with the FeatureSpace loaded back; that model is then the one that predicts), and runs the inference model on data only with `predict`/`predict_on_batch` or a direct call in the same scope: each such call predicts with the training model on `feature_space(sample)` (an eager call, which runs the FeatureSpace\'s TensorFlow preprocessing on every backend and gives backend tensors; a dataset is mapped with it); the inference model is still built, which runs everywhere. No fix where it is evaluated or trained (its data holds labels), passed on, or where a name involved is assigned again: the message says what to do. Not covered by the migration guide.',
    example:
      'import keras\nfeature_space = keras.utils.FeatureSpace(features={"thal": "string_categorical", "age": "float_normalized"}, output_mode="concat")\nencoded = feature_space.get_encoded_features()\npredictions = keras.layers.Dense(1, activation="sigmoid")(encoded)\ninference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=predictions)\ninference_model.predict(sample)',
    useInstead:
      'import keras\nfeature_space = keras.utils.FeatureSpace(features={"thal": "string_categorical", "age": "float_normalized"}, output_mode="concat")\nencoded = feature_space.get_encoded_features()\npredictions = keras.layers.Dense(1, activation="sigmoid")(encoded)\ntraining_model = keras.Model(inputs=encoded, outputs=predictions)\ntraining_model.predict(tf.data.Dataset.from_tensors(sample).map(feature_space))'
  },
  calls: { names: ['Model', 'FeatureSpace', 'string_categorical', 'string_hashed', 'predict', 'predict_on_batch', 'evaluate'] },
  // Its finding holds only where a FeatureSpace string feature was noted: a `FeatureSpace(...)` call or `string_categorical`/`string_hashed`.
  requires: ['FeatureSpace', 'string_categorical', 'string_hashed'],
  visitors: { call: visit }
};
