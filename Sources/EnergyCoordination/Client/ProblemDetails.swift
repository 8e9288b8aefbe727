import FoundationEssentials
import Essentials

/// An error body from the API, read leniently: RFC 9457 / ASP.NET `HttpValidationProblemDetails`
/// (`{type, title, status, detail, instance, errors: {field: [message]}}`), an OAuth error
/// (`{error, error_description}`), a bare JSON string (the 2024 `POST /reports` 400), or plain text.
///
/// Why lenient: the documented error shapes differ by endpoint and year; an operator needs the reason,
/// whatever form it came in.
public struct ProblemDetails: Sendable, Equatable {
    public var type: String?
    public var title: String?
    public var status: Int?
    public var detail: String?
    /// Per-field validation messages, in document order.
    public var errors: [(field: String, messages: [String])]

    public init(type: String? = nil, title: String? = nil, status: Int? = nil, detail: String? = nil,
                errors: [(field: String, messages: [String])] = []) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    public static func == (lhs: ProblemDetails, rhs: ProblemDetails) -> Bool {
        lhs.type == rhs.type && lhs.title == rhs.title && lhs.status == rhs.status && lhs.detail == rhs.detail
            && lhs.errors.count == rhs.errors.count
            && zip(lhs.errors, rhs.errors).allSatisfy { $0.field == $1.field && $0.messages == $1.messages }
    }

    /// Longest plain-text body kept as `detail`.
    static let maxTextDetail = 300

    /// Reads an error body; `nil` when it is empty (ASP.NET's 404) or says nothing usable.
    public static func parse(_ body: [UInt8]) -> ProblemDetails? {
        let trimmed = body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard !trimmed.isEmpty else { return nil }
        if let json = try? JSON.parse(body) {
            switch json {
            case let .string(text):
                return text.isEmpty ? nil : ProblemDetails(detail: text)
            case .object:
                return fromObject(json)
            default:
                return ProblemDetails(detail: clipped(json.compactText))
            }
        }
        let text = String(decoding: body, as: UTF8.self).trimmingWhitespaceAndNewlines()
        return text.isEmpty ? nil : ProblemDetails(detail: clipped(text))
    }

    private static func fromObject(_ json: JSON) -> ProblemDetails? {
        var problem = ProblemDetails(type: json["type"]?.stringValue,
                                     title: json["title"]?.stringValue ?? json["error"]?.stringValue,
                                     status: json["status"]?.intValue,
                                     detail: json["detail"]?.stringValue ?? json["error_description"]?.stringValue
                                         ?? json["message"]?.stringValue)
        if let members = json["errors"]?.objectValue {
            for (field, value) in members {
                let messages = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
                problem.errors.append((field, messages))
            }
        } else if let items = json["errors"]?.arrayValue {
            // Some gateways send a list of messages.
            problem.errors.append(("", items.compactMap(\.stringValue)))
        }
        if problem.title == nil && problem.detail == nil && problem.errors.isEmpty {
            problem.detail = clipped(json.compactText)
        }
        return problem
    }

    private static func clipped(_ text: String) -> String {
        text.count > maxTextDetail ? String(text.prefix(maxTextDetail)) + "…" : text
    }

    /// `title: detail (field: message; field: message)` — one line.
    public var summary: String {
        var parts: [String] = []
        if let title, !title.isEmpty { parts.append(title) }
        if let detail, !detail.isEmpty, detail != title { parts.append(detail) }
        var text = parts.joined(separator: ": ")
        let fields = errors.map { item in
            let messages = item.messages.joined(separator: ", ")
            return item.field.isEmpty ? messages : "\(item.field): \(messages)"
        }
        if !fields.isEmpty { text += (text.isEmpty ? "" : " ") + "(" + fields.joined(separator: "; ") + ")" }
        return text
    }
}
