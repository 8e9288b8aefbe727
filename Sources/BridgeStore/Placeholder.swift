// Placeholder until this module lands.
enum BridgeStoreModulePlaceholder {}
