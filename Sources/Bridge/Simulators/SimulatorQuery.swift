import SolarNetwork

/// The decoded query parameters of a stand-in request (servlet rules: `+` is a space).
struct SimulatorQuery: Sendable {
    let pairs: [(String, String)]

    init(_ raw: String?) {
        pairs = raw.map(SNWS2QueryEncoding.decodeQuery) ?? []
    }

    /// The first value of `name`.
    func value(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
}
