/** Every rule, in code order. Adding a rule: one module named after the rule, one line here, `jlpm docs:rules`. */
import type { RuleDefinition } from '../rule';
import { addWeightPositionalName } from './add-weight-positional-name';
import { tfKerasOnlyNameRule } from './tf-keras-only-name';
import { tfKerasMissingName } from './tf-keras-missing-name';
import { keras2LossMetricString } from './keras-2-loss-metric-string';
import { addWeightIntegerShape } from './add-weight-integer-shape';
import { sequentialOutputAttribute } from './sequential-output-attribute';
import { repeatedLayerInSequential } from './repeated-layer-in-sequential';
import { gradientTapeOverModelCall } from './gradient-tape-over-model-call';
import { callTrainingWithoutDefault } from './call-training-without-default';
import { lrScheduleReturnsTensor } from './lr-schedule-returns-tensor';
import { lrScheduleIntegerStep } from './lr-schedule-integer-step';
import { sequentialInTfDataMap } from './sequential-in-tf-data-map';
import { textVectorizationStandardizeFunctionInTfDataMap } from './text-vectorization-standardize-function-in-tf-data-map';
import { pyFunctionShapeInTfData } from './py-function-shape-in-tf-data';
import { subclassedModelLoadWithoutClass } from './subclassed-model-load-without-class';
import { kerasLayerInTfDataMap } from './keras-layer-in-tf-data-map';
import { toCategoricalDtype } from './to-categorical-dtype';
import { toCategoricalFloat64 } from './to-categorical-float64';
import { buildExtraArgument } from './build-extra-argument';
import { stepSignatureOnJax } from './step-signature-on-jax';
import { handCalledTrainStep } from './hand-called-train-step';
import { boolLabelsWithClassWeight } from './bool-labels-with-class-weight';
import { legacyOptimizerSubclass } from './legacy-optimizer-subclass';
import { optimizerGetGradientsOverride } from './optimizer-get-gradients-override';
import { singleTargetForMultiOutputModel } from './single-target-for-multi-output-model';
import { metricsListForMultiOutputModel } from './metrics-list-for-multi-output-model';
import { singleItemListModelAttribute } from './single-item-list-model-attribute';
import { sequenceFloat64Batches } from './sequence-float64-batches';
import { inplaceUpdateOfLayerOutput } from './inplace-update-of-layer-output';
import { compileMetricsNotAList } from './compile-metrics-not-a-list';
import { jitCompileTrueOnTorch } from './jit-compile-true-on-torch';
import { compileOutsideStrategyScope } from './compile-outside-strategy-scope';
import { legacyH5ModelTrainedWithoutCompile } from './legacy-h5-model-trained-without-compile';
import { legacyH5ModelLoadedWithTrainingConfig } from './legacy-h5-model-loaded-with-training-config';
import { unusedTensorflowImport } from './unused-tensorflow-import';
import { tfTensorIndexIntoBackendTensor } from './tf-tensor-index-into-backend-tensor';
import { bagOfWordsVectorizationOfStringColumn } from './bag-of-words-vectorization-of-string-column';
import { exportedSavedmodelCalled } from './exported-savedmodel-called';
import { loadWeightsStatusCheck } from './load-weights-status-check';
import { partialWeightsLoad } from './partial-weights-load';
import { getFileExtractedPath } from './get-file-extracted-path';
import { pythonNumberLayerInput } from './python-number-layer-input';
import { adaptPandasData } from './adapt-pandas-data';
import { tfLookupLayerInModel } from './tf-lookup-layer-in-model';
import { unbuiltModelWeights } from './unbuilt-model-weights';
import { stepsPerExecutionOnTorch } from './steps-per-execution-on-torch';
import { dictValuesLayerInput } from './dict-values-layer-input';
import { removedKerasName } from './removed-keras-name';
import { sharedOptimizerInstance } from './shared-optimizer-instance';
import { sparseOutputBackend } from './sparse-output-backend';
import { pythonLoopOverTensor } from './python-loop-over-tensor';
import { tfErrorAroundKerasCall } from './tf-error-around-keras-call';
import { lenOfTensor } from './len-of-tensor';
import { buildWithoutBuildMethod } from './build-without-build-method';
import { listInDatasetBatch } from './list-in-dataset-batch';
import { shapeArgumentTensorshapeMethod } from './shape-argument-tensorshape-method';
import { singleLossWithLossWeights } from './single-loss-with-loss-weights';
import { poolingPaddingCase } from './pooling-padding-case';
import { trainableAfterCompile } from './trainable-after-compile';
import { tfDtypeInLayerArguments } from './tf-dtype-in-layer-arguments';
import { dunderCallOverride } from './dunder-call-override';
import { mixedTensorCallArgument } from './mixed-tensor-call-argument';
import { kerasOptimizerOnTfVariables } from './keras-optimizer-on-tf-variables';
import { arrayOperatorOnKerasTensor } from './array-operator-on-keras-tensor';
import { customTrainingLoop } from './custom-training-loop';
import { layerLocalTraining } from './layer-local-training';
import { deeplyNestedModelInputs } from './deeply-nested-model-inputs';
import { graphMode } from './graph-mode';
import { hubKerasLayer } from './hub-keras-layer';
import { tfSavedModelSave } from './tf-saved-model-save';
import { tfTrainCheckpoint } from './tf-train-checkpoint';
import { exportOnTorch } from './export-on-torch';
import { tfliteFromKerasModel } from './tflite-from-keras-model';
import { inputLayerInputShape } from './input-layer-input-shape';
import { inputIntegerShape } from './input-integer-shape';
import { sequenceNumBatchesAssignment } from './sequence-num-batches-assignment';
import { callbackModelAssignment } from './callback-model-assignment';
import { layerSizeNotInt } from './layer-size-not-int';
import { rnnCellStateSizeShape } from './rnn-cell-state-size-shape';
import { rnnInitialStateFromInputs } from './rnn-initial-state-from-inputs';
import { superInitPassesSelf } from './super-init-passes-self';
import { inputUnknownFeatureAxisBroadcast } from './input-unknown-feature-axis-broadcast';
import { tfFunctionAssignToVariableList } from './tf-function-assign-to-variable-list';
import { tfFunctionOnLayerMethod } from './tf-function-on-layer-method';
import { tfFunctionCallsKerasLayers } from './tf-function-calls-keras-layers';
import { lossMetricLabelRank } from './loss-metric-label-rank';
import { customMetricFunctionLabelRank } from './custom-metric-function-label-rank';
import { floatStepsArgument } from './float-steps-argument';
import { lossOnPythonLists } from './loss-on-python-lists';
import { gradientAccumulationTrainStep } from './gradient-accumulation-train-step';
import { tfAddNOfLayerLosses } from './tf-add-n-of-layer-losses';
import { inputShapeOnLayer } from './input-shape-on-layer';
import { integerSeedInCall } from './integer-seed-in-call';
import { tensorAsShape } from './tensor-as-shape';
import { fixedBatchReshapeOfLayerInput } from './fixed-batch-reshape-of-layer-input';
import { featureSpaceCrossMoreThanTwo } from './feature-space-cross-more-than-two';
import { valueDependentNumSegments } from './value-dependent-num-segments';
import { kerasBackendFunction } from './keras-backend-function';
import { keras2ThirdPartyPackage } from './keras2-third-party-package';
import { numpyAttributeInCall } from './numpy-attribute-in-call';
import { maskWithSeveralInputs } from './mask-with-several-inputs';
import { singleKeyDictTargets } from './single-key-dict-targets';
import { floatOfNonscalarTensor } from './float-of-nonscalar-tensor';
import { lossScaleOptimizerMethods } from './loss-scale-optimizer-methods';
import { customActivationName } from './custom-activation-name';
import { layerWeightPropertyAssignment } from './layer-weight-property-assignment';
import { distributeStrategyRun } from './distribute-strategy-run';
import { rnnNestedInputs } from './rnn-nested-inputs';
import { tfTensorToOnBatch } from './tf-tensor-to-on-batch';
import { leakyReluAlpha } from './leaky-relu-alpha';
import { lossReductionEnum } from './loss-reduction-enum';
import { slashInLayerName } from './slash-in-layer-name';
import { csvDatasetOrderedDict } from './csv-dataset-ordered-dict';
import { tfOpReference } from './tf-op-reference';
import { layerOnConstantInFunctionalModel } from './layer-on-constant-in-functional-model';
import { inputLayerInput } from './input-layer-input';
import { legacyKerasPackage } from './legacy-keras-package';
import { loadSavedmodel } from './load-savedmodel';
import { noneInNestedLayerInput } from './none-in-nested-layer-input';
import { optimizerLegacyArguments } from './optimizer-legacy-arguments';
import { perOutputEvaluateLosses } from './per-output-evaluate-losses';
import { positionalTrainingArgument } from './positional-training-argument';
import { nonTensorPositionalLayerArgument } from './non-tensor-positional-layer-argument';
import { removedArgument } from './removed-argument';
import { removedFitArguments } from './removed-fit-arguments';
import { removedKerasModule } from './removed-keras-module';
import { removedLayer } from './removed-layer';
import { removedLayerArgument } from './removed-layer-argument';
import { averagePoolingWithoutPoolSize } from './average-pooling-without-pool-size';
import { removedLayerAttribute } from './removed-layer-attribute';
import { removedLossMetricApi } from './removed-loss-metric-api';
import { metricUpdatedInCall } from './metric-updated-in-call';
import { removedModelMethod } from './removed-model-method';
import { resetStates } from './reset-states';
import { metricResultReturnsVariable } from './metric-result-returns-variable';
import { compiledMetricsAttribute } from './compiled-metrics-attribute';
import { saveToSavedmodelPath } from './save-to-savedmodel-path';
import { stateCreatedInCall } from './state-created-in-call';
import { tensorConditionInCall } from './tensor-condition-in-call';
import { tensorGetShape } from './tensor-get-shape';
import { tensorNumpyMethod } from './tensor-numpy-method';
import { tensorflowTrainStep } from './tensorflow-train-step';
import { tfActivationReference } from './tf-activation-reference';
import { tfKerasAttribute } from './tf-keras-attribute';
import { tfKerasImport } from './tf-keras-import';
import { tfOpInModelCode } from './tf-op-in-model-code';
import { weightsFileLegacyArguments } from './weights-file-legacy-arguments';
import { unbuiltModelWeightsSave } from './unbuilt-model-weights-save';
import { tfOpOnKerasTensor } from './tf-op-on-keras-tensor';
import { tfOpsRemaining } from './tf-ops-remaining';
import { tfRandomInModelCode } from './tf-random-in-model-code';
import { tfVariableInLayer } from './tf-variable-in-layer';
import { thresholdedRelu } from './thresholded-relu';
import { lambdaFunctionRegistration } from './lambda-function-registration';
import { cloneCompiledCustomObjects } from './clone-compiled-custom-objects';
import { booleanMaskReduction } from './boolean-mask-reduction';
import { privateHookSignature } from './private-hook-signature';
import { randomCropInferenceSize } from './random-crop-inference-size';
import { noisyTargetsForBinaryCrossentropy } from './noisy-targets-for-binary-crossentropy';
import { featureSpaceStringInputsModel } from './feature-space-string-inputs-model';
import { lambdaLayerLoad } from './lambda-layer-load';
import { learningRateKey } from './learning-rate-key';
import { kerasDtypeName } from './keras-dtype-name';
import { numberListLayerInput } from './number-list-layer-input';
import { sublayerBeforeSuperInit } from './sublayer-before-super-init';
import { squeezeUnknownRank } from './squeeze-unknown-rank';
import { oneHotIndexPastDepth } from './one-hot-index-past-depth';
import { tfOpOnModelOutput } from './tf-op-on-model-output';
import { unseededRandomInModelCode } from './unseeded-random-in-model-code';
import { tfDebuggingInModelCode } from './tf-debugging-in-model-code';
import { metricsNamesOfCompiledModel } from './metrics-names-of-compiled-model';
import { statefulRnnOnTorch } from './stateful-rnn-on-torch';
import { pixelwiseSparseCrossentropyOnTorch } from './pixelwise-sparse-crossentropy-on-torch';
import { stringTensorsInModel } from './string-tensors-in-model';
import { weightsFileExtension } from './weights-file-extension';
import { xlaUnsupportedOp } from './xla-unsupported-op';
import { complexFftRule } from './complex-fft';
import { tfImageQualityFunctions } from './tf-image-quality-functions';
import { tfImageCropAndResize } from './tf-image-crop-and-resize';
import { invertedStringLookupOutsideTfData } from './inverted-string-lookup-outside-tf-data';

export const ALL_RULES: readonly RuleDefinition[] = [
  tfKerasImport,
  tfKerasAttribute,
  legacyKerasPackage,
  xlaUnsupportedOp,
  saveToSavedmodelPath,
  loadSavedmodel,
  deeplyNestedModelInputs,
  tensorConditionInCall,
  tfOpOnKerasTensor,
  perOutputEvaluateLosses,
  tfVariableInLayer,
  noneInNestedLayerInput,
  stateCreatedInCall,
  thresholdedRelu,
  removedLayer,
  removedArgument,
  removedLossMetricApi,
  metricUpdatedInCall,
  tfOpInModelCode,
  tfOpsRemaining,
  kerasBackendFunction,
  tfActivationReference,
  weightsFileLegacyArguments,
  unbuiltModelWeightsSave,
  tensorflowTrainStep,
  tfRandomInModelCode,
  integerSeedInCall,
  tensorAsShape,
  optimizerLegacyArguments,
  removedFitArguments,
  removedLayerArgument,
  removedKerasModule,
  weightsFileExtension,
  inputShapeOnLayer,
  leakyReluAlpha,
  addWeightPositionalName,
  addWeightIntegerShape,
  randomCropInferenceSize,
  noisyTargetsForBinaryCrossentropy,
  featureSpaceStringInputsModel,
  sequentialOutputAttribute,
  gradientTapeOverModelCall,
  resetStates,
  metricResultReturnsVariable,
  removedModelMethod,
  graphMode,
  hubKerasLayer,
  removedLayerAttribute,
  customTrainingLoop,
  layerLocalTraining,
  tensorGetShape,
  inputLayerInputShape,
  inputIntegerShape,
  callbackModelAssignment,
  layerSizeNotInt,
  rnnCellStateSizeShape,
  rnnInitialStateFromInputs,
  superInitPassesSelf,
  inputUnknownFeatureAxisBroadcast,
  tfFunctionAssignToVariableList,
  tfFunctionOnLayerMethod,
  tfFunctionCallsKerasLayers,
  lossMetricLabelRank,
  customMetricFunctionLabelRank,
  floatStepsArgument,
  lossOnPythonLists,
  gradientAccumulationTrainStep,
  tfAddNOfLayerLosses,
  keras2ThirdPartyPackage,
  sequentialInTfDataMap,
  textVectorizationStandardizeFunctionInTfDataMap,
  toCategoricalDtype,
  buildExtraArgument,
  compileMetricsNotAList,
  tensorNumpyMethod,
  callTrainingWithoutDefault,
  lrScheduleReturnsTensor,
  lrScheduleIntegerStep,
  tfOpOnModelOutput,
  unseededRandomInModelCode,
  tfDebuggingInModelCode,
  metricsNamesOfCompiledModel,
  stringTensorsInModel,
  statefulRnnOnTorch,
  pixelwiseSparseCrossentropyOnTorch,
  tfSavedModelSave,
  tfTrainCheckpoint,
  exportOnTorch,
  tfliteFromKerasModel,
  kerasLayerInTfDataMap,
  toCategoricalFloat64,
  lossReductionEnum,
  inputLayerInput,
  numberListLayerInput,
  sublayerBeforeSuperInit,
  squeezeUnknownRank,
  oneHotIndexPastDepth,
  positionalTrainingArgument,
  nonTensorPositionalLayerArgument,
  lambdaLayerLoad,
  lambdaFunctionRegistration,
  learningRateKey,
  kerasDtypeName,
  complexFftRule,
  tfImageQualityFunctions,
  tfImageCropAndResize,
  layerOnConstantInFunctionalModel,
  invertedStringLookupOutsideTfData,
  slashInLayerName,
  csvDatasetOrderedDict,
  tfOpReference,
  legacyOptimizerSubclass,
  optimizerGetGradientsOverride,
  compiledMetricsAttribute,
  pyFunctionShapeInTfData,
  subclassedModelLoadWithoutClass,
  singleTargetForMultiOutputModel,
  cloneCompiledCustomObjects,
  booleanMaskReduction,
  tfKerasOnlyNameRule,
  tfKerasMissingName,
  keras2LossMetricString,
  averagePoolingWithoutPoolSize,
  stepSignatureOnJax,
  privateHookSignature,
  handCalledTrainStep,
  boolLabelsWithClassWeight,
  numpyAttributeInCall,
  maskWithSeveralInputs,
  singleKeyDictTargets,
  floatOfNonscalarTensor,
  lossScaleOptimizerMethods,
  customActivationName,
  layerWeightPropertyAssignment,
  distributeStrategyRun,
  rnnNestedInputs,
  tfTensorToOnBatch,
  metricsListForMultiOutputModel,
  singleItemListModelAttribute,
  valueDependentNumSegments,
  sequenceFloat64Batches,
  fixedBatchReshapeOfLayerInput,
  inplaceUpdateOfLayerOutput,
  sequenceNumBatchesAssignment,
  repeatedLayerInSequential,
  jitCompileTrueOnTorch,
  compileOutsideStrategyScope,
  legacyH5ModelTrainedWithoutCompile,
  legacyH5ModelLoadedWithTrainingConfig,
  unusedTensorflowImport,
  tfTensorIndexIntoBackendTensor,
  featureSpaceCrossMoreThanTwo,
  bagOfWordsVectorizationOfStringColumn,
  exportedSavedmodelCalled,
  loadWeightsStatusCheck,
  partialWeightsLoad,
  getFileExtractedPath,
  pythonNumberLayerInput,
  adaptPandasData,
  tfLookupLayerInModel,
  unbuiltModelWeights,
  stepsPerExecutionOnTorch,
  dictValuesLayerInput,
  removedKerasName,
  sharedOptimizerInstance,
  sparseOutputBackend,
  pythonLoopOverTensor,
  tfErrorAroundKerasCall,
  lenOfTensor,
  buildWithoutBuildMethod,
  listInDatasetBatch,
  shapeArgumentTensorshapeMethod,
  singleLossWithLossWeights,
  poolingPaddingCase,
  trainableAfterCompile,
  tfDtypeInLayerArguments,
  dunderCallOverride,
  mixedTensorCallArgument,
  kerasOptimizerOnTfVariables,
  arrayOperatorOnKerasTensor
];
