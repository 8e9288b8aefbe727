import HTTPServer

/// What a stand-in's routes answer: the response plus a short reason for the request log (the refusal
/// message, so a test or an operator sees *why* without parsing the body).
struct SimulatorReply: Sendable {
    var response: HTTPResponse
    var message: String?

    init(_ response: HTTPResponse, message: String? = nil) {
        self.response = response
        self.message = message
    }
}
