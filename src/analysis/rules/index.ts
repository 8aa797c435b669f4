/** Every rule, in code order. Adding a rule: one module, one line here, `jlpm docs:rules`. */
import type { RuleDefinition } from '../rule';
import { tfKerasAttribute } from './tf-keras-attribute';
import { tfKerasImport } from './tf-keras-import';

export const ALL_RULES: readonly RuleDefinition[] = [tfKerasImport, tfKerasAttribute];
