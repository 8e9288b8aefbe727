import Dispatch
import Essentials
import FoundationEssentials

/// A SolarUser API client: queues and reads node instructions and reads the OCPP/OSCP entities that
/// ecbridge targets (solarnetwork.md §3–§6).
///
/// Why its own type over an injected transport: every request must be SNWS2-signed with the exact bytes
/// that go on the wire, and every answer must be classified the same way (success / transient /
/// permanent) for the outbox, the tracker and `doctor`; the transport is a closure so tests and the
/// Bridge's blocking HTTP client both fit. Credentials never appear in failures.
public struct SolarNetworkClient: Sendable {
    /// `/solaruser/api/v1/sec/instr`.
    public static let instructionPath = "/solaruser/api/v1/sec/instr"
    /// `/solaruser/api/v1/sec/user`.
    public static let userPath = "/solaruser/api/v1/sec/user"

    public let baseURL: String
    private let signer: SNWS2Signer
    private let transport: SolarNetworkClientTransport
    private let now: @Sendable () -> Date
    private let digest: Bool

    /// `baseURL` like `https://data.solarnetwork.net` (a trailing slash is dropped). `digest` adds and
    /// signs a `Digest: sha-256=…` header on requests with a body. `now` is the signing clock.
    public init(baseURL: String, credentials: SNWS2Credentials, transport: @escaping SolarNetworkClientTransport,
                digest: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.signer = SNWS2Signer(credentials: credentials)
        self.transport = transport
        self.digest = digest
        self.now = now
    }

    // MARK: - Instructions

    /// `POST /instr/add/{topic}` with `body` (`{"nodeId":…,"params":{…}}`, sent byte for byte).
    public func addInstruction(topic: String, body: [UInt8]) -> SolarNetworkClientReply<NodeInstruction> {
        addInstruction(path: Self.instructionPath + "/add/" + SNWS2QueryEncoding.encode(topic), body: body)
    }

    /// `POST` of a planned instruction to its planned path (`…/instr/add/OCPP_v16`).
    public func addInstruction(path: String, body: [UInt8]) -> SolarNetworkClientReply<NodeInstruction> {
        call(method: "POST", path: path, body: body).map { result throws(SolarNetworkDecodingError) in
            guard let data = result.data else { throw SolarNetworkDecodingError("instruction answer has no data") }
            return try NodeInstruction(json: data)
        }
    }

    /// `GET /instr/view?id=`.
    public func viewInstruction(id: Int64) -> SolarNetworkClientReply<NodeInstruction> {
        call(method: "GET", path: Self.instructionPath + "/view", query: [("id", String(id))]).map { result throws(SolarNetworkDecodingError) in
            guard let data = result.data else { throw SolarNetworkDecodingError("instruction answer has no data") }
            return try NodeInstruction(json: data)
        }
    }

    /// `GET /instr?nodeIds=&startDate=&endDate=`: the instructions of `nodeIds` created in the window
    /// (used after an unknown outcome, to find an instruction that was stored although the answer was lost).
    public func instructions(nodeIds: [Int64], startDate: Date, endDate: Date) -> SolarNetworkClientReply<[NodeInstruction]> {
        let query = [("nodeIds", nodeIds.map(String.init).joined(separator: ",")),
                     ("startDate", Timestamp.format(startDate)), ("endDate", Timestamp.format(endDate))]
        return call(method: "GET", path: Self.instructionPath, query: query).map { result throws(SolarNetworkDecodingError) in
            var list: [NodeInstruction] = []
            for item in try Self.items(result.data) { list.append(try NodeInstruction(json: item)) }
            return list
        }
    }

    // MARK: - Entities (read-only)

    /// `GET /user/ocpp/chargers`: the charger entities, as JSON objects.
    public func chargers() -> SolarNetworkClientReply<[JSON]> {
        call(method: "GET", path: Self.userPath + "/ocpp/chargers").map { result throws(SolarNetworkDecodingError) in
            try Self.items(result.data)
        }
    }

    /// `GET /user/ocpp/chargers/{id}`.
    public func charger(id: Int64) -> SolarNetworkClientReply<JSON> {
        call(method: "GET", path: Self.userPath + "/ocpp/chargers/\(id)").map { result throws(SolarNetworkDecodingError) in
            guard let data = result.data else { throw SolarNetworkDecodingError("charger answer has no data") }
            return data
        }
    }

    /// `GET /user/oscp/capacity-groups`.
    public func capacityGroups() -> SolarNetworkClientReply<[JSON]> {
        call(method: "GET", path: Self.userPath + "/oscp/capacity-groups").map { result throws(SolarNetworkDecodingError) in
            try Self.items(result.data)
        }
    }

    /// `GET /user/oscp/capacity-optimizers`.
    public func capacityOptimizers() -> SolarNetworkClientReply<[JSON]> {
        call(method: "GET", path: Self.userPath + "/oscp/capacity-optimizers").map { result throws(SolarNetworkDecodingError) in
            try Self.items(result.data)
        }
    }

    // MARK: - Any call

    /// Signs and sends one request and classifies the answer: 2xx with `success:true` is a success; see
    /// `SolarNetworkClientFailure` for the rest. `path` is the raw path including `/solaruser`; `query`
    /// holds decoded pairs.
    public func call(method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil)
        -> SolarNetworkClientReply<SolarNetworkResult>
    {
        let queryText = query.map { SNWS2QueryEncoding.encode($0.0) + "=" + SNWS2QueryEncoding.encode($0.1) }
            .joined(separator: "&")
        let text = baseURL + path + (queryText.isEmpty ? "" : "?" + queryText)
        guard let url = URL(string: text) else {
            return SolarNetworkClientReply(status: nil, latency: 0, outcome: .failure(SolarNetworkClientFailure(
                kind: .permanent, message: "invalid SolarNetwork URL for path \(path)")))
        }
        let bytes = body ?? []
        let signed = signer.sign(method: method, url: url, body: bytes, date: now(), digest: digest && !bytes.isEmpty)
        // The transport derives Host from the URL (the value that was signed).
        let headers = signed.headers.filter { $0.name.lowercased() != "host" }.map { ($0.name, $0.value) }
            + [("Accept", "application/json")]
        let started = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }

        let response: SolarNetworkHTTPResponse
        do {
            response = try transport(method, url, headers, body)
        } catch {
            return SolarNetworkClientReply(status: nil, latency: elapsed(), outcome: .failure(SolarNetworkClientFailure(
                kind: .transient, message: "no answer from SolarNetwork: \(error)")))
        }
        let latency = elapsed()
        let envelope = try? SolarNetworkResult.decode(response.body)
        let retryAfter = response.header("Retry-After")
        guard (200...299).contains(response.status) else {
            let failure = SolarNetworkClientFailure.classify(status: response.status, result: envelope,
                                                             errorHeader: response.header("X-SN-ErrorMessage"),
                                                             retryAfter: retryAfter)
            return SolarNetworkClientReply(status: response.status, latency: latency, outcome: .failure(failure))
        }
        guard let envelope else {
            return SolarNetworkClientReply(status: response.status, latency: latency, outcome: .failure(SolarNetworkClientFailure(
                kind: .transient, status: response.status, message: "HTTP \(response.status) without a SolarNetwork result envelope")))
        }
        guard envelope.success else {
            let kind: SolarNetworkClientFailure.Kind = SolarNetworkClientFailure.isTransientCode(envelope.code) ? .transient : .permanent
            return SolarNetworkClientReply(status: response.status, latency: latency, outcome: .failure(SolarNetworkClientFailure(
                kind: kind, status: response.status, code: envelope.code,
                message: "SolarNetwork refused: \(envelope.failureSummary)", retryAfter: retryAfter)))
        }
        return SolarNetworkClientReply(status: response.status, latency: latency, outcome: .success(envelope))
    }

    /// A list payload: an array, or a paged object with `results`; absent = empty.
    static func items(_ data: JSON?) throws(SolarNetworkDecodingError) -> [JSON] {
        switch data {
        case nil: return []
        case let .array(items)?: return items
        case let .object(members)?:
            if let results = members.first(where: { $0.0.hasSameUTF8(as: "results") })?.1 {
                if case let .array(items) = results { return items }
                if results.isNull { return [] }
            }
            throw SolarNetworkDecodingError("expected a list in data, found an object without \"results\"")
        case let other?:
            throw SolarNetworkDecodingError("expected a list in data, found a JSON \(other.typeName)")
        }
    }
}
