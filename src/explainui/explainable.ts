/**
 * Which error outputs get "Explain this error" (no DOM: tested in jest).
 */
import { recognisedExceptionTypes } from '../analysis/catalog';

const FRAMEWORKS = /keras|tensorflow|jax|torch/i;
let recognisedTypesPattern: RegExp | null = null;

/**
 * Whether "Explain this error" can have an answer, so that a plain Python error (a
 * ZeroDivisionError, a SyntaxError) gets no button. The recognizer matches a signature
 * only when the signature names an exception type the traceback shows (a chained cause
 * counts); a traceback through Keras, TensorFlow or a backend may be Keras 2 code; an
 * error without a name (a traceback cut before its exception line) is explained as
 * incomplete.
 */
export function mayBeMigrationError(ename: string, text: string): boolean {
  if (!ename.trim() || FRAMEWORKS.test(text)) {
    return true;
  }
  recognisedTypesPattern ??= new RegExp(`\\b(?:${[...recognisedExceptionTypes()].join('|')})\\b`);
  return recognisedTypesPattern.test(text);
}
