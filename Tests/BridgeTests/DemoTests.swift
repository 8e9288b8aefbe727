import Foundation
import Testing
@testable import Bridge

/// `ecbridge demo` is the README's first command: it must complete against the stand-ins and exit 0.
@Suite(.serialized) struct DemoTests {
    @Test func demoCompletesEndToEnd() {
        let capture = ConsoleCapture()
        let status = ECBridgeCLI.run(["demo", "--samples", TestFiles.repositoryRoot + "/samples/events", "--timeout", "60"],
                                     console: capture.console())
        #expect(status == 0, "\(capture.output)\n\(capture.errors)")
        #expect(capture.output.contains("— OK"))
        #expect(capture.output.contains("report posted: vehicle-1 Start 10 A / 6900 W"))
        #expect(capture.output.contains("ResourceLPCAcknowledgement: 1 acknowledged, 1 declined"))
    }
}
