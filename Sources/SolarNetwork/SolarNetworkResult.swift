import Essentials

/// SolarNetwork's response envelope `{"success", "code", "message", "errors", "data"}`.
///
/// Why decoded on its own: HTTP 2xx with `success:true` only means the request was stored, and a failure's
/// `code`/`message` (e.g. `DAO.00102`, `Bad credentials`) decide between retrying and failing fast; the
/// payload stays as `JSON` for the caller to decode (instruction, charger, list…).
public struct SolarNetworkResult: Sendable, Equatable {
    /// One validation error (`errors[]`).
    public struct FieldError: Sendable, Equatable {
        public var location: String?
        public var code: String?
        public var rejectedValue: JSON?
        public var message: String?

        public init(location: String? = nil, code: String? = nil, rejectedValue: JSON? = nil, message: String? = nil) {
            self.location = location
            self.code = code
            self.rejectedValue = rejectedValue
            self.message = message
        }
    }

    public var success: Bool
    /// Error code such as `DAO.00102`, `VAL.00001`, `401`; numbers are kept as their text.
    public var code: String?
    public var message: String?
    public var errors: [FieldError]
    /// The payload, `nil` when absent or `null`.
    public var data: JSON?

    public init(success: Bool, code: String? = nil, message: String? = nil, errors: [FieldError] = [], data: JSON? = nil) {
        self.success = success
        self.code = code
        self.message = message
        self.errors = errors
        self.data = data
    }

    /// Parses a response body.
    public static func decode(_ body: [UInt8]) throws(SolarNetworkDecodingError) -> SolarNetworkResult {
        let json: JSON
        do {
            json = try JSON.parse(body)
        } catch {
            throw SolarNetworkDecodingError("SolarNetwork response is not JSON: \(error.description)")
        }
        return try SolarNetworkResult(json: json)
    }

    /// Reads the envelope from parsed JSON. Unknown members are ignored (the server may add some).
    public init(json: JSON) throws(SolarNetworkDecodingError) {
        guard case .object = json else {
            throw SolarNetworkDecodingError("SolarNetwork response is a JSON \(json.typeName), expected an object")
        }
        guard let success = json["success"]?.boolValue else {
            throw SolarNetworkDecodingError("SolarNetwork response has no boolean \"success\" member")
        }
        self.success = success
        self.code = try Self.text(json["code"], "code")
        self.message = try Self.text(json["message"], "message")
        var errors: [FieldError] = []
        if let list = json["errors"], !list.isNull {
            guard let items = list.arrayValue else {
                throw SolarNetworkDecodingError("SolarNetwork response \"errors\" is a \(list.typeName), expected an array")
            }
            for item in items {
                guard case .object = item else {
                    throw SolarNetworkDecodingError("SolarNetwork response \"errors\" holds a \(item.typeName), expected objects")
                }
                let rejected = item["rejectedValue"]
                errors.append(FieldError(location: try Self.text(item["location"], "errors[].location"),
                                         code: try Self.text(item["code"], "errors[].code"),
                                         rejectedValue: rejected?.isNull == true ? nil : rejected,
                                         message: try Self.text(item["message"], "errors[].message")))
            }
        }
        self.errors = errors
        let data = json["data"]
        self.data = data?.isNull == true ? nil : data
    }

    /// A one-line summary for logs: `code: message` and the first field error.
    public var failureSummary: String {
        var parts: [String] = []
        if let code { parts.append(code) }
        if let message { parts.append(message) }
        if let first = errors.first {
            parts.append([first.location, first.message].compactMap { $0 }.joined(separator: ": "))
        }
        return parts.isEmpty ? (success ? "success" : "failure without message") : parts.joined(separator: ": ")
    }

    private static func text(_ value: JSON?, _ name: String) throws(SolarNetworkDecodingError) -> String? {
        switch value {
        case nil, .null?: return nil
        case let .string(s)?: return s
        case let .number(n)?: return n
        case let .bool(b)?: return b ? "true" : "false"
        case let other?:
            throw SolarNetworkDecodingError("SolarNetwork response \"\(name)\" is a \(other.typeName), expected a string")
        }
    }
}
