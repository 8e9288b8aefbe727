// Placeholder until this module lands.
enum HTTPServerModulePlaceholder {}
