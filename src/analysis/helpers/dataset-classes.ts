/** Classes whose instances Keras reads batches from: `keras.utils.Sequence` / `PyDataset` subclasses. */
import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';

const DATASET_BASES = /^keras\.(utils\.|utils\.data_utils\.|utils\.all_utils\.)?(Sequence|PyDataset)$/;

/** Whether the class derives directly from `keras.utils.Sequence` / `keras.utils.PyDataset` (also through `tf.keras`). */
export function isDatasetClass(node: SyntaxNode, ctx: RuleContext): boolean {
  const bases = child(node, 'superclasses');
  return !!bases && bases.children.some(b => DATASET_BASES.test(ctx.resolveKeras(b) ?? ''));
}
