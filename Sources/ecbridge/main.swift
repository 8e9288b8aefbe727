import Bridge
import Foundation

// The CLI lands with the intake issue; this placeholder keeps the package building.
print("ecbridge: not yet")
