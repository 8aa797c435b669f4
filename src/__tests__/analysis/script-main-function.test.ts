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

// keras.io GAN ADA with its script code in main() (bench:variants' main style): the augmenter class
// the GAN makes in __init__ is nested in main() too; unmarked, fit() on JAX raised "Model GAN_ADA
// does not have a `call()` method implemented" while building it. Marked, the variant ran on JAX and PyTorch.
const GAN_WITH_AUGMENTER = `class Augmenter(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.flip = keras.Sequential([keras.Input((4, 4, 1)), layers.RandomFlip("horizontal")])

    def call(self, images, training=False):
        return self.flip(images, training=training)

class GAN(keras.Model):
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.augmenter = Augmenter()

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    def train_step(self, real):
        real = self.augmenter(real, training=True)
        with tf.GradientTape() as tape:
            d_loss = tf.reduce_mean(self.discriminator(real)) - tf.reduce_mean(self.discriminator(self.generator(real)))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.discriminator(self.generator(real)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss}
`;

test('a layer class nested in main() that a GAN nested there makes in __init__ is marked built, as at module level', async () => {
  const analyzer = await getAnalyzer();
  const built = (source: string) => source.split('self.built = True').length - 1;
  const inFunction = analyzer.fixFile(inMain(GAN_WITH_AUGMENTER), { unsafe: true }).source;
  const atModule = analyzer.fixFile(HEAD + GAN_WITH_AUGMENTER, { unsafe: true }).source;
  expect(built(atModule)).toBe(2);
  expect(built(inFunction)).toBe(2);
  expect(inFunction).toMatch(/self\.flip = keras\.Sequential\(.*\)\n {12}# Its state is made in __init__[^\n]*\n {12}self\.built = True\n/);
  // Another function's class of the same name is not the one main()'s GAN makes.
  const elsewhere = inMain(GAN_WITH_AUGMENTER.replace('class Augmenter', 'class Unused')).replace('def main():', 'def other():\n    class Augmenter(keras.layers.Layer):\n        def call(self, x):\n            return x\n\ndef main():');
  expect(built(analyzer.fixFile(elsewhere, { unsafe: true }).source)).toBe(1);
});

test('a helper nested in main() returning keras.ops values: .numpy() on its result in a callback nested there is converted', async () => {
  const analyzer = await getAnalyzer();
  const body = `model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])

def render(x):
    return keras.ops.sigmoid(model(x))

class Monitor(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(render(x)[0].numpy())
`;
  expect(analyzer.fixFile(inMain(body), { unsafe: true }).source).toContain('print(keras.ops.convert_to_numpy(render(x)[0]))');
  expect(analyzer.fixFile(HEAD + body, { unsafe: true }).source).toContain('print(keras.ops.convert_to_numpy(render(x)[0]))');
});
