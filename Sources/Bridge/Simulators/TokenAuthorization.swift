import HTTPServer
import WebhookAuth

/// `Authorization: Token <token>` as OSCP 2.0 and GreenFlux use it: 401 when missing, 403 when the token
/// is not the expected one (compared in constant time).
enum TokenAuthorization {
    enum Outcome: Equatable {
        case accepted
        case missing
        case unknown
    }

    static func check(_ headers: HTTPHeaders, expected: String) -> Outcome {
        guard let value = headers["Authorization"], value.hasPrefix("Token "), value.count > 6 else { return .missing }
        let presented = Array(value.utf8.dropFirst(6))
        return ConstantTime.equals(presented, Array(expected.utf8)) ? .accepted : .unknown
    }
}
