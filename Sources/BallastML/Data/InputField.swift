/// The input of an engine call that an error concerns, in the engine's own terms.
///
/// The engine knows nothing of the wire: the server maps each case to the path of the field the
/// client sent (`learningRate` → `optimizer.lr`, `costMatrix` → `loss.weights.cost`), so an error
/// points at what the person wrote. Messages name an input in words ("the learning rate"), never
/// by its Swift spelling.
public enum InputField: Sendable, Hashable, CaseIterable {
    // The data an engine call works on.
    /// A dataset passed whole (to train on, score, standardize, resample).
    case dataset
    /// Feature rows given inline to a model.
    case featureRows
    /// The model that is asked to score.
    case model
    /// The class labels, counts, positive class or class indices that come with a dataset.
    case classLabels, classCounts, positiveClass, classIndex, classCount

    // Class weights (`WeightScheme`).
    case weightScheme, effectiveNumberBeta, binaryWeight, customWeights, costMatrix

    // Training (`TrainingConfig`).
    case hiddenLayers, classWeights, sampleWeights, l2
    case focalGamma, focalAlpha
    case tolerance, maxIterations, lbfgsMemory
    case learningRate, epochs, batchSize, momentum, adamBeta1, adamBeta2, adamEpsilon
    case patience, minDelta

    // The generator (`SyntheticSpec`).
    case rowCount, featureCount, informativeCount, classProportions, separation, labelNoise, featureNames

    // Splits and resampling.
    case testFraction, validationFraction, folds, resampleRatio, neighbours

    // Experiments.
    case sweepGrid, sweepParameter

    // Tuning (`experiment/tune`): the objective, the calibration method, the fold plan's repeats,
    // the holdout fraction of the honest estimate, and the candidate list.
    case objective, calibration, repeats, holdout, candidates
}
