import { ruleTester } from '../rule-tester';

const GAN =
  'import keras\nd.compile(loss="mse", optimizer="sgd")\nd.trainable = False\nadv = keras.Model(z, d(g(z)))\nadv.compile(loss="mse", optimizer="sgd")\n' +
  'for step in range(2):\n    d_loss = d.train_on_batch(x, y)\n    a_loss = adv.train_on_batch(noise, ones)\n';

ruleTester('trainable-after-compile', {
  valid: [
    { name: 'frozen before its compile (the discriminator is compiled frozen and not trained itself)', code: 'd.trainable = False\nd.compile(loss="mse")\nadv.train_on_batch(x, y)\n' },
    { name: 'frozen after compile, never trained itself', code: 'd.compile(loss="mse")\nd.trainable = False\nadv.train_on_batch(x, y)\n' },
    { name: 'the program toggles it back itself', code: 'd.compile(loss="mse")\nd.trainable = False\nd.trainable = True\nd.train_on_batch(x, y)\nd.trainable = False\n' },
    { name: 'bound again after the compile', code: 'd.compile(loss="mse")\nd = make()\nd.trainable = False\nd.train_on_batch(x, y)\n' }
  ],
  invalid: [
    {
      // /work/og48d repro_1 (Atienza's GANs): the discriminator's own train_on_batch changed no weight on all three
      // (tf_keras trained it); with trainable toggled around it, it trained on all three.
      name: 'the Keras 2 GAN recipe: trainable toggled around the discriminator\'s own training (no claim)',
      code: GAN,
      errors: [{ line: 3, column: 1, message: 'Keras 3 reads `trainable` at every step' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output:
        'import keras\nd.compile(loss="mse", optimizer="sgd")\nd.trainable = False\nadv = keras.Model(z, d(g(z)))\nadv.compile(loss="mse", optimizer="sgd")\n' +
        'for step in range(2):\n    d.trainable = True\n    d_loss = d.train_on_batch(x, y)\n    d.trainable = False\n    a_loss = adv.train_on_batch(noise, ones)\n'
    },
    {
      name: 'the doc example',
      code: 'import keras\nd.compile(loss="binary_crossentropy", optimizer="adam")\nd.trainable = False\ngan = keras.Model(z, d(g(z)))\ngan.compile(loss="binary_crossentropy", optimizer="adam")\nd_loss = d.train_on_batch(x, y)\ng_loss = gan.train_on_batch(noise, ones)',
      errors: [{ line: 3, column: 1 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nd.compile(loss="binary_crossentropy", optimizer="adam")\nd.trainable = False\ngan = keras.Model(z, d(g(z)))\ngan.compile(loss="binary_crossentropy", optimizer="adam")\nd.trainable = True\nd_loss = d.train_on_batch(x, y)\nd.trainable = False\ng_loss = gan.train_on_batch(noise, ones)'
    }
  ]
});
