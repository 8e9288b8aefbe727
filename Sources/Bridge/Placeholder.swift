// Placeholder until this module lands.
enum BridgeModulePlaceholder {}
