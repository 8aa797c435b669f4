/**
 * A script whose code lives in `def main():`, its helpers nested there (they read main's names as
 * closures): a helper handed to Keras is model code by its own name, as at module level.
 */
import { getAnalyzer } from './helpers';

const HEAD = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n\n';

function inMain(body: string): string {
  return HEAD + 'def main():\n' + body.replace(/^(?=.)/gm, '    ') + '\n\nif __name__ == "__main__":\n    main()\n';
}

const LAMBDA_HELPER = `scale = 2.0

def l2_normalize(t):
    return scale * tf.math.l2_normalize(t, axis=-1)

inputs = keras.Input(shape=(4,))
x = layers.Lambda(l2_normalize)(inputs)
model = keras.Model(inputs, layers.Dense(3)(x))
`;

test('a Lambda function nested in main() is model code: its TF op is converted', async () => {
  const analyzer = await getAnalyzer();
  const fixed = analyzer.fixFile(inMain(LAMBDA_HELPER), { unsafe: true }).source;
  expect(fixed).toContain('return scale * keras.ops.normalize(t, axis=-1');
  // As at module level.
  expect(analyzer.fixFile(HEAD + LAMBDA_HELPER, { unsafe: true }).source).toContain('return scale * keras.ops.normalize(t, axis=-1');
});

test('a nested function that only eager code calls is not model code', async () => {
  const analyzer = await getAnalyzer();
  const eager = LAMBDA_HELPER.replace('layers.Lambda(l2_normalize)(inputs)', 'inputs').replace('model = ', 'print(l2_normalize(tf.ones((2, 4))))\nmodel = ');
  const findings = analyzer.analyzeFile(inMain(eager)).filter(f => f.rule === 'KM131');
  expect(findings).toEqual([]);
});

test('a Sequential that a function nested in main() maps in tf.data (through a factory nested there) becomes a Pipeline', async () => {
  const analyzer = await getAnalyzer();
  const body = `augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])

def preprocess(training=True):
    def _pp(image, label):
        if training:
            image = augment(image, training=True)
        return image, label
    return _pp

def prepare(x, y, training=True):
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(8).map(preprocess(training))

train = prepare(images, labels)
`;
  expect(analyzer.fixFile(inMain(body), { unsafe: true }).source).toContain('    augment = keras.layers.Pipeline([');
  expect(analyzer.fixFile(HEAD + body, { unsafe: true }).source).toContain('augment = keras.layers.Pipeline([');
  // A local of another function is not what the nested helper reads.
  const elsewhere = body.replace('augment = keras.Sequential', 'def unrelated():\n    augment = keras.Sequential').replace('\n\ndef preprocess', '\n    return augment\n\ndef preprocess');
  expect(analyzer.fixFile(inMain(elsewhere), { unsafe: true }).source).not.toContain('Pipeline');
});
