/**
 * get-file-extracted-path (KM279)
 *
 * What it does: flags `keras.utils.get_file(..., untar=True)` or `get_file(..., extract=True)`
 * whose result the code uses the Keras 2 way: the folder around the returned path
 * (`os.path.dirname(path)`), or, for `untar=True` with a `fname` without an extension, the
 * returned path itself as the archive's top folder.
 *
 * Why: Keras 2 extracted the archive next to the download and returned the archive's path (or,
 * for `untar=True`, `<cache>/<fname>`, the archive's top folder). Keras 3 extracts into a folder
 * of its own (`<name>_extracted`, or `<cache>/<fname>` for a `fname` without an extension) and
 * returns that folder: `os.path.join(os.path.dirname(path), "aclImdb")` names a folder that does
 * not exist ("No such file or directory" on every backend), and `fname="flower_photos"` now
 * holds `flower_photos/flower_photos` (a glob for images finds none, and training on the empty
 * folder fails later). TensorFlow tutorials (text classification, image loading, transfer
 * learning; checked on Keras 3.15 and tf_keras 2.21).
 *
 * Example:
 *   path = keras.utils.get_file("aclImdb_v1.tar.gz", url, untar=True)
 *   data_dir = os.path.join(os.path.dirname(path), "aclImdb")
 *
 * Use instead:
 *   path = keras.utils.get_file("aclImdb_v1.tar.gz", url, untar=True)
 *   data_dir = os.path.join(path, "aclImdb")
 *
 * Fix (safe): `os.path.dirname(path)` becomes `path`; `get_file("flower_photos", ..., untar=True)`
 * becomes `os.path.join(get_file(...), "flower_photos")`, the folder Keras 2 returned (it exists
 * wherever the Keras 2 program found its files there).
 */
import { child, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, stringValue } from '../helpers/calls';
import { indentOf } from '../helpers/init-attribute';

const GET_FILE = new Set(['keras.utils.get_file', 'keras.utils.data_utils.get_file']);

/** Whether the call passes `name=True`. */
function passesTrue(parts: NonNullable<ReturnType<typeof callParts>>, name: string, ctx: RuleContext): boolean {
  const value = parts.keywords.get(name)?.value;
  return !!value && value.type === 'true' && ctx.textOf(value) === 'True';
}

/** Whether `node` is a call of `fn` (a resolved name) on `name` alone, where `name` holds `result`. */
function callOnResult(node: SyntaxNode, fn: string, name: string, result: SyntaxNode, ctx: RuleContext): boolean {
  const parts = node.type === 'call' ? callParts(node, ctx) : null;
  const arg = parts?.positional.length === 1 && parts.keywords.size === 0 ? parts.positional[0] : null;
  return !!parts && !!arg && arg.type === 'identifier' && ctx.textOf(arg) === name && ctx.resolve(parts.fn) === fn && lastAssignedValue(name, node, ctx) === result;
}

/**
 * The Keras 2 ways of reaching the extracted files from `call`'s result held in `name`:
 * `os.path.dirname(name)` (the folder the archive was extracted into) and
 * `pathlib.Path(name).with_suffix("")` (the archive's top folder, named like the archive).
 */
function keras2Uses(call: SyntaxNode, name: string, ctx: RuleContext): { node: SyntaxNode; kind: 'dirname' | 'with_suffix'; path?: SyntaxNode }[] {
  const found: { node: SyntaxNode; kind: 'dirname' | 'with_suffix'; path?: SyntaxNode }[] = [];
  const stack = [rootOf(call)];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call' && n.start > call.end) {
      // Not the destination of the copy this rule's fix writes (`shutil.copytree(path, os.path.dirname(path), ...)`).
      const outer = n.parent?.type === 'argument_list' ? n.parent.parent : null;
      const inCopy = !!outer && outer.type === 'call' && ctx.resolve(child(outer, 'function') ?? outer) === 'shutil.copytree';
      if (!inCopy && callOnResult(n, 'os.path.dirname', name, call, ctx)) {
        found.push({ node: n, kind: 'dirname' });
      }
      const fn = child(n, 'function');
      const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
      const args = child(n, 'arguments');
      if (object && ctx.textOf(child(fn!, 'attribute') ?? fn!) === 'with_suffix' && args && /^\(\s*(""|'')\s*\)$/.test(ctx.textOf(args)) && callOnResult(object, 'pathlib.Path', name, call, ctx)) {
        found.push({ node: n, kind: 'with_suffix', path: object });
      }
    }
    stack.push(...n.children);
  }
  return found.sort((a, b) => a.node.start - b.node.start);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || !GET_FILE.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const untar = passesTrue(parts, 'untar', ctx);
  if (!untar && !passesTrue(parts, 'extract', ctx)) {
    return;
  }
  const fname = stringValue(parts.keywords.get('fname')?.value ?? parts.positional[0], ctx);
  const keyword = untar ? 'untar=True' : 'extract=True';
  // `get_file("flower_photos", url, untar=True)`: Keras 2 returned the archive's top folder
  // (unless the code already joins a folder to the result, as Keras 3 code does).
  if (untar && fname !== null && /^[\w-]+$/.test(fname)) {
    const outer = node.parent?.type === 'argument_list' ? node.parent.parent : null;
    if (outer && outer.type === 'call' && ctx.resolve(child(outer, 'function') ?? outer) === 'os.path.join') {
      return;
    }
    const os = ctx.importEdit('os');
    const edits: OffsetEdit[] = [
      { start: node.start, end: node.start, text: 'os.path.join(' },
      { start: node.end, end: node.end, text: `, ${JSON.stringify(fname)})` }
    ];
    ctx.report(
      parts.fn,
      `Since Keras 3.6, \`get_file(fname=${JSON.stringify(fname)}, untar=True)\` extracts the archive into the folder \`${fname}\` and returns that folder, so the archive's own top folder is now \`${fname}/${fname}\` (Keras 2 extracted next to the download and returned \`${fname}\` itself): files looked up in the returned path are not found. Join \`${JSON.stringify(fname)}\` to the result.`,
      { title: `Use \`os.path.join(get_file(...), ${JSON.stringify(fname)})\``, safe: true, edits: os ? [...edits, os] : edits }
    );
    return;
  }
  const assignment = node.parent?.type === 'assignment' && node.field === 'right' ? node.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  if (!target || target.type !== 'identifier') {
    return;
  }
  const name = ctx.textOf(target);
  // `cache_subdir=""`: Keras 2 extracted into cache_dir itself (`cache_dir="."`, TensorFlow's text
  // classification tutorial), where the code then reads the files by their own paths
  // ("aclImdb/train"). Copying the extracted folder there gives Keras 2's layout back. Whether the
  // code reads such paths is not known: no backend is claimed.
  const statement = assignment!.parent?.type === 'expression_statement' ? assignment!.parent : null;
  // Only where the code reads the result the Keras 2 way (or not at all): Keras 3 code joins its folders to the result.
  const uses = keras2Uses(node, name, ctx);
  const after = ctx.text.slice(statement?.end ?? node.end);
  const readsResult = new RegExp(`\\b${name}\\b`).test(after);
  const copied = !!statement && new RegExp(`^[ \\t]*(?:#[^\\n]*)?\\r?\\n[ \\t]*shutil\\.copytree\\(\\s*${name}\\b`).test(after);
  if (stringValue(parts.keywords.get('cache_subdir')?.value, ctx) === '' && statement && !copied && (uses.length > 0 || !readsResult)) {
    const edits: OffsetEdit[] = [{ start: statement.end, end: statement.end, text: `\n${indentOf(statement, ctx)}shutil.copytree(${name}, os.path.dirname(${name}), dirs_exist_ok=True)` }];
    for (const module of ['os', 'shutil']) {
      const imported = ctx.importEdit(module);
      if (imported) {
        edits.push(imported);
      }
    }
    ctx.report(
      parts.fn,
      `Since Keras 3.6, \`get_file(..., ${keyword}, cache_subdir="")\` extracts the archive into a folder of its own inside \`cache_dir\` (\`<name>_extracted\`), not into \`cache_dir\` itself as Keras 2 did: files the code reads there by their own paths ("aclImdb/train") are missing. Suggested fix: copy the extracted files where Keras 2 put them, \`shutil.copytree(${name}, os.path.dirname(${name}), dirs_exist_ok=True)\`.`,
      { title: 'Copy the extracted files into cache_dir (Keras 2\'s layout)', safe: false, edits },
      undefined,
      undefined,
      []
    );
  }
  // `with_suffix("")` of "flower_photos.tar" named the archive's top folder, "flower_photos".
  const stem = fname !== null && /^[\w.-]+$/.test(fname) && fname.lastIndexOf('.') > 0 ? fname.slice(0, fname.lastIndexOf('.')) : null;
  for (const use of uses) {
    if (use.kind === 'dirname') {
      ctx.report(
        use.node,
        `Since Keras 3.6, \`get_file(..., ${keyword})\` returns the folder it extracted the archive into (\`<name>_extracted\`), not the archive's path: the files are in \`${name}\` itself, not next to it (Keras 2 extracted beside the download), so \`os.path.dirname(${name})\` misses them ("No such file or directory"). Use \`${name}\`.`,
        { title: `Use \`${name}\``, safe: true, edits: [{ start: use.node.start, end: use.node.end, text: name }] }
      );
    } else if (stem !== null && fname !== null) {
      ctx.report(
        use.node,
        `Since Keras 3.6, \`get_file(${JSON.stringify(fname)}, ..., ${keyword})\` returns the folder it extracted the archive into (\`${fname.slice(0, fname.indexOf('.'))}_extracted\`), not the archive's path: \`with_suffix("")\` no longer names the archive's top folder, which is inside that folder. Use \`${ctx.textOf(use.path!)} / ${JSON.stringify(stem)}\`.`,
        { title: `Use \`${ctx.textOf(use.path!)} / ${JSON.stringify(stem)}\``, safe: true, edits: [{ start: use.path!.end, end: use.node.end, text: ` / ${JSON.stringify(stem)}` }] }
      );
    }
  }
}

export const getFileExtractedPath: RuleDefinition = {
  code: 'KM279',
  name: 'get-file-extracted-path',
  slug: 'api-changes',
  severity: 'error',
  // Keras 3.0 to 3.5 extracted beside the download as Keras 2 did (read in their get_file source).
  kerasVersions: [{ from: '3.6' }],
  /** Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch (claims/get_file_extracted_path.py): the extracted files are elsewhere on each. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['get_file'],
  docs: {
    whatItDoes:
      'Flags `keras.utils.get_file(...)` with `untar=True` or `extract=True` (also through `tf.keras`) whose result is used the Keras 2 way: `os.path.dirname(path)` of the name it was assigned to, `pathlib.Path(path).with_suffix("")` (the archive\'s top folder, named like the archive: TensorFlow\'s image classification tutorial), or, for `untar=True` with a `fname` without an extension (`fname="flower_photos"`), the result itself as the archive\'s top folder. With `cache_subdir=""` (files extracted into `cache_dir` itself, which the code may then read by their own paths) it suggests copying the extracted folder there, claiming no backend.',
    why:
      'Keras 2 extracted the archive next to the download and returned the archive\'s path (for `untar=True`, `<cache>/<fname>`, the archive\'s top folder). Since Keras 3.6 (3.0 to 3.5 behaved as Keras 2), `get_file` extracts into a folder of its own (`<name>_extracted`, or `<cache>/<fname>` when `fname` has no extension) and returns that folder, so the folder beside the returned path lacks the files ("No such file or directory" on every backend) and `fname="flower_photos"` now holds `flower_photos/flower_photos` (an image glob finds nothing; TensorFlow tutorials: text classification, image loading, transfer learning; checked on Keras 3.15 and tf_keras 2.21). Fix safety: safe. `os.path.dirname(path)` becomes `path`, `pathlib.Path(path).with_suffix("")` becomes `pathlib.Path(path) / "flower_photos"` (the archive name without its extension), and `get_file("flower_photos", ..., untar=True)` becomes `os.path.join(get_file(...), "flower_photos")`, the folder Keras 2 returned.',
    example:
      'import os\nimport keras\npath = keras.utils.get_file("aclImdb_v1.tar.gz", "https://example.com/aclImdb_v1.tar.gz", untar=True)\ndata_dir = os.path.join(os.path.dirname(path), "aclImdb")',
    useInstead:
      'import os\nimport keras\npath = keras.utils.get_file("aclImdb_v1.tar.gz", "https://example.com/aclImdb_v1.tar.gz", untar=True)\ndata_dir = os.path.join(path, "aclImdb")'
  },
  calls: { names: ['get_file'] },
  // Findings are on get_file calls and the dirname of their result.
  requires: ['get_file'],
  visitors: { call: visit }
};
