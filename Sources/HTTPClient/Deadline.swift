#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One point on the monotonic clock by which a whole request (connect, TLS, send, receive) must finish.
///
/// Why one deadline rather than per-call timeouts: a peer that trickles one byte at a time must not keep a
/// delivery worker busy for longer than the configured request timeout.
struct Deadline: Sendable {
    let nanoseconds: UInt64
    /// The length the deadline was made with, for error messages.
    let seconds: Double

    static func after(seconds: Double) -> Deadline {
        let clamped = max(0, min(seconds, 86_400 * 365))
        return Deadline(nanoseconds: now() &+ UInt64(clamped * 1e9), seconds: seconds)
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Milliseconds left for `poll`, rounded up so a wait never ends just before the deadline; 0 once passed.
    var remainingMilliseconds: Int32 {
        let current = Self.now()
        guard current < nanoseconds else { return 0 }
        let millis = (nanoseconds - current + 999_999) / 1_000_000
        return Int32(min(millis, UInt64(Int32.max)))
    }

    var hasPassed: Bool { Self.now() >= nanoseconds }
}
