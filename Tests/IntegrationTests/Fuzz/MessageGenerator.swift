import BallastProtocol
import BallastTransport
import Foundation

/// Makes the fuzzer's messages from a seed: the same seed, daemon build and examples give the
/// same messages, byte for byte, in the same order.
struct MessageGenerator {
    /// A dataset made before fuzzing that only unsigned markers name: it must survive the run.
    static let sentinel = "fuzz-sentinel"
    /// Names carried by unsigned markers: none may ever show up in `dataset/list` or `model/list`.
    static let unsignedPrefix = "unsigned-"
    /// Tracked request ids count up from here; byte-mutated messages use string ids instead.
    static let firstTrackedID: Int64 = 1 << 41   // above the bundled client's ids (< 2^40 + calls)

    private var rng: SeededGenerator
    private let signer: MessageSigner
    private let corpus: FuzzCorpus
    private var count = 0
    private var nextTrackedID = firstTrackedID
    /// Fingerprints of every authentic payload, so none is ever sent twice (it would be a replay).
    private var sentFingerprints: Set<UInt64> = []
    /// Recent well-formed signed messages, the ones a replay repeats.
    private var replayable: [FuzzMessage] = []

    init(seed: UInt64, signer: MessageSigner, corpus: FuzzCorpus) {
        rng = SeededGenerator(seed: seed)
        self.signer = signer
        self.corpus = corpus
    }

    mutating func next() -> FuzzMessage {
        count += 1
        let kind = FuzzMessage.Kind.allCases[rng.weighted([34, 24, 6, 20, 10, 6, 10])]
        switch kind {
        case .params: return remember(paramsMessage())
        case .json: return jsonMessage()
        case .control: return remember(controlMessage())
        case .unsigned: return unsignedMessage()
        case .framing: return framingMessage()
        case .replay:
            guard !replayable.isEmpty else { return unsignedMessage() }
            var again = rng.pick(replayable)
            again.kind = .replay
            again.authentic = false
            again.trackedID = nil
            return again
        case .buffers:
            return rng.chance(0.2) ? tamperedBuffersMessage() : remember(buffersMessage())
        }
    }

    // MARK: Buffers

    /// A signed request carrying buffers: a `dataset/put` of random shape, right or wrong in one
    /// of the ways a client gets it wrong, or any method with buffers attached and referred to at
    /// random (most of them take none).
    private mutating func buffersMessage() -> FuzzMessage {
        var mutator = ParamMutator()
        let method: String, params: JSONValue, buffers: [Data]
        if rng.chance(0.5) {
            (params, buffers) = putChunk()
            method = "dataset/put"
        } else {
            let (picked, seeds) = rng.pick(corpus.requestMethods.filter { !FuzzCorpus.writing.contains($0.method) })
            method = picked
            var members = rng.pick(seeds).objectValue ?? [:]
            let count = Int.random(in: 1...5, using: &rng)
            for _ in 0..<Int.random(in: 0...count, using: &rng) {
                let key = members.keys.isEmpty || rng.chance(0.3) ? rng.pick(["features", "labels", "sample_weight", "x"])
                    : rng.pick(members.keys.sorted())
                members[key] = ["buffer": .int(Int64(Int.random(in: -1...count, using: &rng)))]
            }
            params = .object(members)
            buffers = (0..<count).map { _ in Data(rng.bytes(4 * Int.random(in: 0...16, using: &rng))) }
        }
        let id = nextTrackedID
        nextTrackedID += 1
        var payload = mutator.raw.render(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        while !sentFingerprints.insert(Self.fingerprint(payload)).inserted { payload.append(UInt8(ascii: " ")) }
        let bytes = Data(payload)
        return FuzzMessage(kind: .buffers, channel: .request,
                           frames: [Data(signer.signature(of: bytes, buffers: buffers).utf8), bytes] + buffers,
                           authentic: true, trackedID: Self.answersWithID(payload) ? id : nil, method: method)
    }

    /// A first `dataset/put` chunk of random shape, then at random one thing wrong with it.
    private mutating func putChunk() -> (JSONValue, [Data]) {
        let rows = Int.random(in: 0...20, using: &rng), width = Int.random(in: 1...4, using: &rng)
        var features = (0..<(rows * width)).map { _ in Float(Int.random(in: -100...100, using: &rng)) / 8 }
        var labels = (0..<rows).map { _ in Int32.random(in: 0...1, using: &rng) }
        var params: [String: JSONValue] = [
            "name": .string("fuzz-put-\(count)"), "rows": .int(Int64(rows)),
            "columns": .array((0..<width).map { ["name": .string("c\($0)")] }), "classes": ["a", "b"],
            "features": ["buffer": 0], "labels": ["buffer": 1]]
        if rng.chance(0.3) { params["more"] = true }
        switch rng.weighted([4, 1, 1, 1, 1, 1, 1, 1]) {
        case 0: break
        case 1: if !features.isEmpty { features[Int.random(in: 0..<features.count, using: &rng)] = rng.pick([.nan, .infinity, -.infinity]) }
        case 2: features.append(1)                                  // one value too many
        case 3: labels = labels.map { $0 + 5 }                      // no class index
        case 4: params["labels"] = ["buffer": 0]                    // one buffer, two fields
        case 5: params["labels"] = ["buffer": 7]                    // a buffer not sent
        case 6: params["upload"] = .string("u-\(count)")            // a first chunk naming an upload
        default: params["ids"] = .array((0..<(rows + 1)).map { .string("r\($0)") })
        }
        var buffers = [LittleEndianArrays.data(features), LittleEndianArrays.data(labels)]
        if rng.chance(0.1) { buffers.append(Data(rng.bytes(8))) }  // nothing refers to it
        return (.object(params), buffers)
    }

    /// A marker (which would change something if executed) with buffers that do not match its
    /// signature: changed, added, dropped or cut elsewhere after signing. Never executed, never answered.
    private mutating func tamperedBuffersMessage() -> FuzzMessage {
        let (_, payload) = marker()
        let signedBuffers = [Data(rng.bytes(8)), Data(rng.bytes(4))]
        let signature = Data(signer.signature(of: payload, buffers: signedBuffers).utf8)
        var sent = signedBuffers
        switch rng.weighted([1, 1, 1, 1]) {
        case 0: sent[0][Int.random(in: 0..<8, using: &rng)] ^= 0x01
        case 1: sent.append(Data())
        case 2: sent.removeLast()
        default: sent = [sent[0].prefix(4), sent[0].suffix(4) + sent[1]]
        }
        return FuzzMessage(kind: .buffers, channel: .request, frames: [signature, Data(payload)] + sent, authentic: false)
    }

    // MARK: Signed

    private mutating func paramsMessage() -> FuzzMessage {
        let (method, seeds) = rng.pick(corpus.requestMethods)
        var mutator = ParamMutator()
        var params = rng.pick(seeds)
        if rng.chance(0.85) { params = mutator.mutate(params, using: &rng) }
        if rng.chance(0.05), case .object(var members) = params {
            members["progress_token"] = rng.pick([1, "t", [:], 1e300] as [JSONValue])
            params = .object(members)
        }
        let id = nextTrackedID
        nextTrackedID += 1
        let payload = mutator.raw.render(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        return signed(.params, .request, payload, trackedID: Self.answersWithID(payload) ? id : nil, method: method)
    }

    private mutating func controlMessage() -> FuzzMessage {
        var mutator = ParamMutator()
        if rng.chance(0.3) {
            let params: JSONValue = ["id": rng.pick([1, "x", .int(nextTrackedID - 1), [:], .null, 1e300] as [JSONValue]),
                                     "session": rng.pick(["", "00ff", .string(String(repeating: "a", count: 32)), 5] as [JSONValue])]
            let payload = Self.fitted(mutator.raw.render(["jsonrpc": "2.0", "method": "$/cancelRequest",
                                                          "params": rng.chance(0.5) ? mutator.mutate(params, using: &rng) : params]), .control)
            return signed(.control, .control, payload, trackedID: nil, method: "$/cancelRequest")
        }
        let (method, seeds) = rng.chance(0.9) ? rng.pick(corpus.controlMethods) : ("dataset/list", [[:]])
        var params = rng.pick(seeds)
        if rng.chance(0.7) { params = mutator.mutate(params, using: &rng) }
        let id = nextTrackedID
        nextTrackedID += 1
        let payload = Self.fitted(mutator.raw.render(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]), .control)
        return signed(.control, .control, payload, trackedID: Self.answersWithID(payload) ? id : nil, method: method)
    }

    private mutating func jsonMessage() -> FuzzMessage {
        let safe = corpus.requestMethods.filter { !FuzzCorpus.jobs.contains($0.method) && !FuzzCorpus.writing.contains($0.method) }
        let (method, seeds) = rng.pick(safe)
        let base = JSONWriter.data(["jsonrpc": "2.0", "id": .string("m-\(count)"), "method": .string(method), "params": rng.pick(seeds)])
        let channel: FuzzMessage.Channel = rng.chance(0.15) ? .control : .request
        return signed(.json, channel, Self.fitted(PayloadMutator.mutate(base, using: &rng), channel), trackedID: nil, method: nil)
    }

    /// Signs `payload`, first making it unlike every authentic payload sent so far (trailing
    /// spaces change the bytes, not the meaning).
    private mutating func signed(_ kind: FuzzMessage.Kind, _ channel: FuzzMessage.Channel, _ payload: [UInt8],
                                 trackedID: Int64?, method: String?) -> FuzzMessage {
        var payload = payload
        while !sentFingerprints.insert(Self.fingerprint(payload)).inserted { payload.append(UInt8(ascii: " ")) }
        let bytes = Data(payload)
        return FuzzMessage(kind: kind, channel: channel, frames: [Data(signer.signature(of: bytes).utf8), bytes],
                           authentic: true, trackedID: trackedID, method: method)
    }

    private mutating func remember(_ message: FuzzMessage) -> FuzzMessage {
        if message.trackedID != nil {
            if replayable.count < 256 { replayable.append(message) } else { replayable[Int.random(in: 0..<256, using: &rng)] = message }
        }
        return message
    }

    /// The control socket disconnects a peer that sends more than 64 KiB (`ServerSockets`'
    /// `controlMaxMessageBytes`), losing what it had queued: control payloads stay under that.
    static let controlPayloadLimit = 60_000

    static func fitted(_ payload: [UInt8], _ channel: FuzzMessage.Channel) -> [UInt8] {
        channel == .control && payload.count > controlPayloadLimit ? Array(payload.prefix(controlPayloadLimit)) : payload
    }

    /// Whether the reply will carry the request's id: a raw token (invalid UTF-8, say) can make
    /// the whole payload unreadable, and then the error is answered with a null id.
    static func answersWithID(_ payload: [UInt8]) -> Bool {
        switch Message.parse(payload) {
        case .success(.request): true
        case .failure(let failure): failure.id != nil
        default: false
        }
    }

    /// FNV-1a, 64 bits: stable across processes (Swift's Hasher is seeded per process).
    static func fingerprint(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    // MARK: Not authentic

    /// A message that would change something if it were executed, each naming its marker.
    private mutating func marker() -> (FuzzMessage.Channel, [UInt8]) {
        let name = Self.unsignedPrefix + String(count)
        let id: JSONValue = .string(name)
        let request: (String, JSONValue) -> [UInt8] = { method, params in
            JSONWriter.data(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": params])
        }
        switch rng.weighted([4, 2, 2, 1, 2, 1, 1]) {
        case 0: return (.request, request("dataset/generate", ["name": .string(name), "rows": 100, "features": 2]))
        case 1: return (.request, request("model/train", ["dataset": .string(Self.sentinel), "name": .string(name)]))
        case 2: return (.request, request("dataset/drop", ["dataset": .string(Self.sentinel)]))
        case 3: return (.request, request("dataset/split", ["dataset": .string(Self.sentinel), "test": 0.5]))
        case 4: return (rng.chance(0.5) ? .request : .control, request("shutdown", [:]))
        case 5: return (.request, JSONWriter.data(["jsonrpc": "2.0", "method": "exit"]))
        default: return (.control, request("run/cancel", ["run": "run-1"]))
        }
    }

    private mutating func unsignedMessage() -> FuzzMessage {
        let (channel, payload) = marker()
        let valid = signer.signature(of: payload)
        let signature: [UInt8]
        switch rng.weighted([2, 2, 2, 2, 2, 1, 1, 1, 1]) {
        case 0: signature = []
        case 1: signature = Array(String((0..<64).map { _ in rng.pick(Array("0123456789abcdef")) }).utf8)
        case 2: signature = Array(valid.uppercased().utf8)
        case 3: signature = Array(signer.signature(of: payload + [UInt8(ascii: " ")]).utf8)   // valid for another payload
        case 4: signature = Array(MessageSigner(key: "not-the-key").signature(of: payload).utf8)
        case 5: signature = Array(valid.dropLast().utf8)
        case 6: signature = Array((valid + "0").utf8)
        case 7:
            var flipped = Array(valid.utf8)
            let at = Int.random(in: 0..<flipped.count, using: &rng)
            flipped[at] = flipped[at] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            signature = flipped
        default: signature = rng.bytes(64)
        }
        return FuzzMessage(kind: .unsigned, channel: channel, frames: [Data(signature), Data(payload)], authentic: false)
    }

    private mutating func framingMessage() -> FuzzMessage {
        let (channel, payload) = marker()
        let valid = Data(signer.signature(of: payload).utf8), body = Data(payload)
        let frames: [Data] = switch rng.weighted([3, 2, 2, 1, 1, 1, 1]) {
        case 0: [body]                                   // no signature frame
        case 1: [valid, body, Data()]                    // a trailing empty frame
        case 2: [valid, valid, body]
        case 3: [Data()]
        case 4: [Data(), Data(), Data()]
        case 5: [valid]
        default: (0..<Int.random(in: 3...6, using: &rng)).map { _ in Data(rng.bytes(Int.random(in: 0...80, using: &rng))) }
        }
        return FuzzMessage(kind: .framing, channel: channel, frames: frames, authentic: false)
    }
}
