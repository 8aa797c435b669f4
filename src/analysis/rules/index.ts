/** Every rule, in code order. Adding a rule: one module, one line here, `jlpm docs:rules`. */
import type { RuleDefinition } from '../rule';
import { addWeightPositionalName } from './add-weight-positional-name';
import { autographTensorCondition } from './autograph-tensor-condition';
import { customTrainStep } from './custom-train-step';
import { generatorMethods } from './generator-methods';
import { graphMode } from './graph-mode';
import { hubKerasLayer } from './hub-keras-layer';
import { inputShapeArgument } from './input-shape-argument';
import { jitCompileUnsupportedOp } from './jit-compile-unsupported-op';
import { kerasOpsActivation } from './keras-ops-activation';
import { kerasOpsBackend } from './keras-ops-backend';
import { kerasOpsTfOp } from './keras-ops-tf-op';
import { kerasRandomIntSeed } from './keras-random-int-seed';
import { kerastensorTfOp } from './kerastensor-tf-op';
import { layerArguments } from './layer-arguments';
import { legacyKerasPackage } from './legacy-keras-package';
import { legacyModule } from './legacy-module';
import { multiOutputEvaluate } from './multi-output-evaluate';
import { nestedInputs } from './nested-inputs';
import { noneInNestedCall } from './none-in-nested-call';
import { optimizerArguments } from './optimizer-arguments';
import { removedArgument } from './removed-argument';
import { removedLayer } from './removed-layer';
import { removedLayerArgument } from './removed-layer-argument';
import { removedLayerAttribute } from './removed-layer-attribute';
import { removedModelMethod } from './removed-model-method';
import { resetStates } from './reset-states';
import { savedmodelLoad } from './savedmodel-load';
import { savedmodelSave } from './savedmodel-save';
import { stateBuilding } from './state-building';
import { symbolicAddLoss } from './symbolic-add-loss';
import { tfKerasAttribute } from './tf-keras-attribute';
import { tfKerasImport } from './tf-keras-import';
import { tfRandomInLayer } from './tf-random-in-layer';
import { tfVariableInLayer } from './tf-variable-in-layer';
import { thresholdedRelu } from './thresholded-relu';
import { weightsPath } from './weights-path';

export const ALL_RULES: readonly RuleDefinition[] = [
  tfKerasImport,
  tfKerasAttribute,
  legacyKerasPackage,
  jitCompileUnsupportedOp,
  savedmodelSave,
  savedmodelLoad,
  nestedInputs,
  autographTensorCondition,
  kerastensorTfOp,
  multiOutputEvaluate,
  tfVariableInLayer,
  noneInNestedCall,
  stateBuilding,
  thresholdedRelu,
  removedLayer,
  removedArgument,
  symbolicAddLoss,
  kerasOpsTfOp,
  kerasOpsBackend,
  kerasOpsActivation,
  customTrainStep,
  tfRandomInLayer,
  kerasRandomIntSeed,
  optimizerArguments,
  generatorMethods,
  removedLayerArgument,
  legacyModule,
  weightsPath,
  inputShapeArgument,
  layerArguments,
  addWeightPositionalName,
  resetStates,
  removedModelMethod,
  graphMode,
  hubKerasLayer,
  removedLayerAttribute
];
