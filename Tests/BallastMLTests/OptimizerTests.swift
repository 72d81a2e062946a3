import XCTest
@testable import BallastML

/// L-BFGS on its own, on functions with known minima.
final class OptimizerTests: XCTestCase {
    func testLBFGSMinimisesRosenbrock() {
        let optimizer = LBFGS(tolerance: 1e-9, maxIterations: 1_000, memory: 7, gradientScale: 1)
        var x: [Double] = [-1.2, 1]
        let result = optimizer.minimize(&x, evaluate: { p, g in
            let a = p[0], b = p[1]
            g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
            g[1] = 200 * (b - a * a)
            return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
        }, beforeIteration: { .proceed }, afterIteration: { _, _, _, _ in .proceed })
        XCTAssertEqual(result.reason, .converged)
        XCTAssertEqual(x[0], 1, accuracy: 1e-6)
        XCTAssertEqual(x[1], 1, accuracy: 1e-6)
        XCTAssertLessThan(result.iterations, 100)
    }

    func testLBFGSSolvesAnIllConditionedQuadraticAndStopsAtMaxIterations() {
        let scales = (0..<20).map { pow(10, Double($0) / 5) }   // condition number 6e3
        func run(_ maxIterations: Int) -> ([Double], LBFGS.Result) {
            let optimizer = LBFGS(tolerance: 1e-10, maxIterations: maxIterations, memory: 10, gradientScale: 1)
            var x = [Double](repeating: 1, count: 20)
            let result = optimizer.minimize(&x, evaluate: { p, g in
                var f = 0.0
                for i in 0..<20 { let d = p[i] - Double(i); f += 0.5 * scales[i] * d * d; g[i] = scales[i] * d }
                return f
            }, beforeIteration: { .proceed }, afterIteration: { _, _, _, _ in .proceed })
            return (x, result)
        }
        let (x, result) = run(1_000)
        XCTAssertEqual(result.reason, .converged)
        // Stops by the relative-decrease test (64ε) once f ≈ 1e-14: x is then within ~1e-7.
        for i in 0..<20 { XCTAssertEqual(x[i], Double(i), accuracy: 1e-6) }
        XCTAssertEqual(run(3).1.reason, .maxIterations)
        XCTAssertEqual(run(3).1.iterations, 3)
    }

    func testLBFGSStepsBackFromNonFiniteValues() {
        // f = −x − log(1 − x) on x < 1 (+∞ beyond), minimum at 0: trial steps may land past 1.
        let optimizer = LBFGS(tolerance: 1e-10, maxIterations: 100, memory: 5, gradientScale: 1)
        var x: [Double] = [-5]
        let result = optimizer.minimize(&x, evaluate: { p, g in
            let v = p[0]
            g[0] = v < 1 ? -1 + 1 / (1 - v) : .nan
            return v < 1 ? -v - log(1 - v) : .infinity
        }, beforeIteration: { .proceed }, afterIteration: { _, _, _, _ in .proceed })
        XCTAssertEqual(result.reason, .converged)
        XCTAssertEqual(x[0], 0, accuracy: 1e-6)
        XCTAssertEqual(result.objective, 0, accuracy: 1e-12)
    }
}
