import Bridge
import Foundation

// Thin entry point: everything lives in the Bridge library so verbs are testable in-process.
exit(ECBridgeCLI.run(Array(CommandLine.arguments.dropFirst())))
