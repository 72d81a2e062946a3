import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Assembly: turning the chunks' outputs into one dataset (text columns, missing values, labels).
extension Reader {
    func assemble(layout: Layout, header: [[UInt8]]?, rows: Int, matrix: inout [Float], classes: inout [Int32],
                  outputs: [ChunkOutput], firstRows: [Int], threads: Int,
                  warnings: [String]) throws(DataError) -> LoadedTable {
        let width = layout.width
        var warnings = warnings
        func sourceColumn(_ slot: Int) -> Int { layout.sourceColumns[slot] }

        // Column kinds.
        var missing = [Int](repeating: 0, count: width)
        var textCells = [Int](repeating: 0, count: width)
        var firstText = [TextSighting?](repeating: nil, count: width)
        for out in outputs {
            for s in 0..<width {
                missing[s] += out.missing[s]
                textCells[s] += out.textCells[s]
                if firstText[s] == nil { firstText[s] = out.firstText[s] }
            }
        }
        var mixed: (line: Int, slot: Int)? = nil
        for s in 0..<width where textCells[s] > 0 && textCells[s] + missing[s] < rows {
            let at = firstText[s]!.line
            if mixed == nil || at < mixed!.line { mixed = (at, s) }
        }
        if let (line, slot) = mixed {
            let column = sourceColumn(slot)
            let cell = layout.quoting.quote(firstText[slot]!.value).map { "'\($0)'" } ?? "text"
            throw layout.error(.notNumeric,
                               "Line \(line), \(layout.describe(column)) holds \(cell) where the rest of the column is numbers.",
                               line: line, column: column)
        }

        // Encoding: text that is not UTF-8 past the start decides it now (the numbers are ASCII).
        var decoding = layout.decoding
        var names = layout.names
        if decoding == .utf8 {
            let valid = outputs.allSatisfy { out in
                out.labels.allValidUTF8 && (0..<width).allSatisfy { s in textCells[s] == 0 || out.text[s]?.allValidUTF8 ?? true }
                    && out.ids.allSatisfy(TextDecoding.isValidUTF8)
            }
            if !valid {
                if options.encoding == .utf8 { throw notUTF8() }
                decoding = .cp1252
                warnings.append(Self.fallbackWarning(path))
                names = Self.columnNames(header, columns: layout.columns, labelColumn: layout.labelColumn, decoding)
            }
        }

        var ids: [String]? = layout.idColumn == nil ? nil : outputs.flatMap { $0.ids.map(decoding.decode) }

        // Text columns: levels and per-chunk id maps.
        var levels = [[String]?](repeating: nil, count: width)
        var levelMaps = [[[Int32]]](repeating: [], count: width)   // [slot][chunk][local id] -> level
        for s in 0..<width where textCells[s] > 0 {
            var all = Set<String>()
            for out in outputs { if let t = out.text[s] { all.formUnion(t.strings(decoding)) } }
            let column = sourceColumn(s)
            if all.count > options.maxCategoricalLevels {
                throw layout.error(.tooManyLevels,
                                   "\(layout.describe(column).capitalizedFirst) holds \(all.count) distinct text values, more than the \(options.maxCategoricalLevels) that can be one-hot encoded.",
                                   line: nil, column: column)
            }
            let sorted = all.sorted()
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
            levels[s] = sorted
            levelMaps[s] = outputs.map { out in out.text[s].map { t in t.strings(decoding).map { index[$0]! } } ?? [] }
        }

        // Labels: merge, sort, remap.
        var labelSet = Set<String>()
        let labelStrings = outputs.map { $0.labels.strings(decoding) }
        for strings in labelStrings { labelSet.formUnion(strings) }
        if options.labelsMustBeClasses {
            try checkLabelsAreClasses(labelSet, rows: rows, layout: layout, name: names[layout.labelColumn])
        }
        var labels = sortLabels(Array(labelSet))
        do {
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
            let maps = labelStrings.map { $0.map { index[$0]! } }
            classes.withUnsafeMutableBufferPointer { c in
                for i in 0..<outputs.count {
                    let map = maps[i]
                    for r in firstRows[i]..<firstRows[i + 1] { c[r] = map[Int(c[r])] }
                }
            }
        }

        // One-hot expansion.
        var columns: [DatasetSchema.Column] = []
        var missingPerFeature: [Int] = []
        var encodedColumns: [String] = []
        for s in 0..<width {
            let name = names[sourceColumn(s)]
            if let lv = levels[s] {
                encodedColumns.append(name)
                columns.append(.categorical(name: name, levels: lv))
                missingPerFeature += repeatElement(missing[s], count: lv.count)
            } else {
                columns.append(.numeric(name: name))
                missingPerFeature.append(missing[s])
            }
        }
        let schema = DatasetSchema(columns: columns)
        let finalWidth = schema.featureNames.count
        if !encodedColumns.isEmpty {
            var offsets = [Int](repeating: 0, count: width)
            var o = 0
            for s in 0..<width { offsets[s] = o; o += levels[s]?.count ?? 1 }
            var expanded = [Float](repeating: 0, count: rows * finalWidth)
            let isText = levels.map { $0 != nil }
            let frozenMaps = levelMaps
            matrix.withUnsafeBufferPointer { src in
                expanded.withUnsafeMutableBufferPointer { dst in
                    let sink = SendableBox(value: (src.baseAddress!, dst.baseAddress!))
                    parallelFor(outputs.count, threads: threads) { i in
                        let (from, to) = sink.value
                        for r in firstRows[i]..<firstRows[i + 1] {
                            let a = from + r * width, b = to + r * finalWidth
                            for s in 0..<width {
                                let v = a[s]
                                if !isText[s] { b[offsets[s]] = v; continue }
                                if v.isNaN {
                                    for k in 0..<(levels[s]!.count) { b[offsets[s] + k] = .nan }
                                } else {
                                    b[offsets[s] + Int(frozenMaps[s][i][Int(v)])] = 1
                                }
                            }
                        }
                    }
                }
            }
            matrix = expanded
        }

        // Missing cells.
        var dropped = 0
        let anyMissing = missing.contains { $0 > 0 }
        if anyMissing && options.missing == .dropRows {
            var drop: [Int] = []
            for out in outputs { drop.append(contentsOf: out.rowsWithMissing) }
            let kept = compactRows(rows, dropping: drop, width: finalWidth, matrix: &matrix, classes: &classes) { from, to in
                if ids != nil { ids![to] = ids![from] }
            }
            dropped = rows - kept
            if kept == 0 {
                throw fail(.missingValue, "Every row of \(path) has a missing value, so dropping them leaves nothing.")
            }
            matrix.removeLast(dropped * finalWidth)
            classes.removeLast(dropped)
            ids?.removeLast(dropped)
            if dropped * 4 > rows {
                // Give back the capacity of the dropped rows.
                matrix = matrix.withUnsafeBufferPointer { Array($0) }
                classes = classes.withUnsafeBufferPointer { Array($0) }
            }
        } else if anyMissing && options.missing == .imputeMean {
            let n = rows
            var sums = [Double](repeating: 0, count: finalWidth)
            var present = [Int](repeating: 0, count: finalWidth)
            let columnsWithMissing = (0..<finalWidth).filter { missingPerFeature[$0] > 0 }
            matrix.withUnsafeBufferPointer { m in
                for r in 0..<n {
                    let rowBase = r * finalWidth
                    for c in columnsWithMissing {
                        let v = m[rowBase + c]
                        if !v.isNaN { sums[c] += Double(v); present[c] += 1 }
                    }
                }
            }
            var means = [Float](repeating: 0, count: finalWidth)
            for c in columnsWithMissing {
                if present[c] == 0 {
                    var s = 0
                    var o = 0
                    for slot in 0..<width { let w = levels[slot]?.count ?? 1; if c < o + w { s = slot; break }; o += w }
                    let column = sourceColumn(s)
                    throw layout.error(.missingValue,
                                       "\(layout.describe(column).capitalizedFirst) has no values at all, so there is no mean to impute.",
                                       line: nil, column: column)
                }
                means[c] = Float(sums[c] / Double(present[c]))
            }
            matrix.withUnsafeMutableBufferPointer { m in
                for r in 0..<n {
                    let rowBase = r * finalWidth
                    for c in columnsWithMissing where m[rowBase + c].isNaN { m[rowBase + c] = means[c] }
                }
            }
        }

        // Classes actually present (dropping rows can remove one).
        var classCounts = [Int](repeating: 0, count: labels.count)
        for c in classes { classCounts[Int(c)] += 1 }
        if classCounts.contains(0) {
            var remap = [Int32](repeating: -1, count: labels.count)
            var kept: [String] = []
            var keptCounts: [Int] = []
            for (i, label) in labels.enumerated() where classCounts[i] > 0 {
                remap[i] = Int32(kept.count)
                kept.append(label)
                keptCounts.append(classCounts[i])
            }
            for r in 0..<classes.count { classes[r] = remap[Int(classes[r])] }
            labels = kept
            classCounts = keptCounts
        }
        let positiveClass = try layout.positiveClass(labels: labels, counts: classCounts, names: names, options: options, path: path)

        let dataset = Dataset(schema: schema, features: matrix, classIndex: classes,
                              classLabels: labels, positiveClass: positiveClass, ids: ids)
        var firstSkipped: [Int] = []
        for out in outputs { firstSkipped.append(contentsOf: out.firstSkipped) }
        return LoadedTable(dataset: dataset, missingPerFeature: missingPerFeature, droppedRows: dropped,
                           encodedColumns: encodedColumns, skippedLines: outputs.reduce(0) { $0 + $1.skipped },
                           firstSkippedLines: Array(firstSkipped.prefix(LoadedTable.skippedLinesShown)),
                           warnings: warnings)
    }

    /// Numeric order when every label is a number, otherwise lexicographic; ties broken by text.
    func sortLabels(_ labels: [String]) -> [String] {
        let values = labels.map { label -> Double? in
            let (_, status) = FloatParser.parse(Array(label.utf8))
            return status == .invalid ? nil : Double(label)
        }
        if values.allSatisfy({ $0 != nil }) {
            return zip(labels, values).sorted { a, b in
                a.1! != b.1! ? a.1! < b.1! : a.0 < b.0
            }.map(\.0)
        }
        return labels.sorted()
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
