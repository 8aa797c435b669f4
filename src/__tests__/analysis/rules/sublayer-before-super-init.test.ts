import { ruleTester } from '../rule-tester';

ruleTester('sublayer-before-super-init', {
  valid: [
    { name: 'base __init__ first', code: 'import keras\nclass R(keras.layers.Layer):\n    def __init__(self, n):\n        super().__init__()\n        self.route = keras.layers.Dense(n)\n' },
    { name: 'only plain values before the base call (PyTorch accepts them)', code: 'import keras\nclass R(keras.layers.Layer):\n    def __init__(self, n):\n        self.n = n\n        self.experts = [keras.layers.Dense(n) for _ in range(2)]\n        super().__init__()\n' },
    { name: 'not a Keras class', code: 'import keras\nclass Holder(object):\n    def __init__(self, n):\n        self.route = keras.layers.Dense(n)\n        super().__init__()\n' }
  ],
  invalid: [
    {
      // og47b repro_8 (Géron's handson-ml2 ch. 17 DenseTranspose): "cannot assign module before Module.__init__() call"
      // on PyTorch; with super().__init__() first it ran on all three. A plain number passed elsewhere is no finding.
      name: 'a parameter some call passes a layer for, set before the base __init__',
      code: 'import keras\nclass Wrapper(keras.layers.Layer):\n    def __init__(self, inner, **kwargs):\n        self.inner = inner\n        super().__init__(**kwargs)\n    def call(self, x):\n        return self.inner(x)\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, **kwargs):\n        self.factor = factor\n        super().__init__(**kwargs)\nw = Wrapper(keras.layers.Dense(2))\ns = Scale(2.0)\n',
      errors: [{ line: 4, column: 9 }],
      blocks: ['torch'],
      output: 'import keras\nclass Wrapper(keras.layers.Layer):\n    def __init__(self, inner, **kwargs):\n        super().__init__(**kwargs)\n        self.inner = inner\n    def call(self, x):\n        return self.inner(x)\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, **kwargs):\n        self.factor = factor\n        super().__init__(**kwargs)\nw = Wrapper(keras.layers.Dense(2))\ns = Scale(2.0)\n'
    },
    {
      name: 'Switch Transformer router and switch (a notebook layer class and a factory function before super(...).__init__())',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\ndef make_ffn(dim):\n    return keras.Sequential([layers.Dense(dim)])\n\nclass Router(layers.Layer):\n    def __init__(self, num_experts, capacity):\n        self.num_experts = num_experts\n        self.route = layers.Dense(units=num_experts)\n        self.capacity = capacity\n        super(Router, self).__init__()\n\nclass Switch(layers.Layer):\n    def __init__(self, num_experts, dim):\n        """Experts and their router."""\n        self.ffn = make_ffn(dim)\n        self.router = Router(num_experts, 4)\n        super(Switch, self).__init__()\n',
      errors: [{ line: 11, column: 9 }, { line: 18, column: 9 }],
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\ndef make_ffn(dim):\n    return keras.Sequential([layers.Dense(dim)])\n\nclass Router(layers.Layer):\n    def __init__(self, num_experts, capacity):\n        super(Router, self).__init__()\n        self.num_experts = num_experts\n        self.route = layers.Dense(units=num_experts)\n        self.capacity = capacity\n\nclass Switch(layers.Layer):\n    def __init__(self, num_experts, dim):\n        """Experts and their router."""\n        super(Switch, self).__init__()\n        self.ffn = make_ffn(dim)\n        self.router = Router(num_experts, 4)\n'
    },
    {
      name: 'a local computed before the base call stays above it',
      code: 'import keras\nclass M(keras.Model):\n    def __init__(self, n, **kwargs):\n        label = "m%d" % n\n        self.head = keras.layers.Dense(n)\n        super().__init__(name=label, **kwargs)\n',
      errors: [{ line: 5, column: 9 }],
      output: 'import keras\nclass M(keras.Model):\n    def __init__(self, n, **kwargs):\n        label = "m%d" % n\n        super().__init__(name=label, **kwargs)\n        self.head = keras.layers.Dense(n)\n'
    },
    {
      name: 'moved over a trainable= setting: a suggestion',
      code: 'import keras\nclass M(keras.layers.Layer):\n    def __init__(self, n):\n        self.trainable = False\n        self.head = keras.layers.Dense(n)\n        super().__init__()\n',
      errors: [{ line: 5, column: 9 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass M(keras.layers.Layer):\n    def __init__(self, n):\n        super().__init__()\n        self.trainable = False\n        self.head = keras.layers.Dense(n)\n'
    },
    {
      name: 'the base call reads an attribute set before it: no fix',
      code: 'import keras\nclass M(keras.Model):\n    def __init__(self, n):\n        self.head = keras.layers.Dense(n)\n        self.label = "m"\n        super().__init__(name=self.label)\n',
      errors: [{ line: 4, column: 9 }]
    }
  ]
});
