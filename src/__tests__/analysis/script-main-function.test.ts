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

test('a functional model of preprocessing layers made in main() and mapped in tf.data there becomes a Pipeline', async () => {
  const analyzer = await getAnalyzer();
  const body = `aug_in = keras.Input(shape=(8, 8, 3))
aug_out = layers.RandomFlip("horizontal")(aug_in)
augmenter = keras.Model(aug_in, aug_out, name="augmenter")

def augment(image, label):
    return augmenter(image, training=True), label

train = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4).map(augment)
`;
  const fixed = analyzer.fixFile(inMain(body), { unsafe: true }).source;
  expect(fixed).toContain('    augmenter = keras.layers.Pipeline([layers.RandomFlip("horizontal")], name="augmenter")\n');
  expect(fixed).not.toContain('aug_in');
  expect(analyzer.fixFile(HEAD + body, { unsafe: true }).source).toContain('augmenter = keras.layers.Pipeline([layers.RandomFlip("horizontal")], name="augmenter")\n');
});

test('a method of a class nested in main() does not hide a name main() reads (`def metrics(self)` and the metrics module)', async () => {
  const analyzer = await getAnalyzer();
  const body = `from tensorflow.keras import metrics
emb = keras.Sequential([keras.Input((3,)), layers.Dense(2)])

class Siamese(keras.Model):
    @property
    def metrics(self):
        return []

similarity = metrics.CosineSimilarity()
print(similarity(emb(x), emb(x)).numpy())
`;
  const findings = analyzer.analyzeFile(inMain(body)).filter(f => f.rule === 'KM186');
  expect(findings.length).toBe(1);
  expect(analyzer.analyzeFile(HEAD + body).filter(f => f.rule === 'KM186').length).toBe(1);
});

// keras.io DDPM with its script code in main(): the GaussianDiffusion utility's methods, called by
// the model's train_step, kept their TF ops (fit() failed on JAX and PyTorch); converted, it ran on both.
test('a plain class nested in main() whose methods model code calls is model code, as at module level', async () => {
  const analyzer = await getAnalyzer();
  const body = `class Diffusion:
    def __init__(self, betas):
        self.betas = tf.constant(betas)

    def q_sample(self, x, t):
        return tf.gather(self.betas, t)[:, None] * x

class Model(keras.Model):
    def __init__(self, net, util):
        super().__init__()
        self.net = net
        self.util = util

    def call(self, x):
        return self.net(self.util.q_sample(x, keras.ops.zeros((2,), "int32")))
`;
  const fixed = analyzer.fixFile(inMain(body), { unsafe: true }).source;
  expect(fixed).toContain('return keras.ops.take(self.betas, t, axis=0)[:, None] * x');
  expect(analyzer.fixFile(HEAD + body, { unsafe: true }).source).toContain('return keras.ops.take(self.betas, t, axis=0)[:, None] * x');
});

test('a model class nested in main() that load_model() reloads without it is registered there', async () => {
  const analyzer = await getAnalyzer();
  const body = `class Net(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.units = units
        self.dense = layers.Dense(units)

    def call(self, x):
        return self.dense(x)

net = Net(3)
net.save("net.keras")
again = keras.models.load_model("net.keras")
`;
  const fixed = analyzer.fixFile(inMain(body), { unsafe: true }).source;
  expect(fixed).toMatch(/\n {4}@keras\.(saving|utils)\.register_keras_serializable\(\)\n {4}class Net\(keras\.Model\):/);
});

// Ran after fix --unsafe: TensorFlow, JAX and PyTorch (as keras.io MAE in main() did).
test('a model class nested in main() whose step runs a network on parts of the batch: batch_as_x is defined in main() above it', async () => {
  const analyzer = await getAnalyzer();
  const body = `net = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
ds = tf.data.Dataset.from_tensor_slices((tf.ones((8, 3)), tf.ones((8, 3)))).batch(4)

class Siamese(keras.Model):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.tracker = keras.metrics.Mean(name="loss")

    def train_step(self, data):
        anchor, other = data
        with tf.GradientTape() as tape:
            a = self.net(anchor)
            b = self.net(other)
            loss = tf.reduce_mean(tf.square(a - b))
        grads = tape.gradient(loss, self.net.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.net.trainable_weights))
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result()}

    @property
    def metrics(self):
        return [self.tracker]

model = Siamese(net)
model.compile(optimizer="adam")
model.fit(ds, epochs=1, verbose=0)
`;
  const fixed = analyzer.fixFile(inMain(body), { unsafe: true }).source;
  expect(fixed).toMatch(/\n {4}def batch_as_x\(\*batch\):\n {8}"""[^\n]*\n {8}return \(batch if len\(batch\) > 1 else batch\[0\],\)\n\n\n {4}class Siamese\(keras\.Model\):/);
  expect(fixed).toContain('    model.fit(ds.map(batch_as_x), epochs=1, verbose=0)');
  expect(analyzer.fixFile(HEAD + body, { unsafe: true }).source).toContain('model.fit(ds.map(batch_as_x), epochs=1, verbose=0)');
});
