import FoundationEssentials
import Synchronization

/// Where a CLI verb writes: the terminal, or a buffer in tests (so verbs are tested in-process).
public final class Console: Sendable {
    private let out: @Sendable (String) -> Void
    private let err: @Sendable (String) -> Void
    public let readInput: @Sendable () -> Data

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                readInput: @escaping @Sendable () -> Data = { Data() }) {
        self.out = out
        self.err = err
        self.readInput = readInput
    }

    public static let terminal = Console(
        out: { StandardStreams.write(descriptor: 1, $0) },
        err: { StandardStreams.write(descriptor: 2, $0) },
        readInput: { StandardStreams.readToEnd(descriptor: 0) })

    public func print(_ text: String) { out(text + "\n") }
    public func write(_ text: String) { out(text) }
    public func error(_ text: String) { err(text + "\n") }
}

/// Records what a verb printed, for tests.
public final class ConsoleCapture: Sendable {
    private let outText = Mutex("")
    private let errText = Mutex("")

    public init() {}

    public func console(input: Data = Data()) -> Console {
        Console(out: { text in self.outText.withLock { $0 += text } },
                err: { text in self.errText.withLock { $0 += text } },
                readInput: { input })
    }

    public var output: String { outText.withLock { $0 } }
    public var errors: String { errText.withLock { $0 } }
}
