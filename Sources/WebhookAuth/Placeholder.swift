// Placeholder until this module lands.
enum WebhookAuthModulePlaceholder {}
