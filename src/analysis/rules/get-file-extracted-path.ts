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

/** The name the copy fix gives a result the code dropped. */
const EXTRACTED = 'extracted_dir';

/** `base`, or `base_2`, ... : a name the cell does not use yet. */
function freshName(base: string, ctx: RuleContext): string {
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}_${i}`;
    if (!new RegExp(`\\b${candidate}\\b`).test(ctx.text)) {
      return candidate;
    }
  }
}

/** The text before a literal that is the first argument of a call reading files or folders. */
const READ_CALL_BEFORE =
  /\b(?:open|read_csv|read_table|read_json|read_parquet|listdir|scandir|walk|glob|iglob|Path|join|exists|isdir|isfile|text_dataset_from_directory|image_dataset_from_directory|audio_dataset_from_directory|load_img|TextLineDataset|TFRecordDataset|CsvDataset|make_csv_dataset|list_files|rmtree|loadtxt|genfromtxt|load|imread)\s*\(\s*$/;
/** The text before a literal assigned to a name (`csv_file = "datasets/..."`). */
const ASSIGNED_BEFORE = /(?:^|\n)[ \t]*[A-Za-z_]\w*[ \t]*=[ \t]*$/;

/** Quoted string literals of a text (one line each), with where they start. */
const STRING_LITERAL = /(['"])([^'"\\\n]{1,300})\1/g;

/**
 * A path the cell reads from the folder Keras 2 extracted the archive into, as a string literal
 * outside the get_file call: one starting with `cache_dir`/`cache_subdir` (`"datasets/petfinder-mini/..."`
 * for `cache_dir="."`), or with a folder the code joins to the result or to the folder around it
 * (`"aclImdb/train"` after `os.path.join(os.path.dirname(path), "aclImdb")`); null where none is seen.
 */
function keras2LayoutRead(call: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, name: string | null, ctx: RuleContext): string | null {
  const cacheDir = parts.keywords.get('cache_dir')?.value;
  const dir = cacheDir ? stringValue(cacheDir, ctx) : null;
  const subdirNode = parts.keywords.get('cache_subdir')?.value;
  const subdir = subdirNode ? stringValue(subdirNode, ctx) : 'datasets';
  const prefixes: string[] = [];
  if (dir !== null && subdir !== null && !dir.startsWith('~') && !dir.startsWith('/')) {
    // Relative to the working directory, as the code's own relative paths are.
    const folder = [dir, subdir].filter(p => p !== '' && p !== '.').join('/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (folder !== '') {
      prefixes.push(folder + '/');
    }
  }
  if (name !== null) {
    // `os.path.join(name, "aclImdb")` / `os.path.join(os.path.dirname(name), "aclImdb")`: the archive's top folder.
    const join = new RegExp(`os\\.path\\.join\\(\\s*(?:os\\.path\\.dirname\\(\\s*${name}\\s*\\)|${name})\\s*,\\s*(['"])([\\w.-]+)\\1`, 'g');
    for (const m of ctx.text.matchAll(join)) {
      if (!prefixes.includes(m[2] + '/')) {
        prefixes.push(m[2] + '/');
      }
    }
  }
  if (prefixes.length === 0) {
    return null;
  }
  for (const m of ctx.text.matchAll(STRING_LITERAL)) {
    const at = m.index!;
    const value = m[2].replace(/^\.\//, '');
    if ((at >= call.start && at < call.end) || !prefixes.some(p => value.startsWith(p) && value.length > p.length)) {
      continue;
    }
    // Read there: the first argument of a reading call, or a path assigned to a name (then read);
    // not a name inside an archive the code writes (`archive.write(src, "data/a.csv")`).
    const before = ctx.text.slice(Math.max(0, at - 200), at);
    if (READ_CALL_BEFORE.test(before) || ASSIGNED_BEFORE.test(before)) {
      return m[2];
    }
  }
  return null;
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
  const name = target?.type === 'identifier' ? ctx.textOf(target) : null;
  // The statement holding the call: `name = get_file(...)`, or the call alone (its result dropped).
  const statement = assignment
    ? assignment.parent?.type === 'expression_statement' ? assignment.parent : null
    : node.parent?.type === 'expression_statement' ? node.parent : null;
  if (!name && (assignment || !statement)) {
    return;
  }
  const uses = name ? keras2Uses(node, name, ctx) : [];
  const after = ctx.text.slice(statement?.end ?? node.end);
  const copied = !!statement && new RegExp(`^[ \\t]*(?:#[^\\n]*)?\\r?\\n[ \\t]*shutil\\.copytree\\(\\s*(?:${name ?? EXTRACTED}\\w*)\\b`).test(after);
  // A file read where Keras 2 put the extracted files (`cache_dir`/`cache_subdir`): the Keras 2
  // layout comes back with a copy of the extracted folder there, which the code then reads by its
  // own paths ("datasets/petfinder-mini/petfinder-mini.csv", "aclImdb/train").
  const read = statement && !copied ? keras2LayoutRead(node, parts, name, ctx) : null;
  // Without such a read, only `cache_subdir=""` (Keras 2 extracted into cache_dir itself, TensorFlow's
  // text classification tutorial) where the result is read the Keras 2 way or not at all: no backend is claimed.
  const readsResult = name !== null && new RegExp(`\\b${name}\\b`).test(after);
  const emptySubdirGiven = stringValue(parts.keywords.get('cache_subdir')?.value, ctx) === '';
  const emptySubdir = emptySubdirGiven && (uses.length > 0 || !readsResult);
  if (statement && !copied && (read !== null || (name !== null && emptySubdir))) {
    const indent = indentOf(statement, ctx);
    const held = name ?? freshName(EXTRACTED, ctx);
    const edits: OffsetEdit[] = [{ start: statement.end, end: statement.end, text: `\n${indent}shutil.copytree(${held}, os.path.dirname(${held}), dirs_exist_ok=True)` }];
    if (!name) {
      edits.push({ start: node.start, end: node.start, text: `${held} = ` });
    }
    for (const module of ['os', 'shutil']) {
      const imported = ctx.importEdit(module);
      if (imported) {
        edits.push(imported);
      }
    }
    const where = read !== null ? `the code reads ${JSON.stringify(read)} there, which is missing ("No such file or directory" on every backend)` : 'files the code reads there by their own paths are missing';
    ctx.report(
      parts.fn,
      `Since Keras 3.6, \`get_file(..., ${keyword}${emptySubdirGiven ? ', cache_subdir=""' : ''})\` extracts the archive into a folder of its own (\`<name>_extracted\`, the path it returns) inside the folder where Keras 2 extracted it${emptySubdirGiven ? ' (`cache_dir` itself)' : ''}: ${where}. Suggested fix: copy the extracted files where Keras 2 put them, \`shutil.copytree(${held}, os.path.dirname(${held}), dirs_exist_ok=True)\`.`,
      { title: 'Copy the extracted files where Keras 2 put them', safe: false, edits },
      undefined,
      undefined,
      // Whether the code reads the files there is only known from a path it reads.
      read !== null ? ['tensorflow', 'jax', 'torch'] : []
    );
  }
  // `with_suffix("")` of "flower_photos.tar" named the archive's top folder, "flower_photos".
  const stem = fname !== null && /^[\w.-]+$/.test(fname) && fname.lastIndexOf('.') > 0 ? fname.slice(0, fname.lastIndexOf('.')) : null;
  for (const use of uses) {
    if (use.kind === 'dirname') {
      ctx.report(
        use.node,
        `Since Keras 3.6, \`get_file(..., ${keyword})\` returns the folder it extracted the archive into (\`<name>_extracted\`), not the archive's path: the files are in \`${name}\` itself, not next to it (Keras 2 extracted beside the download), so \`os.path.dirname(${name})\` misses them ("No such file or directory"). Use \`${name}\`.`,
        { title: `Use \`${name}\``, safe: true, edits: [{ start: use.node.start, end: use.node.end, text: name! }] }
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
      'Flags `keras.utils.get_file(...)` with `untar=True` or `extract=True` (also through `tf.keras`) whose result is used the Keras 2 way: `os.path.dirname(path)` of the name it was assigned to, `pathlib.Path(path).with_suffix("")` (the archive\'s top folder, named like the archive: TensorFlow\'s image classification tutorial), or, for `untar=True` with a `fname` without an extension (`fname="flower_photos"`), the result itself as the archive\'s top folder. Where the code reads a file by its own path in the folder Keras 2 extracted into (a string literal starting with the relative `cache_dir`/`cache_subdir`, `"datasets/petfinder-mini/petfinder-mini.csv"` for `cache_dir="."`, or with the folder the code joins to the result or to the folder around it, `"aclImdb/train"`), it suggests copying the extracted folder there, `shutil.copytree(path, os.path.dirname(path), dirs_exist_ok=True)` (naming a dropped result `extracted_dir`), and claims every backend; with `cache_subdir=""` and no such read seen (files extracted into `cache_dir` itself, which the code may read by paths it builds) it suggests the copy claiming no backend.',
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
