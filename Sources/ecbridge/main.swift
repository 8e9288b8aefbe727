import Bridge
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin entry point: everything lives in the Bridge library so verbs are testable in-process.
exit(ECBridgeCLI.run(Array(CommandLine.arguments.dropFirst())))
