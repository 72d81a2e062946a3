/// Why a spark fit gave no coefficients, before the handler says it on the wire (`SparkTraining`
/// maps each case to its code and field).
enum SparkFailure: Error, Sendable, Equatable {
    /// The request was cancelled (while queued, while the sidecar started, or during the fit).
    case cancelled
    /// The sidecar cannot start here: pyspark, Java or the sidecar itself is missing.
    case unavailable(String)
    /// The sidecar process ended during the request; its last line on stderr.
    case died(String)
    /// The sidecar's own error event: `kind` is `data`, `request`, `spark` (or `cancelled`,
    /// which arrives as `.cancelled`), `field` the request field it blames.
    case reported(kind: String, message: String, field: String?)
}
