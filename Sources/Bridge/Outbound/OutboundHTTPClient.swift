import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A small blocking HTTP client over URLSession for outbound calls (replay, SolarNetwork, OSCP, reports).
///
/// Redirects are refused (a 3xx is returned as is: following one could leak a signed request to
/// another host), every call has a timeout, and the User-Agent names ecbridge.
public final class OutboundHTTPClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first(where: { $0.key.caseInsensitiveCompare(name) == .orderedSame })?.value
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    public static let userAgent = "ecbridge/\(ECBridgeVersion.current)"

    private let session: URLSession
    public let timeout: Double

    public init(timeout: Double = 30) {
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends one request and waits for the answer. Throws only when no HTTP answer arrived.
    public func send(method: String, url: URL, headers: [(String, String)], body: [UInt8]?) throws(Failure) -> Response {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue(Self.userAgent, forHTTPHeaderField: "User-Agent")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }
        let outcome = Mutex<Result<Response, Failure>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<Response, Failure>
            if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let key = key as? String, let value = value as? String { fields[key] = value }
                }
                result = .success(Response(status: http.statusCode, headers: fields, body: data.map { Array($0) } ?? []))
            } else {
                let reason = error.map { ($0 as NSError).localizedDescription } ?? "no response"
                result = .failure(Failure(description: "\(method) \(url.host ?? "?"): \(reason)"))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        done.wait()
        guard let result = outcome.withLock({ $0 }) else { throw Failure(description: "no response") }
        return try result.get()
    }
}
