/// The four kinds of per-connection deadline. Each has one fixed duration per loop, so deadlines of one
/// kind expire in the order they were set — which is what makes `TimeoutList` O(1).
enum TimeoutKind: Int, CaseIterable {
    /// Keep-alive connection with no request in progress: close silently.
    case idle
    /// A request has started but its body is not complete: 408 and close.
    case read
    /// A response is waiting for the peer to take its bytes: close.
    case write
    /// After an error response, discarding what the client still sends: close.
    case linger
}

/// An intrusive FIFO of connections sharing one timeout duration. Appending puts the latest deadline at the
/// tail, so the head is always the next to expire: set, clear and expire are O(1) with no allocation and
/// no timer descriptor per connection.
struct TimeoutList {
    let duration: UInt64
    private(set) var head: Connection?
    private var tail: Connection?

    init(duration: UInt64) {
        self.duration = duration
    }

    mutating func append(_ connection: Connection, now: UInt64) {
        connection.deadline = now &+ duration
        connection.timerPrevious = tail
        connection.timerNext = nil
        if let tail { tail.timerNext = connection } else { head = connection }
        tail = connection
    }

    mutating func remove(_ connection: Connection) {
        let previous = connection.timerPrevious, next = connection.timerNext
        if let previous { previous.timerNext = next } else { head = next }
        if let next { next.timerPrevious = previous } else { tail = previous }
        connection.timerPrevious = nil
        connection.timerNext = nil
    }
}
