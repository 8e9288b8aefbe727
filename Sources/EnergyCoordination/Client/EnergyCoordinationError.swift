import Essentials
import FoundationEssentials

/// Why a call to the Energy Coordination API failed, as one line an operator can act on.
///
/// Secrets never appear: request bodies are not quoted, and the client removes any secret it sent from
/// text the server echoed back (`redacting`).
public struct EnergyCoordinationError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// No HTTP answer (connection refused, timeout, bad URL).
        case transport
        /// The token endpoint refused the client credentials or answered nonsense.
        case token
        /// The API answered with a non-success status.
        case http
        /// A success answer whose body the client could not read.
        case decoding
    }

    public var kind: Kind
    /// `GET /subscriptions/abc`, or `token` for the token endpoint.
    public var operation: String
    public var status: Int?
    public var problem: ProblemDetails?
    public var message: String

    public init(kind: Kind, operation: String, status: Int? = nil, problem: ProblemDetails? = nil, message: String = "") {
        self.kind = kind
        self.operation = operation
        self.status = status
        self.problem = problem
        self.message = message
    }

    /// 404 from the API.
    public var isNotFound: Bool { kind == .http && status == 404 }

    public var description: String {
        var text = operation + ": "
        if let status { text += "HTTP \(status)" }
        let detail = problem?.summary ?? ""
        if !detail.isEmpty {
            text += (status == nil ? "" : " ") + detail
        } else if status == 404 {
            text += " not found"
        }
        if !message.isEmpty { text += (status == nil && detail.isEmpty ? "" : " — ") + message }
        return text
    }

    /// The same error with every occurrence of `secrets` replaced by `***`.
    func redacting(_ secrets: [String]) -> EnergyCoordinationError {
        let secrets = secrets.filter { $0.count >= 4 }
        guard !secrets.isEmpty else { return self }
        func clean(_ text: String?) -> String? {
            guard var text else { return nil }
            for secret in secrets { text = text.replacingLiteral(secret, with: "***") }
            return text
        }
        var copy = self
        copy.message = clean(message) ?? ""
        if var problem {
            problem.title = clean(problem.title)
            problem.detail = clean(problem.detail)
            problem.errors = problem.errors.map { ($0.field, $0.messages.compactMap { clean($0) }) }
            copy.problem = problem
        }
        return copy
    }
}
