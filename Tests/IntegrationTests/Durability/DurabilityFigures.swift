import Foundation

/// What the kill loop counted, printed at its end (and on failure, with the seed to repeat it).
/// Runs are counted once each, by the token of the request that made them, however many restarts
/// checked them.
struct DurabilityFigures {
    var seed: UInt64 = 0
    var rounds = 0
    var kills = 0
    /// Kills while a daemon started (before or while it opened the store), besides the rounds' kills.
    var startupKills = 0
    var restarts = 0
    var requests = 0
    var acknowledgedRuns: Set<String> = []
    var acknowledgedModels: Set<String> = []
    var refused: Set<String> = []
    /// Datasets stored by acknowledged requests, one per request and name.
    var acknowledgedDatasets: Set<String> = []
    /// Why requests were refused, with how many: a harness that sends bad requests tests less.
    var refusals: [String: Int] = [:]
    /// The acknowledged runs' `seconds`, by token.
    var runSeconds: [String: Double] = [:]

    // How the runs a kill caught (sent, unanswered) came back.
    /// `interrupted`, as promised for a run going at the kill.
    var interrupted: Set<String> = []
    /// `completed` though its reply never came: it ended between its last write and the kill.
    var completedUnanswered: Set<String> = []
    /// `cancelled` or `failed` though unanswered (the kill came while the error was on its way).
    var endedOtherwiseUnanswered: Set<String> = []
    /// Not in the store: the kill came before the daemon began it (queued, or still in the socket).
    var notBegun: Set<String> = []
    /// Of the interrupted runs: the events kept, and the events `$/progress` had published (the
    /// highest `seq` heard); kept may exceed published (a record stored before it was sent).
    var interruptedEventsKept = 0
    var interruptedEventsPublished = 0
    /// `completed` (unanswered) without its model in `model/list`: reported, not a broken promise.
    var completedWithoutModel: Set<String> = []

    // Broken promises: each one fails the test.
    var lostRuns: Set<String> = []
    var lostModels: Set<String> = []
    /// Acknowledged runs whose status or metrics differ from the reply; models that predict otherwise.
    var changedRuns: Set<String> = []
    var changedModels: Set<String> = []
    /// Datasets an acknowledged request stored that did not come back, or came back otherwise.
    var lostDatasets: Set<String> = []
    var changedDatasets: Set<String> = []
    /// Runs whose stored events are not `seq` 1…n, or disagree with what was published.
    var brokenEvents: Set<String> = []
    /// Runs still `running` after a restart, runs that changed status between restarts, runs no
    /// request made, runs seen going (a `$/progress` named them) but missing after the restart.
    var otherwiseWrong: Set<String> = []
    var failures: [String] = []

    var started = Date()
    var wallSeconds: Double { Date().timeIntervalSince(started) }

    var brokenPromises: Int {
        lostRuns.count + lostModels.count + changedRuns.count + changedModels.count + brokenEvents.count
            + lostDatasets.count + changedDatasets.count
            + otherwiseWrong.count
    }

    mutating func fail(_ set: WritableKeyPath<DurabilityFigures, Set<String>>, _ key: String, _ why: String) {
        // Each broken promise is told once, at the first restart that finds it.
        if self[keyPath: set].insert(key).inserted && failures.count < 40 { failures.append(why) }
    }

    private var secondsText: String {
        let sorted = runSeconds.values.sorted()
        guard !sorted.isEmpty else { return "none" }
        return String(format: "median %.2f s, longest %.1f s", sorted[sorted.count / 2], sorted.last!)
    }

    private var refusalsText: String {
        refusals.isEmpty ? "" : " (" + refusals.sorted { $0.value > $1.value }.prefix(3).map { "\($1)× \($0)" }.joined(separator: "; ") + ")"
    }

    var summary: String {
        """
        kill loop seed \(seed) (repeat with BALLAST_KILL_SEED=\(seed) BALLAST_KILL_ROUNDS=\(rounds)):
          \(kills) kills (and \(startupKills) while starting), \(restarts) restarts, \(requests) requests in \(String(format: "%.1f", wallSeconds)) s
          acknowledged: \(acknowledgedRuns.count) runs (\(secondsText)), \(acknowledgedModels.count) models, \(acknowledgedDatasets.count) datasets; \(refused.count) refused\(refusalsText)
          caught by a kill: \(interrupted.count) interrupted, \(completedUnanswered.count) completed with the reply lost \
        (\(completedWithoutModel.count) of them without their model), \(endedOtherwiseUnanswered.count) cancelled or failed, \
        \(notBegun.count) never begun;
          the interrupted kept \(interruptedEventsKept) events, of \(interruptedEventsPublished) published before the kill
          lost: \(lostRuns.count) runs, \(lostModels.count) models, \(lostDatasets.count) datasets; changed: \
        \(changedRuns.count) runs, \(changedModels.count) models, \(changedDatasets.count) datasets; \(brokenEvents.count) runs with broken events; \(otherwiseWrong.count) otherwise wrong
        """
    }
}
