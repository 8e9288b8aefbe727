// Placeholder until this module lands.
enum SolarNetworkModulePlaceholder {}
