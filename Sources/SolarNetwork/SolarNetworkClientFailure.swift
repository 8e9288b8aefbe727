import FoundationEssentials

/// Why a SolarNetwork call did not succeed, and whether trying again can help.
///
/// Why classified here: the outbox must retry a database hiccup (429 `DAO.002xx`) but never a bad token
/// (401/403) or a validation error (422) — retrying those only makes a retry storm (solarnetwork.md §3.5).
public struct SolarNetworkClientFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Connection errors, 408, 429, 5xx, `DAO.002xx`/`DAO.003xx`, unreadable answers: try again later.
        case transient
        /// Authentication, validation, not found, `success:false`: trying again gives the same answer.
        case permanent
    }

    public var kind: Kind
    /// The HTTP status, `nil` when no answer arrived.
    public var status: Int?
    /// The envelope `code` (e.g. `DAO.00102`, `401`), when there was one.
    public var code: String?
    /// A one-line reason without credentials or signatures (the server's `X-SN-ErrorMessage`/`message`).
    public var message: String
    /// The `Retry-After` header as sent, for the caller's back-off.
    public var retryAfter: String?

    public init(kind: Kind, status: Int? = nil, code: String? = nil, message: String, retryAfter: String? = nil) {
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { message }

    /// `true` for `DAO.002xx` and `DAO.003xx`: transient database failures ("try again later").
    public static func isTransientCode(_ code: String?) -> Bool {
        guard let code else { return false }
        return code.hasPrefix("DAO.002") || code.hasPrefix("DAO.003")
    }

    /// Classifies an HTTP answer that is not a success. `result` is the decoded envelope when the body had one.
    public static func classify(status: Int, result: SolarNetworkResult?, errorHeader: String?,
                                retryAfter: String?) -> SolarNetworkClientFailure {
        let serverMessage = errorHeader ?? result?.message
        let summary = result.map(\.failureSummary)
        if status == 401 || status == 403 {
            return SolarNetworkClientFailure(
                kind: .permanent, status: status, code: result?.code,
                message: "authentication failed (HTTP \(status)): \(serverMessage ?? "no message")", retryAfter: retryAfter)
        }
        let transient = status == 408 || status == 429 || (500...599).contains(status) || isTransientCode(result?.code)
        let detail = summary ?? serverMessage ?? "no SolarNetwork result envelope"
        return SolarNetworkClientFailure(kind: transient ? .transient : .permanent, status: status, code: result?.code,
                                         message: "HTTP \(status): \(detail)", retryAfter: retryAfter)
    }
}
