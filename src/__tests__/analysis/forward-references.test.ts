/**
 * A function body runs when it is called, not where it is written: the names it reads may be
 * assigned further down (a script's helpers above its main code, a helper cell above the model).
 * The rules see those names as what they hold by then.
 */
import { getAnalyzer } from './helpers';

const TAPE_HELPER = `import tensorflow as tf
from tensorflow import keras


def adversarial_pattern(image, label):
    with tf.GradientTape() as tape:
        tape.watch(image)
        prediction = classifier(image)
        loss = loss_object(label, prediction)
    gradient = tape.gradient(loss, image)
    return tf.sign(gradient)

`;
const MODEL = `classifier = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
loss_object = keras.losses.CategoricalCrossentropy()
`;
const CALL = 'pattern = adversarial_pattern(tf.zeros((1, 4)), tf.one_hot([1], 3))\n';

test('a tape in a function over a model assigned below the function is a tape over a model', async () => {
  const analyzer = await getAnalyzer();
  const rules = (source: string) => analyzer.analyzeFile(source).map(f => f.rule);
  expect(rules(TAPE_HELPER + MODEL + CALL)).toContain('KM218');
  // The same as with the model above the function.
  const above = TAPE_HELPER.replace('\n\ndef ', '\n\n' + MODEL + '\n\ndef ');
  expect(rules(above)).toContain('KM218');
  // A name bound nowhere in the program stays unknown.
  expect(rules(TAPE_HELPER + CALL)).not.toContain('KM218');
});

test('a Sequential a function maps in tf.data, assigned below the function before its first call, becomes a Pipeline', async () => {
  const analyzer = await getAnalyzer();
  const source = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def prepare(ds):
    return ds.map(lambda x, y: (augment(x, training=True), y))


augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
train_ds = prepare(tf.data.Dataset.from_tensor_slices((images, labels)).batch(8))
`;
  const fixed = analyzer.fixFile(source, { unsafe: true }).source;
  expect(fixed).toContain('augment = keras.layers.Pipeline([');
  // Assigned only after the function's first use: not what the function saw then.
  const late = source.replace(/(augment = .*\n)(train_ds = .*\n)/, '$2$1');
  expect(analyzer.fixFile(late, { unsafe: true }).source).not.toContain('Pipeline');
});
