import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge-bench fuzz`: a bounded, seeded, deterministic mutation fuzzer over the checked-in corpora
/// (Tests/Fuzz/corpus, samples/events) for the code that reads untrusted input: the HTTP request parser,
/// the JSON parser, the notification decoder and the duration parser.
///
/// Why not libFuzzer: `-sanitize=fuzzer` needs its own executable target (a Package.swift change) and a
/// toolchain with the fuzzer runtime; this harness runs in any build, in CI, with the same corpora, and
/// a seed reproduces a run exactly (up to the time bound).
enum FuzzCommand {
    static let usage = """
    usage: ecbridge-bench fuzz [--target all|http|server|json|decoder|duration] [--seconds 40] [--seed 1]
                               [--corpus Tests/Fuzz/corpus] [--samples samples/events] [--artifacts DIR]
                               [--hang-seconds 10]

    First replays the corpus: every Tests/Fuzz/corpus/http/NAME.STATUS.http must be refused with STATUS
    (NAME.okN.http: N requests accepted), and every seed must pass the target's invariants. Then mutates
    seeds (byte-level; structure-aware for JSON) for --seconds in total, split evenly between the targets,
    checking each input:
      http      whole, byte-by-byte and randomly cut parses agree; accepted requests never carry both
                Content-Length and Transfer-Encoding, repeated Content-Length, a body over the limit or a
                body of another length than declared
      server    our HTTPServer on a loopback socket answers each input exactly as its parser model says
                (a 200 per accepted request until a refusal or Connection: close, then the refusal and
                close), with well-formed responses, and never hangs
      json      accepted documents print and re-parse to the same value; printing is stable
      decoder   no trap on any body; an accepted event reads back unchanged from its stored JSON
      duration  parsed values are ≥ 0 and below the open-ended threshold; both printed forms parse back
    A crash (trap, segfault) or a hang (no progress for --hang-seconds) saves the input and exits 70/71.
    Violating inputs are saved to --artifacts (default: a new temporary folder). Ends with
    `checks: P passed, F failed`; exit status 1 on any violation.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["target", "seconds", "seed", "corpus", "samples", "artifacts", "hang-seconds"])
        let which = arguments.string("target", default: "all")
        let names = which == "all" ? ["http", "server", "json", "decoder", "duration"] : which.split(separator: ",").map(String.init)
        let seconds = max(0.1, try arguments.double("seconds", default: 40))
        let seed = UInt64(max(0, try arguments.int("seed", default: 1)))
        let corpus = arguments.string("corpus", default: "Tests/Fuzz/corpus")
        let samples = arguments.string("samples", default: "samples/events")
        let artifacts = arguments.string("artifacts")
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ecbridge-fuzz-\(getpid())").path
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let reproducer = artifacts + "/crash-input"
        FuzzCrashGuard.install(reproducerPath: reproducer, hangSeconds: try arguments.double("hang-seconds", default: 10))

        let checks = CheckList()
        print("fuzz: seed \(seed), \(String(format: "%.0f", seconds)) s over \(names.joined(separator: ", ")); artifacts in \(artifacts)")
        for (offset, name) in names.enumerated() {
            var target: any FuzzTarget
            var seeds: [(name: String, bytes: [UInt8])]
            switch name {
            case "http":
                target = HTTPParserFuzzTarget()
                seeds = try files(in: corpus + "/http")
                replayHTTP(seeds, checks: checks)
            case "server":
                target = try ServerFuzzTarget()
                seeds = try files(in: corpus + "/http")
            case "json":
                target = JSONFuzzTarget()
                seeds = try files(in: corpus + "/decoder") + files(in: samples)
            case "decoder":
                target = DecoderFuzzTarget()
                seeds = try files(in: corpus + "/decoder") + files(in: samples)
            case "duration":
                target = DurationFuzzTarget()
                seeds = try lines(in: corpus + "/duration")
            default:
                throw BenchError("unknown --target \(name) (http, server, json, decoder, duration or all)")
            }
            guard !seeds.isEmpty else { throw BenchError("no seeds for \(name) under \(corpus)") }
            var seedProblems: [String] = []
            for entry in seeds {
                FuzzCrashGuard.willExecute(entry.bytes)
                if let problem = target.check(entry.bytes, cut: entry.bytes.count / 2) { seedProblems.append("\(entry.name): \(problem)") }
                FuzzCrashGuard.didExecute()
            }
            checks.check("\(name): every corpus seed passes the invariants (\(seeds.count) seeds)", seedProblems.isEmpty,
                         sample(seedProblems, limit: 3))

            var mutator = FuzzMutator(seed: seed &+ UInt64(offset) &* 0x1000_0000, seeds: seeds.map(\.bytes),
                                      interestingBytes: target.interestingBytes, maxLength: name == "duration" ? 80 : 16_384,
                                      json: target.structured)
            let deadline = MonotonicClock.now() + UInt64(seconds / Double(names.count) * 1e9)
            var executions = 0
            var violations: [String: Int] = [:]
            var saved = 0
            while MonotonicClock.now() < deadline {
                for _ in 0 ..< 64 {
                    let input = mutator.next(structured: target.structured)
                    let cut = mutator.below(input.count + 1)
                    FuzzCrashGuard.willExecute(input)
                    let problem = target.check(input, cut: cut)
                    FuzzCrashGuard.didExecute()
                    executions += 1
                    guard let problem else { continue }
                    violations[problem, default: 0] += 1
                    if saved < 20 {
                        saved += 1
                        let path = "\(artifacts)/\(name)-violation-\(saved)"
                        _ = FileManager.default.createFile(atPath: path, contents: Data(input))
                        print("  fuzz \(name): \(problem) (cut \(cut)) — input saved to \(path)")
                    }
                }
            }
            print("  fuzz \(name): \(executions) executions, \(target.tally)")
            let found = violations.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }
            checks.check("\(name): \(executions) mutated inputs, no invariant violated", violations.isEmpty, sample(found, limit: 3))
        }
        FuzzCrashGuard.idle()
        FuzzCrashGuard.finish(removing: reproducer)
        if checks.failed == 0 { try? FileManager.default.removeItem(atPath: artifacts) }
        return checks.summary()
    }

    /// Every corpus request is answered as its file name says.
    static func replayHTTP(_ seeds: [(name: String, bytes: [UInt8])], checks: CheckList) {
        var wrong: [String] = []
        var counted = 0
        for entry in seeds {
            guard let expected = HTTPParserFuzzTarget.expectation(fileName: entry.name) else { continue }
            counted += 1
            FuzzCrashGuard.willExecute(entry.bytes)
            let (outcome, _) = HTTPParserFuzzTarget.drive(entry.bytes, pieces: [entry.bytes[...]])
            FuzzCrashGuard.didExecute()
            if let status = expected.status {
                if outcome.failure != status { wrong.append("\(entry.name): got \(outcome.failure.map(String.init) ?? "accepted")") }
            } else if outcome.failure != nil || outcome.requests.count != expected.requests {
                wrong.append("\(entry.name): \(outcome.requests.count) requests, failure \(outcome.failure.map(String.init) ?? "none")")
            }
        }
        checks.check("http: every corpus request is refused or accepted as its file name says (\(counted) files)", wrong.isEmpty,
                     sample(wrong, limit: 4))
    }

    static func files(in directory: String) throws -> [(name: String, bytes: [UInt8])] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw BenchError("cannot read the corpus folder \(directory) (run from the repository root or pass --corpus/--samples)")
        }
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).map { (name, Array($0)) }
        }
    }

    /// One seed per non-empty line of every file in `directory`.
    static func lines(in directory: String) throws -> [(name: String, bytes: [UInt8])] {
        try files(in: directory).flatMap { file in
            String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").enumerated()
                .map { ("\(file.name):\($0.offset + 1)", Array($0.element.utf8)) }
        }
    }
}
