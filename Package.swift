// swift-tools-version:6.0
// ecbridge — Energy Coordination webhooks → OCPP / OSCP / GreenFlux, with a durable inbox and outbox.
// No third-party Swift packages: only the toolchain and two system C libraries (OpenSSL, SQLite).
import PackageDescription

let package = Package(
    name: "ecbridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ecbridge", targets: ["ecbridge"]),
        .executable(name: "ecbridge-bench", targets: ["ecbridge-bench"]),
    ],
    targets: [
        // System libraries (module maps only).
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"]), .brew(["openssl"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CSystem"),

        // Libraries, lowest first.
        .target(name: "Essentials", dependencies: ["CSystem"]),
        .target(name: "HTTPServer", dependencies: ["CSystem", "COpenSSL", "Essentials"]),
        .target(name: "HTTPClient", dependencies: ["CSystem", "COpenSSL", "Essentials"]),
        .target(name: "WebhookAuth", dependencies: ["COpenSSL", "Essentials"]),
        .target(name: "EnergyCoordination", dependencies: ["Essentials", "WebhookAuth"]),
        .target(name: "SmartCharging", dependencies: ["Essentials", "EnergyCoordination"]),
        .target(name: "SolarNetwork", dependencies: ["Essentials", "WebhookAuth"]),
        .target(name: "BridgeStore", dependencies: ["CSQLite", "Essentials"]),
        .target(name: "Bridge", dependencies: [
            "Essentials", "HTTPServer", "HTTPClient", "WebhookAuth", "EnergyCoordination",
            "SmartCharging", "SolarNetwork", "BridgeStore", "CSystem",
        ]),
        .executableTarget(name: "ecbridge", dependencies: ["Bridge"]),
        .executableTarget(name: "ecbridge-bench", dependencies: ["Bridge"]),

        // Tests mirror the libraries.
        .testTarget(name: "EssentialsTests", dependencies: ["Essentials"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTPClient", "Essentials", "CSystem", "COpenSSL"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "Essentials", "CSystem"]),
        .testTarget(name: "WebhookAuthTests", dependencies: ["WebhookAuth", "Essentials"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "EnergyCoordinationTests", dependencies: ["EnergyCoordination", "Essentials"]),
        .testTarget(name: "SmartChargingTests", dependencies: ["SmartCharging", "Essentials"]),
        .testTarget(name: "SolarNetworkTests", dependencies: ["SolarNetwork"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BridgeStoreTests", dependencies: ["BridgeStore"]),
        .testTarget(name: "BridgeTests", dependencies: ["Bridge"]),
    ],
    swiftLanguageModes: [.v6]
)
