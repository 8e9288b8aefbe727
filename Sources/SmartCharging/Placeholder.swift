// Placeholder until this module lands.
enum SmartChargingModulePlaceholder {}
