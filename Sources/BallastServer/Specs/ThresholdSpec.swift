import BallastML
import BallastProtocol

extension ThresholdRule {
    /// The engine's rule for a requested threshold, refused where it cannot apply: a number or
    /// `best_f1` on multiclass data (which takes the argmax), `best_f1` without validation data.
    init(_ threshold: Threshold?, field: String, binary: Bool, hasValidation: Bool) throws(RPCError) {
        switch threshold {
        case nil, .standard?:
            self = .standard
        case .bestF1?:
            guard binary else { throw .invalidParams("best_f1 applies to binary data; multiclass predictions take the argmax.", field: field) }
            guard hasValidation else {
                throw .invalidParams("best_f1 tunes the threshold on validation data: give a 'validation' dataset.", field: field)
            }
            self = .bestF1
        case .value(let t)?:
            guard binary else { throw .invalidParams("A threshold applies to binary data; multiclass predictions take the argmax.", field: field) }
            self = .value(t)
        }
    }
}
