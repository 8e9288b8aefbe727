import Essentials

/// One HTTP answer as received: any status is an answer (4xx/5xx included); only a missing or broken
/// answer is an error.
public struct HTTPClientResponse: Sendable, Equatable {
    public var status: Int
    /// Header fields in the order received, names as sent by the peer.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first field named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first(where: { $0.name.equalsIgnoringASCIICase(name) })?.value
    }

    public static func == (left: HTTPClientResponse, right: HTTPClientResponse) -> Bool {
        left.status == right.status && left.body == right.body
            && left.headers.map(\.name) == right.headers.map(\.name)
            && left.headers.map(\.value) == right.headers.map(\.value)
    }
}
