// The JupyterLab builder merges this into its federated-extension webpack config.
// web-tree-sitter's Emscripten glue mentions Node built-ins behind runtime checks;
// the browser build must not try to polyfill them.
module.exports = {
  resolve: {
    fallback: { fs: false, path: false, module: false, url: false, crypto: false }
  },
  module: {
    rules: [{ test: /\.wasm$/, type: 'asset/resource' }]
  }
};
