import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// `dataset/put` and `dataset/get` through a real daemon: what goes in as float32 and int32
/// buffers comes back bit for bit, in one message or many, and every wrong chunk is refused
/// naming what is wrong, leaving the upload as it was.
final class DatasetPutTests: XCTestCase {
    private func assertSameBits(_ got: [Float], _ sent: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, sent.count, file: file, line: line)
        XCTAssertTrue(got.map(\.bitPattern) == sent.map(\.bitPattern), "the floats differ in some bit", file: file, line: line)
    }

    func testASingleChunkComesBackBitIdentical() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let data = PutData.numeric(rows: 200, width: 7)
        let result = try data.put(client, name: "single")
        XCTAssertEqual(result["dataset"]?["name"], "single")
        XCTAssertEqual(result["dataset"]?["rows"], 200)
        XCTAssertEqual(result["dataset"]?["features"], 7)
        XCTAssertEqual(result["dataset"]?["positive"], "yes", "the minority class, as dataset/load chooses")
        XCTAssertEqual(result["dropped_rows"], 0)
        XCTAssertEqual(result["encoded_columns"], [])
        let got = try client.getAll("single")
        assertSameBits(got.features, data.features)
        XCTAssertEqual(got.labels, data.labels)
        XCTAssertEqual(got.classes, ["no", "yes"])
        XCTAssertEqual(got.featureNames, (0..<7).map { "f\($0)" })
        XCTAssertEqual(got.label, "label")
        XCTAssertNil(got.ids)
        XCTAssertEqual(got.pages, 1, "the default page holds up to 16 MiB of features")
        XCTAssertEqual(got.last["features"]?["dtype"], "float32")
        XCTAssertEqual(got.last["features"]?["shape"], [200, 7])
        XCTAssertEqual(got.last["labels"]?["shape"], [200])
    }

    func testManyChunksWithIDsComeBackBitIdenticalThroughPages() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let data = PutData.numeric(rows: 1_000, width: 5, seed: 9, ids: true)
        let result = try data.put(client, name: "chunked", chunkRows: 97, extra: ["label": "Class", "total_rows": 1_000])
        XCTAssertEqual(result["dataset"]?["rows"], 1_000)
        let got = try client.getAll("chunked", limit: 301)
        XCTAssertEqual(got.pages, 4)
        assertSameBits(got.features, data.features)
        XCTAssertEqual(got.labels, data.labels)
        XCTAssertEqual(got.ids, data.ids)
        XCTAssertEqual(got.label, "Class")
        XCTAssertEqual(try client.call("dataset/head", params: ["dataset": "chunked", "rows": 1, "offset": 500])["rows"]?.arrayValue?.first?["id"], "row-500")
    }

    func testAChunkThatDoesNotEndTheUploadAnswersItsIDAndRowsSoFar() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let data = PutData.numeric(rows: 10, width: 2)
        var params = data.header(name: "pending")
        params.merge(["rows": 4, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }
        let first = try client.call(DatasetPut.method, params: .object(params),
                                    buffers: [LittleEndianArrays.data(Array(data.features[0..<8])), LittleEndianArrays.data(Array(data.labels[0..<4]))])
        XCTAssertEqual(first["rows_received"], 4)
        let upload = try XCTUnwrap(first["upload"]?.stringValue)
        XCTAssertEqual(try client.call("dataset/list")["datasets"]?.arrayValue?.count, 0, "no dataset before the last chunk")
        XCTAssertGreaterThan(try client.call("dataset/list")["bytes_used"]?.intValue ?? 0, 0, "the rows received count against the budget")
        let aborted = try client.call(DatasetPut.method, params: ["upload": .string(upload), "abort": true])
        XCTAssertEqual(aborted["aborted"], true)
        XCTAssertEqual(try client.call("dataset/list")["bytes_used"], 0, "an abort gives the bytes back")
        let again = try XCTUnwrap(client.rpcError(DatasetPut.method, ["upload": .string(upload), "rows": 0, "features": ["buffer": 0], "labels": ["buffer": 1]],
                                                  buffers: [Data(), Data()]))
        XCTAssertEqual(again.code, ErrorCode.invalidParams)
        XCTAssertEqual(again.data?["field"], "upload")
        XCTAssertTrue(again.message.contains("aborted"), again.message)
    }

    func testATextColumnIsOneHotEncodedAsDatasetLoadEncodesIt() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let colors = ["blue", "green", "red"]
        let codes: [Int] = [0, 2, 1, 2, 2, 0, 1, 2]
        let xs: [Float] = [0.5, 1.5, -2, 3, 4.25, 5, 6, 7]
        let labels: [Int32] = [0, 1, 0, 0, 1, 0, 0, 1]
        let data = PutData(columns: [["name": "x"], ["name": "color", "kind": "text", "levels": .array(colors.map { .string($0) })]],
                           width: 2, classes: ["0", "1"], features: zip(xs, codes).flatMap { [$0, Float($1)] }, labels: labels)
        let result = try data.put(client, name: "put")
        XCTAssertEqual(result["encoded_columns"], ["color"])
        // The same table as a CSV file, through dataset/load.
        let csv = NSTemporaryDirectory() + "ballast-put-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let lines = ["x,color,label"] + xs.indices.map { "\(xs[$0]),\(colors[codes[$0]]),\(labels[$0])" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        _ = try client.call("dataset/load", params: ["path": .string(csv), "name": "loaded"])
        let put = try client.call("dataset/describe", params: ["dataset": "put"])
        let loaded = try client.call("dataset/describe", params: ["dataset": "loaded"])
        XCTAssertEqual(put["columns"], loaded["columns"])
        XCTAssertEqual(put["dataset"]?["feature_names"], loaded["dataset"]?["feature_names"])
        XCTAssertEqual(put["dataset"]?["feature_names"], ["x", "color=blue", "color=green", "color=red"])
        let gotPut = try client.getAll("put"), gotLoaded = try client.getAll("loaded")
        assertSameBits(gotPut.features, gotLoaded.features)
        XCTAssertEqual(gotPut.labels, gotLoaded.labels)
        XCTAssertEqual(gotPut.last["columns"], put["columns"], "get gives the columns, to turn one-hot features back into text")
        // A code that is no level is refused where it is.
        var bad = data
        bad.features[2 * 5 + 1] = 3
        let refused = try XCTUnwrap(client.rpcError(DatasetPut.method, .object(bad.header(name: "bad").merging(
            ["rows": 8, "features": ["buffer": 0], "labels": ["buffer": 1]]) { $1 }),
            buffers: [LittleEndianArrays.data(bad.features), LittleEndianArrays.data(bad.labels)]))
        XCTAssertEqual(refused.code, ErrorCode.invalidParams)
        XCTAssertEqual(refused.data?["field"], "features")
        XCTAssertEqual(refused.data?["row"], 5)
        XCTAssertEqual(refused.data?["column"], 1)
    }

    func testANonFiniteValueIsRefusedWithItsRowCountedFromTheUploadsFirstAndTheUploadGoesOn() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        var data = PutData.numeric(rows: 30, width: 3)
        let good = data
        data.features[(20 + 3) * 3 + 1] = .nan   // the third row of the third chunk of 10
        var upload: String?
        for chunk in 0..<3 {
            var params: [String: JSONValue] = upload.map { ["upload": .string($0)] } ?? data.header(name: "nan")
            params.merge(["rows": 10, "features": ["buffer": 0], "labels": ["buffer": 1], "more": .bool(chunk < 2)]) { $1 }
            let buffers = [LittleEndianArrays.data(Array(data.features[(chunk * 30)..<((chunk + 1) * 30)])),
                           LittleEndianArrays.data(Array(data.labels[(chunk * 10)..<((chunk + 1) * 10)]))]
            if chunk < 2 {
                upload = try client.call(DatasetPut.method, params: .object(params), buffers: buffers)["upload"]?.stringValue
                continue
            }
            let refused = try XCTUnwrap(client.rpcError(DatasetPut.method, .object(params), buffers: buffers))
            XCTAssertEqual(refused.code, ErrorCode.invalidParams)
            XCTAssertEqual(refused.data?["field"], "features")
            XCTAssertEqual(refused.data?["row"], 23)
            XCTAssertEqual(refused.data?["column"], 1)
            XCTAssertEqual(refused.data?["column_name"], "f1")
            // The chunk, mended, is taken: the refused one left the upload as it was.
            let mended = [LittleEndianArrays.data(Array(good.features[60..<90])), buffers[1]]
            let result = try client.call(DatasetPut.method, params: .object(params), buffers: mended)
            XCTAssertEqual(result["dataset"]?["rows"], 30)
        }
        assertSameBits(try client.getAll("nan").features, good.features)
    }

    func testBuffersThatDoNotMatchTheirFieldsAreRefusedNamingTheField() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let data = PutData.numeric(rows: 4, width: 2)
        let features = LittleEndianArrays.data(data.features), labels = LittleEndianArrays.data(data.labels)
        func refusal(_ refs: [String: JSONValue], _ buffers: [Data]) throws -> RPCError {
            var params = data.header(name: "refs")
            params["rows"] = 4
            params.merge(refs) { $1 }
            return try XCTUnwrap(client.rpcError(DatasetPut.method, .object(params), buffers: buffers))
        }
        let short = try refusal(["features": ["buffer": 0], "labels": ["buffer": 1]], [features.dropLast(4), labels])
        XCTAssertEqual(short.data?["field"], "features")
        XCTAssertEqual(short.data?["expected_bytes"], 32)
        XCTAssertEqual(short.data?["actual_bytes"], 28)
        let unreferenced = try refusal(["features": ["buffer": 0], "labels": ["buffer": 1]], [features, labels, Data([1])])
        XCTAssertEqual(unreferenced.data?["buffer"], 2)
        XCTAssertTrue(unreferenced.message.contains("no param refers to it"), unreferenced.message)
        let twice = try refusal(["features": ["buffer": 0], "labels": ["buffer": 0]], [features])
        XCTAssertEqual(twice.data?["field"], "labels")
        XCTAssertEqual(twice.data?["first_field"], "features")
        let missing = try refusal(["features": ["buffer": 0], "labels": ["buffer": 5]], [features, labels])
        XCTAssertEqual(missing.data?["field"], "labels")
        XCTAssertEqual(missing.data?["buffer"], 5)
        let notAReference = try refusal(["features": ["buffer": "0"], "labels": ["buffer": 1]], [features, labels])
        XCTAssertEqual(notAReference.data?["field"], "features")
        let badLabel = try refusal(["features": ["buffer": 0], "labels": ["buffer": 1]], [features, LittleEndianArrays.data([0, 1, 2, 0] as [Int32])])
        XCTAssertEqual(badLabel.data?["field"], "labels")
        XCTAssertEqual(badLabel.data?["row"], 2)
        for error in [short, unreferenced, twice, missing, notAReference, badLabel] {
            XCTAssertEqual(error.code, ErrorCode.invalidParams, error.message)
        }
        XCTAssertEqual(try client.call("dataset/list")["datasets"]?.arrayValue?.count, 0)
    }

    func testAnUploadBelongsToItsSessionAndUnknownOnesAreRefused() throws {
        let daemon = try TestDaemon()
        let owner = try daemon.client(), other = try daemon.client()
        let data = PutData.numeric(rows: 4, width: 2)
        var params = data.header(name: "mine")
        params.merge(["rows": 2, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }
        let upload = try XCTUnwrap(owner.call(DatasetPut.method, params: .object(params),
                                              buffers: [LittleEndianArrays.data(Array(data.features[0..<4])),
                                                        LittleEndianArrays.data(Array(data.labels[0..<2]))])["upload"]?.stringValue)
        let next: [String: JSONValue] = ["upload": .string(upload), "rows": 2, "features": ["buffer": 0], "labels": ["buffer": 1]]
        let buffers = [LittleEndianArrays.data(Array(data.features[4..<8])), LittleEndianArrays.data(Array(data.labels[2..<4]))]
        let foreign = try XCTUnwrap(other.rpcError(DatasetPut.method, .object(next), buffers: buffers))
        XCTAssertEqual(foreign.code, ErrorCode.invalidParams)
        XCTAssertEqual(foreign.data?["field"], "upload")
        let abortForeign = try XCTUnwrap(other.rpcError(DatasetPut.method, ["upload": .string(upload), "abort": true]))
        XCTAssertEqual(abortForeign.data?["field"], "upload", "another session cannot abort it either")
        let unknown = try XCTUnwrap(owner.rpcError(DatasetPut.method, ["upload": "u-nothing", "abort": true]))
        XCTAssertEqual(unknown.data?["field"], "upload")
        let firstChunkField = try XCTUnwrap(owner.rpcError(DatasetPut.method, .object(next.merging(["name": "x"]) { $1 }), buffers: buffers))
        XCTAssertEqual(firstChunkField.data?["field"], "name")
        XCTAssertEqual(try owner.call(DatasetPut.method, params: .object(next), buffers: buffers)["dataset"]?["rows"], 4,
                       "the owner finishes it")
    }

    func testAChunkOverTheMemoryBudgetIsRefusedAndTheUploadKeepsWhatItHad() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 100_000 }
        let client = try daemon.client()
        let data = PutData.numeric(rows: 4_000, width: 4)   // 80 kB of rows
        let upfront = try XCTUnwrap(client.rpcError(DatasetPut.method, .object(data.header(name: "big").merging(
            ["total_rows": 100_000, "rows": 0, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }),
            buffers: [Data(), Data()]))
        XCTAssertEqual(upfront.code, ErrorCode.resourceLimit, "total_rows lets the daemon refuse before any row is sent")
        var params = data.header(name: "big")
        params.merge(["rows": 3_000, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }
        let first = try client.call(DatasetPut.method, params: .object(params),
                                    buffers: [LittleEndianArrays.data(Array(data.features[0..<12_000])),
                                              LittleEndianArrays.data(Array(data.labels[0..<3_000]))])
        let upload = try XCTUnwrap(first["upload"]?.stringValue)
        let held = try XCTUnwrap(client.call("dataset/list")["bytes_used"]?.intValue)
        XCTAssertEqual(held, 3_000 * 5 * 4)
        let next: JSONValue = ["upload": .string(upload), "rows": 3_000, "features": ["buffer": 0], "labels": ["buffer": 1]]
        let over = try XCTUnwrap(client.rpcError(DatasetPut.method, next, buffers: [LittleEndianArrays.data(Array(data.features[0..<12_000])),
                                                                                   LittleEndianArrays.data(Array(data.labels[0..<3_000]))]))
        XCTAssertEqual(over.code, ErrorCode.resourceLimit)
        XCTAssertEqual(try client.call("dataset/list")["bytes_used"]?.intValue, held, "the refused chunk holds nothing")
        let fits: JSONValue = ["upload": .string(upload), "rows": 1_000, "features": ["buffer": 0], "labels": ["buffer": 1]]
        let done = try client.call(DatasetPut.method, params: fits, buffers: [LittleEndianArrays.data(Array(data.features[12_000...])),
                                                                               LittleEndianArrays.data(Array(data.labels[3_000...]))])
        XCTAssertEqual(done["dataset"]?["rows"], 4_000)
        XCTAssertEqual(try client.call("dataset/list")["bytes_used"]?.intValue, 4_000 * 5 * 4, "the upload's hold became the dataset's")
    }

    func testAnnouncedRowsAreHeldAgainstTheBudgetFromTheFirstChunk() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 100_000 }
        let client = try daemon.client()
        let data = PutData.numeric(rows: 4_000, width: 4)   // 20 bytes a row
        func begin(_ name: String) throws -> JSONValue {
            var params = data.header(name: name)
            params.merge(["total_rows": 3_000, "rows": 10, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }
            return .object(params)
        }
        let buffers = [LittleEndianArrays.data(Array(data.features[0..<40])), LittleEndianArrays.data(Array(data.labels[0..<10]))]
        let first = try client.call(DatasetPut.method, params: try begin("a"), buffers: buffers)
        XCTAssertNotNil(first["upload"]?.stringValue)
        XCTAssertEqual(try client.call("dataset/list")["bytes_used"]?.intValue, 3_000 * 20,
                       "the room set aside for every announced row is held, not just the first chunk's")
        let second = try XCTUnwrap(client.rpcError(DatasetPut.method, try begin("b"), buffers: buffers))
        XCTAssertEqual(second.code, ErrorCode.resourceLimit, "two announced uploads of 60 kB do not fit a 100 kB budget")
    }

    func testASessionMayHaveSixteenUploadsOpen() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let data = PutData.numeric(rows: 4, width: 2)
        let buffers = [LittleEndianArrays.data(Array(data.features[0..<4])), LittleEndianArrays.data(Array(data.labels[0..<2]))]
        func begin(_ index: Int) -> JSONValue {
            var params = data.header(name: "open\(index)")
            params.merge(["rows": 2, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }
            return .object(params)
        }
        var uploads: [String] = []
        for index in 0..<16 { uploads.append(try XCTUnwrap(client.call(DatasetPut.method, params: begin(index), buffers: buffers)["upload"]?.stringValue)) }
        let refused = try XCTUnwrap(client.rpcError(DatasetPut.method, begin(16), buffers: buffers))
        XCTAssertEqual(refused.code, ErrorCode.invalidParams)
        XCTAssertEqual(refused.data?["open_uploads"], 16)
        _ = try client.call(DatasetPut.method, params: ["upload": .string(uploads[0]), "abort": true])
        XCTAssertNotNil(try client.call(DatasetPut.method, params: begin(16), buffers: buffers)["upload"], "an abort makes room")
    }

    func testAnIdleUploadIsDiscarded() throws {
        let daemon = try TestDaemon { $0.uploadIdleSeconds = 0.5 }
        let client = try daemon.client()
        let data = PutData.numeric(rows: 4, width: 2)
        var params = data.header(name: "idle")
        params.merge(["rows": 2, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }
        let upload = try XCTUnwrap(client.call(DatasetPut.method, params: .object(params),
                                               buffers: [LittleEndianArrays.data(Array(data.features[0..<4])),
                                                         LittleEndianArrays.data(Array(data.labels[0..<2]))])["upload"]?.stringValue)
        try waitUntil("the idle upload gives its bytes back") { try client.call("dataset/list")["bytes_used"] == 0 }
        let late = try XCTUnwrap(client.rpcError(DatasetPut.method, ["upload": .string(upload), "abort": true]))
        XCTAssertEqual(late.data?["field"], "upload")
        XCTAssertTrue(late.message.contains("without a chunk"), late.message)
    }

    func testAnUploadWhoseClientIsGoneIsDiscarded() throws {
        let daemon = try TestDaemon {
            $0.sessionGraceSeconds = 0.2
            $0.heartbeatIntervalMilliseconds = 100
            $0.heartbeatTimeoutMilliseconds = 500
        }
        let watcher = try daemon.client()
        do {
            let client = try daemon.client()
            let data = PutData.numeric(rows: 4, width: 2)
            var params = data.header(name: "gone")
            params.merge(["rows": 2, "features": ["buffer": 0], "labels": ["buffer": 1], "more": true]) { $1 }
            _ = try client.call(DatasetPut.method, params: .object(params),
                                buffers: [LittleEndianArrays.data(Array(data.features[0..<4])), LittleEndianArrays.data(Array(data.labels[0..<2]))])
            XCTAssertGreaterThan(try watcher.call("dataset/list")["bytes_used"]?.intValue ?? 0, 0)
            client.close()
        }
        try waitUntil("the departed client's upload gives its bytes back") { try watcher.call("dataset/list")["bytes_used"] == 0 }
    }

    func testADatasetPutWithKeepSurvivesARestart() throws {
        let folder = NSTemporaryDirectory() + "ballast-put-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = PutData.numeric(rows: 500, width: 3, ids: true)
        do {
            let daemon = try TestDaemon(stateDirectory: folder)
            let client = try daemon.client()
            try data.put(client, name: "kept", chunkRows: 128, extra: ["label": "target", "keep": true])
            try data.put(client, name: "unkept", chunkRows: 128, extra: ["keep": false])
            daemon.stop()
        }
        let daemon = try TestDaemon(stateDirectory: folder)
        let client = try daemon.client()
        let got = try client.getAll("kept")
        assertSameBits(got.features, data.features)
        XCTAssertEqual(got.labels, data.labels)
        XCTAssertEqual(got.ids, data.ids)
        XCTAssertEqual(got.label, "target", "the label's name comes back from the provenance")
        // An upload not kept cannot be made again by the daemon: the list says to upload it again.
        let unavailable = try XCTUnwrap(client.call("dataset/list")["unavailable"]?.arrayValue)
        let unkept = try XCTUnwrap(unavailable.first { $0["name"] == "unkept" })
        let message = try XCTUnwrap(unkept["message"]?.stringValue)
        XCTAssertTrue(message.hasSuffix("It was uploaded with dataset/put: upload it again from where it came from."), message)
    }

    func testGetRefusesAnOffsetPastTheEnd() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try PutData.numeric(rows: 10, width: 2).put(client, name: "ten")
        let past = try XCTUnwrap(client.rpcError(DatasetGet.method, ["dataset": "ten", "offset": 11]))
        XCTAssertEqual(past.code, ErrorCode.invalidParams)
        XCTAssertEqual(past.data?["field"], "offset")
        let end = try client.callWithBuffers(DatasetGet.method, params: ["dataset": "ten", "offset": 10])
        XCTAssertEqual(end.result["rows"], 0)
        XCTAssertEqual(end.buffers, [Data(), Data()])
        let missing = try XCTUnwrap(client.rpcError(DatasetGet.method, ["dataset": "eleven"]))
        XCTAssertEqual(missing.code, ErrorCode.notFound)
    }

    func testASingleClassIsRefusedAsDatasetLoadRefusesIt() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        var data = PutData.numeric(rows: 5, width: 2)
        data.labels = [0, 0, 0, 0, 0]
        data.classes = ["a", "b", "c"]
        XCTAssertThrowsError(try data.put(client, name: "one")) { error in
            guard case .rpc(let rpc) = error as? ClientError else { return XCTFail("\(error)") }
            XCTAssertEqual(rpc.code, ErrorCode.invalidData)
            XCTAssertEqual(rpc.data?["field"], "labels")
        }
        data.labels = [0, 2, 0, 0, 2]
        let result = try data.put(client, name: "two")
        XCTAssertEqual(result["dataset"]?["classes"]?.arrayValue?.compactMap { $0["label"]?.stringValue }, ["a", "c"])
        XCTAssertEqual(result["warnings"]?.arrayValue?.count, 1, "the class with no row is left out, and said so")
    }

    func testAFirstChunkThatMisdescribesItsColumnsIsRefusedNamingTheField() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let data = PutData.numeric(rows: 2, width: 1)
        let buffers = [LittleEndianArrays.data(data.features), LittleEndianArrays.data(data.labels)]
        func refusal(_ columns: JSONValue, label: String? = nil) throws -> RPCError {
            var params = data.header(name: "cols")
            params.merge(["columns": columns, "rows": 2, "features": ["buffer": 0], "labels": ["buffer": 1]]) { $1 }
            if let label { params["label"] = .string(label) }
            return try XCTUnwrap(client.rpcError(DatasetPut.method, .object(params), buffers: buffers))
        }
        let kind = try refusal([["name": "c", "kind": "txt", "levels": ["a"]]])
        XCTAssertEqual(kind.data?["field"], "columns[0].kind")
        XCTAssertTrue(kind.message.contains("Did you mean 'text'?"), kind.message)
        XCTAssertEqual(try refusal([["name": "c", "levelz": ["a"]]]).data?["field"], "columns[0].levelz")
        XCTAssertEqual(try refusal([["name": "c", "kind": "text"]]).data?["field"], "columns[0].levels")
        XCTAssertEqual(try refusal([["name": "c", "levels": ["a"]]]).data?["field"], "columns[0].levels")
        XCTAssertEqual(try refusal([["name": "c"]], label: "c").data?["field"], "label")
        XCTAssertEqual(try refusal([["name": "c=a"], ["name": "c", "kind": "text", "levels": ["a"]]]).data?["field"], "columns")
    }

    /// Polls `condition` until it holds; the bound only catches a hang.
    private func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("\(what) did not happen within 30 s")
    }
}
